/* servers.c - the expected servers matched to computer accounts, each in its
 * own domain; which SPNs and tickets are a server's. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/analysis.h"
#include "spnaudit/spn.h"

/* Is account a one that can be server s's computer account: a computer
 * of the server's domain? */
static bool
can_be_server(const sa_account *a, const sa_server *s, const sa_domain_view *others, size_t n_others)
{
    return a->kind == SA_ACCT_COMPUTER && sa_account_domain(a, others, n_others) == s->domain;
}

/* The NetBIOS name from the account's sAMAccountName (without '$'). */
static void
netbios_from_sam(const char *sam, char *netbios)
{
    size_t len = strcspn(sam, "$");

    if (len > 15)
        len = 15;
    memcpy(netbios, sam, len);
    netbios[len] = '\0';
    for (char *p = netbios; *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
}

/* dNSHostName first; the sAMAccountName only for an account that has no
 * dNSHostName to contradict it. */
static void
match_one(const sa_accounts *accounts, sa_server *s, const sa_domain_view *others, size_t n_others)
{
    s->account = -1;
    sa_netbios_from_fqdn(s->fqdn, s->netbios, sizeof(s->netbios));
    if (s->not_judged)
        return;
    for (size_t j = 0; j < accounts->n && s->account < 0; j++) {
        const sa_account *a = &accounts->items[j];
        if (can_be_server(a, s, others, n_others) && a->dns_host != NULL &&
            strcasecmp(a->dns_host, s->fqdn) == 0)
            s->account = (long)j;
    }
    for (size_t j = 0; j < accounts->n && s->account < 0; j++) {
        const sa_account *a = &accounts->items[j];
        if (can_be_server(a, s, others, n_others) && a->dns_host == NULL &&
            sa_account_matches_host(a, s->netbios))
            s->account = (long)j;
    }
    if (s->account >= 0 && accounts->items[s->account].sam != NULL)
        netbios_from_sam(accounts->items[s->account].sam, s->netbios);
}

bool
sa_servers_match(const sa_accounts *accounts, const char *const *fqdns, size_t n, sa_server **out)
{
    sa_server *servers = NULL;

    if (n > 0) {
        servers = calloc(n, sizeof(*servers));
        if (servers == NULL)
            return false;
    }
    for (size_t i = 0; i < n; i++) {
        servers[i].fqdn = fqdns[i];
        match_one(accounts, &servers[i], NULL, 0);
    }
    *out = servers;
    return true;
}

void
sa_servers_rematch(const sa_accounts *accounts, const sa_domain_view *others, size_t n_others,
                   sa_server *servers, size_t n)
{
    for (size_t i = 0; i < n; i++)
        match_one(accounts, &servers[i], others, n_others);
}

long
sa_account_domain(const sa_account *a, const sa_domain_view *others, size_t n_others)
{
    if (a->dns_domain == NULL)
        return 0;
    for (size_t k = 0; k < n_others; k++) {
        if (others[k].dns != NULL && strcasecmp(others[k].dns, a->dns_domain) == 0)
            return (long)k + 1;
    }
    return -1;
}

bool
sa_spn_host_is_server(const sa_account *a, const char *host, const sa_server *s, const sa_domain_view *others,
                      size_t n_others)
{
    if (strcasecmp(host, s->fqdn) == 0)
        return true;
    return strcasecmp(host, s->netbios) == 0 && sa_account_domain(a, others, n_others) == s->domain;
}

char *
sa_ticket_name(const sa_account *a, const char *spn)
{
    char *realm, *name;

    if (a->dns_domain == NULL)
        return strdup(spn);
    if ((realm = sa_strdup_upper(a->dns_domain)) == NULL)
        return NULL;
    name = sa_strdup_printf("%s@%s", spn, realm);
    free(realm);
    return name;
}

const sa_ticket *
sa_ticket_for_holder(const sa_tickets *tickets, const sa_account *a, const char *spn)
{
    char *name;
    const sa_ticket *t;

    if (tickets == NULL || (name = sa_ticket_name(a, spn)) == NULL)
        return NULL;
    t = sa_tickets_find(tickets, name);
    free(name);
    return t;
}
