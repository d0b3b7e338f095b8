/* analysis.h - turn what the directory and the KDC said into findings.
 * Pure logic on plain data: no I/O. */
#ifndef SPNAUDIT_ANALYSIS_H
#define SPNAUDIT_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/account.h"
#include "spnaudit/error.h"
#include "spnaudit/finding.h"
#include "spnaudit/reach.h"
#include "spnaudit/secdesc.h"
#include "spnaudit/ticket.h"

#define SA_CLASS_HEALTH "MSOMHSvc"
#define SA_CLASS_SDK "MSOMSdkSvc"

/* One SPN value held by one account. */
typedef struct sa_spn_ref {
    const char *spn; /* borrowed from the account */
    size_t account;  /* index into the account list */
} sa_spn_ref;

/* All SPNs of all accounts, sorted case-insensitively: duplicates are
 * neighbours and a lookup is a bisection. */
typedef struct sa_spn_index {
    sa_spn_ref *refs;
    size_t n;
} sa_spn_index;

bool sa_spn_index_build(const sa_accounts *accounts, sa_spn_index *out);
void sa_spn_index_free(sa_spn_index *idx);
/* First ref of spn and how many there are (0 when absent). */
size_t sa_spn_index_lookup(const sa_spn_index *idx, const char *spn, size_t *first);
/* The distinct SPNs, sorted; borrowed strings. */
bool sa_spn_index_unique(const sa_spn_index *idx, sa_strv *out);

/* May a server's computer account write its own SPN (from its DACL)? */
typedef struct sa_self_write {
    bool checked;
    sa_spn_write result;
    char why[256];
} sa_self_write;

/* The management servers the audit expects, matched to their accounts. */
typedef struct sa_server {
    const char *fqdn;
    char netbios[16];
    long account; /* index into accounts of its computer account, or -1 */
    bool gateway; /* a gateway server: no SDK service */
} sa_server;

/* Match expected server FQDNs to computer accounts. */
bool sa_servers_match(const sa_accounts *accounts, const char *const *fqdns, size_t n, sa_server **out);

typedef struct sa_analysis_input {
    const sa_accounts *accounts;
    const sa_server *servers;
    size_t n_servers;
    const sa_tickets *tickets;        /* NULL when no tickets were requested */
    const char *netbios_domain;       /* for fix commands; may be NULL */
    bool health_service_local_system; /* normal: true */
    const char *health_service;       /* else its domain account (DOMAIN\\account): the
                                         servers' MSOMHSvc SPNs belong there */
    bool check_sdk;                   /* expect MSOMSdkSvc SPNs for each server */
    const char *sdk_service; /* identity of the SDK service (localsystem or DOMAIN\\account), or NULL */
    bool have_skew;          /* clock_skew is known */
    long clock_skew;         /* DC clock minus ours, seconds */
    const char *dc;          /* the DC asked, for messages */
    const sa_reach *reach;   /* per server, or NULL when not checked */
    unsigned reach_port;
    const sa_strv *hosts_checked;    /* hosts looked up as computer accounts: an SPN for one
                                        of them that no computer matches is stale */
    const sa_self_write *self_write; /* per server, or NULL when not checked */
} sa_analysis_input;

sa_status sa_analyse(const sa_analysis_input *in, sa_findings *out, sa_error *err);

#endif
