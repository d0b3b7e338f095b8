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
#include "spnaudit/display.h"
#include "spnaudit/finding.h"
#include "spnaudit/output.h"
#include "spnaudit/report_cert.h"
#include "spnaudit/secret.h"

typedef struct cert_opts {
    sa_strv paths, hosts;
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
           "Check certificates as OpsMgr uses them where Kerberos cannot work: enhanced\n"
           "key usage, private key, CryptoAPI provider and key spec, names, validity,\n"
           "chain, key and signature; with the serial number MOMCertImport writes.\n\n"
           "Files: PKCS#12 (.pfx, .p12), PEM or DER (.cer, .crt), told apart by content.\n"
           "      --host FQDN           the host the certificates are for (default: each\n"
           "                            one's own name); once for all files, or once per\n"
           "                            file, in their order\n"
           "      --password-file FILE  the PKCS#12 password, first line of FILE (not\n"
           "                            readable by others; default: asked for)\n"
           "      --password-env VAR    the PKCS#12 password, from variable VAR\n"
           "      --ca-file FILE        trusted root certificates (PEM) for the chain\n"
           "      --ca-dir DIR          a directory of them (c_rehash names); default:\n"
           "                            the system's store\n"
           "      --expiry-warning DAYS warn when a certificate ends within DAYS\n"
           "                            (default 30, 0-3650)\n"
           "Output:\n"
           "  -f, --format FORMAT       text (default), json, prometheus (days to expiry\n"
           "                            per certificate) or nagios\n" OUT_HELP
           "  -h, --help                this help\n\n"
           "Exit status: 0 no finding, 1 warnings, 2 failures, 3 a file could not be read,\n"
           "64 bad usage.\n");
}

enum { OPT_HOST = 256, OPT_PASSWORD_FILE, OPT_PASSWORD_ENV, OPT_CA_FILE, OPT_CA_DIR, OPT_EXPIRY };

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
    case OPT_EXPIRY:
        return parse_int(arg, 0, 3650, &o->expiry_days)
                   ? -1
                   : usage_error("cert", "--expiry-warning wants a number of days from 0 to 3650, not '%s'",
                                 arg);
    case 'f':
        return format_option("cert", arg, FMTS_TEXT_JSON | FMT_BIT(FMT_PROMETHEUS) | FMT_BIT(FMT_NAGIOS),
                             &o->format);
    case 'h':
        cert_help();
        return 0;
    default:
        return bad_option("cert", c, argv, longopts);
    }
}

/* The options and files; -1 to go on, or the exit status. */
static int
cert_parse(int argc, char **argv, cert_opts *o)
{
    static const struct option longopts[] = {
        {"host", required_argument, NULL, OPT_HOST}, /* no -H: it is --uri elsewhere */
        {"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
        {"password-env", required_argument, NULL, OPT_PASSWORD_ENV},
        {"ca-file", required_argument, NULL, OPT_CA_FILE},
        {"ca-dir", required_argument, NULL, OPT_CA_DIR},
        {"expiry-warning", required_argument, NULL, OPT_EXPIRY},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        OUT_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c, rc;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:h" OUT_SHORT_OPTIONS, longopts, NULL)) != -1) {
        int handled = out_option("cert", c, optarg, &o->out);

        if (handled > 1)
            return handled;
        if (handled == 0 && (rc = cert_option(c, optarg, o, argv, longopts)) >= 0)
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
    if (o->paths.n == 0)
        return usage_error("cert", "no certificate file to check: name one or more (PFX, PEM or DER)");
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
    if ((status = cert_parse(argc, argv, &o)) >= 0 || (status = given_password(&o, &password)) >= 0)
        goto cleanup;
    if (sa_cert_run_files(&(sa_cert_run_config){&o.paths, &o.hosts, password, ask_password, NULL, &o.trust,
                                                now, o.expiry_days},
                          &run, &err) != SA_OK) {
        sa_show_printf(stderr, "spnaudit cert: %s\n", err.message);
        status = err.status == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        goto cleanup;
    }
    for (size_t i = 0; i < run.unread.n; i++)
        sa_show_printf(stderr, "spnaudit cert: not read: %s\n", run.unread.items[i]);
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
                         SA_SHELL_CMD};
    status = out_emit("cert", &o.out, write_report, &(cert_job){&r, o.format}, run.exit_status);
cleanup:
    free(trust);
    sa_secret_free(password);
    sa_cert_run_clear(&run);
    sa_strv_clear(&o.paths);
    sa_strv_clear(&o.hosts);
    return status;
}
