/* formats_fixture.h - the hand-made reports the format tests render
 * (test_formats.c, test_monitoring.c). */
#ifndef SPNAUDIT_TEST_FORMATS_FIXTURE_H
#define SPNAUDIT_TEST_FORMATS_FIXTURE_H

#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/report.h"

typedef struct fixture {
    sa_accounts accounts;
    sa_tickets tickets;
    sa_findings findings;
    sa_server server;
    sa_report r;
} fixture;

static inline sa_finding *
add(sa_findings *list, sa_finding_kind kind, const char *subject, const char *server)
{
    sa_finding *f = sa_findings_add(list, kind, subject, server);

    ck_assert_ptr_nonnull(f);
    return f;
}

/* An empty, complete, clean report of contoso.test. */
static inline void
fixture_empty(fixture *x)
{
    memset(x, 0, sizeof(*x));
    x->server.fqdn = "ms01.contoso.test";
    strcpy(x->server.netbios, "MS01");
    x->server.account = -1;
    x->r.domain = "contoso.test";
    x->r.realm = "CONTOSO.TEST";
    x->r.uri = "ldap://dc1.contoso.test";
    x->r.client = "admin@CONTOSO.TEST";
    x->r.accounts = &x->accounts;
    x->r.servers = &x->server;
    x->r.n_servers = 1;
    x->r.tickets = &x->tickets;
    x->r.findings = &x->findings;
    x->r.complete = true;
    x->r.seconds = 1.5;
    x->r.timestamp = 1700000000.25;
    x->r.exit_status = SA_EXIT_OK;
}

/* Three failures, a warning and an info, with odd characters in their
 * texts; two tickets tried, one of them refused, one not tried. */
static inline void
fixture_full(fixture *x, bool sort)
{
    sa_finding *f;
    sa_ticket *t;

    fixture_empty(x);
    f = add(&x->findings, SA_F_REFERRAL_NOT_FOLLOWED, "ldap://other/DC=x", NULL);
    f = add(&x->findings, SA_F_SDK_SPN_MISSING,
            "MSOMSdkSvc/\xc3\xbc"
            "berhost.contoso.test",
            "ms01.contoso.test");
    ck_assert(sa_finding_evidence(f, "a\rb"));
    f = add(&x->findings, SA_F_SPN_DUPLICATE, "MSOMHSvc/ms,07|x\nline", NULL);
    ck_assert(sa_finding_message(f, "pipe | and back\\slash"));
    f->change = "new";
    add(&x->findings, SA_F_SPN_MISSING, "MSOMHSvc/ms02.contoso.test", "ms02.contoso.test");
    f = add(&x->findings, SA_F_SPN_MISSING, "MSOMHSvc/ms01.contoso.test", "ms01.contoso.test");
    ck_assert(sa_finding_message(f, "no SPN, \"at all\""));
    ck_assert(sa_finding_fix_cmds(
        f, (sa_fix_cmd[]){{"setspn", {"-S", "A", "x"}, 3}, {"setspn", {"-S", "B", "x"}, 3}}, 2, NULL));
    if (sort)
        sa_findings_sort(&x->findings);
    ck_assert_ptr_nonnull(t = sa_tickets_add(&x->tickets, "MSOMHSvc/a"));
    t->tried = t->ok = true;
    ck_assert_ptr_nonnull(t = sa_tickets_add(&x->tickets, "MSOMHSvc/b"));
    t->tried = true;
    ck_assert_ptr_nonnull(sa_tickets_add(&x->tickets, "MSOMHSvc/c"));
    x->r.exit_status = SA_EXIT_FAILURE;
}

static inline void
fixture_clear(fixture *x)
{
    sa_findings_clear(&x->findings);
    sa_tickets_clear(&x->tickets);
}

/* What fn writes for r, as a string to free. */
static inline char *
render(int (*fn)(const sa_report *, FILE *), const sa_report *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(fn(r, out), 0);
    ck_assert_int_eq(fclose(out), 0);
    ck_assert_uint_eq(strlen(text), len);
    return text;
}

/* ------------------------------------------------------------ JSON */

/* got must be want; on a difference, the first differing lines of each
 * (Check cannot show a whole report). */
static inline void
assert_text_eq(const char *got, const char *want)
{
    size_t i = 0, line = 1, start = 0;

    while (got[i] != '\0' && got[i] == want[i]) {
        if (got[i++] == '\n') {
            line++;
            start = i;
        }
    }
    ck_assert_msg(got[i] == want[i], "line %zu differs:\n got: %.*s\nwant: %.*s", line,
                  (int)strcspn(got + start, "\n"), got + start, (int)strcspn(want + start, "\n"),
                  want + start);
}

typedef struct json_fixture {
    fixture x;
    sa_reach reach;
    sa_search_stats stats;
    sa_strv also_read;
    sa_findings old;          /* a baseline's findings */
    sa_report_scope was, now; /* the baseline's scope and the scope of now */
    sa_comparison cmp;
} json_fixture;

/* contoso.test, MSOMHSvc, tickets and reachability, and the servers. */
static inline void
scope_of(sa_report_scope *s, const char *const *servers)
{
    ck_assert(sa_strv_add(&s->domains, "contoso.test") && sa_strv_add(&s->service_classes, "MSOMHSvc"));
    for (size_t i = 0; servers[i] != NULL; i++)
        ck_assert(sa_strv_add(&s->servers, servers[i]));
    s->known = true;
    s->tickets = SA_SCOPE_TICKETS_ALL;
    s->reachability = true;
}

static inline sa_account *
add_account(sa_accounts *list, const char *dn, const char *sam, const char *dns_host, sa_account_kind kind)
{
    sa_account *a = sa_accounts_add(list);

    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(a->dn = strdup(dn));
    ck_assert(sam == NULL || (a->sam = strdup(sam)) != NULL);
    ck_assert(dns_host == NULL || (a->dns_host = strdup(dns_host)) != NULL);
    a->kind = kind;
    return a;
}

/* ms01, its computer account with three SPNs (a ticket issued, one
 * refused, one not tried), reachable by name but not on 5723; a user
 * account without sAMAccountName, userAccountControl or encryption types;
 * two findings, one of them with a quote, a backslash, a newline, a
 * control character and UTF-8 in its texts, the other with no texts. */
static inline void
json_fixture_make(json_fixture *j)
{
    sa_account *a;
    sa_ticket *t;
    sa_finding *f;

    memset(j, 0, sizeof(*j));
    fixture_empty(&j->x);
    a = add_account(&j->x.accounts, "CN=ms01,CN=Computers,DC=contoso,DC=test", "ms01$", "ms01.contoso.test",
                    SA_ACCT_COMPUTER);
    a->has_uac = a->has_enctypes = true;
    a->uac = 4096;
    a->enctypes = SA_ENC_AES128 | SA_ENC_AES256;
    ck_assert(sa_strv_add(&a->spns, "MSOMHSvc/ms01.contoso.test") && sa_strv_add(&a->spns, "MSOMHSvc/MS01") &&
              sa_strv_add(&a->spns, "MSOMSdkSvc/ms01.contoso.test"));
    a = add_account(&j->x.accounts, "CN=J\xc3\xbcrgen \\\"Ops\\\"\\, Team,CN=Users,DC=contoso,DC=test", NULL,
                    NULL, SA_ACCT_USER);
    ck_assert(sa_strv_add(&a->spns, "MSOMHSvc/legacy"));
    j->x.server.account = 0;

    ck_assert_ptr_nonnull(t = sa_tickets_add(&j->x.tickets, "MSOMHSvc/ms01.contoso.test"));
    t->tried = t->ok = true;
    t->kvno = 3;
    ck_assert_ptr_nonnull(t->enctype = strdup("aes256-cts-hmac-sha1-96"));
    ck_assert_ptr_nonnull(t->realm = strdup("CONTOSO.TEST"));
    ck_assert_ptr_nonnull(t = sa_tickets_add(&j->x.tickets, "MSOMHSvc/MS01"));
    t->tried = true;
    t->code = -1765328377;
    t->cause = SA_KC_SPN_UNKNOWN;
    ck_assert_ptr_nonnull(t->error = strdup("Server not found in Kerberos database"));
    ck_assert_ptr_nonnull(sa_tickets_add(&j->x.tickets, "MSOMSdkSvc/ms01.contoso.test"));
    sa_tickets_sort(&j->x.tickets);

    j->reach.host = "ms01.contoso.test";
    j->reach.resolved = true;
    strcpy(j->reach.address, "127.0.0.21");
    strcpy(j->reach.connect_error, "127.0.0.21:5723: Connection refused");
    j->x.r.reach = &j->reach;

    j->stats.entries = 2;
    j->stats.pages = 1;
    ck_assert(sa_strv_add(&j->stats.referrals, "ldap://contoso.test/CN=Configuration,DC=contoso,DC=test"));
    j->x.r.stats = &j->stats;
    ck_assert(sa_strv_add(&j->also_read, "fabrikam.test"));
    j->x.r.also_read = &j->also_read;
    j->x.r.bind = "SASL GSSAPI (Kerberos), sealed (SSF 256)";

    f = add(&j->x.findings, SA_F_SPN_MISSING,
            "MSOMHSvc/\xc3\xbc"
            "ber\x01host",
            "ms01.contoso.test");
    ck_assert(sa_finding_message(f, "no \"SPN\" for C:\\ms01\nat all"));
    ck_assert(sa_finding_fix_cmds(f,
                                  (sa_fix_cmd[]){{"setspn", {"-S", "MSOMHSvc/ms01", "ms01"}, 3},
                                                 {"setspn", {"-S", "MSOMHSvc/ms01.contoso.test", "it's"}, 3}},
                                  2, "then restart"));
    add(&j->x.findings, SA_F_SPN_STALE, "MSOMHSvc/legacy", NULL);
    j->x.r.exit_status = SA_EXIT_FAILURE;
}

/* ------------------------------------------------------------ many servers */

#define FLEET_MAX 20

/* A management group of n servers (at most FLEET_MAX) in contoso.test,
 * as an audit with 20 --ms gives it: ms01 ... each with its computer
 * account, both MSOMHSvc SPNs and their tickets (every third server's
 * short SPN refused); every second server with a duplicate SPN (long
 * message and evidence, a dsacls fix longer than any line) and missing
 * SDK SPNs (a fix in words); ms04 not judged, ms05 a gateway, the last
 * one under a name too long for the overview's column. */
typedef struct fleet {
    fixture x;
    sa_server servers[FLEET_MAX];
    char names[FLEET_MAX][64];
} fleet;

static inline void
fleet_server(fleet *f, size_t i)
{
    char spn_fq[96], spn_nb[32], dn[128], sam[32];
    sa_server *s = &f->servers[i];
    sa_account *a;
    sa_ticket *t;
    sa_finding *g;

    snprintf(f->names[i], sizeof(f->names[i]), "ms%02zu.%scontoso.test", i + 1,
             i == FLEET_MAX - 1 ? "a-long-subdomain.northamerica." : "");
    s->fqdn = f->names[i];
    snprintf(s->netbios, sizeof(s->netbios), "MS%02zu", i + 1);
    s->account = (long)f->x.accounts.n;
    s->gateway = i == 4;
    s->not_judged = i == 3;
    snprintf(dn, sizeof(dn), "CN=ms%02zu,OU=Management-Servers,OU=Tier0,DC=contoso,DC=test", i + 1);
    snprintf(sam, sizeof(sam), "ms%02zu$", i + 1);
    snprintf(spn_fq, sizeof(spn_fq), "MSOMHSvc/%s", s->fqdn);
    snprintf(spn_nb, sizeof(spn_nb), "MSOMHSvc/%s", s->netbios);
    a = add_account(&f->x.accounts, dn, sam, s->fqdn, SA_ACCT_COMPUTER);
    ck_assert(sa_strv_add(&a->spns, spn_fq) && sa_strv_add(&a->spns, spn_nb));
    ck_assert_ptr_nonnull(t = sa_tickets_add(&f->x.tickets, spn_fq));
    t->tried = t->ok = true;
    t->kvno = 2;
    ck_assert_ptr_nonnull(t->enctype = strdup("aes256-cts-hmac-sha1-96"));
    ck_assert_ptr_nonnull(t->session_enctype = strdup("aes256-cts-hmac-sha1-96"));
    ck_assert_ptr_nonnull(t = sa_tickets_add(&f->x.tickets, spn_nb));
    t->tried = true;
    t->ok = i % 3 != 0;
    t->kvno = 2;
    if (t->ok)
        ck_assert_ptr_nonnull(t->enctype = strdup("aes256-cts-hmac-sha1-96"));
    else
        ck_assert_ptr_nonnull(t->error = strdup("Server not found in Kerberos database"));
    if (i % 2 == 1 || i == 3)
        return;
    g = add(&f->x.findings, SA_F_SPN_DUPLICATE, spn_fq, s->fqdn);
    ck_assert(sa_finding_message(g,
                                 "%s is held by two accounts: the KDC cannot tell which key to use and "
                                 "agents fail with KRB_AP_ERR_MODIFIED or KDC_ERR_S_PRINCIPAL_UNKNOWN",
                                 spn_fq));
    ck_assert(
        sa_finding_evidence(g,
                            "held by %s and by "
                            "CN=old-%s,OU=Decommissioned-Servers,OU=Retired,OU=Legacy,DC=contoso,DC=test",
                            dn, sam));
    ck_assert(sa_finding_fix_cmds(g,
                                  &(sa_fix_cmd){"dsacls",
                                                {dn, "/G",
                                                 "SELF:WS;Validated write to service "
                                                 "principal name"},
                                                3},
                                  1, "(and remove the SPN from the old account)"));
    g = add(&f->x.findings, SA_F_SDK_SPN_MISSING, "MSOMSdkSvc/x", s->fqdn);
    ck_assert(sa_finding_fix(g,
                             "register MSOMSdkSvc/%s and MSOMSdkSvc/%s on the account the SDK service "
                             "(System Center Data Access) runs as, with setspn -S",
                             s->fqdn, s->netbios));
}

static inline void
fleet_make(fleet *f, size_t n)
{
    memset(f, 0, sizeof(*f));
    fixture_empty(&f->x);
    for (size_t i = 0; i < n; i++)
        fleet_server(f, i);
    add(&f->x.findings, SA_F_SPN_STALE, "MSOMHSvc/oldagent.contoso.test", NULL);
    sa_findings_sort(&f->x.findings);
    sa_tickets_sort(&f->x.tickets);
    f->x.r.servers = f->servers;
    f->x.r.n_servers = n;
    f->x.r.exit_status = SA_EXIT_FAILURE;
}

static inline void
fleet_clear(fleet *f)
{
    sa_accounts_clear(&f->x.accounts);
    fixture_clear(&f->x);
}

/* The fixture's findings against a baseline of ms01, ms02 and ms07, now
 * of ms01 and ms02 only: SPN_MISSING of ms01 new, SPN_STALE persisting,
 * DNS_RESOLUTION_FAILED of ms02 fixed, TCP_CONNECT_FAILED of ms07 not
 * compared. */
static inline void
json_fixture_compare(json_fixture *j)
{
    static const char *const was[] = {"ms01.contoso.test", "ms02.contoso.test", "ms07.contoso.test", NULL};
    static const char *const now[] = {"ms01.contoso.test", "ms02.contoso.test", NULL};
    sa_coverage cov_was = {&j->was, true}, cov_now = {&j->now, true};
    sa_error err = {SA_OK, ""};

    scope_of(&j->was, was);
    scope_of(&j->now, now);
    add(&j->old, SA_F_DNS_RESOLUTION_FAILED, "ms02.contoso.test", "ms02.contoso.test");
    add(&j->old, SA_F_SPN_STALE, "MSOMHSvc/legacy", NULL);
    add(&j->old, SA_F_TCP_CONNECT_FAILED, "ms07.contoso.test", "ms07.contoso.test");
    ck_assert_int_eq(sa_baseline_compare(&j->old, cov_was, &j->x.findings, cov_now, &j->cmp, &err), SA_OK);
    j->x.r.baseline_file = "/var/lib/spnaudit/latest.json";
    j->x.r.baseline_generated = "2024-05-01T02:15:00Z";
    j->x.r.comparison = &j->cmp;
    j->x.r.scope = &j->now;
}

static inline void
json_fixture_clear(json_fixture *j)
{
    sa_accounts_clear(&j->x.accounts);
    sa_strv_clear(&j->stats.referrals);
    sa_strv_clear(&j->also_read);
    sa_findings_clear(&j->old);
    sa_report_scope_clear(&j->was);
    sa_report_scope_clear(&j->now);
    sa_comparison_clear(&j->cmp);
    fixture_clear(&j->x);
}

#endif
