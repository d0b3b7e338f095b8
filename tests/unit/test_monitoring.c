/* Unit tests: the monitoring formats (CSV, Prometheus, Nagios) on a
 * hand-made report. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "config.h"
#include "formats_fixture.h"
#include "spnaudit/report.h"

START_TEST(csv_golden)
{
    fixture x;
    char *text;

    fixture_full(&x, true);
    text = render(sa_report_csv, &x.r);
    ck_assert_str_eq(text, "severity,code,server,subject,events,message,evidence,fix,change\r\n"
                           "failure,SPN_MISSING,ms01.contoso.test,MSOMHSvc/ms01.contoso.test,20057 21001 "
                           "21035,\"no SPN, \"\"at all\"\"\",,\"setspn -S A x\nsetspn -S B x\",\r\n"
                           "failure,SPN_MISSING,ms02.contoso.test,MSOMHSvc/ms02.contoso.test,20057 21001 "
                           "21035,,,,\r\n"
                           "failure,SPN_DUPLICATE,,\"MSOMHSvc/ms,07|x\\x0aline\",21001 21016,pipe | and "
                           "back\\slash,,,new\r\n"
                           "warning,SDK_SPN_MISSING,ms01.contoso.test,MSOMSdkSvc/\xc3\xbc"
                           "berhost.contoso.test,26371,,\"a\\x0db\",,\r\n"
                           "info,REFERRAL_NOT_FOLLOWED,,ldap://other/DC=x,,,,,\r\n");
    free(text);
    fixture_clear(&x);
}
END_TEST

START_TEST(csv_empty_is_the_header)
{
    fixture x;
    char *text;

    fixture_empty(&x);
    text = render(sa_report_csv, &x.r);
    ck_assert_str_eq(text, "severity,code,server,subject,events,message,evidence,fix,change\r\n");
    free(text);
}
END_TEST

/* ------------------------------------------------------------ Prometheus */

static const char prom_tail[] =
    "# HELP spnaudit_tickets_tried Service tickets requested.\n"
    "# TYPE spnaudit_tickets_tried gauge\n"
    "spnaudit_tickets_tried{domain=\"contoso.test\"} 2\n"
    "# HELP spnaudit_tickets_failed Service tickets the KDC refused.\n"
    "# TYPE spnaudit_tickets_failed gauge\n"
    "spnaudit_tickets_failed{domain=\"contoso.test\"} 1\n"
    "# HELP spnaudit_duration_seconds How long the audit took.\n"
    "# TYPE spnaudit_duration_seconds gauge\n"
    "spnaudit_duration_seconds{domain=\"contoso.test\"} 1.500\n"
    "# HELP spnaudit_audit_complete 1 when the audit read and checked everything, else 0.\n"
    "# TYPE spnaudit_audit_complete gauge\n"
    "spnaudit_audit_complete{domain=\"contoso.test\"} 1\n"
    "# HELP spnaudit_exit_status The audit's exit status: 0 clean, 1 warnings, 2 failures, 3 incomplete.\n"
    "# TYPE spnaudit_exit_status gauge\n"
    "spnaudit_exit_status{domain=\"contoso.test\"} 2\n"
    "# HELP spnaudit_last_run_timestamp_seconds When the audit ended, in seconds since the epoch.\n"
    "# TYPE spnaudit_last_run_timestamp_seconds gauge\n"
    "spnaudit_last_run_timestamp_seconds{domain=\"contoso.test\"} 1700000000.250\n"
    "# HELP spnaudit_last_success_timestamp_seconds When the last complete audit ended, in seconds since "
    "the epoch.\n"
    "# TYPE spnaudit_last_success_timestamp_seconds gauge\n"
    "spnaudit_last_success_timestamp_seconds{domain=\"contoso.test\"} 1700000000.250\n";

START_TEST(prometheus_golden)
{
    fixture x;
    char *text, *expected;

    fixture_full(&x, false); /* the order of the findings does not matter */
    text = render(sa_report_prometheus, &x.r);
    expected = malloc(4096);
    ck_assert_ptr_nonnull(expected);
    snprintf(expected, 4096, "%s%s",
             "# HELP spnaudit_findings Findings of the last audit, by code and severity.\n"
             "# TYPE spnaudit_findings gauge\n"
             "spnaudit_findings{domain=\"contoso.test\",code=\"REFERRAL_NOT_FOLLOWED\",severity=\"info\"} 1\n"
             "spnaudit_findings{domain=\"contoso.test\",code=\"SDK_SPN_MISSING\",severity=\"warning\"} 1\n"
             "spnaudit_findings{domain=\"contoso.test\",code=\"SPN_DUPLICATE\",severity=\"failure\"} 1\n"
             "spnaudit_findings{domain=\"contoso.test\",code=\"SPN_MISSING\",severity=\"failure\"} 2\n"
             "# HELP spnaudit_findings_total Findings of the last audit, by severity.\n"
             "# TYPE spnaudit_findings_total gauge\n"
             "spnaudit_findings_total{domain=\"contoso.test\",severity=\"info\"} 1\n"
             "spnaudit_findings_total{domain=\"contoso.test\",severity=\"warning\"} 1\n"
             "spnaudit_findings_total{domain=\"contoso.test\",severity=\"failure\"} 3\n",
             prom_tail);
    ck_assert_str_eq(text, expected);
    free(expected);
    free(text);
    fixture_clear(&x);
}
END_TEST

START_TEST(prometheus_escapes_label_values)
{
    fixture x;
    char *text;
    sa_finding *f;

    fixture_empty(&x);
    x.r.domain = "con\"to\\so\nx";
    f = add(&x.findings, SA_F_SPN_STALE, "MSOMHSvc/\xc3\xbc", NULL);
    f->code = "ODD,\"CODE\\\n";
    text = render(sa_report_prometheus, &x.r);
    ck_assert_ptr_nonnull(strstr(
        text, "\nspnaudit_findings{domain=\"con\\\"to\\\\so\\\\x0ax\",code=\"ODD,\\\"CODE\\\\\\\\\\\\x0a\","
              "severity=\"warning\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_exit_status{domain=\"con\\\"to\\\\so\\\\x0ax\"} 0\n"));
    /* no raw line break inside a sample: every line is a comment or a sample */
    for (const char *line = text; *line != '\0'; line = strchr(line, '\n') + 1)
        ck_assert(line[0] == '#' || strncmp(line, "spnaudit_", 9) == 0);
    free(text);
    fixture_clear(&x);
}
END_TEST

START_TEST(prometheus_empty_and_incomplete)
{
    fixture x;
    char *text;

    fixture_empty(&x);
    x.r.complete = false;
    x.r.exit_status = SA_EXIT_INCOMPLETE;
    x.r.tickets = NULL;
    text = render(sa_report_prometheus, &x.r);
    ck_assert_ptr_null(strstr(text, "spnaudit_findings{"));
    ck_assert_ptr_nonnull(
        strstr(text, "\nspnaudit_findings_total{domain=\"contoso.test\",severity=\"info\"} 0\n"
                     "spnaudit_findings_total{domain=\"contoso.test\",severity=\"warning\"} 0\n"
                     "spnaudit_findings_total{domain=\"contoso.test\",severity=\"failure\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_tickets_tried{domain=\"contoso.test\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_audit_complete{domain=\"contoso.test\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_exit_status{domain=\"contoso.test\"} 3\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_last_run_timestamp_seconds{"));
    ck_assert_ptr_null(strstr(text, "spnaudit_last_success_timestamp_seconds"));
    free(text);
}
END_TEST

/* ------------------------------------------------------------ Nagios */

static const char nagios_long[] =
    "FAILURE SPN_MISSING MSOMHSvc/ms01.contoso.test on ms01.contoso.test: no SPN, \"at all\"\n"
    "FAILURE SPN_MISSING MSOMHSvc/ms02.contoso.test on ms02.contoso.test\n"
    "FAILURE SPN_DUPLICATE MSOMHSvc/ms,07/x\\x0aline: pipe / and back\\slash\n"
    "WARNING SDK_SPN_MISSING MSOMSdkSvc/\xc3\xbc"
    "berhost.contoso.test on ms01.contoso.test\n"
    "INFO REFERRAL_NOT_FOLLOWED ldap://other/DC=x\n";

START_TEST(nagios_golden)
{
    fixture x;
    char *text, expected[2048];

    fixture_full(&x, true);
    text = render(sa_report_nagios, &x.r);
    snprintf(
        expected, sizeof(expected), "%s%s",
        "SPNAUDIT CRITICAL - 3 failures, 1 warning, 1 info in contoso.test; worst: SPN_MISSING "
        "MSOMHSvc/ms01.contoso.test | failures=3;;; warnings=1;;; tickets_failed=1;;; tickets_tried=2;;; "
        "time=1.500s;;;\n",
        nagios_long);
    ck_assert_str_eq(text, expected);
    free(text);
    fixture_clear(&x);
}
END_TEST

START_TEST(nagios_worst_first_whatever_the_order)
{
    fixture x;
    char *text;

    fixture_full(&x, false); /* as added: the info first, the failures last */
    text = render(sa_report_nagios, &x.r);
    /* the failures first, in the order they came, then the warning, the info */
    ck_assert_ptr_nonnull(strstr(text, "; worst: SPN_DUPLICATE MSOMHSvc/ms,07/x\\x0aline | "));
    ck_assert_ptr_nonnull(strstr(text,
                                 " time=1.500s;;;\n"
                                 "FAILURE SPN_DUPLICATE MSOMHSvc/ms,07/x\\x0aline: pipe / and back\\slash\n"
                                 "FAILURE SPN_MISSING MSOMHSvc/ms02.contoso.test on ms02.contoso.test\n"
                                 "FAILURE SPN_MISSING MSOMHSvc/ms01.contoso.test on ms01.contoso.test: no "
                                 "SPN, \"at all\"\n"
                                 "WARNING SDK_SPN_MISSING "));
    ck_assert_ptr_nonnull(strstr(text, "\nINFO REFERRAL_NOT_FOLLOWED ldap://other/DC=x\n"));
    ck_assert(strstr(text, "\nWARNING SDK_SPN_MISSING ") < strstr(text, "\nINFO REFERRAL_NOT_FOLLOWED "));
    free(text);
    fixture_clear(&x);
}
END_TEST

static const struct {
    int exit_status;
    bool complete;
    const char *line; /* the whole output of an empty report */
} nagios_matrix[] = {
    {0, true,
     "SPNAUDIT OK - 0 failures, 0 warnings, 0 info in contoso.test | failures=0;;; warnings=0;;; "
     "tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
    {1, true,
     "SPNAUDIT WARNING - 0 failures, 0 warnings, 0 info in contoso.test | failures=0;;; warnings=0;;; "
     "tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
    {2, true,
     "SPNAUDIT CRITICAL - 0 failures, 0 warnings, 0 info in contoso.test | failures=0;;; warnings=0;;; "
     "tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
    {3, false,
     "SPNAUDIT UNKNOWN - audit incomplete: cannot bind to dc1: a/b\\x0ac | failures=0;;; warnings=0;;; "
     "tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
    {64, true,
     "SPNAUDIT UNKNOWN - exit status 64; 0 failures, 0 warnings, 0 info in contoso.test | failures=0;;; "
     "warnings=0;;; tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
};

START_TEST(nagios_status_matrix)
{
    fixture x;
    char *text;

    fixture_empty(&x);
    x.r.exit_status = nagios_matrix[_i].exit_status;
    x.r.complete = nagios_matrix[_i].complete;
    x.r.incomplete_reason = "cannot bind to dc1: a|b\nc";
    text = render(sa_report_nagios, &x.r);
    ck_assert_str_eq(text, nagios_matrix[_i].line);
    free(text);
}
END_TEST

START_TEST(nagios_status_words)
{
    ck_assert_str_eq(sa_nagios_status(0), "OK");
    ck_assert_str_eq(sa_nagios_status(1), "WARNING");
    ck_assert_str_eq(sa_nagios_status(2), "CRITICAL");
    ck_assert_str_eq(sa_nagios_status(3), "UNKNOWN");
    ck_assert_str_eq(sa_nagios_status(64), "UNKNOWN");
    ck_assert_str_eq(sa_nagios_status(-1), "UNKNOWN");
}
END_TEST

START_TEST(nagios_incomplete_with_findings)
{
    fixture x;
    char *text;

    fixture_full(&x, true);
    x.r.complete = false;
    x.r.exit_status = SA_EXIT_INCOMPLETE;
    x.r.incomplete_reason = "the search was cut short";
    text = render(sa_report_nagios, &x.r);
    ck_assert_ptr_nonnull(strstr(text,
                                 "SPNAUDIT UNKNOWN - audit incomplete: the search was cut short; so far 3 "
                                 "failures, 1 warning, 1 info in contoso.test; worst: SPN_MISSING "
                                 "MSOMHSvc/ms01.contoso.test | failures=3;;;"));
    ck_assert_ptr_nonnull(strstr(text, nagios_long));
    free(text);
    fixture_clear(&x);
}
END_TEST

/* ------------------------------------------------------------ text */

int
main(void)
{
    Suite *s = suite_create("monitoring");
    TCase *tc = tcase_create("monitoring");

    tcase_add_test(tc, csv_golden);
    tcase_add_test(tc, csv_empty_is_the_header);
    tcase_add_test(tc, prometheus_golden);
    tcase_add_test(tc, prometheus_escapes_label_values);
    tcase_add_test(tc, prometheus_empty_and_incomplete);
    tcase_add_test(tc, nagios_golden);
    tcase_add_test(tc, nagios_worst_first_whatever_the_order);
    tcase_add_loop_test(tc, nagios_status_matrix, 0, sizeof(nagios_matrix) / sizeof(nagios_matrix[0]));
    tcase_add_test(tc, nagios_status_words);
    tcase_add_test(tc, nagios_incomplete_with_findings);
    suite_add_tcase(s, tc);
    return check_run(s);
}
