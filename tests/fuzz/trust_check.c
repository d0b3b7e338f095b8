/* trust_check.c - the trust verdict's invariants on any list of trusts,
 * and the fuzz input format (see trust_check.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/strv.h"
#include "trust_check.h"

/* ------------------------------------------------------------ the input format */

/* Names of a few forests at several levels, and names that look related
 * and are not: br.test is not under r.test; R.TEST and C1.R.Test are the
 * same domains as r.test and c1.r.test. */
static const char *const names[16] = {
    "r.test",   "c1.r.test",  "g1.c1.r.test", "c2.r.test", "u.test", "t.test",    "c1.t.test",    "s.test",
    "x.s.test", "y.x.s.test", "w.test",       "br.test",   "R.TEST", "C1.R.Test", "UNIX.EXAMPLE", "OLDNT4",
};

/* Each trust is 3 bytes: the domain (low 4 bits: an index in names), the
 * partner (the same), and
 *   bits 0-1  trustDirection
 *   bits 2-4  0-2 within-forest (uplevel), 3 forest, 4 forest with
 *             selective authentication, 5 external (uplevel), 6 MIT realm,
 *             7 downlevel (bit 7 set: type 5, AAD, instead)
 *   bit 5     TREAT_AS_EXTERNAL
 *   bit 6     CROSS_ORGANIZATION
 *   bit 7     NON_TRANSITIVE and QUARANTINED_DOMAIN */
bool
tc_decode(const uint8_t *data, size_t size, sa_trusts *out)
{
    for (size_t i = 0; i + 3 <= size && i / 3 < TC_MAX_TRUSTS; i += 3) {
        unsigned flags = data[i + 2], kind = flags >> 2 & 7u, attributes = 0;
        int type = SA_TRUST_TYPE_UPLEVEL;

        if (kind <= 2)
            attributes = SA_TRUST_WITHIN_FOREST;
        else if (kind <= 4)
            attributes = SA_TRUST_FOREST_TRANSITIVE | (kind == 4 ? SA_TRUST_CROSS_ORGANIZATION : 0);
        else if (kind == 6)
            type = SA_TRUST_TYPE_MIT;
        else if (kind == 7)
            type = (flags & 0x80u) ? SA_TRUST_TYPE_AAD : SA_TRUST_TYPE_DOWNLEVEL;
        attributes |= (flags & 0x20u) ? SA_TRUST_TREAT_AS_EXTERNAL : 0;
        attributes |= (flags & 0x40u) ? SA_TRUST_CROSS_ORGANIZATION : 0;
        attributes |= (flags & 0x80u) ? SA_TRUST_NON_TRANSITIVE | SA_TRUST_QUARANTINED_DOMAIN : 0;
        if (!sa_trusts_add_values(out, names[data[i] & 15u], names[data[i + 1] & 15u], NULL, NULL, type,
                                  (int)(flags & 3u), attributes))
            return false;
    }
    return true;
}

/* ------------------------------------------------------------ the invariants */

/* What joins two forests: any trust, a two-way forest trust, a two-way
 * forest trust with selective authentication (as one of its objects says). */
#define LINK_ANY 1u
#define LINK_FOREST 2u
#define LINK_SELECTIVE 4u

/* A name no trust names. */
#define STRANGER "nowhere.invalid"

/* Everything one check needs: the domains, their forests worked out
 * independently of trust_graph.c, the graphs of the list as given, reordered,
 * and without the trusts that never carry Kerberos across forests. */
typedef struct ctx {
    const sa_trusts *trusts;
    sa_trusts reordered, kerberos_only; /* shallow copies */
    sa_trust_graph *g, *g_reordered, *g_kerberos_only;
    sa_strv names;
    size_t *dom, *par;      /* per trust: the indices of its names */
    size_t *forest;         /* per name: the lowest index of a name of its forest */
    unsigned *links;        /* per pair of names: LINK_* of the trusts between their forests */
    sa_verdict_kind *kinds; /* per agent * n + server */
    bool same_text;
    char *msg;
    size_t size;
} ctx;

static bool fail(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool
fail(ctx *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->msg, c->size, fmt, ap);
    va_end(ap);
    return false;
}

static size_t
index_of(const ctx *c, const char *name)
{
    for (size_t i = 0; i < c->names.n; i++) {
        if (strcasecmp(c->names.items[i], name) == 0)
            return i;
    }
    return c->names.n;
}

static bool
within_forest(const sa_trust *t)
{
    sa_trust_kind k = sa_trust_classify(t);

    return k == SA_TK_PARENT_CHILD || k == SA_TK_TREE_ROOT;
}

/* The forests the slow way: every name takes the lowest label of its
 * within-forest neighbours until nothing changes. */
static void
slow_forests(ctx *c)
{
    bool changed = true;

    for (size_t i = 0; i < c->names.n; i++)
        c->forest[i] = i;
    for (size_t i = 0; i < c->trusts->n; i++) {
        c->dom[i] = index_of(c, c->trusts->items[i].domain);
        c->par[i] = index_of(c, c->trusts->items[i].partner);
    }
    while (changed) {
        changed = false;
        for (size_t i = 0; i < c->trusts->n; i++) {
            size_t a = c->dom[i], b = c->par[i];
            size_t low = c->forest[a] < c->forest[b] ? c->forest[a] : c->forest[b];
            if (!within_forest(&c->trusts->items[i]) || (c->forest[a] == low && c->forest[b] == low))
                continue;
            c->forest[a] = c->forest[b] = low;
            changed = true;
        }
    }
}

/* What each trust straight between two forests gives, both ways. */
static void
forest_links(ctx *c)
{
    size_t n = c->names.n;

    for (size_t i = 0; i < c->trusts->n; i++) {
        const sa_trust *t = &c->trusts->items[i];
        size_t x = c->forest[c->dom[i]], y = c->forest[c->par[i]];
        unsigned link = LINK_ANY;
        if (sa_trust_classify(t) == SA_TK_FOREST && t->direction == SA_TRUST_DIR_BOTH)
            link |= LINK_FOREST | ((t->attributes & SA_TRUST_CROSS_ORGANIZATION) ? LINK_SELECTIVE : 0);
        c->links[x * n + y] |= link;
        c->links[y * n + x] |= link;
    }
}

/* The list reversed (seed 0) or shuffled with seed; and the list without
 * external, realm, NT4-style and other trusts. */
static bool
derived_lists(ctx *c, unsigned seed)
{
    size_t n = c->trusts->n;
    uint32_t x = seed;

    c->reordered.items = calloc(n + 1, sizeof(sa_trust));
    c->kerberos_only.items = calloc(n + 1, sizeof(sa_trust));
    if (c->reordered.items == NULL || c->kerberos_only.items == NULL)
        return fail(c, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const sa_trust *t = &c->trusts->items[i];
        c->reordered.items[i] = c->trusts->items[n - 1 - i];
        if (within_forest(t) || sa_trust_classify(t) == SA_TK_FOREST)
            c->kerberos_only.items[c->kerberos_only.n++] = *t;
    }
    c->reordered.n = n;
    for (size_t i = n; seed != 0 && i > 1; i--) {
        sa_trust tmp;
        size_t k;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        k = x % i;
        tmp = c->reordered.items[i - 1];
        c->reordered.items[i - 1] = c->reordered.items[k];
        c->reordered.items[k] = tmp;
    }
    return true;
}

static bool
setup(ctx *c)
{
    size_t n;

    for (size_t i = 0; i < c->trusts->n; i++) {
        if (!sa_strv_add_unique_ci(&c->names, c->trusts->items[i].domain) ||
            !sa_strv_add_unique_ci(&c->names, c->trusts->items[i].partner))
            return fail(c, "out of memory");
    }
    if (!sa_strv_add_unique_ci(&c->names, STRANGER))
        return fail(c, "out of memory");
    n = c->names.n;
    c->dom = calloc(c->trusts->n + 1, sizeof(*c->dom));
    c->par = calloc(c->trusts->n + 1, sizeof(*c->par));
    c->forest = calloc(n, sizeof(*c->forest));
    c->links = calloc(n * n, sizeof(*c->links));
    c->kinds = calloc(n * n, sizeof(*c->kinds));
    if (c->dom == NULL || c->par == NULL || c->forest == NULL || c->links == NULL || c->kinds == NULL)
        return fail(c, "out of memory");
    slow_forests(c);
    forest_links(c);
    c->g = sa_trust_graph_new(c->trusts);
    c->g_reordered = sa_trust_graph_new(&c->reordered);
    c->g_kerberos_only = sa_trust_graph_new(&c->kerberos_only);
    if (c->g == NULL || c->g_reordered == NULL || c->g_kerberos_only == NULL)
        return fail(c, "out of memory");
    return true;
}

static void
teardown(ctx *c)
{
    sa_trust_graph_free(c->g);
    sa_trust_graph_free(c->g_reordered);
    sa_trust_graph_free(c->g_kerberos_only);
    free(c->reordered.items);
    free(c->kerberos_only.items);
    sa_strv_clear(&c->names);
    free(c->dom);
    free(c->par);
    free(c->forest);
    free(c->links);
    free(c->kinds);
}

static bool
has_event(const sa_verdict *v, int id)
{
    for (size_t i = 0; i < v->n_events; i++) {
        if (v->events[i] == id)
            return true;
    }
    return false;
}

/* (a), (c) for one verdict v of agent a and server s (from any of the
 * graphs: each list has the same forests). */
static bool
check_one(ctx *c, size_t a, size_t s, const sa_verdict *v)
{
    const char *an = c->names.items[a], *sn = c->names.items[s];
    const char *kn = sa_verdict_kind_name(v->kind);
    unsigned link = c->links[c->forest[a] * c->names.n + c->forest[s]];

    if (c->forest[a] == c->forest[s]) {
        if (v->kind != SA_VERDICT_KERBEROS || v->n_events != 0)
            return fail(c, "(a) %s -> %s, the same forest: %s (%s)", an, sn, kn, v->why);
        return true;
    }
    if (v->kind == SA_VERDICT_KERBEROS && !(link & LINK_FOREST))
        return fail(c, "(c) %s -> %s: kerberos with no two-way forest trust between the forests", an, sn);
    if (v->kind == SA_VERDICT_SELECTIVE && !(link & LINK_SELECTIVE))
        return fail(c, "(c) %s -> %s: selective with no selective forest trust between the forests", an, sn);
    if (!(link & LINK_ANY) &&
        (v->kind != SA_VERDICT_CERTIFICATES || !has_event(v, 21007) || !has_event(v, 21008)))
        return fail(c, "(c) %s -> %s: no trust between the forests, yet %s", an, sn, kn);
    return true;
}

static bool
same_events(const sa_verdict *x, const sa_verdict *y)
{
    return x->n_events == y->n_events &&
           memcmp(x->events, y->events, x->n_events * sizeof(x->events[0])) == 0;
}

/* One agent and server: the verdict on each graph, (a), (b), (c).  Within
 * one forest (a) alone says what every list's verdict is (Kerberos, no
 * events), so unless the texts are compared too, only the list as given is
 * judged there: the reordered and Kerberos-only lists would add nothing
 * but (a) on two more lists (which are inputs of their own), at twice the
 * cost. */
static bool
check_pair(ctx *c, size_t a, size_t s)
{
    const char *an = c->names.items[a], *sn = c->names.items[s];
    sa_verdict v = {0}, r = {0}, k = {0};
    sa_error err = {SA_OK, ""};
    bool derived = c->same_text || c->forest[a] != c->forest[s], ok = false;

    if (sa_trust_graph_verdict(c->g, an, sn, &v, &err) != SA_OK ||
        (derived && (sa_trust_graph_verdict(c->g_reordered, an, sn, &r, &err) != SA_OK ||
                     sa_trust_graph_verdict(c->g_kerberos_only, an, sn, &k, &err) != SA_OK))) {
        fail(c, "%s while judging %s -> %s", err.message, an, sn);
        goto cleanup;
    }
    c->kinds[a * c->names.n + s] = v.kind;
    if (!check_one(c, a, s, &v))
        goto cleanup;
    if (!derived) {
        ok = true;
        goto cleanup;
    }
    if (!check_one(c, a, s, &r) || !check_one(c, a, s, &k))
        goto cleanup;
    if (v.kind != r.kind || !same_events(&v, &r) ||
        (c->same_text && (strcmp(v.path, r.path) != 0 || strcmp(v.why, r.why) != 0))) {
        fail(c, "(b) %s -> %s: %s \"%s\" (%s), reordered %s \"%s\" (%s)", an, sn,
             sa_verdict_kind_name(v.kind), v.path, v.why, sa_verdict_kind_name(r.kind), r.path, r.why);
        goto cleanup;
    }
    if (v.kind != k.kind) {
        fail(c, "(c) %s -> %s: %s, %s without external, realm and NT4-style trusts", an, sn,
             sa_verdict_kind_name(v.kind), sa_verdict_kind_name(k.kind));
        goto cleanup;
    }
    ok = true;
cleanup:
    sa_verdict_clear(&v);
    sa_verdict_clear(&r);
    sa_verdict_clear(&k);
    return ok;
}

/* (c) the same kind both ways, and for any domains of the same forests. */
static bool
check_forests(ctx *c)
{
    size_t n = c->names.n;

    for (size_t a = 0; a < n; a++) {
        for (size_t s = 0; s < n; s++) {
            sa_verdict_kind kind = c->kinds[a * n + s];
            if (kind != c->kinds[s * n + a])
                return fail(c, "(c) %s -> %s: %s, the other way %s", c->names.items[a], c->names.items[s],
                            sa_verdict_kind_name(kind), sa_verdict_kind_name(c->kinds[s * n + a]));
            if (kind != c->kinds[c->forest[a] * n + c->forest[s]])
                return fail(c, "(c) %s -> %s: %s, but %s -> %s of the same forests: %s", c->names.items[a],
                            c->names.items[s], sa_verdict_kind_name(kind), c->names.items[c->forest[a]],
                            c->names.items[c->forest[s]],
                            sa_verdict_kind_name(c->kinds[c->forest[a] * n + c->forest[s]]));
        }
    }
    return true;
}

bool
tc_check(const sa_trusts *trusts, unsigned shuffle, bool same_text, char *msg, size_t size)
{
    ctx c;
    bool ok;

    memset(&c, 0, sizeof(c));
    c.trusts = trusts;
    c.same_text = same_text;
    c.msg = msg;
    c.size = size;
    ok = derived_lists(&c, shuffle) && setup(&c);
    for (size_t a = 0; ok && a < c.names.n; a++) {
        for (size_t s = 0; ok && s < c.names.n; s++)
            ok = check_pair(&c, a, s);
    }
    ok = ok && check_forests(&c);
    teardown(&c);
    return ok;
}
