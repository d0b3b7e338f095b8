/* cert_template.h - the certificate templates of Active Directory (the
 * pKICertificateTemplate objects of the Configuration partition) as plain
 * data, and the checks of what OpsMgr needs of the certificates a template
 * issues for mutual authentication (cert_template.c: pure functions, each
 * problem a finding with its events and fix).
 *
 * A verdict comes only from what was read: an attribute whose *_read flag
 * is false gives no finding, and sa_cert_template_not_checked names the
 * checks it left out.  pKIExtendedKeyUsage is always taken as read: an
 * empty list is a template whose certificates carry no EKU extension. */
#ifndef SPNAUDIT_CERT_TEMPLATE_H
#define SPNAUDIT_CERT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spnaudit/finding.h"
#include "spnaudit/strv.h"

/* msPKI-Certificate-Name-Flag */
#define SA_CT_ENROLLEE_SUPPLIES_SUBJECT 0x00000001u
#define SA_CT_SUBJECT_REQUIRE_DNS_AS_CN 0x10000000u
#define SA_CT_SUBJECT_REQUIRE_COMMON_NAME 0x40000000u
/* msPKI-Private-Key-Flag */
#define SA_CT_EXPORTABLE_KEY 0x00000010u
#define SA_CT_USE_LEGACY_PROVIDER 0x00000100u

#define SA_OID_SERVER_AUTH "1.3.6.1.5.5.7.3.1"
#define SA_OID_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"

/* One template as read.  Every string is from the directory: untrusted. */
typedef struct sa_cert_template {
    char *name;         /* cn; the findings' subject (NULL: "(no name)") */
    char *display_name; /* displayName, or NULL */
    sa_strv ekus;       /* pKIExtendedKeyUsage OIDs (dotted) */
    sa_strv csps;       /* pKIDefaultCSPs values, e.g. "1,Microsoft RSA SChannel Cryptographic Provider" */
    bool name_flag_read, private_key_flag_read, min_key_size_read, schema_version_read, key_spec_read;
    uint32_t name_flag;        /* msPKI-Certificate-Name-Flag */
    uint32_t private_key_flag; /* msPKI-Private-Key-Flag */
    int min_key_size;          /* msPKI-Minimal-Key-Size */
    int schema_version;        /* msPKI-Template-Schema-Version */
    int key_spec;              /* pKIDefaultKeySpec: 1 AT_KEYEXCHANGE, 2 AT_SIGNATURE */
} sa_cert_template;

typedef struct sa_cert_templates {
    sa_cert_template *items;
    size_t n, cap;
} sa_cert_templates;

void sa_cert_templates_clear(sa_cert_templates *list);
/* Append an empty one (nothing read); NULL on out of memory. */
sa_cert_template *sa_cert_templates_add(sa_cert_templates *list);

/* The subject of t's findings: its name, or "(no name)". */
const char *sa_cert_template_subject(const sa_cert_template *t);

/* The findings for t, appended to out (subject: sa_cert_template_subject,
 * server: NULL); false on out of memory. */
bool sa_cert_template_check(const sa_cert_template *t, sa_findings *out);

#define SA_TEMPLATE_CHECKS 6
/* The checks t's data could not decide, as static phrases ("the subject
 * name: msPKI-Certificate-Name-Flag not read"), at most SA_TEMPLATE_CHECKS
 * into what; how many. */
size_t sa_cert_template_not_checked(const sa_cert_template *t, const char *what[SA_TEMPLATE_CHECKS]);

typedef enum sa_template_verdict {
    SA_TEMPLATE_USABLE,      /* no failure, every check made */
    SA_TEMPLATE_NOT_USABLE,  /* a failure among its findings */
    SA_TEMPLATE_NOT_CHECKED, /* no failure, but some checks could not be made */
} sa_template_verdict;

/* t's verdict from findings (those of sa_cert_template_check, among
 * others: only those whose subject is t's count). */
sa_template_verdict sa_cert_template_verdict(const sa_cert_template *t, const sa_findings *findings);
/* Can t issue certificates OpsMgr accepts: SA_TEMPLATE_USABLE. */
bool sa_cert_template_ok(const sa_cert_template *t, const sa_findings *findings);

/* A pKIDefaultCSPs value "N,Name" split: the priority (-1 when there is
 * no "N," prefix) and where the name starts in value; false when the
 * value is too long (SA_TEMPLATE_CSP_MAX bytes) or its prefix malformed. */
#define SA_TEMPLATE_CSP_MAX 512
bool sa_cert_template_csp_parse(const char *value, int *priority, const char **name);

#endif
