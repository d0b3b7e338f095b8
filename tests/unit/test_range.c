/* Unit tests: ranged retrieval of attribute values on plain data: parsing
 * "servicePrincipalName;range=0-1499", and a DC's sequence of ranges that
 * must progress and stay within bounds. */
#include <check.h>
#include <stdint.h>

#include "check_run.h"
#include "spnaudit/range.h"

static const char *SPN = "servicePrincipalName";

START_TEST(parse_ranges)
{
    sa_range r;

    ck_assert_int_eq(sa_range_parse("servicePrincipalName;range=0-1499", SPN, &r), SA_RANGE_RANGED);
    ck_assert_uint_eq(r.low, 0);
    ck_assert_uint_eq(r.high, 1499);
    ck_assert(!r.last);
    ck_assert_int_eq(sa_range_parse("SERVICEPRINCIPALNAME;Range=1500-*", SPN, &r), SA_RANGE_RANGED);
    ck_assert_uint_eq(r.low, 1500);
    ck_assert(r.last);
    ck_assert_int_eq(sa_range_parse("servicePrincipalName;range=7-7", SPN, &r), SA_RANGE_RANGED);
    ck_assert_int_eq(sa_range_parse("servicePrincipalName;range=2147483647-*", SPN, &r), SA_RANGE_RANGED);
    ck_assert_int_eq(sa_range_parse("servicePrincipalName", SPN, &r), SA_RANGE_NONE);
    ck_assert_int_eq(sa_range_parse("servicePrincipalNames", SPN, &r), SA_RANGE_OTHER);
    ck_assert_int_eq(sa_range_parse("servicePrincipalName;binary", SPN, &r), SA_RANGE_OTHER);
    ck_assert_int_eq(sa_range_parse("sAMAccountName", SPN, &r), SA_RANGE_OTHER);
    ck_assert_int_eq(sa_range_parse("", SPN, &r), SA_RANGE_OTHER);
}
END_TEST

START_TEST(parse_malformed)
{
    static const char *bad[] = {
        "servicePrincipalName;range=",
        "servicePrincipalName;range=-5",
        "servicePrincipalName;range=5",
        "servicePrincipalName;range=5-",
        "servicePrincipalName;range=5-3", /* backwards */
        "servicePrincipalName;range=1-2x",
        "servicePrincipalName;range=1-*x",
        "servicePrincipalName;range=+1-2",
        "servicePrincipalName;range= 1-2",
        "servicePrincipalName;range=1--2",
        "servicePrincipalName;range=0-18446744073709551615", /* wraps to 0 with strtoul + 1 */
        "servicePrincipalName;range=0-18446744073709551616",
        "servicePrincipalName;range=2147483648-*",
        "servicePrincipalName;range=99999999999999999999999999-*",
    };
    sa_range r;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(sa_range_parse(bad[i], SPN, &r) == SA_RANGE_MALFORMED, "%s", bad[i]);
}
END_TEST

START_TEST(walk_progresses_to_the_end)
{
    sa_range_walk w = {0, 0, 0, false};
    sa_range a = {0, 1499, false}, b = {1500, 2999, false}, c = {3000, 0, true};

    ck_assert_int_eq(sa_range_next(&w, &a, 1500), SA_RANGE_MORE);
    ck_assert_uint_eq(w.start, 1500);
    ck_assert_int_eq(sa_range_next(&w, &b, 1500), SA_RANGE_MORE);
    ck_assert_uint_eq(w.start, 3000);
    ck_assert_int_eq(sa_range_next(&w, &c, 12), SA_RANGE_DONE);
    ck_assert_uint_eq(w.values, 3012);
    ck_assert_uint_eq(w.rounds, 3);
    /* a range after the last */
    ck_assert_int_eq(sa_range_next(&w, &c, 12), SA_RANGE_REPEATED);
}
END_TEST

START_TEST(walk_repeated_or_skipped_range_stops)
{
    sa_range_walk w = {0, 0, 0, false};
    sa_range a = {0, 1499, false}, skip = {3000, 0, true}, back = {1500, 1499, false};

    /* the DC sends range 0-1499 again when asked from 1500 */
    ck_assert_int_eq(sa_range_next(&w, &a, 1500), SA_RANGE_MORE);
    ck_assert_int_eq(sa_range_next(&w, &a, 1500), SA_RANGE_REPEATED);
    ck_assert_uint_eq(w.start, 1500);
    /* a range that starts past the one asked for leaves a gap */
    ck_assert_int_eq(sa_range_next(&w, &skip, 5), SA_RANGE_REPEATED);
    /* one that ends before it starts makes no progress */
    ck_assert_int_eq(sa_range_next(&w, &back, 0), SA_RANGE_REPEATED);
    ck_assert_uint_eq(w.start, 1500);
    /* the first range must start at 0 */
    w = (sa_range_walk){0, 0, 0, false};
    ck_assert_int_eq(sa_range_next(&w, &skip, 5), SA_RANGE_REPEATED);
}
END_TEST

START_TEST(walk_is_bounded)
{
    sa_range_walk w = {0, 0, 0, false};
    sa_range one;
    sa_range_step step = SA_RANGE_MORE;
    unsigned rounds = 0;

    /* a DC that moves on one value at a time, forever */
    while (step == SA_RANGE_MORE && rounds < 10 * SA_RANGE_MAX_ROUNDS) {
        one = (sa_range){w.start, w.start, false};
        step = sa_range_next(&w, &one, 1);
        rounds++;
    }
    ck_assert_int_eq(step, SA_RANGE_TOO_MANY);
    ck_assert_uint_eq(rounds, SA_RANGE_MAX_ROUNDS + 1);
    /* ranges that bring too many values */
    w = (sa_range_walk){0, 0, 0, false};
    one = (sa_range){0, 1499, false};
    ck_assert_int_eq(sa_range_next(&w, &one, SA_RANGE_MAX_VALUES), SA_RANGE_MORE);
    one = (sa_range){1500, 2999, false};
    ck_assert_int_eq(sa_range_next(&w, &one, 1), SA_RANGE_TOO_MANY);
    w = (sa_range_walk){0, 0, 0, false};
    ck_assert(!sa_range_count(&w, SIZE_MAX));
    ck_assert(sa_range_count(&w, SA_RANGE_MAX_VALUES));
    ck_assert(!sa_range_count(&w, 1));
}
END_TEST

START_TEST(pages_without_entries_stall)
{
    sa_page_walk w = {0, 0, 0};
    unsigned pages = 0;
    sa_page_step step = SA_PAGE_GO_ON;

    /* pages that bring something go on, however many */
    for (int i = 0; i < 3 * SA_PAGE_MAX_EMPTY; i++)
        ck_assert_int_eq(sa_page_end(&w, 1), SA_PAGE_GO_ON);
    /* empty pages now and then (a DC out of time for one page) are fine */
    for (int i = 0; i < SA_PAGE_MAX_EMPTY - 1; i++)
        ck_assert_int_eq(sa_page_end(&w, 0), SA_PAGE_GO_ON);
    ck_assert_int_eq(sa_page_end(&w, 5), SA_PAGE_GO_ON);
    /* a cookie sent again and again with nothing: stopped */
    while (step == SA_PAGE_GO_ON && pages < 10 * SA_PAGE_MAX_EMPTY) {
        step = sa_page_end(&w, 0);
        pages++;
    }
    ck_assert_int_eq(step, SA_PAGE_STALLED);
    ck_assert_uint_eq(pages, SA_PAGE_MAX_EMPTY);
}
END_TEST

START_TEST(entries_are_bounded)
{
    sa_page_walk w = {0, 0, 0};
    size_t n = 0;

    while (sa_page_entry(&w) == SA_PAGE_GO_ON && n <= SA_PAGE_MAX_ENTRIES)
        n++;
    ck_assert_uint_eq(n, SA_PAGE_MAX_ENTRIES);
    ck_assert_int_eq(sa_page_entry(&w), SA_PAGE_TOO_MANY);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("range");
    TCase *tc = tcase_create("range");

    tcase_add_test(tc, parse_ranges);
    tcase_add_test(tc, parse_malformed);
    tcase_add_test(tc, walk_progresses_to_the_end);
    tcase_add_test(tc, walk_repeated_or_skipped_range_stops);
    tcase_add_test(tc, walk_is_bounded);
    suite_add_tcase(s, tc);
    tc = tcase_create("paging");
    tcase_add_test(tc, pages_without_entries_stall);
    tcase_add_test(tc, entries_are_bounded);
    suite_add_tcase(s, tc);
    return check_run(s);
}
