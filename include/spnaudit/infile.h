/* infile.h - the files spnaudit reads that someone else may have written:
 * the configuration, a report read back, a list of SPNs.  Each is read
 * whole, from a regular file only (standard input where the command says
 * so), and no larger than the limit of its kind. */
#ifndef SPNAUDIT_INFILE_H
#define SPNAUDIT_INFILE_H

#include <stddef.h>

#include "spnaudit/error.h"

typedef enum sa_infile_kind {
    SA_INFILE_CONFIG,     /* spnaudit.conf (-c) */
    SA_INFILE_REPORT,     /* a JSON report read back (diff, --baseline) */
    SA_INFILE_PROBE_LIST, /* probe --file; "-" is standard input */
    SA_INFILE_CA_FILE,    /* --ca-file, checked before libldap reads it */
    SA_INFILE_CERT,       /* a certificate file (spnaudit cert) */
} sa_infile_kind;

/* "configuration file", "report", "probe list", "CA file", "certificate file". */
const char *sa_infile_kind_name(sa_infile_kind kind);
/* The largest file of kind that is read, in bytes. */
size_t sa_infile_limit(sa_infile_kind kind);

/* The whole of path in *text, NUL-terminated (*len bytes before the NUL,
 * which may hold NULs of its own).  "-" is standard input for the kinds
 * that take it.  Refused with SA_ERR_USAGE and a message naming the file:
 * a file that does not exist or may not be read, anything but a regular
 * file (directory, FIFO, device, socket: never opened), and a file (or
 * standard input) over the kind's limit.  SA_ERR_SYSTEM for a read error
 * or out of memory.  *text is set only on success (free it). */
sa_status sa_infile_read(const char *path, sa_infile_kind kind, char **text, size_t *len, sa_error *err);

#endif
