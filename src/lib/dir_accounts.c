/* dir_accounts.c - reading accounts: the holders of SCOM SPNs, the
 * management servers' computer accounts, SPN values beyond a DC's
 * per-attribute limit (ranged retrieval), an object's DACL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dir_internal.h"
#include "spnaudit/range.h"
#include "spnaudit/spn.h"
#include "spnaudit/trust.h"

static const char *account_attrs[] = {
    "sAMAccountName",
    "dNSHostName",
    "objectClass",
    "userAccountControl",
    "msDS-SupportedEncryptionTypes",
    "servicePrincipalName",
    NULL,
};

typedef struct holder_ctx {
    const sa_strv *classes;
    sa_accounts *out;
    bool skip_known; /* do not add accounts whose DN is already listed */
} holder_ctx;

static bool
wanted_spn(const sa_strv *classes, const char *spn)
{
    for (size_t i = 0; i < classes->n; i++) {
        if (sa_spn_has_class(spn, classes->items[i]))
            return true;
    }
    return false;
}

/* Add the SPN values of attribute attr of entry e to a; *n gets how many
 * values the attribute had. */
static bool
add_spn_values(LDAP *ld, LDAPMessage *e, const char *attr, const sa_strv *classes, sa_account *a, size_t *n)
{
    struct berval **vals = ldap_get_values_len(ld, e, attr);
    bool ok = true;

    *n = 0;
    for (size_t i = 0; ok && vals != NULL && vals[i] != NULL; i++) {
        char *v = sa_ldap_text(vals[i]);
        if (v == NULL)
            ok = false;
        else if (wanted_spn(classes, v))
            ok = sa_strv_add(&a->spns, v);
        free(v);
        (*n)++;
    }
    ldap_value_free_len(vals);
    return ok;
}

/* The error for a ranged retrieval of dn's SPNs that went wrong at
 * attribute attr (NULL: the values from w->start on were not sent), whose
 * range is got (NULL: malformed, or no range). */
static sa_status
range_failure(sa_dir *d, const char *dn, const sa_range_walk *w, const sa_range *got, sa_range_step step,
              const char *attr, sa_error *err)
{
    char high[24];

    if (step == SA_RANGE_TOO_MANY)
        return sa_error_set(err, SA_ERR_INCOMPLETE,
                            "%s: more than %d servicePrincipalName values or %d ranges of %s: stopped",
                            d->uri, SA_RANGE_MAX_VALUES, SA_RANGE_MAX_ROUNDS, dn);
    if (attr == NULL)
        return sa_error_set(err, SA_ERR_INCOMPLETE,
                            "%s: the DC sent no servicePrincipalName values of %s from %lu on, after saying "
                            "more follow",
                            d->uri, dn, w->start);
    if (got == NULL && w->rounds == 0)
        return sa_error_set(err, SA_ERR_INCOMPLETE, "%s: the DC sent a malformed range \"%s\" of %s: stopped",
                            d->uri, attr, dn);
    if (got == NULL)
        return sa_error_set(err, SA_ERR_INCOMPLETE,
                            "%s: the DC sent \"%s\" of %s when asked for servicePrincipalName values from "
                            "%lu on: stopped",
                            d->uri, attr, dn, w->start);
    snprintf(high, sizeof(high), got->last ? "*" : "%lu", got->high);
    return sa_error_set(err, SA_ERR_INCOMPLETE,
                        "%s: the DC %s range %lu-%s of servicePrincipalName of %s%s: stopped", d->uri,
                        w->done || got->low < w->start ? "repeated" : "skipped to", got->low, high, dn,
                        w->done ? " after the last" : "");
}

/* The SPN values of entry e (of dn) into a, following walk w: the first
 * entry may hold every value (no range) or the first range; a later one
 * must hold the next range.  *more tells whether more values follow. */
static sa_status
spn_attrs(sa_dir *d, LDAPMessage *e, const char *dn, const sa_strv *classes, sa_account *a, sa_range_walk *w,
          bool *more, sa_error *err)
{
    BerElement *ber = NULL;
    bool first = w->rounds == 0 && w->values == 0, ranged = false;
    sa_status ret = SA_OK;

    *more = false;
    for (char *attr = ldap_first_attribute(d->ld, e, &ber); attr != NULL && ret == SA_OK;
         attr = ldap_next_attribute(d->ld, e, ber)) {
        sa_range r;
        sa_range_kind kind = sa_range_parse(attr, "servicePrincipalName", &r);
        sa_range_step step = SA_RANGE_DONE;
        size_t n = 0;

        if ((kind == SA_RANGE_NONE && !first) || kind == SA_RANGE_MALFORMED)
            ret = range_failure(d, dn, w, NULL, SA_RANGE_REPEATED, attr, err);
        else if (kind != SA_RANGE_OTHER && !add_spn_values(d->ld, e, attr, classes, a, &n))
            ret = sa_error_nomem(err);
        else if (kind == SA_RANGE_NONE && !sa_range_count(w, n))
            ret = range_failure(d, dn, w, NULL, SA_RANGE_TOO_MANY, attr, err);
        else if (kind == SA_RANGE_RANGED && (step = sa_range_next(w, &r, n)) > SA_RANGE_MORE)
            ret = range_failure(d, dn, w, &r, step, attr, err);
        if (kind == SA_RANGE_RANGED) {
            ranged = true;
            *more = step == SA_RANGE_MORE;
        }
        ldap_memfree(attr);
    }
    ber_free(ber, 0);
    if (ret == SA_OK && !first && !ranged)
        ret = range_failure(d, dn, w, NULL, SA_RANGE_REPEATED, NULL, err);
    return ret;
}

/* The rest of dn's SPN values, range by range from w->start. */
static sa_status
fetch_spn_range(sa_dir *d, const char *dn, sa_range_walk *w, const sa_strv *classes, sa_account *a,
                sa_error *err)
{
    LDAPMessage *res = NULL, *e;
    char attr[64];
    char *attrs[] = {attr, NULL};
    sa_status ret = SA_OK;
    bool more = true;

    while (ret == SA_OK && more) {
        snprintf(attr, sizeof(attr), "servicePrincipalName;range=%lu-*", w->start);
        ret = sa_dir_read_object(d, dn, attrs, NULL, "reading the remaining servicePrincipalName values",
                                 SA_ERR_INCOMPLETE, &res, err);
        if (ret == SA_OK && (e = ldap_first_entry(d->ld, res)) == NULL)
            ret = sa_error_set(err, SA_ERR_INCOMPLETE, "%s: %s vanished while reading its SPNs", d->uri, dn);
        else if (ret == SA_OK)
            ret = spn_attrs(d, e, dn, classes, a, w, &more, err);
        ldap_msgfree(res);
        res = NULL;
    }
    return ret;
}

/* The attributes of entry e (of dn) but its SPNs into a; false on out of
 * memory. */
static bool
account_attrs_of(sa_dir *d, LDAPMessage *e, const char *dn, sa_account *a)
{
    struct berval **classes = NULL;
    const char **names = NULL;
    size_t n = 0;
    bool ok;

    a->dn = strdup(dn);
    ok = a->dn != NULL && sa_ldap_first_value(d->ld, e, "sAMAccountName", &a->sam) &&
         sa_ldap_first_value(d->ld, e, "dNSHostName", &a->dns_host) &&
         sa_ldap_int_value(d->ld, e, "userAccountControl", &a->has_uac, &a->uac) &&
         sa_ldap_int_value(d->ld, e, "msDS-SupportedEncryptionTypes", &a->has_enctypes, &a->enctypes);
    classes = ok ? ldap_get_values_len(d->ld, e, "objectClass") : NULL;
    while (classes != NULL && classes[n] != NULL)
        n++;
    names = ok ? calloc(n + 1, sizeof(*names)) : NULL;
    for (size_t i = 0; names != NULL && i < n; i++)
        names[i] = classes[i]->bv_val; /* values are NUL-terminated by liblber */
    if (names != NULL)
        a->kind = sa_account_kind_from_classes(names, n);
    free(names);
    ldap_value_free_len(classes);
    return names != NULL;
}

static sa_status
add_account(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    holder_ctx *hc = data;
    char *dn = NULL;
    sa_account *a = NULL;
    sa_range_walk walk = {0, 0, 0, false};
    sa_status ret = SA_OK;
    bool more = false;

    dn = ldap_get_dn(d->ld, e);
    if (dn == NULL)
        return sa_error_set(err, SA_ERR_DIRECTORY, "%s: an entry without a DN", d->uri);
    if (hc->skip_known && sa_accounts_find_dn(hc->out, dn) >= 0)
        goto cleanup;
    a = sa_accounts_add(hc->out);
    if (a == NULL || !account_attrs_of(d, e, dn, a))
        ret = sa_error_nomem(err);
    if (ret == SA_OK)
        ret = spn_attrs(d, e, dn, hc->classes, a, &walk, &more, err);
    if (ret == SA_OK && more)
        ret = fetch_spn_range(d, dn, &walk, hc->classes, a, err);
cleanup:
    if (ret != SA_OK && a != NULL)
        sa_accounts_drop_last(hc->out);
    ldap_memfree(dn);
    return ret;
}

char *
sa_spn_class_filter(const char *const *classes, size_t n)
{
    char *filter = strdup("(|"), *next, *esc;

    for (size_t i = 0; filter != NULL && i < n; i++) {
        esc = sa_ldap_filter_value(classes[i]);
        next = esc != NULL ? sa_strdup_printf("%s(servicePrincipalName=%s/*)", filter, esc) : NULL;
        free(esc);
        free(filter);
        filter = next;
    }
    next = filter != NULL ? sa_strdup_printf("%s)", filter) : NULL;
    free(filter);
    return next;
}

sa_status
sa_dir_find_spn_holders(sa_dir *d, const sa_strv *classes, sa_accounts *out, sa_search_stats *stats,
                        sa_error *err)
{
    holder_ctx hc = {classes, out, false};
    sa_dir_query q = {NULL, LDAP_SCOPE_SUBTREE, NULL, (char **)account_attrs, NULL, add_account, &hc};
    char *filter = NULL;
    sa_status ret;

    if (classes->n == 0)
        return sa_error_set(err, SA_ERR_USAGE, "no service classes to look for");
    filter = sa_spn_class_filter((const char *const *)classes->items, classes->n);
    if (filter == NULL)
        return sa_error_nomem(err);
    /* The Global Catalog searched from the root covers every domain. */
    q.base = d->gc ? "" : d->base_dn;
    q.filter = filter;
    q.what = d->gc ? "the accounts holding SCOM SPNs in the forest (Global Catalog)"
                   : "the accounts holding SCOM SPNs";
    ret = sa_dir_paged_search(d, &q, stats, err);
    free(filter);
    return ret;
}

/* sa_dir_entry_fn: one entry is enough (the search stops at it). */
static sa_status
found_one(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    *(bool *)data = true;
    return SA_OK;
}

sa_status
sa_dir_account_exists(sa_dir *d, const char *sam, bool *found, sa_error *err)
{
    static char *attrs[] = {"1.1", NULL}; /* no attribute: the entry is the answer */
    bool seen = false;
    char *esc = sa_ldap_filter_value(sam), *filter = NULL;
    sa_dir_query q = {d->gc ? "" : d->base_dn,  LDAP_SCOPE_SUBTREE, NULL,  attrs,
                      "an account by its name", found_one,          &seen, &seen};
    sa_search_stats stats;
    sa_status ret;

    memset(&stats, 0, sizeof(stats));
    if (esc != NULL)
        filter = sam[strlen(sam) - 1] == '$'
                     ? sa_strdup_printf("(sAMAccountName=%s)", esc)
                     : sa_strdup_printf("(|(sAMAccountName=%s)(sAMAccountName=%s$))", esc, esc);
    free(esc);
    if (filter == NULL)
        return sa_error_nomem(err);
    q.filter = filter;
    ret = sa_dir_paged_search(d, &q, &stats, err);
    sa_search_stats_clear(&stats);
    free(filter);
    if (ret == SA_OK)
        *found = seen;
    return ret;
}

sa_status
sa_dir_find_computers(sa_dir *d, const char *const *fqdns, size_t n, const sa_strv *classes, sa_accounts *out,
                      sa_search_stats *stats, sa_error *err)
{
    holder_ctx hc = {classes, out, true};
    sa_dir_query q = {d->base_dn,
                      LDAP_SCOPE_SUBTREE,
                      NULL,
                      (char **)account_attrs,
                      "the management servers' computer accounts",
                      add_account,
                      &hc};
    char *filter = NULL, *next = NULL, *sam = NULL;
    sa_status ret = SA_OK;
    const size_t batch = 100;

    for (size_t start = 0; start < n && ret == SA_OK; start += batch) {
        filter = strdup("(&(objectClass=computer)(|");
        for (size_t i = start; filter != NULL && i < n && i < start + batch; i++) {
            struct berval in, e1 = {0, NULL}, e2 = {0, NULL};
            char nb[16];
            sa_netbios_from_fqdn(fqdns[i], nb, sizeof(nb));
            sam = sa_strdup_printf("%s$", nb);
            in.bv_val = (char *)fqdns[i];
            in.bv_len = strlen(fqdns[i]);
            if (sam == NULL || ldap_bv2escaped_filter_value(&in, &e1) != 0) {
                free(filter);
                filter = NULL;
                break;
            }
            in.bv_val = sam;
            in.bv_len = strlen(sam);
            if (ldap_bv2escaped_filter_value(&in, &e2) != 0) {
                ber_memfree(e1.bv_val);
                free(filter);
                filter = NULL;
                break;
            }
            next = sa_strdup_printf("%s(dNSHostName=%s)(sAMAccountName=%s)", filter, e1.bv_val, e2.bv_val);
            ber_memfree(e1.bv_val);
            ber_memfree(e2.bv_val);
            free(sam);
            sam = NULL;
            free(filter);
            filter = next;
        }
        next = filter ? sa_strdup_printf("%s))", filter) : NULL;
        free(filter);
        filter = next;
        if (filter == NULL) {
            free(sam);
            return sa_error_nomem(err);
        }
        q.filter = filter;
        ret = sa_dir_paged_search(d, &q, stats, err);
        free(filter);
        filter = NULL;
    }
    return ret;
}

sa_status
sa_dir_read_dacl(sa_dir *d, const char *dn, unsigned char **sd, size_t *sd_len, unsigned char **sid,
                 size_t *sid_len, sa_error *err)
{
    /* LDAP_SERVER_SD_FLAGS_OID with DACL_SECURITY_INFORMATION (4): the DACL
     * only, which authenticated users may read, unlike the SACL. */
    static char flags_value[] = {0x30, 0x03, 0x02, 0x01, 0x04};
    LDAPControl flags = {"1.2.840.113556.1.4.801", {sizeof(flags_value), flags_value}, 1};
    LDAPControl *ctrls[] = {&flags, NULL};
    char *attrs[] = {"nTSecurityDescriptor", "objectSid", NULL};
    LDAPMessage *res = NULL, *e;
    struct berval **vals = NULL;
    unsigned char *sd_out = NULL, *sid_out = NULL;
    size_t sd_n = 0, sid_n = 0;
    char text[SA_SID_TEXT_MAX], doing[600];
    sa_status ret = SA_ERR_DIRECTORY;

    snprintf(doing, sizeof(doing), "reading the security descriptor of %s", dn);
    if ((ret = sa_dir_read_object(d, dn, attrs, ctrls, doing, SA_ERR_DIRECTORY, &res, err)) != SA_OK)
        goto cleanup;
    ret = SA_ERR_DIRECTORY;
    e = ldap_first_entry(d->ld, res);
    if (e == NULL || (vals = ldap_get_values_len(d->ld, e, "nTSecurityDescriptor")) == NULL ||
        vals[0] == NULL) {
        sa_error_set(err, SA_ERR_DIRECTORY, "%s: no security descriptor readable on %s", d->uri, dn);
        goto cleanup;
    }
    sd_n = vals[0]->bv_len;
    sd_out = malloc(sd_n ? sd_n : 1);
    if (sd_out == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    memcpy(sd_out, vals[0]->bv_val, sd_n);
    ldap_value_free_len(vals);
    /* without it, a grant to the account's own SID would go unseen */
    vals = ldap_get_values_len(d->ld, e, "objectSid");
    if (vals == NULL || vals[0] == NULL ||
        !sa_sid_to_text((const unsigned char *)vals[0]->bv_val, vals[0]->bv_len, text, sizeof(text))) {
        sa_error_set(err, SA_ERR_DIRECTORY, "%s: no valid objectSid readable on %s", d->uri, dn);
        goto cleanup;
    }
    sid_n = vals[0]->bv_len;
    sid_out = malloc(sid_n);
    if (sid_out == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    memcpy(sid_out, vals[0]->bv_val, sid_n);
    *sd = sd_out;
    *sd_len = sd_n;
    *sid = sid_out;
    *sid_len = sid_n;
    sd_out = sid_out = NULL;
    ret = SA_OK;
cleanup:
    free(sd_out);
    free(sid_out);
    ldap_value_free_len(vals);
    ldap_msgfree(res);
    return ret;
}
