/* trust_map_svg.c - the trust map drawn as SVG by Graphviz's dot program,
 * trimmed for inline use in an HTML page.
 *
 * Why the program and not libgvc in this process: measured on Debian 12's
 * Graphviz 2.42 with one small map (two domains, one cluster), one
 * gvLayout + gvRenderData("svg") + gvFreeRenderData + gvFreeLayout +
 * agclose + gvFreeContext loses 11,086 bytes in 28 blocks definitely
 * and 14,762 in 525 indirectly (valgrind --leak-check=full; AddressSanitizer
 * the same: 25,850 bytes in 553 allocations), and not only in plugin
 * loading (gvconfig):
 * the dot layout itself loses its cluster edges (make_aux_edge in class1,
 * new_virtual_edge in class2) on every call, and the pango text-layout
 * plugin starts a glib thread and loses fontconfig patterns.  Those are
 * Graphviz's leaks, not ours to fix or suppress; a child process keeps
 * them, any crash of the layout on odd input, and its time out of the
 * tool, which only bounds it: a time limit, a limit on the SVG's size,
 * and stdin a socket written with MSG_NOSIGNAL (dot exiting early cannot
 * kill us with SIGPIPE).  The graph itself is still libcgraph's. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spnaudit/display.h"
#include "spnaudit/trust_map.h"

extern char **environ;

#define DOT_STDERR_MAX 400 /* what is kept of its complaints */
#define NOT_FOUND_WORDS "Graphviz's dot program not found (install the graphviz package)"

/* One run of dot: our ends of its stdin (a socket), stdout and stderr. */
typedef struct dot_run {
    pid_t pid;
    int in, out, errfd;
    const char *dot; /* what is left to write */
    size_t dot_left;
    int seconds;    /* its time to lay out and draw */
    size_t svg_max; /* the largest SVG taken from it */
    char *svg;
    size_t svg_len, svg_cap;
    char complaint[DOT_STDERR_MAX + 1];
    size_t complaint_len;
} dot_run;

static void
close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Start dot -Tsvg with its stdin, stdout and stderr ours (run's ends). */
static sa_status
dot_start(dot_run *run, sa_error *err)
{
    char *argv[] = {"dot", "-Tsvg", NULL};
    int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1}, rc = 0;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none;
    sa_status ret = SA_OK;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0 || pipe2(out, O_CLOEXEC) != 0 ||
        pipe2(errp, O_CLOEXEC) != 0) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "%s while starting Graphviz's dot", strerror(errno));
        goto cleanup;
    }
    sigemptyset(&none);
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    if ((rc = posix_spawn_file_actions_adddup2(&fa, in[1], 0)) == 0 &&
        (rc = posix_spawn_file_actions_adddup2(&fa, out[1], 1)) == 0 &&
        (rc = posix_spawn_file_actions_adddup2(&fa, errp[1], 2)) == 0 &&
        (rc = posix_spawnattr_setsigmask(&attr, &none)) == 0 &&
        (rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK)) == 0)
        rc = posix_spawnp(&run->pid, "dot", &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        ret = rc == ENOENT
                  ? sa_error_set(err, SA_ERR_SYSTEM, "the trust map is not drawn: " NOT_FOUND_WORDS)
                  : sa_error_set(err, SA_ERR_SYSTEM, "%s while starting Graphviz's dot", strerror(rc));
        goto cleanup;
    }
    run->in = in[0];
    run->out = out[0];
    run->errfd = errp[0];
    in[0] = out[0] = errp[0] = -1;
    fcntl(run->in, F_SETFL, O_NONBLOCK);
    fcntl(run->out, F_SETFL, O_NONBLOCK);
    fcntl(run->errfd, F_SETFL, O_NONBLOCK);
cleanup:
    for (int k = 0; k < 2; k++) {
        close_fd(&in[k]);
        close_fd(&out[k]);
        close_fd(&errp[k]);
    }
    return ret;
}

/* More of the DOT to dot; its stdin closed when all is written, or when
 * it stopped reading (its exit status then says why). */
static void
feed(dot_run *run)
{
    ssize_t w = send(run->in, run->dot, run->dot_left, MSG_NOSIGNAL | MSG_DONTWAIT);

    if (w > 0) {
        run->dot += w;
        run->dot_left -= (size_t)w;
    }
    if (run->dot_left == 0 || (w < 0 && errno != EAGAIN && errno != EINTR))
        close_fd(&run->in);
}

/* What dot wrote to stdout (into svg, within svg_max) or stderr (the
 * first DOT_STDERR_MAX bytes kept); false when the SVG is too large. */
static bool
drain(dot_run *run, int *fd, bool is_svg)
{
    char buf[16384];
    ssize_t r = read(*fd, buf, sizeof(buf));

    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
        close_fd(fd);
        return true;
    }
    if (r < 0)
        return true;
    if (!is_svg) {
        size_t keep = DOT_STDERR_MAX - run->complaint_len;
        keep = (size_t)r < keep ? (size_t)r : keep;
        memcpy(run->complaint + run->complaint_len, buf, keep);
        run->complaint_len += keep;
        return true;
    }
    if (run->svg_len + (size_t)r > run->svg_max)
        return false;
    if (run->svg_len + (size_t)r + 1 > run->svg_cap) {
        size_t cap = run->svg_cap ? run->svg_cap * 2 : 65536;
        char *more;
        while (cap < run->svg_len + (size_t)r + 1)
            cap *= 2;
        if ((more = realloc(run->svg, cap)) == NULL)
            return false;
        run->svg = more;
        run->svg_cap = cap;
    }
    memcpy(run->svg + run->svg_len, buf, (size_t)r);
    run->svg_len += (size_t)r;
    run->svg[run->svg_len] = '\0';
    return true;
}

static long
ms_left(const struct timespec *deadline)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Feed dot and read it until it closes its output, within its seconds. */
static sa_status
dot_talk(dot_run *run, sa_error *err)
{
    struct timespec deadline;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += run->seconds;
    while (run->out >= 0 || run->errfd >= 0) {
        struct pollfd p[3] = {{run->in, POLLOUT, 0}, {run->out, POLLIN, 0}, {run->errfd, POLLIN, 0}};
        long left = ms_left(&deadline);
        if (left <= 0)
            return sa_error_set(err, SA_ERR_SYSTEM,
                                "the trust map is not drawn: Graphviz's dot took more than %d seconds",
                                run->seconds);
        if (poll(p, 3, (int)left) < 0 && errno != EINTR)
            return sa_error_set(err, SA_ERR_SYSTEM, "%s while waiting for Graphviz's dot", strerror(errno));
        if (p[0].revents)
            feed(run);
        if (p[1].revents && !drain(run, &run->out, true))
            return sa_error_set(
                err, SA_ERR_SYSTEM,
                "the trust map is not drawn: Graphviz's SVG is larger than %zu bytes (or out of "
                "memory)",
                run->svg_max);
        if (p[2].revents)
            drain(run, &run->errfd, false);
    }
    return SA_OK;
}

/* dot's exit, after talking to it; any failure stops it first. */
static sa_status
dot_end(dot_run *run, sa_status talked, sa_error *err)
{
    int status = 0;
    char *said;

    if (talked != SA_OK)
        kill(run->pid, SIGKILL);
    while (waitpid(run->pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (talked != SA_OK)
        return talked;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && run->svg != NULL)
        return SA_OK;
    /* its first line, escaped: dot repeats parts of its input there */
    run->complaint[strcspn(run->complaint, "\n")] = '\0';
    said = sa_shown_dup(run->complaint);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        sa_error_set(err, SA_ERR_SYSTEM, "the trust map is not drawn: " NOT_FOUND_WORDS);
    else
        sa_error_set(err, SA_ERR_SYSTEM, "Graphviz's dot %s %d%s%s while drawing the trust map",
                     WIFEXITED(status) ? "exited with status" : "was killed by signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), said && *said ? ": " : "",
                     said ? said : "");
    free(said);
    return SA_ERR_SYSTEM;
}

/* svg from its "<svg" on, without comments: for inline use no XML prolog
 * or DOCTYPE, and nothing of Graphviz's comments (its version, the node
 * names).  Text and attributes are escaped by Graphviz, so "<!--" only
 * starts a comment there.  NULL when there is no "<svg". */
static char *
svg_inline(const char *svg)
{
    const char *p = strstr(svg, "<svg"), *c;
    char *out, *o;

    if (p == NULL || (out = malloc(strlen(p) + 1)) == NULL)
        return NULL;
    o = out;
    while ((c = strstr(p, "<!--")) != NULL) {
        const char *end = strstr(c + 4, "-->");
        memcpy(o, p, (size_t)(c - p));
        o += c - p;
        if (end == NULL) {
            p = c + strlen(c);
            break;
        }
        p = end + 3;
        p += *p == '\n';
    }
    strcpy(o, p);
    return out;
}

sa_status
sa_dot_to_svg(const char *dot, char **svg_out, sa_error *err)
{
    return sa_dot_to_svg_within(dot, SA_DOT_SECONDS, SA_SVG_MAX, svg_out, err);
}

sa_status
sa_dot_to_svg_within(const char *dot, int seconds, size_t svg_max, char **svg_out, sa_error *err)
{
    dot_run run = {.pid = -1,
                   .in = -1,
                   .out = -1,
                   .errfd = -1,
                   .dot = dot,
                   .dot_left = strlen(dot),
                   .seconds = seconds,
                   .svg_max = svg_max};
    char *svg = NULL;
    sa_status ret = dot_start(&run, err);

    if (ret != SA_OK)
        goto cleanup;
    ret = dot_end(&run, dot_talk(&run, err), err);
    if (ret == SA_OK && (svg = svg_inline(run.svg)) == NULL)
        ret = sa_error_set(err, SA_ERR_SYSTEM,
                           "Graphviz's dot wrote no <svg> element while drawing the trust map");
    if (ret == SA_OK) {
        *svg_out = svg;
        svg = NULL;
    }
cleanup:
    close_fd(&run.in);
    close_fd(&run.out);
    close_fd(&run.errfd);
    free(run.svg);
    free(svg);
    return ret;
}

/* The map made (made: its status, dot its text) drawn; dot freed. */
static sa_status
drawn(sa_status made, char *dot, char **svg_out, sa_error *err)
{
    sa_status ret = made == SA_OK ? sa_dot_to_svg(dot, svg_out, err) : made;

    free(dot);
    return ret;
}

sa_status
sa_trust_map_svg(const sa_trust_run *r, char **svg_out, sa_error *err)
{
    char *dot = NULL;
    sa_status made = sa_trust_map_dot(r, &dot, err);

    return drawn(made, dot, svg_out, err);
}

sa_status
sa_plan_map_svg(const sa_plan *p, char **svg_out, sa_error *err)
{
    char *dot = NULL;
    sa_status made = sa_plan_map_dot(p, &dot, err);

    return drawn(made, dot, svg_out, err);
}
