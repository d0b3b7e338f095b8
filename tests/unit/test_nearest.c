/* Unit tests: "did you mean": the edit distance and the nearest name. */
#include <check.h>
#include <stddef.h>

#include "check_run.h"
#include "spnaudit/nearest.h"

static const char *const commands[] = {"audit",   "probe", "spn",  "plan",   "trusts",
                                       "explain", "diff",  "help", "version"};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

START_TEST(distance_counts_each_edit_once)
{
    ck_assert_uint_eq(sa_edit_distance("audit", "audit"), 0);
    ck_assert_uint_eq(sa_edit_distance("audti", "audit"), 1); /* a swap is one edit */
    ck_assert_uint_eq(sa_edit_distance("acount", "account"), 1);
    ck_assert_uint_eq(sa_edit_distance("no-colour", "no-color"), 1);
    ck_assert_uint_eq(sa_edit_distance("AUDIT", "audit"), 0); /* case ignored */
    ck_assert_uint_eq(sa_edit_distance("", "spn"), 3);
    ck_assert_uint_eq(sa_edit_distance("kitten", "sitting"), 3);
}
END_TEST

START_TEST(nearest_command_for_typos)
{
    ck_assert_str_eq(sa_nearest("audti", commands, N_COMMANDS), "audit");
    ck_assert_str_eq(sa_nearest("trust", commands, N_COMMANDS), "trusts");
    ck_assert_str_eq(sa_nearest("spns", commands, N_COMMANDS), "spn");
    ck_assert_str_eq(sa_nearest("verison", commands, N_COMMANDS), "version");
    ck_assert_str_eq(sa_nearest("Explian", commands, N_COMMANDS), "explain");
}
END_TEST

START_TEST(nothing_near_enough)
{
    ck_assert_ptr_null(sa_nearest("nosuch", commands, N_COMMANDS));
    ck_assert_ptr_null(sa_nearest("x", commands, N_COMMANDS));
    ck_assert_ptr_null(sa_nearest("ls", commands, N_COMMANDS)); /* 2 from "spn": too far for a short name */
    ck_assert_ptr_null(sa_nearest("audit", commands, N_COMMANDS)); /* the name itself is no suggestion */
    ck_assert_ptr_null(sa_nearest("audti", commands, 0));
}
END_TEST

START_TEST(ties_go_to_the_first_and_null_names_are_skipped)
{
    const char *const names[] = {NULL, "plan", "play"};

    ck_assert_str_eq(sa_nearest("plax", names, 3), "plan");
}
END_TEST

START_TEST(long_words_are_no_typo)
{
    char word[200];

    for (size_t i = 0; i < sizeof(word) - 1; i++)
        word[i] = 'a';
    word[sizeof(word) - 1] = '\0';
    ck_assert_ptr_null(sa_nearest(word, commands, N_COMMANDS));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("nearest");
    TCase *tc = tcase_create("nearest");

    tcase_add_test(tc, distance_counts_each_edit_once);
    tcase_add_test(tc, nearest_command_for_typos);
    tcase_add_test(tc, nothing_near_enough);
    tcase_add_test(tc, ties_go_to_the_first_and_null_names_are_skipped);
    tcase_add_test(tc, long_words_are_no_typo);
    suite_add_tcase(s, tc);
    return check_run(s);
}
