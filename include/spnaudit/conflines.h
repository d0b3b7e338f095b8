/* conflines.h - the lines of spnaudit.conf checked before libinih reads
 * them.  Debian's libinih reads a line in a 200-byte buffer and takes the
 * rest of a longer line as a line of its own, stops at a NUL byte, ignores
 * text after a section's "]" and reads an indented line as more of the key
 * above it: each could make a file say what its author did not write (a
 * long comment ending in "name = evil.test" set the domain).  What it would
 * misread is refused here, with the line. */
#ifndef SPNAUDIT_CONFLINES_H
#define SPNAUDIT_CONFLINES_H

#include <stddef.h>

/* The longest line libinih reads whole with its line ending: its 200-byte
 * buffer holds 199 bytes and a NUL, so after a line of 199 the LF is read
 * as one more line and every later line number is off by one.  A CR
 * before the LF, and a byte order mark on the first line, count. */
#define SA_CONF_LINE_MAX 198

/* 0 when libinih can read text (len bytes) as written; else the number of
 * the first line it would misread, with *why saying how. */
size_t sa_conf_lines_check(const char *text, size_t len, const char **why);

#endif
