/* trustmap_check.c - the trust map's invariants on any list of trusts,
 * and the fuzz input format (see trustmap_check.h). */
#include <graphviz/cgraph.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/display.h"
#include "spnaudit/strv.h"
#include "spnaudit/trust_map.h"
#include "trust_check.h"
#include "trustmap_check.h"

static bool
rename_all(sa_trusts *t, const char *from, const char *to)
{
    for (size_t i = 0; i < t->n; i++) {
        char **ends[2] = {&t->items[i].domain, &t->items[i].partner};
        for (size_t k = 0; k < 2; k++) {
            char *copy;
            if (strcasecmp(*ends[k], from) != 0)
                continue;
            if ((copy = strdup(to)) == NULL)
                return false;
            free(*ends[k]);
            *ends[k] = copy;
        }
    }
    return true;
}

bool
tmc_decode(const uint8_t *data, size_t size, sa_trusts *out)
{
    size_t len;
    char *name = NULL, *from = NULL;
    bool ok;

    if (size == 0)
        return true;
    len = data[0] < size - 1 ? data[0] : size - 1;
    if (!tc_decode(data + 1 + len, size - 1 - len, out))
        return false;
    if (len == 0 || out->n == 0)
        return true;
    name = sa_text_from_bytes(data + 1, len);
    from = strdup(out->items[0].partner);
    ok = name != NULL && from != NULL && rename_all(out, from, name);
    free(name);
    free(from);
    return ok;
}

/* ------------------------------------------------------------ the run */

static const char *
home_of(const sa_trusts *trusts)
{
    return trusts->n > 0 ? trusts->items[0].domain : "home.invalid";
}

/* Every domain the trusts name (and the home), once, case aside. */
static bool
domains_of(const sa_trusts *trusts, sa_strv *out)
{
    if (!sa_strv_add(out, home_of(trusts)))
        return false;
    for (size_t i = 0; i < trusts->n; i++) {
        if (!sa_strv_add_unique_ci(out, trusts->items[i].domain) ||
            !sa_strv_add_unique_ci(out, trusts->items[i].partner))
            return false;
    }
    return true;
}

/* A trusts run as sa_trust_audit would leave it: every domain judged. */
static bool
run_of(const sa_trusts *trusts, const sa_strv *domains, sa_trust_run *run)
{
    sa_trust_graph *g;
    sa_error err = {SA_OK, ""};
    bool ok = true;

    memset(run, 0, sizeof(*run));
    run->home = strdup(home_of(trusts));
    run->uri = strdup("ldap://dc.invalid");
    for (size_t i = 0; ok && i < trusts->n; i++) {
        const sa_trust *t = &trusts->items[i];
        ok = sa_trusts_add_values(&run->trusts, t->domain, t->partner, NULL, NULL, t->type, t->direction,
                                  t->attributes);
    }
    if (!ok || run->home == NULL || run->uri == NULL || !sa_strv_add_all(&run->agents, domains, 0, false) ||
        (run->rows = calloc(domains->n + 1, sizeof(*run->rows))) == NULL ||
        (g = sa_trust_graph_new(&run->trusts)) == NULL)
        return false;
    for (size_t i = 0; ok && i < domains->n; i++) {
        run->rows[i].agent = run->agents.items[i];
        run->rows[i].tgt = run->rows[i].service = -1;
        ok = sa_trust_graph_verdict(g, run->agents.items[i], run->home, &run->rows[i].v, &err) == SA_OK;
        run->n_rows += ok;
    }
    sa_trust_graph_free(g);
    return ok;
}

/* ------------------------------------------------------------ the invariants */

static bool
fail(char *msg, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return false;
}

/* name's label as the map writes it: shown escaped, each backslash doubled. */
static char *
label_of(const char *name)
{
    char *shown = sa_shown_dup(name), *out = shown ? calloc(2 * strlen(shown) + 1, 1) : NULL, *o = out;

    for (const char *s = shown; out != NULL && *s; s++) {
        if (*s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    free(shown);
    return out;
}

/* (a): one node labelled name (its label, or its label and "\n..."). */
static bool
one_node(Agraph_t *g, const char *name, char *msg, size_t size)
{
    char *want = label_of(name);
    size_t len = want ? strlen(want) : 0, found = 0;

    if (want == NULL)
        return fail(msg, size, "out of memory");
    for (Agnode_t *n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
        const char *label = agget(n, "label");
        found +=
            strncasecmp(label, want, len) == 0 && (label[len] == '\0' || strncmp(label + len, "\\n", 2) == 0);
    }
    if (found != 1)
        fail(msg, size, "%zu nodes labelled %s", found, want);
    free(want);
    return found == 1;
}

/* The trusts counted as the map merges them: each pair of domains (either
 * way, case aside) and kind once. */
static size_t
trusts_merged(const sa_trusts *t)
{
    size_t n = 0;

    for (size_t i = 0; i < t->n; i++) {
        const sa_trust *x = &t->items[i];
        bool first = true;
        for (size_t k = 0; k < i && first; k++) {
            const sa_trust *y = &t->items[k];
            first = !(sa_trust_classify(x) == sa_trust_classify(y) &&
                      ((strcasecmp(x->domain, y->domain) == 0 && strcasecmp(x->partner, y->partner) == 0) ||
                       (strcasecmp(x->domain, y->partner) == 0 && strcasecmp(x->partner, y->domain) == 0)));
        }
        n += first;
    }
    return n;
}

/* (b): each edge's colour and direction. */
static bool
edges_drawn(Agraph_t *g, char *msg, size_t size)
{
    static const char *const colors[] = {"#1a7f37", "#c2570c", "#b42318", "#8c8c8c"};
    static const char *const dirs[] = {"both", "forward", "back", "none"};

    for (Agnode_t *n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
        for (Agedge_t *e = agfstout(g, n); e != NULL; e = agnxtout(g, e)) {
            bool color = false, dir = false;
            for (size_t k = 0; k < 4; k++) {
                color = color || strcmp(agget(e, "color"), colors[k]) == 0;
                dir = dir || strcmp(agget(e, "dir"), dirs[k]) == 0;
            }
            if (!color || !dir)
                return fail(msg, size, "an edge coloured %s, direction %s", agget(e, "color"),
                            agget(e, "dir"));
        }
    }
    return true;
}

/* (c) */
static bool
clean_text(const char *dot, char *msg, size_t size)
{
    const unsigned char *s = (const unsigned char *)dot;
    size_t n = strlen(dot);

    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = sa_utf8_seq(s + i, n - i, &cp);
        if (len == 0 || (cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7f)
            return fail(msg, size, "byte 0x%02x at %zu of the DOT", s[i], i);
        i += len;
    }
    return true;
}

static bool
map_checked(const sa_trusts *trusts, const sa_strv *domains, const char *dot, char *msg, size_t size)
{
    Agraph_t *g = agmemread(dot);
    bool ok = g != NULL || fail(msg, size, "libcgraph cannot read the map back");

    if (ok && agnnodes(g) != (int)domains->n)
        ok = fail(msg, size, "%d nodes for %zu domains", agnnodes(g), domains->n);
    for (size_t i = 0; ok && i < domains->n; i++)
        ok = one_node(g, domains->items[i], msg, size);
    if (ok && agnedges(g) != (int)trusts_merged(trusts))
        ok = fail(msg, size, "%d edges for %zu trusts", agnedges(g), trusts_merged(trusts));
    ok = ok && edges_drawn(g, msg, size) && clean_text(dot, msg, size);
    if (g != NULL)
        agclose(g);
    return ok;
}

bool
tmc_check(const sa_trusts *trusts, char *msg, size_t size)
{
    sa_strv domains = {NULL, 0, 0};
    sa_trust_run run;
    sa_error err = {SA_OK, ""};
    char *dot = NULL;
    bool ok;

    memset(&run, 0, sizeof(run));
    if (!domains_of(trusts, &domains) || !run_of(trusts, &domains, &run))
        ok = fail(msg, size, "out of memory");
    else if (sa_trust_map_dot(&run, &dot, &err) != SA_OK)
        ok = fail(msg, size, "no map: %s", err.message);
    else
        ok = map_checked(trusts, &domains, dot, msg, size);
    free(dot);
    sa_trust_run_clear(&run);
    sa_strv_clear(&domains);
    return ok;
}
