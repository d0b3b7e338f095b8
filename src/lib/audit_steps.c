/* audit_steps.c - the audit's later steps: tickets for the SPNs read,
 * each server's right to write its SPNs, and the findings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit_internal.h"
#include "spnaudit/audit.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/spn.h"

/* Does the SPN (host parsed) held by acct name one of the servers? */
static bool
names_a_server(const sa_audit *a, const sa_account *acct, const char *host)
{
    for (size_t i = 0; i < a->names.n; i++) {
        if (sa_spn_host_is_server(acct, host, &a->servers[i], a->views, a->n_others))
            return true;
    }
    return false;
}

/* The name to ask for: with scope all, every SPN of the home domain's
 * accounts, in the home realm; in the servers' other domains (and with
 * scope servers everywhere), the SPNs that name a server, as "SPN@REALM"
 * in their own realm; NULL for the rest (holders read only for
 * duplicates, the agents outside the scope). */
static char *
ticket_name(const sa_audit *a, sa_scope_tickets scope, const sa_account *acct, const char *spn,
            const char *host)
{
    long d = sa_account_domain(acct, a->views, a->n_others);
    bool every = scope == SA_SCOPE_TICKETS_ALL && d == 0;

    if (d < 0 || (!every && !names_a_server(a, acct, host)))
        return NULL;
    return sa_ticket_name(acct, spn);
}

/* Each distinct ticket name once, well-formed SPNs only (a malformed one
 * is reported as such; it is no principal name). */
static bool
ticket_list(const sa_audit *a, sa_scope_tickets scope, sa_tickets *out)
{
    sa_spn_index idx = {NULL, 0};
    sa_strv group = {NULL, 0, 0};
    const char *prev = NULL;
    bool ok = sa_spn_index_build(&a->accounts, &idx);

    for (size_t i = 0; ok && i < idx.n; i++) {
        const char *spn = idx.refs[i].spn;
        sa_spn parsed;
        const char *why;
        char *name;

        if (prev == NULL || strcasecmp(prev, spn) != 0)
            sa_strv_clear(&group); /* names are unique within one SPN's refs */
        prev = spn;
        if (!sa_spn_parse(spn, &parsed, &why))
            continue;
        name = ticket_name(a, scope, &a->accounts.items[idx.refs[i].account], spn, parsed.host);
        if (name != NULL && !sa_strv_contains_ci(&group, name))
            ok = sa_strv_add(&group, name) && sa_tickets_add(out, name) != NULL;
        free(name);
    }
    sa_strv_clear(&group);
    sa_spn_index_free(&idx);
    return ok;
}

sa_status
sa_audit_tickets(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    sa_error e = {SA_OK, ""};
    sa_status st;

    if (cfg->tickets == SA_SCOPE_TICKETS_NONE)
        return SA_OK;
    if (!ticket_list(a, cfg->tickets, &a->tickets))
        return sa_error_nomem(err);
    if (cfg->krb == NULL) {
        sa_tickets_sort(&a->tickets);
        return sa_error_set(err, SA_ERR_CREDENTIALS, "no Kerberos credentials to request tickets with");
    }
    st = sa_krb_probe_all(cfg->krb, a->realm, &a->tickets, cfg->jobs, cfg->progress, &e);
    sa_tickets_sort(&a->tickets);
    if (st == SA_ERR_SYSTEM)
        return sa_error_nomem(err);
    if (st != SA_OK && sa_audit_incomplete(a, "%s", e.message) != SA_OK)
        return sa_error_nomem(err);
    /* a refusal about this host (e.g. another realm's KDC out of reach):
     * that ticket was not checked */
    for (size_t i = 0; i < a->tickets.n; i++) {
        const sa_ticket *t = &a->tickets.items[i];
        if (t->tried && sa_krb_cause_is_ours(t->cause) &&
            sa_audit_incomplete(a, "%s while requesting a service ticket for %s",
                                t->error ? t->error : "refused", t->spn) != SA_OK)
            return sa_error_nomem(err);
    }
    return SA_OK;
}

/* The directory that holds account: home's, or the server domain's. */
static sa_dir *
dir_of(const sa_audit *a, const sa_account *acct)
{
    long d = sa_account_domain(acct, a->views, a->n_others);

    return d == 0 ? a->home : d > 0 ? a->others[d - 1].dir : NULL;
}

/* May each server's computer account write its own SPN?  Read whenever
 * the account was found, whatever else failed. */
sa_status
sa_audit_self_write(sa_audit *a, sa_error *err)
{
    if (a->names.n > 0 && (a->self_write = calloc(a->names.n, sizeof(*a->self_write))) == NULL)
        return sa_error_nomem(err);
    for (size_t i = 0; i < a->names.n; i++) {
        const sa_server *s = &a->servers[i];
        unsigned char *sd = NULL, *sid = NULL;
        size_t sd_len = 0, sid_len = 0;
        sa_error e = {SA_OK, ""};
        const sa_account *acct;
        sa_dir *dir;

        if (s->account < 0)
            continue;
        acct = &a->accounts.items[s->account];
        dir = dir_of(a, acct);
        if (dir == NULL || sa_dir_read_dacl(dir, acct->dn, &sd, &sd_len, &sid, &sid_len, &e) != SA_OK) {
            char *why = sa_strdup_printf("its DACL could not be read: %s",
                                         dir ? e.message : "its domain is not connected");
            bool ok = why != NULL &&
                      sa_checks_not_run_note(&a->scope.checks_not_run, "SPN_SELF_WRITE_DENIED", s->fqdn, why);
            free(why);
            if (!ok)
                return sa_error_nomem(err);
            continue;
        }
        a->self_write[i].checked = true;
        a->self_write[i].result = sa_sd_self_spn_write(sd, sd_len, sid, sid_len, a->self_write[i].why,
                                                       sizeof(a->self_write[i].why));
        free(sd);
        free(sid);
    }
    return SA_OK;
}

static bool
dc_findings(sa_audit *a)
{
    for (size_t i = 0; i < a->unreachable.n; i++) {
        const char *why = a->unreachable.items[i], *colon = strstr(why, ": ");
        char *dc = strndup(why, colon ? (size_t)(colon - why) : strlen(why));
        sa_finding *f = dc ? sa_findings_add(&a->findings, SA_F_DC_UNREACHABLE, dc, NULL) : NULL;

        free(dc);
        if (f == NULL ||
            !sa_finding_message(f, "a domain controller did not answer; the audit used the next one, but "
                                   "agents that use it fail to authenticate (21008)") ||
            !sa_finding_evidence(f, "%s", why) ||
            !sa_finding_fix(f, "check that the DC runs and that TCP 389 and 88 are open to it, or remove its "
                               "DNS records if it was retired"))
            return false;
    }
    for (size_t i = 0; i < a->stats.referrals.n; i++) {
        const char *url = a->stats.referrals.items[i];
        sa_finding *f;

        if (sa_referral_is_infrastructure(url))
            continue; /* Configuration and DNS partitions hold no accounts */
        f = sa_findings_add(&a->findings, SA_F_REFERRAL_NOT_FOLLOWED, url, NULL);
        if (f == NULL ||
            !sa_finding_message(f,
                                "the DC referred part of the search to %s, which was not followed: "
                                "accounts there were not audited",
                                url) ||
            !sa_finding_fix(f, "audit that domain too (--domain, with one of its DCs as --server)"))
            return false;
    }
    return true;
}

sa_status
sa_audit_findings(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    sa_analysis_input in;
    sa_status st;

    memset(&in, 0, sizeof(in));
    in.accounts = &a->accounts;
    in.servers = a->servers;
    in.n_servers = a->names.n;
    in.tickets = cfg->tickets != SA_SCOPE_TICKETS_NONE ? &a->tickets : NULL;
    in.netbios_domain = sa_dir_netbios_domain(a->home);
    in.home_dns = sa_dir_dns_domain(a->home);
    in.health_service_local_system =
        cfg->health_service == NULL || sa_identity_is_local_system(cfg->health_service);
    in.health_service = cfg->health_service;
    in.sdk_service = cfg->sdk_service;
    in.check_sdk = sa_strv_contains_ci(cfg->classes, SA_CLASS_SDK);
    in.health_not_read = !sa_strv_contains_ci(cfg->classes, SA_CLASS_HEALTH);
    in.have_skew = sa_dir_clock_skew(a->home, &in.clock_skew);
    in.dc = sa_dir_uri(a->home);
    in.reach = a->reach;
    in.reach_port = SA_AGENT_PORT;
    in.hosts_checked = a->home_hosts_looked_up ? &a->home_hosts : NULL;
    in.holders_incomplete = a->home_incomplete;
    in.self_write = a->self_write;
    in.other_domains = a->views;
    in.n_other_domains = a->n_others;
    in.not_run = &a->scope.checks_not_run;
    st = sa_analyse(&in, &a->findings, err);
    if (st != SA_OK)
        return st;
    if (!dc_findings(a))
        return sa_error_nomem(err);
    sa_findings_sort(&a->findings);
    return SA_OK;
}

static int
by_name(const void *x, const void *y)
{
    return strcasecmp(*(char *const *)x, *(char *const *)y);
}

sa_status
sa_audit_discover(sa_audit *a, sa_error *err)
{
    sa_search_stats stats; /* not the audit's: these are not SPN holders */
    sa_error why = {SA_OK, ""};
    sa_status st;

    memset(&stats, 0, sizeof(stats));
    if (!sa_discovered_sdk_hosts(&a->accounts, &a->discovered.sdk_hosts))
        return sa_error_nomem(err);
    st = sa_dir_read_scom_scps(a->home, &a->discovered.scp_hosts, &stats, &why);
    sa_search_stats_clear(&stats);
    if (st == SA_ERR_SYSTEM) { /* out of memory */
        *err = why;
        return st;
    }
    if (st != SA_OK && (a->discovered.scp_error = strdup(why.message)) == NULL)
        return sa_error_nomem(err);
    /* in name order: the directory returns them in no defined order */
    qsort(a->discovered.scp_hosts.items, a->discovered.scp_hosts.n, sizeof(char *), by_name);
    a->discovered.searched = true;
    return SA_OK;
}

/* The domains read and judged: home and the servers' domains read. */
static bool
scope_domains(const sa_audit_config *cfg, const sa_audit *a, sa_report_scope *s)
{
    const char *home = a->home ? sa_dir_dns_domain(a->home) : cfg->ds.base.domain;

    if (home != NULL && !sa_strv_add_unique_ci(&s->domains, home))
        return false;
    for (size_t k = 0; k < a->n_others; k++) {
        if (a->others[k].dir != NULL && !sa_strv_add_unique_ci(&s->domains, a->others[k].dns))
            return false;
    }
    for (size_t i = 1; cfg->ds.domains != NULL && i < cfg->ds.domains->n; i++) {
        if (!sa_strv_contains_ci(&s->domains, cfg->ds.domains->items[i]) &&
            !sa_strv_add_unique_ci(&s->other_domains, cfg->ds.domains->items[i]))
            return false;
    }
    return true;
}

bool
sa_audit_scope(const sa_audit_config *cfg, sa_audit *a)
{
    sa_report_scope *s = &a->scope;

    if (s->known)
        return true;
    s->forest = cfg->forest;
    s->tickets = cfg->tickets;
    s->reachability = cfg->reachability;
    s->certificates = cfg->cert_trust != NULL;
    s->known = scope_domains(cfg, a, s) && sa_strv_add_all(&s->servers, cfg->servers, 0, false) &&
               sa_strv_add_all(&s->gateways, cfg->gateways, 0, false) &&
               sa_strv_add_all(&s->service_classes, cfg->classes, 0, false);
    return s->known;
}

void
sa_audit_report(const sa_audit_config *cfg, sa_audit *a, sa_report *r)
{
    r->domain = a->home ? sa_dir_dns_domain(a->home) : NULL;
    r->realm = a->realm;
    r->uri = a->home ? sa_dir_uri(a->home) : NULL;
    r->bind = a->home ? sa_dir_bind_description(a->home) : NULL;
    r->accounts = &a->accounts;
    r->servers = a->servers;
    r->reach = a->reach;
    r->n_servers = a->servers ? a->names.n : 0;
    r->findings = &a->findings;
    r->stats = &a->stats;
    r->also_read = &a->also_read;
    r->other_domains = a->views;
    r->n_other_domains = a->n_others;
    r->complete = a->complete;
    r->incomplete_reason = a->reason ? a->reason : "the audit did not finish";
    /* a run that failed before the directory was read suggests nothing */
    r->discovered = a->names.n == 0 && a->discovered.searched ? &a->discovered : NULL;
    r->scope = sa_audit_scope(cfg, a) ? &a->scope : NULL;
    if (a->home == NULL) {
        const sa_strv *dcs = cfg->ds.dcs;
        r->domain = cfg->ds.base.domain;
        r->uri = cfg->ds.base.uri ? cfg->ds.base.uri : dcs != NULL && dcs->n > 0 ? dcs->items[0] : NULL;
        r->complete = false;
    }
}
