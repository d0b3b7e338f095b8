/* kerberos.h - our Kerberos credentials and the service ticket probe. */
#ifndef SPNAUDIT_KERBEROS_H
#define SPNAUDIT_KERBEROS_H

#include <stdio.h>

#include "spnaudit/error.h"
#include "spnaudit/ticket.h"

typedef struct sa_krb_options {
    const char *keytab;    /* log in with this keytab as principal (NULL: its first one); */
    const char *principal; /* without a keytab: ask for its password */
    int kdc_timeout_ms;    /* per KDC request; 0: the default (10 s) */
} sa_krb_options;

typedef struct sa_krb sa_krb;

/* Get credentials: from the caller's ccache (KRB5CCNAME), a keytab, or a
 * password read without echo.  Either way they end up in a private
 * in-memory ccache, so that probing never writes to the caller's ccache.
 * Every KDC request goes through our own transport, bounded by
 * kdc_timeout_ms, to the KDCs of krb5.conf or of DNS SRV records. */
sa_status sa_krb_open(const sa_krb_options *opts, sa_krb **out, sa_error *err);
void sa_krb_close(sa_krb *krb);

const char *sa_krb_ccache_name(const sa_krb *krb); /* "MEMORY:..." */
const char *sa_krb_client(const sa_krb *krb);      /* unparsed principal */
const char *sa_krb_client_realm(const sa_krb *krb);
/* Did the login take the keytab's first principal (no principal given)? */
bool sa_krb_principal_from_keytab(const sa_krb *krb);

/* Make GSSAPI (and so the LDAP SASL bind) use our private ccache. */
sa_status sa_krb_use_for_gssapi(const sa_krb *krb, sa_error *err);

/* Ask the KDC for a fresh ticket for spn@realm and record the outcome in
 * t (t->spn already set).  A refused ticket is an outcome, not an error:
 * the return is SA_OK then.  Errors concerning our own credentials
 * return SA_ERR_CREDENTIALS (the probe cannot go on). */
sa_status sa_krb_probe(sa_krb *krb, const char *realm, sa_ticket *t, sa_error *err);

/* Request a ticket for every entry of list (spn set), with jobs sessions
 * in parallel (each its own krb5 context and ccache).  Tickets whose SPN
 * has no "@REALM" are asked in realm.  Stops early, leaving the rest
 * untried, on SA_ERR_CREDENTIALS (our own credentials fail) or
 * SA_ERR_INCOMPLETE (the KDCs of realm cannot be reached).  progress:
 * NULL, or where to show a progress bar when it is a terminal (stderr). */
sa_status sa_krb_probe_all(sa_krb *krb, const char *realm, sa_tickets *list, int jobs, FILE *progress,
                           sa_error *err);

#endif
