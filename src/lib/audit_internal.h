/* audit_internal.h - the steps of audit.c that live in audit_steps.c. */
#ifndef SPNAUDIT_AUDIT_INTERNAL_H
#define SPNAUDIT_AUDIT_INTERNAL_H

#include "spnaudit/audit.h"

/* The tickets of cfg->tickets: for every SPN of the home domain's and the
 * servers' domains' accounts (all), or for the SPNs that name an expected
 * server (servers), or none; a KDC that fails makes the run incomplete. */
sa_status sa_audit_tickets(const sa_audit_config *cfg, sa_audit *a, sa_error *err);
/* Each found server's right to write its own SPN, from its DACL. */
sa_status sa_audit_self_write(sa_audit *a, sa_error *err);
/* The analysis, the DCs that did not answer, the referrals not followed. */
sa_status sa_audit_findings(const sa_audit_config *cfg, sa_audit *a, sa_error *err);
/* With no server named: the servers the directory suggests (a->discovered);
 * what cannot be read is said there, never an error but out of memory. */
sa_status sa_audit_discover(sa_audit *a, sa_error *err);

/* audit --cert-ca-file: the servers' and gateways' published
 * certificates, checked (audit_certs.c); their findings join a->findings,
 * a server not checked is a check not run.  Only out of memory or bad
 * trust anchors (SA_ERR_USAGE) are errors. */
sa_status sa_audit_certs(const sa_audit_config *cfg, sa_audit *a, sa_error *err);

#endif
