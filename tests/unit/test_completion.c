/* Unit tests: the completion scripts' writer, on hand-made command tables. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/completion.h"

static const sa_comp_option opts[] = {
    {"format", true}, {"quiet", false}, {"cert-dir", true}, {"ca-file", true}};
static const char *const formats[] = {"text", "json"};

/* The script written for cmds, or NULL with *rc and *err set. */
static char *
written(sa_comp_shell shell, const sa_comp_command *cmds, size_t n, int *rc, int *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    errno = 0;
    *rc = sa_completion_write(f, shell, cmds, n);
    *err = errno;
    fclose(f);
    if (*rc != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

START_TEST(values_are_known_by_the_option_name)
{
    sa_comp_command cmd = {"audit", "audit it", opts, 4, formats, 2, SA_COMP_ARGS_NONE, NULL};
    int rc, err;
    char *s = written(SA_COMP_BASH, &cmd, 1, &rc, &err);

    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(strstr(s, "'audit --format') echo 'words text json' ;;"));
    ck_assert_ptr_nonnull(strstr(s, "'audit --cert-dir') echo 'dirs' ;;"));
    ck_assert_ptr_nonnull(strstr(s, "'audit --ca-file') echo 'files' ;;"));
    ck_assert_ptr_null(strstr(s, "'audit --quiet')")); /* no value: no arm */
    ck_assert_ptr_nonnull(strstr(s, "audit) echo '--format --quiet --cert-dir --ca-file' ;;"));
    ck_assert_ptr_nonnull(strstr(s, "complete -F _spnaudit spnaudit"));
    free(s);
}
END_TEST

START_TEST(zsh_summaries_are_quoted_for_describe_and_the_shell)
{
    sa_comp_command cmd = {"plan", "before: it's Kerberos", opts,      1, formats,
                           1,      SA_COMP_ARGS_WORDS,      "bash zsh"};
    int rc, err;
    char *s = written(SA_COMP_ZSH, &cmd, 1, &rc, &err);

    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(strncmp(s, "#compdef spnaudit\n", 18), 0);
    ck_assert_ptr_nonnull(strstr(s, "'plan:before\\: it'\\''s Kerberos'"));
    ck_assert_ptr_nonnull(strstr(s, "plan) echo 'words bash zsh' ;;"));
    free(s);
}
END_TEST

START_TEST(names_that_are_not_plain_are_refused)
{
    static const sa_comp_option bad_opt[] = {{"x'; rm -rf /", true}};
    static const char *const bad_format[] = {"te xt"};
    sa_comp_command cmds[] = {
        {"audit", "fine", bad_opt, 1, NULL, 0, SA_COMP_ARGS_NONE, NULL},
        {"au dit", "fine", opts, 1, formats, 1, SA_COMP_ARGS_NONE, NULL},
        {"audit", "a\nnewline", opts, 1, formats, 1, SA_COMP_ARGS_NONE, NULL},
        {"audit", "fine", opts, 1, bad_format, 1, SA_COMP_ARGS_NONE, NULL},
        {"audit", "fine", opts, 1, formats, 1, SA_COMP_ARGS_WORDS, "bash  zsh"},
        {"audit", "fine", opts, 1, formats, 1, SA_COMP_ARGS_WORDS, "$(id)"},
        {"-audit", "fine", opts, 1, formats, 1, SA_COMP_ARGS_NONE, NULL},
    };

    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        int rc, err;
        char *s = written(i % 2 ? SA_COMP_ZSH : SA_COMP_BASH, &cmds[i], 1, &rc, &err);

        ck_assert_msg(s == NULL && rc == -1 && err == EINVAL, "table %zu was written", i);
    }
}
END_TEST

START_TEST(shells_by_name)
{
    sa_comp_shell shell = SA_COMP_BASH;

    ck_assert(sa_comp_shell_parse("zsh", &shell) && shell == SA_COMP_ZSH);
    ck_assert(sa_comp_shell_parse("bash", &shell) && shell == SA_COMP_BASH);
    ck_assert(!sa_comp_shell_parse("fish", &shell));
    ck_assert(!sa_comp_shell_parse("Bash", &shell));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("completion");
    TCase *tc = tcase_create("completion");

    tcase_add_test(tc, values_are_known_by_the_option_name);
    tcase_add_test(tc, zsh_summaries_are_quoted_for_describe_and_the_shell);
    tcase_add_test(tc, names_that_are_not_plain_are_refused);
    tcase_add_test(tc, shells_by_name);
    suite_add_tcase(s, tc);
    return check_run(s);
}
