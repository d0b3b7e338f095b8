/* Integration tests: the HTML reports of the test domain (audit, trusts,
 * plan) against the JSON reports of the same runs: one overview row per
 * server the JSON names, a verdict per agent domain, the fix lines, the
 * map's placeholder; a self-contained page (no script, nothing fetched).
 * Run as: testdomain.sh exec test_pages PATH-TO-spnaudit */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "run.h"
#include "tmpdir.h"

const char *tool_path;
static char uri[256];

/* The four servers of the examples: findings of every kind. */
#define AUDIT_ARGS                                                                                           \
    "audit", "--uri", uri, "--ms", "ms01.contoso.test", "--ms", "ms03.contoso.test", "--ms",                 \
        "ms05.contoso.test", "--ms", "ms07.contoso.test"

static size_t
occurrences(const char *text, const char *what)
{
    size_t n = 0;

    for (const char *p = text; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

/* A page of its own: the doctype, the charset, no script, nothing to
 * fetch. */
static void
assert_self_contained(const char *page)
{
    ck_assert_msg(strncmp(page, "<!DOCTYPE html>\n", 16) == 0, "not a page: %.200s", page);
    ck_assert_ptr_nonnull(strstr(page, "<meta charset=\"utf-8\">"));
    ck_assert_ptr_null(strstr(page, "<script"));
    ck_assert_ptr_null(strstr(page, "<link"));
    ck_assert_ptr_null(strstr(page, "<img"));
    ck_assert_ptr_null(strstr(page, " href="));
    ck_assert_ptr_null(strstr(page, " src="));
    ck_assert_ptr_null(strstr(page, "url("));
    ck_assert_uint_eq(occurrences(page, "<style>"), 1);
}

START_TEST(audit_page_has_a_row_per_server_and_the_fixes)
{
    const char *json_args[] = {AUDIT_ARGS, "--format", "json", NULL};
    const char *html_args[] = {AUDIT_ARGS, "--format", "html", NULL};
    run_result rj, rh;
    json_object *rep;
    size_t servers;

    run_tool(json_args, NULL, &rj);
    rep = parse_report(&rj);
    servers = json_object_array_length(json_object_object_get(rep, "management_servers"));
    ck_assert_uint_eq(servers, 4);
    run_tool(html_args, NULL, &rh);
    ck_assert_int_eq(rh.status, rj.status); /* the same verdict whatever the format */
    assert_self_contained(rh.out);
    ck_assert_uint_eq(occurrences(rh.out, "<tr class=\"server\">"), servers);
    ck_assert_uint_eq(occurrences(rh.out, "<section class=\"server\">"), servers);
    ck_assert_uint_eq(occurrences(rh.out, "<div class=\"finding "),
                      json_object_array_length(report_findings(rep)));
    /* ms03 has no SPN: its fix is the setspn lines for cmd.exe */
    ck_assert_msg(strstr(rh.out, "setspn -S MSOMHSvc/ms03.contoso.test CONTOSO\\ms03$") != NULL, "%s",
                  rh.out);
    ck_assert_ptr_nonnull(strstr(rh.out, "fix (cmd.exe):"));
    /* the scope, with what was not checked */
    ck_assert_ptr_nonnull(strstr(rh.out, "<h2>Scope of the run</h2>"));
    ck_assert_ptr_nonnull(strstr(rh.out, "(the others not checked)"));
    json_object_put(rep);
    run_free(&rj);
    run_free(&rh);
}
END_TEST

/* --html beside --format json, from one run; --baseline adds the changes. */
START_TEST(html_file_beside_the_json_and_the_changes)
{
    char dir[] = "/tmp/spnaudit-html-XXXXXX", json[96], html[96], again[96];
    run_result r;
    FILE *f;
    char *page = NULL;
    size_t n = 0;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(json, sizeof(json), "%s/report.json", dir);
    snprintf(html, sizeof(html), "%s/report.html", dir);
    snprintf(again, sizeof(again), "%s/again.html", dir);
    {
        const char *argv[] = {AUDIT_ARGS, "--format", "json", "--output", json, "--html", html, NULL};
        run_tool(argv, NULL, &r);
    }
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
    ck_assert_int_eq(tmpdir_entries(dir), 2); /* no temporary file left */
    {
        const char *argv[] = {AUDIT_ARGS, "--baseline", json,     "--fix-shell", "powershell",
                              "--format", "text",       "--html", again,         NULL};
        run_tool(argv, NULL, &r);
    }
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.out, "Changes since baseline")); /* the text on stdout */
    run_free(&r);
    f = fopen(again, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert(getdelim(&page, &n, '\0', f) > 0); /* the whole page: it holds no NUL */
    fclose(f);
    assert_self_contained(page);
    ck_assert_ptr_nonnull(strstr(page, "<h2>Changes since the baseline</h2>"));
    ck_assert_ptr_nonnull(strstr(page, ": 0 new, 0 fixed, "));
    ck_assert_ptr_nonnull(strstr(page, "fix (PowerShell):"));
    free(page);
    tmpdir_remove(dir);
}
END_TEST

START_TEST(trusts_page_has_a_verdict_per_agent_domain)
{
    const char *json_args[] = {"trusts", "--format", "json", NULL};
    const char *html_args[] = {"trusts", "--format", "html", NULL};
    run_result rj, rh;
    json_object *rep;
    size_t verdicts;

    run_tool(json_args, NULL, &rj);
    rep = parse_report(&rj);
    verdicts = json_object_array_length(json_object_object_get(rep, "verdicts"));
    ck_assert_uint_gt(verdicts, 2);
    run_tool(html_args, NULL, &rh);
    ck_assert_int_eq(rh.status, rj.status);
    assert_self_contained(rh.out);
    ck_assert_uint_eq(occurrences(rh.out, "<tr class=\"agent\">"), verdicts);
    ck_assert_uint_eq(occurrences(rh.out, "<div class=\"agent\">"), verdicts);
    ck_assert_ptr_nonnull(strstr(rh.out, "CERTIFICATES REQUIRED"));
    ck_assert_ptr_nonnull(strstr(rh.out, "<h3>Trusts of contoso.test (read from "));
    /* the trust map drawn (Graphviz's dot is installed with the tests):
     * one drawing, in its figure, a node per domain of the JSON report */
    ck_assert_ptr_null(strstr(rh.out, "The trust map was not drawn"));
    ck_assert_uint_eq(occurrences(rh.out, "<svg"), 1);
    ck_assert_ptr_nonnull(strstr(rh.out, "<figure class=\"map\">"));
    ck_assert_uint_ge(occurrences(rh.out, "<g id=\"node"), 5);
    json_object_put(rep);
    run_free(&rj);
    run_free(&rh);
}
END_TEST

START_TEST(plan_page_has_the_design_and_its_command)
{
    const char *selective = getenv("LAB_TRUST_SELECTIVE");
    const char *argv[] = {"plan",           "--ms",    "ms01.contoso.test", "--ms", "ms02.contoso.test",
                          "--agent-domain", selective, "--format",          "html", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    assert_self_contained(r.out);
    ck_assert_uint_eq(occurrences(r.out, "<div class=\"agent\">"), 1);
    ck_assert_ptr_nonnull(strstr(r.out, "<p class=\"design\">design: grant the agents of "));
    ck_assert_msg(strstr(r.out, "dsacls \"CN=ms02,CN=Computers,DC=contoso,DC=test\" /G "
                                "\"TAILSPIN\\Domain Computers:CA;Allowed to Authenticate\"") != NULL,
                  "%s", r.out);
    run_free(&r);
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("html-integration");
    TCase *tc = tcase_create("html");

    if (argc != 2 || getenv("LAB_DC") == NULL || getenv("LAB_TRUST_SELECTIVE") == NULL) {
        fprintf(stderr,
                "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n"
                "(needs the test domain's environment: LAB_DC, LAB_TRUST_SELECTIVE)\n",
                argv[0]);
        return 2;
    }
    tool_path = argv[1];
    snprintf(uri, sizeof(uri), "ldap://%s", getenv("LAB_DC"));
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, audit_page_has_a_row_per_server_and_the_fixes);
    tcase_add_test(tc, html_file_beside_the_json_and_the_changes);
    tcase_add_test(tc, trusts_page_has_a_verdict_per_agent_domain);
    tcase_add_test(tc, plan_page_has_the_design_and_its_command);
    suite_add_tcase(s, tc);
    return check_run(s);
}
