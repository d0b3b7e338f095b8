/* Unit tests for the hints added to a failed connection's message: what
 * is wrong and what to do, word for word, the library's text kept. */
#include <check.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/hints.h"

#define GSS_UNKNOWN                                                                                          \
    "SASL(-1): generic failure: GSSAPI Error: Unspecified GSS failure.  Minor code may provide more "        \
    "information (Server not found in Kerberos database)"

START_TEST(addresses_and_names)
{
    ck_assert(sa_host_is_address("127.0.0.1"));
    ck_assert(sa_host_is_address("2001:db8::1"));
    ck_assert(sa_host_is_address("[2001:db8::1]"));
    ck_assert(!sa_host_is_address("dc1.contoso.test"));
    ck_assert(!sa_host_is_address("127.0.0.1.nip.io"));
    ck_assert(!sa_host_is_address(""));
}
END_TEST

/* --server 127.0.0.1: Kerberos needs the name the DC gives itself. */
START_TEST(ip_address_gets_the_dc_name)
{
    char buf[1024];

    ck_assert(sa_hint_gssapi_bind("127.0.0.1", GSS_UNKNOWN, "dc1.contoso.test", buf, sizeof(buf)));
    ck_assert_str_eq(buf, "Kerberos needs the domain controller's name, not an IP address: the KDC knows no "
                          "service ldap/127.0.0.1; the DC at 127.0.0.1 calls itself dc1.contoso.test: use "
                          "--server dc1.contoso.test");
    ck_assert(sa_hint_gssapi_bind("127.0.0.1", GSS_UNKNOWN, NULL, buf, sizeof(buf)));
    ck_assert_str_eq(buf, "Kerberos needs the domain controller's name, not an IP address: the KDC knows no "
                          "service ldap/127.0.0.1; give the DC's DNS name with --server");
}
END_TEST

START_TEST(alias_gets_the_dc_name)
{
    char buf[1024];

    ck_assert(sa_hint_gssapi_bind("contoso.test", GSS_UNKNOWN, "dc1.contoso.test", buf, sizeof(buf)));
    ck_assert_str_eq(buf, "Kerberos needs the domain controller's own name: the KDC knows no service "
                          "ldap/contoso.test; the DC calls itself dc1.contoso.test: use --server "
                          "dc1.contoso.test");
}
END_TEST

/* The DC's own name, yet no ticket: trusts' "Not read:" lines. */
START_TEST(own_name_without_a_trust_path)
{
    char buf[1024];

    ck_assert(sa_hint_gssapi_bind("tdc1.tailspin.test", GSS_UNKNOWN, "TDC1.tailspin.test", buf, sizeof(buf)));
    ck_assert_str_eq(buf,
                     "no Kerberos ticket for ldap/tdc1.tailspin.test: the KDC of our realm does not know "
                     "this name, and no trust leads to a realm that does (a one-way trust the other way, "
                     "or a trust with selective authentication, gives none)");
}
END_TEST

/* A cause in the SASL text, and its words (host dc1). */
static const struct {
    const char *diag, *hint;
} causes[] = {
    {"GSSAPI Error: (Clock skew too great)",
     "our clock and the KDC's differ by more than Kerberos allows (5 minutes by default): synchronise this "
     "host's clock with the domain's (chrony, w32tm /resync on the DC)"},
    {"(Ticket expired)",
     "our Kerberos credentials are missing or expired: run kinit again, or give --keytab"},
    {"(Cannot contact any KDC for realm 'X')",
     "no KDC could be reached for the ticket to ldap/dc1: check the realm's kdc entries in krb5.conf, or its "
     "DNS SRV records _kerberos._tcp"},
    {"(KDC has no support for encryption type)", "the KDC and the domain controller's account ldap/dc1 share "
                                                 "no encryption type: allow AES in krb5.conf's "
                                                 "permitted_enctypes, or give the account AES keys"},
    {"SASL(-4): no mechanism available", ""},
};

START_TEST(other_gssapi_causes)
{
    char buf[1024];

    ck_assert_int_eq(sa_hint_gssapi_bind("dc1", causes[_i].diag, NULL, buf, sizeof(buf)),
                     causes[_i].hint[0] != '\0');
    ck_assert_str_eq(buf, causes[_i].hint);
    ck_assert(!sa_hint_gssapi_bind("dc1", NULL, NULL, buf, sizeof(buf)));
}
END_TEST

START_TEST(unresolved_and_no_srv)
{
    char buf[1024];

    sa_hint_unresolved("dc1.contoso.tset", "Name or service not known", buf, sizeof(buf));
    ck_assert_str_eq(buf, "the name dc1.contoso.tset does not resolve (Name or service not known): check its "
                          "spelling, and that this host asks the domain's DNS servers");
    sa_hint_no_srv("contoso.test", "_ldap._tcp.dc._msdcs.contoso.test", buf, sizeof(buf));
    ck_assert_str_eq(buf, "no domain controller found for contoso.test: DNS has no SRV record "
                          "_ldap._tcp.dc._msdcs.contoso.test, and contoso.test did not answer as a domain "
                          "controller: check the domain's name, or name a domain controller with --server");
}
END_TEST

/* The hint goes first, the library's message after it, whole. */
START_TEST(prepend_keeps_the_library_text)
{
    char msg[1024] = "ldap://127.0.0.1: Local error while binding (server said: x)";
    char small[40] = "ldap://h: Can't contact LDAP server";

    sa_hint_prepend(msg, sizeof(msg), "ldap://127.0.0.1", "use --server dc1");
    ck_assert_str_eq(msg, "ldap://127.0.0.1: use --server dc1 (Local error while binding (server said: x))");
    strcpy(msg, "ldap://other: text");
    sa_hint_prepend(msg, sizeof(msg), "ldap://h", "hint");
    ck_assert_str_eq(msg, "ldap://h: hint (ldap://other: text)");
    strcpy(msg, "ldap://d: text");
    sa_hint_prepend(msg, sizeof(msg), NULL, "no DC");
    ck_assert_str_eq(msg, "no DC (ldap://d: text)");
    sa_hint_prepend(small, sizeof(small), "ldap://h", "a hint longer than the buffer holds");
    ck_assert_uint_eq(strlen(small), sizeof(small) - 1); /* cut, terminated */
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("hints");
    TCase *tc = tcase_create("hints");

    tcase_add_test(tc, addresses_and_names);
    tcase_add_test(tc, ip_address_gets_the_dc_name);
    tcase_add_test(tc, alias_gets_the_dc_name);
    tcase_add_test(tc, own_name_without_a_trust_path);
    tcase_add_loop_test(tc, other_gssapi_causes, 0, (int)(sizeof(causes) / sizeof(causes[0])));
    tcase_add_test(tc, unresolved_and_no_srv);
    tcase_add_test(tc, prepend_keeps_the_library_text);
    suite_add_tcase(s, tc);
    return check_run(s);
}
