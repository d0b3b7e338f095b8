/* account_name.c - an account as a person names it: name, name$,
 * DOMAIN\name or name@domain, matched against what the directory holds. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/account.h"

/* Characters a sAMAccountName may not hold (and the separators). */
#define NOT_IN_SAM "\"/\\[]:;|=,+*?<>@"

/* Copy [s, s+len) into out (size bytes); false when empty or too long. */
static bool
copy_part(const char *s, size_t len, char *out, size_t size)
{
    if (len == 0 || len >= size)
        return false;
    memcpy(out, s, len);
    out[len] = '\0';
    return true;
}

bool
sa_account_name_parse(const char *in, sa_account_name *out)
{
    const char *sep = strchr(in, '\\'), *at = strrchr(in, '@');
    bool ok;

    memset(out, 0, sizeof(*out));
    if (sep != NULL && at == NULL)
        ok = copy_part(in, (size_t)(sep - in), out->domain, sizeof(out->domain)) &&
             copy_part(sep + 1, strlen(sep + 1), out->sam, sizeof(out->sam));
    else if (at != NULL && sep == NULL)
        ok = copy_part(in, (size_t)(at - in), out->sam, sizeof(out->sam)) &&
             copy_part(at + 1, strlen(at + 1), out->domain, sizeof(out->domain));
    else
        ok = sep == NULL && copy_part(in, strlen(in), out->sam, sizeof(out->sam));
    ok = ok && strpbrk(out->sam, NOT_IN_SAM) == NULL && strpbrk(out->domain, NOT_IN_SAM) == NULL &&
         strspn(out->sam, " .") != strlen(out->sam);
    if (!ok)
        memset(out, 0, sizeof(*out));
    return ok;
}

bool
sa_account_name_in_domain(const sa_account_name *n, const char *dns_domain)
{
    size_t label;

    if (n->domain[0] == '\0')
        return true;
    if (dns_domain == NULL)
        return false;
    if (strchr(n->domain, '.') != NULL)
        return strcasecmp(n->domain, dns_domain) == 0;
    label = strcspn(dns_domain, ".");
    return strlen(n->domain) == label && strncasecmp(n->domain, dns_domain, label) == 0;
}

bool
sa_account_name_matches(const sa_account_name *n, const char *sam, const char *dns_domain)
{
    size_t len = strlen(n->sam);

    if (sam == NULL || !sa_account_name_in_domain(n, dns_domain))
        return false;
    if (strcasecmp(sam, n->sam) == 0)
        return true;
    /* "ms01" names the computer "ms01$" too */
    return n->sam[len - 1] != '$' && strncasecmp(sam, n->sam, len) == 0 && strcmp(sam + len, "$") == 0;
}
