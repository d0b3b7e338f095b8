/* versions.h - the versions of the libraries spnaudit runs with. */
#ifndef SPNAUDIT_VERSIONS_H
#define SPNAUDIT_VERSIONS_H

#include <stdio.h>

/* One line per library, each saying where its version comes from: asked
 * of the library at run time (libldap, Cyrus SASL, json-c), or the
 * version built with and the file loaded (MIT krb5 and libinih have no
 * run-time query).  0, or -1 when out could not be written. */
int sa_versions_print(FILE *out);

#endif
