/* cmd_trusts.c - "spnaudit trusts": the trusts of the management servers'
 * domain, decoded like nltest /domain_trusts, each with the verdict for
 * agents on the other side: Kerberos mutual authentication, or
 * certificates.  "spnaudit plan": the same verdicts for an intended
 * topology (management servers, gateways, agent domains), before any
 * agent is installed.  The options are read here; the work is
 * trustaudit.c's, the printing report_trusts.c's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/cert.h"
#include "spnaudit/dir_pool.h"
#include "spnaudit/display.h"
#include "spnaudit/domains.h"
#include "spnaudit/finding.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/report_html.h"
#include "spnaudit/report_trusts.h"
#include "spnaudit/trust_map.h"
#include "spnaudit/trustaudit.h"

/* above the codes of options.h and of the trusts options */
enum { OPT_FIX_SHELL = 512, OPT_CERT_DIR, OPT_CERT_CA_FILE, OPT_CERT_PASSWORD_FILE };

typedef struct trusts_opts {
    dir_args d;
    sa_krb_options krb;
    sa_strv agents; /* --agent-domain: more agent domains to judge */
    out_format format;
    out_args out;       /* --output, --quiet, --no-color */
    sa_shell fix_shell; /* --fix-shell: the shell of the text's commands */
    bool tickets;       /* confirm verdicts with real tickets */
    bool partners;      /* read each partner's side of the trusts too */
    int jobs;           /* trusts: confirmation tickets in flight */
    /* plan: the topology, from -c FILE and the command line */
    sa_groupconf conf;
    sa_strv ms, gateways;
    bool cli_ms, cli_gateways, cli_agents;
    /* plan --cert-dir: the certificates to check, their anchors, the PFX password */
    const char *cert_dir, *cert_ca_file, *cert_password_file;
} trusts_opts;

/* --cert-dir, --cert-ca-file, --cert-password-file. */
#define CERT_DIR_LONG_OPTIONS                                                                                \
    {"cert-dir", required_argument, NULL, OPT_CERT_DIR},                                                     \
        {"cert-ca-file", required_argument, NULL, OPT_CERT_CA_FILE},                                         \
    {                                                                                                        \
        "cert-password-file", required_argument, NULL, OPT_CERT_PASSWORD_FILE                                \
    }
#define CERT_DIR_HELP                                                                                        \
    "Certificates (where a verdict or design needs them):\n"                                                 \
    "      --cert-dir DIR        check the certificate files of DIR (PFX, PEM, DER)\n"                       \
    "                            for each side that needs one: by the host each\n"                           \
    "                            is for (its CN, else its first DNS name)\n"                                 \
    "      --cert-ca-file FILE   their trusted root and issuing CAs (PEM; default:\n"                        \
    "                            the system's store)\n"                                                      \
    "      --cert-password-file FILE  the PFX files' password, first line of FILE\n"                         \
    "                            (without it, a PFX that needs one is not read)\n"

static void
trusts_help(void)
{
    printf("Usage: spnaudit trusts [OPTIONS]\n"
           "List the trusts of the management servers' domain (the first --domain) like\n"
           "nltest /domain_trusts, and say for the agents of each trusted domain whether\n"
           "OpsMgr's Kerberos mutual authentication with the servers will work, by which\n"
           "chain of trusts, or why certificates are needed. Each trusted domain's side of\n"
           "the trust is read too where the run can, and the domains of more --domain; and\n"
           "every domain of each forest read (its Partitions container) is judged too.\n\n" DIR_HELP
           "What to judge:\n"
           "  -c, --config FILE         the management group's configuration (see\n"
           "                            spnaudit.conf(5)): its servers and gateways, and\n"
           "                            directory defaults\n"
           "  -m, --ms FQDN             a management server (repeatable): across a trust\n"
           "                            with selective authentication, its computer\n"
           "                            object is read for \"Allowed to Authenticate\"\n"
           "  -g, --gateway FQDN        a gateway server, likewise (repeatable)\n"
           "      --agent-domain DOMAIN an agent domain to judge too, trusted or not\n"
           "                            (repeatable)\n"
           "      --no-tickets          do not confirm the verdicts with a cross-realm TGT\n"
           "                            and an MSOMHSvc ticket across each trust\n"
           "      --no-partners         read only the domains named, not every trusted\n"
           "                            domain's side of its trust\n" CERT_DIR_HELP KRB_HELP
           "  -f, --format text|json|html|dot  output format (default text);\n"
           "                            dot: the trust map, for Graphviz (dot -Tsvg)\n"
           "      --fix-shell cmd|powershell  the shell the dsacls commands of the text\n"
           "                            and HTML reports are written for (default cmd);\n"
           "                            JSON holds both\n" OUT_HELP
           "  -h, --help                this help\n\n"
           "Exit status: 0 Kerberos everywhere, 1 selective authentication not settled\n"
           "somewhere, 2 certificates needed or Allowed to Authenticate missing somewhere,\n"
           "3 incomplete, 64 bad usage.\n");
}

static bool
replace_list(sa_strv *list, bool *given, const char *value)
{
    if (!*given)
        sa_strv_clear(list);
    *given = true;
    return sa_strv_add_unique_ci(list, value);
}

/* -c FILE: the directory defaults, the servers, gateways and agent
 * domains of the configuration, which the command line then overrides.
 * -1 fine, or the usage exit status. */
static int
load_topology(const char *command, int argc, char **argv, trusts_opts *o)
{
    int c;

    if ((c = dir_config_load(command, argc, argv, &o->conf, &o->d, &o->krb)) >= 0 ||
        config_path(argc, argv) == NULL)
        return c;
    for (size_t i = 0; i < o->conf.management_servers.n; i++) {
        if (!sa_strv_add_unique_ci(&o->ms, o->conf.management_servers.items[i]))
            return usage_error(command, "out of memory");
    }
    for (size_t i = 0; i < o->conf.gateways.n; i++) {
        if (!sa_strv_add_unique_ci(&o->gateways, o->conf.gateways.items[i]))
            return usage_error(command, "out of memory");
    }
    for (size_t i = 0; i < o->conf.agent_domains.n; i++) {
        if (!sa_strv_add_unique_ci(&o->agents, o->conf.agent_domains.items[i]))
            return usage_error(command, "out of memory");
    }
    /* [kerberos] jobs, as for audit */
    if (o->conf.jobs != SA_UNSET)
        o->jobs = o->conf.jobs;
    return -1;
}

/* The management servers and gateways, in one list. */
static bool
all_servers(const trusts_opts *o, sa_strv *out)
{
    for (size_t i = 0; i < o->ms.n + o->gateways.n; i++) {
        if (!sa_strv_add_unique_ci(out, i < o->ms.n ? o->ms.items[i] : o->gateways.items[i - o->ms.n]))
            return false;
    }
    return true;
}

/* --ms and --gateway: -1 fine, or the usage exit status. */
static int
server_option(const char *command, int c, const char *arg, trusts_opts *o)
{
    if (!sa_valid_fqdn(arg))
        return usage_error(command, "%s wants a fully qualified host name, not '%s'",
                           c == 'm' ? "--ms" : "--gateway", arg);
    if (!(c == 'm' ? replace_list(&o->ms, &o->cli_ms, arg)
                   : replace_list(&o->gateways, &o->cli_gateways, arg)))
        return usage_error(command, "out of memory");
    return -1;
}

/* --agent-domain: the first one replaces the configuration's agent
 * domains, as --ms and --gateway replace its servers.  -1 fine, or the
 * usage exit status. */
static int
agent_option(const char *command, const char *arg, trusts_opts *o)
{
    if (!sa_valid_fqdn(arg))
        return usage_error(command, "--agent-domain wants a DNS domain name, not '%s'", arg);
    if (!replace_list(&o->agents, &o->cli_agents, arg))
        return usage_error(command, "out of memory");
    return -1;
}

static void
cert_option(int c, const char *arg, trusts_opts *o)
{
    if (c == OPT_CERT_DIR)
        o->cert_dir = arg;
    else if (c == OPT_CERT_CA_FILE)
        o->cert_ca_file = arg;
    else
        o->cert_password_file = arg;
}

/* After parsing: -1 fine, or the usage exit status. */
static int
cert_dir_args(const char *command, const trusts_opts *o)
{
    struct stat st;

    if (o->cert_dir != NULL &&
        (stat(o->cert_dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(o->cert_dir, R_OK | X_OK) != 0))
        return usage_error(command, "--cert-dir %s: not a directory that can be read", o->cert_dir);
    if (o->cert_dir == NULL && (o->cert_ca_file != NULL || o->cert_password_file != NULL))
        return usage_error(command, "%s is for the certificates of --cert-dir: add it",
                           o->cert_ca_file ? "--cert-ca-file" : "--cert-password-file");
    return -1;
}

/* The options of trusts: getopt_long's table, and the completion scripts'. */
const struct option trusts_options[] = {
    DIR_LONG_OPTIONS,
    {"agent-domain", required_argument, NULL, 'G'},
    {"no-tickets", no_argument, NULL, 'N'},
    {"no-partners", no_argument, NULL, 'Q'},
    {"config", required_argument, NULL, 'c'},
    {"ms", required_argument, NULL, 'm'},
    {"gateway", required_argument, NULL, 'g'},
    {"format", required_argument, NULL, 'f'},
    {"fix-shell", required_argument, NULL, OPT_FIX_SHELL},
    {"help", no_argument, NULL, 'h'},
    CERT_DIR_LONG_OPTIONS,
    KRB_LONG_OPTIONS,
    OUT_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

static int
parse(int argc, char **argv, trusts_opts *o)
{
    int c, handled;

    if ((c = load_topology("trusts", argc, argv, o)) >= 0)
        return c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" DIR_SHORT_OPTIONS "c:m:g:f:h" KRB_SHORT_OPTIONS OUT_SHORT_OPTIONS,
                            trusts_options, NULL)) != -1) {
        if ((handled = dir_option("trusts", c, optarg, &o->d)) == 0)
            handled = krb_option("trusts", c, optarg, &o->krb, &o->jobs);
        if (handled == 0)
            handled = out_option("trusts", c, optarg, &o->out);
        if (handled > 1)
            return handled;
        if (handled == 1)
            continue;
        switch (c) {
        case 'G':
            if ((c = agent_option("trusts", optarg, o)) >= 0)
                return c;
            break;
        case 'N':
            o->tickets = false;
            break;
        case OPT_CERT_DIR:
        case OPT_CERT_CA_FILE:
        case OPT_CERT_PASSWORD_FILE:
            cert_option(c, optarg, o);
            break;
        case 'Q':
            o->partners = false;
            break;
        case 'c':
            break; /* read first */
        case 'm':
        case 'g':
            if ((c = server_option("trusts", c, optarg, o)) >= 0)
                return c;
            break;
        case 'f':
            if ((c = format_option("trusts", optarg, TRUSTS_FORMATS, &o->format)) >= 0)
                return c;
            break;
        case OPT_FIX_SHELL:
            if (!sa_shell_parse(optarg, &o->fix_shell))
                return usage_error("trusts", "--fix-shell wants cmd or powershell, not '%s'", optarg);
            break;
        case 'h':
            trusts_help();
            return 0;
        default:
            return bad_option("trusts", c, argv, trusts_options);
        }
    }
    if (optind < argc)
        return usage_error("trusts", "unexpected argument '%s'", argv[optind]);
    if ((c = dir_args_finish("trusts", &o->d)) >= 0)
        return c;
    if (o->d.dir.global_catalog)
        return usage_error("trusts", "--forest: the trusts are read from each domain's DCs; name the domains "
                                     "with --domain");
    return cert_dir_args("trusts", o);
}

static void
plan_help(void)
{
    printf("Usage: spnaudit plan [-c FILE] [OPTIONS]\n"
           "Before deploying: for each agent domain of the intended topology (agent_domains\n"
           "in [plan] of the configuration file, or --agent-domain), say whether its agents\n"
           "can reach the management servers (or a gateway) with Kerberos, the OpsMgr events\n"
           "a deployment as is would raise, and the design to build instead. The trusts are\n"
           "read from the servers' and gateways' domains (and the agent domains, where the\n"
           "run can); agent domains need not exist yet.\n\n" DIR_HELP "Topology (override the file):\n"
           "  -c, --config FILE         the configuration file, see spnaudit.conf(5)\n"
           "  -m, --ms FQDN             a management server (repeatable)\n"
           "  -g, --gateway FQDN        a gateway server (repeatable)\n"
           "      --agent-domain DOMAIN a domain whose agents are to report (repeatable)\n" CERT_DIR_HELP
               KRB_HELP_NO_JOBS "  -f, --format text|json|html|dot  output format (default text);\n"
           "                            dot: the trust map, for Graphviz (dot -Tsvg)\n"
           "      --fix-shell cmd|powershell  the shell the dsacls commands of the text\n"
           "                            and HTML reports are written for (default cmd);\n"
           "                            JSON holds both\n" OUT_HELP
           "  -h, --help                this help\n\n"
           "Exit status: 0 Kerberos for every agent domain, 1 selective authentication or\n"
           "certificates on gateways only, 2 agents that would need certificates as\n"
           "deployed (or, with --cert-dir, a side without a certificate free of\n"
           "failures), 3 incomplete, 64 bad usage.\n");
}

/* The options of plan: getopt_long's table, and the completion scripts'. */
const struct option plan_options[] = {
    DIR_LONG_OPTIONS,
    {"config", required_argument, NULL, 'c'},
    {"ms", required_argument, NULL, 'm'},
    {"gateway", required_argument, NULL, 'g'},
    {"agent-domain", required_argument, NULL, 'G'},
    {"format", required_argument, NULL, 'f'},
    {"fix-shell", required_argument, NULL, OPT_FIX_SHELL},
    {"help", no_argument, NULL, 'h'},
    CERT_DIR_LONG_OPTIONS,
    KRB_LONG_OPTIONS,
    OUT_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

static int
plan_parse(int argc, char **argv, trusts_opts *o)
{
    int c, handled;

    if ((c = load_topology("plan", argc, argv, o)) >= 0)
        return c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" DIR_SHORT_OPTIONS "c:m:g:f:h" KRB_SHORT_OPTIONS OUT_SHORT_OPTIONS,
                            plan_options, NULL)) != -1) {
        if (c == 'j')
            return usage_error("plan", "--jobs: plan requests no tickets (it reads trusts and DACLs only)");
        if ((handled = dir_option("plan", c, optarg, &o->d)) == 0)
            handled = krb_option("plan", c, optarg, &o->krb, NULL); /* --jobs refused above */
        if (handled == 0)
            handled = out_option("plan", c, optarg, &o->out);
        if (handled > 1)
            return handled;
        if (handled == 1)
            continue;
        switch (c) {
        case 'c':
            break; /* read first */
        case 'm':
        case 'g':
            if ((c = server_option("plan", c, optarg, o)) >= 0)
                return c;
            break;
        case 'G':
            if ((c = agent_option("plan", optarg, o)) >= 0)
                return c;
            break;
        case OPT_CERT_DIR:
        case OPT_CERT_CA_FILE:
        case OPT_CERT_PASSWORD_FILE:
            cert_option(c, optarg, o);
            break;
        case 'f':
            if ((c = format_option("plan", optarg, PLAN_FORMATS, &o->format)) >= 0)
                return c;
            break;
        case OPT_FIX_SHELL:
            if (!sa_shell_parse(optarg, &o->fix_shell))
                return usage_error("plan", "--fix-shell wants cmd or powershell, not '%s'", optarg);
            break;
        case 'h':
            plan_help();
            return 0;
        default:
            return bad_option("plan", c, argv, plan_options);
        }
    }
    if (optind < argc)
        return usage_error("plan", "unexpected argument '%s'", argv[optind]);
    if (o->ms.n == 0)
        return usage_error("plan",
                           "no management server: give --ms or management_servers in the configuration");
    if (o->agents.n == 0)
        return usage_error("plan", "no agent domain: give --agent-domain or agent_domains in [plan]");
    if ((c = cert_dir_args("plan", o)) >= 0)
        return c;
    if (o->d.dir.global_catalog)
        return usage_error("plan", "--forest: the trusts are read from each domain's DCs");
    /* The domains to read: the servers', the gateways', the agents'. */
    for (size_t i = 0; i < o->ms.n + o->gateways.n + o->agents.n; i++) {
        const char *dom = i < o->ms.n                   ? sa_host_domain_of(o->ms.items[i])
                          : i < o->ms.n + o->gateways.n ? sa_host_domain_of(o->gateways.items[i - o->ms.n])
                                                        : o->agents.items[i - o->ms.n - o->gateways.n];
        if (!sa_strv_add_unique_ci(&o->d.domains, dom))
            return usage_error("plan", "out of memory");
    }
    return dir_args_finish("plan", &o->d);
}

static void
say_warnings(const char *command, const sa_strv *warnings)
{
    for (size_t i = 0; i < warnings->n; i++)
        sa_show_printf(stderr, "spnaudit %s: %s\n", command, warnings->items[i]);
}

/* What trusts and plan both hold: the options, our credentials and the
 * directory connections. */
typedef struct session {
    const char *command;
    trusts_opts o;
    sa_krb *krb;
    sa_dir_pool pool;
    char *default_domain;
} session;

static void
session_end(session *s)
{
    sa_dir_pool_clear(&s->pool);
    sa_strv_clear(&s->o.agents);
    sa_strv_clear(&s->o.ms);
    sa_strv_clear(&s->o.gateways);
    sa_groupconf_clear(&s->o.conf);
    dir_args_clear(&s->o.d);
    sa_krb_close(s->krb);
    free(s->default_domain);
}

/* Parse with parse_fn, then our credentials: -1 to go on, or the exit
 * status (end the session either way). */
static int
session_start(session *s, const char *command, int (*parse_fn)(int, char **, trusts_opts *), int argc,
              char **argv)
{
    sa_error err = {SA_OK, ""};
    sa_status st;
    int rc;

    memset(s, 0, sizeof(*s));
    s->command = command;
    dir_args_init(&s->o.d);
    s->o.jobs = 8;
    s->o.tickets = true;
    s->o.partners = true;
    if ((rc = parse_fn(argc, argv, &s->o)) >= 0)
        return rc;
    st = open_credentials(command, &s->o.krb, &s->o.d, false, &s->krb, &s->default_domain, &err);
    if (st == SA_OK) {
        /* the options as the credentials left them (the bind password) */
        sa_dir_pool_init(&s->pool, &s->o.d.dir, &s->o.d.dcs, &s->o.d.domains);
        return -1;
    }
    sa_show_printf(stderr, "spnaudit %s: %s\n", command, err.message);
    return st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
}

/* The work's outcome: its error said, or the report written (by writer,
 * out_emit); the exit status. */
static int
session_report(const session *s, sa_status st, const sa_error *err, int status,
               int (*writer)(FILE *out, void *data), void *data)
{
    if (st != SA_OK) {
        sa_show_printf(stderr, "spnaudit %s: %s\n", s->command, err->message);
        return st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
    }
    return out_emit(s->command, &s->o.out, writer, data, status);
}

/* What the writers of the reports need. */
typedef struct report_job {
    const void *result; /* an sa_trust_run or an sa_plan */
    const trusts_opts *o;
    const char *map;     /* dot: the trust map's DOT; html: its SVG, or NULL */
    const char *map_why; /* html without a map: why it was not drawn */
} report_job;

/* The trust map's DOT text. */
static int
write_map(const char *map, FILE *out)
{
    return fputs(map, out) >= 0 && fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

static int
write_trusts(FILE *out, void *data)
{
    const report_job *job = data;

    switch (job->o->format) {
    case FMT_DOT:
        return write_map(job->map, out);
    case FMT_JSON:
        return sa_trust_report_json(job->result, out);
    case FMT_HTML:
        return sa_trust_report_html(job->result, job->o->fix_shell, job->map, job->map_why, out);
    default:
        return sa_trust_report_text(job->result, job->o->fix_shell, out);
    }
}

static int
write_plan(FILE *out, void *data)
{
    const report_job *job = data;

    switch (job->o->format) {
    case FMT_DOT:
        return write_map(job->map, out);
    case FMT_JSON:
        return sa_plan_report_json(job->result, out);
    case FMT_HTML:
        return sa_plan_report_html(job->result, job->o->fix_shell, job->map, job->map_why, out);
    default:
        return sa_plan_report_text(job->result, job->o->fix_shell, out);
    }
}

/* --cert-dir: its files read and checked into run. */
static sa_status
read_cert_dir(const trusts_opts *o, sa_cert_run *run, sa_error *err)
{
    return sa_cert_run_dir(o->cert_dir, o->cert_ca_file, o->cert_password_file, "--cert-password-file", run,
                           err);
}

int
cmd_trusts(int argc, char **argv)
{
    session s;
    sa_error err = {SA_OK, ""};
    sa_strv servers = {NULL, 0, 0};
    sa_trust_run run;
    sa_cert_run certs;
    char *map = NULL;
    sa_error map_err = {SA_OK, ""}; /* html: why the map is not drawn */
    int status = session_start(&s, "trusts", parse, argc, argv);
    sa_status st;

    memset(&run, 0, sizeof(run));
    memset(&certs, 0, sizeof(certs));
    if (status >= 0)
        goto cleanup;
    st = all_servers(&s.o, &servers) ? SA_OK : sa_error_nomem(&err);
    if (st == SA_OK)
        st = sa_trust_audit(&(sa_trust_request){{sa_dir_pool_get, &s.pool, &s.o.d.classes},
                                                &s.o.d.domains,
                                                &servers,
                                                &s.o.agents,
                                                s.o.partners,
                                                s.o.tickets ? s.krb : NULL,
                                                s.o.jobs},
                            &run, &err);
    if (st == SA_OK && s.o.cert_dir != NULL && (st = read_cert_dir(&s.o, &certs, &err)) == SA_OK)
        st = sa_trust_check_certs(&run, &servers, &certs, s.o.cert_dir, &err);
    if (st == SA_OK && s.o.format == FMT_DOT)
        st = sa_trust_map_dot(&run, &map, &err);
    if (st == SA_OK && s.o.format == FMT_HTML && sa_trust_map_svg(&run, &map, &map_err) != SA_OK)
        fprintf(stderr, "spnaudit trusts: %s\n", map_err.message);
    say_warnings("trusts", &s.pool.warnings);
    say_warnings("trusts", &run.warnings);
    status = session_report(&s, st, &err, run.status, write_trusts,
                            &(report_job){&run, &s.o, map, map_err.message});
cleanup:
    free(map);
    sa_cert_run_clear(&certs);
    sa_trust_run_clear(&run);
    sa_strv_clear(&servers);
    session_end(&s);
    return status;
}

int
cmd_plan(int argc, char **argv)
{
    session s;
    sa_error err = {SA_OK, ""};
    sa_plan plan;
    sa_cert_run certs;
    char *map = NULL;
    sa_error map_err = {SA_OK, ""}; /* html: why the map is not drawn */
    int status = session_start(&s, "plan", plan_parse, argc, argv);
    sa_status st;

    memset(&plan, 0, sizeof(plan));
    memset(&certs, 0, sizeof(certs));
    if (status >= 0)
        goto cleanup;
    st = sa_plan_build(
        &(sa_plan_request){{sa_dir_pool_get, &s.pool, &s.o.d.classes}, &s.o.ms, &s.o.gateways, &s.o.agents},
        &plan, &err);
    if (st == SA_OK && s.o.cert_dir != NULL && (st = read_cert_dir(&s.o, &certs, &err)) == SA_OK)
        st = sa_plan_check_certs(&plan, &certs, s.o.cert_dir, &err);
    if (st == SA_OK && s.o.format == FMT_DOT)
        st = sa_plan_map_dot(&plan, &map, &err);
    if (st == SA_OK && s.o.format == FMT_HTML && sa_plan_map_svg(&plan, &map, &map_err) != SA_OK)
        fprintf(stderr, "spnaudit plan: %s\n", map_err.message);
    say_warnings("plan", &s.pool.warnings);
    say_warnings("plan", &plan.warnings);
    status = session_report(&s, st, &err, plan.status, write_plan,
                            &(report_job){&plan, &s.o, map, map_err.message});
cleanup:
    free(map);
    sa_cert_run_clear(&certs);
    sa_plan_clear(&plan);
    session_end(&s);
    return status;
}
