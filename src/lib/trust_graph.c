/* trust_graph.c - the Kerberos verdict for OpsMgr's mutual authentication
 * between an agent domain and a server domain: the domains joined into
 * forests by their within-forest trusts, the chains of trusts between
 * them, and the deciding trust between two forests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/strv.h"
#include "spnaudit/trust.h"
#include "trust_internal.h"

/* ------------------------------------------------------------ the graph */

/* What the graph keeps of one trust. */
typedef struct edge {
    size_t dom, par;   /* name indices of domain and partner */
    size_t fdom, fpar; /* their forests (from forest_of, once all are joined) */
    sa_trust_kind kind;
    int pair_dir;        /* the direction, as dom sees it, that every object of the trust allows */
    unsigned pair_attrs; /* CROSS_ORGANIZATION when any of those objects has it */
} edge;

/* The domains named by the trusts, the trusts as edges, the forests
 * (domains joined by within-forest trusts), and those trusts as adjacency
 * lists; built once for any number of verdicts. */
struct sa_trust_graph {
    const sa_trusts *trusts;
    sa_strv names;
    edge *e;           /* per trust */
    size_t *forest;    /* per name: union-find parent; read through forest_of() only */
    size_t *adj_start; /* per name + 1: within-forest trusts in adj */
    size_t *adj;
    long *via; /* breadth-first search scratch, per name */
    size_t *queue, *order;
};

static long
name_index(const sa_trust_graph *g, const char *name)
{
    for (size_t i = 0; i < g->names.n; i++) {
        if (strcasecmp(g->names.items[i], name) == 0)
            return (long)i;
    }
    return -1;
}

/* The forest (its representative) of name i; path halving on the way. */
static size_t
forest_of(sa_trust_graph *g, size_t i)
{
    while (g->forest[i] != i) {
        g->forest[i] = g->forest[g->forest[i]];
        i = g->forest[i];
    }
    return i;
}

static bool
is_within_forest(sa_trust_kind k)
{
    return k == SA_TK_PARENT_CHILD || k == SA_TK_TREE_ROOT;
}

void
sa_trust_graph_free(sa_trust_graph *g)
{
    if (g == NULL)
        return;
    sa_strv_clear(&g->names);
    free(g->e);
    free(g->forest);
    free(g->adj_start);
    free(g->adj);
    free(g->via);
    free(g->queue);
    free(g->order);
    free(g);
}

/* Both domains of a trust hold an object for it (and a directory read
 * twice may list one twice); when several were read they must agree, and
 * a trust one side has dropped or made one-way works no further than the
 * strictest object says: their directions (as one side sees them) are
 * intersected, and selective authentication on any counts.  The result
 * is the same for every object of the trust, whatever their order. */
static void
pair_objects(sa_trust_graph *g)
{
    const sa_trusts *trusts = g->trusts;

    for (size_t i = 0; i < trusts->n; i++) {
        edge *x = &g->e[i];
        x->pair_dir = SA_TRUST_DIR_BOTH;
        x->pair_attrs = 0;
        for (size_t k = 0; k < trusts->n; k++) {
            const sa_trust *o = &trusts->items[k];
            const edge *y = &g->e[k];
            bool same = y->dom == x->dom && y->par == x->par;
            if ((!same && (y->dom != x->par || y->par != x->dom)) || y->kind != x->kind)
                continue;
            x->pair_dir &= same ? o->direction : sa_trust_direction_flip(o->direction);
            x->pair_attrs |= o->attributes & SA_TRUST_CROSS_ORGANIZATION;
        }
    }
}

sa_trust_graph *
sa_trust_graph_new(const sa_trusts *trusts)
{
    sa_trust_graph *g = calloc(1, sizeof(*g)), *out = NULL;
    size_t t = trusts->n, n, *fill = NULL;

    if (g == NULL)
        return NULL;
    g->trusts = trusts;
    for (size_t i = 0; i < t; i++) {
        if (!sa_strv_add_unique_ci(&g->names, trusts->items[i].domain) ||
            !sa_strv_add_unique_ci(&g->names, trusts->items[i].partner))
            goto cleanup;
    }
    n = g->names.n;
    g->e = calloc(t + 1, sizeof(*g->e));
    g->forest = calloc(n + 1, sizeof(*g->forest));
    g->adj_start = calloc(n + 2, sizeof(*g->adj_start));
    g->adj = calloc(2 * t + 1, sizeof(*g->adj));
    g->via = calloc(n + 1, sizeof(*g->via));
    g->queue = calloc(n + 1, sizeof(*g->queue));
    g->order = calloc(n + 1, sizeof(*g->order));
    fill = calloc(n + 1, sizeof(*fill));
    if (g->e == NULL || g->forest == NULL || g->adj_start == NULL || g->adj == NULL || g->via == NULL ||
        g->queue == NULL || g->order == NULL || fill == NULL)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        g->forest[i] = i;
    for (size_t i = 0; i < t; i++) {
        edge *x = &g->e[i];
        x->dom = (size_t)name_index(g, trusts->items[i].domain);
        x->par = (size_t)name_index(g, trusts->items[i].partner);
        x->kind = sa_trust_classify(&trusts->items[i]);
        if (is_within_forest(x->kind)) {
            g->forest[forest_of(g, x->dom)] = forest_of(g, x->par);
            g->adj_start[x->dom + 1]++;
            g->adj_start[x->par + 1]++;
        }
    }
    for (size_t i = 0; i < n; i++)
        g->adj_start[i + 1] += g->adj_start[i];
    for (size_t i = 0; i < t; i++) {
        edge *x = &g->e[i];
        x->fdom = forest_of(g, x->dom);
        x->fpar = forest_of(g, x->par);
        if (!is_within_forest(x->kind))
            continue;
        g->adj[g->adj_start[x->dom] + fill[x->dom]++] = i;
        g->adj[g->adj_start[x->par] + fill[x->par]++] = i;
    }
    pair_objects(g);
    out = g;
    g = NULL;
cleanup:
    free(fill);
    sa_trust_graph_free(g);
    return out;
}

/* The within-forest trusts from one domain to another of the same forest,
 * breadth first: g->order[0..*depth) the domains from goal back to (not
 * including) start, g->via[d] the trust that reached domain d.  false: no
 * such chain. */
static bool
forest_search(sa_trust_graph *g, size_t start, size_t goal, size_t *depth)
{
    size_t n = g->names.n, head = 0, tail = 0;

    for (size_t i = 0; i < n; i++)
        g->via[i] = -1;
    g->via[start] = -2;
    g->queue[tail++] = start;
    while (head < tail && g->via[goal] == -1) {
        size_t cur = g->queue[head++];
        for (size_t e = g->adj_start[cur]; e < g->adj_start[cur + 1]; e++) {
            size_t i = g->adj[e], next = g->e[i].dom == cur ? g->e[i].par : g->e[i].dom;
            if (g->via[next] == -1) {
                g->via[next] = (long)i;
                g->queue[tail++] = next;
            }
        }
    }
    if (g->via[goal] == -1)
        return false;
    *depth = 0;
    for (size_t cur = goal; cur != start;) {
        const edge *x = &g->e[g->via[cur]];
        g->order[(*depth)++] = cur;
        cur = x->dom == cur ? x->par : x->dom;
    }
    return true;
}

#define HOP_FORMAT " -> %s (%s)"

/* Append to *path the chain of within-forest trusts from one domain to
 * another of the same forest, as " -> name (kind)" a hop; the text grows
 * once, not once a hop (a verdict's path is built for every pair of
 * domains an audit judges). */
static bool
forest_chain(sa_trust_graph *g, size_t start, size_t goal, char **path)
{
    size_t depth, len = strlen(*path), at = len;
    char *more;

    if (!forest_search(g, start, goal, &depth))
        return false;
    for (size_t k = 0; k < depth; k++) {
        size_t cur = g->order[k];
        len += (size_t)snprintf(NULL, 0, HOP_FORMAT, g->names.items[cur],
                                sa_trust_kind_name(g->e[g->via[cur]].kind));
    }
    if ((more = realloc(*path, len + 1)) == NULL)
        return false;
    *path = more;
    for (size_t k = depth; k > 0; k--) {
        size_t cur = g->order[k - 1];
        at += (size_t)snprintf(more + at, len + 1 - at, HOP_FORMAT, g->names.items[cur],
                               sa_trust_kind_name(g->e[g->via[cur]].kind));
    }
    return true;
}

/* ------------------------------------------------------------ verdicts */

const char *
sa_verdict_kind_name(sa_verdict_kind kind)
{
    switch (kind) {
    case SA_VERDICT_KERBEROS:
        return "kerberos";
    case SA_VERDICT_SELECTIVE:
        return "selective";
    case SA_VERDICT_NOT_ALLOWED:
        return "not-allowed";
    case SA_VERDICT_CERTIFICATES:
        break;
    }
    return "certificates";
}

void
sa_verdict_clear(sa_verdict *v)
{
    free(v->path);
    free(v->why);
    free(v->recommend);
    sa_fix_clear(&v->fix);
    memset(v, 0, sizeof(*v));
}

/* What one trust between the agent's forest and the server's forest gives. */
typedef struct candidate {
    long trust;         /* index */
    int dir_from_agent; /* the trust's direction as the agent's side sees it */
    sa_verdict_kind kind;
    int rank; /* higher is better */
} candidate;

/* What trust i, between the agent's forest fa and another, gives (every
 * object of it counted, see pair_objects). */
static candidate
judge(const sa_trust_graph *g, size_t i, size_t fa)
{
    const edge *x = &g->e[i];
    candidate c = {(long)i, x->fdom == fa ? x->pair_dir : sa_trust_direction_flip(x->pair_dir),
                   SA_VERDICT_CERTIFICATES, 0};

    if (x->kind != SA_TK_FOREST)
        return c;
    if (c.dir_from_agent != SA_TRUST_DIR_BOTH) {
        c.rank = 1;
        return c;
    }
    c.kind = (x->pair_attrs & SA_TRUST_CROSS_ORGANIZATION) ? SA_VERDICT_SELECTIVE : SA_VERDICT_KERBEROS;
    c.rank = c.kind == SA_VERDICT_KERBEROS ? 3 : 2;
    return c;
}

/* Is c a better deciding trust than best?  The higher rank; then the
 * agent's side's object; then, so that the verdict does not depend on the
 * order the trusts were read in, by what the verdict's text says of it. */
static bool
better(const sa_trust_graph *g, const candidate *c, const candidate *best, size_t fa)
{
    const edge *ex = &g->e[c->trust], *ey = &g->e[best->trust];
    const sa_trust *x = &g->trusts->items[c->trust], *y = &g->trusts->items[best->trust];
    int d;

    if (c->rank != best->rank)
        return c->rank > best->rank;
    if ((ex->fdom == fa) != (ey->fdom == fa))
        return ex->fdom == fa;
    if (ex->kind != ey->kind)
        return ex->kind < ey->kind;
    if ((d = strcasecmp(x->domain, y->domain)) != 0 || (d = strcasecmp(x->partner, y->partner)) != 0)
        return d < 0;
    if (c->dir_from_agent != best->dir_from_agent)
        return c->dir_from_agent > best->dir_from_agent;
    return x->type != y->type ? x->type < y->type : x->attributes < y->attributes;
}

void
sa_trust_graph_view(sa_trust_graph *g, size_t i, sa_trust_view *out)
{
    const edge *x = &g->e[i];

    out->direction = x->pair_dir;
    out->selective = (x->pair_attrs & SA_TRUST_CROSS_ORGANIZATION) != 0;
    out->within_forest = x->fdom == x->fpar;
    out->kind = out->within_forest ? SA_VERDICT_KERBEROS : judge(g, i, x->fdom).kind;
}

long
sa_trust_graph_forest(sa_trust_graph *g, const char *domain)
{
    long i = name_index(g, domain);

    return i < 0 ? -1 : (long)forest_of(g, (size_t)i);
}

/* The verdicts that lead to OpsMgr events, and which events. */
static const sa_verdict_outcome outcomes[OUTCOME_COUNT] = {
    [OUTCOME_NO_TRUST] = {SA_VERDICT_CERTIFICATES,
                          "no trust joins the agents' forest to the servers'",
                          {21007, 21008, 0}},
    [OUTCOME_TRUST_REFUSED] = {SA_VERDICT_CERTIFICATES,
                               "the trust between the forests does not carry OpsMgr's Kerberos (external, "
                               "one-way, realm or NT4-style)",
                               {21007, 0}},
    [OUTCOME_SELECTIVE] = {SA_VERDICT_SELECTIVE,
                           "a forest trust with selective authentication: Kerberos only where \"Allowed to "
                           "Authenticate\" is granted",
                           {21001, 20057, 0}},
    [OUTCOME_NOT_ALLOWED] = {SA_VERDICT_NOT_ALLOWED,
                             "a forest trust with selective authentication, and a management server or "
                             "gateway whose computer object does not grant the agents \"Allowed to "
                             "Authenticate\"",
                             {21001, 20057, 0}},
};

const sa_verdict_outcome *
sa_verdict_outcomes(size_t *count)
{
    *count = OUTCOME_COUNT;
    return outcomes;
}

void
verdict_set_events(sa_verdict *v, int outcome)
{
    v->n_events = 0;
    for (size_t i = 0; i < SA_VERDICT_MAX_EVENTS && outcomes[outcome].events[i] != 0; i++)
        v->events[v->n_events++] = outcomes[outcome].events[i];
}

#define GATEWAY_ADVICE                                                                                       \
    "deploy a gateway server in the agents' forest, with certificates from a CA that both sides trust on "   \
    "the gateway and on the management servers it reports to (and certificates on agents that report "       \
    "directly)"

/* Why a trust between the forests does not carry OpsMgr's Kerberos. */
static bool
explain_refusal(sa_verdict *v, const sa_trust *t, int dir_from_agent, const char *agent)
{
    sa_trust_kind k = sa_trust_classify(t);

    verdict_set_events(v, OUTCOME_TRUST_REFUSED);
    switch (k) {
    case SA_TK_EXTERNAL:
        v->why = sa_strdup_printf("%s and %s are joined by an external trust: OpsMgr does not use Kerberos "
                                  "across external trusts, even when the KDCs would issue tickets",
                                  t->domain, t->partner);
        v->recommend = sa_strdup_printf("%s; or replace the external trust by a two-way forest trust "
                                        "between the forest roots",
                                        GATEWAY_ADVICE);
        break;
    case SA_TK_FOREST:
        v->why = sa_strdup_printf("the forest trust between %s and %s is %s as seen from %s: mutual "
                                  "authentication needs both directions",
                                  t->domain, t->partner, sa_trust_direction_name(dir_from_agent), agent);
        v->recommend = sa_strdup_printf("make the forest trust between %s and %s two-way; or %s", t->domain,
                                        t->partner, GATEWAY_ADVICE);
        break;
    case SA_TK_DOWNLEVEL:
        v->why = sa_strdup_printf("the trust between %s and %s is a downlevel (NT4-style) trust: no Kerberos",
                                  t->domain, t->partner);
        v->recommend = strdup(GATEWAY_ADVICE);
        break;
    case SA_TK_REALM:
        v->why = sa_strdup_printf("%s and %s are joined by a Kerberos realm trust: OpsMgr needs Active "
                                  "Directory accounts on both sides",
                                  t->domain, t->partner);
        v->recommend = strdup(GATEWAY_ADVICE);
        break;
    default:
        v->why = sa_strdup_printf("the trust between %s and %s (type %d) does not carry Kerberos for OpsMgr",
                                  t->domain, t->partner, t->type);
        v->recommend = strdup(GATEWAY_ADVICE);
        break;
    }
    return v->why != NULL && v->recommend != NULL;
}

/* Agents and servers of one domain: Kerberos. */
static bool
verdict_same_domain(sa_verdict *v, const char *agent)
{
    v->kind = SA_VERDICT_KERBEROS;
    return (v->path = strdup(agent)) != NULL && (v->why = strdup("the same domain")) != NULL &&
           (v->recommend = strdup("")) != NULL;
}

/* Domains ia and is of one forest: Kerberos, through the within-forest
 * trusts between them. */
static bool
verdict_same_forest(sa_trust_graph *g, sa_verdict *v, size_t ia, size_t is)
{
    v->kind = SA_VERDICT_KERBEROS;
    return (v->path = strdup(g->names.items[ia])) != NULL && forest_chain(g, ia, is, &v->path) &&
           (v->why = strdup(
                "the same forest: parent-child and tree-root trusts are two-way and transitive")) != NULL &&
           (v->recommend = strdup("")) != NULL;
}

/* No trust joins the forests of agent and server: certificates. */
static bool
verdict_no_trust(sa_verdict *v, const char *agent, const char *server)
{
    v->kind = SA_VERDICT_CERTIFICATES;
    verdict_set_events(v, OUTCOME_NO_TRUST);
    return (v->path = strdup("")) != NULL &&
           (v->why = sa_strdup_printf("no trust joins the forest of %s to the forest of %s (forest trusts do "
                                      "not chain through a third forest)",
                                      agent, server)) != NULL &&
           (v->recommend = sa_strdup_printf("%s; or create a two-way forest trust between the two forests",
                                            GATEWAY_ADVICE)) != NULL;
}

/* The best trust between the agent's forest fa and the server's forest
 * fs; its trust is -1 when there is none. */
static candidate
best_trust(const sa_trust_graph *g, size_t fa, size_t fs)
{
    candidate best = {-1, 0, SA_VERDICT_CERTIFICATES, -1};

    for (size_t i = 0; i < g->trusts->n; i++) {
        size_t x = g->e[i].fdom, y = g->e[i].fpar;
        candidate c;
        if (!((x == fa && y == fs) || (x == fs && y == fa)))
            continue;
        c = judge(g, i, fa);
        if (best.trust < 0 || better(g, &c, &best, fa))
            best = c;
    }
    return best;
}

/* v->path across the forests: from domain ia through its forest to the
 * near end of the deciding trust, across it, then through the server's
 * forest to domain is. */
static bool
cross_forest_path(sa_trust_graph *g, sa_verdict *v, const candidate *best, size_t fa, size_t ia, size_t is)
{
    const edge *x = &g->e[best->trust];
    size_t near = x->fdom == fa ? x->dom : x->par;
    size_t far = near == x->dom ? x->par : x->dom;
    char *more;

    if ((v->path = strdup(g->names.items[ia])) == NULL || !forest_chain(g, ia, near, &v->path))
        return false;
    more = sa_strdup_printf("%s -> %s (%s, %s)", v->path, g->names.items[far], sa_trust_kind_name(x->kind),
                            sa_trust_direction_name(best->dir_from_agent));
    free(v->path);
    v->path = more;
    return more != NULL && forest_chain(g, far, is, &v->path);
}

/* Why the deciding trust t gives its verdict, and what to do. */
static bool
explain_trust(sa_verdict *v, const sa_trust *t, const candidate *best, const char *agent, const char *server)
{
    if (best->kind == SA_VERDICT_KERBEROS)
        return (v->why = strdup((t->attributes & SA_TRUST_TREAT_AS_EXTERNAL)
                                    ? "a two-way forest trust (SID filtering as for an external trust, which "
                                      "does not stop Kerberos)"
                                    : "a two-way forest trust")) != NULL &&
               (v->recommend = strdup("")) != NULL;
    if (best->kind == SA_VERDICT_SELECTIVE) {
        verdict_set_events(v, OUTCOME_SELECTIVE);
        return (v->why = sa_strdup_printf("the forest trust between %s and %s uses selective authentication: "
                                          "Kerberos works only for computers granted \"Allowed to "
                                          "Authenticate\"",
                                          t->domain, t->partner)) != NULL &&
               (v->recommend =
                    sa_strdup_printf("grant the agents of %s \"Allowed to Authenticate\" on the "
                                     "computer objects of the management servers and gateways of "
                                     "%s, and those servers the same right on the agents' computer "
                                     "objects",
                                     agent, server)) != NULL;
    }
    return explain_refusal(v, t, best->dir_from_agent, agent);
}

sa_status
sa_trust_graph_verdict(sa_trust_graph *g, const char *agent, const char *server, sa_verdict *out,
                       sa_error *err)
{
    sa_verdict v;
    candidate best;
    long ia = name_index(g, agent), is = name_index(g, server);
    size_t fa, fs;
    bool ok;

    memset(&v, 0, sizeof(v));
    v.trust = -1;
    if (strcasecmp(agent, server) == 0) {
        ok = verdict_same_domain(&v, agent);
    } else if (ia < 0 || is < 0) {
        ok = verdict_no_trust(&v, agent, server);
    } else if ((fa = forest_of(g, (size_t)ia)) == (fs = forest_of(g, (size_t)is))) {
        ok = verdict_same_forest(g, &v, (size_t)ia, (size_t)is);
    } else if ((best = best_trust(g, fa, fs)).trust < 0) {
        ok = verdict_no_trust(&v, agent, server);
    } else {
        v.kind = best.kind;
        v.trust = best.trust;
        ok = cross_forest_path(g, &v, &best, fa, (size_t)ia, (size_t)is) &&
             explain_trust(&v, &g->trusts->items[best.trust], &best, agent, server);
    }
    if (!ok) {
        sa_verdict_clear(&v);
        return sa_error_nomem(err);
    }
    *out = v;
    return SA_OK;
}

sa_status
sa_trust_verdict(const sa_trusts *trusts, const char *agent, const char *server, sa_verdict *out,
                 sa_error *err)
{
    sa_trust_graph *g = sa_trust_graph_new(trusts);
    sa_status ret;

    if (g == NULL)
        return sa_error_nomem(err);
    ret = sa_trust_graph_verdict(g, agent, server, out, err);
    sa_trust_graph_free(g);
    return ret;
}
