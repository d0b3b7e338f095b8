/* Unit tests: krb5.conf "kdc" values. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/kdc.h"

static const struct {
    const char *value;
    const char *host;
    unsigned port;
} good[] = {
    {"127.0.0.1", "127.0.0.1", 88},
    {"dc1.contoso.com", "dc1.contoso.com", 88},
    {"dc1.contoso.com:750", "dc1.contoso.com", 750},
    {"tcp/dc1.contoso.com:88", "dc1.contoso.com", 88},
    {"udp/dc1.contoso.com", "dc1.contoso.com", 88},
    {"[::1]:8888", "::1", 8888},
    {"[fe80::1]", "fe80::1", 88},
    {"::1", "::1", 88},
};

static const char *const bad[] = {
    "", "dc1:0", "dc1:65536", "dc1:abc", "dc1:", "[::1", "[::1]x", "tcp/", "dc 1", "[]:88",
};

START_TEST(parses_good_values)
{
    char host[256];
    unsigned port = 0;

    ck_assert_msg(sa_kdc_parse_hostport(good[_i].value, host, sizeof(host), &port), "rejected %s",
                  good[_i].value);
    ck_assert_str_eq(host, good[_i].host);
    ck_assert_uint_eq(port, good[_i].port);
}
END_TEST

START_TEST(rejects_bad_values)
{
    char host[256];
    unsigned port = 0;

    ck_assert_msg(!sa_kdc_parse_hostport(bad[_i], host, sizeof(host), &port), "accepted \"%s\"", bad[_i]);
}
END_TEST

START_TEST(rejects_too_long_host)
{
    char host[8];
    unsigned port = 0;

    ck_assert(!sa_kdc_parse_hostport("averylonghostname:88", host, sizeof(host), &port));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("kdc");
    TCase *tc = tcase_create("hostport");

    tcase_add_loop_test(tc, parses_good_values, 0, sizeof(good) / sizeof(good[0]));
    tcase_add_loop_test(tc, rejects_bad_values, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(tc, rejects_too_long_host);
    suite_add_tcase(s, tc);
    return check_run(s);
}
