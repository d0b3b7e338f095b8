/* cmd_audit.c - "spnaudit audit": directory -> tickets -> findings -> report. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/analysis.h"
#include "spnaudit/baseline.h"
#include "spnaudit/directory.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/kerberos.h"
#include "spnaudit/output.h"
#include "spnaudit/report.h"
#include "spnaudit/spn.h"

/* Below this many tickets, no progress line: the run is short. */
#define PROGRESS_MIN_TICKETS 100

/* Options without a short form. */
enum { OPT_OUTPUT = 256, OPT_QUIET, OPT_BASELINE, OPT_BASELINE_STATUS, OPT_BASELINE_MISSING };

typedef struct audit_opts {
    dir_args d; /* the directory options */
    sa_krb_options krb;
    sa_strv servers;           /* --ms */
    sa_strv gateways;          /* --gateway */
    sa_strv all;               /* the servers, then the gateways */
    sa_groupconf conf;         /* -c FILE: defaults the options override */
    bool cli_ms, cli_gateways; /* lists given on the command line */
    out_format format;
    bool no_color; /* --no-color */
    bool tickets;
    int jobs;
    bool reachability;
    int connect_timeout;        /* seconds */
    const char *health_service; /* identities: localsystem or DOMAIN\\account */
    const char *sdk_service;
    const char *output;   /* --output FILE, or NULL for standard output */
    bool quiet;           /* nothing on standard output when clean */
    const char *baseline; /* --baseline FILE, or NULL */
    bool baseline_new;    /* --baseline-status new: exit status from new findings */
    bool baseline_warn;   /* --baseline-missing warn */
    bool baseline_opts;   /* --baseline-status or --baseline-missing given */
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
        "List the accounts holding SCOM SPNs, request a service ticket for each SPN, and\n"
        "report per management server what will break and which OpsMgr events follow.\n\n" DIR_HELP KRB_HELP
        "What to check:\n"
        "  -m, --ms FQDN             an expected management server (repeatable)\n"
        "  -g, --gateway FQDN        an expected gateway server (repeatable)\n"
        "  -c, --config FILE         the management group's configuration (spnaudit.conf(5));\n"
        "                            options given here override it\n"
        "      --no-tickets          do not request service tickets\n"
        "      --no-reachability     do not resolve the servers or connect to TCP 5723\n"
        "      --connect-timeout SECONDS  for the TCP 5723 connects (default 5)\n"
        "      --health-service ID   the Health Service's identity on the management\n"
        "                            servers: localsystem (default) or DOMAIN\\account\n"
        "      --sdk-service ID      the SDK service's identity: localsystem or\n"
        "                            DOMAIN\\account (default: not checked)\n"
        "Output:\n"
        "  -f, --format FORMAT       text (default), json, csv, prometheus (for the\n"
        "                            node_exporter textfile collector) or nagios\n"
        "      --no-color            no colours in the text report (also when NO_COLOR\n"
        "                            is set; colours only on a terminal anyway)\n"
        "      --output FILE         write the report to FILE, not to standard output;\n"
        "                            atomically: FILE holds the old report or the new one\n"
        "      --quiet               nothing on standard output when the audit is clean\n"
        "  -h, --help                this help\n"
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

static bool
copy_list(sa_strv *to, const sa_strv *from)
{
    for (size_t i = 0; i < from->n; i++) {
        if (!sa_strv_add(to, from->items[i]))
            return false;
    }
    return true;
}

/* The configuration file's values as defaults; -1 to go on, or an exit
 * status. */
static int
apply_config(const char *path, audit_opts *o)
{
    sa_error err = {SA_OK, ""};
    sa_groupconf *c = &o->conf;
    int rc;

    if (sa_groupconf_load(path, c, &err) != SA_OK)
        return usage_error("audit", "%s", err.message);
    if ((rc = dir_args_from_config("audit", c, &o->d, &o->krb)) >= 0)
        return rc;
    o->health_service = c->health_service;
    o->sdk_service = c->sdk_service;
    if (c->jobs != SA_UNSET)
        o->jobs = c->jobs;
    if (c->kdc_timeout != SA_UNSET)
        o->krb.kdc_timeout_ms = c->kdc_timeout * 1000;
    if (c->page_size != SA_UNSET)
        o->d.dir.page_size = c->page_size;
    if (c->timeout != SA_UNSET)
        o->d.dir.timeout = c->timeout;
    if (c->connect_timeout != SA_UNSET)
        o->connect_timeout = c->connect_timeout;
    if (c->reachability != SA_UNSET)
        o->reachability = c->reachability;
    if (c->tickets != SA_UNSET)
        o->tickets = c->tickets;
    if (!copy_list(&o->servers, &c->management_servers) || !copy_list(&o->gateways, &c->gateways) ||
        !copy_list(&o->d.classes, &c->service_classes))
        return usage_error("audit", "out of memory");
    return -1;
}

/* Returns -1 to go on, else an exit status. */
static int
parse_options(int argc, char **argv, audit_opts *o)
{
    static const struct option longopts[] = {
        {"ms", required_argument, NULL, 'm'},
        {"no-tickets", no_argument, NULL, 'N'},
        {"no-reachability", no_argument, NULL, 'R'},
        {"connect-timeout", required_argument, NULL, 'O'},
        {"config", required_argument, NULL, 'c'},
        {"gateway", required_argument, NULL, 'g'},
        {"format", required_argument, NULL, 'f'},
        {"no-color", no_argument, NULL, 'X'},
        {"help", no_argument, NULL, 'h'},
        {"health-service", required_argument, NULL, 'Y'},
        {"sdk-service", required_argument, NULL, 'Q'},
        {"output", required_argument, NULL, OPT_OUTPUT},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"baseline-status", required_argument, NULL, OPT_BASELINE_STATUS},
        {"baseline-missing", required_argument, NULL, OPT_BASELINE_MISSING},
        DIR_LONG_OPTIONS,
        KRB_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" DIR_SHORT_OPTIONS "m:f:c:g:h" KRB_SHORT_OPTIONS, longopts,
                            NULL)) != -1) {
        int handled = dir_option("audit", c, optarg, &o->d);

        if (handled == 0)
            handled = krb_option("audit", c, optarg, &o->krb, &o->jobs);

        if (handled > 1)
            return handled;
        if (handled == 1)
            continue;
        switch (c) {
        case 'm':
            if (!sa_valid_fqdn(optarg))
                return usage_error("audit",
                                   "--ms wants a fully qualified host name like ms01.contoso.com, not '%s'",
                                   optarg);
            if (!o->cli_ms)
                sa_strv_clear(&o->servers);
            o->cli_ms = true;
            if (!sa_strv_add_unique_ci(&o->servers, optarg))
                return usage_error("audit", "out of memory");
            break;
        case 'Y':
        case 'Q': {
            char buf[256];
            if (!sa_identity_is_local_system(optarg) &&
                *sa_identity_account(optarg, buf, sizeof(buf)) == '\0')
                return usage_error("audit", "%s wants localsystem or DOMAIN\\account, not '%s'",
                                   c == 'Y' ? "--health-service" : "--sdk-service", optarg);
            if (c == 'Y')
                o->health_service = optarg;
            else
                o->sdk_service = optarg;
            break;
        }
        case 'N':
            o->tickets = false;
            break;
        case 'R':
            o->reachability = false;
            break;
        case 'c':
            break; /* read before the other options */
        case 'g':
            if (!sa_valid_fqdn(optarg))
                return usage_error("audit", "--gateway wants a fully qualified host name, not '%s'", optarg);
            if (!o->cli_gateways)
                sa_strv_clear(&o->gateways);
            o->cli_gateways = true;
            if (!sa_strv_add_unique_ci(&o->gateways, optarg))
                return usage_error("audit", "out of memory");
            break;
        case 'O':
            if (!parse_int(optarg, 1, 600, &o->connect_timeout))
                return usage_error("audit", "--connect-timeout wants seconds from 1 to 600, not '%s'",
                                   optarg);
            break;
        case 'f':
            if ((c = format_option("audit", optarg, FMTS_ALL, &o->format)) >= 0)
                return c;
            break;
        case OPT_OUTPUT:
            if (*optarg == '\0')
                return usage_error("audit", "--output wants a file name");
            o->output = optarg;
            break;
        case OPT_QUIET:
            o->quiet = true;
            break;
        case OPT_BASELINE:
            if (*optarg == '\0')
                return usage_error("audit", "--baseline wants the file of an earlier JSON report");
            o->baseline = optarg;
            break;
        case OPT_BASELINE_STATUS:
            if (strcmp(optarg, "new") != 0 && strcmp(optarg, "all") != 0)
                return usage_error("audit", "--baseline-status wants new or all, not '%s'", optarg);
            o->baseline_new = strcmp(optarg, "new") == 0;
            o->baseline_opts = true;
            break;
        case OPT_BASELINE_MISSING:
            if (strcmp(optarg, "error") != 0 && strcmp(optarg, "warn") != 0)
                return usage_error("audit", "--baseline-missing wants error or warn, not '%s'", optarg);
            o->baseline_warn = strcmp(optarg, "warn") == 0;
            o->baseline_opts = true;
            break;
        case 'X':
            o->no_color = true;
            break;
        case 'h':
            audit_help();
            return 0;
        default:
            return bad_option("audit", c, argv);
        }
    }
    if (optind < argc)
        return usage_error("audit", "unexpected argument '%s'", argv[optind]);
    if (o->baseline_opts && o->baseline == NULL)
        return usage_error("audit", "--baseline-status and --baseline-missing need --baseline FILE");
    if ((c = krb_options_check("audit", &o->krb)) >= 0)
        return c;
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
    return -1;
}

/* The hosts to look up as computer accounts: the expected servers, and
 * the hosts of SPNs whose holder is not that host's own computer account
 * (to tell a wrong holder from a stale SPN), when they belong to this
 * domain (FQDN under it, or a NetBIOS name). */
static bool
hosts_to_check(const sa_accounts *accounts, const sa_strv *servers, const char *domain, sa_strv *out)
{
    size_t dlen = strlen(domain);

    for (size_t i = 0; i < servers->n; i++) {
        if (!sa_strv_add_unique_ci(out, servers->items[i]))
            return false;
    }
    for (size_t i = 0; i < accounts->n; i++) {
        const sa_account *a = &accounts->items[i];
        for (size_t j = 0; j < a->spns.n; j++) {
            sa_spn parsed;
            const char *why;
            size_t hlen;

            if (!sa_spn_parse(a->spns.items[j], &parsed, &why))
                continue;
            if (a->kind == SA_ACCT_COMPUTER && sa_account_matches_host(a, parsed.host))
                continue;
            hlen = strlen(parsed.host);
            if (sa_spn_host_is_fqdn(parsed.host) &&
                !(hlen > dlen + 1 && parsed.host[hlen - dlen - 1] == '.' &&
                  strcasecmp(parsed.host + hlen - dlen, domain) == 0))
                continue; /* another domain's host: not ours to judge */
            if (!sa_strv_add_unique_ci(out, parsed.host))
                return false;
        }
    }
    return true;
}

/* Request a ticket for every distinct, well-formed SPN, jobs at a time.
 * Stops at the first error that concerns our own credentials or the KDC
 * itself. */
static sa_status
probe_all(sa_krb *krb, const sa_accounts *accounts, const char *realm, int jobs, sa_tickets *out,
          sa_error *err)
{
    sa_spn_index idx = {NULL, 0};
    sa_strv unique = {NULL, 0, 0};
    sa_status ret = SA_ERR_SYSTEM;

    if (!sa_spn_index_build(accounts, &idx) || !sa_spn_index_unique(&idx, &unique)) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < unique.n; i++) {
        sa_spn parsed;
        const char *why;

        if (!sa_spn_parse(unique.items[i], &parsed, &why))
            continue; /* reported as SPN_MALFORMED; not a principal name */
        if (sa_tickets_add(out, unique.items[i]) == NULL) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
    }
    if (out->n >= PROGRESS_MIN_TICKETS && isatty(STDERR_FILENO))
        fprintf(stderr, "spnaudit: requesting %zu tickets...\n", out->n);
    ret = sa_krb_probe_all(krb, realm, out, jobs, err);
cleanup:
    sa_tickets_sort(out);
    sa_strv_clear(&unique);
    sa_spn_index_free(&idx);
    return ret;
}

/* Duplicates across domains: the accounts of the other domains (--domain
 * after the first) or of the forest (--forest, through the Global
 * Catalog) that hold an SPN an account of the audited domain holds join
 * the audited accounts, so that the analysis sees every holder. */
static sa_status
add_foreign_holders(audit_opts *o, bool forest, const char *home, sa_accounts *accounts, sa_strv *unreachable,
                    sa_strv *names, sa_error *err)
{
    sa_accounts others = {NULL, 0, 0};
    sa_spn_index idx = {NULL, 0};
    bool *take = NULL;
    size_t n = dir_domain_count(&o->d);
    sa_status ret = SA_OK;

    for (size_t i = forest ? 0 : 1; i < n && ret == SA_OK; i++)
        ret = read_holders(&o->d, i, forest, true, &others, names, unreachable, NULL, err);
    if (ret != SA_OK)
        goto cleanup;
    sa_accounts_dedupe(&others);
    if (!sa_spn_index_build(accounts, &idx) ||
        (others.n > 0 && (take = calloc(others.n, sizeof(*take))) == NULL)) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < others.n; i++) {
        char *dom = sa_dn_domain_of(others.items[i].dn);
        bool foreign = dom == NULL || strcasecmp(dom, home) != 0;

        free(dom);
        for (size_t k = 0; foreign && !take[i] && k < others.items[i].spns.n; k++) {
            size_t first;
            take[i] = sa_spn_index_lookup(&idx, others.items[i].spns.items[k], &first) > 0;
        }
    }
    sa_spn_index_free(&idx);
    for (size_t i = 0; i < others.n; i++) {
        sa_account *a;
        if (!take[i])
            continue;
        if ((a = sa_accounts_add(accounts)) == NULL) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
        *a = others.items[i]; /* moved: others no longer owns it */
        memset(&others.items[i], 0, sizeof(others.items[i]));
    }
cleanup:
    sa_spn_index_free(&idx);
    free(take);
    sa_accounts_clear(&others);
    return ret;
}

/* What the audit covers, for the report and the comparison with a
 * baseline (domain: the one audited, or NULL); false on out of memory. */
static bool
fill_scope(const audit_opts *o, const char *domain, sa_report_scope *s)
{
    bool ok = domain == NULL || sa_strv_add(&s->domains, domain);

    for (size_t i = 1; ok && i < o->d.domains.n; i++)
        ok = sa_strv_add_unique_ci(&s->other_domains, o->d.domains.items[i]);
    s->forest = o->d.dir.global_catalog;
    s->tickets = o->tickets ? SA_SCOPE_TICKETS_ALL : SA_SCOPE_TICKETS_NONE;
    s->reachability = o->reachability;
    s->known = ok && copy_list(&s->servers, &o->servers) && copy_list(&s->gateways, &o->gateways) &&
               copy_list(&s->service_classes, &o->d.classes);
    return s->known;
}

/* Colours: in the text report, on a terminal (never into --output FILE),
 * unless --no-color or a non-empty NO_COLOR says no (https://no-color.org). */
static bool
use_color(const audit_opts *o)
{
    const char *no_color = getenv("NO_COLOR");

    return o->format == FMT_TEXT && o->output == NULL && !o->no_color &&
           (no_color == NULL || *no_color == '\0') && isatty(STDOUT_FILENO);
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
    case FMT_TEXT:
    case FMT_COUNT:
        break;
    }
    return sa_report_text(job->r, out);
}

/* The report to --output FILE or to standard output (not at all with
 * --quiet and a clean audit); the exit status, 3 when it failed. */
static int
emit_report(const audit_opts *o, const sa_report *r, int status)
{
    report_job job = {r, o->format};
    sa_error err = {SA_OK, ""};

    if (o->output != NULL) {
        if (sa_output_write_atomic(o->output, write_report, &job, &err) != SA_OK) {
            fprintf(stderr, "spnaudit audit: %s\n", err.message);
            return SA_EXIT_INCOMPLETE;
        }
    } else if (!(o->quiet && status == SA_EXIT_OK) && write_report(stdout, &job) != 0) {
        fprintf(stderr, "spnaudit audit: cannot write the report: %s\n", strerror(errno));
        return SA_EXIT_INCOMPLETE;
    }
    return status;
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
            fprintf(stderr, "spnaudit audit: cannot compare with the baseline: %s\n", err.message);
            return SA_EXIT_INCOMPLETE;
        }
        fprintf(stderr, "spnaudit audit: warning: %s; the report shows no changes\n", err.message);
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

int
cmd_audit(int argc, char **argv)
{
    audit_opts o;
    sa_error err = {SA_OK, ""};
    sa_krb *krb = NULL;
    sa_dir *dir = NULL;
    sa_accounts accounts = {NULL, 0, 0};
    sa_tickets tickets = {NULL, 0, 0};
    sa_findings findings = {NULL, 0, 0};
    sa_comparison cmp;
    sa_report_scope scope;
    sa_baseline baseline;
    bool have_baseline = false, compared = false;
    sa_search_stats stats;
    sa_server *servers = NULL;
    sa_reach *reach = NULL;
    sa_self_write *self_write = NULL;
    sa_strv unreachable = {NULL, 0, 0}, home_servers = {NULL, 0, 0}, also_read = {NULL, 0, 0};
    sa_dir_options home_opts;
    sa_strv hosts = {NULL, 0, 0};
    bool hosts_checked = false;
    sa_analysis_input in;
    sa_report r;
    char *realm = NULL, *reason = NULL, *default_domain = NULL;
    double t0 = monotonic_seconds();
    bool complete = true, have_data = false, hs_local;
    sa_status st;
    int status = SA_EXIT_INCOMPLETE, rc;

    memset(&o, 0, sizeof(o));
    memset(&stats, 0, sizeof(stats));
    memset(&r, 0, sizeof(r));
    memset(&baseline, 0, sizeof(baseline));
    memset(&cmp, 0, sizeof(cmp));
    memset(&scope, 0, sizeof(scope));
    dir_args_init(&o.d);
    o.tickets = true;
    o.jobs = 8;
    o.reachability = true;
    o.connect_timeout = 5;
    rc = config_path(argc, argv) ? apply_config(config_path(argc, argv), &o) : -1;
    if (rc < 0)
        rc = parse_options(argc, argv, &o);
    if (rc < 0)
        rc = load_baseline(&o, &baseline, &have_baseline);
    if (rc >= 0) {
        status = rc;
        goto cleanup;
    }
    hs_local = o.health_service == NULL || sa_identity_is_local_system(o.health_service);

    /* The audited domain is the first: read through its DCs, never the GC. */
    st = open_credentials(&o.krb, &o.d, o.tickets, &krb, &default_domain, &err);
    if (st == SA_OK && !dir_options_for(&o.d, 0, &home_opts, &home_servers))
        st = sa_error_nomem(&err);
    home_opts.global_catalog = false;
    if (st == SA_OK)
        st = sa_dir_connect(&home_opts, &dir, &unreachable, &err);
    if (st != SA_OK) {
        fprintf(stderr, "spnaudit audit: %s\n", err.message);
        status = st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        /* Monitoring (JSON, Prometheus, Nagios) still gets an answer that
         * says why; CSV and text get nothing but the exit status. */
        have_data = o.format != FMT_TEXT && o.format != FMT_CSV && status == SA_EXIT_INCOMPLETE;
        complete = false;
        reason = strdup(err.message);
        goto cleanup;
    }
    realm = sa_strdup_upper(sa_dir_dns_domain(dir));
    if (realm == NULL) {
        fprintf(stderr, "spnaudit audit: out of memory\n");
        goto cleanup;
    }
    have_data = true;

    st = sa_dir_find_spn_holders(dir, &o.d.classes, &accounts, &stats, &err);
    if (st == SA_OK && (o.d.dir.global_catalog || o.d.domains.n > 1)) {
        st = add_foreign_holders(&o, o.d.dir.global_catalog, sa_dir_dns_domain(dir), &accounts, &unreachable,
                                 &also_read, &err);
        if (st != SA_OK) {
            /* The audited domain is still audited; the run is incomplete. */
            free(reason);
            reason = sa_strdup_printf("the check for duplicates in other domains: %s", err.message);
            fprintf(stderr, "spnaudit audit: %s\n", reason ? reason : err.message);
            complete = false;
            st = SA_OK;
        }
    }
    if (st == SA_OK && !hosts_to_check(&accounts, &o.all, sa_dir_dns_domain(dir), &hosts))
        st = sa_error_nomem(&err);
    if (st == SA_OK && hosts.n > 0) {
        st = sa_dir_find_computers(dir, (const char *const *)hosts.items, hosts.n, &o.d.classes, &accounts,
                                   &stats, &err);
        hosts_checked = st == SA_OK;
    }
    if (st == SA_OK && o.tickets)
        st = probe_all(krb, &accounts, realm, o.jobs, &tickets, &err);
    if (st != SA_OK) {
        if (st != SA_ERR_INCOMPLETE)
            fprintf(stderr, "spnaudit audit: %s\n", err.message);
        complete = false;
        free(reason);
        reason = strdup(err.message);
    }

    if (!sa_servers_match(&accounts, (const char *const *)o.all.items, o.all.n, &servers)) {
        fprintf(stderr, "spnaudit audit: out of memory\n");
        complete = false;
        goto cleanup;
    }
    for (size_t i = o.servers.n; i < o.all.n; i++)
        servers[i].gateway = true;
    if (o.all.n > 0 && (self_write = calloc(o.all.n, sizeof(*self_write))) == NULL) {
        fprintf(stderr, "spnaudit audit: out of memory\n");
        goto cleanup;
    }
    /* The computer's right to write its SPN matters only when the Health
     * Service runs as Local System. */
    for (size_t i = 0; i < o.all.n && complete && hs_local; i++) {
        /* May the server's computer account write its own SPN? */
        unsigned char *sd = NULL, *sid = NULL;
        size_t sd_len = 0, sid_len = 0;
        sa_error e = {SA_OK, ""};

        if (servers[i].account < 0)
            continue;
        if (sa_dir_read_dacl(dir, accounts.items[servers[i].account].dn, &sd, &sd_len, &sid, &sid_len, &e) !=
            SA_OK) {
            fprintf(stderr, "spnaudit audit: cannot check whether %s may write its own SPN: %s\n",
                    servers[i].fqdn, e.message);
            continue;
        }
        self_write[i].checked = true;
        self_write[i].result =
            sa_sd_self_spn_write(sd, sd_len, sid, sid_len, self_write[i].why, sizeof(self_write[i].why));
        free(sd);
        free(sid);
    }
    if (o.reachability && o.all.n > 0) {
        reach = calloc(o.all.n, sizeof(*reach));
        if (reach == NULL) {
            fprintf(stderr, "spnaudit audit: out of memory\n");
            goto cleanup;
        }
        for (size_t i = 0; i < o.all.n; i++)
            reach[i].host = o.all.items[i];
        sa_reach_check(reach, o.all.n, SA_AGENT_PORT, o.connect_timeout * 1000, o.jobs);
    }
    memset(&in, 0, sizeof(in));
    in.accounts = &accounts;
    in.servers = servers;
    in.n_servers = o.all.n;
    in.tickets = o.tickets ? &tickets : NULL;
    in.netbios_domain = sa_dir_netbios_domain(dir);
    in.health_service_local_system = hs_local;
    in.health_service = o.health_service;
    in.sdk_service = o.sdk_service;
    in.check_sdk = sa_strv_contains_ci(&o.d.classes, SA_CLASS_SDK);
    in.have_skew = sa_dir_clock_skew(dir, &in.clock_skew);
    in.dc = sa_dir_uri(dir);
    in.reach = reach;
    in.hosts_checked = hosts_checked ? &hosts : NULL;
    in.self_write = self_write;
    in.reach_port = SA_AGENT_PORT;
    st = sa_analyse(&in, &findings, &err);
    if (st != SA_OK) {
        fprintf(stderr, "spnaudit audit: %s while analysing\n", err.message);
        goto cleanup;
    }
    for (size_t i = 0; i < unreachable.n; i++) {
        const char *why = unreachable.items[i], *colon = strstr(why, ": ");
        char *dc = strndup(why, colon ? (size_t)(colon - why) : strlen(why));
        sa_finding *f = dc ? sa_findings_add(&findings, SA_F_DC_UNREACHABLE, dc, NULL) : NULL;

        free(dc);
        if (f == NULL ||
            !sa_finding_message(f, "a domain controller did not answer; the audit used the next one, but "
                                   "agents that use it fail to authenticate (21008)") ||
            !sa_finding_evidence(f, "%s", why) ||
            !sa_finding_fix(f, "check that the DC runs and that TCP 389 and 88 are open to it, or remove its "
                               "DNS records if it was retired")) {
            fprintf(stderr, "spnaudit audit: out of memory\n");
            goto cleanup;
        }
    }
    for (size_t i = 0; i < stats.referrals.n; i++) {
        const char *url = stats.referrals.items[i];
        sa_finding *f;

        if (sa_referral_is_infrastructure(url))
            continue; /* Configuration and DNS partitions hold no accounts */
        f = sa_findings_add(&findings, SA_F_REFERRAL_NOT_FOLLOWED, url, NULL);
        if (f == NULL ||
            !sa_finding_message(f,
                                "the DC referred part of the search to %s, which was not followed: "
                                "accounts there were not audited",
                                url) ||
            !sa_finding_fix(f, "audit that domain too (--domain, with one of its DCs as --server)")) {
            fprintf(stderr, "spnaudit audit: out of memory\n");
            goto cleanup;
        }
    }
    sa_findings_sort(&findings);
    if (!fill_scope(&o, sa_dir_dns_domain(dir), &scope)) {
        fprintf(stderr, "spnaudit audit: out of memory\n");
        goto cleanup;
    }
    if (have_baseline) {
        sa_coverage now = {&scope, complete};
        if (sa_baseline_compare(&baseline.findings, sa_baseline_coverage(&baseline), &findings, now, &cmp,
                                &err) != SA_OK) {
            fprintf(stderr, "spnaudit audit: %s while comparing with the baseline %s\n", err.message,
                    baseline.file);
            goto cleanup;
        }
        compared = true;
    }
    status = compared && o.baseline_new ? sa_baseline_exit_status(&findings, complete)
                                        : sa_findings_exit_status(&findings, complete);

cleanup:
    if (have_data) {
        r.domain = dir ? sa_dir_dns_domain(dir) : o.d.dir.domain;
        r.realm = dir ? realm : NULL;
        r.uri = dir ? sa_dir_uri(dir) : o.d.dir.uri ? o.d.dir.uri : o.d.dcs.n ? o.d.dcs.items[0] : NULL;
        r.bind = dir ? sa_dir_bind_description(dir) : NULL;
        r.client = krb ? sa_krb_client(krb) : NULL;
        r.accounts = &accounts;
        r.servers = servers;
        r.reach = reach;
        r.n_servers = servers ? o.all.n : 0;
        r.tickets = o.tickets ? &tickets : NULL;
        r.findings = &findings;
        r.stats = &stats;
        r.also_read = &also_read;
        r.scope = scope.known || fill_scope(&o, r.domain, &scope) ? &scope : NULL;
        r.complete = complete && status != SA_EXIT_INCOMPLETE;
        r.incomplete_reason = reason ? reason : "the audit did not finish";
        r.seconds = monotonic_seconds() - t0;
        r.exit_status = status;
        r.timestamp = epoch_seconds();
        r.color = use_color(&o);
        r.baseline_file = compared ? baseline.file : NULL;
        r.baseline_generated = compared ? baseline.generated : NULL;
        r.comparison = compared ? &cmp : NULL;
        status = emit_report(&o, &r, status);
    }
    free(reason);
    free(realm);
    free(default_domain);
    free(servers);
    free(reach);
    free(self_write);
    sa_findings_clear(&findings);
    sa_comparison_clear(&cmp);
    sa_report_scope_clear(&scope);
    sa_baseline_clear(&baseline);
    sa_tickets_clear(&tickets);
    sa_accounts_clear(&accounts);
    sa_search_stats_clear(&stats);
    sa_dir_close(dir);
    sa_krb_close(krb);
    sa_strv_clear(&o.servers);
    sa_strv_clear(&o.gateways);
    sa_strv_clear(&o.all);
    sa_groupconf_clear(&o.conf);
    sa_strv_clear(&unreachable);
    sa_strv_clear(&home_servers);
    sa_strv_clear(&also_read);
    sa_strv_clear(&hosts);
    dir_args_clear(&o.d);
    return status;
}
