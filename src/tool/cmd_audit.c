/* cmd_audit.c - "spnaudit audit": directory -> tickets -> findings -> report. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/display.h"
#include "spnaudit/signals.h"
#include "spnaudit/analysis.h"
#include "spnaudit/audit.h"
#include "spnaudit/cert.h"
#include "spnaudit/baseline.h"
#include "spnaudit/directory.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/kerberos.h"
#include "spnaudit/output.h"
#include "spnaudit/report.h"
#include "spnaudit/report_html.h"
#include "spnaudit/spn.h"

/* Options without a short form. */
enum {
    OPT_BASELINE = 256,
    OPT_BASELINE_STATUS,
    OPT_BASELINE_MISSING,
    OPT_FIX_SHELL,
    OPT_TICKETS,
    OPT_CERT_CA_FILE,
    OPT_CERT_EXPIRY,
    OPT_HTML
};

typedef struct audit_opts {
    dir_args d; /* the directory options */
    sa_krb_options krb;
    sa_strv servers;           /* --ms */
    sa_strv gateways;          /* --gateway */
    sa_strv all;               /* the servers, then the gateways */
    sa_groupconf conf;         /* -c FILE: defaults the options override */
    bool cli_ms, cli_gateways; /* lists given on the command line */
    out_format format;
    out_args out;       /* --output, --quiet, --no-color */
    const char *html;   /* --html FILE, or NULL */
    sa_shell fix_shell; /* --fix-shell */
    sa_scope_tickets tickets;
    int jobs;
    bool reachability;
    int connect_timeout;        /* seconds */
    const char *health_service; /* identities: localsystem or DOMAIN\\account */
    const char *sdk_service;
    sa_cert_trust cert_trust; /* --cert-ca-file: the servers' certificates checked */
    int cert_expiry_days;     /* --cert-expiry-warning */
    const char *baseline;     /* --baseline FILE, or NULL */
    bool baseline_new;        /* --baseline-status new: exit status from new findings */
    bool baseline_warn;       /* --baseline-missing warn */
    bool baseline_opts;       /* --baseline-status or --baseline-missing given */
} audit_opts;

/* What sa_output_write_atomic's writer needs. */
typedef struct report_job {
    const sa_report *r;
    out_format format;
} report_job;

static void
audit_help(void)
{
    printf(
        "Usage: spnaudit audit [OPTIONS]\n"
        "List the accounts holding SCOM SPNs, request tickets for the servers' SPNs, and\n"
        "report per management server what will break and which OpsMgr events follow.\n\n" DIR_HELP KRB_HELP
        "What to check:\n"
        "  -m, --ms FQDN             an expected management server (repeatable)\n"
        "  -g, --gateway FQDN        an expected gateway server (repeatable)\n"
        "  -c, --config FILE         the management group's configuration, see\n"
        "                            spnaudit.conf(5); options given here override it\n"
        "      --tickets all|servers|none  request a service ticket for every SPN read,\n"
        "                            for the SPNs of the servers named (default), or none\n"
        "      --no-tickets          the same as --tickets none\n"
        "      --no-reachability     do not resolve the servers or connect to TCP 5723\n"
        "      --connect-timeout SECONDS  for the TCP 5723 connects (default 5)\n"
        "      --health-service ID   the Health Service's identity on the management\n"
        "                            servers: localsystem (default) or DOMAIN\\account\n"
        "      --sdk-service ID      the SDK service's identity: localsystem or\n"
        "                            DOMAIN\\account (default: unknown; its SPNs are\n"
        "                            then checked only where some exist)\n"
        "      --cert-ca-file FILE   check the certificates published on the servers'\n"
        "                            and gateways' computer objects too, as spnaudit\n"
        "                            cert does, their chains to the CAs of FILE (PEM:\n"
        "                            the root and issuing CAs)\n"
        "      --cert-expiry-warning DAYS  warn when one ends within DAYS (default 30)\n"
        "Output:\n"
        "  -f, --format FORMAT       text (default), json, csv, prometheus (for the\n"
        "                            node_exporter textfile collector), nagios or html\n"
        "                            (one self-contained page)\n"
        "      --html FILE           also write the HTML report to FILE, atomically,\n"
        "                            whatever --format is\n"
        "      --fix-shell cmd|powershell  the shell the fix commands of the text, HTML\n"
        "                            and CSV reports are written for (default cmd);\n"
        "                            JSON holds both\n" OUT_HELP "  -h, --help                this help\n"
        "Changes since an earlier audit:\n"
        "      --baseline FILE       an earlier report (--format json): findings are\n"
        "                            marked new or persisting, its findings gone fixed;\n"
        "                            what only one of the two covered is not compared\n"
        "      --baseline-status new|all  the exit status counts the new findings only,\n"
        "                            or all of them (default all)\n"
        "      --baseline-missing error|warn  a missing or corrupt baseline is an error\n"
        "                            (exit 3; default), or a warning and a full report\n"
        "                            without changes\n\n"
        "Exit status: 0 clean, 1 warnings, 2 failures, 3 audit incomplete, 64 bad usage.\n");
}

/* -c FILE: its directory and credential settings (dir_config_load) and
 * audit's own, as defaults; -1 to go on, or an exit status. */
static int
apply_config(int argc, char **argv, audit_opts *o)
{
    sa_groupconf *c = &o->conf;
    int rc;

    if ((rc = dir_config_load("audit", argc, argv, c, &o->d, &o->krb)) >= 0 ||
        config_path(argc, argv) == NULL)
        return rc;
    o->health_service = c->health_service;
    o->sdk_service = c->sdk_service;
    if (c->jobs != SA_UNSET)
        o->jobs = c->jobs;
    if (c->connect_timeout != SA_UNSET)
        o->connect_timeout = c->connect_timeout;
    if (c->reachability != SA_UNSET)
        o->reachability = c->reachability;
    if (c->tickets != SA_UNSET)
        o->tickets = (sa_scope_tickets)c->tickets;
    if (!sa_strv_add_all(&o->servers, &c->management_servers, 0, false) ||
        !sa_strv_add_all(&o->gateways, &c->gateways, 0, false))
        return usage_error("audit", "out of memory");
    return -1;
}

/* One option of audit's own: -1 handled, -2 not ours, else an exit
 * status. */
static int
audit_option(int c, const char *arg, audit_opts *o)
{
    switch (c) {
    case 'm':
        if (!sa_valid_fqdn(arg))
            return usage_error("audit",
                               "--ms wants a fully qualified host name like ms01.contoso.com, not '%s'", arg);
        if (!o->cli_ms)
            sa_strv_clear(&o->servers);
        o->cli_ms = true;
        if (!sa_strv_add_unique_ci(&o->servers, arg))
            return usage_error("audit", "out of memory");
        break;
    case 'Y':
    case 'Q': {
        char buf[256];
        if (!sa_identity_is_local_system(arg) && *sa_identity_account(arg, buf, sizeof(buf)) == '\0')
            return usage_error("audit", "%s wants localsystem or DOMAIN\\account, not '%s'",
                               c == 'Y' ? "--health-service" : "--sdk-service", arg);
        if (c == 'Y')
            o->health_service = arg;
        else
            o->sdk_service = arg;
        break;
    }
    case 'N':
        o->tickets = SA_SCOPE_TICKETS_NONE;
        break;
    case OPT_TICKETS:
        if (!sa_scope_tickets_parse(arg, &o->tickets))
            return usage_error("audit", "--tickets wants all, servers or none, not '%s'", arg);
        break;
    case 'R':
        o->reachability = false;
        break;
    case 'c':
        break; /* read before the other options */
    case 'g':
        if (!sa_valid_fqdn(arg))
            return usage_error("audit", "--gateway wants a fully qualified host name, not '%s'", arg);
        if (!o->cli_gateways)
            sa_strv_clear(&o->gateways);
        o->cli_gateways = true;
        if (!sa_strv_add_unique_ci(&o->gateways, arg))
            return usage_error("audit", "out of memory");
        break;
    case 'O':
        if (!parse_int(arg, 1, 600, &o->connect_timeout))
            return usage_error("audit", "--connect-timeout wants seconds from 1 to 600, not '%s'", arg);
        break;
    case 'f':
        if ((c = format_option("audit", arg, AUDIT_FORMATS, &o->format)) >= 0)
            return c;
        break;
    case OPT_BASELINE:
        if (*arg == '\0')
            return usage_error("audit", "--baseline wants the file of an earlier JSON report");
        o->baseline = arg;
        break;
    case OPT_BASELINE_STATUS:
        if (strcmp(arg, "new") != 0 && strcmp(arg, "all") != 0)
            return usage_error("audit", "--baseline-status wants new or all, not '%s'", arg);
        o->baseline_new = strcmp(arg, "new") == 0;
        o->baseline_opts = true;
        break;
    case OPT_BASELINE_MISSING:
        if (strcmp(arg, "error") != 0 && strcmp(arg, "warn") != 0)
            return usage_error("audit", "--baseline-missing wants error or warn, not '%s'", arg);
        o->baseline_warn = strcmp(arg, "warn") == 0;
        o->baseline_opts = true;
        break;
    case OPT_FIX_SHELL:
        if (!sa_shell_parse(arg, &o->fix_shell))
            return usage_error("audit", "--fix-shell wants cmd or powershell, not '%s'", arg);
        break;
    case OPT_HTML:
        if (*arg == '\0')
            return usage_error("audit", "--html wants a file name");
        return out_file_checked("audit", arg, &o->html) == 1 ? -1 : SA_EXIT_USAGE;
    case OPT_CERT_CA_FILE:
        if (*arg == '\0')
            return usage_error("audit", "--cert-ca-file wants a file of PEM certificates");
        o->cert_trust.ca_file = arg;
        break;
    case OPT_CERT_EXPIRY:
        if (!parse_int(arg, 0, 3650, &o->cert_expiry_days))
            return usage_error("audit",
                               "--cert-expiry-warning wants a number of days from 0 to 3650, not '%s'", arg);
        break;
    case 'h':
        audit_help();
        return 0;
    default:
        return -2;
    }
    return -1;
}

/* --cert-ca-file: read now, before any directory work, so that a wrong
 * file is a usage error; -1 to go on, else an exit status. */
static int
cert_anchors_readable(const audit_opts *o)
{
    sa_cert_store *store = NULL;
    sa_error err = {SA_OK, ""};

    if (o->cert_trust.ca_file == NULL)
        return -1;
    if (sa_cert_store_open(&o->cert_trust, &store, &err) != SA_OK)
        return usage_error("audit", "--cert-ca-file: %s", err.message);
    sa_cert_store_close(store);
    return -1;
}

/* a and b name one file: the same name, or the same existing file */
static bool
same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    if (strcmp(a, b) == 0)
        return true;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* After the options: the server list, the checks between options; -1 to
 * go on, else an exit status. */
static int
finish_options(audit_opts *o)
{
    int c;

    if (o->baseline_opts && o->baseline == NULL)
        return usage_error("audit", "--baseline-status and --baseline-missing need --baseline FILE");
    /* else the page would replace the report just written */
    if (o->html != NULL && o->out.output != NULL && same_file(o->html, o->out.output))
        return usage_error("audit", "--html %s is also the --output file: name another", o->html);
    for (size_t i = 0; i < o->servers.n; i++) {
        if (!sa_strv_add(&o->all, o->servers.items[i]))
            return usage_error("audit", "out of memory");
    }
    for (size_t i = 0; i < o->gateways.n; i++) {
        if (sa_strv_contains_ci(&o->all, o->gateways.items[i]))
            return usage_error("audit", "%s is named both as a management server and as a gateway",
                               o->gateways.items[i]);
        if (!sa_strv_add(&o->all, o->gateways.items[i]))
            return usage_error("audit", "out of memory");
    }
    if ((c = dir_args_finish("audit", &o->d)) >= 0)
        return c;
    return cert_anchors_readable(o);
}

/* The options of audit: getopt_long's table, and the completion scripts'. */
const struct option audit_options[] = {
    {"ms", required_argument, NULL, 'm'},
    {"no-tickets", no_argument, NULL, 'N'},
    {"tickets", required_argument, NULL, OPT_TICKETS},
    {"no-reachability", no_argument, NULL, 'R'},
    {"connect-timeout", required_argument, NULL, 'O'},
    {"config", required_argument, NULL, 'c'},
    {"gateway", required_argument, NULL, 'g'},
    {"format", required_argument, NULL, 'f'},
    {"fix-shell", required_argument, NULL, OPT_FIX_SHELL},
    {"html", required_argument, NULL, OPT_HTML},
    {"cert-ca-file", required_argument, NULL, OPT_CERT_CA_FILE},
    {"cert-expiry-warning", required_argument, NULL, OPT_CERT_EXPIRY},
    {"help", no_argument, NULL, 'h'},
    {"health-service", required_argument, NULL, 'Y'},
    {"sdk-service", required_argument, NULL, 'Q'},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"baseline-status", required_argument, NULL, OPT_BASELINE_STATUS},
    {"baseline-missing", required_argument, NULL, OPT_BASELINE_MISSING},
    DIR_LONG_OPTIONS,
    KRB_LONG_OPTIONS,
    OUT_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* Returns -1 to go on, else an exit status. */
static int
parse_options(int argc, char **argv, audit_opts *o)
{
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" DIR_SHORT_OPTIONS "m:f:c:g:h" KRB_SHORT_OPTIONS OUT_SHORT_OPTIONS,
                            audit_options, NULL)) != -1) {
        int handled = dir_option("audit", c, optarg, &o->d);

        if (handled == 0)
            handled = krb_option("audit", c, optarg, &o->krb, &o->jobs);
        if (handled == 0)
            handled = out_option("audit", c, optarg, &o->out);
        if (handled > 1)
            return handled;
        if (handled == 1)
            continue;
        if ((handled = audit_option(c, optarg, o)) == -2)
            return bad_option("audit", c, argv, audit_options);
        if (handled >= 0)
            return handled;
    }
    if (optind < argc)
        return usage_error("audit", "unexpected argument '%s'", argv[optind]);
    return finish_options(o);
}

static int
write_report(FILE *out, void *data)
{
    const report_job *job = data;

    switch (job->format) {
    case FMT_JSON:
        return sa_report_json(job->r, out);
    case FMT_CSV:
        return sa_report_csv(job->r, out);
    case FMT_PROMETHEUS:
        return sa_report_prometheus(job->r, out);
    case FMT_NAGIOS:
        return sa_report_nagios(job->r, out);
    case FMT_HTML:
        return sa_report_html(job->r, out);
    case FMT_TEXT:
    case FMT_DOT:
    case FMT_COUNT:
        break;
    }
    return sa_report_text(job->r, out);
}

/* Read --baseline; -1 to go on (*have set when it was read), else an exit
 * status. */
static int
load_baseline(const audit_opts *o, sa_baseline *b, bool *have)
{
    sa_error err = {SA_OK, ""};

    *have = false;
    if (o->baseline == NULL)
        return -1;
    if (sa_baseline_load(o->baseline, b, &err) != SA_OK) {
        if (!o->baseline_warn) {
            sa_show_printf(stderr, "spnaudit audit: cannot compare with the baseline: %s\n", err.message);
            return SA_EXIT_INCOMPLETE;
        }
        sa_show_printf(stderr, "spnaudit audit: warning: %s; the report shows no changes\n", err.message);
        return -1;
    }
    if (!b->complete)
        fprintf(stderr,
                "spnaudit audit: warning: the baseline %s reports an incomplete audit: findings it "
                "lacks are not compared\n",
                b->file);
    *have = true;
    return -1;
}

/* The pipeline's configuration from the options. */
static void
audit_config(audit_opts *o, sa_krb *krb, sa_audit_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->ds.base = o->d.dir;
    cfg->ds.base.global_catalog = false; /* the home domain through its DCs, never the GC */
    cfg->ds.dcs = &o->d.dcs;
    cfg->ds.domains = &o->d.domains;
    cfg->forest = o->d.dir.global_catalog;
    cfg->classes = &o->d.classes;
    cfg->servers = &o->servers;
    cfg->gateways = &o->gateways;
    cfg->tickets = o->tickets;
    cfg->jobs = o->jobs;
    cfg->reachability = o->reachability;
    cfg->connect_timeout_ms = o->connect_timeout * 1000;
    cfg->health_service = o->health_service;
    cfg->sdk_service = o->sdk_service;
    cfg->krb = krb;
    cfg->cert_trust = o->cert_trust.ca_file != NULL ? &o->cert_trust : NULL;
    cfg->cert_expiry_days = o->cert_expiry_days;
    cfg->progress = stderr; /* a bar when it is a terminal */
}

/* Options and configuration; -1 to go on, else an exit status. */
static int
audit_setup(int argc, char **argv, audit_opts *o, sa_baseline *baseline, bool *have_baseline)
{
    int rc;

    dir_args_init(&o->d);
    o->tickets = SA_SCOPE_TICKETS_SERVERS;
    o->jobs = 8;
    o->reachability = true;
    o->connect_timeout = 5;
    o->cert_expiry_days = 30;
    rc = apply_config(argc, argv, o);
    if (rc < 0)
        rc = parse_options(argc, argv, o);
    if (rc < 0)
        rc = load_baseline(o, baseline, have_baseline);
    if (rc < 0 && o->out.output != NULL)
        sa_signals_target(o->out.output); /* an interrupted run names it */
    return rc;
}

/* The findings against the baseline, and the exit status. */
static int
audit_status(const audit_opts *o, sa_audit *a, sa_baseline *baseline, bool have_baseline, sa_comparison *cmp,
             bool *compared)
{
    sa_error err = {SA_OK, ""};
    sa_coverage now = {&a->scope, a->complete};

    if (have_baseline) {
        if (sa_baseline_compare(&baseline->findings, sa_baseline_coverage(baseline), &a->findings, now, cmp,
                                &err) != SA_OK) {
            sa_show_printf(stderr, "spnaudit audit: %s while comparing with the baseline %s\n", err.message,
                           baseline->file);
            return SA_EXIT_INCOMPLETE;
        }
        *compared = true;
    }
    return *compared && o->baseline_new ? sa_baseline_exit_status(&a->findings, a->complete)
                                        : sa_findings_exit_status(&a->findings, a->complete);
}

int
cmd_audit(int argc, char **argv)
{
    audit_opts o;
    sa_error err = {SA_OK, ""};
    sa_krb *krb = NULL;
    sa_audit a;
    sa_audit_config cfg;
    sa_comparison cmp;
    sa_baseline baseline;
    sa_report r;
    char *default_domain = NULL;
    double t0 = monotonic_seconds();
    bool have_baseline = false, compared = false, have_data = false;
    sa_status st;
    int status = SA_EXIT_INCOMPLETE, rc;

    memset(&o, 0, sizeof(o));
    memset(&a, 0, sizeof(a));
    memset(&r, 0, sizeof(r));
    memset(&baseline, 0, sizeof(baseline));
    memset(&cmp, 0, sizeof(cmp));
    if ((rc = audit_setup(argc, argv, &o, &baseline, &have_baseline)) >= 0) {
        status = rc;
        goto cleanup;
    }
    st = open_credentials("audit", &o.krb, &o.d, o.tickets != SA_SCOPE_TICKETS_NONE, &krb, &default_domain,
                          &err);
    audit_config(&o, krb, &cfg);
    if (st == SA_OK)
        st = sa_audit_connect(&cfg, &a, &err);
    if (st != SA_OK) {
        sa_show_printf(stderr, "spnaudit audit: %s\n", err.message);
        status = st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        /* Monitoring (JSON, Prometheus, Nagios) still gets an answer that
         * says why; CSV and text get nothing but the exit status. */
        have_data = o.format != FMT_TEXT && o.format != FMT_CSV && o.format != FMT_HTML &&
                    status == SA_EXIT_INCOMPLETE;
        (void)sa_audit_incomplete(&a, "%s", err.message);
        goto cleanup;
    }
    have_data = true;
    if (sa_audit_run(&cfg, &a, &err) != SA_OK) {
        sa_show_printf(stderr, "spnaudit audit: %s\n", err.message);
        (void)sa_audit_incomplete(&a, "%s", err.message);
        goto cleanup;
    }
    if (!a.complete && a.reason != NULL)
        sa_show_printf(stderr, "spnaudit audit: %s\n", a.reason);
    status = audit_status(&o, &a, &baseline, have_baseline, &cmp, &compared);

cleanup:
    if (have_data) {
        sa_audit_report(&cfg, &a, &r);
        r.client = krb ? sa_krb_client(krb) : NULL;
        r.tickets = o.tickets != SA_SCOPE_TICKETS_NONE ? &a.tickets : NULL;
        r.complete = r.complete && status != SA_EXIT_INCOMPLETE;
        r.seconds = monotonic_seconds() - t0;
        r.exit_status = status;
        r.timestamp = epoch_seconds();
        r.color = o.format == FMT_TEXT && out_use_color(&o.out);
        r.width = sa_output_width(o.out.output == NULL ? STDOUT_FILENO : -1);
        r.fix_shell = o.fix_shell;
        r.baseline_file = compared ? baseline.file : NULL;
        r.baseline_generated = compared ? baseline.generated : NULL;
        r.comparison = compared ? &cmp : NULL;
        status = out_emit("audit", &o.out, write_report, &(report_job){&r, o.format}, status);
        if (o.html != NULL)
            status = out_emit_file("audit", o.html, write_report, &(report_job){&r, FMT_HTML}, status);
        if (r.discovered != NULL && (o.format != FMT_TEXT || o.out.output != NULL)) {
            r.width = sa_output_width(STDERR_FILENO);
            sa_report_no_servers_text(&r, stderr); /* the report itself does not say it */
        }
    }
    free(default_domain);
    sa_audit_clear(&a);
    sa_comparison_clear(&cmp);
    sa_baseline_clear(&baseline);
    sa_krb_close(krb);
    sa_strv_clear(&o.servers);
    sa_strv_clear(&o.gateways);
    sa_strv_clear(&o.all);
    sa_groupconf_clear(&o.conf);
    dir_args_clear(&o.d);
    return status;
}
