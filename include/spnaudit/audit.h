/* audit.h - "spnaudit audit" as one pipeline: the home domain and the
 * domains of the expected servers read, holders of the same SPNs in other
 * domains, the servers' computer accounts, tickets, the servers' right to
 * write their SPNs, reachability, then the findings. */
#ifndef SPNAUDIT_AUDIT_H
#define SPNAUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "spnaudit/analysis.h"
#include "spnaudit/directory.h"
#include "spnaudit/domains.h"
#include "spnaudit/kerberos.h"
#include "spnaudit/report.h"
#include "spnaudit/scope.h"

typedef struct sa_audit_config {
    sa_domain_set ds;       /* where the DCs of each domain are */
    bool forest;            /* look for duplicates forest-wide (Global Catalog) */
    const sa_strv *classes; /* service classes read */
    const sa_strv *servers; /* the management servers expected */
    const sa_strv *gateways;
    sa_scope_tickets tickets; /* which SPNs to request a ticket for */
    int jobs;
    bool reachability;
    int connect_timeout_ms;
    const char *health_service;             /* NULL or localsystem, else DOMAIN\\account */
    const char *sdk_service;                /* NULL: not checked */
    sa_krb *krb;                            /* our credentials (tickets); may be NULL without tickets */
    const struct sa_cert_trust *cert_trust; /* check the servers' published certificates, their
                                               chains to these anchors; NULL: not checked */
    int cert_expiry_days;                   /* their warning before expiry */
    FILE *progress; /* NULL, or where a bar shows the tickets' progress on a terminal */
} sa_audit_config;

/* A domain read besides the home one because expected servers are in it. */
typedef struct sa_audit_domain {
    char *dns;
    char *netbios;
    sa_dir *dir;          /* NULL when it could not be read */
    bool incomplete;      /* its search for holders was cut short */
    sa_strv hosts;        /* hosts looked up as computer accounts */
    bool hosts_looked_up; /* that lookup succeeded */
} sa_audit_domain;

typedef struct sa_audit {
    sa_dir *home;
    char *realm;
    sa_accounts accounts;
    sa_tickets tickets;
    sa_findings findings;
    sa_search_stats stats;
    sa_strv names; /* the servers, then the gateways */
    sa_server *servers;
    sa_reach *reach;
    sa_self_write *self_write;
    sa_audit_domain *others; /* the servers' domains besides home */
    size_t n_others;
    sa_domain_view *views; /* others, as the analysis sees them */
    bool home_incomplete;
    sa_strv home_hosts;
    bool home_hosts_looked_up;
    sa_strv unreachable;      /* "DC: why" for each DC that did not answer */
    sa_strv also_read;        /* the other domains or forests read */
    sa_report_scope scope;    /* what the audit covered; its checks_not_run filled as it goes */
    sa_discovered discovered; /* with no server named: the servers the directory suggests */
    bool complete;
    char *reason; /* why not complete */
} sa_audit;

/* Connect and bind to the home domain (the first of cfg->ds.domains, or
 * the one its DCs serve).  On failure the audit cannot start. */
sa_status sa_audit_connect(const sa_audit_config *cfg, sa_audit *a, sa_error *err);

/* The rest of the pipeline.  What cannot be read makes the audit
 * incomplete (a->complete false, a->reason), never a failure; only out of
 * memory is an error. */
sa_status sa_audit_run(const sa_audit_config *cfg, sa_audit *a, sa_error *err);

/* Complete a->scope from cfg and what was read (idempotent; usable when
 * the audit could not start); false on out of memory. */
bool sa_audit_scope(const sa_audit_config *cfg, sa_audit *a);

/* The run goes on without what failed, or stops there: incomplete, the
 * first reason kept (formatted); SA_ERR_SYSTEM on out of memory. */
sa_status sa_audit_incomplete(sa_audit *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The report's view of an audit (borrowed pointers), as far as it went:
 * one that never reached its home domain names the domain and the DC it
 * was asked for, and is incomplete.  The scope is completed (NULL in the
 * report on out of memory). */
void sa_audit_report(const sa_audit_config *cfg, sa_audit *a, sa_report *r);

void sa_audit_clear(sa_audit *a);

#endif
