/* Unit tests: the rule on the values themselves (SPN_VALUE_SUSPICIOUS), and
 * look-alikes of a server's SPN kept apart from the server's own. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_fixture.h"
#include "fix_text.h"
#include "check_run.h"

#define CODE "SPN_VALUE_SUSPICIOUS"

/* Both MSOMHSvc SPNs of ms01.contoso.com on its own account. */
#define MS01_HEALTHY()                                                                                       \
    account("MS01$", "ms01.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms01.contoso.com",              \
            "MSOMHSvc/MS01", "MSOMSdkSvc/ms01.contoso.com", "MSOMSdkSvc/MS01", NULL)

/* Every finding filed under server. */
static size_t
count_for_server(const char *server)
{
    size_t n = 0;

    for (size_t i = 0; i < findings.n; i++)
        n += findings.items[i].server != NULL && strcmp(findings.items[i].server, server) == 0;
    return n;
}

/* f is a warning with no event, names text in its message, what in its
 * evidence, and gives no command that changes the value. */
static void
check_suspicious(const sa_finding *f, const char *text, const char *what)
{
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_WARNING);
    ck_assert_uint_eq(f->n_events, 0);
    ck_assert_msg(strstr(f->message, text) != NULL, "message: %s", f->message);
    ck_assert_msg(strstr(f->evidence, what) != NULL, "evidence: %s", f->evidence);
    /* at most a listing of the account's SPNs: never a command that changes them */
    for (size_t i = 0; i < f->fix.n; i++) {
        ck_assert_str_eq(f->fix.commands[i].program, "setspn");
        ck_assert_str_eq(f->fix.commands[i].args[0], "-L");
    }
    ck_assert_ptr_nonnull(f->fix.text);
    ck_assert_ptr_nonnull(strstr(f->fix.text, "change nothing before a person has looked at this value"));
}

START_TEST(valid_values_are_not_flagged)
{
    MS01_HEALTHY();
    account("MS-02$", "ms-02.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms-02.contoso.com:5723",
            "MSOMHSvc/MS-02", NULL);
    account("AGENT7$", "agent7.contoso.com", SA_ACCT_COMPUTER, 0x1000, "HTTP/agent7_x.contoso.com", NULL);
    analyse(false, "ms01.contoso.com", "ms-02.contoso.com", NULL);
    ck_assert_uint_eq(count(CODE), 0);
}
END_TEST

START_TEST(shell_metacharacter_in_spn)
{
    const sa_finding *f;

    MS01_HEALTHY();
    account("EVIL8$", "evil8.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/evil8&calc.exe", NULL);
    analyse(false, "ms01.contoso.com", NULL);
    f = find(CODE, "MSOMHSvc/evil8&calc.exe");
    check_suspicious(f, "of CONTOSO\\EVIL8$ holds characters no host name holds",
                     "servicePrincipalName on CN=EVIL8,CN=Computers,DC=contoso,DC=com: first '&' (shell "
                     "metacharacter) at character 15");
    ck_assert_ptr_null(f->server);
    /* the account's SPNs may be listed: setspn -L renders safely */
    ck_assert_ptr_nonnull(strstr(fix_cmd(f), "setspn -L CONTOSO\\EVIL8$\n"));
    ck_assert_uint_eq(count(CODE), 1);
    ck_assert_uint_eq(count_for_server("ms01.contoso.com"), 0);
}
END_TEST

START_TEST(each_class_in_spn_and_host_name)
{
    static const char *const spns[] = {"MSOMHSvc/\x1b]52;c;ZXZpbA==\aevil1.contoso.com",
                                       "MSOMHSvc/ms9\xff\xfe", "MSOMSdkSvc/x\u202eexe.moc", "MSOMHSvc/ms9_x"};
    static const char *const whats[] = {
        "U+001B (control character) at character 10", "byte 0xff (invalid UTF-8) at character 13",
        "U+202E (invisible character) at character 13", "'_' (character no host name holds) at character 13"};
    const sa_finding *f;

    account("EVIL1$", "evil1.contoso.com\r\n  OK      no findings", SA_ACCT_COMPUTER, 0x1000, spns[0],
            spns[1], spns[2], spns[3], NULL);
    analyse(false, NULL);
    for (size_t i = 0; i < sizeof(spns) / sizeof(spns[0]); i++)
        check_suspicious(find(CODE, spns[i]), "servicePrincipalName", whats[i]);
    f = find(CODE, "evil1.contoso.com\r\n  OK      no findings");
    check_suspicious(f, "the dNSHostName", "dNSHostName on CN=EVIL1,");
    ck_assert_ptr_nonnull(strstr(f->evidence, "U+000D (control character) at character 18"));
    /* every class seen is named, not only the first (JSON shows invalid bytes as U+FFFD: the evidence says
     * so) */
    f = find(CODE, spns[0]);
    ck_assert_ptr_nonnull(strstr(f->evidence, "; also: shell metacharacter;"));
    f = find(CODE, "MSOMHSvc/ms9\xff\xfe");
    ck_assert_ptr_null(strstr(f->evidence, "also:"));
    ck_assert_uint_eq(count(CODE), 5);
}
END_TEST

START_TEST(suspicious_value_on_a_server_account_is_filed_under_it)
{
    const sa_finding *f;

    account("MS01$", "ms01.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms01.contoso.com",
            "MSOMHSvc/MS01", "MSOMHSvc/ms01.contoso.com|x", NULL);
    analyse(false, "ms01.contoso.com", NULL);
    f = find(CODE, "MSOMHSvc/ms01.contoso.com|x");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->server, "ms01.contoso.com");
}
END_TEST

/* A Cyrillic о and a zero-width space in another account's SPNs: each a
 * look-alike of ms01's, naming both accounts; neither a duplicate of
 * ms01's SPN nor a finding about ms01. */
START_TEST(lookalike_of_a_server_spn)
{
    const char *cyr = "MSOMHSvc/ms01.c\u043entoso.com", *zw = "MSOMHSvc/ms01\u200b.contoso.com";
    const sa_finding *f;
    sa_spn_index idx;
    size_t first;

    MS01_HEALTHY();
    account("EVIL$", "evil.contoso.com", SA_ACCT_COMPUTER, 0x1000, cyr, NULL);
    account("svc-x", NULL, SA_ACCT_USER, 0x200, zw, "MSOMSdkSvc/M\u040501", NULL);
    analyse(false, "ms01.contoso.com", NULL);
    f = find(CODE, cyr);
    check_suspicious(f,
                     "of CONTOSO\\EVIL$ looks like MSOMHSvc/ms01.contoso.com, an SPN of management server "
                     "ms01.contoso.com (account: CONTOSO\\MS01$)",
                     "U+043E (look-alike of an ASCII character 'o') at character 16");
    ck_assert_ptr_nonnull(strstr(f->evidence, "folded it reads msomhsvc/ms01.contoso.com"));
    ck_assert_ptr_null(f->server);
    f = find(CODE, zw);
    check_suspicious(f, "of CONTOSO\\svc-x looks like MSOMHSvc/ms01.contoso.com, an SPN of management server",
                     "U+200B (invisible character) at character 14");
    ck_assert_ptr_null(f->server);
    /* the NetBIOS form, with a Cyrillic Ѕ */
    f = find(CODE, "MSOMSdkSvc/M\u040501");
    check_suspicious(f, "looks like MSOMSdkSvc/MS01, an SPN of management server ms01.contoso.com", "U+0405");
    ck_assert_uint_eq(count(CODE), 3);
    ck_assert_uint_eq(count("SPN_DUPLICATE"), 0);
    /* the index that finds duplicates and holders keeps them apart */
    ck_assert(sa_spn_index_build(&accounts, &idx));
    ck_assert_uint_eq(sa_spn_index_lookup(&idx, "MSOMHSvc/ms01.contoso.com", &first), 1);
    ck_assert_uint_eq(idx.refs[first].account, 0);
    ck_assert_uint_eq(sa_spn_index_lookup(&idx, "msomsdksvc/ms01", &first), 1);
    sa_spn_index_free(&idx);
    ck_assert_uint_eq(count("SPN_ON_USER_ACCOUNT"), 0);
    ck_assert_uint_eq(count_for_server("ms01.contoso.com"), 0);
}
END_TEST

/* The same look-alike on two accounts: each holder reported as holding a
 * look-alike, no duplicate verdict (whose message would say agents fail to
 * authenticate ms01) built on it. */
START_TEST(lookalike_on_two_accounts_is_no_duplicate_verdict)
{
    const char *zw = "MSOMHSvc/ms01.contoso.com\u2060";

    MS01_HEALTHY();
    account("EVIL$", "evil.contoso.com", SA_ACCT_COMPUTER, 0x1000, zw, NULL);
    account("EVIL2$", "evil2.contoso.com", SA_ACCT_COMPUTER, 0x1000, zw, NULL);
    analyse(false, "ms01.contoso.com", NULL);
    ck_assert_uint_eq(count("SPN_DUPLICATE"), 0);
    ck_assert_uint_eq(count(CODE), 2);
    ck_assert_ptr_nonnull(strstr(findings.items[0].message, "looks like MSOMHSvc/ms01.contoso.com"));
    ck_assert_ptr_nonnull(strstr(findings.items[1].message, "looks like MSOMHSvc/ms01.contoso.com"));
    ck_assert_uint_eq(count_for_server("ms01.contoso.com"), 0);
}
END_TEST

/* ms01 holds no SPN; look-alikes of both forms on another account do not
 * stand in for them. */
START_TEST(lookalike_does_not_count_as_the_server_spn)
{
    const sa_finding *f;

    account("MS01$", "ms01.contoso.com", SA_ACCT_COMPUTER, 0x1000, NULL);
    account("EVIL$", "evil.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/\uff4ds01.contoso.com",
            "MSOMHSvc/MS01\u2060", NULL);
    analyse(false, "ms01.contoso.com", NULL);
    f = find("SPN_MISSING", "MSOMHSvc/ms01.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->server, "ms01.contoso.com");
    ck_assert_ptr_nonnull(find(CODE, "MSOMHSvc/\uff4ds01.contoso.com"));
    f = find(CODE, "MSOMHSvc/MS01\u2060");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(f->message, "looks like MSOMHSvc/MS01, an SPN of management server"));
    ck_assert_uint_eq(count("SPN_FQDN_MISSING") + count("SPN_NETBIOS_MISSING"), 0);
}
END_TEST

/* ms01's account has no dNSHostName (matched by sAMAccountName): a look-alike
 * FQDN with ms01's first label on another computer is not ms01's SPN on the
 * wrong computer, and no fix moves it onto ms01's account. */
START_TEST(lookalike_gets_no_verdict_built_on_the_server)
{
    const char *cyr = "MSOMHSvc/ms01.c\u043entoso.com";

    account("MS01$", NULL, SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms01.contoso.com", "MSOMHSvc/MS01",
            "MSOMSdkSvc/ms01.contoso.com", NULL);
    account("EVIL$", "evil.contoso.com", SA_ACCT_COMPUTER, 0x1000, cyr, NULL);
    analyse(false, "ms01.contoso.com", NULL);
    ck_assert_ptr_nonnull(find(CODE, cyr));
    ck_assert_uint_eq(count("SPN_WRONG_COMPUTER"), 0);
    ck_assert_uint_eq(count("SPN_STALE"), 0);
    ck_assert_uint_eq(count(CODE), 1);
    ck_assert_uint_eq(count_for_server("ms01.contoso.com"), 0);
}
END_TEST

START_TEST(lookalike_host_name)
{
    const sa_finding *f;

    MS01_HEALTHY();
    account("EVIL$", "ms01.contoso.co\u217f", SA_ACCT_COMPUTER, 0x1000, NULL);
    analyse(false, "ms01.contoso.com", NULL);
    f = find(CODE, "ms01.contoso.co\u217f");
    check_suspicious(f,
                     "the dNSHostName ms01.contoso.co\u217f of CONTOSO\\EVIL$ looks like the name of "
                     "management server ms01.contoso.com (account: CONTOSO\\MS01$)",
                     "U+217F");
    ck_assert_int_eq(servers[0].account, 0);
    ck_assert_uint_eq(count_for_server("ms01.contoso.com"), 0);
}
END_TEST

/* A disabled holder of a look-alike is still reported disabled. */
START_TEST(disabled_holder_of_a_lookalike)
{
    MS01_HEALTHY();
    account("OLD$", "old.contoso.com", SA_ACCT_COMPUTER, 0x1002, "MSOMHSvc/ms01.contoso.com\u200b", NULL);
    analyse(false, "ms01.contoso.com", NULL);
    ck_assert_ptr_nonnull(find("ACCOUNT_DISABLED", "CONTOSO\\OLD$"));
    ck_assert_ptr_nonnull(find(CODE, "MSOMHSvc/ms01.contoso.com\u200b"));
}
END_TEST

/* A value whose setspn -L line cannot be written safely (a hostile
 * sAMAccountName) gets no command at all. */
START_TEST(no_listing_for_an_unsafe_account_name)
{
    const sa_finding *f;

    account("evil%PATH%", NULL, SA_ACCT_USER, 0x200, "MSOMHSvc/x&y", NULL);
    analyse(false, NULL);
    f = find(CODE, "MSOMHSvc/x&y");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_null(strstr(fix_cmd(f), "setspn"));
    ck_assert_msg(strncmp(fix_cmd(f), "no command: ", 12) == 0, "%s", fix_cmd(f));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("values");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, valid_values_are_not_flagged);
    tcase_add_test(tc, shell_metacharacter_in_spn);
    tcase_add_test(tc, each_class_in_spn_and_host_name);
    tcase_add_test(tc, suspicious_value_on_a_server_account_is_filed_under_it);
    tcase_add_test(tc, lookalike_of_a_server_spn);
    tcase_add_test(tc, lookalike_on_two_accounts_is_no_duplicate_verdict);
    tcase_add_test(tc, lookalike_does_not_count_as_the_server_spn);
    tcase_add_test(tc, lookalike_gets_no_verdict_built_on_the_server);
    tcase_add_test(tc, lookalike_host_name);
    tcase_add_test(tc, disabled_holder_of_a_lookalike);
    tcase_add_test(tc, no_listing_for_an_unsafe_account_name);
    suite_add_tcase(s, tc);
    return check_run(s);
}
