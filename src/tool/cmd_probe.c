/* cmd_probe.c - "spnaudit probe": a service ticket for each SPN given, like
 * kvno for many SPNs at once, with each failure explained.  The options
 * are read here; the SPN list is probelist.c's, the tickets probe.c's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/display.h"
#include "spnaudit/finding.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/kerberos.h"
#include "spnaudit/probelist.h"
#include "spnaudit/report.h"

typedef struct probe_opts {
    sa_krb_options krb;
    sa_groupconf conf; /* -c FILE: the [kerberos] defaults */
    out_args out;      /* --output, --quiet, --no-color */
    const char *file;  /* --file, "-" for standard input */
    const char *realm; /* --realm */
    bool json;
    int jobs;
} probe_opts;

static void
probe_help(void)
{
    printf("Usage: spnaudit probe [OPTIONS] [SPN[@REALM]...]\n"
           "Request a fresh service ticket for each SPN, many at once, and explain every\n"
           "refusal: its cause, the OpsMgr events it leads to and the fix.\n\n"
           "SPNs:\n"
           "  SPN[@REALM]               on the command line, and/or\n"
           "  -i, --file FILE           one per line ('-': standard input; '#' comments)\n"
           "  -r, --realm REALM         realm of SPNs without @REALM (default: the client's)\n"
           "  -c, --config FILE         the management group's configuration (see\n"
           "                            spnaudit.conf(5)): its [kerberos] settings;\n"
           "                            options given here override them\n" KRB_HELP "Output:\n"
           "  -f, --format text|json    report format (default text)\n" OUT_HELP
           "  -h, --help                this help\n\n"
           "Exit status: 0 every ticket issued, 2 at least one refused, 3 the probe could\n"
           "not be completed (credentials, KDC unreachable), 64 bad usage.\n");
}

/* The options of probe: getopt_long's table, and the completion scripts'. */
const struct option probe_options[] = {
    {"file", required_argument, NULL, 'i'},
    {"realm", required_argument, NULL, 'r'},
    {"format", required_argument, NULL, 'f'},
    {"config", required_argument, NULL, 'c'},
    {"help", no_argument, NULL, 'h'},
    KRB_LONG_OPTIONS,
    OUT_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* The options; -1 to go on, or the exit status. */
static int
probe_parse(int argc, char **argv, probe_opts *o)
{
    int c, rc;

    if ((rc = krb_config_load("probe", argc, argv, &o->conf, &o->krb, &o->jobs)) >= 0)
        return rc;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":i:r:f:c:h" KRB_SHORT_OPTIONS OUT_SHORT_OPTIONS, probe_options, NULL)) !=
           -1) {
        int handled = krb_option("probe", c, optarg, &o->krb, &o->jobs);

        if (handled == 0)
            handled = out_option("probe", c, optarg, &o->out);

        if (handled > 1)
            return handled;
        if (handled == 1)
            continue;
        switch (c) {
        case 'i':
            o->file = optarg;
            break;
        case 'r':
            if (*optarg == '\0' || strpbrk(optarg, "@/ \t") != NULL)
                return usage_error("probe", "--realm wants a realm name like CONTOSO.COM, not '%s'", optarg);
            o->realm = optarg;
            break;
        case 'f':
            if ((rc = json_option("probe", optarg, &o->json)) >= 0)
                return rc;
            break;
        case 'c':
            break; /* read first */
        case 'h':
            probe_help();
            return 0;
        default:
            return bad_option("probe", c, argv, probe_options);
        }
    }
    return -1;
}

/* The SPNs: the arguments after the options, then --file; -1 to go on,
 * or the exit status. */
static int
probe_spns(int argc, char **argv, const probe_opts *o, sa_tickets *list)
{
    sa_error err = {SA_OK, ""};
    sa_status st = SA_OK;

    for (int i = optind; st == SA_OK && i < argc; i++)
        st = sa_probe_list_add(list, argv[i], "argument", &err);
    if (st == SA_OK && o->file != NULL)
        st = sa_probe_list_read(list, o->file, &err);
    if (st == SA_OK)
        st = sa_probe_list_unique(list, &err);
    if (st != SA_OK)
        return usage_error("probe", "%s", err.message);
    if (list->n == 0)
        return usage_error("probe", "no SPN to probe: name some, or give --file");
    return -1;
}

/* What the writer of the report needs. */
typedef struct probe_job {
    const sa_probe_report *r;
    bool json;
} probe_job;

static int
write_report(FILE *out, void *data)
{
    const probe_job *job = data;

    return job->json ? sa_probe_report_json(job->r, out) : sa_probe_report_text(job->r, out);
}

/* The tickets, then the report; the exit status. */
static int
probe_run(const probe_opts *o, sa_tickets *list, double t0)
{
    sa_error err = {SA_OK, ""};
    sa_krb *krb = NULL;
    sa_probe_report r;
    sa_status st = krb_login("probe", &o->krb, &krb, &err);
    int status;

    if (st != SA_OK) {
        sa_show_printf(stderr, "spnaudit probe: %s\n", err.message);
        status = st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        goto cleanup;
    }
    memset(&r, 0, sizeof(r));
    r.realm = o->realm ? o->realm : sa_krb_client_realm(krb);
    r.complete = true;
    if (sa_krb_probe_all(krb, r.realm, list, o->jobs, stderr, &err) != SA_OK) {
        sa_show_printf(stderr, "spnaudit probe: %s\n", err.message);
        r.complete = false;
        r.incomplete_reason = err.message;
    }
    r.client = sa_krb_client(krb);
    r.tickets = list;
    r.seconds = monotonic_seconds() - t0;
    r.exit_status = sa_probe_exit_status(list, r.complete);
    status = out_emit("probe", &o->out, write_report, &(probe_job){&r, o->json}, r.exit_status);
cleanup:
    sa_krb_close(krb);
    return status;
}

int
cmd_probe(int argc, char **argv)
{
    probe_opts o;
    sa_tickets list = {NULL, 0, 0};
    double t0 = monotonic_seconds();
    int status;

    memset(&o, 0, sizeof(o));
    o.jobs = 8;
    status = probe_parse(argc, argv, &o);
    if (status < 0)
        status = probe_spns(argc, argv, &o, &list);
    if (status < 0)
        status = probe_run(&o, &list, t0);
    sa_tickets_clear(&list);
    sa_groupconf_clear(&o.conf);
    return status;
}
