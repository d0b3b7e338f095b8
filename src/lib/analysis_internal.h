/* analysis_internal.h - shared by the rule files: the analysis context,
 * its helpers, and the groups of rules. */
#ifndef SPNAUDIT_ANALYSIS_INTERNAL_H
#define SPNAUDIT_ANALYSIS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/analysis.h"

typedef struct ctx {
    const sa_analysis_input *in;
    sa_spn_index idx;
    sa_findings *out;
    bool *disabled_reported; /* per account */
    size_t unjudged_hosts;   /* SPNs naming hosts of domains not read */
    size_t unchecked_hosts;  /* SPNs naming hosts that were not looked up */
} ctx;

#define TRY(expr)                                                                                            \
    do {                                                                                                     \
        if (!(expr))                                                                                         \
            goto nomem;                                                                                      \
    } while (0)

/* Distinct accounts among the count refs of one SPN from first. */
size_t an_distinct_holders(const sa_spn_index *idx, size_t first, size_t count);

/* The domain an account is judged in (0 home, k other_domains[k - 1], -1
 * read only for duplicates). */
long an_acct_dom(const ctx *c, size_t account);
/* The domain of an SPN's host as held by account (see analysis_ctx.c). */
long an_host_dom(const ctx *c, const char *host, size_t account);
const char *an_dom_netbios(const ctx *c, long d);
const char *an_dom_name(const ctx *c, long d);
const sa_strv *an_dom_hosts_checked(const ctx *c, long d);
bool an_dom_incomplete(const ctx *c, long d);
/* The expected server an SPN host names, as held by account; or NULL. */
const sa_server *an_server_for_ref(const ctx *c, const char *host, size_t account);
/* The expected server host names in domain d; or NULL. */
const sa_server *an_server_in_domain(const ctx *c, const char *host, long d);
const sa_server *an_server_for_account(const ctx *c, size_t account);
const char *an_server_name(const sa_server *s);
/* "CONTOSO\name" for an account; the caller frees. */
char *an_display(const ctx *c, size_t account);
/* A computer account of domain d for host, or -1. */
long an_computer_in_domain(const ctx *c, const char *host, long d);
/* "CONTOSO\HOST$" for the computer account of domain d that should hold
 * SPNs for host; the caller frees. */
char *an_machine_display(const ctx *c, const char *host, long d);
/* Does the Health Service run as Local System? */
bool an_hs_local(const ctx *c);
const sa_ticket *an_ticket_for(const ctx *c, const char *spn, size_t account);
/* Note that the checks (space-separated finding codes) could not run for
 * server (NULL: for all), and why. */
bool an_not_run(ctx *c, const char *checks, const char *server, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ACCOUNT_DISABLED for account acct (once), about server (or NULL). */
bool an_report_disabled(ctx *c, size_t acct, const sa_server *server);

/* The groups of rules in analysis_servers.c. */
bool an_check_servers(ctx *c);
bool an_check_tickets(ctx *c);
bool an_check_clock(ctx *c);
bool an_check_reach(ctx *c);

/* The rule on the values themselves, in analysis_values.c. */
bool an_check_values(ctx *c);
/* Is spn a look-alike of an expected server's SCOM SPN: with a character no
 * host name holds, and the server's name once folded (*yes)?  A look-alike
 * gets no other verdict.  False on out of memory. */
bool an_spn_lookalike(const ctx *c, const char *spn, bool *yes);

#endif
