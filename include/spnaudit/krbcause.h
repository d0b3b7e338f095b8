/* krbcause.h - Kerberos error -> cause -> OpsMgr events.  Pure logic. */
#ifndef SPNAUDIT_KRBCAUSE_H
#define SPNAUDIT_KRBCAUSE_H

#include <stdbool.h>

typedef enum sa_krb_cause {
    SA_KC_NONE = 0,       /* no error */
    SA_KC_SPN_UNKNOWN,    /* no account holds the SPN */
    SA_KC_SPN_NOT_UNIQUE, /* several accounts hold the SPN */
    SA_KC_ETYPE,          /* no common encryption type / no keys */
    SA_KC_CLOCK_SKEW,
    SA_KC_POLICY,        /* the KDC's policy refused */
    SA_KC_NO_REALM_PATH, /* no usable cross-realm path */
    SA_KC_KDC_UNREACHABLE,
    SA_KC_WRONG_KEY,   /* ticket for the wrong account's key */
    SA_KC_CREDENTIALS, /* our own TGT is missing, expired or refused */
    SA_KC_OTHER,
} sa_krb_cause;

typedef struct sa_krb_cause_info {
    sa_krb_cause cause;
    const char *finding_code; /* stable code of the ticket finding */
    const char *summary;      /* what it means here */
    const char *fix;          /* what to do about it */
    int events[4];            /* OpsMgr events, 0-terminated */
} sa_krb_cause_info;

/* Classify a libkrb5 error code (krb5_error_code, as long). */
sa_krb_cause sa_krb_classify(long code);

/* Refine a KDC answer with what LDAP knows: Samba's KDC (and others)
 * answer "principal unknown" for an SPN held by two accounts. */
sa_krb_cause sa_krb_refine(sa_krb_cause cause, unsigned ldap_holders);

const sa_krb_cause_info *sa_krb_cause_describe(sa_krb_cause cause);

/* Errors that concern our own credentials rather than the SPN probed:
 * probing should stop, the audit is incomplete. */
bool sa_krb_cause_is_fatal(sa_krb_cause cause);

/* Refusals that tell about this host, not about the SPN: our credentials,
 * our clock (the KDC checks the request's time against its own), our way
 * to the KDC.  Such a ticket is not checked, and gives no finding. */
bool sa_krb_cause_is_ours(sa_krb_cause cause);

#endif
