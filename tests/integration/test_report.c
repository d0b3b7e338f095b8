/* Integration tests: report files (--output, --quiet) and the changes
 * since an earlier report (--baseline, spnaudit diff), with the real
 * audit of the test domain (tests/lab/testdomain.sh).
 * Run as: testdomain.sh exec test_report PATH-TO-spnaudit */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "tmpdir.h"
#include "run.h"
#include "text_lines.h"

const char *tool_path;
static char uri[256];
static char dir[64];
static char base_path[128]; /* the JSON report of the ms01 audit */
static json_object *base;   /* ... parsed */
static int base_status;

/* The text's lines wide enough that a heading with a path is one line. */
static const char *const wide[] = {"COLUMNS=1000", NULL};

/* A quick audit of one server: findings of several severities. */
#define AUDIT_ARGS "audit", "--uri", uri, "--ms", "ms01.contoso.test", "--no-tickets"

/* Every line of text within width columns, but those that hold one of
 * the two values (kept whole when wider than the room) and the messages
 * of findings read back from a report (indent 10: one value, whose own
 * words the text no longer tells from the tool's). */
static void
assert_lines_fit(const char *text, size_t width, const char *value1, const char *value2)
{
    size_t len;

    for (const char *p = text; *p != '\0'; p += len + (p[len] == '\n')) {
        size_t cols = line_columns(p, &len);
        ck_assert_msg(cols <= width || strspn(p, " ") == 10 || memmem(p, len, value1, strlen(value1)) ||
                          memmem(p, len, value2, strlen(value2)),
                      "%zu columns > %zu: %.*s", cols, width, (int)len, p);
    }
}

static char *
path_in_dir(const char *name)
{
    static char paths[8][128];
    static int next;
    char *p = paths[next++ % 8];

    snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
    return p;
}

static void
setup(void)
{
    const char *argv[] = {AUDIT_ARGS, "--format", "json", "--output", base_path, NULL};
    run_result r;

    strcpy(dir, "/tmp/spnaudit-report-XXXXXX");
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(base_path, sizeof(base_path), "%s/base.json", dir);
    run_tool(argv, NULL, &r);
    base_status = r.status;
    base = json_object_from_file(base_path);
    if (base == NULL || r.out[0] != '\0')
        fprintf(stderr, "the baseline audit failed (exit %d): %s%s\n", r.status, r.out, r.err);
    run_free(&r);
}

static void
teardown(void)
{
    tmpdir_remove(dir);
    json_object_put(base);
}

static json_object *
baseline_counts(json_object *rep)
{
    json_object *b = NULL;

    ck_assert_msg(json_object_object_get_ex(rep, "baseline", &b) && b != NULL, "no baseline object");
    return b;
}

static size_t
fixed_count(json_object *rep)
{
    json_object *f = NULL;

    ck_assert_msg(json_object_object_get_ex(rep, "fixed", &f) && json_object_is_type(f, json_type_array),
                  "no fixed array");
    return json_object_array_length(f);
}

/* A copy of the baseline without its first finding of severity sev (its
 * subject and code in *dropped, *dropped_code, pointing into base) and
 * with a made-up one of ms01 (audited in both, so fixed now), saved as
 * name. */
static char *
edited_baseline(const char *name, const char *sev, const char **dropped, const char **dropped_code)
{
    json_object *doc = json_tokener_parse(json_object_to_json_string(base)), *arr, *fake;
    char *path = path_in_dir(name);
    size_t i;

    ck_assert_ptr_nonnull(doc);
    arr = report_findings(doc);
    for (i = 0; i < json_object_array_length(arr); i++) {
        if (strcmp(jget_str(json_object_array_get_idx(arr, i), "severity"), sev) == 0)
            break;
    }
    ck_assert_msg(i < json_object_array_length(arr), "the audit has no %s to drop", sev);
    *dropped = jget_str(json_object_array_get_idx(report_findings(base), i), "subject");
    *dropped_code = jget_str(json_object_array_get_idx(report_findings(base), i), "code");
    ck_assert_int_eq(json_object_array_del_idx(arr, i, 1), 0);
    fake = json_tokener_parse(
        "{\"code\": \"SPN_MISSING\", \"severity\": \"failure\", \"subject\": "
        "\"MSOMHSvc/ms01.contoso.test\", \"server\": \"ms01.contoso.test\", "
        "\"message\": \"gone since\", \"evidence\": null, \"fix\": null, \"events\": [21001]}");
    ck_assert_ptr_nonnull(fake);
    ck_assert_int_eq(json_object_array_add(arr, fake), 0);
    ck_assert_int_eq(json_object_to_file_ext(path, doc, JSON_C_TO_STRING_PRETTY), 0);
    json_object_put(doc);
    return path;
}

START_TEST(output_file_holds_the_report)
{
    ck_assert_msg(base != NULL, "no JSON report in %s", base_path);
    ck_assert_int_eq(base_status, 2);
    ck_assert_int_eq(jget_int(base, "exit_status"), 2);
    ck_assert_int_eq(jget_int(base, "schema_version"), 1);
    ck_assert_uint_gt(json_object_array_length(report_findings(base)), 2);
    ck_assert(!json_object_object_get_ex(base, "baseline", NULL));
    ck_assert_int_eq(tmpdir_entries(dir), 1); /* no temporary file left */
}
END_TEST

START_TEST(same_audit_again_is_all_persisting)
{
    const char *argv[] = {AUDIT_ARGS, "--format", "json", "--baseline", base_path, NULL};
    const char *argv_new[] = {AUDIT_ARGS, "--baseline", base_path, "--baseline-status",
                              "new",      "--quiet",    NULL};
    json_object *rep, *arr, *b;
    size_t n;
    run_result r;

    ck_assert_ptr_nonnull(base);
    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    rep = parse_report(&r);
    arr = report_findings(rep);
    n = json_object_array_length(arr);
    ck_assert_uint_eq(n, json_object_array_length(report_findings(base)));
    for (size_t i = 0; i < n; i++) {
        json_object *f = json_object_array_get_idx(arr, i);
        ck_assert_msg(jget_str(f, "change") && strcmp(jget_str(f, "change"), "persisting") == 0,
                      "%s %s is not persisting", jget_str(f, "code"), jget_str(f, "subject"));
    }
    b = baseline_counts(rep);
    ck_assert_str_eq(jget_str(b, "file"), base_path);
    ck_assert_int_eq(jget_int(b, "new"), 0);
    ck_assert_int_eq(jget_int(b, "fixed"), 0);
    ck_assert_int_eq(jget_int(b, "persisting"), (long long)n);
    ck_assert_uint_eq(fixed_count(rep), 0);
    json_object_put(rep);
    run_free(&r);

    /* nothing new: clean, and --quiet prints nothing */
    run_tool(argv_new, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

START_TEST(dropped_finding_is_new_and_made_up_one_fixed)
{
    const char *dropped = NULL, *dropped_code = NULL;
    char *edited = edited_baseline("no-warning.json", "warning", &dropped, &dropped_code);
    const char *argv[] = {AUDIT_ARGS, "--format",          "json", "--baseline",
                          edited,     "--baseline-status", "new",  NULL};
    json_object *rep, *arr, *fixed = NULL;
    run_result r;
    size_t n_new = 0;

    run_tool(argv, NULL, &r);
    ck_assert_msg(r.status == 1, "a new warning: exit %d: %s", r.status, r.err); /* not 2: old failures */
    rep = parse_report(&r);
    ck_assert_int_eq(jget_int(rep, "exit_status"), 1);
    arr = report_findings(rep);
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *f = json_object_array_get_idx(arr, i);
        bool is_new = strcmp(jget_str(f, "change"), "new") == 0;
        if (is_new) {
            ck_assert_str_eq(jget_str(f, "subject"), dropped);
            ck_assert_str_eq(jget_str(f, "code"), dropped_code);
            ck_assert_str_eq(jget_str(f, "severity"), "warning");
        } else {
            ck_assert_str_eq(jget_str(f, "change"), "persisting");
        }
        n_new += is_new;
    }
    ck_assert_uint_eq(n_new, 1);
    ck_assert_int_eq(jget_int(baseline_counts(rep), "new"), 1);
    ck_assert_int_eq(jget_int(baseline_counts(rep), "fixed"), 1);
    ck_assert_uint_eq(fixed_count(rep), 1);
    fixed = json_object_array_get_idx(json_object_object_get(rep, "fixed"), 0);
    ck_assert_str_eq(jget_str(fixed, "code"), "SPN_MISSING");
    ck_assert_str_eq(jget_str(fixed, "subject"), "MSOMHSvc/ms01.contoso.test");
    ck_assert_str_eq(jget_str(fixed, "server"), "ms01.contoso.test");
    ck_assert_str_eq(jget_str(fixed, "message"), "gone since");
    ck_assert(finding_has_event(fixed, 21001));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(new_failure_is_exit_2_and_leads_the_text)
{
    const char *dropped = NULL, *dropped_code = NULL;
    char *edited = edited_baseline("no-failure.json", "failure", &dropped, &dropped_code);
    const char *argv[] = {AUDIT_ARGS, "--baseline", edited, "--baseline-status", "new", NULL};
    char heading[256];
    const char *changes, *servers;
    run_result r;

    run_tool(argv, wide, &r);
    ck_assert_msg(r.status == 2, "a new failure: exit %d: %s", r.status, r.err);
    snprintf(heading, sizeof(heading), "Changes since baseline %s: 1 new, 1 fixed, ", edited);
    changes = strstr(r.out, heading);
    servers = strstr(r.out, "\nManagement server ms01.contoso.test");
    ck_assert_msg(changes != NULL, "no \"%s\" in %s", heading, r.out);
    ck_assert_ptr_nonnull(servers);
    ck_assert(changes < servers); /* the changes come first */
    ck_assert_ptr_nonnull(strstr(changes, "\nNew:\n  FAILURE "));
    ck_assert_ptr_nonnull(strstr(changes, dropped));
    ck_assert_ptr_nonnull(strstr(changes, dropped_code));
    ck_assert_ptr_nonnull(strstr(changes, "\nFixed:\n  FAILURE SPN_MISSING  MSOMHSvc/ms01.contoso.test"));
    ck_assert_ptr_nonnull(strstr(r.out, "(new)"));
    run_free(&r);
}
END_TEST

START_TEST(corrupt_baseline_is_exit_3_or_a_warning)
{
    char *bad = path_in_dir("truncated.json");
    const char *argv[] = {AUDIT_ARGS, "--format", "json", "--baseline", bad, NULL};
    const char *argv_warn[] = {
        AUDIT_ARGS, "--format",          "json", "--baseline", bad, "--baseline-missing", "warn",
        "--quiet",  "--baseline-status", "new",  NULL};
    const char *text = json_object_to_json_string(base);
    FILE *f = fopen(bad, "w");
    json_object *rep;
    run_result r;

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, strlen(text) / 2, f), strlen(text) / 2);
    ck_assert_int_eq(fclose(f), 0);
    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, bad) && strstr(r.err, "truncated"), "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);

    /* warn: the full report, no changes, the exit status of no baseline;
     * --quiet does not hide a report with failures */
    run_tool(argv_warn, NULL, &r);
    ck_assert_msg(r.status == base_status, "exit %d: %s", r.status, r.err);
    ck_assert_msg(strstr(r.err, "warning") && strstr(r.err, bad), "stderr: %s", r.err);
    rep = parse_report(&r);
    ck_assert(!json_object_object_get_ex(rep, "baseline", NULL));
    ck_assert(!json_object_object_get_ex(rep, "fixed", NULL));
    ck_assert_uint_eq(json_object_array_length(report_findings(rep)),
                      json_object_array_length(report_findings(base)));
    ck_assert(!json_object_object_get_ex(json_object_array_get_idx(report_findings(rep), 0), "change", NULL));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* Only the SDK class: the test domain has nothing wrong with it. */
START_TEST(quiet_clean_audit_prints_nothing)
{
    char *out = path_in_dir("clean.txt");
    const char *argv[] = {"audit", "--uri", uri, "--service-class", "MSOMSdkSvc", "--quiet", NULL};
    const char *argv_out[] = {"audit",    "--uri", uri, "--service-class", "MSOMSdkSvc", "--quiet",
                              "--output", out,     NULL};
    run_result r;
    FILE *f;
    char buf[8192];
    size_t n;

    run_tool(argv, NULL, &r);
    ck_assert_msg(r.status == 0, "not clean: exit %d: %s", r.status, r.out);
    ck_assert_str_eq(r.out, "");
    run_free(&r);

    run_tool(argv_out, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
    f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    ck_assert_ptr_nonnull(
        strstr(buf, "Summary: 0 failures, 0 warnings, 0 info; audit complete; exit status 0"));
}
END_TEST

/* Checked before the audit (it used to fail after it, with exit 3): a
 * usage error, at once. */
START_TEST(missing_output_directory_is_exit_64)
{
    char *out = path_in_dir("no-such-dir/report.json");
    const char *argv[] = {"audit", "--uri", uri, "--service-class", "MSOMSdkSvc", "--output", out, NULL};
    char want[1024];
    run_result r;
    int before = tmpdir_entries(dir);

    snprintf(want, sizeof(want),
             "spnaudit audit: cannot write the report to %s: the directory %.*s does not exist; create it or "
             "name a file in an existing directory\n",
             out, (int)(strrchr(out, '/') - out), out);
    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 64);
    ck_assert_str_eq(r.err, want);
    ck_assert_str_eq(r.out, "");
    ck_assert_int_eq(tmpdir_entries(dir), before);
    run_free(&r);
}
END_TEST

START_TEST(diff_of_two_saved_reports)
{
    const char *dropped = NULL, *dropped_code = NULL;
    char *edited = edited_baseline("diff-old.json", "warning", &dropped, &dropped_code);
    char *bad = path_in_dir("not-json.txt");
    const char *same[] = {"diff", base_path, base_path, NULL};
    const char *changed[] = {"diff", edited, base_path, NULL};
    const char *as_json[] = {"diff", "--format", "json", edited, base_path, NULL};
    const char *corrupt[] = {"diff", base_path, bad, NULL};
    const char *narrow[] = {"COLUMNS=60", NULL};
    char expect[512];
    json_object *rep, *b;
    FILE *f;
    run_result r;

    run_tool(same, wide, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    /* each report named with the time it says it was made */
    snprintf(expect, sizeof(expect), "Changes from %s (%s) to %s (%s): 0 new, 0 fixed, %zu persisting\n",
             base_path, jget_str(base, "generated"), base_path, jget_str(base, "generated"),
             json_object_array_length(report_findings(base)));
    ck_assert_str_eq(r.out, expect);
    run_free(&r);

    run_tool(changed, wide, &r);
    ck_assert_int_eq(r.status, 1);
    ck_assert_ptr_nonnull(strstr(r.out, ": 1 new, 1 fixed, "));
    ck_assert_ptr_nonnull(strstr(r.out, dropped));
    ck_assert_ptr_nonnull(strstr(r.out, "MSOMHSvc/ms01.contoso.test (ms01.contoso.test)"));
    run_free(&r);
    /* fitted to $COLUMNS: the heading breaks between its words, never
     * inside the reports' names */
    run_tool(changed, narrow, &r);
    ck_assert_int_eq(r.status, 1);
    ck_assert_msg(strstr(r.out, ": 1 new") > strchr(r.out, '\n'), "%s", r.out);
    assert_lines_fit(r.out, 60, edited, base_path);
    run_free(&r);

    run_tool(as_json, NULL, &r);
    ck_assert_int_eq(r.status, 1);
    rep = parse_report(&r);
    b = baseline_counts(rep);
    ck_assert_str_eq(jget_str(b, "file"), edited);
    ck_assert_int_eq(jget_int(b, "new"), 1);
    ck_assert_int_eq(jget_int(b, "fixed"), 1);
    ck_assert_str_eq(jget_str(json_object_object_get(rep, "report"), "file"), base_path);
    ck_assert_str_eq(jget_str(find_finding(rep, dropped_code, dropped), "change"), "new");
    ck_assert_uint_eq(fixed_count(rep), 1);
    json_object_put(rep);
    run_free(&r);

    f = fopen(bad, "w");
    ck_assert_ptr_nonnull(f);
    fputs("not a report\n", f);
    fclose(f);
    run_tool(corrupt, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, bad) && strstr(r.err, "not JSON"), "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

/* The findings of rep's list key (fixed, not_compared) as "CODE subject"
 * lines, each with why when it has one. */
static char *
listed(json_object *rep, const char *key, char *buf, size_t size)
{
    json_object *arr = json_object_object_get(rep, key);

    buf[0] = '\0';
    ck_assert_msg(json_object_is_type(arr, json_type_array), "no %s array", key);
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *f = json_object_array_get_idx(arr, i);
        const char *why =
            json_object_object_get_ex(f, "why_not_compared", NULL) ? jget_str(f, "why_not_compared") : "";
        snprintf(buf + strlen(buf), size - strlen(buf), "%s %s%s%s\n", jget_str(f, "code"),
                 jget_str(f, "subject"), *why ? ": " : "", why);
    }
    return buf;
}

#define MS_3 "--ms", "ms01.contoso.test", "--ms", "ms03.contoso.test", "--ms", "ms05.contoso.test"

/* Issue 11: a baseline made with ms01/03/05/07, then a run without ms07
 * said "2 new, 4 fixed": ms07's duplicate SPN (and the ticket it breaks)
 * both new and fixed, ms07's other findings fixed.  Now: nothing new,
 * nothing fixed, ms07's own findings not compared (its ticket too: without
 * ms07 its SPNs' tickets are not asked for, issue 14), the scope's change
 * said; the same for spnaudit diff, both ways. */
START_TEST(server_left_out_is_not_compared)
{
    char *four = path_in_dir("four.json"), *three = path_in_dir("three.json");
    const char *audit4[] = {"audit",    "--uri", uri,        MS_3, "--ms", "ms07.contoso.test",
                            "--format", "json",  "--output", four, NULL};
    const char *audit3[] = {"audit",    "--uri", uri,          MS_3, "--format",          "json",
                            "--output", three,   "--baseline", four, "--baseline-status", "new",
                            NULL};
    const char *diff_text[] = {"diff", four, three, NULL};
    const char *diff_back[] = {"diff", "--format", "json", three, four, NULL};
    char buf[2048], line[512];
    json_object *rep, *b, *ch;
    run_result r;

    run_tool(audit4, NULL, &r);
    ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
    run_free(&r);
    run_tool(audit3, NULL, &r);
    ck_assert_msg(r.status == 0, "nothing new, yet exit %d: %s", r.status, r.err);
    run_free(&r);
    rep = json_object_from_file(three);
    ck_assert_ptr_nonnull(rep);
    b = baseline_counts(rep);
    ck_assert_int_eq(jget_int(b, "new"), 0);
    ck_assert_int_eq(jget_int(b, "fixed"), 0);
    ck_assert_int_eq(jget_int(b, "not_compared"), 3);
    ck_assert_int_eq(jget_int(b, "not_compared_now"), 0);
    ck_assert_int_eq(jget_int(b, "persisting"), (long long)json_object_array_length(report_findings(rep)));
    ck_assert_str_eq(jget_str(find_finding(rep, "SPN_DUPLICATE", "MSOMHSvc/ms07.contoso.test"), "change"),
                     "persisting");
    ck_assert_ptr_null(find_finding(rep, "TICKET_SPN_NOT_UNIQUE", "MSOMHSvc/ms07.contoso.test"));
    ck_assert_uint_eq(fixed_count(rep), 0);
    ck_assert_str_eq(listed(rep, "not_compared", buf, sizeof(buf)),
                     "TICKET_SPN_NOT_UNIQUE MSOMHSvc/ms07.contoso.test: ms07.contoso.test: not audited now\n"
                     "SDK_SPN_MISSING MSOMSdkSvc/ms07.contoso.test: ms07.contoso.test: not audited now\n"
                     "TCP_CONNECT_FAILED ms07.contoso.test: ms07.contoso.test: not audited now\n");
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(b, "scope_changes")), 1);
    ch = json_object_array_get_idx(json_object_object_get(b, "scope_changes"), 0);
    ck_assert_str_eq(jget_str(ch, "what"), "servers");
    ck_assert_str_eq(json_object_to_json_string(json_object_object_get(ch, "removed")),
                     "[ \"ms07.contoso.test\" ]");
    ck_assert_str_eq(
        json_object_to_json_string(json_object_object_get(json_object_object_get(rep, "scope"), "servers")),
        "[ \"ms01.contoso.test\", \"ms03.contoso.test\", \"ms05.contoso.test\" ]");
    json_object_put(rep);

    run_tool(diff_text, wide, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    rep = json_object_from_file(four);
    ck_assert_ptr_nonnull(rep);
    snprintf(line, sizeof(line), ": 0 new, 0 fixed, %zu persisting, 3 not compared\n",
             json_object_array_length(report_findings(rep)) - 3);
    json_object_put(rep);
    ck_assert_msg(strstr(r.out, line) != NULL, "no \"%s\" in %s", line, r.out);
    ck_assert_ptr_nonnull(
        strstr(r.out, "\nScope changed:\n  servers no longer audited: ms07.contoso.test\n"));
    ck_assert_ptr_nonnull(
        strstr(r.out, "\nNot compared:\n  3 findings of the baseline: ms07.contoso.test: not audited now\n"));
    ck_assert_ptr_null(strstr(r.out, "\nNew:"));
    ck_assert_ptr_null(strstr(r.out, "\nFixed:"));
    run_free(&r);

    /* from three to four: ms07's findings are not new, not compared */
    run_tool(diff_back, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    rep = parse_report(&r);
    b = baseline_counts(rep);
    ck_assert_int_eq(jget_int(b, "new"), 0);
    ck_assert_int_eq(jget_int(b, "fixed"), 0);
    ck_assert_int_eq(jget_int(b, "not_compared_now"), 3);
    ck_assert_str_eq(jget_str(find_finding(rep, "TCP_CONNECT_FAILED", "ms07.contoso.test"), "change"),
                     "not_compared");
    ck_assert_str_eq(
        jget_str(find_finding(rep, "TCP_CONNECT_FAILED", "ms07.contoso.test"), "why_not_compared"),
        "ms07.contoso.test: not audited in the baseline");
    ck_assert_str_eq(jget_str(find_finding(rep, "SPN_DUPLICATE", "MSOMHSvc/ms07.contoso.test"), "change"),
                     "persisting");
    json_object_put(rep);
    run_free(&r);
}
END_TEST

static const struct {
    const char *args[8];
    const char *says;
} bad_usage[] = {
    {{"audit", "--baseline-status", "fresh", "--baseline", "x.json", NULL}, "new or all"},
    {{"audit", "--baseline-missing", "ignore", "--baseline", "x.json", NULL}, "error or warn"},
    {{"audit", "--baseline-status", "new", NULL}, "need --baseline"},
    {{"audit", "--output", "", NULL}, "--output wants"},
    {{"diff", "only-one.json", NULL}, "two reports"},
    {{"diff", "a.json", "b.json", "c.json", NULL}, "unexpected argument 'c.json'"},
    {{"diff", "--format", "csv", "a.json", "b.json", NULL}, "text or json"},
    {{"diff", "--frobnicate", NULL}, "frobnicate"},
};

START_TEST(bad_usage_is_exit_64)
{
    expect_usage_error(bad_usage[_i].args, bad_usage[_i].says);
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("report-integration");
    TCase *tc = tcase_create("baseline"), *usage = tcase_create("usage");

    if (argc != 2 || getenv("LAB_DC") == NULL) {
        fprintf(stderr,
                "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n"
                "(needs the test domain's environment: LAB_DC)\n",
                argv[0]);
        return 2;
    }
    tool_path = argv[1];
    snprintf(uri, sizeof(uri), "ldap://%s", getenv("LAB_DC"));

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, output_file_holds_the_report);
    tcase_add_test(tc, same_audit_again_is_all_persisting);
    tcase_add_test(tc, dropped_finding_is_new_and_made_up_one_fixed);
    tcase_add_test(tc, new_failure_is_exit_2_and_leads_the_text);
    tcase_add_test(tc, corrupt_baseline_is_exit_3_or_a_warning);
    tcase_add_test(tc, quiet_clean_audit_prints_nothing);
    tcase_add_test(tc, missing_output_directory_is_exit_64);
    tcase_add_test(tc, diff_of_two_saved_reports);
    tcase_add_test(tc, server_left_out_is_not_compared);
    suite_add_tcase(s, tc);

    tcase_add_loop_test(usage, bad_usage_is_exit_64, 0, sizeof(bad_usage) / sizeof(bad_usage[0]));
    suite_add_tcase(s, usage);
    return check_run(s);
}
