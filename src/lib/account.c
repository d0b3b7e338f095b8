/* account.c - directory accounts holding SPNs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/account.h"

sa_account *
sa_accounts_add(sa_accounts *list)
{
    sa_account *items = sa_grow(list->items, &list->cap, list->n, sizeof(*list->items), 64);

    if (items == NULL)
        return NULL;
    list->items = items;
    memset(&list->items[list->n], 0, sizeof(list->items[0]));
    return &list->items[list->n++];
}

static void
account_free(sa_account *a)
{
    free(a->dn);
    free(a->sam);
    free(a->dns_host);
    free(a->domain);
    free(a->dns_domain);
    sa_strv_clear(&a->spns);
}

static int
by_dn(const void *a, const void *b)
{
    return strcasecmp(((const sa_account *)a)->dn, ((const sa_account *)b)->dn);
}

void
sa_accounts_dedupe(sa_accounts *list)
{
    size_t kept = 0;

    if (list->n < 2)
        return;
    qsort(list->items, list->n, sizeof(list->items[0]), by_dn);
    for (size_t i = 0; i < list->n; i++) {
        if (kept > 0 && strcasecmp(list->items[kept - 1].dn, list->items[i].dn) == 0) {
            account_free(&list->items[i]);
            continue;
        }
        list->items[kept++] = list->items[i];
    }
    list->n = kept;
}

void
sa_accounts_drop_last(sa_accounts *list)
{
    if (list->n == 0)
        return;
    account_free(&list->items[--list->n]);
}

void
sa_accounts_clear(sa_accounts *list)
{
    for (size_t i = 0; i < list->n; i++)
        account_free(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

long
sa_accounts_find_dn(const sa_accounts *list, const char *dn)
{
    for (size_t i = 0; i < list->n; i++) {
        if (strcasecmp(list->items[i].dn, dn) == 0)
            return (long)i;
    }
    return -1;
}

sa_account_kind
sa_account_kind_from_classes(const char *const *classes, size_t n)
{
    sa_account_kind kind = SA_ACCT_OTHER;

    /* The most specific class wins: a gMSA is also a computer, a
     * computer is also a user. */
    for (size_t i = 0; i < n; i++) {
        const char *c = classes[i];
        if (strcasecmp(c, "msDS-GroupManagedServiceAccount") == 0)
            return SA_ACCT_GMSA;
        if (strcasecmp(c, "msDS-ManagedServiceAccount") == 0)
            return SA_ACCT_MSA;
        if (strcasecmp(c, "computer") == 0)
            kind = SA_ACCT_COMPUTER;
        else if (strcasecmp(c, "user") == 0 && kind == SA_ACCT_OTHER)
            kind = SA_ACCT_USER;
    }
    return kind;
}

const char *
sa_account_kind_name(sa_account_kind kind)
{
    switch (kind) {
    case SA_ACCT_USER:
        return "user";
    case SA_ACCT_COMPUTER:
        return "computer";
    case SA_ACCT_GMSA:
        return "gmsa";
    case SA_ACCT_MSA:
        return "msa";
    case SA_ACCT_OTHER:
        break;
    }
    return "other";
}

bool
sa_account_disabled(const sa_account *a)
{
    return a->has_uac && (a->uac & SA_UAC_ACCOUNTDISABLE) != 0;
}

bool
sa_account_is_machine(const sa_account *a)
{
    return a->kind == SA_ACCT_COMPUTER || a->kind == SA_ACCT_GMSA || a->kind == SA_ACCT_MSA;
}

bool
sa_account_matches_host(const sa_account *a, const char *host)
{
    size_t len;

    if (a->dns_host != NULL && strcasecmp(a->dns_host, host) == 0)
        return true;
    if (a->sam == NULL)
        return false;
    /* The NetBIOS name is the sAMAccountName of a computer without '$';
     * an FQDN matches on its first label. */
    len = strlen(a->sam);
    if (len > 0 && a->sam[len - 1] == '$')
        len--;
    if (len == 0 || strncasecmp(a->sam, host, len) != 0)
        return false;
    if (host[len] == '\0')
        return true;
    /* Compare the first label only when the account has no dNSHostName
     * that could say otherwise. */
    return host[len] == '.' && a->dns_host == NULL;
}

bool
sa_account_named_in_domain(const sa_account *a, const char *host, const char *domain)
{
    size_t len;

    if (a->sam == NULL || domain == NULL)
        return false;
    len = strlen(a->sam);
    if (len > 0 && a->sam[len - 1] == '$')
        len--;
    return len > 0 && strncasecmp(a->sam, host, len) == 0 && host[len] == '.' &&
           strcasecmp(host + len + 1, domain) == 0;
}

char *
sa_account_display(const sa_account *a, const char *netbios_domain)
{
    const char *name = a->sam ? a->sam : a->dn;

    if (a->domain != NULL)
        netbios_domain = a->domain;
    if (netbios_domain != NULL && a->sam != NULL) {
        size_t len = strlen(netbios_domain) + strlen(name) + 2;
        char *s = malloc(len);
        if (s == NULL)
            return NULL;
        snprintf(s, len, "%s\\%s", netbios_domain, name);
        return s;
    }
    return strdup(name);
}
