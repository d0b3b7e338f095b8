/* Unit tests for secrets: password files and keytabs that others may read
 * or write are refused with their mode named, the --password-env variable
 * leaves the environment, and the process cannot dump core. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "tmpdir.h"
#include "spnaudit/secret.h"
#include "spnaudit/signals.h"

static char dir[64];
static char file[128];

static void
setup(void)
{
    strcpy(dir, "/tmp/spnaudit-secret-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file, sizeof(file), "%s/pw.txt", dir);
}

static void
teardown(void)
{
    tmpdir_remove(dir);
}

/* file holds text and has mode. */
static void
put(const char *text, mode_t mode)
{
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    ck_assert_int_eq(fchmod(fd, mode), 0);
    ck_assert_int_eq(close(fd), 0);
}

/* A mode, and the words of the refusal (NULL: accepted). */
static const struct {
    mode_t mode;
    const char *why;
} modes[] = {
    {0640, "must not be readable by group or others"},
    {0604, "must not be readable by group or others"},
    {0644, "must not be readable by group or others"},
    {0602, "must not be writable by anyone but its owner"},
    {0620, "must not be writable by anyone but its owner"},
    {0600, NULL},
    {0400, NULL},
    {0700, NULL},
};

/* err refuses file, of kind, for the reason of modes[i]. */
static void
expect_refusal(int i, const char *kind, sa_status st, const sa_error *err)
{
    char head[512];

    ck_assert_int_eq(st, SA_ERR_USAGE);
    snprintf(head, sizeof(head), "%s has mode %04o: a %s %s (chmod 600 %s)", file, (unsigned)modes[i].mode,
             kind, modes[i].why, file);
    ck_assert_str_eq(err->message, head);
}

START_TEST(password_file_mode_is_checked)
{
    sa_error err = {SA_OK, ""};
    char *pw = NULL;
    sa_status st;

    put("Passw0rd!\n", modes[_i].mode);
    st = sa_secret_from_file(file, &pw, &err);
    if (modes[_i].why != NULL) {
        expect_refusal(_i, "password file", st, &err);
        ck_assert_ptr_null(pw);
    } else {
        ck_assert_int_eq(st, SA_OK);
        ck_assert_str_eq(pw, "Passw0rd!");
    }
    sa_secret_free(pw);
}
END_TEST

START_TEST(keytab_mode_is_checked)
{
    sa_error err = {SA_OK, ""};
    char name[160];

    put("\x05\x02", modes[_i].mode);
    if (modes[_i].why != NULL)
        expect_refusal(_i, "keytab", sa_secret_check_keytab(file, &err), &err);
    else
        ck_assert_int_eq(sa_secret_check_keytab(file, &err), SA_OK);
    /* the same file named as krb5_kt_resolve reads it */
    snprintf(name, sizeof(name), "FILE:%s", file);
    ck_assert_int_eq(sa_secret_check_keytab(name, &err), modes[_i].why != NULL ? SA_ERR_USAGE : SA_OK);
}
END_TEST

/* A keytab that does not exist, and one this account cannot read (both
 * were "Pre-authentication failed" from Kerberos). */
START_TEST(keytab_missing_says_so)
{
    sa_error err = {SA_OK, ""};
    char want[512];

    snprintf(want, sizeof(want),
             "the keytab %s does not exist (No such file or directory): check the path given with --keytab",
             file);
    ck_assert_int_eq(sa_secret_check_keytab(file, &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message, want);
}
END_TEST

START_TEST(keytab_unreadable_names_owner_and_reader)
{
    sa_error err = {SA_OK, ""};
    char want[1024] = "";
    int status;
    pid_t pid;

    /* as root (who reads anything), the reader is nobody; else the
     * owner itself with mode 0000 */
    put("\x05\x02", geteuid() == 0 ? 0600 : 0000);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    if (geteuid() == 0)
        snprintf(want, sizeof(want),
                 "cannot read the keytab %s: Permission denied: it belongs to root (uid 0), mode 0600, and "
                 "spnaudit runs as nobody (uid 65534): run spnaudit as the keytab's owner, or give this "
                 "account a keytab of its own",
                 file);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(2);
        if (sa_secret_check_keytab(file, &err) != SA_ERR_USAGE)
            _exit(3);
        _exit(want[0] == '\0' ? strstr(err.message, "Permission denied: it belongs to") == NULL
                              : strcmp(err.message, want) != 0);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit %d; want: %s", WEXITSTATUS(status),
                  want);
}
END_TEST

START_TEST(keytab_that_is_no_file_passes)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(sa_secret_check_keytab("MEMORY:spnaudit", &err), SA_OK);
}
END_TEST

START_TEST(directory_is_refused)
{
    sa_error err = {SA_OK, ""};
    char *pw = NULL, expected[256];

    ck_assert_int_eq(chmod(dir, 0700), 0);
    ck_assert_int_eq(sa_secret_from_file(dir, &pw, &err), SA_ERR_USAGE);
    ck_assert_ptr_null(pw);
    snprintf(expected, sizeof(expected), "the password file %s is not a regular file", dir);
    ck_assert_str_eq(err.message, expected);
    ck_assert_int_eq(sa_secret_check_keytab(dir, &err), SA_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "not a regular file"));
}
END_TEST

START_TEST(fifo_is_refused_without_waiting_for_a_writer)
{
    sa_error err = {SA_OK, ""};
    char *pw = NULL;

    ck_assert_int_eq(mkfifo(file, 0600), 0);
    alarm(10); /* a hang fails the test */
    ck_assert_int_eq(sa_secret_from_file(file, &pw, &err), SA_ERR_USAGE);
    alarm(0);
    ck_assert_ptr_nonnull(strstr(err.message, "not a regular file"));
}
END_TEST

START_TEST(line_ending_is_removed)
{
    sa_error err = {SA_OK, ""};
    char *pw = NULL;

    put("a b\tc\r\nsecond line\n", 0600);
    ck_assert_int_eq(sa_secret_from_file(file, &pw, &err), SA_OK);
    ck_assert_str_eq(pw, "a b\tc");
    sa_secret_free(pw);
}
END_TEST

START_TEST(empty_and_overlong_files_are_refused)
{
    sa_error err = {SA_OK, ""};
    char *pw = NULL, *big = malloc(5000);

    put("", 0600);
    ck_assert_int_eq(sa_secret_from_file(file, &pw, &err), SA_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "it is empty"));
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', 4999);
    big[4999] = '\0';
    put(big, 0600);
    ck_assert_int_eq(sa_secret_from_file(file, &pw, &err), SA_ERR_USAGE);
    ck_assert_ptr_null(pw);
    ck_assert_ptr_nonnull(strstr(err.message, "longer than 4096 bytes"));
    free(big);
}
END_TEST

START_TEST(prompt_takes_one_line_and_leaves_the_rest)
{
    sa_error err = {SA_OK, ""};
    char *pw = NULL, rest[16] = "";
    int p[2];

    /* what follows the line stays unread: no buffer holds a copy */
    ck_assert_int_eq(pipe(p), 0);
    ck_assert_int_eq(write(p[1], "s3cret\nrest", 11), 11);
    close(p[1]);
    ck_assert_int_eq(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
    close(p[0]);
    ck_assert_int_eq(sa_secret_prompt("Password", true, &pw, &err), SA_OK);
    ck_assert_str_eq(pw, "s3cret");
    ck_assert_int_eq(read(STDIN_FILENO, rest, sizeof(rest) - 1), 4);
    ck_assert_str_eq(rest, "rest");
    sa_secret_free(pw);
}
END_TEST

START_TEST(environment_variable_is_wiped_and_removed)
{
    static char entry[] = "SPNAUDIT_TEST_PW=Passw0rd!";
    const char *value = entry + strlen("SPNAUDIT_TEST_PW=");
    sa_error err = {SA_OK, ""};
    char *pw = NULL;

    ck_assert_int_eq(putenv(entry), 0);
    ck_assert_int_eq(sa_secret_from_env("SPNAUDIT_TEST_PW", &pw, &err), SA_OK);
    ck_assert_str_eq(pw, "Passw0rd!");
    ck_assert_ptr_null(getenv("SPNAUDIT_TEST_PW"));
    /* the string the environment held (what /proc/PID/environ shows) */
    for (size_t i = 0; i < strlen("Passw0rd!"); i++)
        ck_assert_int_eq(value[i], '\0');
    sa_secret_free(pw);
}
END_TEST

START_TEST(missing_environment_variable_is_named)
{
    sa_error err = {SA_OK, ""};
    char *pw = NULL;

    unsetenv("SPNAUDIT_TEST_NONE");
    ck_assert_int_eq(sa_secret_from_env("SPNAUDIT_TEST_NONE", &pw, &err), SA_ERR_USAGE);
    ck_assert_ptr_null(pw);
    ck_assert_ptr_nonnull(strstr(err.message, "SPNAUDIT_TEST_NONE"));
}
END_TEST

START_TEST(process_cannot_dump_core)
{
    sa_error err = {SA_OK, ""};
    struct rlimit core;

    ck_assert_int_eq(sa_secret_protect_process(&err), SA_OK);
    ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    ck_assert_int_eq(getrlimit(RLIMIT_CORE, &core), 0);
    ck_assert_int_eq(core.rlim_cur, 0);
    ck_assert_int_eq(core.rlim_max, 0);
}
END_TEST

/* A child waiting at the prompt without echo on the terminal slave. */
static pid_t
prompt_on(const char *slave, int err_fd)
{
    pid_t pid = fork();

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        sa_error err = {SA_OK, ""};
        char *pw = NULL;
        int fd;

        setsid();
        if ((fd = open(slave, O_RDWR)) < 0 || dup2(fd, STDIN_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0 ||
            sa_signals_install(&err) != SA_OK)
            _exit(99);
        sa_secret_prompt("Password", true, &pw, &err);
        _exit(0);
    }
    return pid;
}

/* Does the terminal echo? */
static bool
echoes(int fd)
{
    struct termios t;

    ck_assert_int_eq(tcgetattr(fd, &t), 0);
    return (t.c_lflag & ECHO) != 0;
}

START_TEST(signal_at_the_prompt_turns_echo_back_on)
{
    struct timespec pause = {0, 10 * 1000 * 1000};
    int master, slave, p[2], st, tries = 0;
    char err[256] = "";
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    master = posix_openpt(O_RDWR | O_NOCTTY);
    ck_assert_int_ge(master, 0);
    ck_assert_int_eq(grantpt(master), 0);
    ck_assert_int_eq(unlockpt(master), 0);
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    ck_assert_int_ge(slave, 0);
    ck_assert(echoes(slave));
    ck_assert_int_eq(pipe(p), 0);
    pid = prompt_on(ptsname(master), p[1]);
    close(p[1]);
    while (echoes(slave) && tries++ < 1000) /* until the prompt turned echo off */
        nanosleep(&pause, NULL);
    ck_assert(!echoes(slave));
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st));
    ck_assert_int_eq(WEXITSTATUS(st), 143);
    ck_assert(echoes(slave));
    while ((n = read(p[0], err + len, sizeof(err) - 1 - len)) > 0)
        len += (size_t)n;
    err[len] = '\0';
    ck_assert_str_eq(err, "Password: \nspnaudit: interrupted by SIGTERM\n");
    close(p[0]);
    close(slave);
    close(master);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("secret");
    TCase *tc = tcase_create("files");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, password_file_mode_is_checked, 0, (int)(sizeof(modes) / sizeof(modes[0])));
    tcase_add_loop_test(tc, keytab_mode_is_checked, 0, (int)(sizeof(modes) / sizeof(modes[0])));
    tcase_add_test(tc, keytab_that_is_no_file_passes);
    tcase_add_test(tc, keytab_missing_says_so);
    tcase_add_test(tc, keytab_unreadable_names_owner_and_reader);
    tcase_add_test(tc, directory_is_refused);
    tcase_add_test(tc, fifo_is_refused_without_waiting_for_a_writer);
    tcase_add_test(tc, line_ending_is_removed);
    tcase_add_test(tc, empty_and_overlong_files_are_refused);
    suite_add_tcase(s, tc);
    tc = tcase_create("process");
    tcase_add_test(tc, prompt_takes_one_line_and_leaves_the_rest);
    tcase_add_test(tc, signal_at_the_prompt_turns_echo_back_on);
    tcase_add_test(tc, environment_variable_is_wiped_and_removed);
    tcase_add_test(tc, missing_environment_variable_is_named);
    tcase_add_test(tc, process_cannot_dump_core);
    suite_add_tcase(s, tc);
    return check_run(s);
}
