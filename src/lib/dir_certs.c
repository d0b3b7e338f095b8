/* dir_certs.c - the certificates published on a host's computer object
 * (userCertificate: DER values, written by autoenrollment from templates
 * that publish to AD, or by anyone who may write the object), read
 * bounded: a value over SA_DIR_CERT_MAX_BYTES or beyond
 * SA_DIR_CERTS_MAX_VALUES is counted, not kept. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dir_internal.h"
#include "spnaudit/display.h"

/* Hosts asked for in one search: its filter stays well under AD's limits. */
#define HOSTS_PER_SEARCH 50

typedef struct certs_ctx {
    const char *const *fqdns; /* this search's hosts */
    sa_host_certs *out;       /* theirs, in the same order */
    size_t n;
} certs_ctx;

/* The userCertificate values of e into out, within the bounds; false on
 * no memory. */
static bool
take_values(LDAP *ld, LDAPMessage *e, sa_host_certs *out)
{
    struct berval **vals = ldap_get_values_len(ld, e, "userCertificate");
    bool ok = true;

    for (size_t i = 0; ok && vals != NULL && vals[i] != NULL; i++) {
        sa_der *v;
        if (vals[i]->bv_len > SA_DIR_CERT_MAX_BYTES || vals[i]->bv_len == 0) {
            out->too_big++;
        } else if (out->n >= SA_DIR_CERTS_MAX_VALUES) {
            out->too_many++;
        } else if ((v = &out->values[out->n], v->data = malloc(vals[i]->bv_len)) == NULL) {
            ok = false;
        } else {
            memcpy(v->data, vals[i]->bv_val, vals[i]->bv_len);
            v->len = vals[i]->bv_len;
            out->n++;
        }
    }
    ldap_value_free_len(vals);
    return ok;
}

/* One computer object holding one of the hosts' names: the first for a
 * host is taken; a second makes that host's answer ambiguous. */
static sa_status
take_holder(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    certs_ctx *c = data;
    sa_host_certs *hc = NULL;
    char *name = NULL, *dn = NULL;
    sa_status ret = SA_OK;

    if (!sa_ldap_first_value(d->ld, e, "dNSHostName", &name))
        return sa_error_nomem(err);
    for (size_t i = 0; name != NULL && hc == NULL && i < c->n; i++) {
        if (strcasecmp(name, c->fqdns[i]) == 0)
            hc = &c->out[i];
    }
    free(name);
    if (hc == NULL || ++hc->holders > 1)
        return SA_OK; /* not asked for (the DC matched otherwise), or a second claimant */
    dn = ldap_get_dn(d->ld, e);
    hc->dn = dn ? strdup(dn) : NULL;
    ldap_memfree(dn);
    if (hc->dn == NULL || (hc->values = calloc(SA_DIR_CERTS_MAX_VALUES, sizeof(*hc->values))) == NULL ||
        !take_values(d->ld, e, hc))
        ret = sa_error_nomem(err);
    return ret;
}

/* "(&(objectCategory=computer)(|(dNSHostName=A)(dNSHostName=B)...))" for
 * the n hosts; NULL on out of memory. */
static char *
hosts_filter(const char *const *fqdns, size_t n)
{
    sa_strv terms = {NULL, 0, 0};
    char *joined = NULL, *filter = NULL;
    bool ok = true;

    for (size_t i = 0; ok && i < n; i++) {
        char *value = sa_ldap_filter_value(fqdns[i]), *term = NULL;
        term = value ? sa_strdup_printf("(dNSHostName=%s)", value) : NULL;
        ok = term != NULL && sa_strv_add(&terms, term);
        free(term);
        free(value);
    }
    if (ok && (joined = sa_strv_join(&terms, "")) != NULL)
        filter = sa_strdup_printf("(&(objectCategory=computer)(|%s))", joined);
    free(joined);
    sa_strv_clear(&terms);
    return filter;
}

/* One search for up to HOSTS_PER_SEARCH hosts. */
static sa_status
search_hosts(sa_dir *d, const char *const *fqdns, size_t n, sa_host_certs *out, sa_error *err)
{
    char *attrs[] = {"dNSHostName", "userCertificate", NULL};
    certs_ctx c = {fqdns, out, n};
    sa_dir_query q = {d->base_dn, LDAP_SCOPE_SUBTREE, NULL, attrs, NULL, take_holder, &c, NULL, false};
    sa_search_stats stats;
    char *filter = hosts_filter(fqdns, n), *what = NULL;
    sa_status ret;

    memset(&stats, 0, sizeof(stats));
    what = sa_strdup_printf("the computer objects of %zu host%s (%s%s) for their certificates", n,
                            n == 1 ? "" : "s", fqdns[0], n > 1 ? ", ..." : "");
    if (filter == NULL || what == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    q.filter = filter;
    q.what = what;
    ret = sa_dir_paged_search(d, &q, &stats, err);
cleanup:
    sa_search_stats_clear(&stats);
    free(what);
    free(filter);
    return ret;
}

sa_status
sa_dir_hosts_certs(sa_dir *d, const char *const *fqdns, size_t n, sa_host_certs *out, sa_error *err)
{
    sa_status ret = SA_OK;

    memset(out, 0, n * sizeof(*out));
    for (size_t i = 0; ret == SA_OK && i < n; i += HOSTS_PER_SEARCH)
        ret = search_hosts(d, fqdns + i, n - i < HOSTS_PER_SEARCH ? n - i : HOSTS_PER_SEARCH, out + i, err);
    for (size_t i = 0; ret != SA_OK && i < n; i++)
        sa_host_certs_clear(&out[i]);
    return ret;
}

void
sa_host_certs_clear(sa_host_certs *hc)
{
    for (size_t i = 0; hc->values != NULL && i < hc->n; i++)
        free(hc->values[i].data);
    free(hc->values);
    free(hc->dn);
    memset(hc, 0, sizeof(*hc));
}
