/* iniparse.h - INI text of any line length: "[section]" lines,
 * "key = value" (or "key: value") lines, comments.  Written for
 * spnaudit.conf, whose lines (a list of servers) can be long: Debian's
 * libinih cuts lines at 200 bytes at build time and reads the rest as a
 * line of its own. */
#ifndef SPNAUDIT_INIPARSE_H
#define SPNAUDIT_INIPARSE_H

#include <stddef.h>

/* Called for each key = value, with the section it is in ("" before the
 * first); nonzero to go on, 0 for an error on that line. */
typedef int (*sa_ini_handler)(void *user, const char *section, const char *key, const char *value);

/* Parse text (len bytes and a NUL after them; changed in place).  Lines end at LF (a CR before
 * it is dropped); a UTF-8 byte order mark at the start is skipped; blanks
 * around sections, keys and values are dropped; a line whose first
 * non-blank is '#' or ';' is a comment, and so is what follows a ';' that
 * follows a blank.  Stops at the first error: returns 0, or the number of
 * the line in error, with *why saying what is wrong with it, or NULL when
 * the handler refused it. */
size_t sa_ini_parse(char *text, size_t len, sa_ini_handler handler, void *user, const char **why);

#endif
