/* secret.h - passwords: asked for without echo, or read from a file or an
 * environment variable; never from the command line.  Every buffer
 * returned is wiped by sa_secret_free. */
#ifndef SPNAUDIT_SECRET_H
#define SPNAUDIT_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/error.h"

/* One line from standard input, the prompt on standard error (standard
 * output may carry a report); without echo when standard input is a
 * terminal and hide is set.  The line ending is removed. */
sa_status sa_secret_prompt(const char *prompt, bool hide, char **out, sa_error *err);

/* The first line of path.  A file that others (not owner or group) may
 * read is refused: a password there is no secret. */
sa_status sa_secret_from_file(const char *path, char **out, sa_error *err);

/* The value of the environment variable name. */
sa_status sa_secret_from_env(const char *name, char **out, sa_error *err);

/* Wipe and free (NULL is fine). */
void sa_secret_free(char *secret);

#endif
