/* baseline.h - a previous JSON report read back, and what changed since:
 * findings new, persisting, fixed, or not compared (outside what both
 * reports covered).
 *
 * A finding's identity is its code, subject and server (subject and
 * server compared ignoring case), except that a finding filed under no
 * server is the same as one filed under a server when code and subject
 * are: the server a finding is filed under depends on the servers named
 * (a duplicate SPN of ms07 is filed under ms07 only when ms07 is named),
 * while what was found does not. */
#ifndef SPNAUDIT_BASELINE_H
#define SPNAUDIT_BASELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/error.h"
#include "spnaudit/finding.h"
#include "spnaudit/scope.h"
#include "spnaudit/strv.h"

#define SA_CHANGE_NEW "new"
#define SA_CHANGE_PERSISTING "persisting"
#define SA_CHANGE_NOT_COMPARED "not_compared" /* outside the baseline's scope */

typedef struct sa_baseline {
    char *file;            /* the name it was read from */
    char *generated;       /* the report's "generated" time, or NULL */
    bool complete;         /* the audit it reports had finished */
    sa_report_scope scope; /* scope.known false: the report does not say */
    sa_findings findings;
    sa_strv codes; /* owns the findings' codes */
} sa_baseline;

/* Read a report written by "spnaudit audit --format json" from path.
 * SA_ERR_USAGE when it is missing, not a regular file, over the limit
 * for a report (infile.h) or not such a report, SA_ERR_SYSTEM when it
 * cannot be read; err names the file and what is wrong.  *out is set only on
 * success (sa_baseline_clear it then). */
sa_status sa_baseline_load(const char *path, sa_baseline *out, sa_error *err);
/* The same for a document in memory; name is used in messages. */
sa_status sa_baseline_parse(const char *text, size_t len, const char *name, sa_baseline *out, sa_error *err);
void sa_baseline_clear(sa_baseline *b);

/* What a report covered, as a comparison needs it. */
typedef struct sa_coverage {
    const sa_report_scope *scope; /* NULL: not known */
    bool complete;
} sa_coverage;

#define SA_NO_REASON ((size_t)-1)

/* The changes from a baseline to the findings of now. */
typedef struct sa_comparison {
    sa_findings fixed;              /* the baseline's findings absent now, where now looked */
    sa_findings not_compared;       /* the baseline's findings absent now, where now did not look */
    size_t *why_old;                /* per finding of not_compared: its reason in reasons */
    size_t *why_now;                /* per finding of current: its reason, or SA_NO_REASON */
    size_t n_now;                   /* the length of why_now */
    sa_strv reasons;                /* distinct, in the order first met */
    sa_strv reasons_shown;          /* each as the text report shows it (sa_why) */
    sa_scope_changes scope_changes; /* empty unless both scopes are known */
    bool scope_known;               /* both reports say what they covered */
    bool baseline_scope_known;      /* the baseline does (then now does not) */
} sa_comparison;

/* Mark each finding of current new, persisting or not compared against
 * the findings of a baseline, and put copies of the baseline's findings
 * absent from current into out->fixed or out->not_compared (in the
 * baseline's order; their codes point into the baseline, which must
 * outlive out).  A finding absent from one report is fixed or new only
 * when the other report covered it (sa_scope_covers); else it is not
 * compared, with the reason.  A finding that occurs k times in one list
 * pairs with up to k of the other.  O((n + m) log(n + m)).  out must be
 * zeroed; sa_comparison_clear it after, whatever the result.
 * SA_ERR_SYSTEM on out of memory. */
sa_status sa_baseline_compare(const sa_findings *baseline, sa_coverage was, sa_findings *current,
                              sa_coverage now, sa_comparison *out, sa_error *err);
void sa_comparison_clear(sa_comparison *c);
/* The reason of finding i of current, or of the baseline's finding i of
 * not_compared (old); NULL when it has none. */
const char *sa_comparison_why(const sa_comparison *c, bool old, size_t i);
/* The coverage of a baseline read back. */
sa_coverage sa_baseline_coverage(const sa_baseline *b);

/* The findings of list marked change (a SA_CHANGE_* string); list may be NULL. */
size_t sa_findings_count_change(const sa_findings *list, const char *change);
/* The exit status counting only the new findings (never those not
 * compared): 3 incomplete, 2 a new failure, 1 a new warning, else 0. */
int sa_baseline_exit_status(const sa_findings *current, bool complete);

#endif
