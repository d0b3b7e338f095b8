/* spn.h - service principal names as Active Directory stores them:
 *   serviceclass/host[:port][/servicename]
 * Comparison is ASCII case-insensitive, as AD compares them.
 */
#ifndef SPNAUDIT_SPN_H
#define SPNAUDIT_SPN_H

#include <stdbool.h>
#include <stddef.h>

#define SA_SPN_MAX 1024

typedef struct sa_spn {
    char service_class[SA_SPN_MAX];
    char host[SA_SPN_MAX];
    unsigned port;                 /* 0 when absent */
    char service_name[SA_SPN_MAX]; /* "" when absent */
} sa_spn;

/* Parse text into out.  Returns false and a reason in why (static text)
 * for malformed input: empty parts, whitespace or control characters,
 * '@', a port that is not 1..65535, too long. */
bool sa_spn_parse(const char *text, sa_spn *out, const char **why);

/* Case-insensitive equality of two SPN strings. */
bool sa_spn_equal(const char *a, const char *b);

/* Does the SPN text belong to service class cls (case-insensitive)? */
bool sa_spn_has_class(const char *text, const char *cls);

/* Is host a DNS name with a dot (FQDN form) rather than a NetBIOS name? */
bool sa_spn_host_is_fqdn(const char *host);

/* NetBIOS name of a host: its first label, upper-case, at most 15
 * characters.  Writes into buf (at least 16 bytes). */
void sa_netbios_from_fqdn(const char *fqdn, char *buf, size_t size);

#endif
