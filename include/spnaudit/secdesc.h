/* secdesc.h - can a computer account write its own servicePrincipalName?
 * May the agents of a domain trusted with selective authentication
 * authenticate to a server ("Allowed to Authenticate")?  Reads a self-relative security descriptor
 * (MS-DTYP 2.4.6) as AD returns it in nTSecurityDescriptor.  Pure logic: no I/O. */
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

typedef enum sa_auth_grant {
    SA_AUTH_GRANTED = 0, /* an ACE grants the agents' domain (or everyone) the right */
    SA_AUTH_DENIED,      /* an ACE denies it before any grants it */
    SA_AUTH_NOT_GRANTED, /* no ACE grants it */
    SA_AUTH_UNVERIFIED,  /* granted only to a group of another domain: members not read */
    SA_AUTH_MALFORMED,   /* the descriptor does not parse */
} sa_auth_grant;

/* Across a trust with selective authentication, a DC lets an account of
 * the trusted forest authenticate to a computer only when the computer
 * object's DACL grants it "Allowed to Authenticate" (the control access
 * right 68b1d179-0d15-4d4f-ab71-46152e79a7bc, all extended rights, or full
 * control).  The grants that count for the agents of a domain: to
 * Everyone, Authenticated Users, Other Organization, or to a SID of that
 * domain (agent_domain_sid, S-1-5-21-...; NULL when unknown), such as its
 * Domain Computers.  A grant to a group created in another domain (RID
 * 1000 or more: e.g. a domain local group that may hold the agents as
 * foreign security principals) is unverified; the well-known groups of
 * other domains (Domain Admins...) do not count.  ACEs are taken in
 * order, inherit-only ones skipped; why names the deciding ACE. */
sa_auth_grant sa_sd_allowed_to_authenticate(const unsigned char *sd, size_t len, const char *agent_domain_sid,
                                            char *why, size_t why_size);

const char *sa_auth_grant_name(sa_auth_grant g);

#endif
