/* Unit tests: the directory reader against a hostile LDAP peer on
 * 127.0.0.1 (a thread answering with liblber) that sends what only a
 * broken or hostile DC would: a ;range= repeated forever or wrapping, pages
 * that never end, a trust without its direction, an object without its
 * SID.  Each must end with a clear error, never loop or pass for data.
 * A real DC (Samba) cannot be made to misbehave so; it is what every other
 * directory test runs against (tests/integration). */
#include <arpa/inet.h>
#include <check.h>
#include <lber.h>
#include <ldap.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../src/lib/dir_internal.h"
#include "check_run.h"
#include "spnaudit/account.h"
#include "spnaudit/trust.h"

typedef struct fake fake;
/* Answer search msgid (asking for attrs under base); rounds counts them. */
typedef void (*fake_fn)(fake *f, int msgid, const char *base, char **attrs);

struct fake {
    int listen_fd, fd, port;
    fake_fn fn;
    unsigned searches;
    pthread_t thread;
};

static void
send_ber(fake *f, BerElement *ber)
{
    struct berval *bv = NULL;

    ck_assert_int_eq(ber_flatten(ber, &bv), 0);
    if (send(f->fd, bv->bv_val, bv->bv_len, MSG_NOSIGNAL) != (ssize_t)bv->bv_len) {
        /* the client went away */
    }
    ber_bvfree(bv);
    ber_free(ber, 1);
}

/* A search result entry dn with attribute name holding n values. */
static void
send_entry(fake *f, int msgid, const char *dn, const char *name, const char *const *values, size_t n)
{
    BerElement *ber = ber_alloc_t(LBER_USE_DER);

    ber_printf(ber, "{it{s{{s[", msgid, (ber_tag_t)LDAP_RES_SEARCH_ENTRY, dn, name);
    for (size_t i = 0; i < n; i++)
        ber_printf(ber, "s", values[i]);
    ber_printf(ber, "]}}}}");
    send_ber(f, ber);
}

/* The search's end: success, with a paged results cookie when not NULL. */
static void
send_done(fake *f, int msgid, const char *cookie)
{
    BerElement *ber = ber_alloc_t(LBER_USE_DER), *pv;
    struct berval *value = NULL;

    ber_printf(ber, "{it{eoo}", msgid, (ber_tag_t)LDAP_RES_SEARCH_RESULT, (ber_int_t)LDAP_SUCCESS, "",
               (ber_len_t)0, "", (ber_len_t)0);
    if (cookie != NULL) {
        pv = ber_alloc_t(LBER_USE_DER);
        ber_printf(pv, "{io}", (ber_int_t)0, cookie, (ber_len_t)strlen(cookie));
        ber_flatten(pv, &value);
        ber_free(pv, 1);
        ber_printf(ber, "t{{sO}}", (ber_tag_t)LDAP_TAG_CONTROLS, LDAP_CONTROL_PAGEDRESULTS, value);
        ber_bvfree(value);
    }
    ber_printf(ber, "}");
    send_ber(f, ber);
}

/* Read one LDAP message; false at the end of the connection. */
static bool
read_message(fake *f, struct berval *out)
{
    unsigned char hdr[6];
    size_t len = 0, n_len;

    if (read(f->fd, hdr, 2) != 2 || hdr[0] != 0x30)
        return false;
    n_len = hdr[1] & 0x80 ? hdr[1] & 0x7f : 0;
    if (n_len > 4 || (n_len > 0 && read(f->fd, hdr + 2, n_len) != (ssize_t)n_len))
        return false;
    len = n_len ? 0 : hdr[1];
    for (size_t i = 0; i < n_len; i++)
        len = len << 8 | hdr[2 + i];
    out->bv_len = len + 2 + n_len;
    out->bv_val = malloc(out->bv_len);
    memcpy(out->bv_val, hdr, 2 + n_len);
    for (size_t got = 2 + n_len; got < out->bv_len;) {
        ssize_t r = read(f->fd, out->bv_val + got, out->bv_len - got);
        if (r <= 0) {
            free(out->bv_val);
            return false;
        }
        got += (size_t)r;
    }
    return true;
}

static void *
serve(void *data)
{
    fake *f = data;
    struct berval msg;

    f->fd = accept(f->listen_fd, NULL, NULL);
    while (f->fd >= 0 && read_message(f, &msg)) {
        BerElement *ber = ber_init(&msg);
        ber_int_t msgid = 0;
        ber_len_t len;
        ber_tag_t tag;
        char *base = NULL, **attrs = NULL;
        ber_int_t scope, deref, sl, tl;
        int typesonly;

        ber_scanf(ber, "{i", &msgid);
        tag = ber_peek_tag(ber, &len);
        if (tag == LDAP_REQ_UNBIND) {
            ber_free(ber, 1);
            free(msg.bv_val);
            break;
        }
        if (tag == LDAP_REQ_SEARCH && ber_scanf(ber, "{aeeiibx{v}", &base, &scope, &deref, &sl, &tl,
                                                &typesonly, &attrs) != LBER_ERROR) {
            f->searches++;
            f->fn(f, msgid, base, attrs);
        }
        ber_memfree(base);
        ber_memvfree((void **)attrs);
        ber_free(ber, 1);
        free(msg.bv_val);
    }
    if (f->fd >= 0)
        close(f->fd);
    return NULL;
}

/* A fake DC answering with fn, and a directory handle connected to it. */
static sa_dir *
fake_start(fake *f, fake_fn fn, int page_size)
{
    struct sockaddr_in sin;
    socklen_t slen = sizeof(sin);
    sa_dir *d = calloc(1, sizeof(*d));
    char uri[64];
    int v3 = LDAP_VERSION3;

    memset(f, 0, sizeof(*f));
    f->fn = fn;
    f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(f->listen_fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
    ck_assert_int_eq(listen(f->listen_fd, 1), 0);
    getsockname(f->listen_fd, (struct sockaddr *)&sin, &slen);
    f->port = ntohs(sin.sin_port);
    ck_assert_int_eq(pthread_create(&f->thread, NULL, serve, f), 0);
    snprintf(uri, sizeof(uri), "ldap://127.0.0.1:%d", f->port);
    ck_assert_int_eq(ldap_initialize(&d->ld, uri), LDAP_SUCCESS);
    ldap_set_option(d->ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
    ldap_set_option(d->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF); /* as sa_dir_connect sets it */
    d->uri = strdup(uri);
    d->base_dn = strdup("DC=contoso,DC=test");
    d->dns_domain = strdup("contoso.test");
    d->page_size = page_size;
    d->timeout = 10;
    return d;
}

static void
fake_stop(fake *f, sa_dir *d)
{
    sa_dir_close(d);                   /* unbinds: the fake's thread ends */
    shutdown(f->listen_fd, SHUT_RDWR); /* or stops waiting for a client */
    pthread_join(f->thread, NULL);
    close(f->listen_fd);
}

static const char *HOLDER = "CN=MS01,CN=Computers,DC=contoso,DC=test";

/* The holder's SPNs: the first search answers range 0-1 of 3 values; what
 * the follow-ups answer is the test's. */
static const char *const SPNS[] = {"MSOMHSvc/ms01.contoso.test", "MSOMHSvc/MS01", "MSOMHSvc/x.contoso.test"};

static void
first_page(fake *f, int msgid)
{
    send_entry(f, msgid, HOLDER, "servicePrincipalName;range=0-1", SPNS, 2);
    send_done(f, msgid, NULL);
}

static void
ranges_progress(fake *f, int msgid, const char *base, char **attrs)
{
    if (f->searches == 1)
        return first_page(f, msgid);
    ck_assert_str_eq(attrs[0], "servicePrincipalName;range=2-*");
    send_entry(f, msgid, HOLDER, "servicePrincipalName;range=2-*", SPNS + 2, 1);
    send_done(f, msgid, NULL);
}

static void
range_repeated(fake *f, int msgid, const char *base, char **attrs)
{
    first_page(f, msgid); /* every time: the old reader looped */
}

static void
range_wraps(fake *f, int msgid, const char *base, char **attrs)
{
    send_entry(f, msgid, HOLDER, "servicePrincipalName;range=0-18446744073709551615", SPNS, 2);
    send_done(f, msgid, NULL);
}

static void
range_then_plain(fake *f, int msgid, const char *base, char **attrs)
{
    if (f->searches == 1)
        return first_page(f, msgid);
    send_entry(f, msgid, HOLDER, "servicePrincipalName", SPNS, 3); /* every value again */
    send_done(f, msgid, NULL);
}

static sa_status
read_holders(sa_dir *d, sa_accounts *accounts, sa_error *err)
{
    sa_strv classes = {NULL, 0, 0};
    sa_search_stats stats = {0, 0, {NULL, 0, 0}};
    sa_status ret;

    ck_assert(sa_strv_add(&classes, "MSOMHSvc"));
    ret = sa_dir_find_spn_holders(d, &classes, accounts, &stats, err);
    sa_strv_clear(&classes);
    sa_search_stats_clear(&stats);
    return ret;
}

/* The SPN holders as a fake DC answering with fn gives them; *searches
 * (if not NULL) gets how many searches it answered. */
static sa_status
holders_from(fake_fn fn, int page_size, sa_accounts *accounts, unsigned *searches, sa_error *err)
{
    fake f;
    sa_dir *d = fake_start(&f, fn, page_size);
    sa_status ret = read_holders(d, accounts, err);

    fake_stop(&f, d);
    if (searches != NULL)
        *searches = f.searches;
    return ret;
}

START_TEST(ranges_that_progress_are_read)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(holders_from(ranges_progress, 0, &accounts, NULL, &err), SA_OK);
    ck_assert_uint_eq(accounts.n, 1);
    ck_assert_uint_eq(accounts.items[0].spns.n, 3);
    ck_assert_str_eq(accounts.items[0].spns.items[2], "MSOMHSvc/x.contoso.test");
    sa_accounts_clear(&accounts);
}
END_TEST

START_TEST(repeated_range_stops)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};
    unsigned searches = 0;

    ck_assert_int_eq(holders_from(range_repeated, 0, &accounts, &searches, &err), SA_ERR_INCOMPLETE);
    ck_assert_msg(strstr(err.message, "repeated range 0-1 of servicePrincipalName of CN=MS01") != NULL, "%s",
                  err.message);
    ck_assert_uint_eq(searches, 2);
    ck_assert_uint_eq(accounts.n, 0);
    sa_accounts_clear(&accounts);
}
END_TEST

START_TEST(wrapping_or_plain_after_range_stops)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};

    /* the old reader took 2 of the values as all of them */
    ck_assert_int_eq(holders_from(range_wraps, 0, &accounts, NULL, &err), SA_ERR_INCOMPLETE);
    ck_assert_msg(
        strstr(err.message,
               "malformed range \"servicePrincipalName;range=0-18446744073709551615\" of CN=MS01") != NULL,
        "%s", err.message);
    ck_assert_uint_eq(accounts.n, 0);
    /* the old reader added every value twice */
    ck_assert_int_eq(holders_from(range_then_plain, 0, &accounts, NULL, &err), SA_ERR_INCOMPLETE);
    ck_assert_msg(strstr(err.message, "when asked for servicePrincipalName values from 2 on") != NULL, "%s",
                  err.message);
    ck_assert_uint_eq(accounts.n, 0);
    sa_accounts_clear(&accounts);
}
END_TEST

static void
empty_pages_forever(fake *f, int msgid, const char *base, char **attrs)
{
    send_done(f, msgid, "same-cookie");
}

START_TEST(empty_pages_forever_stop)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};
    unsigned searches = 0;

    ck_assert_int_eq(holders_from(empty_pages_forever, 1000, &accounts, &searches, &err), SA_ERR_INCOMPLETE);
    ck_assert_msg(strstr(err.message, "100 pages in a row without an entry") != NULL, "%s", err.message);
    ck_assert_uint_eq(searches, 100);
}
END_TEST

static void
referrals_without_end(fake *f, int msgid, const char *base, char **attrs)
{
    for (int i = 0; i < 300; i++) {
        BerElement *ber = ber_alloc_t(LBER_USE_DER);
        char url[80];

        snprintf(url, sizeof(url), "ldap://dc%d.child%d.contoso.test/DC=child%d,DC=contoso,DC=test", i, i, i);
        ber_printf(ber, "{it{s}}", msgid, (ber_tag_t)LDAP_RES_SEARCH_REFERENCE, url);
        send_ber(f, ber);
    }
    send_done(f, msgid, NULL);
}

START_TEST(referrals_are_bounded)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};

    /* each referral becomes a finding: the old reader took all */
    ck_assert_int_eq(holders_from(referrals_without_end, 0, &accounts, NULL, &err), SA_ERR_INCOMPLETE);
    ck_assert_msg(strstr(err.message, "more than 200 referrals while searching") != NULL, "%s", err.message);
    sa_accounts_clear(&accounts);
}
END_TEST

static void
trust_without_direction(fake *f, int msgid, const char *base, char **attrs)
{
    static const char *const type[] = {"2"};
    BerElement *ber = ber_alloc_t(LBER_USE_DER);

    ber_printf(ber, "{it{s{{s[s]}{s[s]}{s[s]}}}}", msgid, (ber_tag_t)LDAP_RES_SEARCH_ENTRY,
               "CN=fabrikam.test,CN=System,DC=contoso,DC=test", "trustPartner", "fabrikam.test", "trustType",
               type[0], "trustAttributes", "8");
    send_ber(f, ber);
    send_done(f, msgid, NULL);
}

START_TEST(trust_without_direction_is_not_read)
{
    fake f;
    sa_dir *d = fake_start(&f, trust_without_direction, 0);
    sa_trusts trusts = {NULL, 0, 0};
    sa_search_stats stats = {0, 0, {NULL, 0, 0}};
    sa_error err = {SA_OK, ""};

    /* the old reader took it as a disabled trust (direction 0) */
    ck_assert_int_eq(sa_dir_read_trusts(d, &trusts, &stats, &err), SA_ERR_INCOMPLETE);
    ck_assert_msg(strstr(err.message, "fabrikam.test without a valid trustDirection") != NULL, "%s",
                  err.message);
    ck_assert_uint_eq(trusts.n, 0);
    sa_trusts_clear(&trusts);
    sa_search_stats_clear(&stats);
    fake_stop(&f, d);
}
END_TEST

static void
dacl_without_sid(fake *f, int msgid, const char *base, char **attrs)
{
    /* an empty DACL-present descriptor: revision 1, DACL at 20 */
    static const char sd[28] = {1, 0, 4,  (char)0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                0, 0, 20, 0,          0, 0, 4, 0, 8, 0, 0, 0, 0, 0};
    BerElement *ber = ber_alloc_t(LBER_USE_DER);

    ber_printf(ber, "{it{s{{s[o]}}}}", msgid, (ber_tag_t)LDAP_RES_SEARCH_ENTRY, HOLDER,
               "nTSecurityDescriptor", sd, (ber_len_t)sizeof(sd));
    send_ber(f, ber);
    send_done(f, msgid, NULL);
}

START_TEST(dacl_without_sid_is_not_read)
{
    fake f;
    sa_dir *d = fake_start(&f, dacl_without_sid, 0);
    unsigned char *sd = NULL, *sid = NULL;
    size_t sd_len = 0, sid_len = 0;
    sa_error err = {SA_OK, ""};

    /* the old reader judged it without the SID: a grant to it unseen */
    ck_assert_int_eq(sa_dir_read_dacl(d, HOLDER, &sd, &sd_len, &sid, &sid_len, &err), SA_ERR_DIRECTORY);
    ck_assert_msg(strstr(err.message, "no valid objectSid readable on CN=MS01") != NULL, "%s", err.message);
    ck_assert_ptr_null(sd);
    fake_stop(&f, d);
}
END_TEST

START_TEST(nul_bytes_do_not_cut_values)
{
    struct berval bv = {5, (char *)"a\0b\0\0"};
    char *t = sa_ldap_text(&bv);

    ck_assert_str_eq(t, "a\xef\xbf\xbd"
                        "b\xef\xbf\xbd\xef\xbf\xbd");
    free(t);
    bv.bv_len = 0;
    t = sa_ldap_text(&bv);
    ck_assert_str_eq(t, "");
    free(t);
}
END_TEST

static void
spn_with_nul(fake *f, int msgid, const char *base, char **attrs)
{
    static const char spn[] = "MSOMHSvc/ms01.contoso.test\0.evil.test";
    BerElement *ber = ber_alloc_t(LBER_USE_DER);

    ber_printf(ber, "{it{s{{s[o]}{s[s]}}}}", msgid, (ber_tag_t)LDAP_RES_SEARCH_ENTRY, HOLDER,
               "servicePrincipalName", spn, (ber_len_t)(sizeof(spn) - 1), "dNSHostName", "ms01.contoso.test");
    send_ber(f, ber);
    send_done(f, msgid, NULL);
}

START_TEST(spn_with_nul_is_not_the_real_one)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};

    /* the old reader took it as MSOMHSvc/ms01.contoso.test */
    ck_assert_int_eq(holders_from(spn_with_nul, 0, &accounts, NULL, &err), SA_OK);
    ck_assert_uint_eq(accounts.n, 1);
    ck_assert_uint_eq(accounts.items[0].spns.n, 1);
    ck_assert_str_eq(accounts.items[0].spns.items[0], "MSOMHSvc/ms01.contoso.test\xef\xbf\xbd.evil.test");
    sa_accounts_clear(&accounts);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("hostile_dc");
    TCase *tc = tcase_create("hostile-dc");

    tcase_set_timeout(tc, 30); /* the old reader loops: a timeout fails it */
    tcase_add_test(tc, ranges_that_progress_are_read);
    tcase_add_test(tc, repeated_range_stops);
    tcase_add_test(tc, wrapping_or_plain_after_range_stops);
    tcase_add_test(tc, empty_pages_forever_stop);
    tcase_add_test(tc, referrals_are_bounded);
    tcase_add_test(tc, trust_without_direction_is_not_read);
    tcase_add_test(tc, dacl_without_sid_is_not_read);
    tcase_add_test(tc, nul_bytes_do_not_cut_values);
    tcase_add_test(tc, spn_with_nul_is_not_the_real_one);
    suite_add_tcase(s, tc);
    return check_run(s);
}
