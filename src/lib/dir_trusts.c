/* dir_trusts.c - reading across domains: the domains of the forest
 * (crossRef objects), the domain's trusts (trustedDomain objects), one
 * SPN of a service class to ask a ticket for across a trust. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dir_internal.h"
#include "spnaudit/domains.h"
#include "spnaudit/spn.h"
#include "spnaudit/suspicious.h"
#include "spnaudit/trust.h"

/* ------------------------------------------------------------ the forest's domains */

static sa_status
add_forest_domain(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    sa_strv *out = data;
    char *root = NULL, *enabled = NULL;
    bool has_flags = false, ok;
    unsigned flags = 0;
    sa_status ret = SA_OK;

    ok = sa_ldap_first_value(d->ld, e, "dnsRoot", &root) &&
         sa_ldap_first_value(d->ld, e, "enabled", &enabled) &&
         sa_ldap_int_value(d->ld, e, "systemFlags", &has_flags, &flags);
    if (!ok)
        ret = sa_error_nomem(err);
    else if (root != NULL && has_flags && sa_crossref_is_forest_domain(flags, enabled) &&
             !sa_strv_add_unique_ci(out, root))
        ret = sa_error_nomem(err);
    free(root);
    free(enabled);
    return ret;
}

sa_status
sa_dir_read_forest_domains(sa_dir *d, sa_strv *out, sa_search_stats *stats, sa_error *err)
{
    static const char *attrs[] = {"dnsRoot", "systemFlags", "enabled", NULL};
    sa_dir_query q = {NULL,
                      LDAP_SCOPE_ONELEVEL,
                      "(objectClass=crossRef)",
                      (char **)attrs,
                      "the domains of the forest (crossRef objects of the Partitions container)",
                      add_forest_domain,
                      out};
    char *base = NULL;
    sa_status ret;

    if (d->config_nc == NULL)
        return sa_error_set(err, SA_ERR_DIRECTORY,
                            "%s: the rootDSE names no configurationNamingContext: cannot list the domains "
                            "of the forest",
                            d->uri);
    if ((base = sa_strdup_printf("CN=Partitions,%s", d->config_nc)) == NULL)
        return sa_error_nomem(err);
    q.base = base;
    ret = sa_dir_paged_search(d, &q, stats, err);
    free(base);
    return ret;
}

/* ------------------------------------------------------------ trusts */

/* Drop the trust just added to out (reading it failed). */
static void
drop_trust(sa_trusts *out)
{
    sa_trust *t = &out->items[out->n - 1];

    free(t->domain);
    free(t->partner);
    free(t->flat);
    free(t->sid);
    out->n--;
}

/* trustType, trustDirection and trustAttributes of entry e into t:
 * NULL, or the first that is missing or no integer (a verdict is never
 * drawn from a trust the DC did not describe). */
static const char *
trust_ints(sa_dir *d, LDAPMessage *e, sa_trust *t, bool *ok)
{
    bool has = false;
    unsigned v = 0;

    *ok = sa_ldap_int_value(d->ld, e, "trustType", &has, &v);
    if (!*ok || !has)
        return "trustType";
    t->type = (int)v;
    *ok = sa_ldap_int_value(d->ld, e, "trustDirection", &has, &v);
    if (!*ok || !has)
        return "trustDirection";
    t->direction = (int)v;
    *ok = sa_ldap_int_value(d->ld, e, "trustAttributes", &has, &v);
    if (!*ok || !has)
        return "trustAttributes";
    t->attributes = v;
    return NULL;
}

static sa_status
add_trust(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    sa_trusts *out = data;
    sa_trust *t = sa_trusts_add(out);
    struct berval **sid = NULL;
    const char *missing = NULL;
    bool ok;
    char text[200];

    if (t == NULL)
        return sa_error_nomem(err);
    t->domain = strdup(d->dns_domain);
    ok = t->domain != NULL && sa_ldap_first_value(d->ld, e, "trustPartner", &t->partner) &&
         sa_ldap_first_value(d->ld, e, "flatName", &t->flat);
    if (ok && t->partner == NULL) {
        /* a trustedDomain object without its partner: its name is the partner */
        char *dn = ldap_get_dn(d->ld, e);
        size_t n = dn ? strcspn(dn + (strncasecmp(dn, "CN=", 3) == 0 ? 3 : 0), ",") : 0;
        t->partner = dn ? strndup(dn + (strncasecmp(dn, "CN=", 3) == 0 ? 3 : 0), n) : NULL;
        ldap_memfree(dn);
        ok = t->partner != NULL;
    }
    if (ok)
        missing = trust_ints(d, e, t, &ok);
    ok = ok && sa_ldap_int_value(d->ld, e, "msDS-SupportedEncryptionTypes", &t->has_enctypes, &t->enctypes);
    if (ok && (sid = ldap_get_values_len(d->ld, e, "securityIdentifier")) != NULL && sid[0] != NULL &&
        sa_sid_to_text((const unsigned char *)sid[0]->bv_val, sid[0]->bv_len, text, sizeof(text)))
        ok = (t->sid = strdup(text)) != NULL;
    ldap_value_free_len(sid);
    if (ok && missing != NULL) {
        sa_error_set(err, SA_ERR_INCOMPLETE, "%s: the DC sent the trust with %s without a valid %s", d->uri,
                     t->partner, missing);
        drop_trust(out);
        return SA_ERR_INCOMPLETE;
    }
    if (!ok) {
        drop_trust(out);
        return sa_error_nomem(err);
    }
    return SA_OK;
}

sa_status
sa_dir_read_trusts(sa_dir *d, sa_trusts *out, sa_search_stats *stats, sa_error *err)
{
    static const char *attrs[] = {"trustPartner",
                                  "flatName",
                                  "securityIdentifier",
                                  "trustType",
                                  "trustDirection",
                                  "trustAttributes",
                                  "msDS-SupportedEncryptionTypes",
                                  NULL};
    sa_dir_query q = {NULL,
                      LDAP_SCOPE_ONELEVEL,
                      "(objectClass=trustedDomain)",
                      (char **)attrs,
                      "the domain's trusts (trustedDomain objects)",
                      add_trust,
                      out};

    return sa_dir_search_under(d, "CN=System", &q, stats, err);
}

/* Does the SPN name a host of this domain?  An SPN of another domain's
 * host held here would be asked of the wrong realm. */
static bool
spn_in_domain(const char *spn, const char *domain)
{
    sa_spn parsed;
    const char *why;

    return sa_spn_parse(spn, &parsed, &why) && sa_name_under_domain(parsed.host, domain);
}

/* An SPN fit to confirm a trust with: of the domain, held by a computer
 * for its own name (host = its dNSHostName), and neither value one that
 * someone may have planted (look-alikes, invisible characters, invalid
 * bytes: whatever SPN_VALUE_SUSPICIOUS reports) -- a ticket for one proves
 * nothing about the agents, and the report would name it.  An account
 * whose dNSHostName is not a host name is no agent to confirm with, even
 * when its SPN looks right. */
static bool
spn_fit_to_confirm(const char *spn, const char *dns_host, const char *domain)
{
    sa_suspicion why;
    sa_spn parsed;
    const char *bad;

    return dns_host != NULL && spn_in_domain(spn, domain) && sa_spn_parse(spn, &parsed, &bad) &&
           strcasecmp(parsed.host, dns_host) == 0 && !sa_value_suspicious(spn, SA_VALUE_SPN, &why) &&
           !sa_value_suspicious(dns_host, SA_VALUE_HOST, &why);
}

/* How many holders of the class sa_dir_first_spn looks at, at most. */
#define FIRST_SPN_MAX_ENTRIES 5000

typedef struct first_spn_ctx {
    const char *cls;
    char *found; /* the SPN, malloc'd */
    size_t seen;
    bool stop;
} first_spn_ctx;

/* An account holding an SPN of the class: is one of them of the domain? */
static sa_status
take_first_spn(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    first_spn_ctx *c = data;
    struct berval **vals = ldap_get_values_len(d->ld, e, "servicePrincipalName");
    char *host = NULL;
    sa_status ret = sa_ldap_first_value(d->ld, e, "dNSHostName", &host) ? SA_OK : sa_error_nomem(err);

    for (size_t i = 0; ret == SA_OK && c->found == NULL && vals != NULL && vals[i] != NULL; i++) {
        char *v = sa_ldap_text(vals[i]);
        if (v == NULL) {
            ret = sa_error_nomem(err);
            break;
        }
        if (sa_spn_has_class(v, c->cls) && spn_fit_to_confirm(v, host, d->dns_domain))
            c->found = v;
        else
            free(v);
    }
    ldap_value_free_len(vals);
    free(host);
    c->seen++;
    c->stop = c->found != NULL || c->seen >= FIRST_SPN_MAX_ENTRIES;
    return ret;
}

sa_status
sa_dir_first_spn(sa_dir *d, const char *cls, char **spn, sa_error *err)
{
    char *attrs[] = {"servicePrincipalName", "dNSHostName", NULL};
    first_spn_ctx c = {cls, NULL, 0, false};
    sa_dir_query q = {d->base_dn, LDAP_SCOPE_SUBTREE, NULL, attrs, NULL, take_first_spn, &c, &c.stop};
    sa_search_stats stats;
    char *filter = NULL, *what = NULL;
    sa_status ret;

    memset(&stats, 0, sizeof(stats));
    filter = sa_spn_class_filter(&cls, 1);
    what = sa_strdup_printf("the accounts holding %s SPNs for one naming a host of %s", cls, d->dns_domain);
    if (filter == NULL || what == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    q.filter = filter;
    q.what = what;
    ret = sa_dir_paged_search(d, &q, &stats, err);
    if (ret == SA_OK) {
        *spn = c.found;
        c.found = NULL;
    }
cleanup:
    sa_search_stats_clear(&stats);
    free(c.found);
    free(what);
    free(filter);
    return ret;
}
