/* trustaudit.c - the trusts of the domains read and a verdict for the
 * agents of each domain ("spnaudit trusts"), and the design for an
 * intended topology ("spnaudit plan").  Across a selective trust the
 * servers' DACLs settle the verdict (each read once per run); tickets
 * confirm what the rule says, many in flight at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/domains.h"
#include "spnaudit/account.h"
#include "spnaudit/analysis.h"
#include "spnaudit/finding.h"
#include "spnaudit/secdesc.h"
#include "spnaudit/trustaudit.h"
#include "spnaudit/cert.h"

/* The DACL of a server's computer object, read once per run whatever the
 * number of agent domains judged against it. */
typedef struct server_sd {
    char *server;
    char *dn; /* its computer object, or NULL when not found */
    unsigned char *sd;
    size_t sd_len;
    bool read;              /* sd holds the DACL */
    char why[SA_ERROR_MAX]; /* why it was not read */
} server_sd;

typedef struct sd_cache {
    server_sd *items;
    size_t n, cap;
} sd_cache;

/* A trusts row's certificate work: its agents and the servers given. */
static bool
row_cert_work(sa_trust_row *row, const sa_trust_request *req, const char *home)
{
    return sa_cert_work_of(SA_CERT_WORK_AGENTS, row->agent, req->servers, home, &row->cert_work);
}

/* What one run works with: the directories, and the DACLs read so far. */
typedef struct audit_ctx {
    const sa_trust_source *src;
    sd_cache sds;
} audit_ctx;

void
sa_server_acls_clear(sa_server_acls *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->items[i].server);
        free(a->items[i].dn);
    }
    free(a->items);
    a->items = NULL;
    a->n = 0;
}

static void
sd_cache_clear(sd_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].server);
        free(c->items[i].dn);
        free(c->items[i].sd);
    }
    free(c->items);
    memset(c, 0, sizeof(*c));
}

static const server_sd *
sd_cache_find(const sd_cache *c, const char *server)
{
    for (size_t i = 0; i < c->n; i++) {
        if (strcasecmp(c->items[i].server, server) == 0)
            return &c->items[i];
    }
    return NULL;
}

/* A new, empty entry for server; NULL on no memory. */
static server_sd *
sd_cache_add(sd_cache *c, const char *server)
{
    server_sd *items = sa_grow(c->items, &c->cap, c->n, sizeof(*c->items), 8);
    server_sd *e;

    if (items == NULL)
        return NULL;
    c->items = items;
    e = &items[c->n];
    memset(e, 0, sizeof(*e));
    if ((e->server = strdup(server)) == NULL)
        return NULL;
    c->n++;
    return e;
}

/* The DACL of e->server's computer object (found among accounts, read
 * from domain over dir), or why not; false on no memory. */
static bool
sd_fill(server_sd *e, sa_dir *dir, const sa_accounts *accounts, const char *domain)
{
    sa_error de = {SA_OK, ""};
    unsigned char *sid = NULL;
    size_t sid_len = 0;
    long k = -1;

    for (size_t j = 0; j < accounts->n && k < 0; j++) {
        if (sa_account_is_machine(&accounts->items[j]) &&
            sa_account_matches_host(&accounts->items[j], e->server))
            k = (long)j;
    }
    if (k < 0) {
        snprintf(e->why, sizeof(e->why), "no computer account found in %s", domain);
        return true;
    }
    if ((e->dn = strdup(accounts->items[k].dn)) == NULL)
        return false;
    e->read = sa_dir_read_dacl(dir, e->dn, &e->sd, &e->sd_len, &sid, &sid_len, &de) == SA_OK;
    if (!e->read)
        snprintf(e->why, sizeof(e->why), "DACL not read: %s", de.message);
    free(sid);
    return true;
}

/* Read into the cache the DACLs of those of servers (all of domain) it
 * does not hold yet, over the connection to that domain; a server that
 * cannot be read is cached with why. */
static sa_status
sd_cache_load(audit_ctx *a, const char *domain, const sa_strv *servers, sa_error *err)
{
    sa_strv missing = {NULL, 0, 0};
    sa_accounts accounts = {NULL, 0, 0};
    sa_search_stats stats;
    sa_dir *dir = NULL;
    sa_error e = {SA_OK, ""};
    sa_status ret = SA_OK, got;

    memset(&stats, 0, sizeof(stats));
    for (size_t i = 0; i < servers->n; i++) {
        if (sd_cache_find(&a->sds, servers->items[i]) == NULL && !sa_strv_add(&missing, servers->items[i])) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
    }
    if (missing.n == 0)
        goto cleanup;
    got = a->src->dir_for(a->src->ctx, domain, &dir, &e);
    if (got == SA_OK)
        got = sa_dir_find_computers(dir, (const char *const *)missing.items, missing.n, a->src->classes,
                                    &accounts, &stats, &e);
    for (size_t i = 0; i < missing.n; i++) {
        server_sd *c = sd_cache_add(&a->sds, missing.items[i]);

        if (c == NULL || (got == SA_OK && !sd_fill(c, dir, &accounts, domain))) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
        if (got != SA_OK)
            snprintf(c->why, sizeof(c->why), "not read: %s", e.message);
    }
cleanup:
    sa_accounts_clear(&accounts);
    sa_search_stats_clear(&stats);
    sa_strv_clear(&missing);
    return ret;
}

/* What the trusts read say of a domain: its SID and NetBIOS name (from
 * any trustedDomain object naming it), or NULL. */
static void
partner_identity(const sa_trusts *trusts, const char *domain, const char **sid, const char **netbios)
{
    *sid = *netbios = NULL;
    for (size_t i = 0; i < trusts->n; i++) {
        const sa_trust *t = &trusts->items[i];
        if (strcasecmp(t->partner, domain) != 0)
            continue;
        if (*sid == NULL)
            *sid = t->sid;
        if (*netbios == NULL)
            *netbios = t->flat;
    }
}

/* The grants of the servers mine (all in the cache) for the agents of the
 * domain whose SID is sid, into acls and grants (n each). */
static sa_status
grants_of(const audit_ctx *a, const sa_strv *mine, const char *sid, sa_server_acls *acls,
          sa_server_grant *grants, sa_error *err)
{
    for (size_t i = 0; i < mine->n; i++) {
        const server_sd *c = sd_cache_find(&a->sds, mine->items[i]);
        sa_server_acl *e = &acls->items[acls->n];

        if ((e->server = strdup(c->server)) == NULL || (c->dn != NULL && (e->dn = strdup(c->dn)) == NULL)) {
            free(e->server);
            e->server = NULL;
            return sa_error_nomem(err);
        }
        acls->n++;
        e->read = c->read;
        if (c->read)
            e->grant = sa_sd_allowed_to_authenticate(c->sd, c->sd_len, sid, e->why, sizeof(e->why));
        else
            snprintf(e->why, sizeof(e->why), "%s", c->why);
        grants[i] = (sa_server_grant){e->server, e->dn, e->grant, e->read, e->why};
    }
    return SA_OK;
}

/* Across a selective trust: "Allowed to Authenticate" for the agents of
 * agent on the computer objects of those of servers (management servers,
 * gateways) that lie in server_domain, into acls, and the verdict settled
 * with it. */
static sa_status
settle_selective(audit_ctx *a, const sa_trusts *trusts, const char *agent, const char *server_domain,
                 const sa_strv *servers, sa_verdict *v, sa_server_acls *acls, sa_error *err)
{
    sa_strv mine = {NULL, 0, 0};
    sa_server_grant *grants = NULL;
    const char *sid, *netbios;
    sa_status ret = SA_OK;

    if (v->kind != SA_VERDICT_SELECTIVE || servers == NULL)
        goto cleanup;
    for (size_t i = 0; i < servers->n; i++) {
        if (strcasecmp(sa_host_domain_of(servers->items[i]), server_domain) == 0 &&
            !sa_strv_add_unique_ci(&mine, servers->items[i])) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
    }
    if (mine.n == 0)
        goto cleanup;
    if ((ret = sd_cache_load(a, server_domain, &mine, err)) != SA_OK)
        goto cleanup;
    if ((acls->items = calloc(mine.n, sizeof(*acls->items))) == NULL ||
        (grants = calloc(mine.n, sizeof(*grants))) == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    partner_identity(trusts, agent, &sid, &netbios);
    ret = grants_of(a, &mine, sid, acls, grants, err);
    if (ret == SA_OK)
        ret = sa_verdict_apply_grants(v, agent, netbios, grants, acls->n, err);
cleanup:
    free(grants);
    sa_strv_clear(&mine);
    return ret;
}

/* The domains of dir's forest, appended to forest; a failure to list
 * them is a warning (the trusts were read). */
static sa_status
list_forest(sa_dir *dir, sa_strv *forest, sa_search_stats *stats, sa_strv *warnings, sa_error *err)
{
    sa_error e = {SA_OK, ""};
    char *msg = NULL;
    bool ok;

    if (sa_dir_read_forest_domains(dir, forest, stats, &e) == SA_OK)
        return SA_OK;
    if (e.status == SA_ERR_SYSTEM)
        return sa_error_nomem(err);
    msg = sa_strdup_printf("cannot list the domains of the forest of %s: %s", sa_dir_dns_domain(dir),
                           e.message);
    ok = msg != NULL && sa_strv_add(warnings, msg);
    free(msg);
    return ok ? SA_OK : sa_error_nomem(err);
}

/* Read the trusts of domain (NULL: the first) into trusts; its
 * connection into *out; when agent_spn is not NULL, an MSOMHSvc SPN of the
 * domain (or NULL) there; when forest is not NULL, the domains of its
 * forest appended to it. */
static sa_status
read_domain(audit_ctx *a, const char *domain, sa_trusts *trusts, char **agent_spn, sa_strv *forest,
            sa_strv *warnings, sa_dir **out, sa_error *err)
{
    sa_search_stats stats;
    sa_dir *dir = NULL;
    sa_status ret;

    memset(&stats, 0, sizeof(stats));
    ret = a->src->dir_for(a->src->ctx, domain, &dir, err);
    if (ret == SA_OK)
        ret = sa_dir_read_trusts(dir, trusts, &stats, err);
    /* an agent's SPN there, to ask a ticket for across the trust */
    if (ret == SA_OK && agent_spn != NULL)
        ret = sa_dir_first_spn(dir, SA_CLASS_HEALTH, agent_spn, err);
    if (ret == SA_OK && forest != NULL)
        ret = list_forest(dir, forest, &stats, warnings, err);
    if (ret == SA_OK)
        *out = dir;
    sa_search_stats_clear(&stats);
    return ret;
}

/* "why" of a domain not read, as a warning and in r's not_read, the
 * domain in its unread. */
static bool
note_not_read(sa_trust_run *r, const char *domain, const char *why)
{
    char *msg = sa_strdup_printf("cannot read the trusts of %s: %s", domain, why);
    bool ok = msg != NULL && sa_strv_add(&r->warnings, msg) && sa_strv_add(&r->not_read, why) &&
              sa_strv_add(&r->unread, domain);

    free(msg);
    return ok;
}

/* The other side of each trust, where the run can read it: the domains
 * named, the other domains of the servers' forest (a forest trust lives
 * in the forest root's domain) and, with partners, every uplevel
 * partner; with each, an agent's SPN there (spn_domains, spns). */
static sa_status
read_partners(audit_ctx *a, const sa_trust_request *req, sa_trust_run *r, sa_strv *domains,
              sa_strv *spn_domains, sa_strv *spns, sa_error *err)
{
    if (!sa_strv_add(domains, r->home) || !sa_strv_add_all(domains, req->domains, 1, true) ||
        !sa_strv_add_all(domains, &r->forest, 0, true))
        return sa_error_nomem(err);
    for (size_t i = 0; req->partners && i < r->n_home; i++) {
        if (r->trusts.items[i].type == SA_TRUST_TYPE_UPLEVEL &&
            !sa_strv_add_unique_ci(domains, r->trusts.items[i].partner))
            return sa_error_nomem(err);
    }
    for (size_t i = 1; i < domains->n; i++) {
        sa_error e = {SA_OK, ""};
        sa_dir *dir = NULL;
        char *spn = NULL;
        sa_status got = read_domain(a, domains->items[i], &r->trusts, &spn, req->partners ? &r->forest : NULL,
                                    &r->warnings, &dir, &e);
        bool ok = got == SA_OK ? spn == NULL || (sa_strv_add(spn_domains, sa_dir_dns_domain(dir)) &&
                                                 sa_strv_add(spns, spn))
                               : note_not_read(r, domains->items[i], e.message);

        free(spn);
        if (!ok)
            return sa_error_nomem(err);
    }
    return SA_OK;
}

/* The verdict for each agent domain: of every trusted domain, of every
 * other domain read or listed, and of those asked about. */
static sa_status
judge(audit_ctx *a, const sa_trust_request *req, sa_trust_run *r, const sa_strv *domains, sa_error *err)
{
    sa_trust_graph *graph = NULL;
    sa_status ret = SA_OK;

    for (size_t i = 0; i < r->n_home; i++) {
        if (!sa_strv_add_unique_ci(&r->agents, r->trusts.items[i].partner)) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
    }
    if (!sa_strv_add_all(&r->agents, domains, 1, true) || !sa_strv_add_all(&r->agents, &r->forest, 0, true) ||
        !sa_strv_add_all(&r->agents, req->agents, 0, true) ||
        (r->agents.n > 0 && (r->rows = calloc(r->agents.n, sizeof(*r->rows))) == NULL) ||
        (graph = sa_trust_graph_new(&r->trusts)) == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    r->status = SA_EXIT_OK;
    for (size_t i = 0; i < r->agents.n && ret == SA_OK; i++) {
        sa_trust_row *row = &r->rows[i];

        row->agent = r->agents.items[i];
        row->tgt = row->service = -1;
        if ((ret = sa_trust_graph_verdict(graph, row->agent, r->home, &row->v, err)) != SA_OK)
            break;
        r->n_rows++;
        ret = settle_selective(a, &r->trusts, row->agent, r->home, req->servers, &row->v, &row->acls, err);
        if (ret == SA_OK && row->v.kind == SA_VERDICT_CERTIFICATES && !row_cert_work(row, req, r->home))
            ret = sa_error_nomem(err);
        if (row->v.kind == SA_VERDICT_CERTIFICATES || row->v.kind == SA_VERDICT_NOT_ALLOWED)
            r->status = SA_EXIT_FAILURE;
        else if (row->v.kind == SA_VERDICT_SELECTIVE && r->status == SA_EXIT_OK)
            r->status = SA_EXIT_WARNING;
    }
cleanup:
    sa_trust_graph_free(graph);
    return ret;
}

/* Ask for the tickets of list, jobs at a time, in realm unless they name
 * theirs.  A ticket the probe stopped before (our own credentials failed,
 * the KDCs of realm cannot be reached) is recorded as refused, with why. */
static sa_status
probe_list(sa_krb *krb, const char *realm, sa_tickets *list, int jobs, sa_error *err)
{
    sa_error e = {SA_OK, ""};

    if (sa_krb_probe_all(krb, realm, list, jobs, NULL, &e) == SA_ERR_SYSTEM)
        return sa_error_nomem(err);
    for (size_t i = 0; i < list->n; i++) {
        sa_ticket *t = &list->items[i];
        if (t->tried)
            continue;
        t->tried = true;
        t->ok = false;
        if ((t->error = strdup(e.message)) == NULL)
            return sa_error_nomem(err);
    }
    return SA_OK;
}

/* The index of a new ticket in probes for the realm of agent: its
 * cross-realm TGT "krbtgt/REALM", or "SPN@REALM"; -1 on no memory. */
static long
add_probe(sa_tickets *probes, const char *agent, const char *spn)
{
    char *realm = sa_strdup_upper(agent), *principal = NULL;
    long i = -1;

    if (realm != NULL)
        principal =
            spn == NULL ? sa_strdup_printf("krbtgt/%s", realm) : sa_strdup_printf("%s@%s", spn, realm);
    if (principal != NULL && sa_tickets_add(probes, principal) != NULL)
        i = (long)probes->n - 1;
    free(realm);
    free(principal);
    return i;
}

/* The SPN found in agent's domain (spns, by spn_domains), or NULL. */
static const char *
spn_of(const char *agent, const sa_strv *spn_domains, const sa_strv *spns)
{
    for (size_t j = 0; j < spn_domains->n; j++) {
        /* an SPN naming a realm of its own is not the domain's */
        if (strcasecmp(spn_domains->items[j], agent) == 0 && strchr(spns->items[j], '@') == NULL)
            return spns->items[j];
    }
    return NULL;
}

/* For each agent domain other than the servers': its cross-realm TGT for
 * the servers' realm, and a ticket for its MSOMHSvc SPN where one was
 * found. */
static sa_status
ask_tickets(sa_trust_run *r, const sa_strv *spn_domains, const sa_strv *spns, sa_error *err)
{
    for (size_t i = 0; i < r->n_rows; i++) {
        sa_trust_row *row = &r->rows[i];
        const char *spn = spn_of(row->agent, spn_domains, spns);

        if (strcasecmp(row->agent, r->home) == 0)
            continue;
        if ((row->tgt = add_probe(&r->probes, row->agent, NULL)) < 0 ||
            (spn != NULL && (row->service = add_probe(&r->probes, row->agent, spn)) < 0))
            return sa_error_nomem(err);
    }
    return SA_OK;
}

/* The refused ticket of a row and why. */
static const char *
refusal(const sa_ticket *tgt, const sa_ticket *svc, const char **why)
{
    const sa_ticket *t = !tgt->ok ? tgt : svc;

    *why = t->error != NULL ? t->error : "?";
    return t->spn;
}

/* What the tickets showed against what the rule says. */
static bool
observe(sa_trust_row *row, const sa_tickets *probes, const char *home_realm)
{
    const sa_ticket *tgt = &probes->items[row->tgt];
    const sa_ticket *svc = row->service >= 0 ? &probes->items[row->service] : NULL;
    bool kerberos_seen = tgt->ok && (svc == NULL || svc->ok);
    const char *realm = tgt->spn + strlen("krbtgt/"), *why = NULL, *refused = NULL;

    if (!kerberos_seen)
        refused = refusal(tgt, svc, &why);
    if (row->v.kind == SA_VERDICT_CERTIFICATES && kerberos_seen) {
        row->differs = true;
        row->observed = sa_strdup_printf(
            "the KDCs do issue a cross-realm TGT (krbtgt/%s@%s)%s%s, but OpsMgr's rule still needs "
            "certificates here: it does not use Kerberos across this trust",
            realm, home_realm, svc ? " and a ticket for " : "", svc ? svc->spn : "");
    } else if (row->v.kind != SA_VERDICT_CERTIFICATES && !kerberos_seen) {
        row->differs = true;
        row->observed =
            sa_strdup_printf("the trust should carry Kerberos, but the KDC refused %s: %s", refused, why);
    } else if (kerberos_seen) {
        row->observed = sa_strdup_printf("confirmed: a cross-realm TGT (krbtgt/%s@%s)%s%s", realm, home_realm,
                                         svc ? " and a ticket for " : "", svc ? svc->spn : "");
    } else {
        row->observed = sa_strdup_printf("confirmed: no Kerberos from here: %s: %s", refused, why);
    }
    return row->observed != NULL;
}

/* Confirm each verdict with real tickets from the servers' realm: the
 * cross-realm TGTs and the service tickets all in one batch, jobs in
 * flight at a time (a service ticket needs the TGT, but each session
 * gets its own, so none waits for another); a service ticket counts only
 * where the TGT was issued.  A trust that should carry Kerberos but whose
 * KDC refuses is a failure. */
static sa_status
confirm(const sa_trust_request *req, sa_trust_run *r, const sa_strv *spn_domains, const sa_strv *spns,
        sa_error *err)
{
    char *home_realm = sa_strdup_upper(r->home);
    sa_status ret;

    if (home_realm == NULL)
        return sa_error_nomem(err);
    ret = ask_tickets(r, spn_domains, spns, err);
    if (ret == SA_OK)
        ret = probe_list(req->krb, home_realm, &r->probes, req->jobs, err);
    for (size_t i = 0; ret == SA_OK && i < r->n_rows; i++) {
        sa_trust_row *row = &r->rows[i];

        if (row->tgt >= 0 && !r->probes.items[row->tgt].ok)
            row->service = -1;
        if (row->tgt >= 0 && !observe(row, &r->probes, home_realm))
            ret = sa_error_nomem(err);
        if (r->rows[i].differs && r->rows[i].v.kind == SA_VERDICT_KERBEROS)
            r->status = SA_EXIT_FAILURE; /* the rule says Kerberos, the KDC says no */
    }
    free(home_realm);
    return ret;
}

sa_status
sa_trust_audit(const sa_trust_request *req, sa_trust_run *out, sa_error *err)
{
    audit_ctx a = {&req->src, {NULL, 0, 0}};
    sa_strv domains = {NULL, 0, 0}, spn_domains = {NULL, 0, 0}, spns = {NULL, 0, 0};
    sa_trust_run r;
    sa_dir *home = NULL;
    sa_status ret;

    memset(&r, 0, sizeof(r));
    ret = read_domain(&a, NULL, &r.trusts, NULL, &r.forest, &r.warnings, &home, err);
    if (ret != SA_OK)
        goto cleanup;
    r.n_home = r.trusts.n;
    if ((r.home = strdup(sa_dir_dns_domain(home))) == NULL || (r.uri = strdup(sa_dir_uri(home))) == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    ret = read_partners(&a, req, &r, &domains, &spn_domains, &spns, err);
    if (ret == SA_OK)
        ret = judge(&a, req, &r, &domains, err);
    if (ret == SA_OK && req->krb != NULL)
        ret = confirm(req, &r, &spn_domains, &spns, err);
    if (ret == SA_OK) {
        *out = r;
        memset(&r, 0, sizeof(r));
    }
cleanup:
    sa_trust_run_clear(&r);
    sd_cache_clear(&a.sds);
    sa_strv_clear(&domains);
    sa_strv_clear(&spn_domains);
    sa_strv_clear(&spns);
    return ret;
}

void
sa_trust_run_clear(sa_trust_run *r)
{
    for (size_t i = 0; i < r->n_rows; i++) {
        sa_verdict_clear(&r->rows[i].v);
        sa_server_acls_clear(&r->rows[i].acls);
        free(r->rows[i].observed);
        sa_strv_clear(&r->rows[i].cert_work);
        sa_strv_clear(&r->rows[i].cert_checked);
    }
    free(r->rows);
    free(r->home);
    free(r->uri);
    sa_trusts_clear(&r->trusts);
    sa_strv_clear(&r->forest);
    sa_strv_clear(&r->not_read);
    sa_strv_clear(&r->unread);
    sa_strv_clear(&r->warnings);
    sa_strv_clear(&r->agents);
    sa_tickets_clear(&r->probes);
    memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------ plan */

/* The domains to read: the servers', the gateways', the agents'. */
static bool
plan_domains(const sa_plan_request *req, sa_strv *domains)
{
    for (size_t i = 0; i < req->ms->n; i++) {
        if (!sa_strv_add_unique_ci(domains, sa_host_domain_of(req->ms->items[i])))
            return false;
    }
    for (size_t i = 0; req->gateways != NULL && i < req->gateways->n; i++) {
        if (!sa_strv_add_unique_ci(domains, sa_host_domain_of(req->gateways->items[i])))
            return false;
    }
    return sa_strv_add_all(domains, req->agents, 0, true);
}

/* Every domain's side of its trusts, and the other domains of each forest
 * read (a forest trust lives in the forest root's domain): the servers'
 * domain (the first) must be read, the others where the run can. */
static sa_status
plan_read(audit_ctx *a, sa_strv *domains, sa_plan *p, sa_error *err)
{
    for (size_t i = 0; i < domains->n; i++) {
        sa_strv forest = {NULL, 0, 0};
        sa_error e = {SA_OK, ""};
        sa_dir *dir = NULL;
        sa_status got = read_domain(a, domains->items[i], &p->trusts, NULL, &forest, &p->warnings, &dir, &e);
        bool oom = !sa_strv_add_all(domains, &forest, 0, true);

        sa_strv_clear(&forest);
        if (oom)
            return sa_error_nomem(err);
        if (got == SA_OK)
            continue;
        if (i == 0)
            return sa_error_set(err, got, "cannot read the trusts of the management servers' domain %s: %s",
                                domains->items[0], e.message);
        if (!sa_strv_add(&p->not_read, e.message) || !sa_strv_add(&p->unread, domains->items[i]))
            return sa_error_nomem(err);
    }
    return SA_OK;
}

static void
plan_row_clear(sa_plan_row *r)
{
    sa_verdict_clear(&r->direct);
    sa_verdict_clear(&r->via);
    sa_verdict_clear(&r->onward);
    sa_server_acls_clear(&r->direct_acls);
    sa_server_acls_clear(&r->via_acls);
    free(r->design);
    sa_strv_clear(&r->cert_work);
    sa_strv_clear(&r->cert_checked);
}

/* The first gateway the agents of r->agent reach with Kerberos, into
 * r->gateway and r->via (and its servers' grants into r->via_acls). */
static sa_status
plan_gateway(audit_ctx *a, sa_trust_graph *g, const sa_plan *p, sa_plan_row *r, sa_error *err)
{
    for (size_t i = 0; p->gateways != NULL && i < p->gateways->n && r->gateway < 0; i++) {
        const char *gw = p->gateways->items[i];
        sa_strv one = {(char **)&gw, 1, 1};
        sa_verdict v;

        sa_status st = sa_trust_graph_verdict(g, r->agent, sa_host_domain_of(gw), &v, err);

        if (st != SA_OK)
            return st;
        st = settle_selective(a, &p->trusts, r->agent, sa_host_domain_of(gw), &one, &v, &r->via_acls, err);
        if (st != SA_OK) {
            sa_verdict_clear(&v);
            return st;
        }
        if (v.kind == SA_VERDICT_KERBEROS) {
            r->gateway = (long)i;
            r->via = v;
        } else {
            sa_verdict_clear(&v);
            sa_server_acls_clear(&r->via_acls);
        }
    }
    return SA_OK;
}

/* The design for the agents of r->agent: directly with Kerberos, through
 * a gateway they reach with Kerberos, or what to build. */
static sa_status
plan_one(audit_ctx *a, sa_trust_graph *g, const sa_plan *p, sa_plan_row *r, sa_error *err)
{
    const char *gw;
    sa_status st;

    r->gateway = -1;
    st = sa_trust_graph_verdict(g, r->agent, p->ms_domain, &r->direct, err);
    if (st == SA_OK)
        st = settle_selective(a, &p->trusts, r->agent, p->ms_domain, p->ms, &r->direct, &r->direct_acls, err);
    if (st != SA_OK)
        return st;
    if (r->direct.kind == SA_VERDICT_KERBEROS) {
        r->outcome = 0;
        r->design = sa_strdup_printf("agents report to the management servers directly, with Kerberos");
        return r->design != NULL ? SA_OK : sa_error_nomem(err);
    }
    if ((st = plan_gateway(a, g, p, r, err)) != SA_OK)
        return st;
    if (r->gateway < 0) {
        r->outcome = r->direct.kind == SA_VERDICT_SELECTIVE ? 1 : 2; /* not-allowed, certificates: 2 */
        if (r->direct.kind == SA_VERDICT_CERTIFICATES &&
            !sa_cert_work_of(SA_CERT_WORK_AGENTS, r->agent, p->ms, p->ms_domain, &r->cert_work))
            return sa_error_nomem(err);
        /* commands stay data (the verdict's fix), written for a shell when shown */
        r->design =
            r->direct.fix.n > 0
                ? sa_strdup_printf("grant the agents of %s \"Allowed to Authenticate\" on the computer "
                                   "objects of the management servers that lack it",
                                   r->agent)
                : strdup(r->direct.recommend);
        return r->design != NULL ? SA_OK : sa_error_nomem(err);
    }
    gw = p->gateways->items[r->gateway];
    if ((st = sa_trust_graph_verdict(g, sa_host_domain_of(gw), p->ms_domain, &r->onward, err)) != SA_OK)
        return st;
    r->outcome = r->onward.kind == SA_VERDICT_KERBEROS ? 0 : 1;
    if (r->onward.kind == SA_VERDICT_CERTIFICATES &&
        !sa_cert_work_of(SA_CERT_WORK_GATEWAY, gw, p->ms, p->ms_domain, &r->cert_work))
        return sa_error_nomem(err);
    r->design =
        r->onward.kind == SA_VERDICT_KERBEROS
            ? sa_strdup_printf("agents report to the gateway %s with Kerberos; the gateway reaches the "
                               "management servers with Kerberos too",
                               gw)
            : sa_strdup_printf("agents report to the gateway %s with Kerberos; the gateway and the "
                               "management servers authenticate each other with certificates "
                               "(import them with MOMCertImport on %s and on each management "
                               "server)",
                               gw, gw);
    return r->design != NULL ? SA_OK : sa_error_nomem(err);
}

sa_status
sa_plan_build(const sa_plan_request *req, sa_plan *out, sa_error *err)
{
    audit_ctx a = {&req->src, {NULL, 0, 0}};
    sa_strv domains = {NULL, 0, 0};
    sa_trust_graph *graph = NULL;
    sa_plan p;
    sa_status ret;

    memset(&p, 0, sizeof(p));
    p.ms = req->ms;
    p.gateways = req->gateways;
    p.ms_domain = sa_host_domain_of(req->ms->items[0]);
    ret = plan_domains(req, &domains) ? plan_read(&a, &domains, &p, err) : sa_error_nomem(err);
    if (ret != SA_OK)
        goto cleanup;
    if ((graph = sa_trust_graph_new(&p.trusts)) == NULL ||
        (p.rows = calloc(req->agents->n, sizeof(*p.rows))) == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < req->agents->n && ret == SA_OK; i++) {
        p.rows[i].agent = req->agents->items[i];
        p.n_rows++;
        ret = plan_one(&a, graph, &p, &p.rows[i], err);
        if (p.rows[i].outcome > p.status)
            p.status = p.rows[i].outcome;
    }
    if (ret == SA_OK) {
        *out = p;
        memset(&p, 0, sizeof(p));
    }
cleanup:
    sa_plan_clear(&p);
    sa_trust_graph_free(graph);
    sd_cache_clear(&a.sds);
    sa_strv_clear(&domains);
    return ret;
}

void
sa_plan_clear(sa_plan *p)
{
    for (size_t i = 0; i < p->n_rows; i++)
        plan_row_clear(&p->rows[i]);
    free(p->rows);
    sa_trusts_clear(&p->trusts);
    sa_strv_clear(&p->not_read);
    sa_strv_clear(&p->unread);
    sa_strv_clear(&p->warnings);
    memset(p, 0, sizeof(*p));
}
