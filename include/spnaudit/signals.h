/* signals.h - SIGINT, SIGTERM and SIGHUP end a run cleanly: the temporary
 * file of an atomic write (output.h) is removed, so the file it was to
 * replace stays as it was; a terminal whose echo a password prompt turned
 * off gets it back; one line on standard error says what happened, e.g.
 * "spnaudit: interrupted by SIGTERM; report.json left as it was"; and the
 * exit status is 128 + the signal's number (130, 143, 129).
 *
 * The handler only calls async-signal-safe functions (unlink, tcsetattr,
 * write, _exit) on data the functions below prepare beforehand.  They
 * change that data with the three signals blocked in the calling thread
 * and under a lock the handler takes too, so a handler running in any
 * thread sees it whole: a temporary file is registered by the same step
 * that creates it, and forgotten by the step that renames or removes it. */
#ifndef SPNAUDIT_SIGNALS_H
#define SPNAUDIT_SIGNALS_H

#include <stdbool.h>
#include <termios.h>

#include "spnaudit/error.h"

/* Handle SIGINT, SIGTERM and SIGHUP as above, for the whole process.
 * Called once, at the start, before any thread is created. */
sa_status sa_signals_install(sa_error *err);

/* The file this run's report is to replace (--output), known from the
 * start: a signal before the write begins says it was left as it was (or
 * not written).  Paths of PATH_MAX bytes or more are not named. */
void sa_signals_target(const char *target);

/* mkstemp(tmpl): a new file of mode 0600, registered as the temporary
 * file that is to replace target (named in the handler's message).  One
 * temporary file at a time; -1 with errno set on failure (EBUSY when one
 * is registered, ENAMETOOLONG when tmpl does not fit PATH_MAX). */
int sa_signals_temp_create(char *tmpl, const char *target);

/* Rename the registered temporary file tmp to its target: a signal before
 * it leaves the old target, one after it the new.  0, or -1 with errno
 * set (the file then stays registered). */
int sa_signals_temp_commit(const char *tmp, const char *target);

/* Remove the registered temporary file tmp and forget it. */
void sa_signals_temp_remove(const char *tmp);

/* A prompt waits for its line (open; false once it is read): a signal
 * ends the prompt's line first, and restores saved, the settings of the
 * terminal on standard input before echo was turned off (NULL: echo was
 * not turned off). */
void sa_signals_prompt(bool open, const struct termios *saved);

#endif
