/* trust.c - trusts decoded, and the Kerberos verdict for OpsMgr's mutual
 * authentication between an agent domain and a server domain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/secdesc.h"
#include "spnaudit/strv.h"
#include "spnaudit/trust.h"

sa_trust *
sa_trusts_add(sa_trusts *list)
{
    sa_trust *items = sa_grow(list->items, &list->cap, list->n, sizeof(*list->items), 16);

    if (items == NULL)
        return NULL;
    list->items = items;
    memset(&list->items[list->n], 0, sizeof(list->items[0]));
    return &list->items[list->n++];
}

static void
trust_free(sa_trust *t)
{
    free(t->domain);
    free(t->partner);
    free(t->flat);
    free(t->sid);
}

void
sa_trusts_clear(sa_trusts *list)
{
    for (size_t i = 0; i < list->n; i++)
        trust_free(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

bool
sa_trusts_add_values(sa_trusts *list, const char *domain, const char *partner, const char *flat,
                     const char *sid, int type, int direction, unsigned attributes)
{
    sa_trust *t = sa_trusts_add(list);

    if (t == NULL)
        return false;
    t->domain = strdup(domain);
    t->partner = strdup(partner);
    t->flat = flat ? strdup(flat) : NULL;
    t->sid = sid ? strdup(sid) : NULL;
    t->type = type;
    t->direction = direction;
    t->attributes = attributes;
    if (t->domain == NULL || t->partner == NULL || (flat && t->flat == NULL) || (sid && t->sid == NULL)) {
        trust_free(t);
        list->n--;
        return false;
    }
    return true;
}

bool
sa_sid_to_text(const unsigned char *sid, size_t len, char *buf, size_t size)
{
    unsigned long long authority = 0;
    size_t n, used;
    int w;

    /* revision 1, count of sub-authorities, 48-bit authority (big endian),
     * then the sub-authorities (32-bit little endian) */
    if (len < 8 || sid[0] != 1 || sid[1] > 15 || len != 8 + 4 * (size_t)sid[1])
        return false;
    for (size_t i = 2; i < 8; i++)
        authority = authority << 8 | sid[i];
    w = snprintf(buf, size, "S-1-%llu", authority);
    if (w < 0 || (size_t)w >= size)
        return false;
    used = (size_t)w;
    n = sid[1];
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = sid + 8 + 4 * i;
        unsigned long v = (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
                          (unsigned long)p[3] << 24;
        w = snprintf(buf + used, size - used, "-%lu", v);
        if (w < 0 || (size_t)w >= size - used)
            return false;
        used += (size_t)w;
    }
    return true;
}

bool
sa_crossref_is_forest_domain(unsigned system_flags, const char *enabled)
{
    if ((system_flags & 0x3u) != 0x3u || (system_flags & 0x4u) != 0)
        return false;
    return enabled == NULL || strcasecmp(enabled, "FALSE") != 0;
}

/* Is name equal to, or under, parent (DNS, case-insensitive)? */
static bool
dns_under(const char *name, const char *parent)
{
    size_t n = strlen(name), p = strlen(parent);

    return n > p && name[n - p - 1] == '.' && strcasecmp(name + n - p, parent) == 0;
}

sa_trust_kind
sa_trust_classify(const sa_trust *t)
{
    switch (t->type) {
    case SA_TRUST_TYPE_DOWNLEVEL:
        return SA_TK_DOWNLEVEL;
    case SA_TRUST_TYPE_MIT:
        return SA_TK_REALM;
    case SA_TRUST_TYPE_UPLEVEL:
        if (t->attributes & SA_TRUST_WITHIN_FOREST)
            return dns_under(t->domain, t->partner) || dns_under(t->partner, t->domain) ? SA_TK_PARENT_CHILD
                                                                                        : SA_TK_TREE_ROOT;
        if (t->attributes & SA_TRUST_FOREST_TRANSITIVE)
            return SA_TK_FOREST;
        return SA_TK_EXTERNAL;
    default:
        return SA_TK_OTHER;
    }
}

const char *
sa_trust_kind_name(sa_trust_kind kind)
{
    switch (kind) {
    case SA_TK_PARENT_CHILD:
        return "parent-child";
    case SA_TK_TREE_ROOT:
        return "tree-root";
    case SA_TK_FOREST:
        return "forest";
    case SA_TK_EXTERNAL:
        return "external";
    case SA_TK_REALM:
        return "realm (MIT Kerberos)";
    case SA_TK_DOWNLEVEL:
        return "downlevel (NT4)";
    case SA_TK_OTHER:
        break;
    }
    return "other";
}

const char *
sa_trust_direction_name(int direction)
{
    switch (direction) {
    case SA_TRUST_DIR_DISABLED:
        return "disabled";
    case SA_TRUST_DIR_INBOUND:
        return "inbound";
    case SA_TRUST_DIR_OUTBOUND:
        return "outbound";
    case SA_TRUST_DIR_BOTH:
        return "two-way";
    default:
        return "unknown";
    }
}

int
sa_trust_direction_flip(int direction)
{
    if (direction == SA_TRUST_DIR_INBOUND)
        return SA_TRUST_DIR_OUTBOUND;
    if (direction == SA_TRUST_DIR_OUTBOUND)
        return SA_TRUST_DIR_INBOUND;
    return direction;
}

bool
sa_trust_transitive(const sa_trust *t)
{
    switch (sa_trust_classify(t)) {
    case SA_TK_PARENT_CHILD:
    case SA_TK_TREE_ROOT:
        return true;
    case SA_TK_FOREST:
    case SA_TK_REALM:
        return (t->attributes & SA_TRUST_NON_TRANSITIVE) == 0;
    default:
        return false;
    }
}

char *
sa_trust_attributes_text(unsigned attributes)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {SA_TRUST_NON_TRANSITIVE, "NON_TRANSITIVE"},
        {SA_TRUST_UPLEVEL_ONLY, "UPLEVEL_ONLY"},
        {SA_TRUST_QUARANTINED_DOMAIN, "QUARANTINED_DOMAIN (SID filtering)"},
        {SA_TRUST_FOREST_TRANSITIVE, "FOREST_TRANSITIVE"},
        {SA_TRUST_CROSS_ORGANIZATION, "CROSS_ORGANIZATION (selective authentication)"},
        {SA_TRUST_WITHIN_FOREST, "WITHIN_FOREST"},
        {SA_TRUST_TREAT_AS_EXTERNAL, "TREAT_AS_EXTERNAL"},
        {SA_TRUST_USES_RC4_ENCRYPTION, "USES_RC4_ENCRYPTION"},
        {SA_TRUST_USES_AES_KEYS, "USES_AES_KEYS"},
        {SA_TRUST_CROSS_ORGANIZATION_NO_TGT_DELEGATION, "CROSS_ORGANIZATION_NO_TGT_DELEGATION"},
        {SA_TRUST_PIM_TRUST, "PIM_TRUST"},
        {SA_TRUST_CROSS_ORGANIZATION_ENABLE_TGT_DELEGATION, "CROSS_ORGANIZATION_ENABLE_TGT_DELEGATION"},
    };
    char buf[512] = "";
    size_t len = 0;
    unsigned known = 0;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        known |= names[i].bit;
        if (attributes & names[i].bit)
            len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? ", " : "", names[i].name);
    }
    if (attributes & ~known)
        snprintf(buf + len, sizeof(buf) - len, "%s0x%x", len ? ", " : "", attributes & ~known);
    return strdup(attributes == 0 ? "none" : buf);
}

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
    memset(v, 0, sizeof(*v));
}

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

/* Append to *path the chain of within-forest trusts from one domain to
 * another of the same forest (breadth first), as " -> name (kind)". */
static bool
forest_chain(sa_trust_graph *g, size_t start, size_t goal, char **path)
{
    size_t n = g->names.n, head = 0, tail = 0, depth = 0;

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
    for (size_t cur = goal; cur != start;) {
        const edge *x = &g->e[g->via[cur]];
        g->order[depth++] = cur;
        cur = x->dom == cur ? x->par : x->dom;
    }
    for (size_t k = depth; k > 0; k--) {
        size_t cur = g->order[k - 1];
        char *more = sa_strdup_printf("%s -> %s (%s)", *path, g->names.items[cur],
                                      sa_trust_kind_name(g->e[g->via[cur]].kind));
        if (more == NULL)
            return false;
        free(*path);
        *path = more;
    }
    return true;
}

/* ------------------------------------------------------------ verdicts */

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

/* The verdicts that lead to OpsMgr events, and which events: indexed by
 * the outcome enum below. */
enum { OUTCOME_NO_TRUST, OUTCOME_TRUST_REFUSED, OUTCOME_SELECTIVE, OUTCOME_NOT_ALLOWED, OUTCOME_COUNT };
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

static void
set_events(sa_verdict *v, int outcome)
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

    set_events(v, OUTCOME_TRUST_REFUSED);
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

sa_status
sa_trust_graph_verdict(sa_trust_graph *g, const char *agent, const char *server, sa_verdict *out,
                       sa_error *err)
{
    const sa_trusts *trusts = g->trusts;
    sa_verdict v;
    candidate best = {-1, 0, SA_VERDICT_CERTIFICATES, -1};
    long ia = name_index(g, agent), is = name_index(g, server);
    size_t fa = 0, fs = 0;
    bool ok = false;

    memset(&v, 0, sizeof(v));
    v.trust = -1;
    if (strcasecmp(agent, server) == 0) {
        v.kind = SA_VERDICT_KERBEROS;
        ok = (v.path = strdup(agent)) != NULL && (v.why = strdup("the same domain")) != NULL &&
             (v.recommend = strdup("")) != NULL;
        goto cleanup;
    }
    if (ia >= 0 && is >= 0) {
        fa = forest_of(g, (size_t)ia);
        fs = forest_of(g, (size_t)is);
    }
    if (ia >= 0 && is >= 0 && fa == fs) {
        v.kind = SA_VERDICT_KERBEROS;
        ok = (v.path = strdup(g->names.items[ia])) != NULL &&
             forest_chain(g, (size_t)ia, (size_t)is, &v.path) &&
             (v.why = strdup(
                  "the same forest: parent-child and tree-root trusts are two-way and transitive")) != NULL &&
             (v.recommend = strdup("")) != NULL;
        goto cleanup;
    }
    /* Across forests: the best trust between the two forests */
    for (size_t i = 0; ia >= 0 && is >= 0 && i < trusts->n; i++) {
        size_t x = g->e[i].fdom, y = g->e[i].fpar;
        candidate c;
        if (!((x == fa && y == fs) || (x == fs && y == fa)))
            continue;
        c = judge(g, i, fa);
        if (best.trust < 0 || better(g, &c, &best, fa))
            best = c;
    }
    if (best.trust < 0) {
        v.kind = SA_VERDICT_CERTIFICATES;
        set_events(&v, OUTCOME_NO_TRUST);
        ok =
            (v.path = strdup("")) != NULL &&
            (v.why = sa_strdup_printf("no trust joins the forest of %s to the forest of %s (forest trusts do "
                                      "not chain through a third forest)",
                                      agent, server)) != NULL &&
            (v.recommend = sa_strdup_printf("%s; or create a two-way forest trust between the two forests",
                                            GATEWAY_ADVICE)) != NULL;
        goto cleanup;
    }
    {
        size_t i = (size_t)best.trust;
        const sa_trust *t = &trusts->items[i];
        size_t near = g->e[i].fdom == fa ? g->e[i].dom : g->e[i].par;
        size_t far = near == g->e[i].dom ? g->e[i].par : g->e[i].dom;
        char *more;

        v.kind = best.kind;
        v.trust = best.trust;
        ok = (v.path = strdup(g->names.items[ia])) != NULL && forest_chain(g, (size_t)ia, near, &v.path);
        if (ok) {
            more = sa_strdup_printf("%s -> %s (%s, %s)", v.path, g->names.items[far],
                                    sa_trust_kind_name(g->e[i].kind),
                                    sa_trust_direction_name(best.dir_from_agent));
            free(v.path);
            v.path = more;
            ok = more != NULL;
        }
        ok = ok && forest_chain(g, far, (size_t)is, &v.path);
        if (!ok)
            goto cleanup;
        if (best.kind == SA_VERDICT_KERBEROS) {
            ok =
                (v.why = strdup((t->attributes & SA_TRUST_TREAT_AS_EXTERNAL)
                                    ? "a two-way forest trust (SID filtering as for an external trust, which "
                                      "does not stop Kerberos)"
                                    : "a two-way forest trust")) != NULL &&
                (v.recommend = strdup("")) != NULL;
        } else if (best.kind == SA_VERDICT_SELECTIVE) {
            set_events(&v, OUTCOME_SELECTIVE);
            ok =
                (v.why = sa_strdup_printf("the forest trust between %s and %s uses selective authentication: "
                                          "Kerberos works only for computers granted \"Allowed to "
                                          "Authenticate\"",
                                          t->domain, t->partner)) != NULL &&
                (v.recommend =
                     sa_strdup_printf("grant the agents of %s \"Allowed to Authenticate\" on the "
                                      "computer objects of the management servers and gateways of "
                                      "%s, and those servers the same right on the agents' computer "
                                      "objects",
                                      agent, server)) != NULL;
        } else {
            ok = explain_refusal(&v, t, best.dir_from_agent, agent);
        }
    }
cleanup:
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

/* ------------------------------------------------------------ selective authentication settled */

#define GRANT_BIT(g) (1u << (unsigned)(g))
#define GRANT_UNREAD (1u << 8) /* the DACL was not read */

/* Append "server (why)" for each server whose result is in mask, in the
 * servers' order, to *list ("; " between them). */
static bool
list_servers(char **list, const sa_server_grant *grants, size_t n, unsigned mask)
{
    for (size_t i = 0; i < n; i++) {
        const sa_server_grant *g = &grants[i];
        char *more;
        if ((mask & (g->read ? GRANT_BIT(g->grant) : GRANT_UNREAD)) == 0)
            continue;
        more = sa_strdup_printf("%s%s%s (%s)", *list ? *list : "", *list ? "; " : "", g->server,
                                g->why ? g->why : "?");
        if (more == NULL)
            return false;
        free(*list);
        *list = more;
    }
    return true;
}

/* The verdict becomes kind, with *why and *recommend (taken over). */
static void
settle(sa_verdict *v, sa_verdict_kind kind, char **why, char **recommend)
{
    free(v->why);
    free(v->recommend);
    v->why = *why;
    v->recommend = *recommend;
    *why = *recommend = NULL;
    v->kind = kind;
}

sa_status
sa_verdict_apply_grants(sa_verdict *v, const char *agent, const char *agent_netbios,
                        const sa_server_grant *grants, size_t n, sa_error *err)
{
    char *missing = NULL, *granted = NULL, *uncertain = NULL, *why = NULL, *fix = NULL, *more;
    size_t n_granted = 0, n_missing = 0;
    sa_status ret = SA_OK;
    bool ok;

    if (v->kind != SA_VERDICT_SELECTIVE || n == 0)
        return SA_OK;
    for (size_t i = 0; i < n; i++) {
        unsigned bit = grants[i].read ? GRANT_BIT(grants[i].grant) : GRANT_UNREAD;
        n_granted += bit == GRANT_BIT(SA_AUTH_GRANTED);
        n_missing += (bit & (GRANT_BIT(SA_AUTH_DENIED) | GRANT_BIT(SA_AUTH_NOT_GRANTED))) != 0;
    }
    ok = list_servers(&granted, grants, n, GRANT_BIT(SA_AUTH_GRANTED)) &&
         list_servers(&missing, grants, n, GRANT_BIT(SA_AUTH_DENIED) | GRANT_BIT(SA_AUTH_NOT_GRANTED)) &&
         list_servers(&uncertain, grants, n,
                      GRANT_BIT(SA_AUTH_UNVERIFIED) | GRANT_BIT(SA_AUTH_MALFORMED) | GRANT_UNREAD);
    if (!ok)
        goto nomem;
    if (n_missing > 0) {
        why = sa_strdup_printf("%s; the computer objects of %s do not grant the agents of %s that right, so "
                               "their mutual authentication fails there",
                               v->why, missing, agent);
        if (why == NULL)
            goto nomem;
        /* the fix: one dsacls line per server without the right */
        for (size_t i = 0; i < n; i++) {
            const sa_server_grant *g = &grants[i];
            if (!g->read || (g->grant != SA_AUTH_DENIED && g->grant != SA_AUTH_NOT_GRANTED))
                continue;
            more = sa_strdup_printf(
                "%s%sdsacls \"%s\" /G \"%s\\Domain Computers:CA;Allowed to Authenticate\"%s", fix ? fix : "",
                fix ? "\n" : "", g->dn ? g->dn : g->server, agent_netbios ? agent_netbios : agent,
                g->grant == SA_AUTH_DENIED ? " (and remove the ACE that denies it)" : "");
            if (more == NULL)
                goto nomem;
            free(fix);
            fix = more;
        }
        settle(v, SA_VERDICT_NOT_ALLOWED, &why, &fix);
        set_events(v, OUTCOME_NOT_ALLOWED);
    } else if (n_granted == n) {
        why = sa_strdup_printf("%s; every server checked grants it: %s", v->why, granted);
        if (why == NULL || (fix = strdup("")) == NULL)
            goto nomem;
        settle(v, SA_VERDICT_KERBEROS, &why, &fix);
        v->n_events = 0;
    } else {
        why = sa_strdup_printf("%s; not settled for %s%s%s", v->why, uncertain,
                               granted ? "; granted on " : "", granted ? granted : "");
        if (why == NULL)
            goto nomem;
        free(v->why);
        v->why = why;
        why = NULL;
    }
    goto cleanup;
nomem:
    ret = sa_error_nomem(err);
cleanup:
    free(missing);
    free(granted);
    free(uncertain);
    free(why);
    free(fix);
    return ret;
}
