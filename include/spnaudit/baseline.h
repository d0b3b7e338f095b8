/* baseline.h - a previous JSON report read back, and what changed since:
 * findings new, persisting, or fixed.  A finding's identity is its code,
 * server and subject (server and subject compared ignoring case). */
#ifndef SPNAUDIT_BASELINE_H
#define SPNAUDIT_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/error.h"
#include "spnaudit/finding.h"
#include "spnaudit/strv.h"

#define SA_CHANGE_NEW "new"
#define SA_CHANGE_PERSISTING "persisting"

typedef struct sa_baseline {
    char *file;      /* the name it was read from */
    char *generated; /* the report's "generated" time, or NULL */
    bool complete;   /* the audit it reports had finished */
    sa_findings findings;
    sa_strv codes; /* owns the findings' codes */
} sa_baseline;

/* Read a report written by "spnaudit audit --format json" from path.
 * SA_ERR_SYSTEM when it cannot be read, SA_ERR_USAGE when it is not such
 * a report; err names the file and what is wrong.  *out is set only on
 * success (sa_baseline_clear it then). */
sa_status sa_baseline_load(const char *path, sa_baseline *out, sa_error *err);
/* The same for a document in memory; name is used in messages. */
sa_status sa_baseline_parse(const char *text, size_t len, const char *name, sa_baseline *out, sa_error *err);
void sa_baseline_clear(sa_baseline *b);

/* Mark each finding of current "new" or "persisting" against the
 * findings of a baseline, and append to fixed copies of the baseline's
 * findings absent from current (in the baseline's order; their codes
 * point into the baseline, which must outlive fixed).  A finding that
 * occurs k times in one list pairs with up to k of the other.  Sorting:
 * O((n + m) log(n + m)).  SA_ERR_SYSTEM on out of memory (marks and
 * fixed are then incomplete). */
sa_status sa_baseline_compare(const sa_findings *baseline, sa_findings *current, sa_findings *fixed,
                              sa_error *err);

/* The findings of list marked change (a SA_CHANGE_* string); list may be NULL. */
size_t sa_findings_count_change(const sa_findings *list, const char *change);
/* The exit status counting only the new findings: 3 incomplete, 2 a new
 * failure, 1 a new warning, else 0. */
int sa_baseline_exit_status(const sa_findings *current, bool complete);

#endif
