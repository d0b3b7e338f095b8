/* analysis.c - the rules: accounts, expected servers and ticket outcomes in,
 * findings out.  No I/O, so every rule is unit-tested with plain data. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/analysis.h"
#include "spnaudit/domains.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/spn.h"

/* ------------------------------------------------------------ SPN index */

static int
cmp_ref(const void *pa, const void *pb)
{
    const sa_spn_ref *a = pa, *b = pb;
    int c = strcasecmp(a->spn, b->spn);

    if (c != 0)
        return c;
    return (a->account > b->account) - (a->account < b->account);
}

bool
sa_spn_index_build(const sa_accounts *accounts, sa_spn_index *out)
{
    size_t total = 0, k = 0;
    sa_spn_ref *refs = NULL;

    for (size_t i = 0; i < accounts->n; i++)
        total += accounts->items[i].spns.n;
    if (total > 0) {
        refs = calloc(total, sizeof(*refs));
        if (refs == NULL)
            return false;
    }
    for (size_t i = 0; i < accounts->n; i++) {
        const sa_strv *spns = &accounts->items[i].spns;
        for (size_t j = 0; j < spns->n; j++) {
            refs[k].spn = spns->items[j];
            refs[k].account = i;
            k++;
        }
    }
    if (total > 1)
        qsort(refs, total, sizeof(*refs), cmp_ref);
    out->refs = refs;
    out->n = total;
    return true;
}

void
sa_spn_index_free(sa_spn_index *idx)
{
    free(idx->refs);
    idx->refs = NULL;
    idx->n = 0;
}

size_t
sa_spn_index_lookup(const sa_spn_index *idx, const char *spn, size_t *first)
{
    size_t lo = 0, hi = idx->n, end;

    /* lower bound */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcasecmp(idx->refs[mid].spn, spn) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < idx->n && strcasecmp(idx->refs[end].spn, spn) == 0; end++)
        ;
    *first = lo;
    return end - lo;
}

/* Number of distinct accounts in the run [first, first+count). */
static size_t
distinct_holders(const sa_spn_index *idx, size_t first, size_t count)
{
    size_t n = 0;

    for (size_t i = first; i < first + count; i++) {
        if (i == first || idx->refs[i].account != idx->refs[i - 1].account)
            n++;
    }
    return n;
}

bool
sa_spn_index_unique(const sa_spn_index *idx, sa_strv *out)
{
    for (size_t i = 0; i < idx->n; i++) {
        if (i > 0 && strcasecmp(idx->refs[i].spn, idx->refs[i - 1].spn) == 0)
            continue;
        if (!sa_strv_add(out, idx->refs[i].spn))
            return false;
    }
    return true;
}

/* ------------------------------------------------------------ servers */

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

const sa_ticket *
sa_ticket_for_holder(const sa_tickets *tickets, const sa_account *a, const char *spn)
{
    char key[SA_SPN_MAX + 300];
    size_t n;

    if (tickets == NULL)
        return NULL;
    if (a->dns_domain == NULL)
        return sa_tickets_find(tickets, spn);
    n = (size_t)snprintf(key, sizeof(key), "%s@%s", spn, a->dns_domain);
    if (n >= sizeof(key))
        return NULL;
    for (char *p = strchr(key, '@'); *p; p++)
        *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    return sa_tickets_find(tickets, key);
}

/* ------------------------------------------------------------ analysis */

typedef struct ctx {
    const sa_analysis_input *in;
    sa_spn_index idx;
    sa_findings *out;
    bool *disabled_reported; /* per account */
    size_t unjudged_hosts;   /* SPNs naming hosts of domains not read */
    size_t unchecked_hosts;  /* SPNs naming hosts that were not looked up */
} ctx;

/* The domain an account is judged in (0 home, k other_domains[k - 1], -1
 * read only for duplicates). */
static long
acct_dom(const ctx *c, size_t account)
{
    return sa_account_domain(&c->in->accounts->items[account], c->in->other_domains, c->in->n_other_domains);
}

/* The domain of an SPN's host as held by account: for a NetBIOS name,
 * the holder's; for an FQDN the longest read domain it is under (home
 * when the home domain's name is unknown), or -1. */
static long
host_dom(const ctx *c, const char *host, size_t account)
{
    long best = -1;
    size_t best_len = 0;

    if (!sa_spn_host_is_fqdn(host))
        return acct_dom(c, account);
    if (c->in->home_dns == NULL)
        best = 0;
    else if (sa_name_under_domain(host, c->in->home_dns))
        best = 0, best_len = strlen(c->in->home_dns);
    for (size_t k = 0; k < c->in->n_other_domains; k++) {
        const char *d = c->in->other_domains[k].dns;
        if (sa_name_under_domain(host, d) && strlen(d) > best_len)
            best = (long)k + 1, best_len = strlen(d);
    }
    return best;
}

static const char *
dom_netbios(const ctx *c, long d)
{
    return d == 0 ? c->in->netbios_domain : d > 0 ? c->in->other_domains[d - 1].netbios : NULL;
}

static const char *
dom_name(const ctx *c, long d)
{
    const char *n = d == 0 ? c->in->home_dns : d > 0 ? c->in->other_domains[d - 1].dns : NULL;
    return n ? n : "this domain";
}

static const sa_strv *
dom_hosts_checked(const ctx *c, long d)
{
    return d == 0 ? c->in->hosts_checked : d > 0 ? c->in->other_domains[d - 1].hosts_checked : NULL;
}

static bool
dom_incomplete(const ctx *c, long d)
{
    return d == 0 ? c->in->holders_incomplete : d > 0 ? c->in->other_domains[d - 1].holders_incomplete : true;
}

/* The expected server an SPN host names, as held by account. */
static const sa_server *
server_for_ref(const ctx *c, const char *host, size_t account)
{
    const sa_account *a = &c->in->accounts->items[account];

    for (size_t i = 0; i < c->in->n_servers; i++) {
        if (sa_spn_host_is_server(a, host, &c->in->servers[i], c->in->other_domains, c->in->n_other_domains))
            return &c->in->servers[i];
    }
    return NULL;
}

/* The expected server host names in domain d. */
static const sa_server *
server_in_domain(const ctx *c, const char *host, long d)
{
    for (size_t i = 0; i < c->in->n_servers; i++) {
        const sa_server *s = &c->in->servers[i];
        if (strcasecmp(s->fqdn, host) == 0 || (strcasecmp(s->netbios, host) == 0 && s->domain == d))
            return s;
    }
    return NULL;
}

static const sa_server *
server_for_account(const ctx *c, size_t account)
{
    for (size_t i = 0; i < c->in->n_servers; i++) {
        if (c->in->servers[i].account == (long)account)
            return &c->in->servers[i];
    }
    return NULL;
}

static const char *
server_name(const sa_server *s)
{
    return s ? s->fqdn : NULL;
}

/* "CONTOSO\name" for an account; the caller frees. */
static char *
display(const ctx *c, size_t account)
{
    return sa_account_display(&c->in->accounts->items[account], c->in->netbios_domain);
}

/* A computer account of domain d for host, or -1. */
static long
computer_in_domain(const ctx *c, const char *host, long d)
{
    for (size_t i = 0; i < c->in->accounts->n; i++) {
        const sa_account *a = &c->in->accounts->items[i];
        if (a->kind == SA_ACCT_COMPUTER && acct_dom(c, i) == d && sa_account_matches_host(a, host))
            return (long)i;
    }
    return -1;
}

/* "CONTOSO\HOST$" for the computer account of domain d that should hold
 * SPNs for host. */
static char *
machine_display(const ctx *c, const char *host, long d)
{
    const sa_server *s = server_in_domain(c, host, d);
    const char *nbd = dom_netbios(c, d);
    long acct;
    char nb[16];

    if (s != NULL && s->account >= 0)
        return display(c, (size_t)s->account);
    if ((acct = computer_in_domain(c, host, d)) >= 0)
        return display(c, (size_t)acct);
    sa_netbios_from_fqdn(host, nb, sizeof(nb));
    if (nbd != NULL)
        return sa_strdup_printf("%s\\%s$", nbd, nb);
    return sa_strdup_printf("%s$", nb);
}

/* Does the Health Service run as Local System (its SPNs on the computer
 * account)? */
static bool
hs_local(const ctx *c)
{
    return c->in->health_service_local_system || c->in->health_service == NULL ||
           sa_identity_is_local_system(c->in->health_service);
}

static const sa_ticket *
ticket_for(const ctx *c, const char *spn, size_t account)
{
    return sa_ticket_for_holder(c->in->tickets, &c->in->accounts->items[account], spn);
}

/* Note a check that could not run, and why (formatted). */
static bool not_run(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool
not_run(ctx *c, const char *fmt, ...)
{
    va_list ap;
    char *text = NULL;
    bool ok;

    if (c->in->not_run == NULL)
        return true;
    va_start(ap, fmt);
    ok = vasprintf(&text, fmt, ap) >= 0;
    va_end(ap);
    ok = ok && sa_strv_add_unique_ci(c->in->not_run, text);
    free(text);
    return ok;
}

#define TRY(expr)                                                                                            \
    do {                                                                                                     \
        if (!(expr))                                                                                         \
            goto nomem;                                                                                      \
    } while (0)

/* Is account the host's own computer account, in the host's domain? */
static bool
own_account(const ctx *c, size_t account, const char *host)
{
    const sa_account *a = &c->in->accounts->items[account];

    if (!sa_account_is_machine(a) || !sa_account_matches_host(a, host))
        return false;
    if (!sa_spn_host_is_fqdn(host))
        return true; /* a NetBIOS name: of the holder's own domain */
    if (a->dns_domain != NULL)
        return sa_name_under_domain(host, a->dns_domain);
    return host_dom(c, host, account) == 0;
}

/* A NetBIOS-form SPN held once in each of several domains names a host
 * of each: agents ask their own realm's KDC, which finds its own holder.
 * Only several holders within one domain are a duplicate. */
static bool
netbios_dup(const ctx *c, size_t first, size_t count)
{
    const sa_accounts *accts = c->in->accounts;

    for (size_t i = first; i < first + count; i++) {
        const char *di = accts->items[c->idx.refs[i].account].dns_domain;
        for (size_t k = i + 1; k < first + count; k++) {
            const char *dk = accts->items[c->idx.refs[k].account].dns_domain;
            if (c->idx.refs[i].account != c->idx.refs[k].account &&
                ((di == NULL && dk == NULL) || (di != NULL && dk != NULL && strcasecmp(di, dk) == 0)))
                return true;
        }
    }
    return false;
}

static bool
check_duplicates(ctx *c)
{
    const sa_accounts *accts = c->in->accounts;
    char *list = NULL, *fix = NULL, *who = NULL, *next = NULL;
    size_t i = 0;
    bool cross;

    while (i < c->idx.n) {
        size_t first, count = sa_spn_index_lookup(&c->idx, c->idx.refs[i].spn, &first);
        const char *spn = c->idx.refs[first].spn;
        sa_spn parsed;
        const char *why;
        bool parsed_ok = sa_spn_parse(spn, &parsed, &why);
        sa_finding *f;

        i = first + count;
        cross = false;
        if (distinct_holders(&c->idx, first, count) < 2 ||
            (parsed_ok && !sa_spn_host_is_fqdn(parsed.host) && !netbios_dup(c, first, count)))
            continue;
        TRY(list = strdup(""));
        TRY(fix = strdup(""));
        for (size_t k = first; k < first + count; k++) {
            size_t acct = c->idx.refs[k].account;
            const sa_account *a = &accts->items[acct];
            /* the host's own account, in the host's domain */
            bool right = parsed_ok && own_account(c, acct, parsed.host);
            cross |= a->domain != NULL;
            TRY(who = display(c, acct));
            TRY(next =
                    sa_strdup_printf("%s%s%s (%s%s)", list, *list ? ", " : "", who,
                                     sa_account_kind_name(a->kind), right ? ", the host's own account" : ""));
            free(list);
            list = next;
            next = NULL;
            if (!right) {
                TRY(next = sa_strdup_printf("%ssetspn -D %s %s\n", fix, c->idx.refs[k].spn, who));
                free(fix);
                fix = next;
                next = NULL;
            }
            free(who);
            who = NULL;
        }
        TRY(f = sa_findings_add(
                c->out, SA_F_SPN_DUPLICATE, spn,
                server_name(parsed_ok ? server_for_ref(c, parsed.host, c->idx.refs[first].account) : NULL)));
        if (cross)
            TRY(sa_finding_message(f,
                                   "%s is registered on %zu accounts in different domains: a KDC uses the "
                                   "holder of its own domain or forest, and one that finds several through "
                                   "the Global Catalog refuses, so agents of some domains get no ticket or "
                                   "one for the wrong account (KRB_AP_ERR_MODIFIED)",
                                   spn, distinct_holders(&c->idx, first, count)));
        else
            TRY(sa_finding_message(f,
                                   "%s is registered on %zu accounts; the KDC cannot tell "
                                   "which key to use and agents fail to authenticate the server",
                                   spn, distinct_holders(&c->idx, first, count)));
        TRY(sa_finding_evidence(f, "holders: %s", list));
        if (*fix != '\0') {
            size_t len = strlen(fix);
            fix[len - 1] = '\0'; /* last newline */
            TRY(sa_finding_fix(f, "%s", fix));
        }
        free(list);
        free(fix);
        list = fix = NULL;
    }
    return true;
nomem:
    free(list);
    free(fix);
    free(who);
    free(next);
    return false;
}

static bool
report_disabled(ctx *c, size_t acct, const sa_server *server)
{
    const sa_account *a = &c->in->accounts->items[acct];
    char *who = NULL;
    sa_finding *f;
    bool ok = false;

    if (c->disabled_reported[acct])
        return true;
    c->disabled_reported[acct] = true;
    TRY(who = display(c, acct));
    TRY(f = sa_findings_add(c->out, SA_F_ACCOUNT_DISABLED, who, server_name(server)));
    if (server == NULL)
        f->severity = SA_SEV_WARNING; /* not an expected server: likely stale */
    if (a->spns.n > 0)
        TRY(sa_finding_message(f, "%s holds %s and %zu more SPN(s) but is disabled", who, a->spns.items[0],
                               a->spns.n - 1));
    else
        TRY(sa_finding_message(f, "%s, the computer account of %s, is disabled", who,
                               server ? server->fqdn : "this server"));
    TRY(sa_finding_evidence(f, "userAccountControl 0x%x (ACCOUNTDISABLE) on %s", a->uac, a->dn));
    if (server != NULL)
        TRY(sa_finding_fix(f, "enable the account (Enable-ADAccount, or rejoin %s to the domain)",
                           server->fqdn));
    else
        TRY(sa_finding_fix(f, "remove the SPNs of this stale account (setspn -D) or delete it"));
    ok = true;
nomem:
    free(who);
    return ok;
}

/* What is known of the computer account of an SPN's host. */
typedef enum host_state {
    HOST_UNJUDGED,  /* in a domain that was not read */
    HOST_UNCHECKED, /* not looked up (or the lookup failed) */
    HOST_GONE,      /* looked up in its domain: no computer account */
    HOST_EXISTS,    /* its computer account is known */
} host_state;

static host_state
host_state_of(const ctx *c, const char *host, size_t holder)
{
    long d = host_dom(c, host, holder);
    const sa_strv *checked;

    if (d < 0)
        return HOST_UNJUDGED;
    if (computer_in_domain(c, host, d) >= 0)
        return HOST_EXISTS;
    checked = dom_hosts_checked(c, d);
    if (checked == NULL || !sa_strv_contains_ci(checked, host))
        return HOST_UNCHECKED;
    return HOST_GONE;
}

/* Encryption types that exclude AES: RC4 only fails where RC4 is turned
 * off; DES only fails everywhere DES is off (the default since 2008 R2). */
static bool
check_enctypes(ctx *c, size_t acct, const sa_server *server)
{
    const sa_account *a = &c->in->accounts->items[acct];
    bool rc4 = (a->enctypes & SA_ENC_RC4) != 0;
    char *who = NULL;
    sa_finding *f;
    bool ok = false;

    if (!a->has_enctypes || (a->enctypes & (SA_ENC_AES128 | SA_ENC_AES256)) != 0 || a->spns.n == 0)
        return true;
    TRY(who = display(c, acct));
    TRY(f = sa_findings_add(c->out, SA_F_ENCTYPES_NO_AES, who, server_name(server)));
    if (!rc4)
        f->severity = SA_SEV_FAILURE;
    TRY(sa_finding_message(f, "%s, which holds %s, allows %s only: %s", who, a->spns.items[0],
                           rc4           ? "RC4"
                           : a->enctypes ? "DES"
                                         : "no encryption type",
                           rc4 ? "Kerberos to it fails wherever RC4 is disabled"
                               : "the KDC cannot issue a ticket any current client accepts"));
    TRY(sa_finding_evidence(f, "msDS-SupportedEncryptionTypes 0x%x on %s", a->enctypes, a->dn));
    TRY(sa_finding_fix(
        f, "allow AES: msDS-SupportedEncryptionTypes 0x18 (Set-ADComputer or Set-ADUser "
           "-KerberosEncryptionType AES128,AES256), then change the account's password so that AES "
           "keys exist"));
    ok = true;
nomem:
    free(who);
    return ok;
}

static bool
report_malformed(ctx *c, size_t i, const char *spn, const char *why, const sa_server *s)
{
    char *who = NULL;
    sa_finding *f;
    bool ok = false;

    TRY(who = display(c, i));
    TRY(f = sa_findings_add(c->out, SA_F_SPN_MALFORMED, spn, server_name(s)));
    TRY(sa_finding_message(f, "%s holds a malformed SPN: %s", who, why));
    TRY(sa_finding_evidence(f, "servicePrincipalName \"%s\" on %s", spn, c->in->accounts->items[i].dn));
    TRY(sa_finding_fix(f, "setspn -D \"%s\" %s", spn, who));
    ok = true;
nomem:
    free(who);
    return ok;
}

static bool
report_stale(ctx *c, size_t i, const char *spn, const char *host, const sa_server *s)
{
    char *who = NULL;
    sa_finding *f;
    bool ok = false;

    TRY(who = display(c, i));
    TRY(f = sa_findings_add(c->out, SA_F_SPN_STALE, spn, server_name(s)));
    TRY(sa_finding_message(f,
                           "%s names %s, which has no computer account: a leftover that "
                           "can collide when the name is used again",
                           spn, host));
    TRY(sa_finding_evidence(f,
                            "servicePrincipalName on %s; no computer with dNSHostName or "
                            "sAMAccountName %s in %s",
                            c->in->accounts->items[i].dn, host, dom_name(c, host_dom(c, host, i))));
    TRY(sa_finding_fix(f, "setspn -D %s %s", spn, who));
    ok = true;
nomem:
    free(who);
    return ok;
}

/* A Health Service SPN on the wrong account: a user account (kind
 * SA_F_SPN_ON_USER_ACCOUNT) or another host's computer account.  The fix
 * moves it to the host's own computer account, known in state
 * HOST_EXISTS only. */
static bool
report_misplaced(ctx *c, size_t i, const char *spn, const char *host, sa_finding_kind kind,
                 const sa_server *s)
{
    const sa_account *a = &c->in->accounts->items[i];
    const sa_ticket *t = ticket_for(c, spn, i);
    long d = host_dom(c, host, i);
    char *who = NULL, *right = NULL;
    sa_finding *f;
    bool ok = false, known = host_state_of(c, host, i) == HOST_EXISTS;

    TRY(who = display(c, i));
    TRY(right = known ? machine_display(c, host, d) : sa_strdup_printf("the computer account of %s", host));
    TRY(f = sa_findings_add(c->out, kind, spn, server_name(s)));
    if (kind == SA_F_SPN_ON_USER_ACCOUNT)
        TRY(sa_finding_message(f,
                               "%s is registered on the %s account %s, but the Health Service runs as Local "
                               "System: tickets are encrypted with the wrong key and agents fail with "
                               "KRB_AP_ERR_MODIFIED",
                               spn, sa_account_kind_name(a->kind), who));
    else
        TRY(sa_finding_message(f,
                               "%s names host %s but is registered on the computer account %s of another "
                               "host: tickets are encrypted with that account's key and agents fail with "
                               "KRB_AP_ERR_MODIFIED",
                               spn, host, who));
    if (t != NULL && t->ok)
        TRY(sa_finding_evidence(f,
                                "the KDC issued a ticket for %s encrypted for %s (%s, kvno %d), not for %s",
                                spn, who, t->enctype ? t->enctype : "?", t->kvno, right));
    else
        TRY(sa_finding_evidence(f, "servicePrincipalName on %s (dNSHostName %s)", a->dn,
                                a->dns_host ? a->dns_host : "unset"));
    if (known)
        TRY(sa_finding_fix(f, "setspn -D %s %s\nsetspn -S %s %s", spn, who, spn, right));
    else
        TRY(sa_finding_fix(f,
                           "setspn -D %s %s\n(then register it on the computer account of %s in its domain)",
                           spn, who, host));
    ok = true;
nomem:
    free(who);
    free(right);
    return ok;
}

/* One SPN of account i. */
static bool
check_account_spn(ctx *c, size_t i, const char *spn, const sa_server *acct_server)
{
    const sa_account *a = &c->in->accounts->items[i];
    const char *why = NULL;
    const sa_server *s;
    sa_spn parsed;
    size_t first, count;
    host_state state;

    if (!sa_spn_parse(spn, &parsed, &why))
        return report_malformed(c, i, spn, why, acct_server);
    s = server_for_ref(c, parsed.host, i);
    if (s == NULL)
        s = acct_server;
    if (sa_account_disabled(a) && !report_disabled(c, i, s))
        return false;
    state = own_account(c, i, parsed.host) ? HOST_EXISTS : host_state_of(c, parsed.host, i);
    if (state == HOST_GONE)
        return report_stale(c, i, spn, parsed.host, s);
    if (strcasecmp(parsed.service_class, SA_CLASS_HEALTH) != 0)
        return true;
    /* A management server's SPN with the Health Service as a domain
     * account: check_servers judges its holders. */
    if (!hs_local(c) && server_for_ref(c, parsed.host, i) != NULL)
        return true;
    if (a->kind != SA_ACCT_COMPUTER && c->in->health_service_local_system)
        return report_misplaced(c, i, spn, parsed.host, SA_F_SPN_ON_USER_ACCOUNT, s);
    /* A duplicate is reported (with its fix) by check_duplicates. */
    count = sa_spn_index_lookup(&c->idx, spn, &first);
    if (a->kind != SA_ACCT_COMPUTER || sa_account_matches_host(a, parsed.host) ||
        distinct_holders(&c->idx, first, count) != 1)
        return true;
    /* Another computer's SPN: wrong only when the host's own account is
     * known; without the lookup the SPN may as well be stale. */
    if (state == HOST_UNJUDGED || state == HOST_UNCHECKED) {
        c->unjudged_hosts += state == HOST_UNJUDGED;
        c->unchecked_hosts += state == HOST_UNCHECKED;
        return true;
    }
    return report_misplaced(c, i, spn, parsed.host, SA_F_SPN_WRONG_COMPUTER, s);
}

static bool
check_accounts(ctx *c)
{
    const sa_accounts *accts = c->in->accounts;

    for (size_t i = 0; i < accts->n; i++) {
        const sa_server *acct_server = server_for_account(c, i);

        if (!check_enctypes(c, i, acct_server))
            return false;
        for (size_t j = 0; j < accts->items[i].spns.n; j++) {
            if (!check_account_spn(c, i, accts->items[i].spns.items[j], acct_server))
                return false;
        }
    }
    if (c->unchecked_hosts > 0 &&
        !not_run(c,
                 "SPN_WRONG_COMPUTER, SPN_STALE: %zu SPN(s) on another computer's account name hosts "
                 "that were not looked up as computer accounts (the lookup did not run or failed)",
                 c->unchecked_hosts))
        return false;
    if (c->unjudged_hosts > 0 &&
        !not_run(c,
                 "SPN_WRONG_COMPUTER, SPN_STALE: %zu SPN(s) on another computer's account name hosts "
                 "of domains that were not read",
                 c->unjudged_hosts))
        return false;
    return true;
}

/* The holders of spn (an SPN of server s) must be the account the service
 * runs as (identity): the server's computer account for Local System.
 * machine is the computer account's display name; kind the finding for
 * another holder, with why it breaks. */
static bool
check_holders(ctx *c, const sa_server *s, const char *spn, const char *machine, const char *identity,
              sa_finding_kind kind, const char *service, const char *breaks)
{
    bool local = sa_identity_is_local_system(identity);
    char want[256], *who = NULL;
    size_t first, count = sa_spn_index_lookup(&c->idx, spn, &first);
    sa_finding *f;
    sa_spn parsed;
    const char *why;

    if (!sa_spn_parse(spn, &parsed, &why))
        return true;
    sa_identity_account(identity, want, sizeof(want));
    for (size_t k = first; k < first + count; k++) {
        size_t acct = c->idx.refs[k].account;
        const sa_account *a = &c->in->accounts->items[acct];
        bool right = local ? (long)acct == s->account : (a->sam != NULL && strcasecmp(a->sam, want) == 0);

        if (right || !sa_spn_host_is_server(a, parsed.host, s, c->in->other_domains, c->in->n_other_domains))
            continue;
        TRY(who = display(c, acct));
        TRY(f = sa_findings_add(c->out, kind, c->idx.refs[k].spn, s->fqdn));
        TRY(sa_finding_message(f, "%s is registered on %s, but the %s runs as %s: %s", c->idx.refs[k].spn,
                               who, service, local ? machine : identity, breaks));
        TRY(sa_finding_evidence(f, "servicePrincipalName on %s", a->dn));
        TRY(sa_finding_fix(f, "setspn -D %s %s\nsetspn -S %s %s", c->idx.refs[k].spn, who, c->idx.refs[k].spn,
                           local ? machine : identity));
        free(who);
        who = NULL;
    }
    return true;
nomem:
    free(who);
    return false;
}

static bool
check_sdk_holders(ctx *c, const sa_server *s, const char *spn, const char *machine)
{
    return check_holders(c, s, spn, machine, c->in->sdk_service, SA_F_SDK_SPN_WRONG_ACCOUNT,
                         "SDK (Data Access) service", "Kerberos to it fails and consoles fall back or fail");
}

static bool
check_hs_holders(ctx *c, const sa_server *s, const char *spn, const char *machine)
{
    return check_holders(c, s, spn, machine, c->in->health_service, SA_F_SPN_WRONG_ACCOUNT, "Health Service",
                         "agents get tickets encrypted with the wrong key and fail with KRB_AP_ERR_MODIFIED");
}

/* How many accounts of the server's own domain hold spn. */
static size_t
holders_in_domain(const ctx *c, const char *spn, const sa_server *s)
{
    size_t first, count = sa_spn_index_lookup(&c->idx, spn, &first), n = 0;

    for (size_t k = first; k < first + count; k++) {
        if (acct_dom(c, c->idx.refs[k].account) == s->domain)
            n++;
    }
    return n;
}

static bool
report_no_account(ctx *c, const sa_server *s)
{
    sa_finding *f;

    const sa_strv *looked_up = dom_hosts_checked(c, s->domain);

    if (s->account >= 0)
        return !sa_account_disabled(&c->in->accounts->items[s->account]) ||
               report_disabled(c, (size_t)s->account, s);
    if (looked_up == NULL || !sa_strv_contains_ci(looked_up, s->fqdn))
        return not_run(c,
                       "SERVER_ACCOUNT_NOT_FOUND for %s: its computer account was not looked up in %s (the "
                       "lookup did not run or failed)",
                       s->fqdn, dom_name(c, s->domain));
    TRY(f = sa_findings_add(c->out, SA_F_SERVER_ACCOUNT_NOT_FOUND, s->fqdn, s->fqdn));
    TRY(sa_finding_message(f,
                           "no computer account for %s in %s (by dNSHostName, or sAMAccountName %s$): its "
                           "SPNs cannot be checked",
                           s->fqdn, dom_name(c, s->domain), s->netbios));
    TRY(sa_finding_fix(f, "check the server name, or audit the domain the server is a member of "
                          "(--domain)"));
    return true;
nomem:
    return false;
}

/* The MSOMHSvc SPNs of server s, held by hs (the account that must). */
static bool
check_server_hs(ctx *c, const sa_server *s, const char *who, size_t *n_fq, size_t *n_nb)
{
    char *fq = NULL, *nb = NULL;
    const char *hs = hs_local(c) ? who : c->in->health_service;
    sa_finding *f;
    bool ok = false;

    TRY(fq = sa_strdup_printf("%s/%s", SA_CLASS_HEALTH, s->fqdn));
    TRY(nb = sa_strdup_printf("%s/%s", SA_CLASS_HEALTH, s->netbios));
    *n_fq = holders_in_domain(c, fq, s);
    *n_nb = holders_in_domain(c, nb, s);
    if (!hs_local(c)) {
        TRY(check_hs_holders(c, s, fq, who));
        TRY(check_hs_holders(c, s, nb, who));
    }
    if (hs_local(c) && s->account < 0) {
        ok = true; /* nobody to hold them: SERVER_ACCOUNT_NOT_FOUND says so */
        goto nomem;
    }
    if (*n_fq == 0 && *n_nb == 0) {
        TRY(f = sa_findings_add(c->out, SA_F_SPN_MISSING, fq, s->fqdn));
        TRY(sa_finding_message(f, "%s %s has no %s SPN at all: agents cannot authenticate it with Kerberos",
                               s->gateway ? "gateway" : "management server", s->fqdn, SA_CLASS_HEALTH));
        TRY(sa_finding_evidence(f, "no account of %s holds %s or %s", dom_name(c, s->domain), fq, nb));
        TRY(sa_finding_fix(f, "setspn -S %s %s\nsetspn -S %s %s", fq, hs, nb, hs));
    } else if (*n_fq == 0) {
        TRY(f = sa_findings_add(c->out, SA_F_SPN_FQDN_MISSING, fq, s->fqdn));
        TRY(sa_finding_message(
            f, "%s is registered but %s is not: agents that use the FQDN cannot authenticate %s", nb, fq,
            s->fqdn));
        TRY(sa_finding_evidence(f, "no account of %s holds %s", dom_name(c, s->domain), fq));
        TRY(sa_finding_fix(f, "setspn -S %s %s", fq, hs));
    } else if (*n_nb == 0) {
        TRY(f = sa_findings_add(c->out, SA_F_SPN_NETBIOS_MISSING, nb, s->fqdn));
        TRY(sa_finding_message(f,
                               "%s is registered but %s is not: agents configured with the short name cannot "
                               "authenticate %s",
                               fq, nb, s->fqdn));
        TRY(sa_finding_evidence(f, "no account of %s holds %s", dom_name(c, s->domain), nb));
        TRY(sa_finding_fix(f, "setspn -S %s %s", nb, hs));
    }
    ok = true;
nomem:
    free(fq);
    free(nb);
    return ok;
}

/* The computer's right to write its SPN matters only when the Health
 * Service runs as Local System (it registers the SPNs on the computer
 * account). */
static bool
check_self_write(ctx *c, size_t i, const char *who, bool both_registered)
{
    const sa_server *s = &c->in->servers[i];
    const sa_self_write *w = c->in->self_write ? &c->in->self_write[i] : NULL;
    const char *dn;
    sa_finding *f;

    if (!hs_local(c) || s->account < 0 || w == NULL || !w->checked || w->result == SA_SPN_WRITE_ALLOWED)
        return true;
    dn = c->in->accounts->items[s->account].dn;
    TRY(f = sa_findings_add(c->out, SA_F_SPN_SELF_WRITE_DENIED, who, s->fqdn));
    if (w->result == SA_SPN_WRITE_MALFORMED) {
        f->severity = SA_SEV_WARNING;
        TRY(sa_finding_message(f,
                               "cannot tell whether %s may write its own SPN: its security descriptor does "
                               "not parse",
                               who));
    } else {
        /* With both SPNs registered by someone else, only a re-registration fails. */
        if (both_registered)
            f->severity = SA_SEV_WARNING;
        TRY(sa_finding_message(
            f,
            "%s may not write its own servicePrincipalName: the Health Service on %s cannot "
            "register its MSOMHSvc SPNs (event 21035 at each start)",
            who, s->fqdn));
    }
    TRY(sa_finding_evidence(f, "DACL of %s: %s", dn, w->why));
    TRY(sa_finding_fix(f,
                       "dsacls \"%s\" /G \"SELF:WS;Validated write to service principal name\"\n"
                       "(and remove any ACE that denies SELF that right)",
                       dn));
    return true;
nomem:
    return false;
}

/* The MSOMSdkSvc SPNs of a management server. */
static bool
check_server_sdk(ctx *c, const sa_server *s, const char *who)
{
    char *fq = NULL, *nb = NULL;
    sa_finding *f;
    bool ok = false;

    TRY(fq = sa_strdup_printf("%s/%s", SA_CLASS_SDK, s->fqdn));
    TRY(nb = sa_strdup_printf("%s/%s", SA_CLASS_SDK, s->netbios));
    if (holders_in_domain(c, fq, s) == 0 && holders_in_domain(c, nb, s) == 0) {
        TRY(f = sa_findings_add(c->out, SA_F_SDK_SPN_MISSING, fq, s->fqdn));
        TRY(sa_finding_message(f,
                               "no %s SPN for %s: consoles and SDK clients cannot use Kerberos to its Data "
                               "Access service",
                               SA_CLASS_SDK, s->fqdn));
        TRY(sa_finding_evidence(f, "no account of %s holds %s or %s", dom_name(c, s->domain), fq, nb));
        TRY(sa_finding_fix(f,
                           "setspn -S %s <SDK service account>\nsetspn -S %s <SDK service account>"
                           "\n(the computer account %s when the SDK service runs as Local System)",
                           fq, nb, who));
    } else if (c->in->sdk_service != NULL) {
        TRY(check_sdk_holders(c, s, fq, who));
        TRY(check_sdk_holders(c, s, nb, who));
    }
    ok = true;
nomem:
    free(fq);
    free(nb);
    return ok;
}

/* One expected server: its account, its SPNs, its right to write them. */
static bool
check_server(ctx *c, size_t i)
{
    const sa_server *s = &c->in->servers[i];
    bool incomplete = dom_incomplete(c, s->domain), ok = false;
    size_t n_fq = 0, n_nb = 0;
    char *who = NULL;

    TRY(who = machine_display(c, s->fqdn, s->domain));
    TRY(report_no_account(c, s));
    if (incomplete)
        TRY(not_run(c,
                    "SPN_MISSING and the other missing-SPN checks of %s: the search for SPN holders in %s "
                    "was cut short",
                    s->fqdn, dom_name(c, s->domain)));
    else if (c->in->health_not_read)
        TRY(not_run(c,
                    "SPN_MISSING, SPN_FQDN_MISSING, SPN_NETBIOS_MISSING: %s SPNs were not read "
                    "(--service-class)",
                    SA_CLASS_HEALTH));
    else
        TRY(check_server_hs(c, s, who, &n_fq, &n_nb));
    TRY(check_self_write(c, i, who, n_fq > 0 && n_nb > 0));
    if (c->in->check_sdk && !s->gateway && !incomplete && s->account >= 0)
        TRY(check_server_sdk(c, s, who));
    ok = true;
nomem:
    free(who);
    return ok;
}

static bool
check_servers(ctx *c)
{
    for (size_t i = 0; i < c->in->n_servers; i++) {
        if (c->in->servers[i].not_judged)
            continue; /* the pipeline says why */
        if (!check_server(c, i))
            return false;
    }
    return true;
}

/* The SPN of a ticket's name ("spn" or "spn@REALM"), into buf. */
static const char *
ticket_spn(const char *name, char *buf, size_t size)
{
    size_t n = strcspn(name, "@");

    if (n >= size)
        n = size - 1;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return buf;
}

/* The expected server a ticket was for: by FQDN, or by NetBIOS name in
 * the domain of the ticket's realm (home without one). */
static const sa_server *
server_for_ticket(const ctx *c, const char *name)
{
    const char *at = strchr(name, '@');
    char spn[SA_SPN_MAX];
    sa_spn parsed;
    const char *why;
    long d = at == NULL ? 0 : -1;

    if (!sa_spn_parse(ticket_spn(name, spn, sizeof(spn)), &parsed, &why))
        return NULL;
    for (size_t k = 0; at != NULL && k < c->in->n_other_domains; k++) {
        if (c->in->other_domains[k].dns != NULL && strcasecmp(at + 1, c->in->other_domains[k].dns) == 0)
            d = (long)k + 1;
    }
    return server_in_domain(c, parsed.host, d);
}

static bool
check_tickets(ctx *c)
{
    const sa_tickets *tickets = c->in->tickets;
    const sa_krb_cause_info *info;

    if (tickets == NULL)
        return true;
    for (size_t i = 0; i < tickets->n; i++) {
        const sa_ticket *t = &tickets->items[i];
        char spn[SA_SPN_MAX];
        size_t first, count;
        sa_krb_cause cause;
        sa_finding *f;

        if (t->ok || !t->tried)
            continue;
        count = sa_spn_index_lookup(&c->idx, ticket_spn(t->spn, spn, sizeof(spn)), &first);
        cause = sa_krb_refine(t->cause, (unsigned)distinct_holders(&c->idx, first, count));
        info = sa_krb_cause_describe(cause);
        TRY(f = sa_findings_add_ticket(c->out, cause, t->spn, server_name(server_for_ticket(c, t->spn))));
        TRY(sa_finding_message(f, "no service ticket for %s: %s", t->spn, info->summary));
        TRY(sa_finding_evidence(f, "Kerberos error %ld: %s%s", t->code, t->error ? t->error : "(no text)",
                                cause != t->cause ? " (the directory shows several holders)" : ""));
        TRY(sa_finding_fix(f, "%s", info->fix));
    }
    return true;
nomem:
    return false;
}

/* Kerberos allows 5 minutes of difference by default; warn well before. */
#define SKEW_FAIL 300
#define SKEW_WARN 60

static bool
check_clock(ctx *c)
{
    long skew = c->in->clock_skew, abs_skew = skew < 0 ? -skew : skew;
    const char *dc = c->in->dc ? c->in->dc : "the domain controller";
    sa_finding *f;

    if (!c->in->have_skew || abs_skew < SKEW_WARN)
        return true;
    TRY(f = sa_findings_add(c->out, SA_F_CLOCK_SKEW, dc, NULL));
    if (abs_skew < SKEW_FAIL)
        f->severity = SA_SEV_WARNING;
    TRY(sa_finding_message(f, "the clock of %s is %ld s %s this host's: %s", dc, abs_skew,
                           skew > 0 ? "ahead of" : "behind",
                           abs_skew >= SKEW_FAIL ? "beyond Kerberos' 5-minute tolerance, authentication fails"
                                                 : "Kerberos fails beyond 5 minutes"));
    TRY(sa_finding_evidence(f, "rootDSE currentTime differs from the local clock by %+ld s", skew));
    TRY(sa_finding_fix(f, "synchronise the clocks with the domain's time source (w32tm /resync on Windows, "
                          "chrony or systemd-timesyncd here)"));
    return true;
nomem:
    return false;
}

static bool
check_reach(ctx *c)
{
    sa_finding *f;

    for (size_t i = 0; c->in->reach != NULL && i < c->in->n_servers; i++) {
        const sa_reach *r = &c->in->reach[i];
        const char *fqdn = c->in->servers[i].fqdn;

        if (!r->resolved) {
            TRY(f = sa_findings_add(c->out, SA_F_DNS_RESOLUTION_FAILED, fqdn, fqdn));
            TRY(sa_finding_message(f,
                                   "%s does not resolve here: agents that cannot resolve it fail before "
                                   "authenticating",
                                   fqdn));
            TRY(sa_finding_evidence(f, "name resolution: %s", r->resolve_error));
            TRY(sa_finding_fix(f,
                               "register the server in DNS (an A record for %s) and check the agents' DNS "
                               "servers",
                               fqdn));
        } else if (!r->connected) {
            TRY(f = sa_findings_add(c->out, SA_F_TCP_CONNECT_FAILED, fqdn, fqdn));
            TRY(sa_finding_message(f,
                                   "nothing answers on %s port %u from this host: the Health Service is not "
                                   "listening, or a firewall blocks the agent port",
                                   fqdn, c->in->reach_port));
            TRY(sa_finding_evidence(f, "TCP connect: %s", r->connect_error));
            TRY(sa_finding_fix(f,
                               "start the System Center Management service on %s and open TCP %u from the "
                               "agents (try: Test-NetConnection %s -Port %u)",
                               fqdn, c->in->reach_port, fqdn, c->in->reach_port));
        }
    }
    return true;
nomem:
    return false;
}

sa_status
sa_analyse(const sa_analysis_input *in, sa_findings *out, sa_error *err)
{
    ctx c;
    sa_status ret = SA_ERR_SYSTEM;

    memset(&c, 0, sizeof(c));
    c.in = in;
    c.out = out;
    if (!sa_spn_index_build(in->accounts, &c.idx))
        goto cleanup;
    c.disabled_reported = calloc(in->accounts->n + 1, sizeof(bool));
    if (c.disabled_reported == NULL)
        goto cleanup;
    if (!check_duplicates(&c) || !check_accounts(&c) || !check_servers(&c) || !check_tickets(&c) ||
        !check_clock(&c) || !check_reach(&c))
        goto cleanup;
    sa_findings_sort(out);
    ret = SA_OK;
cleanup:
    if (ret != SA_OK)
        sa_error_nomem(err);
    free(c.disabled_reported);
    sa_spn_index_free(&c.idx);
    return ret;
}
