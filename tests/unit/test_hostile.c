/* Unit tests: a report whose names carry terminal escapes (clear screen,
 * OSC 52 clipboard write), bell, CR/LF that would forge lines, bidi
 * controls and invalid UTF-8, rendered in every format: no raw control
 * byte comes out, no line is added, and JSON keeps the value (valid
 * UTF-8). */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "formats_fixture.h"
#include "spnaudit/report.h"

#define HOSTILE                                                                                              \
    "\x1b[2J\x1b]52;c;ZXZpbA==\x07\r\n  OK      no findings\n\xe2\x80\xae"                                   \
    "lmx.\xe2\x81\xa6\xc2\x9b\xff\x7f"

/* ms01 held by an account whose name, DN and SPN carry what (HOSTILE, or
 * a plain word for the line count to compare with), and findings whose
 * subject, message, evidence and fix carry it too (the fix's command,
 * refused for HOSTILE, given for a plain word), in the domain what.test. */
static void
make(fixture *x, const char *what, char domain[static 128])
{
    char spn[256], dn[256], sam[128];
    sa_account *a;
    sa_finding *f;

    fixture_empty(x);
    snprintf(spn, sizeof(spn), "MSOMHSvc/%s.contoso.test", what);
    snprintf(dn, sizeof(dn), "CN=%s,CN=Computers,DC=contoso,DC=test", what);
    snprintf(sam, sizeof(sam), "%s$", what);
    a = add_account(&x->accounts, dn, sam, "ms01.contoso.test", SA_ACCT_COMPUTER);
    ck_assert(sa_strv_add(&a->spns, "MSOMHSvc/ms01.contoso.test") && sa_strv_add(&a->spns, spn));
    x->server.account = 0;
    f = add(&x->findings, SA_F_SPN_DUPLICATE, spn, "ms01.contoso.test");
    ck_assert(sa_finding_message(f, "%s is held by %s", spn, dn));
    ck_assert(sa_finding_evidence(f, "holder %s", sam));
    ck_assert(sa_finding_fix_cmds(f, &(sa_fix_cmd){"setspn", {"-D", spn, sam}, 3}, 1, NULL));
    f = add(&x->findings, SA_F_SPN_STALE, spn, NULL);
    ck_assert(sa_finding_message(f, "stale: %s", what));
    snprintf(domain, 128, "%s.test", what);
    x->r.domain = domain;
    x->r.exit_status = SA_EXIT_FAILURE;
    x->r.width = 1000; /* the escaped name is longer: at 80 columns it would wrap onto more lines */
}

static size_t
count_lines(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        n += *s == '\n';
    return n;
}

typedef int (*format_fn)(const sa_report *, FILE *);

static const struct {
    const char *name;
    format_fn fn;
    bool crlf;        /* lines end in CR LF (CSV) */
    const char *seen; /* how the escapes show */
} formats[] = {
    {"text", sa_report_text, false, "\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07"},
    {"csv", sa_report_csv, true, "\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07"},
    {"nagios", sa_report_nagios, false, "\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07"},
    /* label values escape the backslash once more */
    {"prometheus", sa_report_prometheus, false, "\\\\x1b[2J\\\\x1b]52;c;ZXZpbA==\\\\x07"},
};

START_TEST(no_control_byte_no_forged_line)
{
    fixture hostile, plain;
    char *bad, *good, bad_domain[128], good_domain[128];

    make(&hostile, HOSTILE, bad_domain);
    make(&plain, "evil1", good_domain);
    bad = render(formats[_i].fn, &hostile.r);
    good = render(formats[_i].fn, &plain.r);
    for (const unsigned char *p = (const unsigned char *)bad; *p != '\0'; p++) {
        bool line_end = *p == '\n' || (formats[_i].crlf && *p == '\r' && p[1] == '\n');
        ck_assert_msg(line_end || (*p >= 0x20 && *p != 0x7F), "%s: raw byte 0x%02x at %td", formats[_i].name,
                      *p, (const char *)p - bad);
    }
    ck_assert_msg(count_lines(bad) == count_lines(good), "%s: %zu lines, %zu for a plain name",
                  formats[_i].name, count_lines(bad), count_lines(good));
    ck_assert_ptr_null(strstr(bad, "\n  OK      no findings"));
    ck_assert_ptr_nonnull(strstr(bad, formats[_i].seen));
    free(bad);
    free(good);
    sa_accounts_clear(&hostile.accounts);
    sa_accounts_clear(&plain.accounts);
    fixture_clear(&hostile);
    fixture_clear(&plain);
}
END_TEST

/* JSON keeps the value, its invalid byte replaced by U+FFFD. */
START_TEST(json_keeps_the_value)
{
    fixture x;
    char *text, domain[128];
    json_object *root, *findings, *subject, *spns;
    const char *want = "MSOMHSvc/\x1b[2J\x1b]52;c;ZXZpbA==\x07\r\n  OK      no findings\n\xe2\x80\xae"
                       "lmx.\xe2\x81\xa6\xc2\x9b\xef\xbf\xbd\x7f.contoso.test";

    make(&x, HOSTILE, domain);
    text = render(sa_report_json, &x.r);
    ck_assert_ptr_nonnull(root = json_tokener_parse(text));
    ck_assert(json_object_object_get_ex(root, "findings", &findings));
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(findings, 0), "subject", &subject));
    ck_assert_str_eq(json_object_get_string(subject), want);
    ck_assert(json_object_object_get_ex(
        json_object_array_get_idx(json_object_object_get(root, "accounts"), 0), "spns", &spns));
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(spns, 1)), want);
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        ck_assert(*p != 0xFF && *p != 0x1B && *p != 0x07 && *p != '\r' && *p != 0x7F);
    ck_assert_ptr_nonnull(strstr(text, "\\u007f.contoso.test")); /* json-c leaves DEL raw */
    json_object_put(root);
    free(text);
    sa_accounts_clear(&x.accounts);
    fixture_clear(&x);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("hostile");

    tcase_add_loop_test(tc, no_control_byte_no_forged_line, 0, sizeof(formats) / sizeof(formats[0]));
    tcase_add_test(tc, json_keeps_the_value);
    suite_add_tcase(s, tc);
    return check_run(s);
}
