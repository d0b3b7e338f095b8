/* dir_internal.h - what the directory's files share (not installed): the
 * connection, LDAP error messages, attribute values, the paged search. */
#ifndef SPNAUDIT_DIR_INTERNAL_H
#define SPNAUDIT_DIR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <ldap.h>

#include "spnaudit/directory.h"

struct sa_dir {
    LDAP *ld;
    char *uri;
    char *base_dn;
    char *dns_domain;
    char *netbios;
    char *config_nc; /* configurationNamingContext, or NULL */
    char *bind;      /* how we are bound, for reports */
    bool gc;         /* a Global Catalog connection */
    int ssf;
    bool have_skew;
    long skew; /* DC clock minus ours, seconds */
    int page_size;
    int size_limit;
    int timeout;
    bool silent; /* gave no answer within timeout once: not asked again */
};

/* The server's diagnostic message of the last operation (ldap_memfree
 * it), or NULL. */
char *sa_ldap_diagnostic(LDAP *ld);

/* Set err to "URI: <LDAP text> while <doing> (server said: ...)", with
 * server_diag, else the connection's diagnostic; returns status. */
sa_status sa_ldap_failure(sa_error *err, sa_status status, LDAP *ld, int rc, const char *uri,
                          const char *doing, const char *server_diag);

/* The host part of an LDAP URI, for messages ("" when it has none). */
void sa_uri_host(const char *uri, char *host, size_t size);

/* After a failed SASL GSSAPI bind on d (diag: the SASL diagnostic): the
 * cause and what to do, before err's message (dir_hints.c). */
void sa_dir_hint_gssapi(sa_dir *d, const char *diag, sa_error *err);
/* After the DC of uri did not answer: whether its name resolves, and if
 * not, that first in err's message. */
void sa_dir_hint_unreachable(const char *uri, sa_error *err);

/* A value as a malloc'd C string, each NUL byte in it replaced by U+FFFD
 * (a NUL would end the string: "MSOMHSvc/ms01.contoso.test<NUL>x" would
 * pass for the real SPN); NULL on out of memory. */
char *sa_ldap_text(const struct berval *bv);

/* The first value of attr of entry e, malloc'd in *out (NULL if none);
 * false on out of memory. */
bool sa_ldap_first_value(LDAP *ld, LDAPMessage *e, const char *attr, char **out);

/* The first value of attr as AD's 32-bit integer: *has tells whether
 * there was a valid one; false on out of memory. */
bool sa_ldap_int_value(LDAP *ld, LDAPMessage *e, const char *attr, bool *has, unsigned *value);

/* A filter for the accounts holding an SPN of one of the n service
 * classes (escaped), malloc'd; NULL on out of memory. */
char *sa_spn_class_filter(const char *const *classes, size_t n);

/* contoso.test -> DC=contoso,DC=test, malloc'd; NULL on out of memory. */
char *sa_dns_domain_to_dn(const char *domain);

/* Called with each entry of a search, as it arrives. */
typedef sa_status (*sa_dir_entry_fn)(sa_dir *d, LDAPMessage *entry, void *data, sa_error *err);

typedef struct sa_dir_query {
    const char *base;
    int scope;
    const char *filter;
    char **attrs;
    const char *what; /* for messages: "searching <what> under <base>" */
    sa_dir_entry_fn fn;
    void *data;
    /* For a search that looks for one thing, or NULL: once fn sets *stop,
     * the rest is abandoned and the search ends with SA_OK.  fn bounds
     * it (--size-limit does not apply). */
    const bool *stop;
    /* The base may not exist (a container only some domains have): no
     * such object is an empty result, not an error. */
    bool base_may_be_missing;
} sa_dir_query;

/* Read one object (base scope) with attrs and ctrls (NULL: none) into
 * *res, within the timeout; a DC that gave no answer before in this run
 * is not asked (each read would wait the whole timeout again), and one
 * that gives none now is marked so.  Failing, status with "URI: why while
 * doing" in err. */
sa_status sa_dir_read_object(sa_dir *d, const char *dn, char **attrs, LDAPControl **ctrls, const char *doing,
                             sa_status status, LDAPMessage **res, sa_error *err);

/* Run one search, page by page when paging is on, handing each entry to
 * q->fn as it arrives.  A cut-short search is SA_ERR_INCOMPLETE; one
 * stopped by q->stop is not. */
sa_status sa_dir_paged_search(sa_dir *d, const sa_dir_query *q, sa_search_stats *stats, sa_error *err);
/* The same under "rdn,<the domain's DN>" (q->base ignored). */
sa_status sa_dir_search_under(sa_dir *d, const char *rdn, sa_dir_query *q, sa_search_stats *stats,
                              sa_error *err);

#endif
