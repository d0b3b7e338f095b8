/* directory.h - LDAP access to Active Directory: connect, bind, paged search. */
#ifndef SPNAUDIT_DIRECTORY_H
#define SPNAUDIT_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/account.h"
#include "spnaudit/error.h"
#include "spnaudit/strv.h"

typedef enum sa_dir_tls {
    SA_TLS_NONE,     /* ldap:// (an ldaps:// URI still means LDAPS) */
    SA_TLS_STARTTLS, /* ldap://, then the StartTLS operation */
    SA_TLS_LDAPS,    /* ldaps://, port 636 for servers and DNS SRV */
} sa_dir_tls;

typedef struct sa_dir_options {
    const char *uri;            /* ldap://... or ldaps://...; overrides servers */
    const char *const *servers; /* DCs to try in order; default: DNS SRV */
    size_t n_servers;
    const char *domain;     /* DNS domain name; may be NULL with server/uri */
    int page_size;          /* entries per page; 0 disables paging */
    int size_limit;         /* client size limit; 0 for none */
    int timeout;            /* seconds, for connect and each operation */
    const char *gss_ccache; /* ccache for the GSSAPI bind; NULL: default */
    sa_dir_tls tls;
    const char *ca_file; /* CA certificates (PEM) for TLS; NULL: the system's */
    bool tls_no_verify;  /* accept any certificate (explicitly asked for only) */
    /* A simple bind as bind_user (DN, user@domain or DOMAIN\user) with
     * bind_password, only over TLS; NULL: SASL GSSAPI. */
    const char *bind_user;
    const char *bind_password;
    /* The Global Catalog (ports 3268/3269, DNS SRV _gc._tcp.DOMAIN):
     * searches for SPN holders cover every domain of the forest, with the
     * attributes of the partial attribute set. */
    bool global_catalog;
} sa_dir_options;

/* Whether these options would send a password in clear text: a simple
 * bind without TLS (sa_dir_connect refuses it). */
bool sa_dir_cleartext_bind(const sa_dir_options *opts);

/* What the "data NNN" of AD's diagnostic for a failed simple bind means
 * ("the account is locked out"), or NULL. */
const char *sa_ad_bind_data_text(const char *diagnostic);

typedef struct sa_dir sa_dir;

typedef struct sa_search_stats {
    size_t entries;
    size_t pages;
    sa_strv referrals; /* continuation references not followed */
} sa_search_stats;

/* Connect and bind to the first DC that answers: the URI, the servers in
 * order, or the DCs of the domain's DNS SRV records
 * (_ldap._tcp.dc._msdcs.DOMAIN; without any, the domain name).  Each DC
 * that did not answer is appended to unreachable, with why. */
sa_status sa_dir_connect(const sa_dir_options *opts, sa_dir **out, sa_strv *unreachable, sa_error *err);
void sa_dir_close(sa_dir *dir);

const char *sa_dir_uri(const sa_dir *dir);
const char *sa_dir_base_dn(const sa_dir *dir);        /* defaultNamingContext */
const char *sa_dir_dns_domain(const sa_dir *dir);     /* from the base DN */
const char *sa_dir_netbios_domain(const sa_dir *dir); /* may be NULL */
/* The DC's clock minus ours, in seconds, from the rootDSE's currentTime;
 * false when the DC did not say. */
bool sa_dir_clock_skew(const sa_dir *dir, long *seconds);
/* "20261122044500.0Z" -> seconds since the epoch; false if malformed. */
bool sa_parse_generalized_time(const char *s, long *epoch);
int sa_dir_ssf(const sa_dir *dir); /* SASL security strength */
/* How we are bound and protected, e.g. "SASL GSSAPI, sealed (SSF 256)"
 * or "simple bind as X over LDAPS (TLS)". */
const char *sa_dir_bind_description(const sa_dir *dir);

/* Every account holding an SPN of one of classes; appended to out. */
sa_status sa_dir_find_spn_holders(sa_dir *dir, const sa_strv *classes, sa_accounts *out,
                                  sa_search_stats *stats, sa_error *err);

/* The certificates published on a host's computer object. */
#define SA_DIR_CERT_MAX_BYTES 65536 /* one userCertificate value, at most */
#define SA_DIR_CERTS_MAX_VALUES 64  /* values taken from one object */
typedef struct sa_der {
    unsigned char *data;
    size_t len;
} sa_der;
typedef struct sa_host_certs {
    size_t holders; /* computer objects whose dNSHostName is the host: 0, 1, or more */
    char *dn;       /* the first one's DN (untrusted text), or NULL */
    sa_der *values; /* its userCertificate values, in the order read */
    size_t n;
    size_t too_big;  /* values empty or over SA_DIR_CERT_MAX_BYTES, not kept */
    size_t too_many; /* values beyond SA_DIR_CERTS_MAX_VALUES, not kept */
} sa_host_certs;

/* Read the computer objects of the domain whose dNSHostName is one of the
 * n fqdns (a few searches, each for many hosts) into out[0..n-1], zeroed
 * first: for each host, how many objects claim its name (a name two
 * objects claim is not judged) and the first one's userCertificate
 * values.  On an error every out[i] is cleared. */
sa_status sa_dir_hosts_certs(sa_dir *dir, const char *const *fqdns, size_t n, sa_host_certs *out,
                             sa_error *err);
void sa_host_certs_clear(sa_host_certs *hc);

/* The certificate templates of the forest (the Configuration partition's
 * pKICertificateTemplate objects), appended to out: at most
 * SA_DIR_TEMPLATES_MAX, the others counted in *left_out; a list attribute
 * keeps its first SA_DIR_TEMPLATE_VALUES values.  No templates container:
 * none, not an error. */
#define SA_DIR_TEMPLATES_MAX 2000
#define SA_DIR_TEMPLATE_VALUES 64
struct sa_cert_templates;
sa_status sa_dir_read_templates(sa_dir *dir, struct sa_cert_templates *out, size_t *left_out, sa_error *err);

/* Is there an account of this sAMAccountName (a name without '$' also
 * finds the computer "name$") in the domain, or the forest through the
 * Global Catalog? */
sa_status sa_dir_account_exists(sa_dir *dir, const char *sam, bool *found, sa_error *err);

/* Computer accounts of these hosts (by dNSHostName or sAMAccountName),
 * appended to out unless already there. */
sa_status sa_dir_find_computers(sa_dir *dir, const char *const *fqdns, size_t n, const sa_strv *classes,
                                sa_accounts *out, sa_search_stats *stats, sa_error *err);

/* The trusts of the domain: its trustedDomain objects (CN=System),
 * appended to out with domain set to the domain's DNS name. */
struct sa_trusts;
sa_status sa_dir_read_trusts(sa_dir *dir, struct sa_trusts *out, sa_search_stats *stats, sa_error *err);

/* The DNS names of the domains of the DC's forest, from the crossRef
 * objects of the Partitions container (sa_crossref_is_forest_domain),
 * appended to out unless there already. */
sa_status sa_dir_read_forest_domains(sa_dir *dir, sa_strv *out, sa_search_stats *stats, sa_error *err);

/* The hosts (serviceDNSName) of the serviceConnectionPoint objects under
 * CN=OperationsManager,<domain DN>, where SCOM's Active Directory
 * integration keeps a container per management group, appended to out
 * unless there already; none when the container does not exist. */
sa_status sa_dir_read_scom_scps(sa_dir *dir, sa_strv *out, sa_search_stats *stats, sa_error *err);

/* One SPN of service class cls naming a host of the domain (FQDN form;
 * the first the DC sends, the search then abandoned), malloc'd in *spn;
 * NULL when the domain has none (or none among the first 5000 accounts
 * holding an SPN of the class). */
sa_status sa_dir_first_spn(sa_dir *dir, const char *cls, char **spn, sa_error *err);

/* The DACL (nTSecurityDescriptor, read with the SD-flags control) and the
 * objectSid of the object at dn, in malloc'd buffers; an error when either
 * is missing or the SID is malformed (a grant to it would go unseen). */
sa_status sa_dir_read_dacl(sa_dir *dir, const char *dn, unsigned char **sd, size_t *sd_len,
                           unsigned char **sid, size_t *sid_len, sa_error *err);

void sa_search_stats_clear(sa_search_stats *stats);

/* A continuation reference to a partition that holds no accounts
 * (Configuration, Schema, the DNS application partitions)? */
bool sa_referral_is_infrastructure(const char *url);

/* The DNS domain an object's DN lies in, from its trailing DC= parts:
 * CN=ms01,CN=Computers,DC=contoso,DC=test -> contoso.test; NULL if none. */
char *sa_dn_domain_of(const char *dn);

/* DC=contoso,DC=test -> contoso.test; NULL if not a domain DN. */
char *sa_dn_to_dns_domain(const char *dn);

/* value escaped for an LDAP search filter (RFC 4515: "*", "(", ")", "\\"
 * and NUL as \XX), malloc'd; NULL on out of memory. */
char *sa_ldap_filter_value(const char *value);

#endif
