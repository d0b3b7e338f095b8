/* output.h - writing a file so that readers see the old content or the
 * new, never half of it. */
#ifndef SPNAUDIT_OUTPUT_H
#define SPNAUDIT_OUTPUT_H

#include <stdio.h>

#include "spnaudit/error.h"

/* The mode of a new file (less the umask); a file replaced keeps its own. */
#define SA_OUTPUT_MODE 0640

/* Writes the content to out; 0 on success, -1 on failure (errno set). */
typedef int (*sa_output_writer)(FILE *out, void *data);

/* Write path atomically: the writer fills a temporary file .NAME.XXXXXX in
 * path's directory, of mode 0600 while it is written, which then gets its
 * final mode (the old file's permissions, or SA_OUTPUT_MODE less the umask), is
 * flushed, synced and renamed over path.  On any failure the temporary
 * file is removed, path is untouched, and err names the file and the
 * system's reason.  Once sa_signals_install has run, a SIGINT, SIGTERM or
 * SIGHUP before the rename removes it too (signals.h). */
sa_status sa_output_write_atomic(const char *path, sa_output_writer writer, void *data, sa_error *err);

/* Before any work that the file would hold: can path be written?  Its
 * directory must exist, be a directory this account may create files in,
 * and path must not be a directory.  SA_ERR_USAGE with what is wrong and
 * what to do. */
sa_status sa_output_check(const char *path, sa_error *err);

/* The width a text report is fitted to: the columns of the terminal fd
 * is (TIOCGWINSZ), else $COLUMNS when it is a number, else 80; kept
 * within 40..1000.  fd -1: no terminal (a file). */
int sa_output_width(int fd);

#endif
