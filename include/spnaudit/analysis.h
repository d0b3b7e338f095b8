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
#include "spnaudit/scope.h"
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
    long account;    /* index into accounts of its computer account, or -1 */
    bool gateway;    /* a gateway server: no SDK service */
    long domain;     /* the domain it is judged in: 0 home, k: other_domains[k - 1] */
    bool not_judged; /* its domain could not be read: no check but reachability */
} sa_server;

/* Match expected server FQDNs to computer accounts (all in the home
 * domain). */
bool sa_servers_match(const sa_accounts *accounts, const char *const *fqdns, size_t n, sa_server **out);

/* A domain read besides the home one, because expected servers are in
 * it: its accounts (dns_domain equal to dns) are judged like the home
 * domain's. */
typedef struct sa_domain_view {
    const char *dns;              /* DNS name */
    const char *netbios;          /* for fix lines; may be NULL */
    bool holders_incomplete;      /* its search for SPN holders was cut short */
    const sa_strv *hosts_checked; /* hosts looked up in it as computer accounts, or NULL */
} sa_domain_view;

/* Servers (from sa_servers_match, with domain and not_judged set) matched
 * again, each to a computer account of its own domain. */
void sa_servers_rematch(const sa_accounts *accounts, const sa_domain_view *others, size_t n_others,
                        sa_server *servers, size_t n);

/* The domain an account is judged in: 0 home (dns_domain NULL), k for
 * others[k - 1], -1 for a domain read only for duplicates. */
long sa_account_domain(const sa_account *a, const sa_domain_view *others, size_t n_others);

/* Does the SPN host named by host, held by account a, name server s?  By
 * FQDN anywhere; by NetBIOS name only within the server's own domain. */
bool sa_spn_host_is_server(const sa_account *a, const char *host, const sa_server *s,
                           const sa_domain_view *others, size_t n_others);

/* The ticket requested for spn as held by a: in the home realm for the
 * home domain's accounts, as "spn@REALM" in the account's own realm for
 * those of other domains (the realm is its DNS name in upper case). */
/* That name, malloc'd; NULL on out of memory. */
char *sa_ticket_name(const sa_account *a, const char *spn);
const sa_ticket *sa_ticket_for_holder(const sa_tickets *tickets, const sa_account *a, const char *spn);

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
    const sa_strv *hosts_checked;        /* hosts looked up as computer accounts: an SPN for one
                                            of them that no computer matches is stale */
    const sa_self_write *self_write;     /* per server, or NULL when not checked */
    const char *home_dns;                /* the home domain's DNS name, or NULL (unknown) */
    bool holders_incomplete;             /* the home domain's search for holders was cut short */
    bool health_not_read;                /* MSOMHSvc was not among the classes searched */
    const sa_domain_view *other_domains; /* domains of servers, read besides home */
    size_t n_other_domains;
    sa_checks_not_run *not_run; /* out, may be NULL: each check that could not run, and why */
} sa_analysis_input;

sa_status sa_analyse(const sa_analysis_input *in, sa_findings *out, sa_error *err);

#endif
