/* options.h - option parsing shared by the commands. */
#ifndef SPNAUDIT_OPTIONS_H
#define SPNAUDIT_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "spnaudit/directory.h"
#include "spnaudit/domains.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/analysis.h"
#include "spnaudit/kerberos.h"

/* An integer from min to max, the whole string. */
bool parse_int(const char *s, long min, long max, int *out);

/* Seconds on the monotonic clock, for durations. */
double monotonic_seconds(void);
/* Seconds since the epoch, for timestamps. */
double epoch_seconds(void);

/* The Kerberos options every command that asks for tickets takes:
 * --principal, --keytab, --jobs, --kdc-timeout. */
#define KRB_LONG_OPTIONS                                                                                     \
    {"keytab", required_argument, NULL, 'k'}, {"principal", required_argument, NULL, 'p'},                   \
        {"jobs", required_argument, NULL, 'j'},                                                              \
    {                                                                                                        \
        "kdc-timeout", required_argument, NULL, 'K'                                                          \
    }
#define KRB_SHORT_OPTIONS "k:p:j:"
#define KRB_HELP_CREDENTIALS                                                                                 \
    "Credentials (default: the Kerberos ccache in KRB5CCNAME):\n"                                            \
    "  -p, --principal NAME      log in as this principal: with --keytab, or\n"                              \
    "                            with a password asked for without echo\n"                                   \
    "  -k, --keytab FILE         log in with this keytab (for cron), as --principal\n"                       \
    "                            or else as the keytab's first principal\n"                                  \
    "Kerberos:\n"
#define KRB_HELP_TIMEOUT "      --kdc-timeout SECONDS time limit of one KDC request (default 10)\n"
#define KRB_HELP                                                                                             \
    KRB_HELP_CREDENTIALS                                                                                     \
    "  -j, --jobs N              ticket requests in flight (default 8, 1-64)\n" KRB_HELP_TIMEOUT
/* For the commands that request no tickets of their own (--jobs refused). */
#define KRB_HELP_NO_JOBS KRB_HELP_CREDENTIALS KRB_HELP_TIMEOUT

/* The directory options every command that reads AD takes. */
typedef struct dir_args {
    sa_dir_options dir;
    sa_strv dcs;     /* --server, in order */
    sa_strv classes; /* --service-class */
    sa_strv domains; /* --domain, in order; the first is the one audited */
    bool domains_given;
    bool dcs_given;            /* on the command line: the first one replaces earlier */
    bool classes_given;        /* values (from a configuration file) */
    const char *password_file; /* the simple bind's password: from this file, */
    const char *password_env;  /* this environment variable, or a prompt */
    char *password;            /* read by open_credentials; wiped by dir_args_clear */
    bool tls_given;            /* --ldaps or --starttls on the command line */
    /* The names of 'A', 'W' and 'E' in messages: --ca-file, --password-file
     * and --password-env, or cert's names for them */
    const char *name_ca_file, *name_password_file, *name_password_env;
    bool ldaps_and_starttls; /* both there: an error */
} dir_args;

#define DIR_LONG_OPTIONS                                                                                     \
    {"domain", required_argument, NULL, 'd'}, {"server", required_argument, NULL, 's'},                      \
        {"uri", required_argument, NULL, 'H'}, {"page-size", required_argument, NULL, 'P'},                  \
        {"size-limit", required_argument, NULL, 'Z'}, {"timeout", required_argument, NULL, 'T'},             \
        {"service-class", required_argument, NULL, 'C'}, {"ldaps", no_argument, NULL, 'L'},                  \
        {"starttls", no_argument, NULL, 'S'}, {"ca-file", required_argument, NULL, 'A'},                     \
        {"insecure-skip-tls-verify", no_argument, NULL, 'I'}, {"bind-user", required_argument, NULL, 'U'},   \
        {"password-file", required_argument, NULL, 'W'}, {"password-env", required_argument, NULL, 'E'},     \
    {                                                                                                        \
        "forest", no_argument, NULL, 'F'                                                                     \
    }
#define DIR_SHORT_OPTIONS "d:s:H:"
#define DIR_HELP                                                                                             \
    "Directory:\n"                                                                                           \
    "  -d, --domain DOMAIN       DNS name of the domain (default: from the DC);\n"                           \
    "                            repeatable: more domains, e.g. of trusting forests\n"                       \
    "      --forest              through the Global Catalog: every domain of the\n"                          \
    "                            forest (ports 3268/3269, DNS _gc._tcp.DOMAIN)\n"                            \
    "  -s, --server HOST         domain controller to ask (repeatable, in order;\n"                          \
    "                            default: the DCs DNS lists for the domain)\n"                               \
    "  -H, --uri URI             LDAP URI of the DC (overrides --server)\n"                                  \
    "      --page-size N         entries per LDAP page (default 1000; 0: no paging)\n"                       \
    "      --size-limit N        stop after N entries; the run is then incomplete\n"                         \
    "      --timeout SECONDS     connect and per-operation timeout (default 30)\n"                           \
    "      --service-class CLASS SPN service class to look at (repeatable;\n"                                \
    "                            default MSOMHSvc and MSOMSdkSvc)\n"                                         \
    "Binding (default: SASL GSSAPI with Kerberos, signed and sealed):\n"                                     \
    "      --ldaps               LDAP over TLS, port 636\n"                                                  \
    "      --starttls            LDAP, then StartTLS\n"                                                      \
    "      --ca-file FILE        CA certificates (PEM) to verify the DC's certificate\n"                     \
    "                            (default: the system's)\n"                                                  \
    "      --insecure-skip-tls-verify  accept any certificate: for tests only;\n"                            \
    "                            the password can then be stolen on the way\n"                               \
    "      --bind-user USER      simple bind as USER (a DN, user@domain or\n"                                \
    "                            DOMAIN\\user), only over --ldaps or --starttls\n"                           \
    "      --password-file FILE  the simple bind's password, first line of FILE\n"                           \
    "                            (not readable by others; default: asked for)\n"                             \
    "      --password-env VAR    the simple bind's password, from variable VAR\n"

/* Defaults: page size 1000, timeout 30 s. */
void dir_args_init(dir_args *d);
/* Like krb_option, for DIR_LONG_OPTIONS. */
int dir_option(const char *command, int c, const char *arg, dir_args *d);
/* After parsing: the default service classes when none was given; -1 fine,
 * or the usage exit status. */
int dir_args_finish(const char *command, dir_args *d);
void dir_args_clear(dir_args *d);

/* The -c/--config FILE among the arguments, or NULL: the file is read
 * before the other options, which override it. */
const char *config_path(int argc, char **argv);

/* The output options of every command that writes a report: where to,
 * when, in colour or not.  Same names and letters everywhere. */
typedef struct out_args {
    const char *output; /* --output FILE, or NULL: standard output */
    bool quiet;         /* --quiet: nothing on standard output when all is well */
    bool no_color;      /* --no-color */
} out_args;

#define OUT_LONG_OPTIONS                                                                                     \
    {"output", required_argument, NULL, 'o'}, {"quiet", no_argument, NULL, 'q'},                             \
    {                                                                                                        \
        "no-color", no_argument, NULL, 'X'                                                                   \
    }
#define OUT_SHORT_OPTIONS "o:q"
#define OUT_HELP                                                                                             \
    "  -o, --output FILE         write to FILE, not to standard output; atomically:\n"                       \
    "                            FILE holds the old report or the new one\n"                                 \
    "  -q, --quiet               nothing on standard output when all is well (exit 0)\n"                     \
    "      --no-color            no colours (nor when NO_COLOR is set; there are\n"                          \
    "                            colours only in audit's text report on a terminal)\n"

/* Like krb_option, for OUT_LONG_OPTIONS. */
int out_option(const char *command, int c, const char *arg, out_args *o);
/* Colours for a text report: to a terminal, not into --output FILE, and
 * neither --no-color nor a non-empty NO_COLOR (https://no-color.org). */
bool out_use_color(const out_args *o);
/* The report, by writer, to --output FILE (atomically) or to standard
 * output (not at all with --quiet when status is 0); status, or 3 after
 * a message when it could not be written. */
int out_emit(const char *command, const out_args *o, int (*writer)(FILE *out, void *data), void *data,
             int status);
/* The report, by writer, to the file path atomically (--output, audit's
 * --html); status, or 3 after a message when it could not be written. */
int out_emit_file(const char *command, const char *path, int (*writer)(FILE *out, void *data), void *data,
                  int status);
/* A file to write (--output FILE, --html FILE), checked that it can be
 * written before the directory and the KDC are asked (a run takes
 * minutes): 1 (*path set), or the exit status 64 after a message. */
int out_file_checked(const char *command, const char *arg, const char **path);

/* The report formats --format names. */
typedef enum out_format {
    FMT_TEXT,
    FMT_JSON,
    FMT_CSV,
    FMT_PROMETHEUS,
    FMT_NAGIOS,
    FMT_HTML, /* for people: one self-contained page */
    FMT_DOT,  /* the trust map, for Graphviz */
    FMT_COUNT
} out_format;
#define FMT_BIT(f) (1u << (f))
#define FMTS_TEXT_JSON (FMT_BIT(FMT_TEXT) | FMT_BIT(FMT_JSON))

/* The name --format gives f. */
const char *format_name(out_format f);
/* --format NAME, one of the formats in allowed (FMT_BIT bits): -1 fine
 * (*format set), or the usage exit status after a message naming the
 * allowed ones. */
int format_option(const char *command, const char *arg, unsigned allowed, out_format *format);
/* format_option for the commands that write text or JSON only. */
int json_option(const char *command, const char *arg, bool *json);

/* The directory and credential settings of a configuration file, as the
 * defaults of d and krb: the domain, DCs, URI, TLS and simple bind, page
 * size, timeout and service classes, the keytab, principal and KDC
 * timeout; what every command that reads a directory takes from -c.  -1
 * fine, or the usage exit status. */
int dir_args_from_config(const char *command, const sa_groupconf *c, dir_args *d, sa_krb_options *krb);
/* The Kerberos settings of a configuration file ([kerberos]: keytab,
 * principal, KDC timeout, and jobs when jobs is not NULL) as the
 * defaults of krb. */
void krb_args_from_config(const sa_groupconf *c, sa_krb_options *krb, int *jobs);
/* -c/--config FILE among the arguments, when there: read into conf (which
 * krb then borrows from: clear it after), and applied with
 * krb_args_from_config; for the commands that read no directory.  -1
 * fine (also without -c), or the usage exit status. */
int krb_config_load(const char *command, int argc, char **argv, sa_groupconf *conf, sa_krb_options *krb,
                    int *jobs);
/* -c/--config FILE among the arguments, when there: read into conf (which
 * d and krb then borrow from: clear it after them) and applied with
 * dir_args_from_config.  -1 fine (also without -c), or the usage exit
 * status. */
int dir_config_load(const char *command, int argc, char **argv, sa_groupconf *conf, dir_args *d,
                    sa_krb_options *krb);
/* The library's view of the directory options. */
void dir_domain_set(const dir_args *d, sa_domain_set *ds);

/* The usage exit status for getopt's ':' (missing value) and '?'; for a
 * mistyped long option, the nearest of longopts is suggested. */
int bad_option(const char *command, int c, char **argv, const struct option *longopts);

/* Handle option c if it is one of KRB_LONG_OPTIONS: 1 handled, 0 not
 * ours, or the usage exit status (after the message) for a bad value. */
int krb_option(const char *command, int c, const char *arg, sa_krb_options *krb, int *jobs);
/* sa_krb_open, and when the login took the keytab's first principal
 * (--keytab without --principal), which one on stderr. */
sa_status krb_login(const char *command, const sa_krb_options *opts, sa_krb **krb, sa_error *err);

/* Our Kerberos credentials (krb_login; GSSAPI pointed at them) when the
 * bind or the caller (need_krb) wants them, and the simple bind's
 * password when there is one.  With nothing naming a DC, the domain of
 * our own realm, in *default_domain (free it after the directory options
 * are done with). */
sa_status open_credentials(const char *command, sa_krb_options *krb_opts, dir_args *d, bool need_krb,
                           sa_krb **krb, char **default_domain, sa_error *err);

#endif
