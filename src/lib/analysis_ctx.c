/* analysis_ctx.c - what the rules ask of their input: which domain an
 * account or a host is judged in, which server an SPN names, how an account
 * is named in a fix line. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis_internal.h"
#include "spnaudit/domains.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/spn.h"

/* The domain an account is judged in (0 home, k other_domains[k - 1], -1
 * read only for duplicates). */
long
an_acct_dom(const ctx *c, size_t account)
{
    return sa_account_domain(&c->in->accounts->items[account], c->in->other_domains, c->in->n_other_domains);
}

/* The domain of an SPN's host as held by account: for a NetBIOS name,
 * the holder's; for an FQDN the longest read domain it is under (home
 * when the home domain's name is unknown), or -1. */
long
an_host_dom(const ctx *c, const char *host, size_t account)
{
    long best = -1;
    size_t best_len = 0;

    if (!sa_spn_host_is_fqdn(host))
        return an_acct_dom(c, account);
    if (c->in->home_dns == NULL)
        best = 0;
    else if (sa_name_under_domain(host, c->in->home_dns))
        best = 0, best_len = strlen(c->in->home_dns);
    for (size_t k = 0; k < c->in->n_other_domains; k++) {
        const char *d = c->in->other_domains[k].dns;
        if (sa_name_under_domain(host, d) && strlen(d) > best_len)
            best = (long)k + 1, best_len = strlen(d);
    }
    return best;
}

const char *
an_dom_netbios(const ctx *c, long d)
{
    return d == 0 ? c->in->netbios_domain : d > 0 ? c->in->other_domains[d - 1].netbios : NULL;
}

/* Domain d's DNS name, NULL when unknown. */
static const char *
dom_dns(const ctx *c, long d)
{
    return d == 0 ? c->in->home_dns : d > 0 ? c->in->other_domains[d - 1].dns : NULL;
}

const char *
an_dom_name(const ctx *c, long d)
{
    const char *n = dom_dns(c, d);
    return n ? n : "this domain";
}

const sa_strv *
an_dom_hosts_checked(const ctx *c, long d)
{
    return d == 0 ? c->in->hosts_checked : d > 0 ? c->in->other_domains[d - 1].hosts_checked : NULL;
}

bool
an_dom_incomplete(const ctx *c, long d)
{
    return d == 0 ? c->in->holders_incomplete : d > 0 ? c->in->other_domains[d - 1].holders_incomplete : true;
}

/* The expected server an SPN host names, as held by account. */
const sa_server *
an_server_for_ref(const ctx *c, const char *host, size_t account)
{
    const sa_account *a = &c->in->accounts->items[account];

    for (size_t i = 0; i < c->in->n_servers; i++) {
        if (sa_spn_host_is_server(a, host, &c->in->servers[i], c->in->other_domains, c->in->n_other_domains))
            return &c->in->servers[i];
    }
    return NULL;
}

/* The expected server host names in domain d. */
const sa_server *
an_server_in_domain(const ctx *c, const char *host, long d)
{
    for (size_t i = 0; i < c->in->n_servers; i++) {
        const sa_server *s = &c->in->servers[i];
        if (strcasecmp(s->fqdn, host) == 0 || (strcasecmp(s->netbios, host) == 0 && s->domain == d))
            return s;
    }
    return NULL;
}

const sa_server *
an_server_for_account(const ctx *c, size_t account)
{
    for (size_t i = 0; i < c->in->n_servers; i++) {
        if (c->in->servers[i].account == (long)account)
            return &c->in->servers[i];
    }
    return NULL;
}

const char *
an_server_name(const sa_server *s)
{
    return s ? s->fqdn : NULL;
}

/* "CONTOSO\name" for an account; the caller frees. */
char *
an_display(const ctx *c, size_t account)
{
    return sa_account_display(&c->in->accounts->items[account], c->in->netbios_domain);
}

/* A computer account of domain d for host, or -1. */
long
an_computer_in_domain(const ctx *c, const char *host, long d)
{
    for (size_t i = 0; i < c->in->accounts->n; i++) {
        const sa_account *a = &c->in->accounts->items[i];
        if (a->kind == SA_ACCT_COMPUTER && an_acct_dom(c, i) == d &&
            (sa_account_matches_host(a, host) || sa_account_named_in_domain(a, host, dom_dns(c, d))))
            return (long)i;
    }
    return -1;
}

/* "CONTOSO\HOST$" for the computer account of domain d that should hold
 * SPNs for host. */
char *
an_machine_display(const ctx *c, const char *host, long d)
{
    const sa_server *s = an_server_in_domain(c, host, d);
    const char *nbd = an_dom_netbios(c, d);
    long acct;
    char nb[16];

    if (s != NULL && s->account >= 0)
        return an_display(c, (size_t)s->account);
    if ((acct = an_computer_in_domain(c, host, d)) >= 0)
        return an_display(c, (size_t)acct);
    sa_netbios_from_fqdn(host, nb, sizeof(nb));
    if (nbd != NULL)
        return sa_strdup_printf("%s\\%s$", nbd, nb);
    return sa_strdup_printf("%s$", nb);
}

/* Does the Health Service run as Local System (its SPNs on the computer
 * account)? */
bool
an_hs_local(const ctx *c)
{
    return c->in->health_service_local_system || c->in->health_service == NULL ||
           sa_identity_is_local_system(c->in->health_service);
}

const sa_ticket *
an_ticket_for(const ctx *c, const char *spn, size_t account)
{
    return sa_ticket_for_holder(c->in->tickets, &c->in->accounts->items[account], spn);
}

bool
an_not_run(ctx *c, const char *checks, const char *server, const char *fmt, ...)
{
    va_list ap;
    char *text = NULL;
    bool ok;

    if (c->in->not_run == NULL)
        return true;
    va_start(ap, fmt);
    ok = vasprintf(&text, fmt, ap) >= 0;
    va_end(ap);
    ok = ok && sa_checks_not_run_note(c->in->not_run, checks, server, text);
    free(text);
    return ok;
}
