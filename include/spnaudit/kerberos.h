/* kerberos.h - our Kerberos credentials and the service ticket probe. */
#ifndef SPNAUDIT_KERBEROS_H
#define SPNAUDIT_KERBEROS_H

#include "spnaudit/error.h"
#include "spnaudit/ticket.h"

typedef struct sa_krb_options {
    const char *keytab;    /* log in with this keytab ... */
    const char *principal; /* ... as this principal (both or neither) */
} sa_krb_options;

typedef struct sa_krb sa_krb;

/* Get credentials: from the caller's ccache (KRB5CCNAME) or a keytab.
 * Either way they end up in a private in-memory ccache, so that probing
 * never writes to the caller's ccache. */
sa_status sa_krb_open(const sa_krb_options *opts, sa_krb **out, sa_error *err);
void sa_krb_close(sa_krb *krb);

const char *sa_krb_ccache_name(const sa_krb *krb); /* "MEMORY:..." */
const char *sa_krb_client(const sa_krb *krb);      /* unparsed principal */
const char *sa_krb_client_realm(const sa_krb *krb);

/* Make GSSAPI (and so the LDAP SASL bind) use our private ccache. */
sa_status sa_krb_use_for_gssapi(const sa_krb *krb, sa_error *err);

/* Ask the KDC for a fresh ticket for spn@realm and record the outcome in
 * t (t->spn already set).  A refused ticket is an outcome, not an error:
 * the return is SA_OK then.  Errors concerning our own credentials
 * return SA_ERR_CREDENTIALS (the probe cannot go on). */
sa_status sa_krb_probe(sa_krb *krb, const char *realm, sa_ticket *t, sa_error *err);

#endif
