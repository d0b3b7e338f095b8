/* progress.h - a one-line progress bar for long runs of many tickets:
 * count of total, rate and time left, redrawn at most 10 times a second
 * and cleared at the end; only on a terminal, never into a file, a pipe
 * or cron's mail. */
#ifndef SPNAUDIT_PROGRESS_H
#define SPNAUDIT_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

/* The line for done items of total after elapsed seconds, what naming
 * them, in at most width - 1 columns (the last one left free, so that no
 * terminal wraps), e.g.
 *   "tickets 812/2518 [=======>          ] 96/s, 0:18 left"
 * The bar is left out when fewer than 10 columns remain for it; the rate
 * and time left read "--" until an item is done.  buf gets the line
 * truncated to size - 1 bytes. */
void sa_progress_format(char *buf, size_t size, const char *what, size_t done, size_t total, double elapsed,
                        int width);

typedef struct sa_progress sa_progress;

/* A bar on out for total items, or NULL when out is NULL or not a
 * terminal (isatty) or total is 0, or on out of memory: the calls below
 * accept NULL and then do nothing. */
sa_progress *sa_progress_start(FILE *out, const char *what, size_t total);
/* done items so far; from any thread.  Redrawn when a tenth of a second
 * has passed since the last time (the first time at once). */
void sa_progress_update(sa_progress *p, size_t done);
/* Clear the line (spaces over it, the cursor back at its start) and free. */
void sa_progress_end(sa_progress *p);

#endif
