/* dir_templates.c - the certificate templates of the forest: the
 * pKICertificateTemplate objects under CN=Certificate Templates,CN=Public
 * Key Services,CN=Services of the Configuration partition, read bounded
 * (SA_DIR_TEMPLATES_MAX templates; SA_DIR_TEMPLATE_VALUES values of a
 * list, each of at most SA_TEMPLATE_CSP_MAX bytes) into plain data for
 * cert_template.c's checks.  An attribute absent is not read: no verdict
 * comes from it.  The enhanced key usage of a version 2 or later template
 * is its application policies (msPKI-Certificate-Application-Policy) when
 * it has any: the CA issues those. */
#include <stdlib.h>
#include <string.h>

#include "dir_internal.h"
#include "spnaudit/cert_template.h"
#include "spnaudit/display.h"

typedef struct templates_ctx {
    sa_cert_templates *out;
    size_t *left_out; /* templates beyond the bound */
} templates_ctx;

/* The values of attr (each bounded; a list bounded) into list; false on
 * no memory. */
static bool
take_list(LDAP *ld, LDAPMessage *e, const char *attr, sa_strv *list)
{
    struct berval **vals = ldap_get_values_len(ld, e, attr);
    bool ok = true;

    for (size_t i = 0; ok && vals != NULL && vals[i] != NULL && i < SA_DIR_TEMPLATE_VALUES; i++) {
        char *v;
        if (vals[i]->bv_len > SA_TEMPLATE_CSP_MAX)
            continue;
        ok = (v = sa_ldap_text(vals[i])) != NULL && sa_strv_add(list, v);
        free(v);
    }
    ldap_value_free_len(vals);
    return ok;
}

/* A number attribute into *value, *read telling whether there was one. */
static bool
take_int(LDAP *ld, LDAPMessage *e, const char *attr, bool *read, int *value)
{
    unsigned u = 0;

    if (!sa_ldap_int_value(ld, e, attr, read, &u))
        return false;
    *value = (int)(int32_t)u;
    return true;
}

static sa_status
take_template(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    templates_ctx *c = data;
    sa_cert_template *t;
    sa_strv policies = {NULL, 0, 0};
    bool has_spec = false;
    sa_status ret = SA_OK;

    if (c->out->n >= SA_DIR_TEMPLATES_MAX) {
        (*c->left_out)++;
        return SA_OK;
    }
    if ((t = sa_cert_templates_add(c->out)) == NULL)
        return sa_error_nomem(err);
    if (!sa_ldap_first_value(d->ld, e, "cn", &t->name) ||
        !sa_ldap_first_value(d->ld, e, "displayName", &t->display_name) ||
        !take_list(d->ld, e, "pKIExtendedKeyUsage", &t->ekus) ||
        !take_list(d->ld, e, "pKIDefaultCSPs", &t->csps) ||
        !sa_ldap_int_value(d->ld, e, "msPKI-Certificate-Name-Flag", &t->name_flag_read, &t->name_flag) ||
        !sa_ldap_int_value(d->ld, e, "msPKI-Private-Key-Flag", &t->private_key_flag_read,
                           &t->private_key_flag) ||
        !take_int(d->ld, e, "msPKI-Minimal-Key-Size", &t->min_key_size_read, &t->min_key_size) ||
        !take_int(d->ld, e, "msPKI-Template-Schema-Version", &t->schema_version_read, &t->schema_version) ||
        !take_int(d->ld, e, "pKIDefaultKeySpec", &has_spec, &t->key_spec) ||
        !take_list(d->ld, e, "msPKI-Certificate-Application-Policy", &policies))
        ret = sa_error_nomem(err);
    t->key_spec_read = has_spec;
    /* from schema version 2, the CA writes the application policies as the
     * certificate's enhanced key usage */
    if (ret == SA_OK && policies.n > 0 && t->schema_version_read && t->schema_version >= 2) {
        sa_strv_clear(&t->ekus);
        t->ekus = policies;
        memset(&policies, 0, sizeof(policies));
    }
    sa_strv_clear(&policies);
    return ret;
}

sa_status
sa_dir_read_templates(sa_dir *d, sa_cert_templates *out, size_t *left_out, sa_error *err)
{
    const char *attrs[] = {"cn",
                           "displayName",
                           "pKIExtendedKeyUsage",
                           "pKIDefaultCSPs",
                           "msPKI-Certificate-Name-Flag",
                           "msPKI-Private-Key-Flag",
                           "msPKI-Minimal-Key-Size",
                           "msPKI-Template-Schema-Version",
                           "pKIDefaultKeySpec",
                           "msPKI-Certificate-Application-Policy",
                           NULL};
    templates_ctx c = {out, left_out};
    sa_dir_query q = {NULL,
                      LDAP_SCOPE_ONELEVEL,
                      "(objectClass=pKICertificateTemplate)",
                      (char **)attrs,
                      "the certificate templates",
                      take_template,
                      &c,
                      NULL,
                      true};
    sa_search_stats stats;
    char *base = NULL;
    sa_status ret;

    *left_out = 0;
    if (d->config_nc == NULL)
        return sa_error_set(
            err, SA_ERR_DIRECTORY,
            "%s: the rootDSE names no configurationNamingContext: cannot read the certificate "
            "templates",
            d->uri);
    if ((base = sa_strdup_printf("CN=Certificate Templates,CN=Public Key Services,CN=Services,%s",
                                 d->config_nc)) == NULL)
        return sa_error_nomem(err);
    memset(&stats, 0, sizeof(stats));
    q.base = base;
    ret = sa_dir_paged_search(d, &q, &stats, err);
    sa_search_stats_clear(&stats);
    free(base);
    return ret;
}
