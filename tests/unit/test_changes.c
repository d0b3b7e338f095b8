/* Unit tests: what changed since a baseline, as the audit's text and
 * "spnaudit diff" write it: fitted to the width, and never broken inside
 * a value (a server, a file name), which could otherwise start a line of
 * its choosing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "formats_fixture.h"
#include "spnaudit/baseline.h"
#include "spnaudit/report.h"
#include "text_lines.h"

#define WIDTH 60

static const char *const forged = "FAILURE SPN_MISSING  MSOMHSvc/forged";
static const char *const file = "/var/lib/spnaudit/a baseline with a long name of its own.json";

/* The fixture's findings against a baseline of ms01, ms02 and a server
 * whose name is padded to push a forged finding onto a line of its own
 * (name, 128 bytes); now ms01 and ms02. */
static void
compare(json_fixture *j, char *name)
{
    const char *const was[] = {"ms01.contoso.test", "ms02.contoso.test", name, NULL};
    const char *const now[] = {"ms01.contoso.test", "ms02.contoso.test", NULL};
    sa_error err = {SA_OK, ""};

    snprintf(name, 128, "%-40s%s", "x", forged);
    json_fixture_make(j);
    scope_of(&j->was, was);
    scope_of(&j->now, now);
    add(&j->old, SA_F_DNS_RESOLUTION_FAILED, "ms02.contoso.test", "ms02.contoso.test");
    add(&j->old, SA_F_TCP_CONNECT_FAILED, name, name);
    ck_assert_int_eq(sa_baseline_compare(&j->old, (sa_coverage){&j->was, true}, &j->x.findings,
                                         (sa_coverage){&j->now, true}, &j->cmp, &err),
                     SA_OK);
    j->x.r.baseline_file = file;
    j->x.r.comparison = &j->cmp;
    j->x.r.scope = &j->now;
    j->x.r.width = WIDTH;
}

static char *
render_diff(const sa_diff_report *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(sa_diff_report_text(d, out), 0);
    ck_assert_int_eq(fclose(out), 0);
    return text;
}

/* Is the line (len bytes at s) a fix command of the report's findings? */
static bool
holds_fix(const sa_report *r, const char *s, size_t len)
{
    for (size_t i = 0; i < r->findings->n; i++) {
        for (size_t k = 0; k < r->findings->items[i].fix.n; k++) {
            const char *why;
            char *cmd = sa_fix_command_line(&r->findings->items[i].fix, k, r->fix_shell, &why);
            bool yes = cmd != NULL && strlen(cmd) <= len && memmem(s, len, cmd, strlen(cmd)) != NULL;
            free(cmd);
            if (yes)
                return true;
        }
    }
    return false;
}

/* No line of text starts with the forged finding, the padded name is
 * whole on one line, and every line fits WIDTH but those that hold a
 * value wider than the room (the name, the file's) or a fix command. */
static void
assert_wrapped(const sa_report *r, const char *text, const char *name)
{
    size_t len, n = 0;

    ck_assert_msg(strstr(text, name) != NULL, "the name broken:\n%s", text);
    for (const char *p = text; *p != '\0'; p += len + (p[len] == '\n'), n++) {
        size_t cols = line_columns(p, &len);
        bool wide_value = memmem(p, len, name, strlen(name)) || memmem(p, len, file, strlen(file));

        ck_assert_msg(strncmp(p + strspn(p, " "), forged, strlen(forged)) != 0, "a forged line:\n%s", text);
        ck_assert_msg(cols <= WIDTH || wide_value || holds_fix(r, p, len) || is_one_word(p, len),
                      "line %zu: %zu columns > %d: %.*s", n + 1, cols, WIDTH, (int)len, p);
    }
    ck_assert_uint_gt(n, 10);
}

START_TEST(audit_changes_fit_the_width)
{
    json_fixture j;
    char name[128], *text;

    compare(&j, name);
    text = render(sa_report_text, &j.x.r);
    assert_wrapped(&j.x.r, text, name);
    /* the heading breaks at the tool's spaces; the file's name stays whole */
    ck_assert_msg(strstr(text,
                         "\nChanges since baseline\n  /var/lib/spnaudit/a baseline with a long name of its "
                         "own.json:\n  2 new, 1 fixed, 0 persisting, 1 not compared\n") != NULL,
                  "%s", text);
    ck_assert_msg(strstr(text, "\nNot compared:\n  1 finding of the baseline:\n    x ") != NULL, "%s", text);
    free(text);
    json_fixture_clear(&j);
}
END_TEST

START_TEST(diff_fits_the_width)
{
    static const char diff_head[] = "Changes from\n"
                                    "  /var/lib/spnaudit/a baseline with a long name of its own.json\n"
                                    "  (2024-05-01T02:15:00Z) to now.json: 2 new, 1 fixed, 0\n"
                                    "  persisting, 1 not compared\n"
                                    "Scope changed:\n"
                                    "  servers no longer audited:\n"
                                    "    x ";
    json_fixture j;
    char name[128], *text;
    sa_diff_report d;

    compare(&j, name);
    d = (sa_diff_report){file, "2024-05-01T02:15:00Z", "now.json", NULL, &j.x.findings, &j.cmp, WIDTH};
    text = render_diff(&d);
    assert_wrapped(&j.x.r, text, name);
    ck_assert_msg(strncmp(text, diff_head, strlen(diff_head)) == 0, "%s", text);
    /* the default width is 80 */
    free(text);
    d.width = 0;
    text = render_diff(&d);
    ck_assert_ptr_nonnull(
        strstr(text, "\nNew:\n  FAILURE SPN_MISSING  MSOMHSvc/über\\x01host (ms01.contoso.test)\n"));
    /* a new finding with its fix, for the shell asked (cmd.exe by default) */
    ck_assert_ptr_nonnull(strstr(text,
                                 "\n          fix (cmd.exe): setspn -S MSOMHSvc/ms01 ms01\n"
                                 "                         setspn -S MSOMHSvc/ms01.contoso.test \"it's\"\n"
                                 "                         then restart\n"));
    free(text);
    d.fix_shell = SA_SHELL_POWERSHELL;
    text = render_diff(&d);
    ck_assert_ptr_nonnull(strstr(text, "\n          fix (PowerShell): setspn -S 'MSOMHSvc/ms01' 'ms01'\n"));
    free(text);
    json_fixture_clear(&j);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("changes");
    TCase *tc = tcase_create("changes");

    tcase_add_test(tc, audit_changes_fit_the_width);
    tcase_add_test(tc, diff_fits_the_width);
    suite_add_tcase(s, tc);
    return check_run(s);
}
