/* analysis.c - the rules on accounts: duplicates, stale and misplaced SPNs,
 * disabled accounts, weak encryption types; and the analysis as a whole.
 * No I/O, so every rule is unit-tested with plain data. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis_internal.h"
#include "spnaudit/domains.h"
#include "spnaudit/spn.h"

/* Is account the host's own computer account, in the host's domain? */
static bool
own_account(const ctx *c, size_t account, const char *host)
{
    const sa_account *a = &c->in->accounts->items[account];

    if (!sa_account_is_machine(a))
        return false;
    if (sa_account_named_in_domain(a, host, a->dns_domain != NULL ? a->dns_domain : c->in->home_dns))
        return true;
    if (!sa_account_matches_host(a, host))
        return false;
    if (!sa_spn_host_is_fqdn(host))
        return true; /* a NetBIOS name: of the holder's own domain */
    if (a->dns_domain != NULL)
        return sa_name_under_domain(host, a->dns_domain);
    return an_host_dom(c, host, account) == 0;
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

/* The evidence and fix of a duplicate: every holder listed, a setspn -D
 * for each one that is not the host's own account. */
static bool
duplicate_holders(ctx *c, sa_finding *f, size_t first, size_t count, const sa_spn *parsed, bool *cross)
{
    char *who = NULL;
    bool ok = false;

    TRY(sa_finding_evidence(f, "holders:"));
    for (size_t k = first; k < first + count; k++) {
        size_t acct = c->idx.refs[k].account;
        const sa_account *a = &c->in->accounts->items[acct];
        bool right = parsed != NULL && own_account(c, acct, parsed->host); /* in the host's domain */
        const char *sep = k == first ? "" : ",", *kind = sa_account_kind_name(a->kind);
        *cross |= a->domain != NULL;
        TRY(who = an_display(c, acct));
        if (right) /* each holder its own value: the report may wrap between them */
            TRY(sa_finding_evidence_more(f, "%s %s (%s, the host's own account)", sep, who, kind));
        else
            TRY(sa_finding_evidence_more(f, "%s %s (%s)", sep, who, kind));
        if (!right)
            TRY(sa_fix_add(&f->fix, &(sa_fix_cmd){"setspn", {"-D", c->idx.refs[k].spn, who}, 3}, 1));
        free(who);
        who = NULL;
    }
    ok = true;
nomem:
    free(who);
    return ok;
}

static bool
check_duplicates(ctx *c)
{
    size_t i = 0;
    bool lookalike;

    while (i < c->idx.n) {
        size_t first, count = sa_spn_index_lookup(&c->idx, c->idx.refs[i].spn, &first);
        const char *spn = c->idx.refs[first].spn;
        sa_spn parsed;
        const char *why;
        bool parsed_ok = sa_spn_parse(spn, &parsed, &why), cross = false;
        sa_finding *f;

        i = first + count;
        if (an_distinct_holders(&c->idx, first, count) < 2 ||
            (parsed_ok && !sa_spn_host_is_fqdn(parsed.host) && !netbios_dup(c, first, count)))
            continue;
        TRY(an_spn_lookalike(c, spn, &lookalike));
        if (lookalike)
            continue; /* a look-alike of a server's SPN: an_check_values reports each holder */
        TRY(f = sa_findings_add(
                c->out, SA_F_SPN_DUPLICATE, spn,
                an_server_name(parsed_ok ? an_server_for_ref(c, parsed.host, c->idx.refs[first].account)
                                         : NULL)));
        TRY(duplicate_holders(c, f, first, count, parsed_ok ? &parsed : NULL, &cross));
        if (cross)
            TRY(sa_finding_message(f,
                                   "%s is registered on %zu accounts in different domains: a KDC uses the "
                                   "holder of its own domain or forest, and one that finds several through "
                                   "the Global Catalog refuses, so agents of some domains get no ticket or "
                                   "one for the wrong account (KRB_AP_ERR_MODIFIED)",
                                   spn, an_distinct_holders(&c->idx, first, count)));
        else
            TRY(sa_finding_message(f,
                                   "%s is registered on %zu accounts; the KDC cannot tell "
                                   "which key to use and agents fail to authenticate the server",
                                   spn, an_distinct_holders(&c->idx, first, count)));
    }
    return true;
nomem:
    return false;
}

bool
an_report_disabled(ctx *c, size_t acct, const sa_server *server)
{
    const sa_account *a = &c->in->accounts->items[acct];
    char *who = NULL;
    sa_finding *f;
    bool ok = false;

    if (c->disabled_reported[acct])
        return true;
    c->disabled_reported[acct] = true;
    TRY(who = an_display(c, acct));
    TRY(f = sa_findings_add(c->out, SA_F_ACCOUNT_DISABLED, who, an_server_name(server)));
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
    long d = an_host_dom(c, host, holder);
    const sa_strv *checked;

    if (d < 0)
        return HOST_UNJUDGED;
    if (an_computer_in_domain(c, host, d) >= 0)
        return HOST_EXISTS;
    checked = an_dom_hosts_checked(c, d);
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
    TRY(who = an_display(c, acct));
    TRY(f = sa_findings_add(c->out, SA_F_ENCTYPES_NO_AES, who, an_server_name(server)));
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

    TRY(who = an_display(c, i));
    TRY(f = sa_findings_add(c->out, SA_F_SPN_MALFORMED, spn, an_server_name(s)));
    TRY(sa_finding_message(f, "%s holds a malformed SPN: %s", who, why));
    TRY(sa_finding_evidence(f, "servicePrincipalName \"%s\" on %s", spn, c->in->accounts->items[i].dn));
    TRY(sa_finding_fix_cmds(f, &(sa_fix_cmd){"setspn", {"-D", spn, who}, 3}, 1, NULL));
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

    TRY(who = an_display(c, i));
    TRY(f = sa_findings_add(c->out, SA_F_SPN_STALE, spn, an_server_name(s)));
    TRY(sa_finding_message(f,
                           "%s names %s, which has no computer account: a leftover that "
                           "can collide when the name is used again",
                           spn, host));
    TRY(sa_finding_evidence(f,
                            "servicePrincipalName on %s; no computer with dNSHostName or "
                            "sAMAccountName %s in %s",
                            c->in->accounts->items[i].dn, host, an_dom_name(c, an_host_dom(c, host, i))));
    TRY(sa_finding_fix_cmds(f, &(sa_fix_cmd){"setspn", {"-D", spn, who}, 3}, 1, NULL));
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
    const sa_ticket *t = an_ticket_for(c, spn, i);
    long d = an_host_dom(c, host, i);
    char *who = NULL, *right = NULL;
    sa_finding *f;
    bool ok = false, known = host_state_of(c, host, i) == HOST_EXISTS;

    TRY(who = an_display(c, i));
    TRY(right =
            known ? an_machine_display(c, host, d) : sa_strdup_printf("the computer account of %s", host));
    TRY(f = sa_findings_add(c->out, kind, spn, an_server_name(s)));
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
    TRY(sa_finding_fix_cmds(
        f, (sa_fix_cmd[]){{"setspn", {"-D", spn, who}, 3}, {"setspn", {"-S", spn, right}, 3}}, known ? 2 : 1,
        known ? NULL : "(then register it on the computer account of the host it names)"));
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
    bool own, lookalike;

    /* a look-alike of a server's SPN: an_check_values reports it, no verdict is built on it */
    if (!an_spn_lookalike(c, spn, &lookalike))
        return false;
    if (lookalike)
        return !sa_account_disabled(a) || an_report_disabled(c, i, acct_server);
    if (!sa_spn_parse(spn, &parsed, &why))
        return report_malformed(c, i, spn, why, acct_server);
    s = an_server_for_ref(c, parsed.host, i);
    if (s == NULL)
        s = acct_server;
    if (sa_account_disabled(a) && !an_report_disabled(c, i, s))
        return false;
    own = own_account(c, i, parsed.host);
    state = own ? HOST_EXISTS : host_state_of(c, parsed.host, i);
    if (state == HOST_GONE)
        return report_stale(c, i, spn, parsed.host, s);
    if (strcasecmp(parsed.service_class, SA_CLASS_HEALTH) != 0)
        return true;
    /* A management server's SPN with the Health Service as a domain
     * account: check_servers judges its holders. */
    if (!an_hs_local(c) && an_server_for_ref(c, parsed.host, i) != NULL)
        return true;
    if (a->kind != SA_ACCT_COMPUTER && c->in->health_service_local_system)
        return report_misplaced(c, i, spn, parsed.host, SA_F_SPN_ON_USER_ACCOUNT, s);
    /* A duplicate is reported (with its fix) by check_duplicates. */
    count = sa_spn_index_lookup(&c->idx, spn, &first);
    if (a->kind != SA_ACCT_COMPUTER || own || sa_account_matches_host(a, parsed.host) ||
        an_distinct_holders(&c->idx, first, count) != 1)
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
        const sa_server *acct_server = an_server_for_account(c, i);

        if (!check_enctypes(c, i, acct_server))
            return false;
        for (size_t j = 0; j < accts->items[i].spns.n; j++) {
            if (!check_account_spn(c, i, accts->items[i].spns.items[j], acct_server))
                return false;
        }
    }
    if (c->unchecked_hosts > 0 &&
        !an_not_run(c, "SPN_WRONG_COMPUTER SPN_STALE", NULL,
                    "%zu SPN(s) on another computer's account name hosts that were not looked up as "
                    "computer accounts (the lookup did not run or failed)",
                    c->unchecked_hosts))
        return false;
    if (c->unjudged_hosts > 0 &&
        !an_not_run(c, "SPN_WRONG_COMPUTER SPN_STALE", NULL,
                    "%zu SPN(s) on another computer's account name hosts of domains that were not read",
                    c->unjudged_hosts))
        return false;
    return true;
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
    if (!check_duplicates(&c) || !check_accounts(&c) || !an_check_servers(&c) || !an_check_tickets(&c) ||
        !an_check_clock(&c) || !an_check_reach(&c) || !an_check_values(&c))
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
