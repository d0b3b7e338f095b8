/* domains.h - which domain a name belongs to, and the directory options
 * for each domain a run reads. */
#ifndef SPNAUDIT_DOMAINS_H
#define SPNAUDIT_DOMAINS_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/directory.h"
#include "spnaudit/strv.h"

/* Is name (a host or a domain; "host:port" allowed) strictly under
 * domain, at a label boundary, ASCII case-insensitively?  A trailing dot
 * on either is ignored: ms01.contoso.test. is under contoso.test, and
 * xcontoso.test and contoso.test itself are not. */
bool sa_name_under_domain(const char *name, const char *domain);

/* The index in domains of the longest one name is under, or -1. */
long sa_domain_index_of(const sa_strv *domains, const char *name);

/* The DNS suffix of a host name: what follows its first label
 * (ms01.contoso.test -> contoso.test), into buf; false for a name with
 * no dot or too long for buf. */
bool sa_host_dns_suffix(const char *host, char *buf, size_t size);

/* What follows a host's first label (ms01.contoso.test -> contoso.test),
 * pointing into fqdn; fqdn itself when it has no dot. */
const char *sa_host_domain_of(const char *fqdn);

/* Is a --server value ("host[:port]") an IP address or a short name,
 * which can lie under no domain? */
bool sa_server_is_bare(const char *server);

/* Where a run finds the DCs of its domains: the shared options (TLS,
 * bind, page size, timeouts, ccache), the --server values and the --uri,
 * which go to the first (home) domain unless they are named under
 * another of the domains.  All borrowed. */
typedef struct sa_domain_set {
    sa_dir_options base;    /* .domain: the home domain, or NULL (from the DC) */
    const sa_strv *dcs;     /* --server, in order */
    const sa_strv *domains; /* --domain, in order: [0] is home */
} sa_domain_set;

/* The options to reach domain (a DNS name, or NULL for home): the servers
 * of ds->dcs under that domain, or, for home, also those under none of
 * ds->domains (an address, a short name); the URI for home only.  Without
 * any, DNS SRV of the domain.  servers must outlive out. */
bool sa_domain_options(const sa_domain_set *ds, const char *domain, sa_dir_options *out, sa_strv *servers);

/* Connect and bind to domain (NULL: home), through its forest's Global
 * Catalog with gc; DCs that did not answer are appended to unreachable. */
sa_status sa_domain_connect(const sa_domain_set *ds, const char *domain, bool gc, sa_dir **dir,
                            sa_strv *unreachable, sa_error *err);

/* Label accounts[first..] with the domain their DN lies in: dns_domain
 * its DNS name, domain its display name (the NetBIOS name when it is the
 * DC's own domain, else the DNS name). */
bool sa_label_accounts(sa_accounts *accounts, size_t first, const sa_dir *dir);

#endif
