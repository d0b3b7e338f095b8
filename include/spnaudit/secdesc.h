/* secdesc.h - can a computer account write its own servicePrincipalName?
 * Reads a self-relative security descriptor (MS-DTYP 2.4.6) as AD returns
 * it in nTSecurityDescriptor.  Pure logic: no I/O. */
#ifndef SPNAUDIT_SECDESC_H
#define SPNAUDIT_SECDESC_H

#include <stddef.h>

typedef enum sa_spn_write {
    SA_SPN_WRITE_ALLOWED = 0, /* an ACE grants SELF the write */
    SA_SPN_WRITE_DENIED,      /* an ACE denies it before any grants it */
    SA_SPN_WRITE_NOT_GRANTED, /* no ACE grants it */
    SA_SPN_WRITE_MALFORMED,   /* the descriptor does not parse */
} sa_spn_write;

/* The right the Health Service needs: "Validated write to service
 * principal name" (or write property on servicePrincipalName, which has
 * the same GUID), or any broader write, for SELF, Everyone, Authenticated
 * Users or the account's own SID (objectSid, may be NULL).  ACEs are taken
 * in order, inherit-only ones skipped; a descriptor without a DACL allows
 * everything.  why gets a short explanation naming the deciding ACE. */
sa_spn_write sa_sd_self_spn_write(const unsigned char *sd, size_t len, const unsigned char *sid,
                                  size_t sid_len, char *why, size_t why_size);

const char *sa_spn_write_name(sa_spn_write w);

#endif
