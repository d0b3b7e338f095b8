/* test_html.c - the HTML reports (audit, trusts, plan) and the trust map's
 * sanitiser, read back with libxml2's HTML parser: values from outside
 * are text, never markup; one overview row per server; the fix lines; the
 * "not checked" wording; the map or its placeholder. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "formats_fixture.h"
#include "spnaudit/display.h"
#include "spnaudit/report_html.h"

#define HOSTILE "<script>alert(1)</script>\"&'\x01<img src=x onerror=alert(2)>"

/* ------------------------------------------------------------ reading back */

static htmlDocPtr
parse(const char *text)
{
    htmlDocPtr doc = htmlReadMemory(text, (int)strlen(text), NULL, "UTF-8",
                                    HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);

    ck_assert_ptr_nonnull(doc);
    return doc;
}

static bool
has_class(xmlNodePtr n, const char *cls)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)"class");
    bool yes = false;

    for (char *tok = v ? strtok((char *)v, " ") : NULL; tok != NULL && !yes; tok = strtok(NULL, " "))
        yes = strcmp(tok, cls) == 0;
    xmlFree(v);
    return yes;
}

/* The elements named name (and of class cls, when not NULL) under n, in
 * document order, into out (at most max); how many there are. */
static size_t
find(xmlNodePtr n, const char *name, const char *cls, xmlNodePtr *out, size_t max, size_t found)
{
    for (xmlNodePtr c = n ? n->children : NULL; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, name) == 0 && (cls == NULL || has_class(c, cls))) {
            if (found < max)
                out[found] = c;
            found++;
        }
        found = find(c, name, cls, out, max, found);
    }
    return found;
}

static size_t
count(htmlDocPtr doc, const char *name, const char *cls)
{
    return find((xmlNodePtr)doc, name, cls, NULL, 0, 0);
}

/* The first such element (asserted to be there). */
static xmlNodePtr
first(htmlDocPtr doc, const char *name, const char *cls)
{
    xmlNodePtr n = NULL;

    ck_assert_msg(find((xmlNodePtr)doc, name, cls, &n, 1, 0) > 0, "no <%s class=%s>", name, cls ? cls : "");
    return n;
}

/* An element's text, to free. */
static char *
text_of(xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *s = strdup(t ? (const char *)t : "");

    xmlFree(t);
    return s;
}

/* No attribute anywhere that runs (on*) or links (href, src). */
static void
assert_inert(xmlNodePtr n)
{
    for (xmlNodePtr c = n ? n->children : NULL; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        ck_assert_msg(strcasecmp((const char *)c->name, "script") != 0 &&
                          strcasecmp((const char *)c->name, "img") != 0 &&
                          strcasecmp((const char *)c->name, "foreignObject") != 0 &&
                          strcasecmp((const char *)c->name, "link") != 0,
                      "<%s> in the page", c->name);
        for (xmlAttrPtr a = c->properties; a != NULL; a = a->next) {
            ck_assert_msg(strncasecmp((const char *)a->name, "on", 2) != 0, "%s= on <%s>", a->name, c->name);
            ck_assert_msg(strcasecmp((const char *)a->name, "href") != 0 &&
                              strcasecmp((const char *)a->name, "src") != 0,
                          "%s= on <%s>", a->name, c->name);
        }
        assert_inert(c);
    }
}

static char *
render_html(const sa_report *r)
{
    return render(sa_report_html, r);
}

/* ------------------------------------------------------------ audit */

START_TEST(page_is_one_self_contained_document)
{
    json_fixture j;
    char *text;
    htmlDocPtr doc;

    json_fixture_make(&j);
    text = render_html(&j.x.r);
    ck_assert_msg(strncmp(text, "<!DOCTYPE html>\n", 16) == 0, "starts: %.40s", text);
    ck_assert_ptr_nonnull(strstr(text, "<meta charset=\"utf-8\">"));
    ck_assert_ptr_null(strstr(text, "<script"));
    ck_assert_ptr_null(strstr(text, "http://"));
    ck_assert_ptr_null(strstr(text, "https://"));
    ck_assert_ptr_null(strstr(text, "@import"));
    ck_assert_ptr_nonnull(strstr(text, "@media print"));
    doc = parse(text);
    ck_assert_uint_eq(count(doc, "style", NULL), 1);
    ck_assert_uint_eq(count(doc, "link", NULL), 0);
    assert_inert((xmlNodePtr)doc);
    xmlFreeDoc(doc);
    free(text);
    json_fixture_clear(&j);
}
END_TEST

START_TEST(hostile_values_render_as_text)
{
    json_fixture j;
    sa_finding *f;
    char *text, *shown = sa_shown_dup(HOSTILE), *got;
    htmlDocPtr doc;
    xmlNodePtr cells[8];

    json_fixture_make(&j);
    j.x.server.fqdn = HOSTILE;
    f = add(&j.x.findings, SA_F_SPN_DUPLICATE, "MSOMHSvc/" HOSTILE, HOSTILE);
    ck_assert(sa_finding_message(f, "held by %s", HOSTILE));
    ck_assert(sa_finding_evidence(f, "%s", HOSTILE));
    text = render_html(&j.x.r);
    doc = parse(text);
    assert_inert((xmlNodePtr)doc);
    /* the overview's first cell is the name as shown: the escaper's text */
    ck_assert_uint_ge(find(first(doc, "table", "overview"), "td", NULL, cells, 8, 0), 1);
    got = text_of(cells[0]);
    ck_assert_str_eq(got, shown);
    ck_assert_ptr_nonnull(strstr(shown, "\\x01")); /* the control character made visible */
    free(got);
    got = text_of(first(doc, "p", "evidence"));
    ck_assert_str_eq(got + strlen("evidence: "), shown);
    free(got);
    xmlFreeDoc(doc);
    free(text);
    free(shown);
    json_fixture_clear(&j);
}
END_TEST

START_TEST(overview_has_one_row_per_server)
{
    fleet fl;
    char *text, *verdict;
    htmlDocPtr doc;
    xmlNodePtr rows[FLEET_MAX + 1], cells[8];

    fleet_make(&fl, 7);
    text = render_html(&fl.x.r);
    doc = parse(text);
    ck_assert_uint_eq(find(first(doc, "table", "overview"), "tr", "server", rows, FLEET_MAX + 1, 0), 7);
    ck_assert_uint_eq(count(doc, "section", "server"), 7 + 1); /* and the other accounts */
    /* worst first: ms01 has a duplicate (a failure), 3 tickets (2 SPNs) */
    ck_assert_uint_eq(find(rows[0], "td", NULL, cells, 8, 0), 6);
    verdict = text_of(cells[2]);
    ck_assert_str_eq(verdict, "FAILURE");
    ck_assert(has_class(cells[2], "failure"));
    free(verdict);
    verdict = text_of(cells[4]);
    ck_assert_str_eq(verdict, "1 obtained, 1 failed");
    free(verdict);
    xmlFreeDoc(doc);
    free(text);
    fleet_clear(&fl);
}
END_TEST

START_TEST(fix_lines_for_the_shell)
{
    json_fixture j;
    char *text, *got;
    htmlDocPtr doc;

    json_fixture_make(&j);
    text = render_html(&j.x.r);
    doc = parse(text);
    got = text_of(first(doc, "pre", "fix-lines"));
    ck_assert_str_eq(got, "setspn -S MSOMHSvc/ms01 ms01\nsetspn -S MSOMHSvc/ms01.contoso.test \"it's\"");
    free(got);
    got = text_of(first(doc, "p", "steps"));
    ck_assert_str_eq(got, "then restart");
    free(got);
    xmlFreeDoc(doc);
    free(text);

    j.x.r.fix_shell = SA_SHELL_POWERSHELL;
    text = render_html(&j.x.r);
    doc = parse(text);
    got = text_of(first(doc, "pre", "fix-lines"));
    ck_assert_str_eq(got, "setspn -S 'MSOMHSvc/ms01' 'ms01'\nsetspn -S 'MSOMHSvc/ms01.contoso.test' 'it''s'");
    free(got);
    ck_assert_ptr_nonnull(strstr(text, "fix (PowerShell):"));
    xmlFreeDoc(doc);
    free(text);
    json_fixture_clear(&j);
}
END_TEST

START_TEST(not_checked_is_neither_failure_nor_clean)
{
    fleet fl;
    char *text, *got;
    htmlDocPtr doc;
    xmlNodePtr rows[8], cells[8];
    size_t n;

    fleet_make(&fl, 4); /* ms04 not judged */
    text = render_html(&fl.x.r);
    doc = parse(text);
    n = find(first(doc, "table", "overview"), "tr", "server", rows, 8, 0);
    ck_assert_uint_eq(n, 4);
    for (size_t i = 0; i < n; i++) {
        char *name;
        find(rows[i], "td", NULL, cells, 8, 0);
        name = text_of(cells[0]);
        got = text_of(cells[2]);
        if (strcmp(name, "ms04.contoso.test") == 0) {
            ck_assert_str_eq(got, "not checked");
            ck_assert(has_class(cells[2], "not-checked"));
        } else {
            ck_assert_str_ne(got, "not checked");
        }
        free(name);
        free(got);
    }
    /* its section says so, and no "OK" */
    ck_assert_ptr_nonnull(strstr(text, "not checked: no verdict"));
    ck_assert_ptr_nonnull(strstr(text, "This run does not say what it covered."));
    xmlFreeDoc(doc);
    free(text);
    fleet_clear(&fl);
}
END_TEST

START_TEST(scope_names_what_was_not_checked)
{
    json_fixture j;
    char *text, *got;
    htmlDocPtr doc;
    xmlNodePtr sec, items[4];

    json_fixture_make(&j);
    json_fixture_compare(&j);
    j.now.reachability = false;
    ck_assert(sa_checks_not_run_add(&j.now.checks_not_run, "SPN_SELF_WRITE_DENIED", "ms01.contoso.test",
                                    "the DACL could not be read <b>"));
    text = render_html(&j.x.r);
    doc = parse(text);
    sec = first(doc, "section", "scope");
    ck_assert_uint_eq(find(sec, "ul", "not-checked", items, 4, 0), 1);
    got = text_of(items[0]);
    ck_assert_str_eq(got, "SPN_SELF_WRITE_DENIED for ms01.contoso.test: the DACL could not be read <b>");
    free(got);
    ck_assert_uint_eq(find(sec, "td", "not-checked", items, 4, 0),
                      3); /* forest, reachability, certificates */
    got = text_of(items[1]);
    ck_assert_str_eq(got, "not checked");
    free(got);
    ck_assert_uint_eq(count(doc, "b", NULL), 0);
    /* the changes: after the findings, before the scope */
    sec = first(doc, "section", "changes");
    got = text_of(sec);
    ck_assert_ptr_nonnull(strstr(
        got, "Baseline /var/lib/spnaudit/latest.json (2024-05-01T02:15:00Z): 1 new, 1 fixed, 1 persisting"));
    ck_assert_ptr_nonnull(strstr(got, "servers no longer audited: ms07.contoso.test"));
    ck_assert_ptr_nonnull(
        strstr(got, "FAILURE DNS_RESOLUTION_FAILED  ms02.contoso.test (ms02.contoso.test)"));
    free(got);
    ck_assert(strstr(text, "Findings by server") < strstr(text, "Changes since the baseline"));
    ck_assert(strstr(text, "Changes since the baseline") < strstr(text, "Scope of the run"));
    ck_assert_uint_eq(count(doc, "span", "change"), 1); /* the new finding marked */
    xmlFreeDoc(doc);
    free(text);
    json_fixture_clear(&j);
}
END_TEST

/* An audit that ended before it read the servers named: nothing of them
 * is a verdict, and what was to be checked is only asked for. */
START_TEST(incomplete_run_is_not_checked)
{
    static const char *const named[] = {"ms01.contoso.test", NULL};
    json_fixture j;
    char *text;
    htmlDocPtr doc;

    json_fixture_make(&j);
    scope_of(&j.now, named);
    j.x.r.scope = &j.now;
    j.x.r.n_servers = 0;
    j.x.r.complete = false;
    j.x.r.incomplete_reason = "the DC did not answer";
    sa_findings_clear(&j.x.findings);
    text = render_html(&j.x.r);
    doc = parse(text);
    ck_assert_ptr_nonnull(strstr(text, "INCOMPLETE: the DC did not answer."));
    ck_assert_ptr_nonnull(strstr(text, "Not checked: the audit ended before it read the servers named"));
    ck_assert_ptr_null(strstr(text, "No management server or gateway was named"));
    ck_assert_uint_eq(count(doc, "td", "checked"), 0);
    ck_assert_uint_eq(count(doc, "tr", "server"), 0);
    ck_assert_ptr_nonnull(strstr(text, "checked, asked; the audit did not finish"));
    xmlFreeDoc(doc);
    free(text);
    json_fixture_clear(&j);
}
END_TEST

/* ------------------------------------------------------------ trusts and plan */

typedef struct trust_fixture {
    sa_trust trusts[2];
    sa_trust_row rows[2];
    sa_trust_run run;
} trust_fixture;

static void
trust_fixture_make(trust_fixture *t)
{
    memset(t, 0, sizeof(*t));
    t->trusts[0] = (sa_trust){"contoso.test",
                              "fabrikam.test",
                              "FABRIKAM",
                              NULL,
                              SA_TRUST_TYPE_UPLEVEL,
                              SA_TRUST_DIR_BOTH,
                              SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_CROSS_ORGANIZATION,
                              false,
                              0};
    t->trusts[1] = (sa_trust){"contoso.test",        HOSTILE, NULL,  NULL, SA_TRUST_TYPE_UPLEVEL,
                              SA_TRUST_DIR_OUTBOUND, 0,       false, 0};
    t->run.home = "contoso.test";
    t->run.uri = "ldap://dc1.contoso.test";
    t->run.trusts = (sa_trusts){t->trusts, 2, 2};
    t->run.n_home = 2;
    t->rows[0].agent = "fabrikam.test";
    t->rows[0].v = (sa_verdict){SA_VERDICT_SELECTIVE,
                                "contoso.test -> fabrikam.test (forest, two-way)",
                                "a selective forest trust",
                                "grant Allowed to Authenticate",
                                {NULL, 0, 0, NULL},
                                {21001, 20057},
                                2,
                                0};
    t->rows[0].tgt = t->rows[0].service = -1;
    ck_assert(sa_fix_add(&t->rows[0].v.fix,
                         &(sa_fix_cmd){"dsacls",
                                       {"CN=ms01,CN=Computers,DC=contoso,DC=test", "/G",
                                        "FABRIKAM\\Domain Computers:CA;Allowed to Authenticate"},
                                       3},
                         1));
    t->rows[1].agent = HOSTILE;
    t->rows[1].v = (sa_verdict){
        SA_VERDICT_CERTIFICATES, "", "no trust at all", "", {NULL, 0, 0, NULL}, {21007, 21008}, 2, -1};
    t->rows[1].tgt = t->rows[1].service = -1;
    t->run.rows = t->rows;
    t->run.n_rows = 2;
    t->run.status = SA_EXIT_FAILURE;
}

static char *
render_trusts(const trust_fixture *t, const char *svg, const char *why)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(sa_trust_report_html(&t->run, SA_SHELL_CMD, svg, why, out), 0);
    ck_assert_int_eq(fclose(out), 0);
    return text;
}

START_TEST(trusts_page_verdicts_fixes_and_map_placeholder)
{
    trust_fixture t;
    char *text, *got, *shown = sa_shown_dup(HOSTILE);
    htmlDocPtr doc;
    xmlNodePtr rows[4], cells[4];

    trust_fixture_make(&t);
    text = render_trusts(&t, NULL, "Graphviz is not installed");
    doc = parse(text);
    assert_inert((xmlNodePtr)doc);
    ck_assert_uint_eq(count(doc, "svg", NULL), 0);
    got = text_of(first(doc, "p", "placeholder"));
    ck_assert_str_eq(got, "The trust map was not drawn: Graphviz is not installed.");
    free(got);
    /* the map's own error words said once */
    free(text);
    xmlFreeDoc(doc);
    text = render_trusts(&t, NULL, "the trust map is not drawn: Graphviz's dot program not found");
    doc = parse(text);
    got = text_of(first(doc, "p", "placeholder"));
    ck_assert_str_eq(got, "The trust map was not drawn: Graphviz's dot program not found.");
    free(got);
    ck_assert_uint_eq(find(first(doc, "table", "verdicts"), "tr", "agent", rows, 4, 0), 2);
    find(rows[1], "td", NULL, cells, 4, 0);
    got = text_of(cells[0]);
    ck_assert_str_eq(got, shown);
    free(got);
    got = text_of(cells[1]);
    ck_assert_str_eq(got, "CERTIFICATES REQUIRED");
    ck_assert(has_class(cells[1], "certificates"));
    free(got);
    got = text_of(first(doc, "pre", "fix-lines"));
    ck_assert_str_eq(got, "dsacls \"CN=ms01,CN=Computers,DC=contoso,DC=test\" /G \"FABRIKAM\\Domain "
                          "Computers:CA;Allowed to Authenticate\"");
    free(got);
    ck_assert_uint_eq(count(doc, "table", "trusts"), 1);
    xmlFreeDoc(doc);
    free(text);
    sa_fix_clear(&t.rows[0].v.fix);
    free(shown);
}
END_TEST

/* A map drawn by someone hostile: a script, handlers, links, a foreign
 * object, a style, an entity and a fetched paint; the drawing stays. */
static const char hostile_svg[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE svg [<!ENTITY x \"<script>pwn(9)</script>\">]>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
    "width=\"200pt\" height=\"100pt\" viewBox=\"0 0 200 100\" onload=\"pwn(1)\">\n"
    "<script>pwn(2)</script><style>@import url(http://evil.example/x.css);</style>\n"
    "<g id=\"graph0\" class=\"graph\" transform=\"translate(4 96)\" onclick=\"pwn(3)\">\n"
    "<title>G</title>\n"
    "<a xlink:href=\"javascript:pwn(4)\" href=\"http://evil.example/\" target=\"_top\">"
    "<g id=\"node1\" class=\"node\"><title>contoso.test</title>"
    "<ellipse fill=\"url(http://evil.example/p)\" stroke=\"black\" cx=\"50\" cy=\"-18\" rx=\"40\" ry=\"18\"/>"
    "<text text-anchor=\"middle\" x=\"50\" y=\"-14\" font-family=\"Times,serif\" font-size=\"14.00\">"
    "contoso.test &amp; &lt;b&gt;</text></g></a>\n"
    "<polygon fill=\"url(#grad)\" points=\"0,0 1,1 2,0\" style=\"background:url(http://evil.example/)\"/>\n"
    "<foreignObject width=\"10\" height=\"10\"><div xmlns=\"http://www.w3.org/1999/xhtml\">"
    "<img src=\"http://evil.example/i.png\"/></div></foreignObject>\n"
    "<image href=\"http://evil.example/i.png\"/><use xlink:href=\"#node1\"/>\n"
    "<text>&x;</text><SCRIPT>pwn(5)</SCRIPT>\n"
    "</g></svg>\n";

START_TEST(trust_map_is_sanitised)
{
    trust_fixture t;
    char *text, *got;
    htmlDocPtr doc;
    xmlNodePtr svg, texts[4], n[4];

    trust_fixture_make(&t);
    text = render_trusts(&t, hostile_svg, NULL);
    ck_assert_ptr_null(strstr(text, "evil.example"));
    ck_assert_ptr_null(strstr(text, "pwn("));
    ck_assert_ptr_null(strstr(text, "javascript"));
    doc = parse(text);
    assert_inert((xmlNodePtr)doc);
    ck_assert_uint_eq(count(doc, "svg", NULL), 1);
    svg = first(doc, "svg", NULL);
    ck_assert(svg->parent != NULL && strcmp((const char *)svg->parent->name, "figure") == 0);
    got = (char *)xmlGetProp(svg, (const xmlChar *)"viewbox"); /* the HTML parser lowers it */
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, "0 0 200 100");
    xmlFree(got);
    ck_assert_uint_eq(count(doc, "style", NULL), 1); /* the page's own */
    ck_assert_uint_eq(count(doc, "foreignobject", NULL), 0);
    ck_assert_uint_eq(count(doc, "image", NULL), 0);
    ck_assert_uint_eq(count(doc, "use", NULL), 0);
    ck_assert_uint_eq(count(doc, "a", NULL), 0);
    ck_assert_uint_eq(count(doc, "ellipse", NULL), 1);
    ck_assert_uint_eq(find(svg, "ellipse", NULL, n, 4, 0), 1);
    ck_assert_ptr_null(xmlHasProp(n[0], (const xmlChar *)"fill")); /* the fetched paint dropped */
    ck_assert_ptr_nonnull(xmlHasProp(n[0], (const xmlChar *)"stroke"));
    ck_assert_uint_eq(find(svg, "polygon", NULL, n, 4, 0), 1);
    ck_assert_ptr_nonnull(xmlHasProp(n[0], (const xmlChar *)"fill")); /* url(#...) stays */
    ck_assert_ptr_null(xmlHasProp(n[0], (const xmlChar *)"style"));
    ck_assert_uint_eq(find(svg, "text", NULL, texts, 4, 0), 2);
    got = text_of(texts[0]);
    ck_assert_str_eq(got, "contoso.test & <b>");
    free(got);
    got = text_of(texts[1]); /* the entity not expanded */
    ck_assert_str_eq(got, "");
    free(got);
    xmlFreeDoc(doc);
    free(text);

    /* not SVG at all: the placeholder says so */
    text = render_trusts(&t, "<html><body onload=\"x()\">", NULL);
    ck_assert_ptr_nonnull(strstr(text, "The trust map could not be shown: the map is not"));
    ck_assert_ptr_null(strstr(text, "onload"));
    free(text);
    sa_fix_clear(&t.rows[0].v.fix);
}
END_TEST

START_TEST(plan_page_designs_and_map)
{
    sa_strv ms = {NULL, 0, 0};
    sa_plan_row row;
    sa_plan p;
    char *text = NULL, *got;
    size_t len = 0;
    FILE *out;
    htmlDocPtr doc;

    memset(&row, 0, sizeof(row));
    memset(&p, 0, sizeof(p));
    ck_assert(sa_strv_add(&ms, "ms01.contoso.test"));
    row.agent = HOSTILE;
    row.direct =
        (sa_verdict){SA_VERDICT_CERTIFICATES, "", "no trust", "", {NULL, 0, 0, NULL}, {21007}, 1, -1};
    row.gateway = -1;
    row.design = "certificates on the agents and the management servers";
    p.ms = &ms;
    p.ms_domain = "contoso.test";
    p.rows = &row;
    p.n_rows = 1;
    out = open_memstream(&text, &len);
    ck_assert_int_eq(sa_plan_report_html(&p, SA_SHELL_CMD, "<svg><g><text>m</text></g></svg>", NULL, out), 0);
    ck_assert_int_eq(fclose(out), 0);
    doc = parse(text);
    assert_inert((xmlNodePtr)doc);
    ck_assert_uint_eq(count(doc, "svg", NULL), 1);
    ck_assert_uint_eq(count(doc, "div", "agent"), 1);
    got = text_of(first(doc, "p", "design"));
    ck_assert_str_eq(got, "design: certificates on the agents and the management servers");
    free(got);
    xmlFreeDoc(doc);
    free(text);
    sa_strv_clear(&ms);
}
END_TEST

static Suite *
html_suite(void)
{
    Suite *s = suite_create("html");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, page_is_one_self_contained_document);
    tcase_add_test(tc, hostile_values_render_as_text);
    tcase_add_test(tc, overview_has_one_row_per_server);
    tcase_add_test(tc, fix_lines_for_the_shell);
    tcase_add_test(tc, not_checked_is_neither_failure_nor_clean);
    tcase_add_test(tc, scope_names_what_was_not_checked);
    tcase_add_test(tc, incomplete_run_is_not_checked);
    tcase_add_test(tc, trusts_page_verdicts_fixes_and_map_placeholder);
    tcase_add_test(tc, trust_map_is_sanitised);
    tcase_add_test(tc, plan_page_designs_and_map);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(html_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
