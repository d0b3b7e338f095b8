/* Unit tests for --principal's name: user@REALM, user, DOMAIN\user, and
 * the mistakes refused with the form to use (word for word). */
#include <check.h>
#include <stdlib.h>

#include "check_run.h"
#include "spnaudit/principal.h"

static void
expect_name(const char *given, const char *default_realm, const char *want)
{
    sa_error err = {SA_OK, ""};
    char *out = NULL;

    ck_assert_int_eq(sa_principal_from_option(given, default_realm, &out, &err), SA_OK);
    ck_assert_str_eq(out, want);
    free(out);
}

static void
expect_refused(const char *given, const char *default_realm, const char *message)
{
    sa_error err = {SA_OK, ""};
    char *out = (char *)"unset";

    ck_assert_int_eq(sa_principal_from_option(given, default_realm, &out, &err), SA_ERR_USAGE);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(err.message, message);
}

START_TEST(kerberos_forms_pass_unchanged)
{
    expect_name("administrator@CONTOSO.TEST", "CONTOSO.TEST", "administrator@CONTOSO.TEST");
    expect_name("administrator", "CONTOSO.TEST", "administrator");
    expect_name("svc@FABRIKAM.TEST", NULL, "svc@FABRIKAM.TEST");
    expect_name("host/ms01.contoso.test@CONTOSO.TEST", "CONTOSO.TEST", "host/ms01.contoso.test@CONTOSO.TEST");
}
END_TEST

START_TEST(windows_form_of_the_default_realm_is_accepted)
{
    expect_name("CONTOSO\\administrator", "CONTOSO.TEST", "administrator@CONTOSO.TEST");
    expect_name("contoso\\administrator", "CONTOSO.TEST", "administrator@CONTOSO.TEST");
    expect_name("CONTOSO\\ms01$", "CONTOSO", "ms01$@CONTOSO");
}
END_TEST

START_TEST(lower_case_realm_is_refused)
{
    expect_refused("administrator@contoso.test", "CONTOSO.TEST",
                   "--principal administrator@contoso.test: Kerberos realms are upper case (an Active "
                   "Directory realm is its DNS domain in capitals): use --principal "
                   "administrator@CONTOSO.TEST");
    expect_refused("svc@Contoso.TEST", NULL,
                   "--principal svc@Contoso.TEST: Kerberos realms are upper case (an Active Directory realm "
                   "is its DNS domain in capitals): use --principal svc@CONTOSO.TEST");
}
END_TEST

START_TEST(windows_form_of_another_domain_is_refused)
{
    expect_refused("FABRIKAM\\administrator", "CONTOSO.TEST",
                   "--principal FABRIKAM\\administrator: FABRIKAM is a Windows (NetBIOS) domain name, and "
                   "the default realm of krb5.conf is CONTOSO.TEST, another domain: Kerberos names the user "
                   "administrator@REALM, REALM being the domain's DNS name in capitals: use --principal "
                   "administrator@REALM");
    expect_refused("CONTOSO\\administrator", NULL,
                   "--principal CONTOSO\\administrator: CONTOSO is a Windows (NetBIOS) domain name, and the "
                   "default realm of krb5.conf is not set: Kerberos names the user administrator@REALM, "
                   "REALM being the domain's DNS name in capitals: use --principal administrator@REALM");
    /* a prefix of the realm's first label is another name */
    expect_refused(
        "CONT\\administrator", "CONTOSO.TEST",
        "--principal CONT\\administrator: CONT is a Windows (NetBIOS) domain name, and the default "
        "realm of krb5.conf is CONTOSO.TEST, another domain: Kerberos names the user "
        "administrator@REALM, REALM being the domain's DNS name in capitals: use --principal "
        "administrator@REALM");
}
END_TEST

START_TEST(windows_form_without_a_user_is_refused)
{
    expect_refused("CONTOSO\\", "CONTOSO.TEST",
                   "--principal CONTOSO\\: not a user name: give user@REALM, or DOMAIN\\user with one "
                   "backslash");
    expect_refused("CONTOSO\\a\\b", "CONTOSO.TEST",
                   "--principal CONTOSO\\a\\b: not a user name: give user@REALM, or DOMAIN\\user with one "
                   "backslash");
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("principal");
    TCase *tc = tcase_create("principal");

    tcase_add_test(tc, kerberos_forms_pass_unchanged);
    tcase_add_test(tc, windows_form_of_the_default_realm_is_accepted);
    tcase_add_test(tc, lower_case_realm_is_refused);
    tcase_add_test(tc, windows_form_of_another_domain_is_refused);
    tcase_add_test(tc, windows_form_without_a_user_is_refused);
    suite_add_tcase(s, tc);
    return check_run(s);
}
