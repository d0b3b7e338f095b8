/* Unit tests: SPN parsing and comparison. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/spn.h"

START_TEST(parses_class_and_host)
{
    sa_spn s;
    const char *why = "unset";

    ck_assert(sa_spn_parse("MSOMHSvc/ms01.contoso.com", &s, &why));
    ck_assert_ptr_null(why);
    ck_assert_str_eq(s.service_class, "MSOMHSvc");
    ck_assert_str_eq(s.host, "ms01.contoso.com");
    ck_assert_uint_eq(s.port, 0);
    ck_assert_str_eq(s.service_name, "");
}
END_TEST

START_TEST(parses_port_and_service_name)
{
    sa_spn s;
    const char *why;

    ck_assert(sa_spn_parse("MSSQLSvc/db01.contoso.com:1433", &s, &why));
    ck_assert_str_eq(s.host, "db01.contoso.com");
    ck_assert_uint_eq(s.port, 1433);
    ck_assert(sa_spn_parse("ldap/dc1.contoso.com/contoso.com", &s, &why));
    ck_assert_str_eq(s.host, "dc1.contoso.com");
    ck_assert_str_eq(s.service_name, "contoso.com");
    ck_assert(sa_spn_parse("ldap/dc1.contoso.com:389/contoso.com", &s, &why));
    ck_assert_uint_eq(s.port, 389);
    ck_assert_str_eq(s.service_name, "contoso.com");
    ck_assert(sa_spn_parse("MSOMHSvc/MS01", &s, &why));
    ck_assert_str_eq(s.host, "MS01");
}
END_TEST

static const struct {
    const char *text;
    const char *why_part;
} malformed[] = {
    {"", "empty"},
    {"MSOMHSvc", "no '/'"},
    {"/ms01.contoso.com", "empty service class"},
    {"MSOMHSvc/", "empty host"},
    {"MSOMHSvc/:5723", "empty host"},
    {"MSOMHSvc/ms01:", "empty port"},
    {"MSOMHSvc/ms01:57x3", "not a number"},
    {"MSOMHSvc/ms01:0", "out of range"},
    {"MSOMHSvc/ms01:65536", "out of range"},
    {"MSOMHSvc/ms01:99999999999999999999", "out of range"},
    {"MSOMHSvc/ms01/", "empty service name"},
    {"MSOMHSvc/ms01/a/b", "more than three"},
    {"MSOMHSvc/ms 01", "white space"},
    {"MSOMHSvc/ms01\n", "control"},
    {"MSOMHSvc/ms01@CONTOSO.COM", "'@'"},
};

START_TEST(rejects_malformed)
{
    sa_spn s;
    const char *why = NULL;

    ck_assert_msg(!sa_spn_parse(malformed[_i].text, &s, &why), "accepted \"%s\"", malformed[_i].text);
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strstr(why, malformed[_i].why_part) != NULL, "\"%s\": reason \"%s\" lacks \"%s\"",
                  malformed[_i].text, why, malformed[_i].why_part);
}
END_TEST

START_TEST(rejects_null_and_overlong)
{
    sa_spn s;
    const char *why = NULL;
    char *big = malloc(SA_SPN_MAX + 10);

    ck_assert(!sa_spn_parse(NULL, &s, &why));
    ck_assert_ptr_nonnull(big);
    memset(big, 'a', SA_SPN_MAX + 9);
    big[3] = '/';
    big[SA_SPN_MAX + 9] = '\0';
    ck_assert(!sa_spn_parse(big, &s, &why));
    ck_assert_ptr_nonnull(strstr(why, "too long"));
    free(big);
}
END_TEST

START_TEST(compares_case_insensitively)
{
    ck_assert(sa_spn_equal("MSOMHSvc/MS01.Contoso.COM", "msomhsvc/ms01.contoso.com"));
    ck_assert(!sa_spn_equal("MSOMHSvc/ms01.contoso.com", "MSOMHSvc/ms01.contoso.co"));
    ck_assert(sa_spn_has_class("msomhsvc/ms01", "MSOMHSvc"));
    ck_assert(!sa_spn_has_class("MSOMHSvcX/ms01", "MSOMHSvc"));
    ck_assert(!sa_spn_has_class("MSOMHSv/ms01", "MSOMHSvc"));
    ck_assert(sa_spn_host_is_fqdn("ms01.contoso.com"));
    ck_assert(!sa_spn_host_is_fqdn("MS01"));
}
END_TEST

START_TEST(derives_netbios_names)
{
    char nb[16];

    sa_netbios_from_fqdn("ms01.contoso.com", nb, sizeof(nb));
    ck_assert_str_eq(nb, "MS01");
    sa_netbios_from_fqdn("averyveryverylongname.contoso.com", nb, sizeof(nb));
    ck_assert_str_eq(nb, "AVERYVERYVERYLO");
    ck_assert_uint_eq(strlen(nb), 15);
    sa_netbios_from_fqdn("single", nb, sizeof(nb));
    ck_assert_str_eq(nb, "SINGLE");
    sa_netbios_from_fqdn("ms01.contoso.com", nb, 3);
    ck_assert_str_eq(nb, "MS");
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("spn");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, parses_class_and_host);
    tcase_add_test(tc, parses_port_and_service_name);
    tcase_add_loop_test(tc, rejects_malformed, 0, sizeof(malformed) / sizeof(malformed[0]));
    tcase_add_test(tc, rejects_null_and_overlong);
    tcase_add_test(tc, compares_case_insensitively);
    tcase_add_test(tc, derives_netbios_names);
    suite_add_tcase(s, tc);
    return check_run(s);
}
