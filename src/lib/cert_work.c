/* cert_work.c - the certificate work of a path Kerberos cannot carry: what
 * each side needs, in the tool's words with the hosts' names, for trusts
 * and plan to list under a "certificates" verdict. */
#include <stdlib.h>
#include <string.h>

#include "spnaudit/cert.h"

/* What OpsMgr accepts, as the checks of cert_checks.c hold it to. */
#define WHAT_CERT                                                                                            \
    "a certificate with Server and Client Authentication in its enhanced key usage, the host's FQDN as "     \
    "subject CN (and as the first DNS name when there is a subject alternative name), an exportable RSA "    \
    "key of 2048 bits or more in a legacy CryptoAPI CSP (Microsoft Enhanced RSA and AES Cryptographic "      \
    "Provider) for key exchange"

/* "a, b and c" of list, or the fallback words when it is empty. */
static char *
names(const sa_strv *list, const char *fallback)
{
    char *head, *all;

    if (list == NULL || list->n == 0)
        return strdup(fallback);
    if (list->n == 1)
        return strdup(list->items[0]);
    head = sa_strv_join(&(sa_strv){list->items, list->n - 1, list->n - 1}, ", ");
    all = head ? sa_strdup_printf("%s and %s", head, list->items[list->n - 1]) : NULL;
    free(head);
    return all;
}

bool
sa_cert_work(const char *clients, const sa_strv *servers, const char *servers_domain, sa_strv *out)
{
    char *fallback = sa_strdup_printf("each management server of %s", servers_domain);
    char *them = fallback ? names(servers, fallback) : NULL;
    char *lines[4] = {NULL, NULL, NULL, NULL};
    bool ok = them != NULL;

    if (ok) {
        lines[0] = sa_strdup_printf("on %s and on %s: %s", clients, them, WHAT_CERT);
        lines[1] = sa_strdup_printf("the chain of the CA that issues them in the Trusted Root Certification "
                                    "Authorities store of the computer account, on %s and on %s",
                                    clients, them);
        lines[2] =
            sa_strdup_printf("each certificate imported with MOMCertImport.exe on its own host, then the "
                             "Health Service restarted (net stop healthservice, net start healthservice)");
        lines[3] =
            sa_strdup_printf("before that, each exported PFX checked: spnaudit cert --host FQDN FILE.pfx");
    }
    for (size_t i = 0; i < 4; i++) {
        ok = ok && lines[i] != NULL && sa_strv_add(out, lines[i]);
        free(lines[i]);
    }
    free(them);
    free(fallback);
    return ok;
}

bool
sa_cert_work_of(sa_cert_work_clients kind, const char *name, const sa_strv *servers,
                const char *servers_domain, sa_strv *out)
{
    char *clients =
        sa_strdup_printf(kind == SA_CERT_WORK_AGENTS ? "each agent of %s" : "the gateway %s", name);
    bool ok = clients != NULL && sa_cert_work(clients, servers, servers_domain, out);

    free(clients);
    return ok;
}
