/* trust_internal.h - what the verdict's files share (trust_graph.c,
 * trust_selective.c); not part of the library's interface. */
#ifndef SPNAUDIT_TRUST_INTERNAL_H
#define SPNAUDIT_TRUST_INTERNAL_H

#include "spnaudit/trust.h"

/* The verdicts that lead to OpsMgr events (sa_verdict_outcomes' table). */
enum { OUTCOME_NO_TRUST, OUTCOME_TRUST_REFUSED, OUTCOME_SELECTIVE, OUTCOME_NOT_ALLOWED, OUTCOME_COUNT };

/* v's events become those of the outcome. */
void verdict_set_events(sa_verdict *v, int outcome);

#endif
