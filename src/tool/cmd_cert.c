/* cmd_cert.c - "spnaudit cert FILE...": certificates checked as OpsMgr
 * uses them.  The options are read here; the reading and the checks are
 * cert_run.c's, the report report_cert.c's. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/cert.h"
#include "spnaudit/dir_pool.h"
#include "spnaudit/display.h"
#include "spnaudit/finding.h"
#include "spnaudit/output.h"
#include "spnaudit/report_cert.h"
#include "spnaudit/secret.h"

typedef struct cert_opts {
    sa_strv paths, hosts;
    bool from_directory; /* a directory option or -c given: the published certificates */
    bool templates;      /* --templates: the forest's certificate templates too */
    dir_args d;
    sa_krb_options krb;
    sa_groupconf conf;
    const char *password_file, *password_env;
    sa_cert_trust trust;
    int expiry_days;
    out_args out;
    out_format format;
} cert_opts;

static void
cert_help(void)
{
    printf("Usage: spnaudit cert [OPTIONS] FILE...\n"
           "   or: spnaudit cert [OPTIONS] {-d DOMAIN|-s DC|-c FILE} [--host FQDN]...\n"
           "Check certificates as OpsMgr uses them where Kerberos cannot work: enhanced\n"
           "key usage, private key, CryptoAPI provider and key spec, names, validity,\n"
           "chain, key and signature; with the serial number MOMCertImport writes.\n"
           "The first form checks certificate files; the second, the certificates\n"
           "published on the hosts' computer objects (userCertificate, without their\n"
           "keys): of each --host, else of the management servers and gateways of -c.\n\n"
           "Files: PKCS#12 (.pfx, .p12), PEM or DER (.cer, .crt), told apart by content.\n"
           "      --host FQDN           the host the certificates are for (default: each\n"
           "                            one's own name); once for all files, or once per\n"
           "                            file, in their order; from the directory: a host\n"
           "                            to read (repeatable)\n"
           "      --password-file FILE  the PKCS#12 password, first line of FILE (not\n"
           "                            readable by others; default: asked for)\n"
           "      --password-env VAR    the PKCS#12 password, from variable VAR\n"
           "      --ca-file FILE        trusted root certificates (PEM) for the chain\n"
           "      --ca-dir DIR          a directory of them (c_rehash names); default:\n"
           "                            the system's store\n"
           "      --expiry-warning DAYS warn when a certificate ends within DAYS\n"
           "                            (default 30, 0-3650)\n"
           "Directory (the second form):\n"
           "  -d, --domain DOMAIN       DNS name of the hosts' domain (repeatable: a host\n"
           "                            is read in the longest one its name is under,\n"
           "                            else in its own DNS suffix)\n"
           "  -s, --server HOST         domain controller to ask (repeatable, in order)\n"
           "  -H, --uri URI             LDAP URI of the DC (overrides --server)\n"
           "      --timeout SECONDS     connect and per-operation timeout (default 30)\n"
           "      --templates           the forest's certificate templates too (the\n"
           "                            Configuration partition): which can issue what\n"
           "                            OpsMgr accepts, and why not the others\n"
           "  -c, --config FILE         the management group's configuration (see\n"
           "                            spnaudit.conf(5)): its servers and gateways, and\n"
           "                            directory defaults\n"
           "Binding (default: SASL GSSAPI with Kerberos, signed and sealed):\n"
           "      --ldaps               LDAP over TLS, port 636\n"
           "      --starttls            LDAP, then StartTLS\n"
           "      --ldap-ca-file FILE   CA certificates (PEM) to verify the DC's certificate\n"
           "                            (default: the system's; --ca-file is the chain's)\n"
           "      --insecure-skip-tls-verify  accept any certificate: for tests only\n"
           "      --bind-user USER      simple bind as USER, only over --ldaps or --starttls\n"
           "      --bind-password-file FILE  its password, first line of FILE\n"
           "      --bind-password-env VAR    its password, from variable VAR\n" KRB_HELP_CREDENTIALS
               KRB_HELP_TIMEOUT "Output:\n"
           "  -f, --format FORMAT       text (default), json, prometheus (days to expiry\n"
           "                            per certificate) or nagios\n" OUT_HELP
           "  -h, --help                this help\n\n"
           "Exit status: 0 no finding, 1 warnings, 2 failures, 3 a file or a host could not\n"
           "be read (or the directory could not),\n"
           "64 bad usage.\n");
}

enum {
    OPT_HOST = 256,
    OPT_PASSWORD_FILE,
    OPT_PASSWORD_ENV,
    OPT_CA_FILE,
    OPT_CA_DIR,
    OPT_EXPIRY,
    OPT_TEMPLATES
};

/* One option of cert's own; -1 to go on, or the exit status. */
static int
cert_option(int c, const char *arg, cert_opts *o, char **argv, const struct option *longopts)
{
    switch (c) {
    case OPT_HOST:
        if (*arg == '\0' || strpbrk(arg, " \t/\\@") != NULL)
            return usage_error("cert", "--host wants a host's FQDN like ms01.contoso.com, not '%s'", arg);
        return sa_strv_add(&o->hosts, arg) ? -1 : usage_error("cert", "out of memory");
    case OPT_PASSWORD_FILE:
        o->password_file = arg;
        return -1;
    case OPT_PASSWORD_ENV:
        o->password_env = arg;
        return -1;
    case OPT_CA_FILE:
        o->trust.ca_file = arg;
        return -1;
    case OPT_CA_DIR:
        o->trust.ca_dir = arg;
        return -1;
    case OPT_TEMPLATES:
        o->templates = true;
        return -1;
    case OPT_EXPIRY:
        return parse_int(arg, 0, 3650, &o->expiry_days)
                   ? -1
                   : usage_error("cert", "--expiry-warning wants a number of days from 0 to 3650, not '%s'",
                                 arg);
    case 'f':
        return format_option("cert", arg, CERT_FORMATS,
                             &o->format);
    case 'h':
        cert_help();
        return 0;
    default:
        return bad_option("cert", c, argv, longopts);
    }
}

/* The second form's hosts (--host, else -c's servers and gateways) and
 * the domains they lie in; -1 to go on, or the exit status. */
static int
directory_args(cert_opts *o)
{
    bool from_cli = o->hosts.n > 0;

    if (o->paths.n > 0)
        return usage_error("cert",
                           "'%s': give certificate files or a directory to read (--domain, --server, "
                           "--uri or -c FILE), not both",
                           o->paths.items[0]);
    if (o->password_file != NULL || o->password_env != NULL)
        return usage_error("cert",
                           "%s is a PKCS#12 file's password; published certificates have none (the "
                           "simple bind's is --bind-password-file or --bind-password-env)",
                           o->password_file ? "--password-file" : "--password-env");
    for (size_t i = 0; !from_cli && i < o->conf.management_servers.n + o->conf.gateways.n; i++) {
        size_t n = o->conf.management_servers.n;
        if (!sa_strv_add_unique_ci(&o->hosts, i < n ? o->conf.management_servers.items[i]
                                                    : o->conf.gateways.items[i - n]))
            return usage_error("cert", "out of memory");
    }
    if (o->hosts.n == 0 && !o->templates)
        return usage_error("cert", "no host to read: give --host FQDN, or management_servers and gateways in "
                                   "the configuration file (or --templates alone)");
    for (size_t i = 0; i < o->hosts.n; i++) {
        if (!sa_valid_fqdn(o->hosts.items[i]))
            return usage_error(
                "cert", "--host %s: computer objects are found by full host names, like ms01.contoso.com",
                o->hosts.items[i]);
    }
    return dir_args_finish("cert", &o->d);
}

/* The options of cert: getopt_long's table, and the completion scripts'. */
const struct option cert_options[] = {
    {"host", required_argument, NULL, OPT_HOST}, /* no -H: it is --uri */
    /* the directory's, but --ca-file and --password-* are the certificates' */
    {"domain", required_argument, NULL, 'd'},
    {"server", required_argument, NULL, 's'},
    {"uri", required_argument, NULL, 'H'},
    {"timeout", required_argument, NULL, 'T'},
    {"ldaps", no_argument, NULL, 'L'},
    {"starttls", no_argument, NULL, 'S'},
    {"ldap-ca-file", required_argument, NULL, 'A'},
    {"insecure-skip-tls-verify", no_argument, NULL, 'I'},
    {"bind-user", required_argument, NULL, 'U'},
    {"bind-password-file", required_argument, NULL, 'W'},
    {"bind-password-env", required_argument, NULL, 'E'},
    {"config", required_argument, NULL, 'c'},
    {"keytab", required_argument, NULL, 'k'},
    {"principal", required_argument, NULL, 'p'},
    {"kdc-timeout", required_argument, NULL, 'K'},
    {"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
    {"password-env", required_argument, NULL, OPT_PASSWORD_ENV},
    {"ca-file", required_argument, NULL, OPT_CA_FILE},
    {"ca-dir", required_argument, NULL, OPT_CA_DIR},
    {"expiry-warning", required_argument, NULL, OPT_EXPIRY},
    {"templates", no_argument, NULL, OPT_TEMPLATES},
    {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    OUT_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* The options and files; -1 to go on, or the exit status. */
static int
cert_parse(int argc, char **argv, cert_opts *o)
{
    int c, rc;

    if ((rc = dir_config_load("cert", argc, argv, &o->conf, &o->d, &o->krb)) >= 0)
        return rc;
    o->from_directory = config_path(argc, argv) != NULL;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" DIR_SHORT_OPTIONS "c:f:hk:p:" OUT_SHORT_OPTIONS, cert_options,
                            NULL)) != -1) {
        int handled = out_option("cert", c, optarg, &o->out);

        if (handled == 0 && (handled = dir_option("cert", c, optarg, &o->d)) == 1)
            o->from_directory = true;
        if (handled == 0)
            handled = krb_option("cert", c, optarg, &o->krb, NULL);
        if (handled > 1)
            return handled;
        if (handled == 0 && c != 'c' && (rc = cert_option(c, optarg, o, argv, cert_options)) >= 0)
            return rc;
    }
    if (o->password_file != NULL && o->password_env != NULL)
        return usage_error("cert", "--password-file and --password-env: give one of them");
    for (int i = optind; i < argc; i++) {
        for (size_t k = 0; k < o->paths.n; k++) {
            if (strcmp(o->paths.items[k], argv[i]) == 0)
                return usage_error("cert", "'%s' is named twice", argv[i]);
        }
        if (!sa_strv_add(&o->paths, argv[i]))
            return usage_error("cert", "out of memory");
    }
    if (o->templates && !o->from_directory)
        return usage_error("cert",
                           "--templates reads the directory: add --domain, --server, --uri or -c FILE");
    if (o->from_directory)
        return directory_args(o);
    if (o->paths.n == 0)
        return usage_error("cert", "no certificate file to check: name one or more (PFX, PEM or DER), or a "
                                   "directory to read (--domain, --server or -c FILE)");
    return -1;
}

/* sa_cert_ask_fn: the PKCS#12 password, asked on the terminal. */
static sa_status
ask_password(void *ctx, const char *path, char **password, sa_error *err)
{
    char *shown = sa_shown_dup(path), *prompt = NULL;
    sa_status st;

    (void)ctx;
    prompt = sa_strdup_printf("Password of the PKCS#12 file %s", shown ? shown : "?");
    st = prompt ? sa_secret_prompt(prompt, true, password, err) : sa_error_nomem(err);
    free(prompt);
    free(shown);
    return st;
}

/* What the writer of the report needs. */
typedef struct cert_job {
    const sa_cert_report *r;
    out_format format;
} cert_job;

static int
write_report(FILE *out, void *data)
{
    const cert_job *job = data;

    switch (job->format) {
    case FMT_JSON:
        return sa_cert_report_json(job->r, out);
    case FMT_PROMETHEUS:
        return sa_cert_report_prometheus(job->r, out);
    case FMT_NAGIOS:
        return sa_cert_report_nagios(job->r, out);
    default:
        return sa_cert_report_text(job->r, out);
    }
}

/* The password given, if any: -1 to go on, or the exit status. */
static int
given_password(const cert_opts *o, char **password)
{
    sa_error err = {SA_OK, ""};
    sa_status st = SA_OK;

    if (o->password_file != NULL)
        st = sa_secret_from_file(o->password_file, password, &err);
    else if (o->password_env != NULL)
        st = sa_secret_from_env(o->password_env, password, &err);
    if (st == SA_OK)
        return -1;
    sa_show_printf(stderr, "spnaudit cert: %s\n", err.message);
    return st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
}

/* The trust anchors, in words for the report. */
static char *
trust_words(const sa_cert_trust *t)
{
    if (t->ca_file != NULL && t->ca_dir != NULL)
        return sa_strdup_printf("%s and %s", t->ca_file, t->ca_dir);
    if (t->ca_file != NULL || t->ca_dir != NULL)
        return strdup(t->ca_file ? t->ca_file : t->ca_dir);
    return strdup("the system's store");
}

/* The certificates of the files, or of the hosts' computer objects. */
static sa_status
run_checks(cert_opts *o, const char *password, int64_t now, sa_cert_run *run, sa_error *err)
{
    sa_krb *krb = NULL;
    sa_dir_pool pool;
    char *default_domain = NULL;
    sa_status st;

    if (!o->from_directory)
        return sa_cert_run_files(&(sa_cert_run_config){&o->paths, &o->hosts, password, ask_password, NULL,
                                                       "give it with --password-file, --password-env or at "
                                                       "the prompt",
                                                       &o->trust, now, o->expiry_days},
                                 run, err);
    memset(&pool, 0, sizeof(pool));
    st = open_credentials("cert", &o->krb, &o->d, false, &krb, &default_domain, err);
    if (st == SA_OK) {
        sa_dir_pool_init(&pool, &o->d.dir, &o->d.dcs, &o->d.domains);
        st = sa_cert_run_directory(&(sa_cert_dir_config){&o->hosts, &o->d.domains, sa_dir_pool_get, &pool,
                                                         &o->trust, now, o->expiry_days, o->templates},
                                   run, err);
        for (size_t i = 0; i < pool.warnings.n; i++)
            sa_show_printf(stderr, "spnaudit cert: %s\n", pool.warnings.items[i]);
    }
    sa_dir_pool_clear(&pool);
    sa_krb_close(krb);
    free(default_domain);
    return st;
}

static void
cert_opts_clear(cert_opts *o)
{
    sa_strv_clear(&o->paths);
    sa_strv_clear(&o->hosts);
    dir_args_clear(&o->d);
    sa_groupconf_clear(&o->conf);
}

int
cmd_cert(int argc, char **argv)
{
    cert_opts o;
    sa_cert_run run;
    sa_cert_report r;
    sa_error err = {SA_OK, ""};
    char *password = NULL, *trust = NULL;
    double t0 = monotonic_seconds();
    int64_t now = (int64_t)time(NULL);
    int status;

    memset(&o, 0, sizeof(o));
    memset(&run, 0, sizeof(run));
    memset(&r, 0, sizeof(r));
    o.expiry_days = 30;
    dir_args_init(&o.d);
    o.d.name_ca_file = "--ldap-ca-file";
    o.d.name_password_file = "--bind-password-file";
    o.d.name_password_env = "--bind-password-env";
    if ((status = cert_parse(argc, argv, &o)) >= 0 || (status = given_password(&o, &password)) >= 0)
        goto cleanup;
    if (run_checks(&o, password, now, &run, &err) != SA_OK) {
        sa_show_printf(stderr, "spnaudit cert: %s\n", err.message);
        status = err.status == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        goto cleanup;
    }
    for (size_t i = 0; i < run.unread.n; i++)
        sa_show_printf(stderr, "spnaudit cert: not %s: %s\n", o.from_directory ? "checked" : "read",
                       run.unread.items[i]);
    trust = trust_words(&o.trust);
    r = (sa_cert_report){&run.certs,
                         &run.findings,
                         &run.unread,
                         trust ? trust : "?",
                         now,
                         o.expiry_days,
                         monotonic_seconds() - t0,
                         run.exit_status,
                         sa_output_width(o.out.output == NULL ? STDOUT_FILENO : -1),
                         SA_SHELL_CMD,
                         o.from_directory,
                         run.templates_read ? &run.templates : NULL};
    status = out_emit("cert", &o.out, write_report, &(cert_job){&r, o.format}, run.exit_status);
cleanup:
    free(trust);
    sa_secret_free(password);
    sa_cert_run_clear(&run);
    cert_opts_clear(&o);
    return status;
}
