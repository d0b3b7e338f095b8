/* Unit tests: the files spnaudit reads that someone else may have
 * written (infile.c): regular files only, each kind within its limit. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "check_run.h"
#include "spnaudit/infile.h"
#include "tmpdir.h"

static char dir[] = "/tmp/spnaudit-infile-XXXXXX";
static char path[600];

static void
setup(void)
{
    strcpy(dir, "/tmp/spnaudit-infile-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
    tmpdir_remove(dir);
}

/* dir/name, in path. */
static const char *
in_dir(const char *name)
{
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

/* The whole file, NULs and all, with a NUL after it. */
START_TEST(reads_a_regular_file_whole)
{
    sa_error err = {SA_OK, ""};
    char *text = NULL;
    size_t len = 0;
    int fd = open(in_dir("f"), O_WRONLY | O_CREAT | O_EXCL, 0600);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "a\0b\n", 4), 4);
    close(fd);
    ck_assert_int_eq(sa_infile_read(path, SA_INFILE_CONFIG, &text, &len, &err), SA_OK);
    ck_assert_uint_eq(len, 4);
    ck_assert_mem_eq(text, "a\0b\n", 5);
    free(text);
}
END_TEST

/* A FIFO is never opened: open() would wait for a writer. */
START_TEST(refuses_a_fifo_without_waiting)
{
    sa_error err = {SA_OK, ""};
    char *text = NULL, want[700];
    size_t len = 0;

    ck_assert_int_eq(mkfifo(in_dir("fifo"), 0600), 0);
    ck_assert_int_eq(sa_infile_read(path, SA_INFILE_REPORT, &text, &len, &err), SA_ERR_USAGE);
    snprintf(want, sizeof(want), "cannot read the report %s: it is a FIFO, not a regular file", path);
    ck_assert_str_eq(err.message, want);
    ck_assert_ptr_null(text);
}
END_TEST

START_TEST(refuses_a_socket)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    sa_error err = {SA_OK, ""};
    char *text = NULL, want[700];
    size_t len = 0;
    int s = socket(AF_UNIX, SOCK_STREAM, 0);

    ck_assert_int_ge(s, 0);
    in_dir("sock");
    ck_assert_uint_lt(strlen(path), sizeof(sun.sun_path));
    memcpy(sun.sun_path, path, strlen(path) + 1);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
    ck_assert_int_eq(sa_infile_read(path, SA_INFILE_PROBE_LIST, &text, &len, &err), SA_ERR_USAGE);
    snprintf(want, sizeof(want), "cannot read the probe list %s: it is a socket, not a regular file", path);
    ck_assert_str_eq(err.message, want);
    close(s);
}
END_TEST

/* Exactly the limit is read; one byte more is not.  A symbolic link is
 * followed to what it names. */
START_TEST(the_limit_is_exact)
{
    sa_error err = {SA_OK, ""};
    char *text = NULL, want[700];
    size_t len = 0, limit = sa_infile_limit(SA_INFILE_CONFIG);
    int fd = open(in_dir("big"), O_WRONLY | O_CREAT | O_EXCL, 0600);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)limit), 0);
    ck_assert_int_eq(symlink("big", in_dir("link")), 0);
    ck_assert_int_eq(sa_infile_read(path, SA_INFILE_CONFIG, &text, &len, &err), SA_OK); /* the link */
    ck_assert_uint_eq(len, limit);
    free(text);
    text = NULL;
    ck_assert_int_eq(ftruncate(fd, (off_t)limit + 1), 0);
    close(fd);
    in_dir("big");
    ck_assert_int_eq(sa_infile_read(path, SA_INFILE_CONFIG, &text, &len, &err), SA_ERR_USAGE);
    snprintf(want, sizeof(want), "%s is 1.1 MB, more than the 1 MB limit for a configuration file", path);
    ck_assert_str_eq(err.message, want);
    ck_assert_ptr_null(text);
}
END_TEST

/* "-" is standard input only for a probe list. */
START_TEST(standard_input_where_the_kind_takes_it)
{
    sa_error err = {SA_OK, ""};
    char *text = NULL;
    size_t len = 0;
    int p[2];

    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(write(p[1], "MSOMHSvc/a\n", 11), 11);
    close(p[1]);
    ck_assert_int_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO); /* this test runs in a child of its own */
    close(p[0]);
    ck_assert_int_eq(sa_infile_read("-", SA_INFILE_REPORT, &text, &len, &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message, "cannot open the report -: No such file or directory");
    ck_assert_int_eq(sa_infile_read("-", SA_INFILE_PROBE_LIST, &text, &len, &err), SA_OK);
    ck_assert_str_eq(text, "MSOMHSvc/a\n");
    free(text);
}
END_TEST

START_TEST(kinds_are_named)
{
    ck_assert_str_eq(sa_infile_kind_name(SA_INFILE_CONFIG), "configuration file");
    ck_assert_str_eq(sa_infile_kind_name(SA_INFILE_REPORT), "report");
    ck_assert_str_eq(sa_infile_kind_name(SA_INFILE_PROBE_LIST), "probe list");
    ck_assert_uint_eq(sa_infile_limit(SA_INFILE_REPORT), (size_t)256 * 1024 * 1024);
    ck_assert_uint_eq(sa_infile_limit(SA_INFILE_PROBE_LIST), (size_t)64 * 1024 * 1024);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("infile");
    TCase *tc = tcase_create("read");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, reads_a_regular_file_whole);
    tcase_add_test(tc, refuses_a_fifo_without_waiting);
    tcase_add_test(tc, refuses_a_socket);
    tcase_add_test(tc, the_limit_is_exact);
    tcase_add_test(tc, standard_input_where_the_kind_takes_it);
    tcase_add_test(tc, kinds_are_named);
    suite_add_tcase(s, tc);
    return check_run(s);
}
