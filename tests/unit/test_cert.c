/* Unit tests: the certificate checks on plain data (sa_cert as read): a
 * certificate OpsMgr accepts gives no finding, each fault exactly its
 * own, and what the file could not tell gives none. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/cert.h"

#define NOW 1800000000LL /* 2027-01-15 */
#define DAY 86400LL

/* What OpsMgr wants: ms01's certificate from a PKCS#12 file. */
static sa_cert
good(void)
{
    static char source[] = "ms01.pfx", host[] = "ms01.contoso.test", cn[] = "ms01.contoso.test";
    static char subject[] = "CN=ms01.contoso.test", issuer[] = "CN=Issuing CA", rsa[] = "RSA";
    static char sig[] = "sha256WithRSAEncryption", serial[] = "0A1B2C", reg[] = "2C1B0A", thumb[] = "AB";
    static char csp[] = "Microsoft Enhanced RSA and AES Cryptographic Provider";
    sa_cert c;

    memset(&c, 0, sizeof(c));
    c.source = source;
    c.host = host;
    c.subject = subject;
    c.issuer = issuer;
    c.subject_cn = cn;
    c.has_eku = c.eku_server_auth = c.eku_client_auth = true;
    c.has_key_usage = c.ku_digital_signature = c.ku_key_encipherment = true;
    c.dates_read = true;
    c.not_before = NOW - 10 * DAY;
    c.not_after = NOW + 300 * DAY;
    c.key_type = rsa;
    c.key_bits = 2048;
    c.signature = sig;
    c.serial = serial;
    c.serial_registry = reg;
    c.thumbprint = thumb;
    c.key = SA_CERT_KEY_MATCHES;
    c.pkcs12 = true;
    c.csp = csp;
    c.key_spec = SA_CERT_KEY_SPEC_EXCHANGE;
    c.chain = SA_CERT_CHAIN_OK;
    return c;
}

/* The codes of c's findings, joined by spaces ("" for none). */
static char *
codes(const sa_cert *c)
{
    sa_findings out = {NULL, 0, 0};
    char *joined = calloc(1, 1);

    ck_assert(sa_cert_check(c, NOW, 30, &out));
    for (size_t i = 0; i < out.n; i++) {
        char *more = NULL;
        ck_assert_int_ge(asprintf(&more, "%s%s%s", joined, i ? " " : "", out.items[i].code), 0);
        free(joined);
        joined = more;
        ck_assert_ptr_nonnull(out.items[i].message);
        ck_assert_str_eq(out.items[i].subject, c->source);
    }
    sa_findings_clear(&out);
    return joined;
}

static void
expect(const sa_cert *c, const char *want)
{
    char *got = codes(c);

    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(a_good_certificate_has_no_finding)
{
    sa_cert c = good();

    expect(&c, "");
    c.csp = NULL; /* a file that says nothing of the provider: nothing to report */
    c.key_spec = SA_CERT_KEY_SPEC_NOT_SAID;
    expect(&c, "");
    c.key = SA_CERT_KEY_NOT_IN_FILE; /* a .cer: the key is not checked */
    c.chain = SA_CERT_CHAIN_NOT_CHECKED;
    expect(&c, "");
    c.has_key_usage = false; /* no key usage extension: any usage */
    expect(&c, "");
    c.dates_read = false; /* unread dates: not checked, never "expired" */
    c.not_after = 0;
    expect(&c, "");
}
END_TEST

START_TEST(eku_needs_both_purposes)
{
    sa_cert c = good();
    sa_findings out = {NULL, 0, 0};

    c.eku_client_auth = false;
    ck_assert(sa_cert_check(&c, NOW, 30, &out));
    ck_assert_uint_eq(out.n, 1);
    ck_assert_str_eq(out.items[0].code, "CERT_EKU_MISSING");
    ck_assert_int_eq(out.items[0].events[0], 20050);
    ck_assert_str_eq(out.items[0].message, "the enhanced key usage lacks Client Authentication: OpsMgr needs "
                                           "Server Authentication (1.3.6.1.5.5.7.3.1) and Client "
                                           "Authentication (1.3.6.1.5.5.7.3.2)");
    ck_assert_str_eq(out.items[0].server, "ms01.contoso.test");
    sa_findings_clear(&out);
    c = good();
    c.has_eku = c.eku_server_auth = c.eku_client_auth = false;
    expect(&c, "CERT_EKU_MISSING");
}
END_TEST

START_TEST(private_key_missing_or_another)
{
    sa_cert c = good();

    c.key = SA_CERT_KEY_ABSENT;
    expect(&c, "CERT_KEY_MISSING");
    c.key = SA_CERT_KEY_MISMATCH;
    expect(&c, "CERT_KEY_MISMATCH");
}
END_TEST

START_TEST(provider_and_key_spec)
{
    sa_cert c = good();
    char ksp[] = "Microsoft Software Key Storage Provider";

    c.csp = ksp;
    expect(&c, "CERT_KEY_CNG");
    c = good();
    c.key_spec = SA_CERT_KEY_SPEC_SIGNATURE;
    expect(&c, "CERT_KEY_SPEC_SIGNATURE");
}
END_TEST

START_TEST(key_algorithm_size_usage_signature)
{
    sa_cert c = good();
    char ec[] = "EC", sha1[] = "sha1WithRSAEncryption";

    c.key_bits = 1024;
    expect(&c, "CERT_KEY_TOO_SMALL");
    c.key_bits = 4096;
    expect(&c, "");
    c.key_type = ec;
    c.key_bits = 256;
    expect(&c, "CERT_KEY_NOT_RSA");
    c = good();
    c.ku_key_encipherment = false;
    expect(&c, "CERT_KEY_USAGE");
    c = good();
    c.signature = sha1;
    c.signature_weak = true;
    expect(&c, "CERT_SIGNATURE_WEAK");
}
END_TEST

START_TEST(names_against_the_host)
{
    sa_cert c = good();
    char other[] = "ms02.contoso.test", www[] = "www.contoso.test", dotted[] = "MS01.Contoso.Test.";

    c.subject_cn = NULL;
    expect(&c, "CERT_SUBJECT_CN_MISSING");
    c = good();
    c.subject_cn = other;
    expect(&c, "CERT_NAME_MISMATCH");
    c = good();
    c.subject_cn = dotted; /* case and a trailing dot do not matter */
    expect(&c, "");
    ck_assert(sa_strv_add(&c.san_dns, www) && sa_strv_add(&c.san_dns, "ms01.contoso.test"));
    expect(&c, "CERT_SAN_MISMATCH");
    sa_strv_clear(&c.san_dns);
    ck_assert(sa_strv_add(&c.san_dns, "ms01.contoso.test") && sa_strv_add(&c.san_dns, www));
    expect(&c, "");
    sa_strv_clear(&c.san_dns);
    c.host = NULL; /* no name to compare with */
    c.subject_cn = other;
    expect(&c, "");
    ck_assert(!sa_cert_name_is("ms01.contoso.test", "ms01.contoso.tes"));
    ck_assert(!sa_cert_name_is("xms01.contoso.test", "ms01.contoso.test"));
    ck_assert(!sa_cert_name_is("", ""));
    ck_assert(!sa_cert_name_is(NULL, "ms01.contoso.test"));
}
END_TEST

START_TEST(validity_in_days)
{
    sa_cert c = good();
    sa_findings out = {NULL, 0, 0};

    c.not_after = NOW + 29 * DAY + 3600;
    ck_assert_int_eq(sa_cert_days_left(&c, NOW), 29);
    expect(&c, "CERT_EXPIRING");
    c.not_after = NOW + 30 * DAY;
    expect(&c, "");
    c.not_after = NOW - 1;
    ck_assert_int_eq(sa_cert_days_left(&c, NOW), -1);
    ck_assert(sa_cert_check(&c, NOW, 30, &out));
    ck_assert_uint_eq(out.n, 1);
    ck_assert_str_eq(out.items[0].code, "CERT_EXPIRED");
    ck_assert_str_eq(out.items[0].message, "expired on 2027-01-15 07:59 UTC, 1 day ago");
    ck_assert_ptr_nonnull(strstr(out.items[0].fix.text, "certreq -enroll -machine -cert 0A1B2C renew"));
    sa_findings_clear(&out);
    c = good();
    c.not_before = NOW + DAY;
    expect(&c, "CERT_NOT_YET_VALID");
}
END_TEST

START_TEST(chain_names_the_missing_issuer)
{
    sa_cert c = good();
    sa_findings out = {NULL, 0, 0};
    char why[] = "unable to get local issuer certificate", missing[] = "CN=Issuing CA";

    c.chain = SA_CERT_CHAIN_FAILED;
    c.chain_error = why;
    c.chain_missing = missing;
    ck_assert(sa_cert_check(&c, NOW, 30, &out));
    ck_assert_uint_eq(out.n, 1);
    ck_assert_str_eq(out.items[0].code, "CERT_CHAIN_UNTRUSTED");
    ck_assert_int_eq(out.items[0].events[0], 20072);
    ck_assert_str_eq(out.items[0].message,
                     "the chain does not build to a trusted root: the issuer CN=Issuing CA "
                     "was not found (unable to get local issuer certificate)");
    sa_findings_clear(&out);
}
END_TEST

/* The certificate work of a certificates verdict names both sides. */
START_TEST(certificate_work_names_both_sides)
{
    sa_strv out = {NULL, 0, 0}, ms = {NULL, 0, 0};

    ck_assert(sa_strv_add(&ms, "ms01.contoso.test") && sa_strv_add(&ms, "ms02.contoso.test") &&
              sa_strv_add(&ms, "ms03.contoso.test"));
    ck_assert(sa_cert_work_of(SA_CERT_WORK_AGENTS, "fabrikam.test", &ms, "contoso.test", &out));
    ck_assert_uint_eq(out.n, 4);
    ck_assert_ptr_nonnull(strstr(out.items[0], "on each agent of fabrikam.test and on ms01.contoso.test, "
                                               "ms02.contoso.test and ms03.contoso.test: a certificate with Server "
                                               "and Client Authentication"));
    ck_assert_ptr_nonnull(strstr(out.items[1], "Trusted Root Certification Authorities"));
    ck_assert_ptr_nonnull(strstr(out.items[2], "MOMCertImport.exe"));
    ck_assert_ptr_nonnull(strstr(out.items[3], "spnaudit cert --host FQDN FILE.pfx"));
    sa_strv_clear(&out);
    ck_assert(sa_cert_work_of(SA_CERT_WORK_GATEWAY, "gw01.fabrikam.test", NULL, "contoso.test", &out));
    ck_assert_ptr_nonnull(
        strstr(out.items[0], "on the gateway gw01.fabrikam.test and on each management server of contoso.test: "));
    sa_strv_clear(&out);
    sa_strv_clear(&ms);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("cert");
    TCase *tc = tcase_create("cert");

    tcase_add_test(tc, a_good_certificate_has_no_finding);
    tcase_add_test(tc, eku_needs_both_purposes);
    tcase_add_test(tc, private_key_missing_or_another);
    tcase_add_test(tc, provider_and_key_spec);
    tcase_add_test(tc, key_algorithm_size_usage_signature);
    tcase_add_test(tc, names_against_the_host);
    tcase_add_test(tc, validity_in_days);
    tcase_add_test(tc, chain_names_the_missing_issuer);
    tcase_add_test(tc, certificate_work_names_both_sides);
    suite_add_tcase(s, tc);
    return check_run(s);
}
