/* probelist.h - the SPNs "spnaudit probe" is asked for: from the command
 * line or a file, checked, each once. */
#ifndef SPNAUDIT_PROBELIST_H
#define SPNAUDIT_PROBELIST_H

#include <stdbool.h>

#include "spnaudit/error.h"
#include "spnaudit/ticket.h"

/* Add text, an SPN with an optional @REALM, to list; where names its
 * source in messages ("argument", "FILE:LINE").  SA_ERR_USAGE for a
 * malformed one.  sa_probe_list_unique then drops the repeated ones. */
sa_status sa_probe_list_add(sa_tickets *list, const char *text, const char *where, sa_error *err);

/* The SPNs of the file path ("-": standard input), one a line, added as
 * sa_probe_list_add does; blank lines and lines starting with '#' are
 * skipped, blanks around an SPN ignored.  The file is read as infile.h
 * says (a regular file, at most the limit for a probe list).
 * SA_ERR_USAGE for a file that cannot be read, a NUL byte or a malformed
 * SPN (the message names the line). */
sa_status sa_probe_list_read(sa_tickets *list, const char *path, sa_error *err);

/* Each SPN of list once (compared case-insensitively): the first given
 * stays where it is, the repeats are dropped; O(n log n).  SA_ERR_SYSTEM
 * on out of memory (list unchanged then). */
sa_status sa_probe_list_unique(sa_tickets *list, sa_error *err);

/* The exit status of a probe of list: 3 (SA_EXIT_INCOMPLETE) when it was
 * not complete, else 2 (SA_EXIT_FAILURE) when a ticket was refused, else 0. */
int sa_probe_exit_status(const sa_tickets *list, bool complete);

#endif
