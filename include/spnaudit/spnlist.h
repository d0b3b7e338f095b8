/* spnlist.h - "spnaudit spn": the SPNs of some service classes in one or
 * more domains (or forests, through the Global Catalog) and the accounts
 * holding them, like setspn -Q, with duplicates marked like setspn -X. */
#ifndef SPNAUDIT_SPNLIST_H
#define SPNAUDIT_SPNLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "spnaudit/account.h"
#include "spnaudit/analysis.h"
#include "spnaudit/domains.h"
#include "spnaudit/error.h"
#include "spnaudit/strv.h"

/* What to list.  All borrowed. */
typedef struct sa_spn_list_request {
    const sa_domain_set *ds;        /* the domains: ds->domains (at least the home one) */
    const sa_strv *classes;         /* the service classes */
    bool forest;                    /* each domain's whole forest, through its Global Catalog */
    const sa_account_name *account; /* only the SPNs this account holds, or NULL */
    bool duplicates;                /* only the SPNs held by several accounts */
} sa_spn_list_request;

/* One SPN listed: its holders are idx.refs[first .. first + count). */
typedef struct sa_spn_row {
    size_t first, count;
    bool duplicate; /* held by several accounts */
} sa_spn_row;

typedef struct sa_spn_listing {
    sa_accounts accounts; /* every holder read, once each, in DN order */
    sa_spn_index idx;     /* their SPNs */
    sa_spn_row *rows;     /* the SPNs listed, sorted */
    size_t n_rows, cap_rows;
    size_t n_duplicates;        /* SPNs held by several accounts, listed or not */
    size_t n_listed_duplicates; /* of them, those listed */
    bool by_account;            /* only an account's SPNs were asked for: */
    bool account_found;         /* it holds SPNs of the classes, or */
    bool account_bare;          /* it exists and holds none */
    char *where;                /* the domains (or forests) read, for people */
    sa_strv referrals;          /* partitions that may hold accounts, not followed */
    sa_strv warnings;           /* for stderr: the DCs skipped, the referrals not followed */
} sa_spn_listing;

/* Read the holders of req->classes in every domain of req->ds (each
 * holder labelled with its domain when there are several, or a forest),
 * then the SPNs to list.  On an error nothing is listed; out->warnings
 * still holds what was said before it.  Clear out either way. */
sa_status sa_spn_list(const sa_spn_list_request *req, sa_spn_listing *out, sa_error *err);
/* The second half of sa_spn_list, on holders already read: l->accounts
 * put in DN order and each once, the SPN index built, the SPNs to list
 * (by req->account and req->duplicates) chosen and the duplicates
 * counted.  False on out of memory. */
bool sa_spn_listing_select(const sa_spn_list_request *req, sa_spn_listing *l);
void sa_spn_listing_clear(sa_spn_listing *l);

/* 0 no SPN on several accounts, 1 (SA_EXIT_WARNING) some; with an
 * account, those it holds only, and 2 (SA_EXIT_FAILURE) when there is no
 * such account. */
int sa_spn_listing_exit_status(const sa_spn_listing *l);

/* The listing, one SPN a line with its holders, then the counts; or as
 * JSON.  0, or -1 when writing failed (errno set). */
int sa_spn_report_text(const sa_spn_listing *l, FILE *out);
int sa_spn_report_json(const sa_spn_listing *l, FILE *out);

#endif
