/* hints.c - what a failed connection means and what to do, in words. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/hints.h"

bool
sa_host_is_address(const char *host)
{
    unsigned char addr[16];
    char bare[64];
    size_t len = strlen(host);

    /* [2001:db8::1], as a URI writes it */
    if (len > 2 && host[0] == '[' && host[len - 1] == ']' && len - 2 < sizeof(bare)) {
        memcpy(bare, host + 1, len - 2);
        bare[len - 2] = '\0';
        host = bare;
    }
    return inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
}

/* The KDC knows no service ldap/host: a name that is not the DC's own. */
static void
unknown_service(const char *host, const char *dc_name, char *buf, size_t size)
{
    bool other_name = dc_name != NULL && strcasecmp(dc_name, host) != 0;

    if (sa_host_is_address(host) && other_name)
        snprintf(buf, size,
                 "Kerberos needs the domain controller's name, not an IP address: the KDC knows no service "
                 "ldap/%s; the DC at %s calls itself %s: use --server %s",
                 host, host, dc_name, dc_name);
    else if (sa_host_is_address(host))
        snprintf(buf, size,
                 "Kerberos needs the domain controller's name, not an IP address: the KDC knows no service "
                 "ldap/%s; give the DC's DNS name with --server",
                 host);
    else if (other_name)
        snprintf(buf, size,
                 "Kerberos needs the domain controller's own name: the KDC knows no service ldap/%s; the DC "
                 "calls itself %s: use --server %s",
                 host, dc_name, dc_name);
    else
        snprintf(buf, size,
                 "no Kerberos ticket for ldap/%s: the KDC of our realm does not know this name, and no trust "
                 "leads to a realm that does (a one-way trust the other way, or a trust with selective "
                 "authentication, gives none)",
                 host);
}

bool
sa_hint_gssapi_bind(const char *host, const char *diag, const char *dc_name, char *buf, size_t size)
{
    buf[0] = '\0';
    if (diag == NULL)
        return false;
    if (strstr(diag, "Server not found in Kerberos database") != NULL)
        unknown_service(host, dc_name, buf, size);
    else if (strstr(diag, "Clock skew too great") != NULL)
        snprintf(buf, size,
                 "our clock and the KDC's differ by more than Kerberos allows (5 minutes by default): "
                 "synchronise this host's clock with the domain's (chrony, w32tm /resync on the DC)");
    else if (strstr(diag, "Ticket expired") != NULL || strstr(diag, "No Kerberos credentials") != NULL)
        snprintf(buf, size,
                 "our Kerberos credentials are missing or expired: run kinit again, or give --keytab");
    else if (strstr(diag, "Cannot contact any KDC") != NULL || strstr(diag, "Cannot find KDC") != NULL)
        snprintf(buf, size,
                 "no KDC could be reached for the ticket to ldap/%s: check the realm's kdc entries in "
                 "krb5.conf, or its DNS SRV records _kerberos._tcp",
                 host);
    else if (strstr(diag, "KDC has no support for encryption type") != NULL)
        snprintf(buf, size,
                 "the KDC and the domain controller's account ldap/%s share no encryption type: allow AES "
                 "in krb5.conf's permitted_enctypes, or give the account AES keys",
                 host);
    return buf[0] != '\0';
}

void
sa_hint_unresolved(const char *host, const char *why, char *buf, size_t size)
{
    snprintf(buf, size,
             "the name %s does not resolve (%s): check its spelling, and that this host asks the "
             "domain's DNS servers",
             host, why);
}

void
sa_hint_no_srv(const char *domain, const char *qname, char *buf, size_t size)
{
    snprintf(buf, size,
             "no domain controller found for %s: DNS has no SRV record %s, and %s did not answer as "
             "a domain controller: check the domain's name, or name a domain controller with --server",
             domain, qname, domain);
}

void
sa_hint_prepend(char *message, size_t size, const char *uri, const char *hint)
{
    char raw[1024];
    const char *rest = message;
    size_t n = uri != NULL ? strlen(uri) : 0;

    if (uri != NULL && strncmp(message, uri, n) == 0 && strncmp(message + n, ": ", 2) == 0)
        rest = message + n + 2;
    snprintf(raw, sizeof(raw), "%s", rest);
    if (uri != NULL)
        snprintf(message, size, "%s: %s (%s)", uri, hint, raw);
    else
        snprintf(message, size, "%s (%s)", hint, raw);
}
