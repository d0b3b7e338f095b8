/* dir_scp.c - the service connection points of SCOM's Active Directory
 * integration: CN=OperationsManager,<domain DN> holds a container per
 * management group, whose serviceConnectionPoint objects name its
 * management servers in serviceDNSName.  Active Directory's own meaning
 * of that attribute is the one relied on: a host's DNS name, unless
 * serviceDNSNameType says "SRV" (then it names DNS SRV records, not a
 * host, and is not taken for a server). */
#include <strings.h>
#include <stdlib.h>

#include "dir_internal.h"
#include "spnaudit/strv.h"

static sa_status
add_scp_host(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    sa_strv *out = data;
    char *host = NULL, *type = NULL;
    sa_status ret = SA_OK;

    if (!sa_ldap_first_value(d->ld, e, "serviceDNSName", &host) ||
        !sa_ldap_first_value(d->ld, e, "serviceDNSNameType", &type))
        ret = sa_error_nomem(err);
    else if (host != NULL && *host != '\0' && (type == NULL || strcasecmp(type, "SRV") != 0) &&
             !sa_strv_add_unique_ci(out, host))
        ret = sa_error_nomem(err);
    free(host);
    free(type);
    return ret;
}

sa_status
sa_dir_read_scom_scps(sa_dir *d, sa_strv *out, sa_search_stats *stats, sa_error *err)
{
    static const char *attrs[] = {"serviceDNSName", "serviceDNSNameType", NULL};
    sa_dir_query q = {NULL,
                      LDAP_SCOPE_SUBTREE,
                      "(objectClass=serviceConnectionPoint)",
                      (char **)attrs,
                      "the service connection points of SCOM's AD integration",
                      add_scp_host,
                      out,
                      NULL,
                      true};

    return sa_dir_search_under(d, "CN=OperationsManager", &q, stats, err);
}
