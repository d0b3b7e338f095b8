/* analysis_servers.c - the rules on the expected servers (their account,
 * their SPNs, their right to write them), on tickets, the clock and
 * reachability. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis_internal.h"
#include "spnaudit/fixline.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/spn.h"

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
        TRY(who = an_display(c, acct));
        TRY(f = sa_findings_add(c->out, kind, c->idx.refs[k].spn, s->fqdn));
        TRY(sa_finding_message(f, "%s is registered on %s, but the %s runs as %s: %s", c->idx.refs[k].spn,
                               who, service, local ? machine : identity, breaks));
        TRY(sa_finding_evidence(f, "servicePrincipalName on %s", a->dn));
        TRY(sa_finding_fix_cmds(
            f,
            (sa_fix_cmd[]){{"setspn", {"-D", c->idx.refs[k].spn, who}, 3},
                           {"setspn", {"-S", c->idx.refs[k].spn, local ? machine : identity}, 3}},
            2, NULL));
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
        if (an_acct_dom(c, c->idx.refs[k].account) == s->domain)
            n++;
    }
    return n;
}

static bool
report_no_account(ctx *c, const sa_server *s)
{
    sa_finding *f;

    const sa_strv *looked_up = an_dom_hosts_checked(c, s->domain);

    if (s->account >= 0)
        return !sa_account_disabled(&c->in->accounts->items[s->account]) ||
               an_report_disabled(c, (size_t)s->account, s);
    if (looked_up == NULL || !sa_strv_contains_ci(looked_up, s->fqdn))
        return an_not_run(c, "SERVER_ACCOUNT_NOT_FOUND", s->fqdn,
                          "its computer account was not looked up in %s (the lookup did not run or failed)",
                          an_dom_name(c, s->domain));
    TRY(f = sa_findings_add(c->out, SA_F_SERVER_ACCOUNT_NOT_FOUND, s->fqdn, s->fqdn));
    TRY(sa_finding_message(f,
                           "no computer account for %s in %s (by dNSHostName, or sAMAccountName %s$): its "
                           "SPNs cannot be checked",
                           s->fqdn, an_dom_name(c, s->domain), s->netbios));
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
    const char *hs = an_hs_local(c) ? who : c->in->health_service;
    sa_finding *f;
    bool ok = false;

    TRY(fq = sa_strdup_printf("%s/%s", SA_CLASS_HEALTH, s->fqdn));
    TRY(nb = sa_strdup_printf("%s/%s", SA_CLASS_HEALTH, s->netbios));
    *n_fq = holders_in_domain(c, fq, s);
    *n_nb = holders_in_domain(c, nb, s);
    if (!an_hs_local(c)) {
        TRY(check_hs_holders(c, s, fq, who));
        TRY(check_hs_holders(c, s, nb, who));
    }
    if (an_hs_local(c) && s->account < 0) {
        ok = true; /* nobody to hold them: SERVER_ACCOUNT_NOT_FOUND says so */
        goto nomem;
    }
    if (*n_fq == 0 && *n_nb == 0) {
        TRY(f = sa_findings_add(c->out, SA_F_SPN_MISSING, fq, s->fqdn));
        TRY(sa_finding_message(f, "%s %s has no %s SPN at all: agents cannot authenticate it with Kerberos",
                               s->gateway ? "gateway" : "management server", s->fqdn, SA_CLASS_HEALTH));
        TRY(sa_finding_evidence(f, "no account of %s holds %s or %s", an_dom_name(c, s->domain), fq, nb));
        TRY(sa_finding_fix_cmds(
            f, (sa_fix_cmd[]){{"setspn", {"-S", fq, hs}, 3}, {"setspn", {"-S", nb, hs}, 3}}, 2, NULL));
    } else if (*n_fq == 0) {
        TRY(f = sa_findings_add(c->out, SA_F_SPN_FQDN_MISSING, fq, s->fqdn));
        TRY(sa_finding_message(
            f, "%s is registered but %s is not: agents that use the FQDN cannot authenticate %s", nb, fq,
            s->fqdn));
        TRY(sa_finding_evidence(f, "no account of %s holds %s", an_dom_name(c, s->domain), fq));
        TRY(sa_finding_fix_cmds(f, &(sa_fix_cmd){"setspn", {"-S", fq, hs}, 3}, 1, NULL));
    } else if (*n_nb == 0) {
        TRY(f = sa_findings_add(c->out, SA_F_SPN_NETBIOS_MISSING, nb, s->fqdn));
        TRY(sa_finding_message(f,
                               "%s is registered but %s is not: agents configured with the short name cannot "
                               "authenticate %s",
                               fq, nb, s->fqdn));
        TRY(sa_finding_evidence(f, "no account of %s holds %s", an_dom_name(c, s->domain), nb));
        TRY(sa_finding_fix_cmds(f, &(sa_fix_cmd){"setspn", {"-S", nb, hs}, 3}, 1, NULL));
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

    if (!an_hs_local(c) || s->account < 0 || w == NULL || !w->checked || w->result == SA_SPN_WRITE_ALLOWED)
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
    TRY(sa_finding_evidence(f, "DACL of %s: ", dn));
    TRY(sa_finding_evidence_words(f, w->why)); /* the DACL walk's words, no value in them */
    TRY(sa_finding_fix_cmds(
        f, &(sa_fix_cmd){"dsacls", {dn, "/G", "SELF:WS;Validated write to service principal name"}, 3}, 1,
        "(and remove any ACE that denies SELF that right)"));
    return true;
nomem:
    return false;
}

/* The fix of missing MSOMSdkSvc SPNs: setspn -S on the SDK service's
 * account when it is known, else the steps in words (a command with a
 * placeholder would be pasted as one: cmd.exe reads "<x>" as redirection). */
static bool
sdk_fix(ctx *c, sa_finding *f, const char *fq, const char *nb, const char *machine)
{
    const char *id = c->in->sdk_service;
    const char *acct = id == NULL ? NULL : sa_identity_is_local_system(id) ? machine : id;

    if (acct != NULL)
        return sa_finding_fix_cmds(
            f, (sa_fix_cmd[]){{"setspn", {"-S", fq, acct}, 3}, {"setspn", {"-S", nb, acct}, 3}}, 2, NULL);
    return sa_finding_fix(
        f,
        "register %s and %s on the account the SDK service (System Center Data Access) "
        "runs as, with setspn -S (on the computer account %s when it runs as Local System); "
        "with --sdk-service the audit writes the commands",
        fq, nb, machine);
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
        TRY(sa_finding_evidence(f, "no account of %s holds %s or %s", an_dom_name(c, s->domain), fq, nb));
        TRY(sdk_fix(c, f, fq, nb, who));
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

/* Is the SDK service part of the question for s: named (--sdk-service),
 * or some account of s's domain holds an MSOMSdkSvc SPN (the SDK service
 * is registered for Kerberos there)?  Otherwise a missing SDK SPN is no
 * news: the SDK service simply uses NTLM, on every server alike. */
static bool
sdk_in_question(const ctx *c, const sa_server *s)
{
    if (c->in->sdk_service != NULL)
        return true;
    for (size_t i = 0; i < c->idx.n; i++) {
        if (sa_spn_has_class(c->idx.refs[i].spn, SA_CLASS_SDK) &&
            an_acct_dom(c, c->idx.refs[i].account) == s->domain)
            return true;
    }
    return false;
}

/* One expected server: its account, its SPNs, its right to write them. */
static bool
check_server(ctx *c, size_t i)
{
    const sa_server *s = &c->in->servers[i];
    bool incomplete = an_dom_incomplete(c, s->domain), ok = false;
    size_t n_fq = 0, n_nb = 0;
    char *who = NULL;

    TRY(who = an_machine_display(c, s->fqdn, s->domain));
    TRY(report_no_account(c, s));
    if (incomplete)
        TRY(an_not_run(c, "SPN_MISSING SPN_FQDN_MISSING SPN_NETBIOS_MISSING SDK_SPN_MISSING", s->fqdn,
                       "the search for SPN holders in %s was cut short", an_dom_name(c, s->domain)));
    else if (c->in->health_not_read)
        TRY(an_not_run(c, "SPN_MISSING SPN_FQDN_MISSING SPN_NETBIOS_MISSING", NULL,
                       "%s SPNs were not read (--service-class)", SA_CLASS_HEALTH));
    else
        TRY(check_server_hs(c, s, who, &n_fq, &n_nb));
    TRY(check_self_write(c, i, who, n_fq > 0 && n_nb > 0));
    if (c->in->check_sdk && !s->gateway && !incomplete && s->account >= 0) {
        if (sdk_in_question(c, s))
            TRY(check_server_sdk(c, s, who));
        else
            TRY(an_not_run(c, "SDK_SPN_MISSING", NULL,
                           "no SDK service named (--sdk-service) and no %s SPN in %s", SA_CLASS_SDK,
                           an_dom_name(c, s->domain)));
    }
    ok = true;
nomem:
    free(who);
    return ok;
}

bool
an_check_servers(ctx *c)
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
    return an_server_in_domain(c, parsed.host, d);
}

bool
an_check_tickets(ctx *c)
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

        if (t->ok)
            continue;
        if (!t->tried || sa_krb_cause_is_ours(t->cause)) {
            /* nothing learnt about the SPN: the probe stopped before it,
             * or the refusal was about this host */
            TRY(an_not_run(c, "TICKET_*", an_server_name(server_for_ticket(c, t->spn)),
                           "no service ticket could be checked: %s",
                           !t->tried  ? "the requests stopped before them"
                           : t->error ? t->error
                                      : "refused"));
            continue;
        }
        count = sa_spn_index_lookup(&c->idx, ticket_spn(t->spn, spn, sizeof(spn)), &first);
        cause = sa_krb_refine(t->cause, (unsigned)an_distinct_holders(&c->idx, first, count));
        info = sa_krb_cause_describe(cause);
        TRY(f = sa_findings_add_ticket(c->out, cause, t->spn, an_server_name(server_for_ticket(c, t->spn))));
        TRY(sa_finding_message(f, "no service ticket for %s: %s", t->spn, info->summary));
        if (cause != t->cause) /* the tool's words in the format: the report may wrap them */
            TRY(sa_finding_evidence(f, "Kerberos error %ld: %s (the directory shows several holders)",
                                    t->code, t->error ? t->error : "(no text)"));
        else
            TRY(sa_finding_evidence(f, "Kerberos error %ld: %s", t->code, t->error ? t->error : "(no text)"));
        TRY(sa_finding_fix_cmds(f, NULL, 0, info->fix)); /* steps in the tool's words, no command */
    }
    return true;
nomem:
    return false;
}

/* Kerberos allows 5 minutes of difference by default; warn well before. */
#define SKEW_FAIL 300
#define SKEW_WARN 60

bool
an_check_clock(ctx *c)
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

bool
an_check_reach(ctx *c)
{
    sa_finding *f;

    for (size_t i = 0; c->in->reach != NULL && i < c->in->n_servers; i++) {
        const sa_reach *r = &c->in->reach[i];
        const char *fqdn = c->in->servers[i].fqdn;

        if (!r->resolved && r->lookup_failed) {
            /* no answer is no verdict */
            TRY(an_not_run(c, "DNS_RESOLUTION_FAILED TCP_CONNECT_FAILED", fqdn,
                           "its name could not be looked up: %s", r->resolve_error));
        } else if (!r->resolved) {
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
