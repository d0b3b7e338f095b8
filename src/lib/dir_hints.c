/* dir_hints.c - the facts behind the hints of a failed connection (the
 * DC's own name, read anonymously; whether a name resolves), added to the
 * error with hints.c's words. */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_internal.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/hints.h"

/* The DC's own name, dnsHostName of its rootDSE, asked on the connection
 * whose bind failed (it is anonymous then), malloc'd; NULL if unknown or
 * not a host name. */
static char *
dc_own_name(sa_dir *d)
{
    char *attrs[] = {"dnsHostName", NULL};
    struct timeval tv = {d->timeout, 0};
    LDAPMessage *res = NULL, *e;
    char *name = NULL;

    if (ldap_search_ext_s(d->ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL, &tv, 0,
                          &res) == LDAP_SUCCESS &&
        (e = ldap_first_entry(d->ld, res)) != NULL)
        (void)sa_ldap_first_value(d->ld, e, "dnsHostName", &name);
    ldap_msgfree(res);
    if (name != NULL && !sa_valid_fqdn(name)) {
        free(name); /* what the DC says is offered as --server: a host name only */
        name = NULL;
    }
    return name;
}

void
sa_dir_hint_gssapi(sa_dir *d, const char *diag, sa_error *err)
{
    char hint[700], host[300];
    char *name = NULL;

    sa_uri_host(d->uri, host, sizeof(host));
    if (host[0] == '\0' || diag == NULL)
        return;
    if (strstr(diag, "Server not found in Kerberos database") != NULL)
        name = dc_own_name(d);
    if (sa_hint_gssapi_bind(host, diag, name, hint, sizeof(hint)))
        sa_hint_prepend(err->message, sizeof(err->message), d->uri, hint);
    free(name);
}

void
sa_dir_hint_unreachable(const char *uri, sa_error *err)
{
    struct addrinfo hints, *res = NULL;
    char hint[700], host[300];
    int rc;

    sa_uri_host(uri, host, sizeof(host));
    if (host[0] == '\0' || sa_host_is_address(host))
        return;
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc == EAI_NONAME || rc == EAI_NODATA || rc == EAI_FAIL || rc == EAI_AGAIN) {
        sa_hint_unresolved(host, gai_strerror(rc), hint, sizeof(hint));
        sa_hint_prepend(err->message, sizeof(err->message), uri, hint);
    }
    if (res != NULL)
        freeaddrinfo(res);
}
