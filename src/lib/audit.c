/* audit.c - "spnaudit audit" as one pipeline: read -> servers' domains ->
 * foreign holders -> computer accounts -> tickets -> self-write ->
 * reachability -> findings.  Every server is judged in its own domain;
 * what could not be read is said so, never reported as a failure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit_internal.h"
#include "spnaudit/audit.h"
#include "spnaudit/spn.h"

sa_status
sa_audit_incomplete(sa_audit *a, const char *fmt, ...)
{
    va_list ap;
    char *text = NULL;

    a->complete = false;
    va_start(ap, fmt);
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    va_end(ap);
    if (text == NULL)
        return SA_ERR_SYSTEM;
    if (a->reason == NULL)
        a->reason = text;
    else
        free(text);
    return SA_OK;
}

/* Checks (space-separated codes, "*" for all) that could not run for
 * server (NULL: for all), and why. */
static sa_status note(sa_audit *a, const char *checks, const char *server, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static sa_status
note(sa_audit *a, const char *checks, const char *server, const char *fmt, ...)
{
    va_list ap;
    char *text = NULL;
    bool ok;

    va_start(ap, fmt);
    ok = vasprintf(&text, fmt, ap) >= 0;
    va_end(ap);
    ok = ok && sa_checks_not_run_note(&a->scope.checks_not_run, checks, server, text);
    free(text);
    return ok ? SA_OK : SA_ERR_SYSTEM;
}

sa_status
sa_audit_connect(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    sa_status st;

    memset(a, 0, sizeof(*a));
    a->complete = true;
    st = sa_domain_connect(&cfg->ds, NULL, false, &a->home, &a->unreachable, err);
    if (st != SA_OK)
        return st;
    a->realm = sa_strdup_upper(sa_dir_dns_domain(a->home));
    return a->realm ? SA_OK : sa_error_nomem(err);
}

/* ------------------------------------------------------------ the servers' domains */

/* The domain a server is under: the longest known one (the home domain,
 * those named, the home forest's), else the DNS suffix of its name. */
static void
server_domain(const sa_audit *a, const sa_strv *known, const char *fqdn, char *buf, size_t size)
{
    long k = sa_domain_index_of(known, fqdn);

    if (k >= 0)
        snprintf(buf, size, "%s", known->items[k]);
    else if (!sa_host_dns_suffix(fqdn, buf, size))
        snprintf(buf, size, "%s", sa_dir_dns_domain(a->home));
}

/* The index + 1 of domain dns among a->others (added when new). */
static long
other_index(sa_audit *a, const char *dns)
{
    sa_audit_domain *o;

    for (size_t k = 0; k < a->n_others; k++) {
        if (strcasecmp(a->others[k].dns, dns) == 0)
            return (long)k + 1;
    }
    o = realloc(a->others, (a->n_others + 1) * sizeof(*o));
    if (o == NULL)
        return -1;
    a->others = o;
    o = &a->others[a->n_others];
    memset(o, 0, sizeof(*o));
    if ((o->dns = strdup(dns)) == NULL)
        return -1;
    return (long)++a->n_others;
}

/* The domains a name can be under: home, those named, the home forest's. */
static sa_status
known_domains(const sa_audit_config *cfg, sa_audit *a, sa_strv *known, sa_error *err)
{
    sa_error e = {SA_OK, ""};

    if (!sa_strv_add_unique_ci(known, sa_dir_dns_domain(a->home)))
        return sa_error_nomem(err);
    for (size_t i = 0; cfg->ds.domains != NULL && i < cfg->ds.domains->n; i++) {
        if (!sa_strv_add_unique_ci(known, cfg->ds.domains->items[i]))
            return sa_error_nomem(err);
    }
    if (sa_dir_read_forest_domains(a->home, known, &a->stats, &e) != SA_OK &&
        note(a, "SERVER_DOMAIN", NULL,
             "the domains of %s's forest could not be read (%s); servers are placed by their DNS names",
             sa_dir_dns_domain(a->home), e.message) != SA_OK)
        return sa_error_nomem(err);
    return SA_OK;
}

static sa_status
place_servers(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    sa_strv known = {NULL, 0, 0};
    sa_status ret;
    char dom[256];

    ret = known_domains(cfg, a, &known, err);
    for (size_t i = 0; ret == SA_OK && i < a->names.n; i++) {
        server_domain(a, &known, a->names.items[i], dom, sizeof(dom));
        if (strcasecmp(dom, sa_dir_dns_domain(a->home)) == 0)
            continue;
        if ((a->servers[i].domain = other_index(a, dom)) < 0)
            ret = sa_error_nomem(err);
    }
    sa_strv_clear(&known);
    return ret;
}

/* Connect to another domain, through the trust with our credentials. */
static sa_status
connect_other(const sa_audit_config *cfg, sa_audit *a, sa_audit_domain *o, sa_error *err)
{
    sa_status st = sa_domain_connect(&cfg->ds, o->dns, false, &o->dir, &a->unreachable, err);

    if (st == SA_OK && strcasecmp(sa_dir_dns_domain(o->dir), o->dns) != 0) {
        st = sa_error_set(err, SA_ERR_USAGE, "%s serves %s, not %s", sa_dir_uri(o->dir),
                          sa_dir_dns_domain(o->dir), o->dns);
        sa_dir_close(o->dir);
        o->dir = NULL;
    }
    return st;
}

/* Every holder in a server's domain: judged like the home domain's. */
static sa_status
read_other(const sa_audit_config *cfg, sa_audit *a, size_t k, sa_error *err)
{
    sa_audit_domain *o = &a->others[k];
    sa_error e = {SA_OK, ""};
    size_t first = a->accounts.n;
    sa_status st = connect_other(cfg, a, o, &e);

    if (st == SA_OK)
        st = sa_dir_find_spn_holders(o->dir, cfg->classes, &a->accounts, &a->stats, &e);
    if (o->dir != NULL && !sa_label_accounts(&a->accounts, first, o->dir))
        return sa_error_nomem(err);
    if (o->dir != NULL && sa_dir_netbios_domain(o->dir) != NULL &&
        (o->netbios = strdup(sa_dir_netbios_domain(o->dir))) == NULL)
        return sa_error_nomem(err);
    if (st == SA_OK)
        return sa_strv_add_unique_ci(&a->also_read, o->dns) ? SA_OK : sa_error_nomem(err);
    o->incomplete = true;
    for (size_t i = 0; o->dir == NULL && i < a->names.n; i++) {
        if (a->servers[i].domain != (long)k + 1)
            continue;
        a->servers[i].not_judged = true;
        if (note(a, "*", a->names.items[i], "not judged: its domain %s could not be read: %s", o->dns,
                 e.message) != SA_OK)
            return sa_error_nomem(err);
    }
    return sa_audit_incomplete(a, "%s: %s", o->dns, e.message) == SA_OK ? SA_OK : sa_error_nomem(err);
}

/* ------------------------------------------------------------ duplicates in other domains */

/* Does account hold an SPN that one of the audited accounts holds? */
static bool
shares_spn(const sa_spn_index *idx, const sa_account *acct)
{
    for (size_t k = 0; k < acct->spns.n; k++) {
        size_t first;
        if (sa_spn_index_lookup(idx, acct->spns.items[k], &first) > 0)
            return true;
    }
    return false;
}

/* Is dns a domain whose accounts are already all read? */
static bool
already_read(const sa_audit *a, const char *dns)
{
    if (dns == NULL || strcasecmp(dns, sa_dir_dns_domain(a->home)) == 0)
        return true;
    for (size_t k = 0; k < a->n_others; k++) {
        if (strcasecmp(a->others[k].dns, dns) == 0)
            return true;
    }
    return false;
}

/* Holders read through one more domain (or its forest's GC) that share
 * an SPN with the accounts read: moved into a->accounts. */
static sa_status
read_foreign(const sa_audit_config *cfg, sa_audit *a, const char *domain, bool gc, sa_error *err)
{
    sa_accounts found = {NULL, 0, 0};
    sa_spn_index idx = {NULL, 0};
    sa_search_stats stats;
    sa_dir *dir = NULL;
    char *name = NULL;
    sa_status ret;

    memset(&stats, 0, sizeof(stats));
    ret = sa_domain_connect(&cfg->ds, domain, gc, &dir, &a->unreachable, err);
    if (ret == SA_OK)
        ret = sa_dir_find_spn_holders(dir, cfg->classes, &found, &stats, err);
    if (ret != SA_OK)
        goto cleanup;
    name = gc ? sa_strdup_printf("the forest of %s (Global Catalog)", sa_dir_dns_domain(dir))
              : strdup(sa_dir_dns_domain(dir));
    if (name == NULL || !sa_strv_add_unique_ci(&a->also_read, name) || !sa_label_accounts(&found, 0, dir) ||
        !sa_spn_index_build(&a->accounts, &idx)) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < found.n; i++) {
        sa_account *to;
        if (already_read(a, found.items[i].dns_domain) || !shares_spn(&idx, &found.items[i]))
            continue;
        if ((to = sa_accounts_add(&a->accounts)) == NULL) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
        *to = found.items[i]; /* moved */
        memset(&found.items[i], 0, sizeof(found.items[i]));
    }
cleanup:
    free(name);
    sa_search_stats_clear(&stats);
    sa_spn_index_free(&idx);
    sa_accounts_clear(&found);
    sa_dir_close(dir);
    return ret;
}

static sa_status
read_foreign_all(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    const sa_strv *domains = cfg->ds.domains;
    sa_error e = {SA_OK, ""};
    sa_status st = SA_OK;

    if (cfg->forest)
        st = read_foreign(cfg, a, NULL, true, &e);
    for (size_t i = 1; st == SA_OK && !cfg->forest && domains != NULL && i < domains->n; i++) {
        if (!already_read(a, domains->items[i]))
            st = read_foreign(cfg, a, domains->items[i], false, &e);
    }
    if (st == SA_ERR_SYSTEM)
        return sa_error_nomem(err);
    if (st != SA_OK &&
        (sa_audit_incomplete(a, "the check for duplicates in other domains: %s", e.message) != SA_OK ||
         note(a, "SPN_DUPLICATE", NULL, "the other domains could not be read: %s", e.message) != SA_OK))
        return sa_error_nomem(err);
    return SA_OK;
}

/* ------------------------------------------------------------ the computer accounts */

/* The hosts to look up in domain d (0 home, k others[k - 1]): its expected
 * servers, and the hosts of its accounts' SPNs whose holder is not that
 * host's computer account, when they are under it (or NetBIOS names). */
static bool
hosts_for(const sa_audit *a, long d, const char *dns, sa_strv *out)
{
    for (size_t i = 0; i < a->names.n; i++) {
        if (a->servers[i].domain == d && !sa_strv_add_unique_ci(out, a->names.items[i]))
            return false;
    }
    for (size_t i = 0; i < a->accounts.n; i++) {
        const sa_account *acct = &a->accounts.items[i];
        if (sa_account_domain(acct, a->views, a->n_others) != d)
            continue;
        for (size_t j = 0; j < acct->spns.n; j++) {
            sa_spn parsed;
            const char *why;

            if (!sa_spn_parse(acct->spns.items[j], &parsed, &why) ||
                (acct->kind == SA_ACCT_COMPUTER && sa_account_matches_host(acct, parsed.host)))
                continue;
            if (sa_spn_host_is_fqdn(parsed.host) && !sa_name_under_domain(parsed.host, dns))
                continue; /* another domain's host */
            if (!sa_strv_add_unique_ci(out, parsed.host))
                return false;
        }
    }
    return true;
}

/* Look the hosts of domain d up in dir; *looked_up when it worked. */
static sa_status
lookup_hosts(const sa_audit_config *cfg, sa_audit *a, long d, sa_dir *dir, sa_strv *hosts, bool *looked_up,
             sa_error *err)
{
    sa_error e = {SA_OK, ""};
    size_t first = a->accounts.n;
    sa_status st;

    if (!hosts_for(a, d, sa_dir_dns_domain(dir), hosts))
        return sa_error_nomem(err);
    if (hosts->n == 0) {
        *looked_up = true;
        return SA_OK;
    }
    st = sa_dir_find_computers(dir, (const char *const *)hosts->items, hosts->n, cfg->classes, &a->accounts,
                               &a->stats, &e);
    if (d > 0 && !sa_label_accounts(&a->accounts, first, dir))
        return sa_error_nomem(err);
    *looked_up = st == SA_OK;
    if (st == SA_OK)
        return SA_OK;
    if (sa_audit_incomplete(a, "looking up computer accounts in %s: %s", sa_dir_dns_domain(dir), e.message) !=
        SA_OK)
        return sa_error_nomem(err);
    return SA_OK;
}

static sa_status
lookup_all_hosts(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    sa_status st = lookup_hosts(cfg, a, 0, a->home, &a->home_hosts, &a->home_hosts_looked_up, err);

    for (size_t k = 0; st == SA_OK && k < a->n_others; k++) {
        sa_audit_domain *o = &a->others[k];
        if (o->dir != NULL)
            st = lookup_hosts(cfg, a, (long)k + 1, o->dir, &o->hosts, &o->hosts_looked_up, err);
        a->views[k].hosts_checked = o->hosts_looked_up ? &o->hosts : NULL;
    }
    return st;
}

static sa_status
make_views(sa_audit *a, sa_error *err)
{
    if (a->n_others > 0 && (a->views = calloc(a->n_others, sizeof(*a->views))) == NULL)
        return sa_error_nomem(err);
    for (size_t k = 0; k < a->n_others; k++) {
        a->views[k].dns = a->others[k].dns;
        a->views[k].netbios = a->others[k].netbios;
        a->views[k].holders_incomplete = a->others[k].incomplete;
    }
    return SA_OK;
}

/* ------------------------------------------------------------ the pipeline */

static sa_status
read_home(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    sa_error e = {SA_OK, ""};
    sa_status st = sa_dir_find_spn_holders(a->home, cfg->classes, &a->accounts, &a->stats, &e);

    if (st == SA_OK)
        return SA_OK;
    if (st == SA_ERR_SYSTEM)
        return sa_error_nomem(err);
    a->home_incomplete = true;
    return sa_audit_incomplete(a, "%s", e.message) == SA_OK ? SA_OK : sa_error_nomem(err);
}

static sa_status
expect_servers(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    sa_accounts none = {NULL, 0, 0};

    for (size_t i = 0; cfg->servers != NULL && i < cfg->servers->n; i++) {
        if (!sa_strv_add(&a->names, cfg->servers->items[i]))
            return sa_error_nomem(err);
    }
    for (size_t i = 0; cfg->gateways != NULL && i < cfg->gateways->n; i++) {
        if (!sa_strv_add(&a->names, cfg->gateways->items[i]))
            return sa_error_nomem(err);
    }
    if (!sa_servers_match(&none, (const char *const *)a->names.items, a->names.n, &a->servers))
        return sa_error_nomem(err);
    for (size_t i = cfg->servers ? cfg->servers->n : 0; i < a->names.n; i++)
        a->servers[i].gateway = true;
    return SA_OK;
}

/* Each server's name and TCP 5723; a name the resolver gave no answer for
 * makes the run incomplete. */
static sa_status
check_reach(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    if ((a->reach = calloc(a->names.n, sizeof(*a->reach))) == NULL)
        return sa_error_nomem(err);
    for (size_t i = 0; i < a->names.n; i++)
        a->reach[i].host = a->names.items[i];
    sa_reach_check(a->reach, a->names.n, SA_AGENT_PORT, cfg->connect_timeout_ms, cfg->jobs);
    for (size_t i = 0; i < a->names.n; i++) {
        if (a->reach[i].lookup_failed &&
            sa_audit_incomplete(
                a, "%s: the name could not be looked up (%s), so its reachability was not checked",
                a->names.items[i], a->reach[i].resolve_error) != SA_OK)
            return sa_error_nomem(err);
    }
    return SA_OK;
}

sa_status
sa_audit_run(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    sa_status st = read_home(cfg, a, err);

    if (st == SA_OK)
        st = expect_servers(cfg, a, err);
    if (st == SA_OK && a->names.n > 0)
        st = place_servers(cfg, a, err);
    for (size_t k = 0; st == SA_OK && k < a->n_others; k++)
        st = read_other(cfg, a, k, err);
    if (st == SA_OK && (cfg->forest || (cfg->ds.domains != NULL && cfg->ds.domains->n > 1)))
        st = read_foreign_all(cfg, a, err);
    if (st == SA_OK)
        st = make_views(a, err);
    if (st == SA_OK)
        st = lookup_all_hosts(cfg, a, err);
    if (st == SA_OK) {
        sa_servers_rematch(&a->accounts, a->views, a->n_others, a->servers, a->names.n);
        st = sa_audit_tickets(cfg, a, err);
    }
    if (st == SA_OK)
        st = sa_audit_self_write(a, err);
    if (st == SA_OK && cfg->reachability && a->names.n > 0)
        st = check_reach(cfg, a, err);
    if (st == SA_OK && a->names.n == 0)
        st = sa_audit_discover(a, err);
    if (st == SA_OK)
        st = sa_audit_findings(cfg, a, err);
    if (st == SA_OK && cfg->cert_trust != NULL && a->names.n > 0)
        st = sa_audit_certs(cfg, a, err);
    if (st == SA_OK && !sa_audit_scope(cfg, a))
        st = sa_error_nomem(err);
    return st;
}

void
sa_audit_clear(sa_audit *a)
{
    for (size_t k = 0; k < a->n_others; k++) {
        free(a->others[k].dns);
        free(a->others[k].netbios);
        sa_dir_close(a->others[k].dir);
        sa_strv_clear(&a->others[k].hosts);
    }
    free(a->others);
    free(a->views);
    free(a->realm);
    free(a->servers);
    free(a->reach);
    free(a->self_write);
    free(a->reason);
    sa_accounts_clear(&a->accounts);
    sa_tickets_clear(&a->tickets);
    sa_findings_clear(&a->findings);
    sa_search_stats_clear(&a->stats);
    sa_strv_clear(&a->names);
    sa_strv_clear(&a->home_hosts);
    sa_strv_clear(&a->unreachable);
    sa_strv_clear(&a->also_read);
    sa_report_scope_clear(&a->scope);
    sa_discovered_clear(&a->discovered);
    sa_dir_close(a->home);
    memset(a, 0, sizeof(*a));
}
