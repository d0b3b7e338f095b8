/* analysis.c - the rules: accounts, expected servers and ticket outcomes in,
 * findings out.  No I/O, so every rule is unit-tested with plain data. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/analysis.h"
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
        sa_server *s = &servers[i];
        s->fqdn = fqdns[i];
        s->account = -1;
        sa_netbios_from_fqdn(s->fqdn, s->netbios, sizeof(s->netbios));
        /* dNSHostName first; the sAMAccountName only for an account that
         * has no dNSHostName to contradict it. */
        for (size_t j = 0; j < accounts->n && s->account < 0; j++) {
            const sa_account *a = &accounts->items[j];
            if (a->kind == SA_ACCT_COMPUTER && a->dns_host != NULL && strcasecmp(a->dns_host, s->fqdn) == 0)
                s->account = (long)j;
        }
        for (size_t j = 0; j < accounts->n && s->account < 0; j++) {
            const sa_account *a = &accounts->items[j];
            if (a->kind == SA_ACCT_COMPUTER && a->dns_host == NULL && sa_account_matches_host(a, s->netbios))
                s->account = (long)j;
        }
        if (s->account >= 0) {
            const char *sam = accounts->items[s->account].sam;
            if (sam != NULL) {
                size_t len = strcspn(sam, "$");
                if (len > 15)
                    len = 15;
                memcpy(s->netbios, sam, len);
                s->netbios[len] = '\0';
                for (char *p = s->netbios; *p; p++)
                    *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
            }
        }
    }
    *out = servers;
    return true;
}

/* ------------------------------------------------------------ analysis */

typedef struct ctx {
    const sa_analysis_input *in;
    sa_spn_index idx;
    sa_findings *out;
    bool *disabled_reported; /* per account */
} ctx;

static const sa_server *
server_for_host(const ctx *c, const char *host)
{
    for (size_t i = 0; i < c->in->n_servers; i++) {
        const sa_server *s = &c->in->servers[i];
        if (strcasecmp(s->fqdn, host) == 0 || strcasecmp(s->netbios, host) == 0)
            return s;
    }
    return NULL;
}

static const sa_server *
server_for_spn(const ctx *c, const char *spn)
{
    sa_spn parsed;
    const char *why;

    if (!sa_spn_parse(spn, &parsed, &why))
        return NULL;
    return server_for_host(c, parsed.host);
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

/* "CONTOSO\HOST$" for the computer account that should hold SPNs for host. */
static char *
machine_display(const ctx *c, const char *host)
{
    const sa_server *s = server_for_host(c, host);
    char nb[16];

    if (s != NULL && s->account >= 0)
        return display(c, (size_t)s->account);
    for (size_t i = 0; i < c->in->accounts->n; i++) {
        const sa_account *a = &c->in->accounts->items[i];
        if (a->kind == SA_ACCT_COMPUTER && sa_account_matches_host(a, host))
            return display(c, i);
    }
    sa_netbios_from_fqdn(host, nb, sizeof(nb));
    if (c->in->netbios_domain != NULL)
        return sa_strdup_printf("%s\\%s$", c->in->netbios_domain, nb);
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
ticket_for(const ctx *c, const char *spn)
{
    return c->in->tickets ? sa_tickets_find(c->in->tickets, spn) : NULL;
}

#define TRY(expr)                                                                                            \
    do {                                                                                                     \
        if (!(expr))                                                                                         \
            goto nomem;                                                                                      \
    } while (0)

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
        if (distinct_holders(&c->idx, first, count) < 2)
            continue;
        TRY(list = strdup(""));
        TRY(fix = strdup(""));
        for (size_t k = first; k < first + count; k++) {
            size_t acct = c->idx.refs[k].account;
            const sa_account *a = &accts->items[acct];
            /* the host's own account is in the audited domain */
            bool right = parsed_ok && a->domain == NULL && sa_account_is_machine(a) &&
                         sa_account_matches_host(a, parsed.host);
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
        TRY(f = sa_findings_add(c->out, SA_F_SPN_DUPLICATE, spn,
                                server_name(parsed_ok ? server_for_host(c, parsed.host) : NULL)));
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

/* Was host looked up, and does no computer account match it? */
static bool
host_is_gone(const ctx *c, const char *host)
{
    if (c->in->hosts_checked == NULL || !sa_strv_contains_ci(c->in->hosts_checked, host))
        return false;
    for (size_t i = 0; i < c->in->accounts->n; i++) {
        const sa_account *a = &c->in->accounts->items[i];
        if (a->kind == SA_ACCT_COMPUTER && sa_account_matches_host(a, host))
            return false;
    }
    return true;
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
check_accounts(ctx *c)
{
    const sa_accounts *accts = c->in->accounts;
    char *who = NULL, *right = NULL;

    for (size_t i = 0; i < accts->n; i++) {
        const sa_account *a = &accts->items[i];
        const sa_server *acct_server = server_for_account(c, i);

        if (!check_enctypes(c, i, acct_server))
            goto nomem;

        for (size_t j = 0; j < a->spns.n; j++) {
            const char *spn = a->spns.items[j];
            const char *why = NULL;
            const sa_server *s;
            const sa_ticket *t;
            sa_spn parsed;
            sa_finding *f;
            size_t first, count;

            if (!sa_spn_parse(spn, &parsed, &why)) {
                TRY(who = display(c, i));
                TRY(f = sa_findings_add(c->out, SA_F_SPN_MALFORMED, spn, server_name(acct_server)));
                TRY(sa_finding_message(f, "%s holds a malformed SPN: %s", who, why));
                TRY(sa_finding_evidence(f, "servicePrincipalName \"%s\" on %s", spn, a->dn));
                TRY(sa_finding_fix(f, "setspn -D \"%s\" %s", spn, who));
                free(who);
                who = NULL;
                continue;
            }
            s = server_for_host(c, parsed.host);
            if (s == NULL)
                s = acct_server;
            if (sa_account_disabled(a))
                TRY(report_disabled(c, i, s));
            if (host_is_gone(c, parsed.host)) {
                TRY(who = display(c, i));
                TRY(f = sa_findings_add(c->out, SA_F_SPN_STALE, spn, server_name(s)));
                TRY(sa_finding_message(f,
                                       "%s names %s, which has no computer account: a leftover that "
                                       "can collide when the name is used again",
                                       spn, parsed.host));
                TRY(sa_finding_evidence(f,
                                        "servicePrincipalName on %s; no computer with dNSHostName or "
                                        "sAMAccountName %s",
                                        a->dn, parsed.host));
                TRY(sa_finding_fix(f, "setspn -D %s %s", spn, who));
                free(who);
                who = NULL;
                continue;
            }
            if (strcasecmp(parsed.service_class, SA_CLASS_HEALTH) != 0)
                continue;
            /* A management server's SPN with the Health Service as a domain
             * account: check_servers judges its holders. */
            if (!hs_local(c) && server_for_host(c, parsed.host) != NULL)
                continue;
            if (a->kind != SA_ACCT_COMPUTER && c->in->health_service_local_system) {
                TRY(who = display(c, i));
                TRY(right = machine_display(c, parsed.host));
                TRY(f = sa_findings_add(c->out, SA_F_SPN_ON_USER_ACCOUNT, spn, server_name(s)));
                TRY(sa_finding_message(f,
                                       "%s is registered on the %s account %s, but the Health "
                                       "Service runs as Local System: tickets are encrypted with "
                                       "the wrong key and agents fail with KRB_AP_ERR_MODIFIED",
                                       spn, sa_account_kind_name(a->kind), who));
                t = ticket_for(c, spn);
                if (t != NULL && t->ok)
                    TRY(sa_finding_evidence(f,
                                            "the KDC issued a ticket for %s encrypted for %s "
                                            "(%s, kvno %d), not for %s",
                                            spn, who, t->enctype ? t->enctype : "?", t->kvno, right));
                else
                    TRY(sa_finding_evidence(f, "servicePrincipalName on %s", a->dn));
                TRY(sa_finding_fix(f, "setspn -D %s %s\nsetspn -S %s %s", spn, who, spn, right));
                free(who);
                free(right);
                who = right = NULL;
                continue;
            }
            /* A duplicate is reported (with its fix) by check_duplicates. */
            count = sa_spn_index_lookup(&c->idx, spn, &first);
            if (a->kind == SA_ACCT_COMPUTER && !sa_account_matches_host(a, parsed.host) &&
                distinct_holders(&c->idx, first, count) == 1) {
                TRY(who = display(c, i));
                TRY(right = machine_display(c, parsed.host));
                TRY(f = sa_findings_add(c->out, SA_F_SPN_WRONG_COMPUTER, spn, server_name(s)));
                TRY(sa_finding_message(f,
                                       "%s names host %s but is registered on the computer "
                                       "account %s of another host: tickets are encrypted with that "
                                       "account's key and agents fail with KRB_AP_ERR_MODIFIED",
                                       spn, parsed.host, who));
                t = ticket_for(c, spn);
                if (t != NULL && t->ok)
                    TRY(sa_finding_evidence(f,
                                            "the KDC issued a ticket for %s encrypted for %s (%s, kvno %d), "
                                            "not for %s; servicePrincipalName on %s (dNSHostName %s)",
                                            spn, who, t->enctype ? t->enctype : "?", t->kvno, right, a->dn,
                                            a->dns_host ? a->dns_host : "unset"));
                else
                    TRY(sa_finding_evidence(f, "servicePrincipalName on %s (dNSHostName %s)", a->dn,
                                            a->dns_host ? a->dns_host : "unset"));
                TRY(sa_finding_fix(f, "setspn -D %s %s\nsetspn -S %s %s", spn, who, spn, right));
                free(who);
                free(right);
                who = right = NULL;
            }
        }
    }
    return true;
nomem:
    free(who);
    free(right);
    return false;
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

    sa_identity_account(identity, want, sizeof(want));
    for (size_t k = first; k < first + count; k++) {
        size_t acct = c->idx.refs[k].account;
        const sa_account *a = &c->in->accounts->items[acct];
        bool right = local ? (long)acct == s->account : (a->sam != NULL && strcasecmp(a->sam, want) == 0);

        if (right)
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

static bool
check_servers(ctx *c)
{
    char *fq = NULL, *nb = NULL, *who = NULL;
    const char *hs;

    for (size_t i = 0; i < c->in->n_servers; i++) {
        const sa_server *s = &c->in->servers[i];
        size_t first, n_fq, n_nb, n_sdk_fq, n_sdk_nb;
        sa_finding *f;

        TRY(who = machine_display(c, s->fqdn));
        if (s->account < 0) {
            TRY(f = sa_findings_add(c->out, SA_F_SERVER_ACCOUNT_NOT_FOUND, s->fqdn, s->fqdn));
            TRY(sa_finding_message(f,
                                   "no computer account for %s in this domain "
                                   "(by dNSHostName, or sAMAccountName %s$)",
                                   s->fqdn, s->netbios));
            TRY(sa_finding_fix(f, "check the server name, or audit the domain the server is a member of "
                                  "(--domain)"));
        } else if (sa_account_disabled(&c->in->accounts->items[s->account])) {
            TRY(report_disabled(c, (size_t)s->account, s));
        }

        TRY(fq = sa_strdup_printf("%s/%s", SA_CLASS_HEALTH, s->fqdn));
        TRY(nb = sa_strdup_printf("%s/%s", SA_CLASS_HEALTH, s->netbios));
        n_fq = sa_spn_index_lookup(&c->idx, fq, &first);
        n_nb = sa_spn_index_lookup(&c->idx, nb, &first);
        /* The account that must hold them: the Health Service's. */
        hs = hs_local(c) ? who : c->in->health_service;
        if (!hs_local(c)) {
            TRY(check_hs_holders(c, s, fq, who));
            TRY(check_hs_holders(c, s, nb, who));
        }
        if (n_fq == 0 && n_nb == 0) {
            TRY(f = sa_findings_add(c->out, SA_F_SPN_MISSING, fq, s->fqdn));
            TRY(sa_finding_message(f,
                                   "management server %s has no %s SPN at all: agents cannot "
                                   "authenticate it with Kerberos",
                                   s->fqdn, SA_CLASS_HEALTH));
            TRY(sa_finding_evidence(f, "no account holds %s or %s", fq, nb));
            TRY(sa_finding_fix(f, "setspn -S %s %s\nsetspn -S %s %s", fq, hs, nb, hs));
        } else if (n_fq == 0) {
            TRY(f = sa_findings_add(c->out, SA_F_SPN_FQDN_MISSING, fq, s->fqdn));
            TRY(sa_finding_message(f,
                                   "%s is registered but %s is not: agents that use the "
                                   "FQDN cannot authenticate %s",
                                   nb, fq, s->fqdn));
            TRY(sa_finding_evidence(f, "no account holds %s", fq));
            TRY(sa_finding_fix(f, "setspn -S %s %s", fq, hs));
        } else if (n_nb == 0) {
            TRY(f = sa_findings_add(c->out, SA_F_SPN_NETBIOS_MISSING, nb, s->fqdn));
            TRY(sa_finding_message(f,
                                   "%s is registered but %s is not: agents configured with "
                                   "the short name cannot authenticate %s",
                                   fq, nb, s->fqdn));
            TRY(sa_finding_evidence(f, "no account holds %s", nb));
            TRY(sa_finding_fix(f, "setspn -S %s %s", nb, hs));
        }
        free(fq);
        free(nb);
        fq = nb = NULL;

        /* The computer's right matters only when the Health Service runs as
         * Local System (it registers the SPNs on the computer account). */
        if (hs_local(c) && c->in->self_write != NULL && c->in->self_write[i].checked &&
            c->in->self_write[i].result != SA_SPN_WRITE_ALLOWED && s->account >= 0) {
            const sa_self_write *w = &c->in->self_write[i];
            TRY(f = sa_findings_add(c->out, SA_F_SPN_SELF_WRITE_DENIED, who, s->fqdn));
            if (w->result == SA_SPN_WRITE_MALFORMED) {
                f->severity = SA_SEV_WARNING;
                TRY(sa_finding_message(f,
                                       "cannot tell whether %s may write its own SPN: its security "
                                       "descriptor does not parse",
                                       who));
            } else {
                /* With both SPNs registered by someone else, only a re-registration fails. */
                if (n_fq > 0 && n_nb > 0)
                    f->severity = SA_SEV_WARNING;
                TRY(sa_finding_message(f,
                                       "%s may not write its own servicePrincipalName: the Health Service "
                                       "on %s cannot register its MSOMHSvc SPNs (event 21035 at each start)",
                                       who, s->fqdn));
            }
            TRY(sa_finding_evidence(f, "DACL of %s: %s", c->in->accounts->items[s->account].dn, w->why));
            TRY(sa_finding_fix(f,
                               "dsacls \"%s\" /G \"SELF:WS;Validated write to service principal name\"\n"
                               "(and remove any ACE that denies SELF that right)",
                               c->in->accounts->items[s->account].dn));
        }
        if (!c->in->check_sdk || s->gateway) {
            free(who);
            who = NULL;
            continue;
        }
        TRY(fq = sa_strdup_printf("%s/%s", SA_CLASS_SDK, s->fqdn));
        TRY(nb = sa_strdup_printf("%s/%s", SA_CLASS_SDK, s->netbios));
        n_sdk_fq = sa_spn_index_lookup(&c->idx, fq, &first);
        n_sdk_nb = sa_spn_index_lookup(&c->idx, nb, &first);
        if (n_sdk_fq == 0 && n_sdk_nb == 0) {
            TRY(f = sa_findings_add(c->out, SA_F_SDK_SPN_MISSING, fq, s->fqdn));
            TRY(sa_finding_message(f,
                                   "no %s SPN for %s: consoles and SDK clients cannot use "
                                   "Kerberos to its Data Access service",
                                   SA_CLASS_SDK, s->fqdn));
            TRY(sa_finding_evidence(f, "no account holds %s or %s", fq, nb));
            TRY(sa_finding_fix(f,
                               "setspn -S %s <SDK service account>\nsetspn -S %s <SDK service account>"
                               "\n(the computer account %s when the SDK service runs as Local System)",
                               fq, nb, who));
        } else if (c->in->sdk_service != NULL) {
            TRY(check_sdk_holders(c, s, fq, who));
            TRY(check_sdk_holders(c, s, nb, who));
        }
        free(fq);
        free(nb);
        free(who);
        fq = nb = who = NULL;
    }
    return true;
nomem:
    free(fq);
    free(nb);
    free(who);
    return false;
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
        size_t first, count;
        sa_krb_cause cause;
        sa_finding *f;

        if (t->ok || !t->tried)
            continue;
        count = sa_spn_index_lookup(&c->idx, t->spn, &first);
        cause = sa_krb_refine(t->cause, (unsigned)distinct_holders(&c->idx, first, count));
        info = sa_krb_cause_describe(cause);
        TRY(f = sa_findings_add_ticket(c->out, cause, t->spn, server_name(server_for_spn(c, t->spn))));
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
