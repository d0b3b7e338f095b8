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
 * terminal and hide is set (a signal meanwhile turns echo back on:
 * signals.h).  The line ending is removed; at most 4096 bytes. */
sa_status sa_secret_prompt(const char *prompt, bool hide, char **out, sa_error *err);

/* The first line of path (at most 4096 bytes).  Refused, with the mode in
 * the message: a file that is not regular, that group or others may read
 * (a password there is no secret), or that anyone but its owner may write
 * (as ssh refuses such keys). */
sa_status sa_secret_from_file(const char *path, char **out, sa_error *err);

/* The keytab name (a path, or FILE:/WRFILE:path) is refused by the same
 * rules; keytab types that are not files (MEMORY:...) pass. */
sa_status sa_secret_check_keytab(const char *name, sa_error *err);

/* The value of the environment variable name; then the value is wiped in
 * the environment (and so in /proc/PID/environ) and the variable removed,
 * so that nothing started later inherits it. */
sa_status sa_secret_from_env(const char *name, char **out, sa_error *err);

/* Keep the process out of core dumps (PR_SET_DUMPABLE 0, which also keeps
 * other processes of the same user from reading its memory through
 * /proc or ptrace, and RLIMIT_CORE 0): at the start, before any secret is
 * read. */
sa_status sa_secret_protect_process(sa_error *err);

/* Wipe and free (NULL is fine). */
void sa_secret_free(char *secret);

#endif
