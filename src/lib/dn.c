/* dn.c - distinguished names and DNS names: a domain's DN and back, the
 * domain an object lies in, referrals to partitions without accounts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dir_internal.h"

char *
sa_dn_to_dns_domain(const char *dn)
{
    char *out = NULL, *p;
    const char *s = dn;
    size_t len = 0;

    if (dn == NULL)
        return NULL;
    out = calloc(1, strlen(dn) + 1);
    if (out == NULL)
        return NULL;
    p = out;
    while (*s) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        while (*s == ' ')
            s++, n--;
        if (n > 3 && strncasecmp(s, "DC=", 3) == 0) {
            if (len > 0)
                *p++ = '.';
            memcpy(p, s + 3, n - 3);
            p += n - 3;
            len++;
        } else {
            free(out);
            return NULL;
        }
        s = end ? end + 1 : s + n;
    }
    *p = '\0';
    if (len == 0) {
        free(out);
        return NULL;
    }
    return out;
}

char *
sa_dn_domain_of(const char *dn)
{
    const char *p = dn;

    if (dn == NULL)
        return NULL;
    /* the first RDN that starts the run of DC= parts up to the end */
    while (p != NULL && *p) {
        if (strncasecmp(p, "DC=", 3) == 0) {
            char *domain = sa_dn_to_dns_domain(p);
            if (domain != NULL)
                return domain;
        }
        /* the next RDN: after an unescaped comma */
        while (*p && *p != ',') {
            if (*p == '\\' && p[1] != '\0')
                p++;
            p++;
        }
        if (*p == ',')
            p++;
        while (*p == ' ')
            p++;
    }
    return NULL;
}

char *
sa_dns_domain_to_dn(const char *domain)
{
    size_t labels = 1;
    char *out, *p;

    for (const char *s = domain; *s; s++)
        labels += *s == '.';
    out = malloc(strlen(domain) + labels * 4 + 1);
    if (out == NULL)
        return NULL;
    p = out;
    p += sprintf(p, "DC=");
    for (const char *s = domain; *s; s++) {
        if (*s == '.')
            p += sprintf(p, ",DC=");
        else
            *p++ = *s;
    }
    *p = '\0';
    return out;
}

bool
sa_referral_is_infrastructure(const char *url)
{
    static const char *const prefixes[] = {
        "CN=Configuration,",
        "CN=Schema,",
        "DC=DomainDnsZones,",
        "DC=ForestDnsZones,",
    };
    const char *dn = strstr(url, "://");

    dn = dn ? strchr(dn + 3, '/') : NULL;
    if (dn == NULL)
        return false;
    dn++;
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        if (strncasecmp(dn, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    }
    return false;
}
