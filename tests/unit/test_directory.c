/* Unit tests for the pure parts of the directory module: AD's simple-bind
 * diagnostics, the clear-text bind rule, DN and time conversions, filter
 * escaping, whether a name is in a domain. */
#include <check.h>
#include <stdlib.h>

#include "check_run.h"
#include "spnaudit/directory.h"

START_TEST(bind_data_codes_are_decoded)
{
    ck_assert_str_eq(sa_ad_bind_data_text("80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext "
                                          "error, data 52e, v1db1"),
                     "wrong password (or no such user)");
    ck_assert_str_eq(sa_ad_bind_data_text("80090308: LdapErr: DSID-0C09042F, comment: AcceptSecurityContext "
                                          "error, data 775, v2580"),
                     "the account is locked out");
    ck_assert_str_eq(sa_ad_bind_data_text("... error, data 533, v4563"), "the account is disabled");
    ck_assert_str_eq(sa_ad_bind_data_text("... error, data 532"), "the password has expired");
    ck_assert_str_eq(sa_ad_bind_data_text("... error, data 773, v1db1"),
                     "the password must be changed first");
    /* upper case hex as some DCs write it */
    ck_assert_str_eq(sa_ad_bind_data_text("... error, data 52E, v1db1"), "wrong password (or no such user)");
}
END_TEST

START_TEST(unknown_or_absent_data_codes_give_null)
{
    ck_assert_ptr_null(sa_ad_bind_data_text(NULL));
    ck_assert_ptr_null(sa_ad_bind_data_text(""));
    ck_assert_ptr_null(sa_ad_bind_data_text("Invalid credentials"));
    ck_assert_ptr_null(sa_ad_bind_data_text("... error, data 999, v1db1"));
    /* a prefix of a known code is not that code */
    ck_assert_ptr_null(sa_ad_bind_data_text("... error, data 52ef, v1db1"));
    ck_assert_ptr_null(sa_ad_bind_data_text("... error, data 5"));
}
END_TEST

START_TEST(cleartext_bind_rule)
{
    sa_dir_options o = {0};

    ck_assert(!sa_dir_cleartext_bind(&o)); /* GSSAPI: no password at all */
    o.bind_user = "admin@contoso.test";
    ck_assert(sa_dir_cleartext_bind(&o));
    o.uri = "ldap://dc1.contoso.test";
    ck_assert(sa_dir_cleartext_bind(&o));
    o.uri = "LDAPS://dc1.contoso.test"; /* schemes are case-insensitive */
    ck_assert(!sa_dir_cleartext_bind(&o));
    o.uri = "ldap://dc1.contoso.test";
    o.tls = SA_TLS_STARTTLS;
    ck_assert(!sa_dir_cleartext_bind(&o));
    o.tls = SA_TLS_LDAPS;
    o.uri = NULL;
    ck_assert(!sa_dir_cleartext_bind(&o));
}
END_TEST

START_TEST(domain_dns_from_dn)
{
    char *s = sa_dn_to_dns_domain("DC=contoso,DC=test");

    ck_assert_str_eq(s, "contoso.test");
    free(s);
    s = sa_dn_to_dns_domain("dc=emea, dc=contoso, dc=com");
    ck_assert_str_eq(s, "emea.contoso.com");
    free(s);
    ck_assert_ptr_null(sa_dn_to_dns_domain("CN=Configuration,DC=contoso,DC=test"));
    ck_assert_ptr_null(sa_dn_to_dns_domain(""));
    ck_assert_ptr_null(sa_dn_to_dns_domain(NULL));
}
END_TEST

START_TEST(domain_of_an_object)
{
    char *s = sa_dn_domain_of("CN=ms01,CN=Computers,DC=contoso,DC=test");

    ck_assert_str_eq(s, "contoso.test");
    free(s);
    s = sa_dn_domain_of("CN=ms02dup,OU=Servers,DC=emea,DC=fabrikam,DC=com");
    ck_assert_str_eq(s, "emea.fabrikam.com");
    free(s);
    /* an escaped comma inside a name, and a DC= that is not a suffix */
    s = sa_dn_domain_of("CN=Smith\\, John,OU=DC=x,DC=contoso,DC=test");
    ck_assert_str_eq(s, "contoso.test");
    free(s);
    s = sa_dn_domain_of("DC=contoso,DC=test");
    ck_assert_str_eq(s, "contoso.test");
    free(s);
    ck_assert_ptr_null(sa_dn_domain_of("CN=Schema,CN=Configuration"));
    ck_assert_ptr_null(sa_dn_domain_of(NULL));
}
END_TEST

START_TEST(infrastructure_referrals)
{
    ck_assert(sa_referral_is_infrastructure("ldap://contoso.test/CN=Configuration,DC=contoso,DC=test"));
    ck_assert(sa_referral_is_infrastructure("ldap://contoso.test/DC=DomainDnsZones,DC=contoso,DC=test"));
    ck_assert(sa_referral_is_infrastructure("ldap://contoso.test/dc=forestdnszones,DC=contoso,DC=test"));
    /* a child domain holds accounts: not infrastructure */
    ck_assert(!sa_referral_is_infrastructure("ldap://emea.contoso.test/DC=emea,DC=contoso,DC=test"));
    ck_assert(!sa_referral_is_infrastructure("ldap://contoso.test"));
    ck_assert(!sa_referral_is_infrastructure("not a url"));
}
END_TEST

START_TEST(generalized_time)
{
    long t = 0;

    ck_assert(sa_parse_generalized_time("20261122044500.0Z", &t));
    ck_assert_int_eq(t, 1795322700L);
    ck_assert(sa_parse_generalized_time("19700101000000Z", &t));
    ck_assert_int_eq(t, 0);
    ck_assert(!sa_parse_generalized_time("20261122044500.0", &t));
    ck_assert(!sa_parse_generalized_time("yesterday", &t));
    ck_assert(!sa_parse_generalized_time("20261122044500.0Z+", &t));
}
END_TEST

static void
assert_escaped(const char *value, const char *want)
{
    char *s = sa_ldap_filter_value(value);

    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    free(s);
}

START_TEST(filter_values_are_escaped)
{
    assert_escaped("MSOMHSvc", "MSOMHSvc");
    /* RFC 4515: the characters that would change the filter */
    assert_escaped("a*b(c)d\\e", "a\\2Ab\\28c\\29d\\5Ce");
    assert_escaped("*)(objectClass=*", "\\2A\\29\\28objectClass=\\2A");
    assert_escaped("", "");
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("directory");
    TCase *tc = tcase_create("pure");

    tcase_add_test(tc, bind_data_codes_are_decoded);
    tcase_add_test(tc, unknown_or_absent_data_codes_give_null);
    tcase_add_test(tc, cleartext_bind_rule);
    tcase_add_test(tc, domain_dns_from_dn);
    tcase_add_test(tc, generalized_time);
    tcase_add_test(tc, domain_of_an_object);
    tcase_add_test(tc, infrastructure_referrals);
    tcase_add_test(tc, filter_values_are_escaped);
    suite_add_tcase(s, tc);
    return check_run(s);
}
