/* Unit tests: the progress line from the counts and the time, and the bar
 * drawn on a terminal (a pseudo-terminal here) but never on a pipe or a
 * file. */
#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "spnaudit/progress.h"

static const struct {
    size_t done, total;
    double elapsed;
    int width;
    const char *line;
} lines[] = {
    /* 812 in 8.5 s: 95.5/s, 1706 left: 17.9 s, rounded up */
    {812, 2518, 8.5, 60, "tickets 812/2518 [======>                 ] 96/s, 0:18 left"},
    {0, 2518, 0.0, 60, "tickets 0/2518 [                            ] --/s, -- left"},
    {2518, 2518, 20.0, 60, "tickets 2518/2518 [======================] 126/s, 0:00 left"},
    {3, 10, 2.0, 50, "tickets 3/10 [====>            ] 1.5/s, 0:05 left"},
    {1, 10000, 10.0, 60, "tickets 1/10000 [                    ] 0.1/s, 27:46:30 left"},
    /* no room for a bar of 10 */
    {812, 2518, 8.5, 40, "tickets 812/2518 96/s, 0:18 left"},
    /* more done than total (a count that raced ahead) is shown as total */
    {12, 10, 1.0, 30, "tickets 10/10 10/s, 0:00 left"},
};

START_TEST(the_line_from_counts_and_time)
{
    char buf[256];

    sa_progress_format(buf, sizeof(buf), "tickets", lines[_i].done, lines[_i].total, lines[_i].elapsed,
                       lines[_i].width);
    ck_assert_str_eq(buf, lines[_i].line);
    ck_assert_int_lt((int)strlen(buf), lines[_i].width);
}
END_TEST

START_TEST(no_bar_on_a_pipe_or_a_file)
{
    int fds[2];
    FILE *w, *f = tmpfile();

    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_ptr_nonnull(w = fdopen(fds[1], "w"));
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_null(sa_progress_start(w, "tickets", 10));
    ck_assert_ptr_null(sa_progress_start(f, "tickets", 10));
    ck_assert_ptr_null(sa_progress_start(NULL, "tickets", 10));
    /* every call takes the NULL of no bar */
    sa_progress_update(NULL, 1);
    sa_progress_end(NULL);
    fclose(w);
    fclose(f);
    close(fds[0]);
}
END_TEST

/* All the terminal holds so far (the master side of a pty). */
static void
read_all(int master, char *buf, size_t size)
{
    size_t n = 0;
    ssize_t r;

    /* a pty passes what was written on asynchronously: read until nothing
     * more comes for half a second */
    struct pollfd pfd = {master, POLLIN, 0};

    while (n < size - 1 && poll(&pfd, 1, 500) > 0 && (r = read(master, buf + n, size - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
}

/* How many times the line was drawn: its starts in seen. */
static size_t
count_draws(const char *seen)
{
    size_t n = 0;

    for (const char *p = seen; (p = strstr(p, "\rtickets ")) != NULL; p++)
        n++;
    return n;
}

/* seen: n draws "\rLINE\r", each within 49 columns, then "\r" and as
 * many spaces as the last line had characters, then "\r". */
static void
check_draws(const char *seen, size_t n)
{
    const char *p = seen;
    size_t last = 0, k = 0;

    for (size_t i = 0; i < n; i++) {
        size_t len;
        ck_assert_msg(*p == '\r', "draw %zu does not start the line: %.60s", i, p);
        len = strcspn(p + 1, "\r");
        ck_assert_msg(p[1 + len] == '\r' && len <= 49, "draw %zu: %zu columns: %.60s", i, len, p + 1);
        last = len;
        while (last > 0 && p[last] == ' ') /* its padding over a longer line */
            last--;
        p += len + 2;
    }
    ck_assert_msg(*p == '\r', "no blank line at the end: %s", p);
    while (p[1 + k] == ' ')
        k++;
    ck_assert_msg(p[1 + k] == '\r' && p[2 + k] == '\0', "the end is not spaces then \\r: %s", p);
    ck_assert_uint_ge(k, last);
}

START_TEST(a_bar_on_a_terminal_cleared_at_the_end)
{
    struct winsize ws = {.ws_row = 24, .ws_col = 50};
    int master = posix_openpt(O_RDWR | O_NOCTTY), slave;
    char seen[8192];
    struct timespec t0, t1;
    double elapsed;
    sa_progress *p;
    FILE *tty;
    size_t n;

    ck_assert_int_ge(master, 0);
    ck_assert(grantpt(master) == 0 && unlockpt(master) == 0);
    ck_assert_int_ge(slave = open(ptsname(master), O_RDWR | O_NOCTTY), 0);
    ck_assert_int_eq(ioctl(master, TIOCSWINSZ, &ws), 0);
    ck_assert_ptr_nonnull(tty = fdopen(slave, "w"));
    ck_assert_ptr_null(sa_progress_start(tty, "tickets", 0)); /* nothing to count */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_ptr_nonnull(p = sa_progress_start(tty, "tickets", 100000));
    for (size_t i = 1; i <= 100000; i++)
        sa_progress_update(p, i);
    sa_progress_end(p);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    elapsed = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fcntl(master, F_SETFL, O_NONBLOCK);
    read_all(master, seen, sizeof(seen));
    /* drawn at once, then at most ten times a second */
    ck_assert_msg(strncmp(seen, "\rtickets 1/100000 [", 19) == 0, "seen: %.60s", seen + 1);
    n = count_draws(seen);
    ck_assert_msg(n >= 1 && (double)n <= 2 + elapsed * 10, "%zu draws in %.3f s", n, elapsed);
    /* each draw is "\rLINE\r" within the 49 columns (the bar is left out
     * when the rate and time left leave it too little room); at the end
     * spaces over the last line, the cursor back at its start */
    check_draws(seen, n);
    fclose(tty);
    close(master);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("progress");
    TCase *tc = tcase_create("progress");

    tcase_add_loop_test(tc, the_line_from_counts_and_time, 0, sizeof(lines) / sizeof(lines[0]));
    tcase_add_test(tc, no_bar_on_a_pipe_or_a_file);
    tcase_add_test(tc, a_bar_on_a_terminal_cleared_at_the_end);
    suite_add_tcase(s, tc);
    return check_run(s);
}
