/* trustaudit.h - "spnaudit trusts" and "spnaudit plan": the trusts of the
 * domains read, a verdict for the agents of each domain settled with the
 * servers' DACLs across selective trusts and confirmed with tickets, and
 * the design for an intended topology.  The directory connections are the
 * caller's: it hands them over by domain name. */
#ifndef SPNAUDIT_TRUSTAUDIT_H
#define SPNAUDIT_TRUSTAUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/directory.h"
#include "spnaudit/error.h"
#include "spnaudit/kerberos.h"
#include "spnaudit/strv.h"
#include "spnaudit/ticket.h"
#include "spnaudit/trust.h"

/* A bound connection to domain (NULL: the first domain, as the caller's
 * options name it, or the DC's own when they name none).  It stays the
 * caller's, open for the whole run and closed by the caller after: asked
 * for the same domain again, the caller gives the same one.  SA_OK, or
 * why the domain cannot be read. */
typedef sa_status (*sa_domain_dir_fn)(void *ctx, const char *domain, sa_dir **dir, sa_error *err);

typedef struct sa_trust_source {
    sa_domain_dir_fn dir_for;
    void *ctx;
    const sa_strv *classes; /* service classes: how the servers' computer objects are found */
} sa_trust_source;

/* What one server's computer object grants the agents of a domain. */
typedef struct sa_server_acl {
    char *server;
    char *dn;  /* its computer object, or NULL when not found */
    bool read; /* the DACL was read */
    int grant; /* sa_auth_grant */
    char why[SA_ERROR_MAX];
} sa_server_acl;

/* The servers checked for a selective verdict. */
typedef struct sa_server_acls {
    sa_server_acl *items;
    size_t n;
} sa_server_acls;

void sa_server_acls_clear(sa_server_acls *a);

/* One agent domain, its verdict toward the servers' domain, and what the
 * KDCs did. */
typedef struct sa_trust_row {
    const char *agent; /* in the run's agents list */
    sa_verdict v;
    sa_server_acls acls;  /* across a selective trust: "Allowed to Authenticate" per server */
    long tgt, service;    /* the confirmation tickets: indices in the run's probes, or -1 */
    char *observed;       /* what the tickets showed, or NULL */
    bool differs;         /* ... against the verdict's rule */
    sa_strv cert_work;    /* a certificates verdict: what each side needs (sa_cert_work) */
    sa_strv cert_checked; /* --cert-dir: what was found for each side (sa_trust_check_certs) */
} sa_trust_row;

typedef struct sa_trust_request {
    sa_trust_source src;
    const sa_strv *domains; /* more domains to read (the first, the servers', is read anyway) */
    const sa_strv *servers; /* management servers and gateways, checked across selective trusts */
    const sa_strv *agents;  /* more agent domains to judge */
    bool partners;          /* read each uplevel partner's side of its trust too */
    sa_krb *krb;            /* confirm the verdicts with tickets; NULL: do not */
    int jobs;               /* ticket requests in flight */
} sa_trust_request;

typedef struct sa_trust_run {
    char *home;       /* the servers' domain */
    char *uri;        /* the DC its trusts were read from */
    sa_trusts trusts; /* the home domain's n_home first, then the other sides */
    size_t n_home;
    sa_strv forest;   /* the domains of the forests read */
    sa_strv not_read; /* why a domain could not be read */
    sa_strv unread;   /* ... and that domain, in not_read's order */
    sa_strv warnings; /* for the caller to say: domains and forests not read */
    sa_strv agents;   /* the agent domains judged, in the rows' order */
    sa_trust_row *rows;
    size_t n_rows;
    sa_tickets probes; /* the confirmation tickets, in the order asked */
    int status;        /* the exit status: SA_EXIT_OK, _WARNING or _FAILURE */
} sa_trust_run;

/* Read the trusts of the servers' domain (failing, the error), then of the
 * other domains where the run can, judge every agent domain, settle the
 * selective verdicts with the servers' DACLs (each read once per run) and,
 * with krb, confirm each verdict across a trust: a cross-realm TGT from
 * the servers' realm for each agent realm, then, where it was issued, a
 * ticket for an MSOMHSvc SPN of that domain, jobs at a time.  *out on
 * success (clear it with sa_trust_run_clear). */
sa_status sa_trust_audit(const sa_trust_request *req, sa_trust_run *out, sa_error *err);
void sa_trust_run_clear(sa_trust_run *r);

/* How one agent domain will authenticate in the planned topology. */
typedef struct sa_plan_row {
    const char *agent;                    /* the request's */
    sa_verdict direct;                    /* agents -> the management servers */
    long gateway;                         /* the gateway chosen, or -1 */
    sa_verdict via;                       /* agents -> that gateway */
    sa_verdict onward;                    /* that gateway -> the management servers */
    sa_server_acls direct_acls, via_acls; /* across selective trusts */
    int outcome;                          /* exit-status weight: 0, 1, 2 */
    char *design;
    sa_strv cert_work;    /* where certificates are the design: what each side needs */
    sa_strv cert_checked; /* --cert-dir: what was found for each side (sa_plan_check_certs) */
} sa_plan_row;

typedef struct sa_plan_request {
    sa_trust_source src;
    const sa_strv *ms; /* at least one; the first one's domain is the servers' */
    const sa_strv *gateways;
    const sa_strv *agents; /* at least one */
} sa_plan_request;

typedef struct sa_plan {
    const sa_strv *ms, *gateways; /* the request's */
    const char *ms_domain;        /* the servers' domain (in ms) */
    sa_trusts trusts;
    sa_strv not_read; /* why a domain could not be read */
    sa_strv unread;   /* ... and that domain, in not_read's order */
    sa_strv warnings; /* forests whose domains could not be listed */
    sa_plan_row *rows;
    size_t n_rows;
    int status; /* the exit status: the worst outcome */
} sa_plan;

/* Read the trusts of the servers', gateways' and agents' domains and of
 * the other domains of their forests (the servers' domain must be read:
 * else the error), and the design for each agent domain.  *out on
 * success (clear it with sa_plan_clear). */
sa_status sa_plan_build(const sa_plan_request *req, sa_plan *out, sa_error *err);
void sa_plan_clear(sa_plan *p);

/* plan --cert-dir: for every row whose design needs certificates, the
 * certificates of run (read from dir) for each side, in cert_checked; a
 * side without one free of failures makes the row's outcome 2 (and the
 * plan's status); the files not read become warnings. */
struct sa_cert_run;
sa_status sa_plan_check_certs(sa_plan *p, const struct sa_cert_run *run, const char *dir, sa_error *err);
/* trusts --cert-dir: the same for every certificates verdict, its sides
 * the agents and servers (none: the agents alone); the exit status is
 * already the failure's. */
sa_status sa_trust_check_certs(sa_trust_run *r, const sa_strv *servers, const struct sa_cert_run *run,
                               const char *dir, sa_error *err);

#endif
