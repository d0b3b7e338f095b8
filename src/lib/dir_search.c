/* dir_search.c - searching the directory: paged searches that stream
 * entries and never truncate silently; LDAP error messages and values. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dir_internal.h"
#include "spnaudit/display.h"
#include "spnaudit/range.h"

char *
sa_ldap_diagnostic(LDAP *ld)
{
    char *msg = NULL;

    if (ld == NULL || ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &msg) != LDAP_OPT_SUCCESS)
        return NULL;
    /* libldap's placeholder after a failed TLS handshake says nothing */
    if (msg != NULL && (*msg == '\0' || strcmp(msg, "(unknown error code)") == 0)) {
        ldap_memfree(msg);
        msg = NULL;
    }
    return msg;
}

sa_status
sa_ldap_failure(sa_error *err, sa_status status, LDAP *ld, int rc, const char *uri, const char *doing,
                const char *server_diag)
{
    char *diag = server_diag ? NULL : sa_ldap_diagnostic(ld);
    const char *text = server_diag ? server_diag : diag;

    sa_error_set(err, status, "%s: %s while %s%s%s%s", uri, ldap_err2string(rc), doing,
                 text ? " (server said: " : "", text ? text : "", text ? ")" : "");
    ldap_memfree(diag);
    return status;
}

char *
sa_ldap_text(const struct berval *bv)
{
    return sa_text_from_bytes(bv->bv_val, bv->bv_len);
}

bool
sa_ldap_first_value(LDAP *ld, LDAPMessage *e, const char *attr, char **out)
{
    struct berval **vals = ldap_get_values_len(ld, e, attr);
    bool ok = true;

    *out = NULL;
    if (vals != NULL && vals[0] != NULL) {
        *out = sa_ldap_text(vals[0]);
        ok = *out != NULL;
    }
    ldap_value_free_len(vals);
    return ok;
}

bool
sa_ldap_int_value(LDAP *ld, LDAPMessage *e, const char *attr, bool *has, unsigned *value)
{
    char *s = NULL, *end = NULL;
    long long v;

    *has = false;
    if (!sa_ldap_first_value(ld, e, attr, &s))
        return false;
    if (s != NULL) {
        errno = 0;
        v = strtoll(s, &end, 10);
        /* AD stores these as signed 32-bit integers. */
        if (errno == 0 && end != s && *end == '\0' && v >= INT32_MIN && v <= UINT32_MAX) {
            *value = (unsigned)(uint32_t)v;
            *has = true;
        }
        free(s);
    }
    return true;
}

char *
sa_ldap_filter_value(const char *value)
{
    struct berval in = {0, NULL}, esc = {0, NULL};
    char *out;

    in.bv_val = (char *)value;
    in.bv_len = strlen(value);
    if (ldap_bv2escaped_filter_value(&in, &esc) != 0)
        return NULL;
    /* libldap gives no buffer for an empty value */
    out = strdup(esc.bv_val != NULL ? esc.bv_val : "");
    ber_memfree(esc.bv_val);
    return out;
}

/* One paged search under way. */
typedef struct page_run {
    sa_dir *d;
    const sa_dir_query *q;
    sa_search_stats *stats;
    const char *doing;     /* "searching <what> under <base>" */
    struct berval *cookie; /* the server's, for the next page; NULL: none */
    int msgid;             /* of the page's request */
    sa_page_walk walk;     /* what the DC sent so far, bounded */
    size_t in_page;        /* entries and references of the page under way */
} page_run;

/* Count one entry or reference: an error past SA_PAGE_MAX_ENTRIES. */
static sa_status
count_entry(page_run *p, sa_error *err)
{
    if (sa_page_entry(&p->walk) == SA_PAGE_GO_ON) {
        p->in_page++;
        return SA_OK;
    }
    ldap_abandon_ext(p->d->ld, p->msgid, NULL, NULL);
    return sa_error_set(err, SA_ERR_INCOMPLETE, "%s: more than %u entries while %s: stopped", p->d->uri,
                        SA_PAGE_MAX_ENTRIES, p->doing);
}

/* Note the referrals urls in the statistics (each one a finding): more
 * than SA_PAGE_MAX_REFERRALS distinct ones stop the search. */
static sa_status
add_referrals(page_run *p, char **urls, sa_error *err)
{
    for (size_t i = 0; urls != NULL && urls[i] != NULL; i++) {
        if (p->stats->referrals.n >= SA_PAGE_MAX_REFERRALS &&
            !sa_strv_contains_ci(&p->stats->referrals, urls[i]))
            return sa_error_set(err, SA_ERR_INCOMPLETE, "%s: more than %d referrals while %s: stopped",
                                p->d->uri, SA_PAGE_MAX_REFERRALS, p->doing);
        if (!sa_strv_add_unique_ci(&p->stats->referrals, urls[i]))
            return sa_error_nomem(err);
    }
    return SA_OK;
}

/* Send the request for the next page (the first without a cookie). */
static sa_status
send_page(page_run *p, sa_error *err)
{
    sa_dir *d = p->d;
    LDAPControl *page = NULL, *ctrls[2] = {NULL, NULL};
    struct timeval tv = {d->timeout, 0};
    int rc;

    if (d->page_size > 0) {
        rc = ldap_create_page_control(d->ld, (ber_int_t)d->page_size, p->cookie, 1, &page);
        if (rc != LDAP_SUCCESS)
            return sa_ldap_failure(err, SA_ERR_SYSTEM, d->ld, rc, d->uri,
                                   "creating the paged results control", NULL);
        ctrls[0] = page;
    }
    rc = ldap_search_ext(d->ld, p->q->base, p->q->scope, p->q->filter, p->q->attrs, 0, page ? ctrls : NULL,
                         NULL, &tv, d->size_limit, &p->msgid);
    ldap_control_free(page);
    if (rc != LDAP_SUCCESS)
        return sa_ldap_failure(err, rc == LDAP_SERVER_DOWN ? SA_ERR_INCOMPLETE : SA_ERR_DIRECTORY, d->ld, rc,
                               d->uri, p->doing, NULL);
    p->stats->pages++;
    return SA_OK;
}

/* An entry: handed to the query's function, within the size limit. */
static sa_status
take_entry(page_run *p, LDAPMessage *msg, sa_error *err)
{
    sa_dir *d = p->d;
    sa_status ret = count_entry(p, err);

    if (ret != SA_OK)
        return ret;
    if (p->q->stop == NULL && d->size_limit > 0 && p->stats->entries >= (size_t)d->size_limit) {
        /* Some servers (Samba) ignore the size limit: enforce it here,
         * with the answer a server that honours it gives. */
        ldap_abandon_ext(d->ld, p->msgid, NULL, NULL);
        return sa_error_set(err, SA_ERR_INCOMPLETE,
                            "%s: %s while %s; the search was cut short after %zu entries (--size-limit %d)",
                            d->uri, ldap_err2string(LDAP_SIZELIMIT_EXCEEDED), p->doing, p->stats->entries,
                            d->size_limit);
    }
    ret = p->q->fn(d, msg, p->q->data, err);
    if (ret == SA_OK)
        p->stats->entries++;
    return ret;
}

/* Has the query's function found what it looked for?  Then the rest is
 * abandoned, and no next page asked for. */
static bool
stopped(page_run *p)
{
    if (p->q->stop == NULL || !*p->q->stop)
        return false;
    ldap_abandon_ext(p->d->ld, p->msgid, NULL, NULL);
    ber_bvfree(p->cookie);
    p->cookie = NULL;
    return true;
}

/* A continuation reference: noted in the statistics, not followed. */
static sa_status
take_reference(page_run *p, LDAPMessage *msg, sa_error *err)
{
    char **refs = NULL;
    sa_status ret = count_entry(p, err);

    if (ret == SA_OK && ldap_parse_reference(p->d->ld, msg, &refs, NULL, 0) == LDAP_SUCCESS)
        ret = add_referrals(p, refs, err);
    ber_memvfree((void **)refs);
    return ret;
}

/* The cookie for the next page, from the paged results control of a
 * page's result; p->cookie is NULL after the last page. */
static sa_status
next_cookie(page_run *p, LDAPControl **resp_ctrls, sa_error *err)
{
    sa_dir *d = p->d;
    LDAPControl *pr;
    ber_int_t estimate = 0;
    struct berval c = {0, NULL};
    sa_status ret = SA_OK;

    ber_bvfree(p->cookie);
    p->cookie = NULL;
    if (d->page_size <= 0)
        return SA_OK;
    pr = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, resp_ctrls, NULL);
    if (pr == NULL) /* The server ignored paging and sent everything. */
        return SA_OK;
    if (ldap_parse_pageresponse_control(d->ld, pr, &estimate, &c) != LDAP_SUCCESS)
        return sa_error_set(err, SA_ERR_DIRECTORY, "%s: malformed paged results control while %s", d->uri,
                            p->doing);
    if (c.bv_len > 0 && (p->cookie = ber_bvdup(&c)) == NULL)
        ret = sa_error_nomem(err);
    ber_memfree(c.bv_val);
    return ret;
}

/* The result that ends a page: a search cut short, a referral, an error,
 * or success and the cookie for the next page. */
static sa_status
take_result(page_run *p, LDAPMessage *msg, sa_error *err)
{
    sa_dir *d = p->d;
    LDAPControl **resp_ctrls = NULL;
    char *matched = NULL, *diag = NULL, **refs = NULL, *after = NULL;
    sa_status ret = SA_ERR_DIRECTORY;
    int code = LDAP_OTHER, rc;

    rc = ldap_parse_result(d->ld, msg, &code, &matched, &diag, &refs, &resp_ctrls, 0);
    if (rc != LDAP_SUCCESS) {
        ret = sa_ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, p->doing, NULL);
        goto cleanup;
    }
    if (code == LDAP_SIZELIMIT_EXCEEDED || code == LDAP_TIMELIMIT_EXCEEDED ||
        code == LDAP_ADMINLIMIT_EXCEEDED) {
        after =
            sa_strdup_printf("%s; the search was cut short after %zu entries", p->doing, p->stats->entries);
        ret = sa_ldap_failure(err, SA_ERR_INCOMPLETE, d->ld, code, d->uri, after ? after : p->doing, diag);
    } else if (code == LDAP_REFERRAL) {
        sa_error more = {SA_OK, ""}; /* the referral is the error */
        add_referrals(p, refs, &more);
        ret = sa_ldap_failure(err, SA_ERR_DIRECTORY, d->ld, code, d->uri, p->doing,
                              refs && refs[0] ? refs[0] : diag);
    } else if (code == LDAP_NO_SUCH_OBJECT && p->q->base_may_be_missing) {
        ret = SA_OK; /* nothing there: no next page */
    } else if (code != LDAP_SUCCESS) {
        ret = sa_ldap_failure(err, SA_ERR_DIRECTORY, d->ld, code, d->uri, p->doing, diag);
    } else {
        ret = next_cookie(p, resp_ctrls, err);
    }
cleanup:
    free(after);
    ldap_controls_free(resp_ctrls);
    ber_memvfree((void **)refs);
    ldap_memfree(matched);
    ldap_memfree(diag);
    return ret;
}

/* Read the messages of the page requested, up to its result. */
static sa_status
read_page(page_run *p, sa_error *err)
{
    sa_dir *d = p->d;
    LDAPMessage *msg = NULL;
    sa_status ret = SA_OK;
    bool done = false;

    while (ret == SA_OK && !done) {
        struct timeval tv = {d->timeout, 0};
        int result = ldap_result(d->ld, p->msgid, LDAP_MSG_ONE, &tv, &msg);

        if (result == 0) {
            ldap_abandon_ext(d->ld, p->msgid, NULL, NULL);
            d->silent = true;
            ret =
                sa_error_set(err, SA_ERR_INCOMPLETE, "%s: no answer within %d s while %s (after %zu entries)",
                             d->uri, d->timeout, p->doing, p->stats->entries);
        } else if (result < 0) {
            int lerr = LDAP_OTHER;
            ldap_get_option(d->ld, LDAP_OPT_RESULT_CODE, &lerr);
            ret = sa_ldap_failure(err, SA_ERR_INCOMPLETE, d->ld, lerr, d->uri, p->doing, NULL);
        } else if (result == LDAP_RES_SEARCH_ENTRY) {
            ret = take_entry(p, msg, err);
            done = ret == SA_OK && stopped(p);
        } else if (result == LDAP_RES_SEARCH_REFERENCE) {
            ret = take_reference(p, msg, err);
        } else if (result == LDAP_RES_SEARCH_RESULT) {
            ret = take_result(p, msg, err);
            done = true;
        }
        ldap_msgfree(msg);
        msg = NULL;
    }
    return ret;
}

sa_status
sa_dir_read_object(sa_dir *d, const char *dn, char **attrs, LDAPControl **ctrls, const char *doing,
                   sa_status status, LDAPMessage **res, sa_error *err)
{
    struct timeval tv = {d->timeout, 0};
    int rc;

    *res = NULL;
    if (d->silent)
        return sa_error_set(err, status,
                            "%s: not asked again while %s: it gave no answer within %d s earlier "
                            "in this run",
                            d->uri, doing, d->timeout);
    rc = ldap_search_ext_s(d->ld, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, ctrls, NULL, &tv, 0, res);
    if (rc == LDAP_SUCCESS)
        return SA_OK;
    ldap_msgfree(*res);
    *res = NULL;
    if (rc == LDAP_TIMEOUT) {
        d->silent = true;
        return sa_error_set(err, status, "%s: no answer within %d s while %s", d->uri, d->timeout, doing);
    }
    return sa_ldap_failure(err, status, d->ld, rc, d->uri, doing, NULL);
}

sa_status
sa_dir_paged_search(sa_dir *d, const sa_dir_query *q, sa_search_stats *stats, sa_error *err)
{
    page_run p = {d, q, stats, NULL, NULL, -1, {0, 0, 0}, 0};
    char *doing = sa_strdup_printf("searching %s under %s", q->what, q->base);
    sa_status ret;

    if (doing == NULL)
        return sa_error_nomem(err);
    if (d->silent) { /* each step would wait the whole timeout again */
        ret = sa_error_set(err, SA_ERR_INCOMPLETE,
                           "%s: not asked again while %s: it gave no answer within %d s earlier in this run",
                           d->uri, doing, d->timeout);
        free(doing);
        return ret;
    }
    p.doing = doing;
    do {
        ret = send_page(&p, err);
        if (ret == SA_OK)
            ret = read_page(&p, err);
        if (ret == SA_OK && p.cookie != NULL && sa_page_end(&p.walk, p.in_page) != SA_PAGE_GO_ON)
            ret = sa_error_set(err, SA_ERR_INCOMPLETE,
                               "%s: the DC sent %d pages in a row without an entry while %s: stopped", d->uri,
                               SA_PAGE_MAX_EMPTY, doing);
        p.in_page = 0;
    } while (ret == SA_OK && p.cookie != NULL);
    ber_bvfree(p.cookie);
    free(doing);
    return ret;
}

sa_status
sa_dir_search_under(sa_dir *d, const char *rdn, sa_dir_query *q, sa_search_stats *stats, sa_error *err)
{
    char *base = sa_strdup_printf("%s,%s", rdn, d->base_dn);
    sa_status ret;

    if (base == NULL)
        return sa_error_nomem(err);
    q->base = base;
    ret = sa_dir_paged_search(d, q, stats, err);
    q->base = NULL;
    free(base);
    return ret;
}

void
sa_search_stats_clear(sa_search_stats *stats)
{
    sa_strv_clear(&stats->referrals);
    memset(stats, 0, sizeof(*stats));
}
