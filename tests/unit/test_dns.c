/* Unit tests: the DNS SRV answer parser on hand-built DNS messages: a
 * normal answer, one cut short (TC) or larger than the buffer, records
 * with garbage targets, none, too many, compression loops. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/dns.h"

typedef struct msg_builder {
    unsigned char buf[70000];
    size_t len;
} msg_builder;

static void
put(msg_builder *m, const void *p, size_t n)
{
    ck_assert_uint_le(m->len + n, sizeof(m->buf));
    memcpy(m->buf + m->len, p, n);
    m->len += n;
}

static void
put16(msg_builder *m, unsigned v)
{
    unsigned char b[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    put(m, b, 2);
}

/* "a.b.c" in DNS wire form */
static size_t
put_name(msg_builder *m, const char *name)
{
    size_t start = m->len;

    while (*name) {
        size_t n = strcspn(name, ".");
        unsigned char l = (unsigned char)n;
        put(m, &l, 1);
        put(m, name, n);
        name += n + (name[n] == '.');
    }
    put(m, "", 1);
    return m->len - start;
}

/* A response header and the question _ldap._tcp.contoso.test SRV, with
 * answers answer records to follow; flags as sent (0x8180: a response,
 * recursion, no error). */
static void
header(msg_builder *m, unsigned flags, unsigned answers)
{
    m->len = 0;
    put16(m, 0x1234);
    put16(m, flags);
    put16(m, 1);
    put16(m, answers);
    put16(m, 0);
    put16(m, 0);
    put_name(m, "_ldap._tcp.contoso.test");
    put16(m, 33);
    put16(m, 1);
}

/* An SRV record for the question's name (a pointer to offset 12). */
static void
srv(msg_builder *m, unsigned prio, unsigned weight, unsigned port, const char *target)
{
    size_t rdlen_at;

    put16(m, 0xc00c);
    put16(m, 33);
    put16(m, 1);
    put16(m, 0);
    put16(m, 600);
    rdlen_at = m->len;
    put16(m, 0);
    put16(m, prio);
    put16(m, weight);
    put16(m, port);
    size_t n = put_name(m, target);
    m->buf[rdlen_at] = (unsigned char)((6 + n) >> 8);
    m->buf[rdlen_at + 1] = (unsigned char)(6 + n);
}

static msg_builder msg;

START_TEST(normal_answer_sorted)
{
    sa_srv *r = NULL;
    size_t n = 0;
    bool trunc = true;

    header(&msg, 0x8180, 3);
    srv(&msg, 10, 0, 389, "dc3.contoso.test");
    srv(&msg, 0, 50, 389, "dc1.contoso.test");
    srv(&msg, 0, 100, 3268, "dc2.contoso.test");
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), msg.len, &r, &n, &trunc), SA_SRV_PARSED);
    ck_assert(!trunc);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(r[0].target, "dc2.contoso.test");
    ck_assert_uint_eq(r[0].port, 3268);
    ck_assert_str_eq(r[1].target, "dc1.contoso.test");
    ck_assert_str_eq(r[2].target, "dc3.contoso.test");
    ck_assert_uint_eq(r[2].priority, 10);
    free(r);
}
END_TEST

START_TEST(truncated_answer_asks_again)
{
    sa_srv *r = NULL;
    size_t n = 0;
    bool trunc = false;

    /* TC set: what arrived is used, and the caller asks over TCP */
    header(&msg, 0x8380, 1);
    srv(&msg, 0, 0, 88, "kdc.contoso.test");
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), msg.len, &r, &n, &trunc), SA_SRV_PARSED);
    ck_assert(trunc);
    ck_assert_uint_eq(n, 1);
    free(r);
}
END_TEST

START_TEST(answer_larger_than_buffer)
{
    sa_srv *r = NULL;
    size_t n = 9, size;
    bool trunc = false;
    unsigned char *small;

    /* 300 records (about 10 KB) for an 8 KB buffer: res_nquery says how
     * long the answer was; nothing beyond the buffer is read */
    header(&msg, 0x8180, 300);
    for (int i = 0; i < 300; i++)
        srv(&msg, 0, 0, 389, "a-rather-long-domain-controller-name.contoso.test");
    ck_assert_uint_gt(msg.len, 8192);
    size = 8192;
    small = malloc(size); /* exact size: a sanitizer sees any read past it */
    ck_assert_ptr_nonnull(small);
    memcpy(small, msg.buf, size);
    ck_assert_int_eq(sa_srv_parse(small, size, msg.len, &r, &n, &trunc), SA_SRV_MALFORMED);
    free(small);
    ck_assert(trunc);
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(n, 0);
    /* the whole answer (over TCP): at most SA_SRV_MAX_RECORDS are kept */
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), msg.len, &r, &n, &trunc), SA_SRV_PARSED);
    ck_assert(!trunc);
    ck_assert_uint_eq(n, SA_SRV_MAX_RECORDS);
    free(r);
}
END_TEST

START_TEST(garbage_targets_left_out)
{
    sa_srv *r = NULL;
    size_t n = 0;
    bool trunc = false;

    header(&msg, 0x8180, 8);
    srv(&msg, 0, 0, 389, "evil/x.contoso.test");      /* would change the LDAP URI */
    srv(&msg, 0, 0, 389, "evil@x.contoso.test");      /* a user part in the URI */
    srv(&msg, 0, 0, 389, "ev\x1b[2Jil.contoso.test"); /* control bytes */
    srv(&msg, 0, 0, 389, "a b.contoso.test");
    srv(&msg, 0, 0, 389, "");                 /* ".": no service */
    srv(&msg, 0, 0, 0, "port0.contoso.test"); /* port 0 */
    srv(&msg, 0, 0, 389, "single");           /* no domain */
    srv(&msg, 0, 0, 389, "good.contoso.test");
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), msg.len, &r, &n, &trunc), SA_SRV_PARSED);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(r[0].target, "good.contoso.test");
    free(r);
}
END_TEST

START_TEST(zero_records_and_errors)
{
    sa_srv *r = NULL;
    size_t n = 5;
    bool trunc = false;

    header(&msg, 0x8180, 0);
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), msg.len, &r, &n, &trunc), SA_SRV_PARSED);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(r);
    /* NXDOMAIN with a record anyway: nothing taken */
    header(&msg, 0x8183, 1);
    srv(&msg, 0, 0, 389, "dc1.contoso.test");
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), msg.len, &r, &n, &trunc), SA_SRV_PARSED);
    ck_assert_uint_eq(n, 0);
    /* a header claiming records that are not there; short and empty buffers */
    header(&msg, 0x8180, 1000);
    srv(&msg, 0, 0, 389, "dc1.contoso.test");
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), msg.len, &r, &n, &trunc), SA_SRV_MALFORMED);
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), 5, &r, &n, &trunc), SA_SRV_MALFORMED);
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), 0, &r, &n, &trunc), SA_SRV_MALFORMED);
    ck_assert_ptr_null(r);
}
END_TEST

/* An SRV record whose target is the bytes name (name_len of them), with
 * pad bytes of junk after it inside the record. */
static void
srv_raw(msg_builder *m, const unsigned char *name, size_t name_len, size_t pad)
{
    put16(m, 0xc00c);
    put16(m, 33);
    put16(m, 1);
    put16(m, 0);
    put16(m, 600);
    put16(m, (unsigned)(6 + name_len + pad));
    put16(m, 0);
    put16(m, 0);
    put16(m, 389);
    put(m, name, name_len);
    for (size_t i = 0; i < pad; i++)
        put(m, "x", 1);
}

START_TEST(compression_loops_and_overruns)
{
    sa_srv *r = NULL;
    size_t n = 0, a, b;
    bool trunc = false;
    unsigned char name[2],
        good[] = {2, 'd', 'c', 7, 'c', 'o', 'n', 't', 'o', 's', 'o', 4, 't', 'e', 's', 't', 0};

    header(&msg, 0x8180, 4);
    /* a target that points to itself (its name starts 18 bytes into the record) */
    a = msg.len + 18;
    name[0] = (unsigned char)(0xc0 | (a >> 8));
    name[1] = (unsigned char)a;
    srv_raw(&msg, name, 2, 0);
    /* two targets that point to each other */
    a = msg.len + 18;
    b = a + 2 + 18;
    name[0] = (unsigned char)(0xc0 | (b >> 8));
    name[1] = (unsigned char)b;
    srv_raw(&msg, name, 2, 0);
    name[0] = (unsigned char)(0xc0 | (a >> 8));
    name[1] = (unsigned char)a;
    srv_raw(&msg, name, 2, 0);
    /* a good name with junk after it inside the record */
    srv_raw(&msg, good, sizeof(good), 3);
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), msg.len, &r, &n, &trunc), SA_SRV_PARSED);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(r);
    /* the same good name alone is taken */
    header(&msg, 0x8180, 1);
    srv_raw(&msg, good, sizeof(good), 0);
    ck_assert_int_eq(sa_srv_parse(msg.buf, sizeof(msg.buf), msg.len, &r, &n, &trunc), SA_SRV_PARSED);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(r[0].target, "dc.contoso.test");
    free(r);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("dns");
    TCase *tc = tcase_create("srv-parse");

    tcase_add_test(tc, normal_answer_sorted);
    tcase_add_test(tc, truncated_answer_asks_again);
    tcase_add_test(tc, answer_larger_than_buffer);
    tcase_add_test(tc, garbage_targets_left_out);
    tcase_add_test(tc, zero_records_and_errors);
    tcase_add_test(tc, compression_loops_and_overruns);
    suite_add_tcase(s, tc);
    return check_run(s);
}
