/* principal.c - the name --principal gives, as Kerberos wants it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/principal.h"
#include "spnaudit/strv.h"

/* s upper-cased, malloc'd; NULL on out of memory. */
static char *
upper(const char *s)
{
    char *u = strdup(s);

    for (char *p = u; p != NULL && *p != '\0'; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}

static bool
has_lower(const char *s)
{
    for (; *s != '\0'; s++) {
        if (islower((unsigned char)*s))
            return true;
    }
    return false;
}

/* user@realm with a realm in lower (or mixed) case: refused with the
 * upper-case form. */
static sa_status
lower_case_realm(const char *given, const char *at, sa_error *err)
{
    char *realm = upper(at + 1);

    if (realm == NULL)
        return sa_error_nomem(err);
    sa_error_set(err, SA_ERR_USAGE,
                 "--principal %s: Kerberos realms are upper case (an Active Directory realm is its DNS "
                 "domain in capitals): use --principal %.*s@%s",
                 given, (int)(at - given), given, realm);
    free(realm);
    return SA_ERR_USAGE;
}

/* DOMAIN\user: user@default_realm when DOMAIN is that realm's first
 * label, as CONTOSO is CONTOSO.TEST's. */
static sa_status
windows_form(const char *given, const char *slash, const char *default_realm, char **out, sa_error *err)
{
    const char *user = slash + 1;
    size_t domain_len = (size_t)(slash - given);
    const char *dot = default_realm ? strchr(default_realm, '.') : NULL;
    size_t label_len = default_realm == NULL ? 0
                       : dot                 ? (size_t)(dot - default_realm)
                                             : strlen(default_realm);

    if (*user == '\0' || strchr(user, '\\') != NULL || strchr(user, '@') != NULL)
        return sa_error_set(err, SA_ERR_USAGE,
                            "--principal %s: not a user name: give user@REALM, or DOMAIN\\user with one "
                            "backslash",
                            given);
    if (default_realm == NULL || domain_len != label_len || strncasecmp(given, default_realm, label_len) != 0)
        return sa_error_set(err, SA_ERR_USAGE,
                            "--principal %s: %.*s is a Windows (NetBIOS) domain name, and the default realm "
                            "of krb5.conf is %s%s: Kerberos names the user %s@REALM, REALM being the "
                            "domain's DNS name in capitals: use --principal %s@REALM",
                            given, (int)domain_len, given, default_realm ? default_realm : "not set",
                            default_realm ? ", another domain" : "", user, user);
    *out = sa_strdup_printf("%s@%s", user, default_realm);
    return *out != NULL ? SA_OK : sa_error_nomem(err);
}

sa_status
sa_principal_from_option(const char *given, const char *default_realm, char **out, sa_error *err)
{
    const char *at = strrchr(given, '@'), *slash = strchr(given, '\\');

    *out = NULL;
    if (slash != NULL && at == NULL)
        return windows_form(given, slash, default_realm, out, err);
    if (at != NULL && has_lower(at + 1))
        return lower_case_realm(given, at, err);
    *out = strdup(given);
    return *out != NULL ? SA_OK : sa_error_nomem(err);
}
