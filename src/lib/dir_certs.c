/* dir_certs.c - the certificates published on a host's computer object
 * (userCertificate: DER values, written by autoenrollment from templates
 * that publish to AD, or by anyone who may write the object), read
 * bounded: a value over SA_DIR_CERT_MAX_BYTES or beyond
 * SA_DIR_CERTS_MAX_VALUES is counted, not kept. */
#include <stdlib.h>
#include <string.h>

#include "dir_internal.h"
#include "spnaudit/display.h"

typedef struct certs_ctx {
    sa_host_certs *out;
    bool stop;
} certs_ctx;

/* The values of attr of e into out, within the bounds; false on no memory. */
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

/* One computer object holding the host's name: the first is taken; a
 * second makes the answer ambiguous and ends the search. */
static sa_status
take_holder(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    certs_ctx *c = data;
    char *dn = NULL;

    c->out->holders++;
    c->stop = c->out->holders > 1;
    if (c->out->holders > 1)
        return SA_OK;
    dn = ldap_get_dn(d->ld, e);
    c->out->dn = dn ? strdup(dn) : NULL;
    ldap_memfree(dn);
    if (c->out->dn == NULL || !take_values(d->ld, e, c->out))
        return sa_error_nomem(err);
    return SA_OK;
}

sa_status
sa_dir_host_certs(sa_dir *d, const char *fqdn, sa_host_certs *out, sa_error *err)
{
    char *attrs[] = {"userCertificate", NULL};
    certs_ctx c = {out, false};
    sa_dir_query q = {d->base_dn, LDAP_SCOPE_SUBTREE, NULL, attrs, NULL, take_holder, &c, &c.stop, false};
    sa_search_stats stats;
    char *value = NULL, *filter = NULL, *what = NULL;
    sa_status ret;

    memset(&stats, 0, sizeof(stats));
    memset(out, 0, sizeof(*out));
    out->values = calloc(SA_DIR_CERTS_MAX_VALUES, sizeof(*out->values));
    value = sa_ldap_filter_value(fqdn);
    filter = value ? sa_strdup_printf("(&(objectCategory=computer)(dNSHostName=%s))", value) : NULL;
    what = sa_strdup_printf("the computer object of %s for its certificates", fqdn);
    if (out->values == NULL || filter == NULL || what == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    q.filter = filter;
    q.what = what;
    ret = sa_dir_paged_search(d, &q, &stats, err);
cleanup:
    if (ret != SA_OK)
        sa_host_certs_clear(out);
    sa_search_stats_clear(&stats);
    free(what);
    free(filter);
    free(value);
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
