/* Unit tests for the atomic writing of a file: the old content survives
 * every failure, and no temporary file is left behind. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "tmpdir.h"
#include "spnaudit/output.h"

static char dir[64];
static char target[128];

static void
setup(void)
{
    strcpy(dir, "/tmp/spnaudit-output-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(target, sizeof(target), "%s/report.json", dir);
}

static void
teardown(void)
{
    tmpdir_remove(dir);
}

static void
put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    ck_assert_ptr_nonnull(f);
    ck_assert_int_ge(fputs(text, f), 0);
    ck_assert_int_eq(fclose(f), 0);
}

static char *
get(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n;

    ck_assert_ptr_nonnull(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* path holds text, has the mode and is the only file of the directory. */
static void
expect_file(const char *path, const char *text, mode_t mode)
{
    struct stat st;

    ck_assert_str_eq(get(path), text);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, mode);
    ck_assert_int_eq(tmpdir_entries(dir), 1);
}

static int
write_text(FILE *out, void *data)
{
    return fputs(data, out) < 0 ? -1 : 0;
}

/* Writes some, then fails as a full disk would. */
static int
write_then_fail(FILE *out, void *data)
{
    fputs(data, out);
    fflush(out);
    errno = ENOSPC;
    return -1;
}

START_TEST(new_file_is_written)
{
    sa_error err = {SA_OK, ""};
    mode_t old_mask = umask(022);

    ck_assert_int_eq(sa_output_write_atomic(target, write_text, "{\"a\": 1}\n", &err), SA_OK);
    umask(old_mask);
    expect_file(target, "{\"a\": 1}\n", 0644);
}
END_TEST

START_TEST(success_replaces_the_content_and_keeps_the_mode)
{
    sa_error err = {SA_OK, ""};

    put(target, "the old report, which is longer than the new one\n");
    ck_assert_int_eq(chmod(target, 0600), 0);
    ck_assert_int_eq(sa_output_write_atomic(target, write_text, "new\n", &err), SA_OK);
    expect_file(target, "new\n", 0600);
}
END_TEST

START_TEST(failing_writer_leaves_the_old_file)
{
    sa_error err = {SA_OK, ""};

    put(target, "old\n");
    ck_assert_int_eq(sa_output_write_atomic(target, write_then_fail, "half of a new rep", &err),
                     SA_ERR_SYSTEM);
    ck_assert_str_eq(get(target), "old\n");
    ck_assert_int_eq(tmpdir_entries(dir), 1); /* no temporary file left */
    ck_assert_ptr_nonnull(strstr(err.message, target));
    ck_assert_ptr_nonnull(strstr(err.message, strerror(ENOSPC)));
}
END_TEST

START_TEST(failing_writer_without_old_file_leaves_nothing)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(sa_output_write_atomic(target, write_then_fail, "half", &err), SA_ERR_SYSTEM);
    ck_assert_int_eq(access(target, F_OK), -1);
    ck_assert_int_eq(tmpdir_entries(dir), 0);
}
END_TEST

START_TEST(missing_directory_is_a_clear_error)
{
    sa_error err = {SA_OK, ""};
    char path[256];

    snprintf(path, sizeof(path), "%s/no-such-dir/report.json", dir);
    ck_assert_int_eq(sa_output_write_atomic(path, write_text, "x", &err), SA_ERR_SYSTEM);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_ptr_nonnull(strstr(err.message, strerror(ENOENT)));
    ck_assert_int_eq(tmpdir_entries(dir), 0);
}
END_TEST

START_TEST(directory_as_target_is_refused)
{
    sa_error err = {SA_OK, ""};
    char path[256];

    snprintf(path, sizeof(path), "%s/sub", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    ck_assert_int_ne(sa_output_write_atomic(path, write_text, "x", &err), SA_OK);
    ck_assert_ptr_nonnull(strstr(err.message, path));
    ck_assert_int_eq(tmpdir_entries(dir), 1); /* the directory only */
    snprintf(path, sizeof(path), "%s/", dir);
    ck_assert_int_eq(sa_output_write_atomic(path, write_text, "x", &err), SA_ERR_USAGE);
    ck_assert_int_eq(tmpdir_entries(dir), 1);
}
END_TEST

START_TEST(relative_name_is_written_in_the_current_directory)
{
    sa_error err = {SA_OK, ""};
    char cwd[512];

    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    umask(022);
    ck_assert_int_eq(chdir(dir), 0);
    ck_assert_int_eq(sa_output_write_atomic("report.json", write_text, "here\n", &err), SA_OK);
    ck_assert_int_eq(chdir(cwd), 0);
    expect_file(target, "here\n", 0644);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("atomic");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_file_is_written);
    tcase_add_test(tc, success_replaces_the_content_and_keeps_the_mode);
    tcase_add_test(tc, failing_writer_leaves_the_old_file);
    tcase_add_test(tc, failing_writer_without_old_file_leaves_nothing);
    tcase_add_test(tc, missing_directory_is_a_clear_error);
    tcase_add_test(tc, directory_as_target_is_refused);
    tcase_add_test(tc, relative_name_is_written_in_the_current_directory);
    suite_add_tcase(s, tc);
    return check_run(s);
}
