/* discovered.c - the servers an audit suggests when none was named (see
 * discovered.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/analysis.h"
#include "spnaudit/discovered.h"
#include "spnaudit/spn.h"

bool
sa_discovered_sdk_hosts(const sa_accounts *accounts, sa_strv *out)
{
    for (size_t i = 0; i < accounts->n; i++) {
        const sa_strv *spns = &accounts->items[i].spns;
        for (size_t k = 0; k < spns->n; k++) {
            sa_spn spn;
            const char *why;
            if (!sa_spn_has_class(spns->items[k], SA_CLASS_SDK) ||
                !sa_spn_parse(spns->items[k], &spn, &why) || !sa_spn_host_is_fqdn(spn.host))
                continue;
            if (!sa_strv_add_unique_ci(out, spn.host))
                return false;
        }
    }
    return true;
}

bool
sa_plain_dns_name(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 253 || s[0] == '-' || s[0] == '.')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c < 0x80 && (isalnum(c) || c == '-' || c == '.')))
            return false;
    }
    return true;
}

bool
sa_discovered_hosts(const sa_discovered *d, sa_strv *out)
{
    return sa_strv_add_all(out, &d->scp_hosts, 0, true) && sa_strv_add_all(out, &d->sdk_hosts, 0, true);
}

/* The host[:port] of an ldap:// or ldaps:// URI when it is plain, malloc'd
 * in *out (NULL when it is not); false on out of memory. */
static bool
plain_server(const char *uri, char **out)
{
    const char *p = uri ? strstr(uri, "://") : NULL;
    char *host = NULL, *colon;
    bool ok;

    *out = NULL;
    if (p == NULL)
        return true;
    if ((host = strndup(p + 3, strcspn(p + 3, "/"))) == NULL)
        return false;
    colon = strchr(host, ':');
    ok = colon == NULL || (colon[1] != '\0' && strspn(colon + 1, "0123456789") == strlen(colon + 1));
    if (colon != NULL)
        *colon = '\0';
    ok = ok && sa_plain_dns_name(host);
    if (colon != NULL)
        *colon = ':';
    if (ok)
        *out = host;
    else
        free(host);
    return true;
}

char *
sa_discovered_command(const char *dc_uri, const sa_strv *hosts, bool *nomem)
{
    sa_strv words = {NULL, 0, 0};
    char *server = NULL, *line = NULL;
    bool ok = plain_server(dc_uri, &server), any = false;

    ok = ok && sa_strv_add(&words, "spnaudit audit");
    if (ok && server != NULL)
        ok = sa_strv_add(&words, "--server") && sa_strv_add(&words, server);
    for (size_t i = 0; ok && i < hosts->n; i++) {
        if (!sa_plain_dns_name(hosts->items[i]))
            continue;
        ok = sa_strv_add(&words, "--ms") && sa_strv_add(&words, hosts->items[i]);
        any = true;
    }
    if (ok && any)
        ok = (line = sa_strv_join(&words, " ")) != NULL;
    *nomem = !ok;
    free(server);
    sa_strv_clear(&words);
    return line;
}

void
sa_discovered_clear(sa_discovered *d)
{
    sa_strv_clear(&d->scp_hosts);
    sa_strv_clear(&d->sdk_hosts);
    free(d->scp_error);
    memset(d, 0, sizeof(*d));
}
