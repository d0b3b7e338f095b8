/* cmd_spn.c - "spnaudit spn": the SCOM SPNs of a domain and their owners,
 * like setspn -Q, with duplicates marked like setspn -X.  The options are
 * read here; the work is spnlist.c's, the printing report_spn.c's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/display.h"
#include "spnaudit/finding.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/spnlist.h"

typedef struct spn_opts {
    dir_args d;
    sa_krb_options krb;
    sa_groupconf conf;       /* -c FILE: directory and credential defaults */
    sa_account_name account; /* --account: this account's SPNs only (setspn -L) */
    bool by_account;
    bool duplicates; /* --duplicates: only SPNs on several accounts */
    bool json;
    out_args out; /* --output, --quiet, --no-color */
} spn_opts;

/* What the writer of the listing needs. */
typedef struct listing_job {
    const sa_spn_listing *l;
    bool json;
} listing_job;

static void
spn_help(void)
{
    printf("Usage: spnaudit spn [OPTIONS]\n"
           "List the SPNs of the SCOM service classes in a domain and the accounts holding\n"
           "them, with SPNs held by several accounts marked DUPLICATE.\n\n" DIR_HELP "What to list:\n"
           "  -c, --config FILE         the management group's configuration (see\n"
           "                            spnaudit.conf(5)): its directory and credential\n"
           "                            settings; options given here override them\n"
           "  -a, --account NAME        only the SPNs of this account: NAME (also NAME$),\n"
           "                            NAME$, DOMAIN\\NAME or NAME@DOMAIN\n"
           "  -x, --duplicates          only SPNs registered on several accounts\n" KRB_HELP_NO_JOBS
           "Output:\n"
           "  -f, --format text|json    output format (default text)\n" OUT_HELP
           "  -h, --help                this help\n\n"
           "Exit status: 0 no duplicate, 1 duplicates listed (with --account: of its SPNs),\n"
           "2 no such account, 3 incomplete, 64 bad usage.\n");
}

/* With --account: that there is no such account, or that it holds no SPN
 * of the classes. */
static void
say_account(const spn_opts *o, const sa_spn_listing *l)
{
    const char *sam = o->account.sam;
    char name[520], *classes = sa_strv_join(&o->d.classes, ", ");

    snprintf(name, sizeof(name), "%s%s%s", o->account.domain, o->account.domain[0] ? "\\" : "", sam);
    if (l->account_bare)
        sa_show_printf(stderr, "spnaudit spn: %s holds no SPN of the classes %s\n", name,
                       classes ? classes : "asked for");
    else if (sam[strlen(sam) - 1] == '$')
        sa_show_printf(stderr, "spnaudit spn: no such account: %s (no sAMAccountName %s in %s)\n", name, sam,
                       l->where);
    else
        sa_show_printf(stderr, "spnaudit spn: no such account: %s (no sAMAccountName %s nor %s$ in %s)\n",
                       name, sam, sam, l->where);
    free(classes);
}

static int
write_listing(FILE *out, void *data)
{
    const listing_job *job = data;

    return job->json ? sa_spn_report_json(job->l, out) : sa_spn_report_text(job->l, out);
}

/* The options of spn: getopt_long's table, and the completion scripts'. */
const struct option spn_options[] = {
    DIR_LONG_OPTIONS,
    {"account", required_argument, NULL, 'a'},
    {"duplicates", no_argument, NULL, 'x'},
    {"config", required_argument, NULL, 'c'},
    {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    KRB_LONG_OPTIONS,
    OUT_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

static int
parse(int argc, char **argv, spn_opts *o)
{
    int c, handled;

    if ((c = dir_config_load("spn", argc, argv, &o->conf, &o->d, &o->krb)) >= 0)
        return c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" DIR_SHORT_OPTIONS "c:a:xf:h" KRB_SHORT_OPTIONS OUT_SHORT_OPTIONS,
                            spn_options, NULL)) != -1) {
        if (c == 'j')
            return usage_error("spn", "--jobs: spn requests no tickets (it reads the directory only)");
        if ((handled = dir_option("spn", c, optarg, &o->d)) == 0)
            handled = krb_option("spn", c, optarg, &o->krb, NULL); /* --jobs refused above */
        if (handled == 0)
            handled = out_option("spn", c, optarg, &o->out);
        if (handled > 1)
            return handled;
        if (handled == 1)
            continue;
        switch (c) {
        case 'a':
            if (!sa_account_name_parse(optarg, &o->account))
                return usage_error(
                    "spn", "--account wants NAME, NAME$, DOMAIN\\NAME or NAME@DOMAIN, not '%s'", optarg);
            o->by_account = true;
            break;
        case 'x':
            o->duplicates = true;
            break;
        case 'c':
            break; /* read first */
        case 'f':
            if ((c = json_option("spn", optarg, &o->json)) >= 0)
                return c;
            break;
        case 'h':
            spn_help();
            return 0;
        default:
            return bad_option("spn", c, argv, spn_options);
        }
    }
    if (optind < argc)
        return usage_error("spn", "unexpected argument '%s'", argv[optind]);
    return dir_args_finish("spn", &o->d);
}

int
cmd_spn(int argc, char **argv)
{
    spn_opts o;
    sa_error err = {SA_OK, ""};
    sa_krb *krb = NULL;
    sa_domain_set ds;
    sa_spn_listing l;
    char *default_domain = NULL;
    int status = SA_EXIT_INCOMPLETE, rc;
    sa_status st;

    memset(&o, 0, sizeof(o));
    memset(&l, 0, sizeof(l));
    dir_args_init(&o.d);
    if ((rc = parse(argc, argv, &o)) >= 0) {
        status = rc;
        goto cleanup;
    }
    st = open_credentials("spn", &o.krb, &o.d, false, &krb, &default_domain, &err);
    dir_domain_set(&o.d, &ds);
    if (st == SA_OK)
        st = sa_spn_list(&(sa_spn_list_request){&ds, &o.d.classes, o.d.dir.global_catalog,
                                                o.by_account ? &o.account : NULL, o.duplicates},
                         &l, &err);
    for (size_t k = 0; k < l.warnings.n; k++)
        sa_show_printf(stderr, "spnaudit spn: %s\n", l.warnings.items[k]);
    if (st != SA_OK) {
        /* a partial listing would read as complete: none at all */
        sa_show_printf(stderr, "spnaudit spn: %s\n", err.message);
        status = st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        goto cleanup;
    }
    status = sa_spn_listing_exit_status(&l);
    if (status == SA_EXIT_FAILURE) {
        say_account(&o, &l);
        goto cleanup;
    }
    if (o.by_account && !l.account_found)
        say_account(&o, &l);
    status = out_emit("spn", &o.out, write_listing, &(listing_job){&l, o.json}, status);
cleanup:
    sa_spn_listing_clear(&l);
    sa_groupconf_clear(&o.conf);
    dir_args_clear(&o.d);
    sa_krb_close(krb);
    free(default_domain);
    return status;
}
