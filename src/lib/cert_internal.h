/* cert_internal.h - between the reading of certificate files
 * (cert_read.c) and of one X.509 certificate (cert_x509.c). */
#ifndef SPNAUDIT_CERT_INTERNAL_H
#define SPNAUDIT_CERT_INTERNAL_H

#include <openssl/x509.h>

#include "spnaudit/cert.h"

/* Fill c's names, usages, validity, key, signature, serial number and
 * thumbprint from x; false on out of memory (c then holds what was set,
 * for sa_certs_clear). */
bool sa_cert_from_x509(X509 *x, sa_cert *c);

/* A name as one line (RFC 2253), untrusted text; NULL on out of memory. */
char *sa_x509_name_line(const X509_NAME *name);

#endif
