/* Unit tests for baselines: a report read back (and every way it can be
 * broken), and the comparison of its findings with the findings of now. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "spnaudit/baseline.h"
#include "spnaudit/report.h"

static sa_findings old, now, fixed;
static sa_baseline b;

static void
setup(void)
{
    memset(&old, 0, sizeof(old));
    memset(&now, 0, sizeof(now));
    memset(&fixed, 0, sizeof(fixed));
    memset(&b, 0, sizeof(b));
}

static void
teardown(void)
{
    sa_findings_clear(&old);
    sa_findings_clear(&now);
    sa_findings_clear(&fixed);
    sa_baseline_clear(&b);
}

static sa_finding *
add(sa_findings *list, const char *code, sa_severity sev, const char *subject, const char *server)
{
    static const int ev[SA_MAX_EVENTS] = {20057, 21001, 0, 0};
    sa_finding *f = sa_findings_add_raw(list, code, sev, ev, subject, server);

    ck_assert_ptr_nonnull(f);
    return f;
}

static void
compare(void)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(sa_baseline_compare(&old, &now, &fixed, &err), SA_OK);
}

/* After compare(): the changes of the findings of now, one letter each
 * (n new, p persisting), and how many are fixed. */
static void
expect(const char *changes, size_t n_fixed)
{
    ck_assert_uint_eq(now.n, strlen(changes));
    for (size_t i = 0; i < now.n; i++) {
        ck_assert_ptr_nonnull(now.items[i].change);
        ck_assert_msg(strcmp(now.items[i].change, changes[i] == 'n' ? SA_CHANGE_NEW : SA_CHANGE_PERSISTING) ==
                          0,
                      "finding %zu (%s) is %s", i, now.items[i].subject, now.items[i].change);
    }
    ck_assert_uint_eq(fixed.n, n_fixed);
}

START_TEST(new_fixed_and_persisting)
{
    sa_finding *f =
        add(&old, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/ms03.contoso.test", "ms03.contoso.test");

    ck_assert(sa_finding_message(f, "no SPN for ms03"));
    ck_assert(sa_finding_evidence(f, "nothing holds it"));
    ck_assert(sa_finding_fix(f, "setspn -S MSOMHSvc/ms03.contoso.test CONTOSO\\ms03$"));
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/old.contoso.test", NULL);
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/old.contoso.test", NULL);
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/ms07.contoso.test", NULL);
    compare();
    expect("pn", 1);
    f = &fixed.items[0];
    ck_assert_str_eq(f->code, "SPN_MISSING");
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_str_eq(f->server, "ms03.contoso.test");
    ck_assert_str_eq(f->subject, "MSOMHSvc/ms03.contoso.test");
    ck_assert_str_eq(f->message, "no SPN for ms03");
    ck_assert_str_eq(f->evidence, "nothing holds it");
    ck_assert_str_eq(f->fix, "setspn -S MSOMHSvc/ms03.contoso.test CONTOSO\\ms03$");
    ck_assert_uint_eq(f->n_events, 2);
    ck_assert_int_eq(f->events[1], 21001);
    ck_assert_ptr_null(f->change);
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_NEW), 1);
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_PERSISTING), 1);
}
END_TEST

START_TEST(same_subject_on_two_servers_differs)
{
    add(&old, "TICKET_KVNO_MISMATCH", SA_SEV_FAILURE, "MSOMHSvc/gw.contoso.test", "ms01.contoso.test");
    add(&now, "TICKET_KVNO_MISMATCH", SA_SEV_FAILURE, "MSOMHSvc/gw.contoso.test", "ms02.contoso.test");
    add(&now, "TICKET_KVNO_MISMATCH", SA_SEV_FAILURE, "MSOMHSvc/gw.contoso.test", "ms01.contoso.test");
    compare();
    expect("np", 0);
}
END_TEST

START_TEST(null_server_is_an_identity_of_its_own)
{
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/x.contoso.test", NULL);
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/y.contoso.test", "ms01.contoso.test");
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/x.contoso.test", NULL);
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/y.contoso.test", NULL);
    compare();
    expect("pn", 1);
    ck_assert_str_eq(fixed.items[0].server, "ms01.contoso.test");
}
END_TEST

START_TEST(identity_ignores_case_of_names_not_of_codes)
{
    add(&old, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/MS03.contoso.test", "MS03.Contoso.Test");
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/z", NULL);
    add(&now, "SPN_MISSING", SA_SEV_FAILURE, "msomhsvc/ms03.contoso.test", "ms03.contoso.test");
    add(&now, "spn_stale", SA_SEV_WARNING, "MSOMHSvc/z", NULL);
    compare();
    expect("pn", 1);
    ck_assert_str_eq(fixed.items[0].code, "SPN_STALE");
}
END_TEST

START_TEST(repeated_findings_pair_one_to_one)
{
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/a", NULL);
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/b", NULL);
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/b", NULL);
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/a", NULL);
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/a", NULL);
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/b", NULL);
    compare();
    expect("pnp", 1); /* the first of a pair stays */
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_NEW), 1);
    ck_assert_str_eq(fixed.items[0].subject, "MSOMHSvc/b");
}
END_TEST

START_TEST(empty_lists)
{
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/x", NULL);
    compare(); /* empty baseline: all new */
    expect("n", 0);
    sa_findings_clear(&now);
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/x", NULL);
    compare(); /* nothing now: all fixed */
    expect("", 1);
}
END_TEST

START_TEST(exit_status_counts_new_findings_only)
{
    add(&old, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/a", "a");
    add(&now, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/a", "a");
    add(&now, "SPN_NETBIOS_MISSING", SA_SEV_WARNING, "MSOMHSvc/A", "a");
    add(&now, "REFERRAL_NOT_FOLLOWED", SA_SEV_INFO, "ldap://x", NULL);
    compare();
    ck_assert_int_eq(sa_baseline_exit_status(&now, true), SA_EXIT_WARNING);
    ck_assert_int_eq(sa_baseline_exit_status(&now, false), SA_EXIT_INCOMPLETE);
    ck_assert_int_eq(sa_findings_exit_status(&now, true), SA_EXIT_FAILURE);
    add(&old, "SPN_NETBIOS_MISSING", SA_SEV_WARNING, "MSOMHSvc/A", "a");
    sa_findings_clear(&fixed);
    compare();
    ck_assert_int_eq(sa_baseline_exit_status(&now, true), SA_EXIT_OK); /* only an info is new */
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/a", NULL);
    compare();
    ck_assert_int_eq(sa_baseline_exit_status(&now, true), SA_EXIT_FAILURE);
}
END_TEST

/* 20,000 findings against 20,000 with a tenth changed: the counts. */
START_TEST(large_reports)
{
    char subject[64];

    for (int i = 0; i < 20000; i++) {
        snprintf(subject, sizeof(subject), "MSOMHSvc/agent%05d.contoso.test", i);
        add(&old, "SPN_STALE", SA_SEV_WARNING, subject, NULL);
        snprintf(subject, sizeof(subject), "MSOMHSvc/agent%05d.contoso.test", i % 10 == 0 ? i + 100000 : i);
        add(&now, "SPN_STALE", SA_SEV_WARNING, subject, NULL);
    }
    compare();
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_NEW), 2000);
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_PERSISTING), 18000);
    ck_assert_uint_eq(fixed.n, 2000);
    ck_assert_str_eq(fixed.items[1].subject, "MSOMHSvc/agent00010.contoso.test");
}
END_TEST

/* ------------------------------------------------------------ reading */

static sa_status
parse(const char *text, sa_error *err)
{
    return sa_baseline_parse(text, strlen(text), "old.json", &b, err);
}

/* A report written by sa_report_json reads back with the same findings. */
START_TEST(written_report_reads_back)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_report r;
    sa_error err = {SA_OK, ""};
    sa_finding *f;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    f = add(&now, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/ms03.contoso.test", "ms03.contoso.test");
    ck_assert(sa_finding_message(f, "no \"SPN\" for ms03\n"));
    ck_assert(sa_finding_fix(f, "setspn -S MSOMHSvc/ms03.contoso.test CONTOSO\\ms03$"));
    add(&now, "DC_UNREACHABLE", SA_SEV_WARNING, "dc2.contoso.test", NULL);
    memset(&r, 0, sizeof(r));
    r.accounts = &accounts;
    r.findings = &now;
    r.complete = true;
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(sa_report_json(&r, out), 0);
    ck_assert_int_eq(fclose(out), 0);
    ck_assert_int_eq(sa_baseline_parse(text, len, "old.json", &b, &err), SA_OK);
    free(text);
    ck_assert_str_eq(b.file, "old.json");
    ck_assert(b.complete);
    ck_assert_uint_eq(b.findings.n, 2);
    f = &b.findings.items[0];
    ck_assert_str_eq(f->code, "SPN_MISSING");
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_str_eq(f->server, "ms03.contoso.test");
    ck_assert_str_eq(f->message, "no \"SPN\" for ms03\n");
    ck_assert_ptr_null(f->evidence);
    ck_assert_str_eq(f->fix, "setspn -S MSOMHSvc/ms03.contoso.test CONTOSO\\ms03$");
    ck_assert_uint_eq(f->n_events, 2);
    ck_assert_int_eq(f->events[0], 20057);
    ck_assert_ptr_null(b.findings.items[1].server);
    ck_assert_int_eq(b.findings.items[1].severity, SA_SEV_WARNING);
    /* the same findings: nothing changed */
    ck_assert_int_eq(sa_baseline_compare(&b.findings, &now, &fixed, &err), SA_OK);
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_PERSISTING), 2);
    ck_assert_uint_eq(fixed.n, 0);
}
END_TEST

START_TEST(empty_baseline)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(
        parse("{\"schema_version\": 1, \"findings\": [], \"generated\": \"2026-01-01T00:00:00Z\", "
              "\"complete\": false}\n",
              &err),
        SA_OK);
    ck_assert_uint_eq(b.findings.n, 0);
    ck_assert_str_eq(b.generated, "2026-01-01T00:00:00Z");
    ck_assert(!b.complete);
}
END_TEST

static const struct {
    const char *text;
    const char *says;
} corrupt[] = {
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"SPN_", "ends early"},
    {"", "empty"},
    {"  \n", "empty"},
    {"not json", "not JSON"},
    {"{\"schema_version\": 1, \"findings\": []} trailing", "more data after"},
    {"[1, 2]", "not a JSON object"},
    {"{\"findings\": []}", "no \"schema_version\""},
    {"{\"schema_version\": 2, \"findings\": []}", "\"schema_version\" is 2"},
    {"{\"schema_version\": \"1\", \"findings\": []}", "\"schema_version\" is \"1\""},
    {"{\"schema_version\": 1}", "no \"findings\" array"},
    {"{\"schema_version\": 1, \"findings\": {}}", "no \"findings\" array"},
    {"{\"schema_version\": 1, \"findings\": [{\"severity\": \"failure\", \"subject\": \"x\"}]}",
     "finding 1 has no \"code\""},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\"}, "
     "3]}",
     "finding 2 is not a JSON object"},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\"}]}",
     "finding 1 (A) has no \"subject\""},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"bad\", \"subject\": \"x\"}]}",
     "no \"severity\""},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\", "
     "\"server\": 5}]}",
     "not a string"},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\", "
     "\"events\": [\"21001\"]}]}",
     "not event IDs"},
};

START_TEST(corrupt_baseline_is_explained)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(parse(corrupt[_i].text, &err), SA_ERR_USAGE);
    ck_assert_msg(strncmp(err.message, "old.json: ", 10) == 0, "file not named: %s", err.message);
    ck_assert_msg(strstr(err.message, corrupt[_i].says) != NULL, "'%s' lacks '%s'", err.message,
                  corrupt[_i].says);
    ck_assert_ptr_null(b.file); /* nothing kept */
    ck_assert_uint_eq(b.findings.n, 0);
}
END_TEST

START_TEST(unreadable_file_is_named)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(sa_baseline_load("/nonexistent/old.json", &b, &err), SA_ERR_SYSTEM);
    ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/old.json"));
    ck_assert_ptr_nonnull(strstr(err.message, "No such file"));
}
END_TEST

START_TEST(file_is_read)
{
    sa_error err = {SA_OK, ""};
    char path[] = "/tmp/spnaudit-baseline-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

    ck_assert_ptr_nonnull(f);
    fputs("{\"schema_version\": 1, \"findings\": [{\"code\": \"SPN_STALE\", \"severity\": \"warning\", "
          "\"subject\": \"MSOMHSvc/x\", \"server\": null, \"events\": []}]}",
          f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(sa_baseline_load(path, &b, &err), SA_OK);
    unlink(path);
    ck_assert_str_eq(b.file, path);
    ck_assert_uint_eq(b.findings.n, 1);
    ck_assert_str_eq(b.findings.items[0].code, "SPN_STALE");
    ck_assert_uint_eq(b.findings.items[0].n_events, 0);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("baseline");
    TCase *tc = tcase_create("compare"), *rd = tcase_create("read");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_fixed_and_persisting);
    tcase_add_test(tc, same_subject_on_two_servers_differs);
    tcase_add_test(tc, null_server_is_an_identity_of_its_own);
    tcase_add_test(tc, identity_ignores_case_of_names_not_of_codes);
    tcase_add_test(tc, repeated_findings_pair_one_to_one);
    tcase_add_test(tc, empty_lists);
    tcase_add_test(tc, exit_status_counts_new_findings_only);
    tcase_add_test(tc, large_reports);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(rd, setup, teardown);
    tcase_add_test(rd, written_report_reads_back);
    tcase_add_test(rd, empty_baseline);
    tcase_add_loop_test(rd, corrupt_baseline_is_explained, 0, sizeof(corrupt) / sizeof(corrupt[0]));
    tcase_add_test(rd, unreadable_file_is_named);
    tcase_add_test(rd, file_is_read);
    suite_add_tcase(s, rd);
    return check_run(s);
}
