/* analysis_fixture.h - hand-made accounts, tickets and servers, and the
 * analysis run on them, for the rule tests (test_analysis.c,
 * test_values.c). */
#ifndef SPNAUDIT_TEST_ANALYSIS_FIXTURE_H
#define SPNAUDIT_TEST_ANALYSIS_FIXTURE_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/analysis.h"
#include "spnaudit/directory.h"

static sa_accounts accounts;
static sa_tickets tickets;
static sa_findings findings;
static sa_server *servers;
static sa_strv looked_up;        /* hosts looked up as computer accounts */
static sa_checks_not_run not_run; /* the checks analyse() could not run */
static const char *hs_identity;  /* the Health Service's account; NULL: Local System */
static const char *sdk_identity; /* the SDK service's (localsystem or DOMAIN\\account); NULL: unknown */

static inline void
setup(void)
{
    memset(&accounts, 0, sizeof(accounts));
    memset(&tickets, 0, sizeof(tickets));
    memset(&findings, 0, sizeof(findings));
    servers = NULL;
    hs_identity = NULL;
    sdk_identity = NULL;
}

static inline void
teardown(void)
{
    sa_strv_clear(&looked_up);
    sa_checks_not_run_clear(&not_run);
    sa_accounts_clear(&accounts);
    sa_tickets_clear(&tickets);
    sa_findings_clear(&findings);
    free(servers);
}

/* Add an account; the SPNs follow, NULL-terminated. */
static inline void
account(const char *sam, const char *dns, sa_account_kind kind, unsigned uac, ...)
{
    sa_account *a = sa_accounts_add(&accounts);
    va_list ap;
    const char *spn;

    ck_assert_ptr_nonnull(a);
    a->dn = sa_strdup_printf("CN=%.*s,CN=Computers,DC=contoso,DC=com", (int)strcspn(sam, "$"), sam);
    a->sam = strdup(sam);
    a->dns_host = dns ? strdup(dns) : NULL;
    a->kind = kind;
    a->has_uac = true;
    a->uac = uac;
    va_start(ap, uac);
    while ((spn = va_arg(ap, const char *)) != NULL)
        ck_assert(sa_strv_add(&a->spns, spn));
    va_end(ap);
}

static inline void
ticket_failed(const char *spn, long code, sa_krb_cause cause)
{
    sa_ticket *t = sa_tickets_add(&tickets, spn);

    ck_assert_ptr_nonnull(t);
    t->tried = true;
    t->ok = false;
    t->code = code;
    t->cause = cause;
    t->error = strdup("Server not found in Kerberos database");
}

static inline void
ticket_ok(const char *spn)
{
    sa_ticket *t = sa_tickets_add(&tickets, spn);

    ck_assert_ptr_nonnull(t);
    t->tried = true;
    t->ok = true;
    t->enctype = strdup("aes256-cts-hmac-sha1-96");
    t->kvno = 2;
}

/* Run the analysis for these expected servers (NULL-terminated). */
static inline void
analyse(int with_tickets, ...) /* int: va_start after a bool is undefined */
{
    const char *names[16];
    size_t n = 0;
    va_list ap;
    sa_analysis_input in;
    sa_error err = {SA_OK, ""};

    va_start(ap, with_tickets);
    while (n < 16 && (names[n] = va_arg(ap, const char *)) != NULL)
        n++;
    va_end(ap);
    ck_assert(sa_servers_match(&accounts, names, n, &servers));
    sa_tickets_sort(&tickets);
    sa_strv_clear(&looked_up);
    for (size_t i = 0; i < n; i++) /* the expected servers were looked up */
        ck_assert(sa_strv_add(&looked_up, names[i]));
    memset(&in, 0, sizeof(in));
    in.hosts_checked = &looked_up;
    in.accounts = &accounts;
    in.servers = servers;
    in.n_servers = n;
    in.tickets = with_tickets ? &tickets : NULL;
    in.netbios_domain = "CONTOSO";
    in.health_service_local_system = hs_identity == NULL;
    in.health_service = hs_identity;
    in.sdk_service = sdk_identity;
    in.check_sdk = true;
    sa_checks_not_run_clear(&not_run);
    in.not_run = &not_run;
    ck_assert_int_eq(sa_analyse(&in, &findings, &err), SA_OK);
}

static inline const sa_finding *
find(const char *code, const char *subject)
{
    for (size_t i = 0; i < findings.n; i++) {
        if (strcmp(findings.items[i].code, code) == 0 &&
            (subject == NULL || strcasecmp(findings.items[i].subject, subject) == 0))
            return &findings.items[i];
    }
    return NULL;
}

static inline size_t
count(const char *code)
{
    size_t n = 0;

    for (size_t i = 0; i < findings.n; i++)
        n += strcmp(findings.items[i].code, code) == 0;
    return n;
}

static inline bool
has_event(const sa_finding *f, int id)
{
    for (size_t i = 0; i < f->n_events; i++) {
        if (f->events[i] == id)
            return true;
    }
    return false;
}

#endif
