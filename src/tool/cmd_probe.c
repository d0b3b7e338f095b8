/* cmd_probe.c - "spnaudit probe": a service ticket for each SPN given, like
 * kvno for many SPNs at once, with each failure explained. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/finding.h"
#include "spnaudit/kerberos.h"
#include "spnaudit/report.h"
#include "spnaudit/spn.h"

typedef struct probe_opts {
    sa_krb_options krb;
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
           "  -r, --realm REALM         realm of SPNs without @REALM (default: the client's)\n" KRB_HELP
           "Output:\n"
           "  -f, --format text|json    report format (default text)\n"
           "  -h, --help                this help\n\n"
           "Exit status: 0 every ticket issued, 2 at least one refused, 3 the probe could not\n"
           "be completed (credentials, KDC unreachable), 64 bad usage.\n");
}

/* Validate and add one SPN (with an optional @REALM); where names the
 * source for messages.  -1 fine, or the usage exit status. */
static int
add_spn(sa_tickets *list, const char *text, const char *where)
{
    char spn_part[SA_SPN_MAX + 256];
    const char *at = strchr(text, '@'), *why = NULL;
    sa_spn parsed;
    size_t len = at ? (size_t)(at - text) : strlen(text);

    if (len >= sizeof(spn_part))
        return usage_error("probe", "%s: SPN too long", where);
    memcpy(spn_part, text, len);
    spn_part[len] = '\0';
    if (!sa_spn_parse(spn_part, &parsed, &why))
        return usage_error("probe", "%s: \"%s\" is not an SPN: %s", where, text, why);
    if (at != NULL && (at[1] == '\0' || strpbrk(at + 1, "@/ \t") != NULL))
        return usage_error("probe", "%s: \"%s\" has a malformed realm", where, text);
    for (size_t i = 0; i < list->n; i++) {
        if (strcasecmp(list->items[i].spn, text) == 0)
            return -1; /* asked once */
    }
    if (sa_tickets_add(list, text) == NULL)
        return usage_error("probe", "out of memory");
    return -1;
}

static int
read_spn_file(sa_tickets *list, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL, where[512];
    size_t cap = 0, lineno = 0;
    ssize_t n;
    int rc = -1;

    if (f == NULL)
        return usage_error("probe", "cannot open %s: %s", path, strerror(errno));
    while (rc < 0 && (n = getline(&line, &cap, f)) >= 0) {
        char *s = line, *e;
        lineno++;
        while (*s == ' ' || *s == '\t')
            s++;
        e = s + strlen(s);
        while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (*s == '\0' || *s == '#')
            continue;
        snprintf(where, sizeof(where), "%s:%zu", strcmp(path, "-") == 0 ? "standard input" : path, lineno);
        rc = add_spn(list, s, where);
    }
    if (rc < 0 && ferror(f))
        rc = usage_error("probe", "cannot read %s: %s", path, strerror(errno));
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

int
cmd_probe(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"file", required_argument, NULL, 'i'},
        {"realm", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        KRB_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    probe_opts o;
    sa_tickets list = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};
    sa_krb *krb = NULL;
    sa_probe_report r;
    double t0 = monotonic_seconds();
    int c, status = SA_EXIT_INCOMPLETE, rc;
    sa_status st;

    memset(&o, 0, sizeof(o));
    memset(&r, 0, sizeof(r));
    o.jobs = 8;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":i:r:f:h" KRB_SHORT_OPTIONS, longopts, NULL)) != -1) {
        int handled = krb_option("probe", c, optarg, &o.krb, &o.jobs);

        if (handled > 1) {
            status = handled;
            goto cleanup;
        }
        if (handled == 1)
            continue;
        switch (c) {
        case 'i':
            o.file = optarg;
            break;
        case 'r':
            if (*optarg == '\0' || strpbrk(optarg, "@/ \t") != NULL) {
                status =
                    usage_error("probe", "--realm wants a realm name like CONTOSO.COM, not '%s'", optarg);
                goto cleanup;
            }
            o.realm = optarg;
            break;
        case 'f':
            if ((rc = json_option("probe", optarg, &o.json)) >= 0) {
                status = rc;
                goto cleanup;
            }
            break;
        case 'h':
            probe_help();
            status = 0;
            goto cleanup;
        default:
            status = bad_option("probe", c, argv);
            goto cleanup;
        }
    }
    if ((rc = krb_options_check("probe", &o.krb)) >= 0) {
        status = rc;
        goto cleanup;
    }
    for (int i = optind; i < argc; i++) {
        if ((rc = add_spn(&list, argv[i], "argument")) >= 0) {
            status = rc;
            goto cleanup;
        }
    }
    if (o.file != NULL && (rc = read_spn_file(&list, o.file)) >= 0) {
        status = rc;
        goto cleanup;
    }
    if (list.n == 0) {
        status = usage_error("probe", "no SPN to probe: name some, or give --file");
        goto cleanup;
    }

    st = sa_krb_open(&o.krb, &krb, &err);
    if (st != SA_OK) {
        fprintf(stderr, "spnaudit probe: %s\n", err.message);
        status = st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        goto cleanup;
    }
    r.complete = true;
    st = sa_krb_probe_all(krb, o.realm ? o.realm : sa_krb_client_realm(krb), &list, o.jobs, &err);
    if (st != SA_OK) {
        fprintf(stderr, "spnaudit probe: %s\n", err.message);
        r.complete = false;
        r.incomplete_reason = err.message;
    }
    r.client = sa_krb_client(krb);
    r.realm = o.realm ? o.realm : sa_krb_client_realm(krb);
    r.tickets = &list;
    r.seconds = monotonic_seconds() - t0;
    status = SA_EXIT_OK;
    for (size_t i = 0; i < list.n; i++) {
        if (list.items[i].tried && !list.items[i].ok)
            status = SA_EXIT_FAILURE;
    }
    if (!r.complete)
        status = SA_EXIT_INCOMPLETE;
    r.exit_status = status;
    if ((o.json ? sa_probe_report_json(&r, stdout) : sa_probe_report_text(&r, stdout)) != 0) {
        fprintf(stderr, "spnaudit probe: cannot write the report: %s\n", strerror(errno));
        status = SA_EXIT_INCOMPLETE;
    }
cleanup:
    sa_krb_close(krb);
    sa_tickets_clear(&list);
    return status;
}
