/* reach.h - can the management servers be resolved and reached on the
 * agent port?  DNS failure is OpsMgr event 21005, TCP failure 21006. */
#ifndef SPNAUDIT_REACH_H
#define SPNAUDIT_REACH_H

#include <stdbool.h>
#include <stddef.h>

#define SA_AGENT_PORT 5723

typedef struct sa_reach {
    const char *host; /* borrowed */
    bool resolved;
    /* not resolved, and no answer either (the resolver failed: EAI_AGAIN,
     * EAI_FAIL...): unknown, unlike a name that does not exist */
    bool lookup_failed;
    char address[64]; /* the address connected to, or the first one */
    char resolve_error[256];
    bool connected;
    char connect_error[256]; /* for every address tried */
} sa_reach;

/* Resolve each host and connect to port, jobs hosts at a time, each
 * connection attempt within timeout_ms. */
void sa_reach_check(sa_reach *items, size_t n, unsigned port, int timeout_ms, int jobs);

#endif
