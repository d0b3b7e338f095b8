/* versions.c - the versions of the libraries spnaudit runs with. */
#include <dlfcn.h>
#include <graphviz/cgraph.h>
#include <ini.h>
#include <json-c/json.h>
#include <krb5.h>
#include <ldap.h>
#include <sasl/sasl.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "spnaudit/display.h"
#include "spnaudit/versions.h"

/* libldap's own answer: "2.5.13 (OpenLDAP, run time)". */
static void
print_ldap(FILE *out)
{
    LDAPAPIInfo info = {.ldapai_info_version = LDAP_API_INFO_VERSION};
    int v;

    if (ldap_get_option(NULL, LDAP_OPT_API_INFO, &info) != LDAP_OPT_SUCCESS) {
        fprintf(out, "  libldap      unknown (LDAP_OPT_API_INFO refused)\n");
        return;
    }
    v = info.ldapai_vendor_version;
    fprintf(out, "  libldap      %d.%d.%d (", v / 10000, v / 100 % 100, v % 100);
    sa_show_printf(out, "%s", info.ldapai_vendor_name ? info.ldapai_vendor_name : "?");
    fprintf(out, ", run time)\n");
    ldap_memfree(info.ldapai_vendor_name);
    ldap_memvfree((void **)info.ldapai_extensions);
}

/* A library with no run-time query: the version built with, and the file
 * the dynamic linker loaded symbol from. */
static void
print_built(FILE *out, const char *label, const char *built, const char *why, void *symbol)
{
    Dl_info dl;
    char *path = NULL;

    fprintf(out, "  %-12s %s (built with: %s)\n", label, built, why);
    if (dladdr(symbol, &dl) == 0 || dl.dli_fname == NULL)
        return;
    path = realpath(dl.dli_fname, NULL);
    sa_show_printf(out, "               loaded from %s\n", path ? path : dl.dli_fname);
    free(path);
}

int
sa_versions_print(FILE *out)
{
    const char *sasl_impl = NULL, *sasl_version = NULL;

    print_ldap(out);
    sasl_version_info(&sasl_impl, &sasl_version, NULL, NULL, NULL, NULL);
    sa_show_printf(out, "  libsasl2     %s (%s, run time)\n", sasl_version ? sasl_version : "?",
                   sasl_impl ? sasl_impl : "?");
    sa_show_printf(out, "  json-c       %s (run time)\n", json_c_version());
    print_built(out, "libkrb5", SPNAUDIT_KRB5_BUILT, "MIT krb5 has no run-time version query",
                (void *)krb5_init_context);
    print_built(out, "libinih", SPNAUDIT_INIH_BUILT, "libinih has no run-time version query",
                (void *)ini_parse_string);
    print_built(out, "libcgraph", SPNAUDIT_CGRAPH_BUILT, "libcgraph has no run-time version query",
                (void *)agopen);
    return ferror(out) ? -1 : 0;
}
