/* progress.c - a one-line progress bar on a terminal: the line is a pure
 * function of the counts and the time; drawing it is rate-limited and
 * shared by the threads that do the work. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "spnaudit/progress.h"

#define REDRAW_SECONDS 0.1
#define MIN_BAR 10
#define DEFAULT_WIDTH 80

/* seconds as "M:SS" or "H:MM:SS". */
static void
format_duration(char *buf, size_t size, double seconds)
{
    unsigned long s = (unsigned long)(seconds + 0.999); /* rounded up */

    if (s >= 3600)
        snprintf(buf, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%lu:%02lu", s / 60, s % 60);
}

/* room columns of '=' for done of total, '>' at its head, spaces after. */
static void
fill_bar(char *bar, int room, size_t done, size_t total)
{
    int full = (int)((double)room * (double)done / (double)total);

    memset(bar, '=', (size_t)full);
    memset(bar + full, ' ', (size_t)(room - full));
    if (full > 0 && full < room)
        bar[full - 1] = '>';
    bar[room] = '\0';
}

void
sa_progress_format(char *buf, size_t size, const char *what, size_t done, size_t total, double elapsed,
                   int width)
{
    char head[96], tail[64], left[32], bar[512];
    double rate;
    int room;

    if (done > total)
        done = total;
    rate = done > 0 && elapsed > 0 ? (double)done / elapsed : 0;
    snprintf(head, sizeof(head), "%s %zu/%zu", what, done, total);
    if (rate > 0) {
        format_duration(left, sizeof(left), (double)(total - done) / rate);
        snprintf(tail, sizeof(tail), "%.*f/s, %s left", rate < 10 ? 1 : 0, rate, left);
    } else {
        snprintf(tail, sizeof(tail), "--/s, -- left");
    }
    /* "head [bar] tail" in width - 1 columns: the bar gets what is left */
    room = width - 1 - (int)strlen(head) - (int)strlen(tail) - 4;
    if (room > (int)sizeof(bar) - 1)
        room = (int)sizeof(bar) - 1;
    if (room < MIN_BAR || total == 0) {
        snprintf(buf, size, "%s %s", head, tail);
        return;
    }
    fill_bar(bar, room, done, total);
    snprintf(buf, size, "%s [%s] %s", head, bar, tail);
}

struct sa_progress {
    FILE *out;
    const char *what;
    size_t total;
    int width;
    double start, last; /* monotonic seconds; last < 0: not drawn yet */
    size_t shown;       /* the length of the line on the terminal */
    size_t done;        /* the most done so far */
    pthread_mutex_t lock;
};

static double
now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
terminal_width(int fd)
{
    struct winsize ws;

    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return DEFAULT_WIDTH;
}

sa_progress *
sa_progress_start(FILE *out, const char *what, size_t total)
{
    sa_progress *p;

    if (out == NULL || total == 0 || !isatty(fileno(out)) || (p = calloc(1, sizeof(*p))) == NULL)
        return NULL;
    p->out = out;
    p->what = what;
    p->total = total;
    p->width = terminal_width(fileno(out));
    p->start = now_seconds();
    p->last = -1;
    pthread_mutex_init(&p->lock, NULL);
    return p;
}

/* Overwrite the line with line (padded over what was there). */
static void
draw(sa_progress *p, const char *line)
{
    size_t n = strlen(line);

    fprintf(p->out, "\r%s%*s\r", line, p->shown > n ? (int)(p->shown - n) : 0, "");
    fflush(p->out);
    p->shown = n;
}

void
sa_progress_update(sa_progress *p, size_t done)
{
    char line[600];
    double t;

    if (p == NULL || pthread_mutex_trylock(&p->lock) != 0)
        return; /* another thread draws it now */
    if (done > p->done)
        p->done = done;
    t = now_seconds();
    if (p->last < 0 || t - p->last >= REDRAW_SECONDS) {
        sa_progress_format(line, sizeof(line), p->what, p->done, p->total, t - p->start, p->width);
        draw(p, line);
        p->last = t;
    }
    pthread_mutex_unlock(&p->lock);
}

void
sa_progress_end(sa_progress *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->lock);
    if (p->shown > 0)
        draw(p, "");
    pthread_mutex_unlock(&p->lock);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
