/* Unit tests for the atomic writing of a file: the old content survives
 * every failure and every SIGINT, SIGTERM and SIGHUP, and no temporary file
 * is left behind. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_run.h"
#include "tmpdir.h"
#include "spnaudit/output.h"
#include "spnaudit/signals.h"

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
    /* a report names every SCOM account: 0640, not 0644 */
    expect_file(target, "{\"a\": 1}\n", 0640);
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
    expect_file(target, "here\n", 0640);
}
END_TEST

/* The mode of the file being written, seen from inside the writer. */
static int
write_and_note_mode(FILE *out, void *data)
{
    struct stat st;

    if (fstat(fileno(out), &st) != 0)
        return -1;
    *(mode_t *)data = st.st_mode & 07777;
    return fputs("new\n", out) < 0 ? -1 : 0;
}

START_TEST(temporary_file_is_private_until_complete)
{
    sa_error err = {SA_OK, ""};
    mode_t seen = 0;

    put(target, "old\n");
    ck_assert_int_eq(chmod(target, 0644), 0);
    ck_assert_int_eq(sa_output_write_atomic(target, write_and_note_mode, &seen, &err), SA_OK);
    ck_assert_int_eq(seen, 0600);
    expect_file(target, "new\n", 0644);
}
END_TEST

/* A signal, its exit status and its name in the message. */
static const struct {
    int sig, status;
    const char *name;
} signals[] = {{SIGINT, 130, "SIGINT"}, {SIGTERM, 143, "SIGTERM"}, {SIGHUP, 129, "SIGHUP"}};

/* How a child process ended: its exit status (minus the signal's number
 * when a signal killed it) and what it wrote to standard error. */
typedef struct child_end {
    int status;
    char err[1024];
} child_end;

/* Run body(arg) in a child that has installed the handlers, its standard
 * error on a pipe; the child exits 0 when body returns. */
static void
run_child(void (*body)(void *), void *arg, child_end *end)
{
    int p[2], st;
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    ck_assert_int_eq(pipe(p), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        sa_error err = {SA_OK, ""};

        dup2(p[1], STDERR_FILENO);
        close(p[0]);
        close(p[1]);
        /* as a run started normally: one started ignoring a signal (nohup)
         * keeps ignoring it, by design */
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        if (sa_signals_install(&err) != SA_OK)
            _exit(99);
        body(arg);
        _exit(0);
    }
    close(p[1]);
    while ((n = read(p[0], end->err + len, sizeof(end->err) - 1 - len)) > 0)
        len += (size_t)n;
    end->err[len] = '\0';
    close(p[0]);
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    end->status = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

/* Half a report on disk, then the signal *data. */
static int
write_then_signal(FILE *out, void *data)
{
    fputs("{\"findings\": [", out);
    fflush(out);
    raise(*(int *)data);
    return fputs("]}\n", out) < 0 ? -1 : 0;
}

static void
write_interrupted(void *sig)
{
    sa_error err = {SA_OK, ""};

    sa_output_write_atomic(target, write_then_signal, sig, &err);
}

/* The message the handler writes for sig about the target. */
static const char *
expected_message(int i, const char *what)
{
    static char msg[512];

    snprintf(msg, sizeof(msg), "spnaudit: interrupted by %s%s%s%s\n", signals[i].name, *what ? "; " : "",
             *what ? target : "", what);
    return msg;
}

/* body(&signals[i].sig) in a child, over the old target (none when old is
 * NULL): the child ends with signals[i]'s status, leaves the target holding
 * content as the directory's only file (nothing when content is NULL), and
 * says expected_message(i, what). */
static void
expect_interrupted(void (*body)(void *), int i, const char *old, const char *content, const char *what)
{
    int sig = signals[i].sig;
    child_end end;

    if (old != NULL)
        put(target, old);
    run_child(body, &sig, &end);
    ck_assert_int_eq(end.status, signals[i].status);
    if (content != NULL)
        ck_assert_str_eq(get(target), content);
    ck_assert_int_eq(tmpdir_entries(dir), content != NULL); /* no .report.json.XXXXXX */
    ck_assert_str_eq(end.err, expected_message(i, what));
}

START_TEST(signal_during_the_write_keeps_the_old_file)
{
    expect_interrupted(write_interrupted, _i, "the old report\n", "the old report\n", " left as it was");
}
END_TEST

START_TEST(signal_during_the_first_write_leaves_nothing)
{
    expect_interrupted(write_interrupted, 1, NULL, NULL, " not written");
}
END_TEST

static void *
raise_in_thread(void *sig)
{
    raise(*(int *)sig);
    return NULL;
}

/* Half a report on disk, then the signal *data, handled by another
 * thread. */
static int
write_then_signal_thread(FILE *out, void *data)
{
    pthread_t t;

    fputs("{\"findings\": [", out);
    fflush(out);
    if (pthread_create(&t, NULL, raise_in_thread, data) != 0)
        return -1;
    pthread_join(t, NULL);
    return fputs("]}\n", out) < 0 ? -1 : 0;
}

static void
write_interrupted_in_thread(void *sig)
{
    sa_error err = {SA_OK, ""};

    sa_output_write_atomic(target, write_then_signal_thread, sig, &err);
}

START_TEST(signal_in_another_thread_keeps_the_old_file)
{
    expect_interrupted(write_interrupted_in_thread, 1, "old\n", "old\n", " left as it was");
}
END_TEST

static void
signal_after_the_write(void *sig)
{
    sa_error err = {SA_OK, ""};

    if (sa_output_write_atomic(target, write_text, "new\n", &err) == SA_OK)
        raise(*(int *)sig);
}

START_TEST(signal_after_the_rename_keeps_the_new_file)
{
    expect_interrupted(signal_after_the_write, 1, "old\n", "new\n", " was written");
}
END_TEST

/* A write that fails (its temporary file removed and forgotten), then the
 * signal *sig outside any write. */
static void
signal_after_a_failed_write(void *sig)
{
    sa_error err = {SA_OK, ""};

    sa_output_write_atomic(target, write_then_fail, "half", &err);
    raise(*(int *)sig);
}

START_TEST(signal_outside_a_write_exits_with_its_status)
{
    expect_interrupted(signal_after_a_failed_write, _i, "old\n", "old\n", "");
}
END_TEST

START_TEST(ignored_signal_stays_ignored)
{
    int sig = SIGHUP, st;
    pid_t pid;

    put(target, "old\n");
    /* SIGHUP ignored before the handlers are installed, as nohup starts a
     * program: it stays ignored, and the write completes */
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        sa_error err = {SA_OK, ""};

        signal(SIGHUP, SIG_IGN);
        if (sa_signals_install(&err) != SA_OK)
            _exit(99);
        write_interrupted(&sig);
        _exit(0);
    }
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st));
    ck_assert_int_eq(WEXITSTATUS(st), 0);
    ck_assert_str_eq(get(target), "{\"findings\": []}\n");
    ck_assert_int_eq(tmpdir_entries(dir), 1);
}
END_TEST

/* sa_output_check on path: the status, and the message word for word
 * (with DIR standing for the test's directory). */
static void
expect_check(const char *path, sa_status status, const char *message)
{
    sa_error err = {SA_OK, ""};
    char want[1024] = "", *p;

    ck_assert_int_eq(sa_output_check(path, &err), status);
    for (const char *m = message; *m != '\0';) {
        if (strncmp(m, "DIR", 3) == 0) {
            strcat(want, dir);
            m += 3;
        } else {
            p = want + strlen(want);
            *p++ = *m++;
            *p = '\0';
        }
    }
    ck_assert_str_eq(err.message, want);
}

START_TEST(output_check_before_the_work)
{
    char path[256];

    ck_assert_int_eq(sa_output_check(target, NULL), SA_OK);
    ck_assert_int_eq(tmpdir_entries(dir), 0); /* nothing created */
    snprintf(path, sizeof(path), "%s/no-such-dir/r.txt", dir);
    expect_check(path, SA_ERR_USAGE,
                 "cannot write the report to DIR/no-such-dir/r.txt: the directory DIR/no-such-dir does not "
                 "exist; create it or name a file in an existing directory");
    put(target, "x");
    snprintf(path, sizeof(path), "%s/report.json/r.txt", dir);
    expect_check(path, SA_ERR_USAGE,
                 "cannot write the report to DIR/report.json/r.txt: DIR/report.json is not a directory");
    expect_check(dir, SA_ERR_USAGE, "cannot write the report to DIR: it is a directory; name a file in it");
    snprintf(path, sizeof(path), "%s/", dir);
    expect_check(path, SA_ERR_USAGE, "cannot write the report to DIR/: it is a directory; name a file in it");
    ck_assert_int_eq(sa_output_check("report.json", NULL), SA_OK); /* the current directory */
}
END_TEST

/* A directory this account may not write to (as nobody when run as root,
 * who may write anywhere). */
START_TEST(output_check_unwritable_directory)
{
    char sub[128], path[256], want[1024];
    sa_error err = {SA_OK, ""};
    int status;
    pid_t pid;

    snprintf(sub, sizeof(sub), "%s/ro", dir);
    snprintf(path, sizeof(path), "%s/r.txt", sub);
    snprintf(want, sizeof(want),
             "cannot write the report to %s: this account may not create files in the directory %s "
             "(Permission denied); name a file in a directory it can write to",
             path, sub);
    ck_assert_int_eq(mkdir(sub, 0555), 0);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(2);
        _exit(sa_output_check(path, &err) == SA_ERR_USAGE && strcmp(err.message, want) == 0 ? 0 : 1);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "want: %s", want);
    ck_assert_int_eq(chmod(sub, 0755), 0);
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
    tcase_add_test(tc, temporary_file_is_private_until_complete);
    tcase_add_test(tc, output_check_before_the_work);
    tcase_add_test(tc, output_check_unwritable_directory);
    suite_add_tcase(s, tc);
    tc = tcase_create("signals");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, signal_during_the_write_keeps_the_old_file, 0, 3);
    tcase_add_test(tc, signal_during_the_first_write_leaves_nothing);
    tcase_add_test(tc, signal_in_another_thread_keeps_the_old_file);
    tcase_add_test(tc, signal_after_the_rename_keeps_the_new_file);
    tcase_add_loop_test(tc, signal_outside_a_write_exits_with_its_status, 0, 3);
    tcase_add_test(tc, ignored_signal_stays_ignored);
    suite_add_tcase(s, tc);
    return check_run(s);
}
