/* finding.h - what the audit found: a stable code, a severity, the subject,
 * the evidence, the OpsMgr events it leads to and the fix. */
#ifndef SPNAUDIT_FINDING_H
#define SPNAUDIT_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/fix.h"
#include "spnaudit/krbcause.h"

typedef enum sa_severity {
    SA_SEV_INFO = 0,
    SA_SEV_WARNING,
    SA_SEV_FAILURE,
} sa_severity;

typedef enum sa_finding_kind {
    SA_F_SPN_MISSING,              /* no MSOMHSvc SPN for an expected server */
    SA_F_SPN_FQDN_MISSING,         /* only the NetBIOS form is registered */
    SA_F_SPN_NETBIOS_MISSING,      /* only the FQDN form is registered */
    SA_F_SPN_DUPLICATE,            /* same SPN on two or more accounts */
    SA_F_SPN_ON_USER_ACCOUNT,      /* MSOMHSvc on a user account (HS runs as Local System) */
    SA_F_SPN_WRONG_COMPUTER,       /* SPN for host X on computer account Y */
    SA_F_ACCOUNT_DISABLED,         /* the account holding the SPN is disabled */
    SA_F_SERVER_ACCOUNT_NOT_FOUND, /* expected server has no computer account */
    SA_F_SDK_SPN_MISSING,          /* no MSOMSdkSvc SPN for an expected server */
    SA_F_SPN_MALFORMED,            /* an SPN value that does not parse */
    SA_F_REFERRAL_NOT_FOLLOWED,    /* the DC referred part of the search elsewhere */
    SA_F_CLOCK_SKEW,               /* the DC's clock and ours differ */
    SA_F_DNS_RESOLUTION_FAILED,    /* a management server name does not resolve */
    SA_F_TCP_CONNECT_FAILED,       /* nothing answers on the agent port */
    SA_F_DC_UNREACHABLE,           /* a domain controller did not answer */
    SA_F_SPN_STALE,                /* the SPN names a host with no computer account */
    SA_F_ENCTYPES_NO_AES,          /* the holder's encryption types exclude AES */
    SA_F_SPN_SELF_WRITE_DENIED,    /* the computer may not write its own SPN */
    SA_F_SDK_SPN_WRONG_ACCOUNT,    /* MSOMSdkSvc not on the SDK service's account */
    SA_F_SPN_WRONG_ACCOUNT,        /* MSOMHSvc not on the Health Service's domain account */
    SA_F_SPN_VALUE_SUSPICIOUS,     /* an SCOM SPN or dNSHostName no host name holds, or a look-alike */
    /* certificates (spnaudit cert) */
    SA_F_CERT_EKU_MISSING,        /* Server or Client Authentication missing from the EKU */
    SA_F_CERT_KEY_MISSING,        /* a PKCS#12 file without the certificate's private key */
    SA_F_CERT_KEY_MISMATCH,       /* the private key is another certificate's */
    SA_F_CERT_KEY_CNG,            /* the key is for a CNG key storage provider */
    SA_F_CERT_KEY_SPEC_SIGNATURE, /* the key is for signatures only (AT_SIGNATURE) */
    SA_F_CERT_KEY_NOT_RSA,        /* not an RSA key */
    SA_F_CERT_KEY_TOO_SMALL,      /* an RSA key under 2048 bits */
    SA_F_CERT_KEY_USAGE,          /* key usage without digitalSignature or keyEncipherment */
    SA_F_CERT_SIGNATURE_WEAK,     /* signed with SHA-1 or MD5 */
    SA_F_CERT_SUBJECT_CN_MISSING, /* no common name in the subject */
    SA_F_CERT_NAME_MISMATCH,      /* the subject's CN is not the host's FQDN */
    SA_F_CERT_SAN_MISMATCH,       /* the first DNS name of the SAN is not the host's FQDN */
    SA_F_CERT_NOT_YET_VALID,      /* before its validity */
    SA_F_CERT_EXPIRED,            /* after its validity */
    SA_F_CERT_EXPIRING,           /* ends within --expiry-warning days */
    SA_F_CERT_CHAIN_UNTRUSTED,    /* the chain does not build to a trust anchor */
    /* certificate templates of the directory (cert_template.c) */
    SA_F_TEMPLATE_EKU,                 /* Server or Client Authentication not in pKIExtendedKeyUsage */
    SA_F_TEMPLATE_SUBJECT,             /* the subject is neither supplied nor the DNS name as CN */
    SA_F_TEMPLATE_SUBJECT_DOMAIN_ONLY, /* CN from the DNS name: for the CA's forest's members only */
    SA_F_TEMPLATE_KSP,                 /* keys in a CNG key storage provider */
    SA_F_TEMPLATE_KEY_SPEC,            /* keys for signatures only (AT_SIGNATURE) */
    SA_F_TEMPLATE_KEY_SIZE,            /* keys under 2048 bits allowed */
    SA_F_TEMPLATE_NOT_EXPORTABLE,      /* the private key cannot be exported */
    SA_F_KIND_COUNT
} sa_finding_kind;

#define SA_MAX_EVENTS 4

typedef struct sa_finding {
    const char *code; /* stable upper-case identifier (static) */
    sa_severity severity;
    int events[SA_MAX_EVENTS]; /* OpsMgr event IDs */
    size_t n_events;
    char *subject;      /* the SPN, account or server concerned */
    char *server;       /* management server it belongs to, or NULL */
    char *message;      /* one sentence */
    char *evidence;     /* what was observed, or NULL */
    sa_fix fix;         /* commands and steps (none: empty) */
    const char *change; /* "new", "persisting", or NULL */
    /* message, evidence and the fix's steps as the text report shows them:
     * escaped, the spaces inside the values they quote SA_SHOW_GLUE
     * (display.h), so that a line is wrapped only at the tool's own spaces,
     * never where a value could start a line of its choosing; NULL when
     * not set by their setters (the report then never wraps them). */
    char *message_shown, *evidence_shown, *fix_text_shown;
} sa_finding;

typedef struct sa_findings {
    sa_finding *items;
    size_t n;
    size_t cap;
} sa_findings;

/* Add a finding of a kind with its default severity and events.
 * server may be NULL.  NULL on out of memory. */
sa_finding *sa_findings_add(sa_findings *list, sa_finding_kind kind, const char *subject, const char *server);
/* Add a finding for a failed ticket request of the given cause. */
sa_finding *sa_findings_add_ticket(sa_findings *list, sa_krb_cause cause, const char *subject,
                                   const char *server);

/* Add a finding with any code (kept as given: it must outlive the list),
 * severity and events (0-terminated unless SA_MAX_EVENTS long), as read
 * back from a report.  NULL on out of memory. */
sa_finding *sa_findings_add_raw(sa_findings *list, const char *code, sa_severity severity, const int *events,
                                const char *subject, const char *server);

/* Set the texts (printf-style); false on out of memory. */
bool sa_finding_message(sa_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool sa_finding_evidence(sa_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append words of the tool's own (no value from outside in them: the
 * text report may wrap them anywhere) to the evidence. */
bool sa_finding_evidence_words(sa_finding *f, const char *words);
/* Append to the evidence, as sa_finding_evidence sets it. */
bool sa_finding_evidence_more(sa_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The fix's steps in the tool's words (after its commands, if any). */
bool sa_finding_fix(sa_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The fix: n commands, then text (the tool's words, or NULL); false on
 * out of memory. */
bool sa_finding_fix_cmds(sa_finding *f, const sa_fix_cmd *cmds, size_t n, const char *text);

/* Every finding of from moved to the end of to; from is left empty.
 * false (both unchanged) when out of memory. */
bool sa_findings_take_all(sa_findings *to, sa_findings *from);
void sa_findings_clear(sa_findings *list);

/* Worst first, then by server, code and subject: a stable order. */
void sa_findings_sort(sa_findings *list);

size_t sa_findings_count(const sa_findings *list, sa_severity severity);
/* Findings of list of severity (-1: any) whose change is change (NULL:
 * marked or not). */
size_t sa_findings_count_marked(const sa_findings *list, int severity, const char *change);

/* The findings of list as pointers in cmp's order (qsort on pointers to
 * sa_finding pointers), list->n + 1 slots; NULL on out of memory. */
const sa_finding **sa_findings_view(const sa_findings *list, int (*cmp)(const void *, const void *));

const char *sa_severity_name(sa_severity severity);
const char *sa_finding_kind_code(sa_finding_kind kind);
/* The default severity of a finding of the kind. */
sa_severity sa_finding_kind_severity(sa_finding_kind kind);
/* What a finding of the kind says, one line ("" for no such kind). */
const char *sa_finding_kind_summary(sa_finding_kind kind);
/* The OpsMgr events a finding of the kind leads to, in *events; how many
 * (0 for no such kind). */
size_t sa_finding_kind_events(sa_finding_kind kind, const int **events);

/* Exit status of an audit, as monitoring plugins use it. */
enum {
    SA_EXIT_OK = 0,
    SA_EXIT_WARNING = 1,
    SA_EXIT_FAILURE = 2,
    SA_EXIT_INCOMPLETE = 3,
    SA_EXIT_USAGE = 64,
};
int sa_findings_exit_status(const sa_findings *list, bool complete);
/* The same, counting only the findings whose change is change (NULL: all). */
int sa_findings_exit_status_marked(const sa_findings *list, bool complete, const char *change);

#endif
