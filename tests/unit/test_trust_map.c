/* Unit tests for the trust map (trust_map.h) on hand-made trusts runs: the
 * DOT is read back with libcgraph and its nodes, clusters and edges
 * checked; the SVG drawn by Graphviz's dot checked for what an HTML page
 * takes inline; the bounds and dot's failures. */
#include <check.h>
#include <graphviz/cgraph.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "fuzz/trust_check.h"
#include "fuzz/trustmap_check.h"
#include "spnaudit/display.h"
#include "spnaudit/strv.h"
#include "spnaudit/trust_map.h"
#include "text_lines.h"

#define HOME "contoso.test"
/* a quote, a backslash before a newline, markup and a comment's end */
#define HOSTILE "evil\"\\\n<b>-->x.test"

static sa_trust_run run;
static char *dot, *svg;
static Agraph_t *g;

static void
setup(void)
{
    memset(&run, 0, sizeof(run));
    dot = svg = NULL;
    g = NULL;
    ck_assert_ptr_nonnull(run.home = strdup(HOME));
    ck_assert_ptr_nonnull(run.uri = strdup("ldap://dc1." HOME));
}

static void
teardown(void)
{
    if (g != NULL)
        agclose(g);
    free(dot);
    free(svg);
    sa_trust_run_clear(&run);
}

static void
trust(const char *domain, const char *partner, int type, int direction, unsigned attributes)
{
    ck_assert(sa_trusts_add_values(&run.trusts, domain, partner, NULL, NULL, type, direction, attributes));
}

/* Rows for agents, judged by the trust graph (as sa_trust_audit does);
 * their row indices follow agents' order. */
static void
judge(const char *const *agents, size_t n)
{
    sa_error err = {SA_OK, ""};

    for (size_t i = 0; i < n; i++)
        ck_assert(sa_strv_add(&run.agents, agents[i]));
    ck_assert_ptr_nonnull(run.rows = calloc(n, sizeof(*run.rows)));
    for (size_t i = 0; i < n; i++) {
        run.rows[i].agent = run.agents.items[i];
        run.rows[i].tgt = run.rows[i].service = -1;
        ck_assert_int_eq(sa_trust_verdict(&run.trusts, run.agents.items[i], HOME, &run.rows[i].v, &err),
                         SA_OK);
        run.n_rows++;
    }
}

/* The forests of the examples: contoso.test (home) and its child; a
 * two-way forest trust to fabrikam.test (both sides read); selective ones
 * to tailspin.test (its agents not allowed) and litware.test (not checked,
 * its trusts not read); a one-way external trust to wingtip.test; a realm
 * trust from EXAMPLE.ORG. */
static void
example(void)
{
    static const char *const agents[] = {"child." HOME,  "fabrikam.test", "tailspin.test",
                                         "litware.test", "wingtip.test",  "EXAMPLE.ORG"};
    trust(HOME, "child." HOME, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_WITHIN_FOREST);
    trust(HOME, "fabrikam.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_FOREST_TRANSITIVE);
    trust(HOME, "tailspin.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_CROSS_ORGANIZATION);
    trust(HOME, "litware.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_CROSS_ORGANIZATION);
    trust(HOME, "wingtip.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_OUTBOUND, 0);
    trust(HOME, "EXAMPLE.ORG", SA_TRUST_TYPE_MIT, SA_TRUST_DIR_INBOUND, 0);
    run.n_home = run.trusts.n;
    trust("child." HOME, HOME, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_WITHIN_FOREST);
    trust("fabrikam.test", HOME, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_FOREST_TRANSITIVE);
    ck_assert(sa_strv_add(&run.unread, "litware.test"));
    ck_assert(sa_strv_add(&run.not_read, "Can't contact LDAP server"));
    judge(agents, sizeof(agents) / sizeof(agents[0]));
    /* the servers' DACLs did not grant tailspin's agents */
    ck_assert_int_eq(run.rows[2].v.kind, SA_VERDICT_SELECTIVE);
    run.rows[2].v.kind = SA_VERDICT_NOT_ALLOWED;
}

static void
read_back(void)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(sa_trust_map_dot(&run, &dot, &err), SA_OK);
    ck_assert_ptr_nonnull(g = agmemread(dot));
}

static Agnode_t *
node_labelled(const char *label)
{
    Agnode_t *found = NULL;

    for (Agnode_t *n = agfstnode(g); n != NULL; n = agnxtnode(g, n)) {
        if (strcmp(agget(n, "label"), label) == 0) {
            ck_assert_msg(found == NULL, "two nodes labelled %s", label);
            found = n;
        }
    }
    ck_assert_msg(found != NULL, "no node labelled %.200s", label);
    return found;
}

/* The one edge between the nodes so labelled, either way. */
static Agedge_t *
edge_between(const char *a, const char *b)
{
    Agnode_t *x = node_labelled(a), *y = node_labelled(b);
    Agedge_t *e = agedge(g, x, y, NULL, 0);

    if (e == NULL)
        e = agedge(g, y, x, NULL, 0);
    ck_assert_msg(e != NULL, "no edge between %s and %s", a, b);
    return e;
}

/* The cluster holding n (its label), or NULL. */
static const char *
cluster_of(Agnode_t *n)
{
    for (Agraph_t *s = agfstsubg(g); s != NULL; s = agnxtsubg(s)) {
        if (strncmp(agnameof(s), "cluster_", 8) == 0 && agsubnode(s, n, 0) != NULL)
            return agget(s, "label");
    }
    return NULL;
}

static void
assert_edge(Agedge_t *e, const char *tail, const char *dir, const char *color, const char *style)
{
    ck_assert_str_eq(agget(agtail(e), "label"), tail);
    ck_assert_str_eq(agget(e, "dir"), dir);
    ck_assert_str_eq(agget(e, "color"), color);
    ck_assert_str_eq(agget(e, "style"), style);
}

#define GREEN "#1a7f37"
#define ORANGE "#c2570c"
#define RED "#b42318"
#define GREY "#8c8c8c"

START_TEST(one_node_per_domain_marked_and_clustered)
{
    Agnode_t *home, *child;
    int clusters = 0;

    example();
    read_back();
    ck_assert_int_eq(agnnodes(g), 7);
    home = node_labelled(HOME "\\nmanagement servers");
    ck_assert_str_eq(agget(home, "peripheries"), "2");
    ck_assert_ptr_nonnull(strstr(agget(home, "style"), "bold"));
    ck_assert_str_eq(agnameof(home), "n1"); /* synthetic names, the domain only in the label */
    child = node_labelled("child." HOME "\\nagents: Kerberos");
    ck_assert_str_eq(agget(child, "color"), GREEN);
    ck_assert_str_eq(cluster_of(home), "forest " HOME);
    ck_assert_str_eq(cluster_of(child), "forest " HOME);
    ck_assert_str_eq(cluster_of(node_labelled("fabrikam.test\\nagents: Kerberos")), "forest fabrikam.test");
    ck_assert_str_eq(cluster_of(node_labelled("EXAMPLE.ORG\\nagents: certificates needed")),
                     "forest EXAMPLE.ORG");
    /* litware's trusts were not read: dashed, and said */
    ck_assert_str_eq(agget(node_labelled("litware.test\\nagents: not checked (selective "
                                         "authentication)\\ntrusts not read"),
                           "style"),
                     "rounded,dashed");
    ck_assert_str_eq(agget(node_labelled("tailspin.test\\nagents: not allowed to authenticate"), "color"),
                     RED);
    for (Agraph_t *s = agfstsubg(g); s != NULL; s = agnxtsubg(s))
        clusters++;
    ck_assert_int_eq(clusters, 6); /* contoso (2 domains) and the five single-domain forests */
    ck_assert_ptr_nonnull(strstr(agget(g, "label"), "from the trusting domain to the trusted one"));
}
END_TEST

START_TEST(edges_by_direction_and_verdict)
{
    example();
    read_back();
    /* both objects of a trust make one edge */
    ck_assert_int_eq(agnedges(g), 6);
    assert_edge(edge_between(HOME "\\nmanagement servers", "child." HOME "\\nagents: Kerberos"),
                HOME "\\nmanagement servers", "both", GREEN, "solid");
    assert_edge(edge_between(HOME "\\nmanagement servers", "fabrikam.test\\nagents: Kerberos"),
                HOME "\\nmanagement servers", "both", GREEN, "solid");
    assert_edge(
        edge_between(HOME "\\nmanagement servers", "tailspin.test\\nagents: not allowed to authenticate"),
        HOME "\\nmanagement servers", "both", RED, "bold");
    /* selective, not settled: grey and dashed, never a failure */
    assert_edge(edge_between(HOME "\\nmanagement servers", "litware.test\\nagents: not checked (selective "
                                                           "authentication)\\ntrusts not read"),
                HOME "\\nmanagement servers", "both", GREY, "dashed");
    /* contoso trusts wingtip: the arrow from contoso to wingtip */
    assert_edge(edge_between(HOME "\\nmanagement servers", "wingtip.test\\nagents: certificates needed"),
                HOME "\\nmanagement servers", "forward", ORANGE, "solid");
    /* EXAMPLE.ORG trusts contoso (inbound): the arrow from EXAMPLE.ORG */
    assert_edge(edge_between(HOME "\\nmanagement servers", "EXAMPLE.ORG\\nagents: certificates needed"),
                HOME "\\nmanagement servers", "back", ORANGE, "solid");
    ck_assert_str_eq(
        agget(edge_between(HOME "\\nmanagement servers", "wingtip.test\\nagents: certificates needed"),
              "label"),
        "external, one-way\\ncertificates needed");
    ck_assert_str_eq(agget(edge_between(HOME "\\nmanagement servers",
                                        "tailspin.test\\nagents: not allowed to authenticate"),
                           "label"),
                     "forest, two-way, selective\\nnot allowed to authenticate");
}
END_TEST

/* The same run, the same text: the clusters (which steer the layout) in
 * the order of their domains, not of addresses in memory. */
START_TEST(same_map_every_time)
{
    sa_error err = {SA_OK, ""};
    char *again = NULL;
    const char *at = NULL;

    example();
    ck_assert_int_eq(sa_trust_map_dot(&run, &dot, &err), SA_OK);
    for (int k = 1; k <= 6; k++) {
        char name[32];
        const char *next;
        snprintf(name, sizeof(name), "subgraph cluster_%d ", k);
        ck_assert_msg((next = strstr(dot, name)) != NULL && next > at, "%s out of order", name);
        at = next;
    }
    ck_assert_int_eq(sa_trust_map_dot(&run, &again, &err), SA_OK);
    ck_assert_str_eq(again, dot);
    free(again);
}
END_TEST

/* Every backslash of s doubled (a Graphviz label's escaping). */
static char *
doubled(const char *s)
{
    char *out = calloc(2 * strlen(s) + 1, 1), *o = out;

    ck_assert_ptr_nonnull(out);
    for (; *s; s++) {
        if (*s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    return out;
}

START_TEST(hostile_name_stays_a_label)
{
    static const char *const agents[] = {HOSTILE};
    char *shown = sa_shown_dup(HOSTILE), *label_name = doubled(shown), *label;

    trust(HOME, HOSTILE, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, 0);
    run.n_home = 1;
    judge(agents, 1);
    read_back();
    ck_assert_int_eq(agnnodes(g), 2);
    ck_assert_int_eq(agnedges(g), 1);
    ck_assert_ptr_nonnull(label = sa_strdup_printf("%s\\nagents: certificates needed", label_name));
    /* the escaped form: the newline shown as \x0a, the backslash before it doubled */
    ck_assert_str_eq(shown, "evil\"\\\\\\x0a<b>-->x.test");
    ck_assert_str_eq(agget(node_labelled(label), "label"), label);
    free(label);
    free(label_name);
    free(shown);
}
END_TEST

START_TEST(svg_for_inline_use)
{
    sa_error err = {SA_OK, ""};

    example();
    ck_assert_int_eq(sa_trust_map_svg(&run, &svg, &err), SA_OK);
    ck_assert_int_eq(strncmp(svg, "<svg", 4), 0);
    ck_assert_ptr_null(strstr(svg, "<?xml"));
    ck_assert_ptr_null(strstr(svg, "<!DOCTYPE"));
    ck_assert_ptr_null(strstr(svg, "<!--"));
    ck_assert_ptr_nonnull(strstr(svg, "</svg>"));
    ck_assert_uint_eq(count_of(svg, "class=\"node\""), 7);
    ck_assert_uint_eq(count_of(svg, "class=\"edge\""), 6);
    ck_assert_uint_eq(count_of(svg, "class=\"cluster\""), 6);
    ck_assert_ptr_nonnull(strstr(svg, "<title>n1</title>"));
    ck_assert_ptr_nonnull(strstr(svg, ">" HOME "</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">management servers</text>"));
}
END_TEST

START_TEST(svg_shows_the_hostile_name_as_text)
{
    static const char *const agents[] = {HOSTILE};
    sa_error err = {SA_OK, ""};

    trust(HOME, HOSTILE, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, 0);
    run.n_home = 1;
    judge(agents, 1);
    ck_assert_int_eq(sa_trust_map_svg(&run, &svg, &err), SA_OK);
    ck_assert_uint_eq(count_of(svg, "class=\"node\""), 2);
    ck_assert_uint_eq(count_of(svg, "class=\"edge\""), 1);
    /* the escaped name exactly, as XML text (Graphviz escapes " < > -) */
    ck_assert_msg(strstr(svg, ">evil&quot;\\\\\\x0a&lt;b&gt;&#45;&#45;&gt;x.test</text>") != NULL, "%.2000s",
                  svg);
    ck_assert_ptr_null(strstr(svg, "<b>"));
    ck_assert_ptr_null(strstr(svg, "-->"));
}
END_TEST

/* n domains: home and n - 1 external partners. */
static void
many(size_t n)
{
    for (size_t i = 1; i < n; i++) {
        char name[64];
        snprintf(name, sizeof(name), "d%zu.test", i);
        trust(HOME, name, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, 0);
    }
    run.n_home = run.trusts.n;
}

START_TEST(too_many_domains_not_drawn)
{
    sa_error err = {SA_OK, ""};

    many(SA_TRUST_MAP_MAX_DOMAINS + 1);
    ck_assert_int_eq(sa_trust_map_dot(&run, &dot, &err), SA_ERR_INCOMPLETE);
    ck_assert_ptr_null(dot);
    ck_assert_ptr_nonnull(strstr(err.message, "301 domains, more than the 300"));
    ck_assert_int_eq(sa_trust_map_svg(&run, &svg, &err), SA_ERR_INCOMPLETE);
    ck_assert_ptr_null(svg);
    ck_assert_ptr_nonnull(strstr(err.message, "not drawn"));
}
END_TEST

START_TEST(as_many_as_allowed_drawn)
{
    many(SA_TRUST_MAP_MAX_DOMAINS);
    read_back();
    ck_assert_int_eq(agnnodes(g), SA_TRUST_MAP_MAX_DOMAINS);
    ck_assert_int_eq(agnedges(g), SA_TRUST_MAP_MAX_DOMAINS - 1);
}
END_TEST

START_TEST(dot_missing_or_failing)
{
    sa_error err = {SA_OK, ""};
    char *path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    sa_status st;

    ck_assert_ptr_nonnull(path);
    setenv("PATH", "/nonexistent", 1);
    st = sa_dot_to_svg("digraph { a -> b }", &svg, &err);
    setenv("PATH", path, 1);
    free(path);
    ck_assert_int_eq(st, SA_ERR_SYSTEM);
    ck_assert_ptr_null(svg);
    ck_assert_str_eq(err.message, "the trust map is not drawn: Graphviz's dot program not found (install the "
                                  "graphviz package)");
    ck_assert_int_eq(sa_dot_to_svg("digraph { a -> ", &svg, &err), SA_ERR_SYSTEM);
    ck_assert_ptr_null(svg);
    ck_assert_msg(strstr(err.message, "Graphviz's dot exited with status 1: ") != NULL, "%s", err.message);
    ck_assert_msg(strstr(err.message, "while drawing the trust map") != NULL, "%s", err.message);
}
END_TEST

START_TEST(plan_map)
{
    sa_plan p;
    sa_strv ms = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};

    memset(&p, 0, sizeof(p));
    ck_assert(sa_strv_add(&ms, "ms1." HOME));
    p.ms = &ms;
    p.ms_domain = HOME;
    ck_assert(sa_trusts_add_values(&p.trusts, HOME, "fabrikam.test", NULL, NULL, SA_TRUST_TYPE_UPLEVEL,
                                   SA_TRUST_DIR_BOTH, 0));
    ck_assert_ptr_nonnull(p.rows = calloc(1, sizeof(*p.rows)));
    p.rows[0].agent = "fabrikam.test";
    p.rows[0].gateway = 0;
    ck_assert_int_eq(sa_trust_verdict(&p.trusts, "fabrikam.test", HOME, &p.rows[0].direct, &err), SA_OK);
    p.n_rows = 1;
    ck_assert_int_eq(sa_plan_map_dot(&p, &dot, &err), SA_OK);
    ck_assert_ptr_nonnull(g = agmemread(dot));
    ck_assert_int_eq(agnnodes(g), 2);
    ck_assert_str_eq(agget(node_labelled("fabrikam.test\\nagents: through a gateway"), "color"), ORANGE);
    ck_assert_str_eq(
        agget(edge_between(HOME "\\nmanagement servers", "fabrikam.test\\nagents: through a gateway"),
              "color"),
        ORANGE);
    ck_assert_int_eq(sa_plan_map_svg(&p, &svg, &err), SA_OK);
    ck_assert_uint_eq(count_of(svg, "class=\"node\""), 2);
    sa_plan_clear(&p);
    sa_strv_clear(&ms);
}
END_TEST

/* A plan's map: a domain it could not read is marked so (dashed, and
 * said), a gateway's domain is drawn though no trust read names it. */
START_TEST(plan_map_marks_unread_and_gateway_domains)
{
    sa_plan p;
    sa_strv ms = {NULL, 0, 0}, gws = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};

    memset(&p, 0, sizeof(p));
    ck_assert(sa_strv_add(&ms, "ms1." HOME) && sa_strv_add(&gws, "gw1.woodgrove.test"));
    p.ms = &ms;
    p.gateways = &gws;
    p.ms_domain = HOME;
    ck_assert(sa_trusts_add_values(&p.trusts, HOME, "adatum.test", NULL, NULL, SA_TRUST_TYPE_UPLEVEL,
                                   SA_TRUST_DIR_BOTH, SA_TRUST_FOREST_TRANSITIVE));
    ck_assert(sa_strv_add(&p.not_read, "adc1.adatum.test: Can't contact LDAP server"));
    ck_assert(sa_strv_add(&p.unread, "adatum.test"));
    ck_assert_int_eq(sa_plan_map_dot(&p, &dot, &err), SA_OK);
    ck_assert_ptr_nonnull(g = agmemread(dot));
    ck_assert_int_eq(agnnodes(g), 3);
    ck_assert_str_eq(agget(node_labelled("adatum.test\\ntrusts not read"), "style"), "rounded,dashed");
    ck_assert_ptr_nonnull(node_labelled("woodgrove.test"));
    sa_plan_clear(&p);
    sa_strv_clear(&ms);
    sa_strv_clear(&gws);
}
END_TEST

/* The map's invariants (trustmap_check.c) on random lists of trusts, one
 * domain named with random bytes. */
START_TEST(invariants_on_random_trusts)
{
    unsigned seed = 15;
    char msg[1024];

    for (unsigned round = 0; round < 400; round++) {
        uint8_t data[1 + 24 + 3 * 16];
        size_t size = 1 + (size_t)(rand_r(&seed) % (int)(sizeof(data) - 1));
        sa_trusts list = {NULL, 0, 0};
        for (size_t i = 0; i < size; i++)
            data[i] = (uint8_t)rand_r(&seed);
        data[0] %= 25;
        ck_assert(tmc_decode(data, size, &list));
        ck_assert_msg(tmc_check(&list, msg, sizeof(msg)), "round %u: %s", round, msg);
        sa_trusts_clear(&list);
    }
}
END_TEST

/* dot is stopped beyond its time or its SVG's size, and said so. */
START_TEST(dot_within_limits)
{
    sa_error err = {SA_OK, ""};
    char big[4096];

    ck_assert_int_eq(sa_dot_to_svg_within("digraph { a -> b }", 0, SA_SVG_MAX, &svg, &err), SA_ERR_SYSTEM);
    ck_assert_ptr_null(svg);
    ck_assert_str_eq(err.message, "the trust map is not drawn: Graphviz's dot took more than 0 seconds");
    memset(big, 'x', sizeof(big) - 32);
    strcpy(big + sizeof(big) - 32, "\"] }");
    memcpy(big, "digraph { a [label=\"", 20);
    ck_assert_int_eq(sa_dot_to_svg_within(big, 30, 1000, &svg, &err), SA_ERR_SYSTEM);
    ck_assert_ptr_null(svg);
    ck_assert_msg(strstr(err.message, "SVG is larger than 1000 bytes") != NULL, "%s", err.message);
    ck_assert_int_eq(sa_dot_to_svg_within(big, 30, SA_SVG_MAX, &svg, &err), SA_OK);
    ck_assert_uint_eq(count_of(svg, "class=\"node\""), 1);
}
END_TEST

static Suite *
trust_map_suite(void)
{
    Suite *s = suite_create("trust_map");
    TCase *tc = tcase_create("dot");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, one_node_per_domain_marked_and_clustered);
    tcase_add_test(tc, edges_by_direction_and_verdict);
    tcase_add_test(tc, hostile_name_stays_a_label);
    tcase_add_test(tc, same_map_every_time);
    tcase_add_test(tc, too_many_domains_not_drawn);
    tcase_add_test(tc, as_many_as_allowed_drawn);
    tcase_add_test(tc, plan_map);
    tcase_add_test(tc, plan_map_marks_unread_and_gateway_domains);
    tcase_add_test(tc, invariants_on_random_trusts);
    suite_add_tcase(s, tc);
    tc = tcase_create("svg");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, svg_for_inline_use);
    tcase_add_test(tc, svg_shows_the_hostile_name_as_text);
    tcase_add_test(tc, dot_missing_or_failing);
    tcase_add_test(tc, dot_within_limits);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return check_run(trust_map_suite());
}
