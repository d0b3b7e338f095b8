/* cmd_spn.c - "spnaudit spn": the SCOM SPNs of a domain and their owners,
 * like setspn -Q, with duplicates marked like setspn -X. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/analysis.h"
#include "spnaudit/finding.h"

typedef struct spn_opts {
    dir_args d;
    sa_krb_options krb;
    const char *account; /* --account: this account's SPNs only (setspn -L) */
    bool duplicates;     /* --duplicates: only SPNs on several accounts */
    bool json;
} spn_opts;

static void
spn_help(void)
{
    printf("Usage: spnaudit spn [OPTIONS]\n"
           "List the SPNs of the SCOM service classes in a domain and the accounts holding\n"
           "them, with SPNs held by several accounts marked DUPLICATE.\n\n" DIR_HELP "What to list:\n"
           "  -a, --account NAME        only the SPNs of this account (sAMAccountName)\n"
           "  -x, --duplicates          only SPNs registered on several accounts\n" KRB_HELP_NO_JOBS
           "  -f, --format text|json    output format (default text)\n"
           "  -h, --help                this help\n\n"
           "Exit status: 0 no duplicate, 1 duplicates listed, 3 incomplete, 64 bad usage.\n");
}

static int
parse(int argc, char **argv, spn_opts *o)
{
    static const struct option longopts[] = {
        DIR_LONG_OPTIONS,
        {"account", required_argument, NULL, 'a'},
        {"duplicates", no_argument, NULL, 'x'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        KRB_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c, handled;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" DIR_SHORT_OPTIONS "a:xf:h" KRB_SHORT_OPTIONS, longopts, NULL)) !=
           -1) {
        if (c == 'j')
            return usage_error("spn", "--jobs: spn requests no tickets (it reads the directory only)");
        if ((handled = dir_option("spn", c, optarg, &o->d)) == 0)
            handled = krb_option("spn", c, optarg, &o->krb, NULL); /* --jobs refused above */
        if (handled > 1)
            return handled;
        if (handled == 1)
            continue;
        switch (c) {
        case 'a':
            if (*optarg == '\0')
                return usage_error("spn", "--account wants a sAMAccountName");
            o->account = optarg;
            break;
        case 'x':
            o->duplicates = true;
            break;
        case 'f':
            if ((c = json_option("spn", optarg, &o->json)) >= 0)
                return c;
            break;
        case 'h':
            spn_help();
            return 0;
        default:
            return bad_option("spn", c, argv);
        }
    }
    if (optind < argc)
        return usage_error("spn", "unexpected argument '%s'", argv[optind]);
    if ((c = krb_options_check("spn", &o->krb)) >= 0)
        return c;
    return dir_args_finish("spn", &o->d);
}

/* Does the run of holders [first, first+count) belong in the listing? */
static bool
wanted(const spn_opts *o, const sa_accounts *accounts, const sa_spn_index *idx, size_t first, size_t count,
       size_t holders)
{
    if (o->duplicates && holders < 2)
        return false;
    if (o->account == NULL)
        return true;
    for (size_t k = first; k < first + count; k++) {
        const char *sam = accounts->items[idx->refs[k].account].sam;
        if (sam != NULL && strcasecmp(sam, o->account) == 0)
            return true;
    }
    return false;
}

static int
print_listing(const spn_opts *o, const sa_accounts *accounts, const char *domain, const sa_strv *referrals,
              size_t *n_dup_out)
{
    sa_spn_index idx = {NULL, 0};
    json_object *root = NULL, *arr = NULL;
    size_t shown = 0, n_dup = 0, i = 0;
    int ret = -1;

    if (!sa_spn_index_build(accounts, &idx))
        goto cleanup;
    if (o->json && ((root = json_object_new_object()) == NULL || (arr = json_object_new_array()) == NULL))
        goto cleanup;
    while (i < idx.n) {
        size_t first, count = sa_spn_index_lookup(&idx, idx.refs[i].spn, &first), holders = 0;
        json_object *entry = NULL, *hl = NULL;

        i = first + count;
        for (size_t k = first; k < first + count; k++)
            holders += k == first || idx.refs[k].account != idx.refs[k - 1].account;
        n_dup += holders > 1;
        if (!wanted(o, accounts, &idx, first, count, holders))
            continue;
        shown++;
        if (o->json) {
            entry = json_object_new_object();
            hl = json_object_new_array();
            if (entry == NULL || hl == NULL) {
                json_object_put(entry);
                json_object_put(hl);
                goto cleanup;
            }
            json_object_object_add(entry, "spn", json_object_new_string(idx.refs[first].spn));
            json_object_object_add(entry, "duplicate", json_object_new_boolean(holders > 1));
        } else {
            printf("%-44s", idx.refs[first].spn);
        }
        for (size_t k = first; k < first + count; k++) {
            const sa_account *a = &accounts->items[idx.refs[k].account];
            if (o->json) {
                json_object *h = json_object_new_object();
                if (h == NULL)
                    break;
                char *dom = sa_dn_domain_of(a->dn);
                json_object_object_add(h, "dn", json_object_new_string(a->dn));
                json_object_object_add(h, "domain", dom ? json_object_new_string(dom) : NULL);
                free(dom);
                json_object_object_add(h, "sam_account_name", a->sam ? json_object_new_string(a->sam) : NULL);
                json_object_object_add(h, "kind", json_object_new_string(sa_account_kind_name(a->kind)));
                json_object_object_add(h, "disabled", json_object_new_boolean(sa_account_disabled(a)));
                json_object_array_add(hl, h);
            } else {
                char *name = sa_account_display(a, NULL);
                printf("%s%s (%s%s)", k == first ? " " : ", ", name ? name : a->dn,
                       sa_account_kind_name(a->kind), sa_account_disabled(a) ? ", disabled" : "");
                free(name);
            }
        }
        if (o->json) {
            json_object_object_add(entry, "holders", hl);
            json_object_array_add(arr, entry);
        } else {
            printf("%s\n", holders > 1 ? "  DUPLICATE" : "");
        }
    }
    if (o->json) {
        json_object *counts = json_object_new_object(), *refs = json_object_new_array();
        if (counts == NULL || refs == NULL) {
            json_object_put(counts);
            json_object_put(refs);
            goto cleanup;
        }
        for (size_t r = 0; r < referrals->n; r++)
            json_object_array_add(refs, json_object_new_string(referrals->items[r]));
        json_object_object_add(counts, "listed", json_object_new_int64((int64_t)shown));
        json_object_object_add(counts, "accounts", json_object_new_int64((int64_t)accounts->n));
        json_object_object_add(counts, "duplicates", json_object_new_int64((int64_t)n_dup));
        json_object_object_add(root, "schema_version", json_object_new_int(1));
        json_object_object_add(root, "domain", json_object_new_string(domain));
        json_object_object_add(root, "counts", counts);
        json_object_object_add(root, "referrals_not_followed", refs);
        json_object_object_add(root, "spns", arr);
        arr = NULL;
        if (puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
            goto cleanup;
    } else {
        printf("%zu SPN%s listed; %zu account%s in %s hold SPNs of these classes; %zu SPN%s on several "
               "accounts\n",
               shown, shown == 1 ? "" : "s", accounts->n, accounts->n == 1 ? "" : "s", domain, n_dup,
               n_dup == 1 ? " is" : "s are");
    }
    *n_dup_out = n_dup;
    ret = fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
cleanup:
    json_object_put(arr);
    json_object_put(root);
    sa_spn_index_free(&idx);
    return ret;
}

int
cmd_spn(int argc, char **argv)
{
    spn_opts o;
    sa_error err = {SA_OK, ""};
    sa_krb *krb = NULL;
    sa_accounts accounts = {NULL, 0, 0};
    sa_strv names = {NULL, 0, 0}, referrals = {NULL, 0, 0};
    char *default_domain = NULL, *where = NULL;
    size_t n_dup = 0, n_domains;
    int status = SA_EXIT_INCOMPLETE, rc;
    bool several;
    sa_status st;

    memset(&o, 0, sizeof(o));
    dir_args_init(&o.d);
    rc = parse(argc, argv, &o);
    if (rc >= 0) {
        status = rc;
        goto cleanup;
    }
    n_domains = dir_domain_count(&o.d);
    several = n_domains > 1 || o.d.dir.global_catalog;
    st = open_credentials(&o.krb, &o.d, false, &krb, &default_domain, &err);
    for (size_t i = 0; st == SA_OK && i < n_domains; i++) {
        sa_strv unreachable = {NULL, 0, 0};

        st = read_holders(&o.d, i, o.d.dir.global_catalog, several, &accounts, &names, &unreachable,
                          &referrals, &err);
        for (size_t k = 0; st == SA_OK && k < unreachable.n; k++)
            fprintf(stderr, "spnaudit spn: skipped: %s\n", unreachable.items[k]);
        sa_strv_clear(&unreachable);
    }
    for (size_t k = 0; st == SA_OK && k < referrals.n; k++)
        fprintf(stderr,
                "spnaudit spn: not followed: %s: accounts there are not listed (add --forest, or "
                "--domain for that domain)\n",
                referrals.items[k]);
    /* In DN order, so that holders are listed the same way every run; and
     * once each (two domains of one forest, both read through its GC). */
    if (st == SA_OK)
        sa_accounts_dedupe(&accounts);
    if (st == SA_OK && (where = sa_strv_join(&names, ", ")) == NULL)
        st = sa_error_nomem(&err);
    if (st != SA_OK) {
        /* a partial listing would read as complete: none at all */
        fprintf(stderr, "spnaudit spn: %s\n", err.message);
        status = st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        goto cleanup;
    }
    if (print_listing(&o, &accounts, where, &referrals, &n_dup) != 0) {
        fprintf(stderr, "spnaudit spn: cannot write the listing: %s\n", strerror(errno));
        goto cleanup;
    }
    status = n_dup > 0 ? SA_EXIT_WARNING : SA_EXIT_OK;
cleanup:
    sa_accounts_clear(&accounts);
    sa_strv_clear(&names);
    sa_strv_clear(&referrals);
    dir_args_clear(&o.d);
    sa_krb_close(krb);
    free(default_domain);
    free(where);
    return status;
}
