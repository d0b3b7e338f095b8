/* spnlist.c - the holders of some SPN service classes in one or more
 * domains, and the SPNs to list: all, an account's, or the duplicates. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/directory.h"
#include "spnaudit/finding.h"
#include "spnaudit/spnlist.h"

/* How many domains a request reads (at least the home one), and the name
 * of number i for sa_domain_connect (NULL: home). */
static size_t
domain_count(const sa_domain_set *ds)
{
    return ds->domains != NULL && ds->domains->n > 1 ? ds->domains->n : 1;
}

static const char *
domain_name(const sa_domain_set *ds, size_t i)
{
    return i == 0 || domain_count(ds) <= 1 ? NULL : ds->domains->items[i];
}

/* The referrals of a search that may hold accounts (the Configuration and
 * DNS partitions hold none), once each. */
static bool
add_referrals(sa_strv *to, const sa_strv *referrals)
{
    for (size_t k = 0; k < referrals->n; k++) {
        if (!sa_referral_is_infrastructure(referrals->items[k]) &&
            !sa_strv_add_unique_ci(to, referrals->items[k]))
            return false;
    }
    return true;
}

/* A warning line, "PREFIX: ITEM" for each item. */
static bool
add_warnings(sa_strv *to, const char *prefix, const sa_strv *items, const char *suffix)
{
    for (size_t k = 0; k < items->n; k++) {
        char *line = sa_strdup_printf("%s: %s%s", prefix, items->items[k], suffix);
        bool ok = line != NULL && sa_strv_add(to, line);

        free(line);
        if (!ok)
            return false;
    }
    return true;
}

/* Does an account of [first, n) of l->accounts (read from dir) match the
 * name asked for? */
static bool
holds_account(const sa_spn_list_request *req, const sa_spn_listing *l, size_t first, sa_dir *dir)
{
    for (size_t k = first; k < l->accounts.n; k++) {
        const sa_account *a = &l->accounts.items[k];

        if (sa_account_name_matches(req->account, a->sam,
                                    a->dns_domain ? a->dns_domain : sa_dir_dns_domain(dir)))
            return true;
    }
    return false;
}

/* With an account asked for that holds none of the SPNs read from dir:
 * does it exist there, holding none? */
static sa_status
look_for_account(const sa_spn_list_request *req, size_t first, sa_dir *dir, sa_spn_listing *l, sa_error *err)
{
    bool found = false;
    sa_status ret;

    if (req->account == NULL || l->account_bare || holds_account(req, l, first, dir) ||
        (!req->forest && !sa_account_name_in_domain(req->account, sa_dir_dns_domain(dir))))
        return SA_OK;
    ret = sa_dir_account_exists(dir, req->account->sam, &found, err);
    l->account_bare = found;
    return ret;
}

/* The holders in domain (NULL: home; with req->forest, its whole forest)
 * appended to l->accounts, labelled with their domain when label; the
 * domain's name (or "the forest of DOMAIN (Global Catalog)") to names; the
 * DCs skipped on the way to the one that answered to l->warnings. */
static sa_status
read_domain(const sa_spn_list_request *req, const char *domain, bool label, sa_spn_listing *l, sa_strv *names,
            sa_error *err)
{
    sa_search_stats stats;
    sa_strv unreachable = {NULL, 0, 0};
    sa_dir *dir = NULL;
    size_t first = l->accounts.n;
    char *name = NULL;
    sa_status ret;

    memset(&stats, 0, sizeof(stats));
    ret = sa_domain_connect(req->ds, domain, req->forest, &dir, &unreachable, err);
    if (ret == SA_OK)
        ret = sa_dir_find_spn_holders(dir, req->classes, &l->accounts, &stats, err);
    if (ret == SA_OK)
        ret = look_for_account(req, first, dir, l, err);
    if (ret != SA_OK)
        goto cleanup;
    name = req->forest ? sa_strdup_printf("the forest of %s (Global Catalog)", sa_dir_dns_domain(dir))
                       : strdup(sa_dir_dns_domain(dir));
    if (name == NULL || (label && !sa_label_accounts(&l->accounts, first, dir)) ||
        !sa_strv_add_unique_ci(names, name) || !add_referrals(&l->referrals, &stats.referrals) ||
        !add_warnings(&l->warnings, "skipped", &unreachable, ""))
        ret = sa_error_nomem(err);
cleanup:
    free(name);
    sa_strv_clear(&unreachable);
    sa_search_stats_clear(&stats);
    sa_dir_close(dir);
    return ret;
}

/* Is a the account asked for?  Its domain is read from its DN only when
 * the name has one. */
static bool
is_account(const sa_account_name *n, const sa_account *a)
{
    char *dom = n->domain[0] != '\0' && a->dns_domain == NULL ? sa_dn_domain_of(a->dn) : NULL;
    bool is = sa_account_name_matches(n, a->sam, a->dns_domain ? a->dns_domain : dom);

    free(dom);
    return is;
}

/* Does the run of holders [first, first+count) belong in the listing? */
static bool
wanted(const sa_spn_list_request *req, sa_spn_listing *l, size_t first, size_t count, bool duplicate)
{
    bool holds = false;

    for (size_t k = first; req->account != NULL && !holds && k < first + count; k++)
        holds = is_account(req->account, &l->accounts.items[l->idx.refs[k].account]);
    l->account_found |= holds;
    if (req->duplicates && !duplicate)
        return false;
    return req->account == NULL || holds;
}

/* Each SPN once, with whether several accounts hold it; those wanted go
 * to l->rows. */
static bool
select_rows(const sa_spn_list_request *req, sa_spn_listing *l)
{
    size_t i = 0;

    while (i < l->idx.n) {
        size_t first, count = sa_spn_index_lookup(&l->idx, l->idx.refs[i].spn, &first), holders = 0;
        sa_spn_row *rows;

        i = first + count;
        for (size_t k = first; k < first + count; k++)
            holders += k == first || l->idx.refs[k].account != l->idx.refs[k - 1].account;
        l->n_duplicates += holders > 1;
        if (!wanted(req, l, first, count, holders > 1))
            continue;
        if ((rows = sa_grow(l->rows, &l->cap_rows, l->n_rows, sizeof(*l->rows), 64)) == NULL)
            return false;
        l->rows = rows;
        rows[l->n_rows++] = (sa_spn_row){first, count, holders > 1};
        l->n_listed_duplicates += holders > 1;
    }
    return true;
}

sa_status
sa_spn_list(const sa_spn_list_request *req, sa_spn_listing *out, sa_error *err)
{
    sa_strv names = {NULL, 0, 0};
    size_t n = domain_count(req->ds);
    sa_status st = SA_OK;

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; st == SA_OK && i < n; i++)
        st = read_domain(req, domain_name(req->ds, i), n > 1 || req->forest, out, &names, err);
    if (st == SA_OK && !add_warnings(&out->warnings, "not followed", &out->referrals,
                                     ": accounts there are not listed (add --forest, or --domain for that "
                                     "domain)"))
        st = sa_error_nomem(err);
    if (st == SA_OK &&
        ((out->where = sa_strv_join(&names, ", ")) == NULL || !sa_spn_listing_select(req, out)))
        st = sa_error_nomem(err);
    sa_strv_clear(&names);
    return st;
}

bool
sa_spn_listing_select(const sa_spn_list_request *req, sa_spn_listing *l)
{
    /* In DN order, so that holders are listed the same way every run; and
     * once each (two domains of one forest, both read through its GC). */
    sa_accounts_dedupe(&l->accounts);
    l->by_account = req->account != NULL;
    return sa_spn_index_build(&l->accounts, &l->idx) && select_rows(req, l);
}

int
sa_spn_listing_exit_status(const sa_spn_listing *l)
{
    if (!l->by_account)
        return l->n_duplicates > 0 ? SA_EXIT_WARNING : SA_EXIT_OK;
    if (!l->account_found && !l->account_bare)
        return SA_EXIT_FAILURE;
    return l->n_listed_duplicates > 0 ? SA_EXIT_WARNING : SA_EXIT_OK;
}

void
sa_spn_listing_clear(sa_spn_listing *l)
{
    sa_spn_index_free(&l->idx);
    sa_accounts_clear(&l->accounts);
    free(l->rows);
    free(l->where);
    sa_strv_clear(&l->referrals);
    sa_strv_clear(&l->warnings);
    memset(l, 0, sizeof(*l));
}
