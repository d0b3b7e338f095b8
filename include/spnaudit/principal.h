/* principal.h - the name --principal gives, as Kerberos wants it.  Pure
 * logic: the caller passes krb5.conf's default realm. */
#ifndef SPNAUDIT_PRINCIPAL_H
#define SPNAUDIT_PRINCIPAL_H

#include "spnaudit/error.h"

/* The principal to log in as, malloc'd in *out: user@REALM and user (the
 * default realm) as given; DOMAIN\user, as Windows writes it, as
 * user@DEFAULT_REALM when DOMAIN is the first label of default_realm
 * (CONTOSO\administrator -> administrator@CONTOSO.TEST).  SA_ERR_USAGE,
 * with the form to use instead, for a realm with lower-case letters
 * (realms are upper case), a DOMAIN that is not the default realm's, and
 * a DOMAIN\user without a user.  default_realm may be NULL. */
sa_status sa_principal_from_option(const char *given, const char *default_realm, char **out, sa_error *err);

#endif
