/* directory.h - LDAP access to Active Directory: connect, bind, paged search. */
#ifndef SPNAUDIT_DIRECTORY_H
#define SPNAUDIT_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/account.h"
#include "spnaudit/error.h"
#include "spnaudit/strv.h"

typedef struct sa_dir_options {
    const char *uri;            /* ldap://... or ldaps://...; overrides servers */
    const char *const *servers; /* DCs to try in order; default: DNS SRV */
    size_t n_servers;
    const char *domain;     /* DNS domain name; may be NULL with server/uri */
    int page_size;          /* entries per page; 0 disables paging */
    int size_limit;         /* client size limit; 0 for none */
    int timeout;            /* seconds, for connect and each operation */
    const char *gss_ccache; /* ccache for the GSSAPI bind; NULL: default */
} sa_dir_options;

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

/* Every account holding an SPN of one of classes; appended to out. */
sa_status sa_dir_find_spn_holders(sa_dir *dir, const sa_strv *classes, sa_accounts *out,
                                  sa_search_stats *stats, sa_error *err);

/* Computer accounts of these hosts (by dNSHostName or sAMAccountName),
 * appended to out unless already there. */
sa_status sa_dir_find_computers(sa_dir *dir, const char *const *fqdns, size_t n, const sa_strv *classes,
                                sa_accounts *out, sa_search_stats *stats, sa_error *err);

/* The DACL (nTSecurityDescriptor, read with the SD-flags control) and the
 * objectSid of the object at dn, in malloc'd buffers (sid may be NULL). */
sa_status sa_dir_read_dacl(sa_dir *dir, const char *dn, unsigned char **sd, size_t *sd_len,
                           unsigned char **sid, size_t *sid_len, sa_error *err);

void sa_search_stats_clear(sa_search_stats *stats);

/* DC=contoso,DC=test -> contoso.test; NULL if not a domain DN. */
char *sa_dn_to_dns_domain(const char *dn);

#endif
