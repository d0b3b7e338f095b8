/* trust_map.c - the trust map as a Graphviz graph (trust_map.h): one node
 * per domain, in one cluster per forest (as the within-forest trusts join
 * them), one edge per trust (its objects on both sides merged), each
 * coloured by the verdict the trust graph gives across it, settled by the
 * agents' verdicts that trust decided.  The graph is libcgraph's, and so is
 * the DOT quoting: we never escape DOT by hand. */
#include <graphviz/cgraph.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/display.h"
#include "spnaudit/domains.h"
#include "spnaudit/strv.h"
#include "spnaudit/trust_map.h"

/* An agent domain and its verdict toward the management servers. */
typedef struct map_agent {
    const char *domain;
    sa_verdict_kind kind;
    long trust;   /* the deciding trust (sa_verdict.trust), or -1 */
    bool gateway; /* plan: the design goes through a gateway */
} map_agent;

/* What a map is drawn from: a trusts run or a plan. */
typedef struct map_in {
    const char *home; /* the management servers' domain */
    const sa_trusts *trusts;
    const sa_strv *more[2]; /* more domains to show (NULL: none) */
    const sa_strv *unread;  /* domains whose trusts could not be read, or NULL */
    map_agent *agents;
    size_t n_agents;
} map_in;

/* The IDs of the graph's objects in the order the objects are made.
 * cgraph's default takes the address of a named object's name for its ID,
 * and writes subgraphs in the order of their IDs: the clusters (and so
 * the layout) came out in a different order from run to run.  Here a
 * name's ID is its place in names (even, as cgraph wants named IDs), an
 * anonymous one (the edges) the next odd number.  (Declining to map names,
 * so that cgraph keeps them itself, loses its map at agclose in Graphviz
 * 2.42.) */
typedef struct ordered_ids {
    Agiddisc_t disc; /* first: ids_open finds the rest from it */
    Agraph_t *g;
    char **names; /* cgraph's strings (agstrdup): agwrite reads their header */
    size_t n, cap;
    IDTYPE anonymous;
} ordered_ids;

/* The map being built. */
typedef struct map {
    const map_in *in;
    sa_trust_graph *tg;
    sa_strv names;       /* the domains, home first */
    size_t *tdom, *tpar; /* per trust: its domain's and partner's name index */
    long *forest;        /* per name: sa_trust_graph_forest */
    size_t *root_score;  /* per name: root_scores */
    Agraph_t *g;
    ordered_ids ids; /* g's disciplines (graph_open) */
    Agdisc_t disc;
    Agraph_t **cluster; /* per name: its forest's cluster, or NULL */
    Agnode_t **node;    /* per name */
} map;

/* How a verdict looks: edge and node colour, edge style, the words. */
typedef struct look {
    const char *color, *style, *words;
} look;

static look
look_of(sa_verdict_kind k)
{
    switch (k) {
    case SA_VERDICT_KERBEROS:
        return (look){"#1a7f37", "solid", "Kerberos"};
    case SA_VERDICT_CERTIFICATES:
        return (look){"#c2570c", "solid", "certificates needed"};
    case SA_VERDICT_NOT_ALLOWED:
        return (look){"#b42318", "bold", "not allowed to authenticate"};
    case SA_VERDICT_SELECTIVE:
        break;
    }
    return (look){"#8c8c8c", "dashed", "not checked (selective authentication)"};
}

#define LEGEND                                                                                               \
    "Trust map. An arrow points from the trusting domain to the trusted one (the direction of the trust; "   \
    "access goes the other way); both heads: a two-way trust.\\l"                                            \
    "Green: Kerberos works. Orange: certificates needed. Red, bold: selective authentication, the agents "   \
    "not allowed to authenticate. Grey, dashed: not read or not checked (not a failure).\\l"                 \
    "Double border: the management servers' domain. A box is a forest, named by its root.\\l"

static long
name_index(const sa_strv *names, const char *name)
{
    for (size_t i = 0; i < names->n; i++) {
        if (strcasecmp(names->items[i], name) == 0)
            return (long)i;
    }
    return -1;
}

/* name as a Graphviz label shows it: escaped for people (display.h), then
 * every backslash doubled, because Graphviz reads \N, \G, \n, \l... in a
 * label as its own escapes and \\ as one backslash; after prefix, and
 * before more lines (line1, line2 or NULL), each after Graphviz's "\n"
 * (prefix and lines are our own text). */
static char *
label_text(const char *prefix, const char *name, const char *line1, const char *line2)
{
    char *shown = sa_shown_dup(name), *out = NULL, *p;
    size_t n = 0;

    if (shown == NULL)
        return NULL;
    for (p = shown; *p; p++)
        n += *p == '\\' ? 2 : 1;
    n += strlen(prefix) + (line1 ? strlen(line1) + 2 : 0) + (line2 ? strlen(line2) + 2 : 0) + 1;
    if ((out = malloc(n)) == NULL)
        goto cleanup;
    p = stpcpy(out, prefix);
    for (const char *s = shown; *s; s++) {
        if (*s == '\\')
            *p++ = '\\';
        *p++ = *s;
    }
    *p = '\0';
    if (line1)
        strcat(strcat(p, "\\n"), line1);
    if (line2)
        strcat(strcat(p, "\\n"), line2);
cleanup:
    free(shown);
    return out;
}

/* agset on our own attribute names (declared by declare_attributes). */
static bool
set(void *obj, const char *name, const char *value)
{
    return agset(obj, (char *)name, (char *)value) == 0;
}

/* A label from the directory (label_text), set on obj. */
static bool
set_label(void *obj, const char *prefix, const char *name, const char *line1, const char *line2)
{
    char *label = label_text(prefix, name, line1, line2);
    bool ok = label != NULL && set(obj, "label", label);

    free(label);
    return ok;
}

static bool
declare_attributes(Agraph_t *g)
{
    static const struct {
        int kind;
        const char *name, *def;
    } attrs[] = {
        {AGRAPH, "label", ""},
        {AGRAPH, "labelloc", "b"},
        {AGRAPH, "labeljust", "l"},
        {AGRAPH, "fontname", "Helvetica"},
        {AGRAPH, "rankdir", "LR"},
        {AGRAPH, "style", ""},
        {AGRAPH, "color", "black"},
        {AGRAPH, "fontsize", "14"},
        {AGRAPH, "fillcolor", ""},
        {AGNODE, "label", "\\N"},
        {AGNODE, "shape", "box"},
        {AGNODE, "style", "rounded"},
        {AGNODE, "fontname", "Helvetica"},
        {AGNODE, "color", "black"},
        {AGNODE, "peripheries", "1"},
        {AGEDGE, "label", ""},
        {AGEDGE, "dir", "forward"},
        {AGEDGE, "color", "black"},
        {AGEDGE, "fontcolor", "black"},
        {AGEDGE, "style", "solid"},
        {AGEDGE, "fontname", "Helvetica"},
        {AGEDGE, "fontsize", "10"},
    };

    for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
        if (agattr(g, attrs[i].kind, (char *)attrs[i].name, (char *)attrs[i].def) == NULL)
            return false;
    }
    return set(g, "label", LEGEND) && set(g, "fontsize", "11");
}

/* ------------------------------------------------------------ domains */

/* Every domain the map shows, once, home first; then each trust's ends. */
static bool
collect_names(map *m)
{
    const map_in *in = m->in;
    const sa_trusts *t = in->trusts;

    if (!sa_strv_add(&m->names, in->home))
        return false;
    for (size_t i = 0; i < t->n; i++) {
        if (!sa_strv_add_unique_ci(&m->names, t->items[i].domain) ||
            !sa_strv_add_unique_ci(&m->names, t->items[i].partner))
            return false;
    }
    for (size_t k = 0; k < 2; k++) {
        if (!sa_strv_add_all(&m->names, in->more[k], 0, true))
            return false;
    }
    for (size_t i = 0; i < in->n_agents; i++) {
        if (!sa_strv_add_unique_ci(&m->names, in->agents[i].domain))
            return false;
    }
    return sa_strv_add_all(&m->names, in->unread, 0, true);
}

/* How likely each name is its forest's root (m->root_score): the end of
 * a forest trust (those join forest roots), else of the most tree-root
 * trusts (those join the root to the other trees). */
static void
root_scores(map *m)
{
    for (size_t k = 0; k < m->in->trusts->n; k++) {
        sa_trust_kind kind = sa_trust_classify(&m->in->trusts->items[k]);
        size_t add = kind == SA_TK_FOREST ? 1000 : kind == SA_TK_TREE_ROOT ? 1 : 0;
        m->root_score[m->tdom[k]] += add;
        m->root_score[m->tpar[k]] += add;
    }
}

/* The root of forest f: the best root_score, then the shortest name (a
 * parent's name is shorter than its children's), then by name. */
static size_t
forest_root(const map *m, long f)
{
    size_t best = SIZE_MAX, best_score = 0;

    for (size_t i = 0; i < m->names.n; i++) {
        size_t score, len, best_len;
        if (m->forest[i] != f)
            continue;
        score = m->root_score[i];
        if (best != SIZE_MAX) {
            len = strlen(m->names.items[i]);
            best_len = strlen(m->names.items[best]);
            if (score < best_score ||
                (score == best_score &&
                 (len > best_len ||
                  (len == best_len && strcasecmp(m->names.items[i], m->names.items[best]) >= 0))))
                continue;
        }
        best = i;
        best_score = score;
    }
    return best;
}

/* Name i's forest cluster (created with its first domain), or NULL for a
 * domain no trust names (its forest unknown). */
static Agraph_t *
cluster_for(map *m, size_t i, size_t *n_clusters, bool *ok)
{
    char id[32];
    Agraph_t *c;

    if (m->forest[i] < 0)
        return NULL;
    for (size_t k = 0; k < i; k++) {
        if (m->forest[k] == m->forest[i])
            return m->cluster[k];
    }
    snprintf(id, sizeof(id), "cluster_%zu", ++*n_clusters);
    if ((c = agsubg(m->g, id, 1)) == NULL ||
        !set_label(c, "forest ", m->names.items[forest_root(m, m->forest[i])], NULL, NULL) ||
        !set(c, "style", "rounded,filled") || !set(c, "color", "#999999") ||
        !set(c, "fillcolor", "#f5f5f5") || !set(c, "labelloc", "t"))
        *ok = false;
    return c;
}

/* The agent row of name i, or NULL. */
static const map_agent *
agent_of(const map *m, size_t i)
{
    for (size_t k = 0; k < m->in->n_agents; k++) {
        if (strcasecmp(m->in->agents[k].domain, m->names.items[i]) == 0)
            return &m->in->agents[k];
    }
    return NULL;
}

/* The node of name i: its label, and its marks (the management servers'
 * domain; an agent domain's verdict; trusts not read). */
static bool
add_node(map *m, size_t i, Agraph_t *parent)
{
    const map_agent *a = agent_of(m, i);
    bool home = i == 0,
         unread = m->in->unread != NULL && sa_strv_contains_ci(m->in->unread, m->names.items[i]);
    char id[32], *line = NULL;
    look lk = look_of(a ? a->kind : SA_VERDICT_KERBEROS);
    bool ok;

    snprintf(id, sizeof(id), "n%zu", i + 1);
    if ((m->node[i] = agnode(parent, id, 1)) == NULL)
        return false;
    if (home)
        return set_label(m->node[i], "", m->names.items[i], "management servers", NULL) &&
               set(m->node[i], "peripheries", "2") && set(m->node[i], "style", "rounded,bold");
    if (a != NULL &&
        (line = sa_strdup_printf("agents: %s", a->gateway ? "through a gateway" : lk.words)) == NULL)
        return false;
    ok = set_label(m->node[i], "", m->names.items[i], line, unread ? "trusts not read" : NULL) &&
         (a == NULL || set(m->node[i], "color", lk.color)) &&
         (!unread ||
          (set(m->node[i], "style", "rounded,dashed") && (a != NULL || set(m->node[i], "color", "#8c8c8c"))));
    free(line);
    return ok;
}

static bool
add_nodes(map *m)
{
    size_t n_clusters = 0;
    bool ok = true;

    for (size_t i = 0; i < m->names.n && ok; i++) {
        Agraph_t *c = cluster_for(m, i, &n_clusters, &ok);
        m->cluster[i] = c;
        ok = ok && add_node(m, i, c ? c : m->g);
    }
    return ok;
}

/* ------------------------------------------------------------ trusts */

/* Are trusts i and k objects of one trust (its two sides, or one read
 * twice)? */
static bool
same_trust(const map *m, size_t i, size_t k)
{
    const sa_trust *x = &m->in->trusts->items[i], *y = &m->in->trusts->items[k];

    return ((m->tdom[i] == m->tdom[k] && m->tpar[i] == m->tpar[k]) ||
            (m->tdom[i] == m->tpar[k] && m->tpar[i] == m->tdom[k])) &&
           sa_trust_classify(x) == sa_trust_classify(y);
}

/* The verdict across trust i: what it gives alone; across selective
 * authentication, settled by the agents whose verdict it decided (the
 * worst of them: not allowed, then not checked), not checked when none. */
static sa_verdict_kind
edge_verdict(map *m, size_t i, const sa_trust_view *view)
{
    int worst = 0; /* 1 Kerberos, 2 not checked, 3 not allowed */

    if (view->kind != SA_VERDICT_SELECTIVE)
        return view->kind;
    for (size_t k = 0; k < m->in->n_agents; k++) {
        const map_agent *a = &m->in->agents[k];
        int rank;
        if (a->trust < 0 || !same_trust(m, i, (size_t)a->trust))
            continue;
        rank = a->kind == SA_VERDICT_NOT_ALLOWED ? 3 : a->kind == SA_VERDICT_KERBEROS ? 1 : 2;
        worst = rank > worst ? rank : worst;
    }
    return worst == 1 ? SA_VERDICT_KERBEROS : worst == 3 ? SA_VERDICT_NOT_ALLOWED : SA_VERDICT_SELECTIVE;
}

/* The trust's kind as administrators name it; an external trust between
 * two domains of one forest is a shortcut. */
static const char *
kind_words(const sa_trust *t, const sa_trust_view *view)
{
    sa_trust_kind k = sa_trust_classify(t);

    return k == SA_TK_EXTERNAL && view->within_forest ? "shortcut" : sa_trust_kind_name(k);
}

/* Its arrow, from the trusting domain to the trusted (tail: t's domain). */
static const char *
dir_of(int direction)
{
    switch (direction) {
    case SA_TRUST_DIR_BOTH:
        return "both";
    case SA_TRUST_DIR_OUTBOUND:
        return "forward";
    case SA_TRUST_DIR_INBOUND:
        return "back";
    default:
        return "none";
    }
}

/* The edge of trust i (the first object of its trust). */
static bool
add_edge(map *m, size_t i)
{
    const sa_trust *t = &m->in->trusts->items[i];
    sa_trust_view view;
    Agedge_t *e;
    char *label = NULL;
    look lk;
    bool ok;

    sa_trust_graph_view(m->tg, i, &view);
    lk = look_of(edge_verdict(m, i, &view));
    label = sa_strdup_printf("%s, %s%s\\n%s", kind_words(t, &view),
                             view.direction == SA_TRUST_DIR_BOTH       ? "two-way"
                             : view.direction == SA_TRUST_DIR_DISABLED ? "disabled"
                                                                       : "one-way",
                             view.selective ? ", selective" : "", lk.words);
    ok = label != NULL && (e = agedge(m->g, m->node[m->tdom[i]], m->node[m->tpar[i]], NULL, 1)) != NULL &&
         set(e, "label", label) && set(e, "dir", dir_of(view.direction)) && set(e, "color", lk.color) &&
         set(e, "fontcolor", lk.color) && set(e, "style", lk.style);
    free(label);
    return ok;
}

static bool
add_edges(map *m)
{
    for (size_t i = 0; i < m->in->trusts->n; i++) {
        bool first = true;
        for (size_t k = 0; k < i && first; k++)
            first = !same_trust(m, i, k);
        if (first && !add_edge(m, i))
            return false;
    }
    return true;
}

/* ------------------------------------------------------------ the graph */

static void *
ids_open(Agraph_t *g, Agdisc_t *disc)
{
    ordered_ids *ids = (ordered_ids *)disc->id;

    ids->g = g;
    return ids;
}

/* A name's ID, or (str NULL) a new anonymous one. */
static long
ids_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    ordered_ids *ids = state;
    char **names;
    size_t k = 0;

    if (str == NULL) {
        *id = ids->anonymous += 2;
        return 1;
    }
    while (k < ids->n && strcmp(ids->names[k], str) != 0)
        k++;
    if (k == ids->n) {
        if (!createflag || (names = sa_grow(ids->names, &ids->cap, ids->n, sizeof(*names), 64)) == NULL)
            return 0;
        ids->names = names;
        if ((names[k] = agstrdup(ids->g, str)) == NULL)
            return 0;
        ids->n++;
    }
    *id = 2 * ((IDTYPE)k + 1);
    return 1;
}

static long
ids_alloc(void *state, int objtype, IDTYPE request)
{
    return 0; /* no IDs chosen by the caller */
}

static void
ids_free(void *state, int objtype, IDTYPE id)
{
    /* the name stays for the graph's life: it is its ID's */
}

static char *
ids_print(void *state, int objtype, IDTYPE id)
{
    ordered_ids *ids = state;

    return id % 2 == 0 && id / 2 - 1 < ids->n ? ids->names[id / 2 - 1] : NULL;
}

static void
ids_close(void *state)
{
}

static void
ids_register(void *state, int objtype, void *obj)
{
}

/* m's graph, its disciplines m's (they must outlive it). */
static Agraph_t *
graph_open(map *m)
{
    m->ids.disc = (Agiddisc_t){ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close, ids_register};
    m->ids.anonymous = 1;
    m->disc = (Agdisc_t){&AgMemDisc, &m->ids.disc, &AgIoDisc};
    return agopen("trusts", Agdirected, &m->disc);
}

static void
map_clear(map *m)
{
    if (m->g != NULL)
        agclose(m->g); /* and its strings, the names among them */
    free(m->ids.names);
    sa_trust_graph_free(m->tg);
    sa_strv_clear(&m->names);
    free(m->tdom);
    free(m->tpar);
    free(m->forest);
    free(m->root_score);
    free(m->cluster);
    free(m->node);
}

/* The names, forests and per-trust indices, once the size is known to be
 * within the bounds. */
static bool
map_index(map *m)
{
    const sa_trusts *t = m->in->trusts;
    size_t n = m->names.n;

    m->tdom = calloc(t->n + 1, sizeof(*m->tdom));
    m->tpar = calloc(t->n + 1, sizeof(*m->tpar));
    m->forest = calloc(n + 1, sizeof(*m->forest));
    m->cluster = calloc(n + 1, sizeof(*m->cluster));
    m->node = calloc(n + 1, sizeof(*m->node));
    m->root_score = calloc(n + 1, sizeof(*m->root_score));
    if (m->tdom == NULL || m->tpar == NULL || m->forest == NULL || m->cluster == NULL || m->node == NULL ||
        m->root_score == NULL || (m->tg = sa_trust_graph_new(t)) == NULL)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        m->tdom[i] = (size_t)name_index(&m->names, t->items[i].domain);
        m->tpar[i] = (size_t)name_index(&m->names, t->items[i].partner);
    }
    for (size_t i = 0; i < n; i++)
        m->forest[i] = sa_trust_graph_forest(m->tg, m->names.items[i]);
    root_scores(m);
    return true;
}

/* The graph written by libcgraph into a new string. */
static sa_status
write_dot(Agraph_t *g, char **out, sa_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rc;

    if (f == NULL)
        return sa_error_nomem(err);
    rc = agwrite(g, f);
    if (fclose(f) != 0 || rc != 0 || buf == NULL) {
        free(buf);
        return sa_error_nomem(err);
    }
    *out = buf;
    return SA_OK;
}

static sa_status
map_dot(const map_in *in, char **dot_out, sa_error *err)
{
    map m = {.in = in};
    sa_status ret = SA_OK;

    if (in->trusts->n > SA_TRUST_MAP_MAX_TRUSTS) {
        ret = sa_error_set(err, SA_ERR_INCOMPLETE,
                           "the trust map is not drawn: %zu trusts, more than the %d a map shows",
                           in->trusts->n, SA_TRUST_MAP_MAX_TRUSTS);
        goto cleanup;
    }
    if (!collect_names(&m)) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    if (m.names.n > SA_TRUST_MAP_MAX_DOMAINS) {
        ret = sa_error_set(err, SA_ERR_INCOMPLETE,
                           "the trust map is not drawn: %zu domains, more than the %d a map shows", m.names.n,
                           SA_TRUST_MAP_MAX_DOMAINS);
        goto cleanup;
    }
    if (!map_index(&m) || (m.g = graph_open(&m)) == NULL || !declare_attributes(m.g) || !add_nodes(&m) ||
        !add_edges(&m)) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    ret = write_dot(m.g, dot_out, err);
cleanup:
    map_clear(&m);
    return ret;
}

/* ------------------------------------------------------------ runs and plans */

sa_status
sa_trust_map_dot(const sa_trust_run *r, char **dot_out, sa_error *err)
{
    map_agent *agents = calloc(r->n_rows + 1, sizeof(*agents));
    sa_status ret;

    if (agents == NULL)
        return sa_error_nomem(err);
    for (size_t i = 0; i < r->n_rows; i++)
        agents[i] = (map_agent){r->rows[i].agent, r->rows[i].v.kind, r->rows[i].v.trust, false};
    ret = map_dot(&(map_in){r->home, &r->trusts, {&r->forest, &r->agents}, &r->unread, agents, r->n_rows},
                  dot_out, err);
    free(agents);
    return ret;
}

sa_status
sa_plan_map_dot(const sa_plan *p, char **dot_out, sa_error *err)
{
    map_agent *agents = calloc(p->n_rows + 1, sizeof(*agents));
    sa_strv gateway_domains = {NULL, 0, 0}; /* shown even where no trust read names them */
    sa_status ret = SA_OK;

    if (agents == NULL)
        ret = sa_error_nomem(err);
    for (size_t i = 0; ret == SA_OK && i < p->n_rows; i++) {
        const sa_plan_row *row = &p->rows[i];
        agents[i] = (map_agent){row->agent, row->direct.kind, row->direct.trust, row->gateway >= 0};
    }
    for (size_t i = 0; ret == SA_OK && p->gateways != NULL && i < p->gateways->n; i++) {
        if (!sa_strv_add_unique_ci(&gateway_domains, sa_host_domain_of(p->gateways->items[i])))
            ret = sa_error_nomem(err);
    }
    if (ret == SA_OK)
        ret = map_dot(
            &(map_in){p->ms_domain, &p->trusts, {&gateway_domains, NULL}, &p->unread, agents, p->n_rows},
            dot_out, err);
    sa_strv_clear(&gateway_domains);
    free(agents);
    return ret;
}
