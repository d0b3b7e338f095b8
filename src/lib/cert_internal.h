/* cert_internal.h - between the reading of certificate files
 * (cert_read.c) and of one X.509 certificate (cert_x509.c), and between
 * the runs on files (cert_run.c) and on the directory (cert_dir.c). */
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

/* A run's certificates checked as of now, their findings into
 * run->findings (SA_ERR_SYSTEM on out of memory); then, once all is read,
 * the findings sorted and the exit status set (cert_run.c, for the files
 * and the directory alike). */
sa_status sa_cert_run_check(sa_cert_run *run, int64_t now, int expiry_days, sa_error *err);
void sa_cert_run_finish(sa_cert_run *run);

#endif
