/* Unit tests: the report formats (JSON, CSV, Prometheus, Nagios, text) on
 * a hand-made report. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "config.h"
#include "spnaudit/report.h"

typedef struct fixture {
    sa_accounts accounts;
    sa_tickets tickets;
    sa_findings findings;
    sa_server server;
    sa_report r;
} fixture;

static sa_finding *
add(sa_findings *list, sa_finding_kind kind, const char *subject, const char *server)
{
    sa_finding *f = sa_findings_add(list, kind, subject, server);

    ck_assert_ptr_nonnull(f);
    return f;
}

/* An empty, complete, clean report of contoso.test. */
static void
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
static void
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
    ck_assert(sa_finding_fix(f, "setspn -S A\nsetspn -S B"));
    if (sort)
        sa_findings_sort(&x->findings);
    ck_assert_ptr_nonnull(t = sa_tickets_add(&x->tickets, "MSOMHSvc/a"));
    t->tried = t->ok = true;
    ck_assert_ptr_nonnull(t = sa_tickets_add(&x->tickets, "MSOMHSvc/b"));
    t->tried = true;
    ck_assert_ptr_nonnull(sa_tickets_add(&x->tickets, "MSOMHSvc/c"));
    x->r.exit_status = SA_EXIT_FAILURE;
}

static void
fixture_clear(fixture *x)
{
    sa_findings_clear(&x->findings);
    sa_tickets_clear(&x->tickets);
}

/* What fn writes for r, as a string to free. */
static char *
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
static void
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

static sa_account *
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
static void
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
    ck_assert(sa_finding_fix(f, "setspn -S MSOMHSvc/ms01 ms01\nsetspn -S MSOMHSvc/ms01.contoso.test ms01"));
    add(&j->x.findings, SA_F_SPN_STALE, "MSOMHSvc/legacy", NULL);
    j->x.r.exit_status = SA_EXIT_FAILURE;
}

static void
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

START_TEST(json_golden)
{
    json_fixture j;
    char *text;

    json_fixture_make(&j);
    text = render(sa_report_json, &j.x.r);
    assert_text_eq(
        text,
        "{\n"
        "  \"schema_version\": 1,\n"
        "  \"tool\": {\n"
        "    \"name\": \"spnaudit\",\n"
        "    \"version\": \"" SPNAUDIT_VERSION "\"\n"
        "  },\n"
        "  \"generated\": \"2023-11-14T22:13:20Z\",\n"
        "  \"domain\": \"contoso.test\",\n"
        "  \"realm\": \"CONTOSO.TEST\",\n"
        "  \"server\": \"ldap://dc1.contoso.test\",\n"
        "  \"bind\": \"SASL GSSAPI (Kerberos), sealed (SSF 256)\",\n"
        "  \"client\": \"admin@CONTOSO.TEST\",\n"
        "  \"complete\": true,\n"
        "  \"incomplete_reason\": null,\n"
        "  \"exit_status\": 2,\n"
        "  \"duration_seconds\": 1.5,\n"
        "  \"search\": {\n"
        "    \"referrals\": [\n"
        "      \"ldap://contoso.test/CN=Configuration,DC=contoso,DC=test\"\n"
        "    ],\n"
        "    \"entries\": 2,\n"
        "    \"pages\": 1\n"
        "  },\n"
        "  \"duplicates_also_looked_for_in\": [\n"
        "    \"fabrikam.test\"\n"
        "  ],\n"
        "  \"counts\": {\n"
        "    \"accounts\": 2,\n"
        "    \"spns\": 4,\n"
        "    \"tickets_requested\": 2,\n"
        "    \"tickets_refused\": 1,\n"
        "    \"failures\": 1,\n"
        "    \"warnings\": 1,\n"
        "    \"infos\": 0\n"
        "  },\n"
        "  \"management_servers\": [\n"
        "    {\n"
        "      \"reachability\": {\n"
        "        \"port\": 5723,\n"
        "        \"resolved\": true,\n"
        "        \"address\": \"127.0.0.21\",\n"
        "        \"connected\": false,\n"
        "        \"error\": \"127.0.0.21:5723: Connection refused\"\n"
        "      },\n"
        "      \"fqdn\": \"ms01.contoso.test\",\n"
        "      \"role\": \"management_server\",\n"
        "      \"netbios\": \"MS01\",\n"
        "      \"judged\": true,\n"
        "      \"account\": \"CN=ms01,CN=Computers,DC=contoso,DC=test\",\n"
        "      \"spns\": [\n"
        "        {\n"
        "          \"spn\": \"MSOMHSvc/MS01\",\n"
        "          \"account\": \"CN=ms01,CN=Computers,DC=contoso,DC=test\",\n"
        "          \"sam_account_name\": \"ms01$\",\n"
        "          \"kind\": \"computer\",\n"
        "          \"ticket\": {\n"
        "            \"tried\": true,\n"
        "            \"ok\": false,\n"
        "            \"error_code\": -1765328377,\n"
        "            \"error\": \"Server not found in Kerberos database\",\n"
        "            \"cause\": \"TICKET_SPN_UNKNOWN\"\n"
        "          }\n"
        "        },\n"
        "        {\n"
        "          \"spn\": \"MSOMHSvc/ms01.contoso.test\",\n"
        "          \"account\": \"CN=ms01,CN=Computers,DC=contoso,DC=test\",\n"
        "          \"sam_account_name\": \"ms01$\",\n"
        "          \"kind\": \"computer\",\n"
        "          \"ticket\": {\n"
        "            \"tried\": true,\n"
        "            \"ok\": true,\n"
        "            \"enctype\": \"aes256-cts-hmac-sha1-96\",\n"
        "            \"session_enctype\": null,\n"
        "            \"kvno\": 3,\n"
        "            \"realm\": \"CONTOSO.TEST\"\n"
        "          }\n"
        "        },\n"
        "        {\n"
        "          \"spn\": \"MSOMSdkSvc/ms01.contoso.test\",\n"
        "          \"account\": \"CN=ms01,CN=Computers,DC=contoso,DC=test\",\n"
        "          \"sam_account_name\": \"ms01$\",\n"
        "          \"kind\": \"computer\",\n"
        "          \"ticket\": {\n"
        "            \"tried\": false,\n"
        "            \"ok\": false\n"
        "          }\n"
        "        }\n"
        "      ]\n"
        "    }\n"
        "  ],\n"
        "  \"findings\": [\n"
        "    {\n"
        "      \"code\": \"SPN_MISSING\",\n"
        "      \"severity\": \"failure\",\n"
        "      \"subject\": \"MSOMHSvc/\xc3\xbc"
        "ber\\u0001host\",\n"
        "      \"server\": \"ms01.contoso.test\",\n"
        "      \"message\": \"no \\\"SPN\\\" for C:\\\\ms01\\nat all\",\n"
        "      \"evidence\": null,\n"
        "      \"fix\": \"setspn -S MSOMHSvc/ms01 ms01\\nsetspn -S MSOMHSvc/ms01.contoso.test ms01\",\n"
        "      \"events\": [\n"
        "        20057,\n"
        "        21001,\n"
        "        21035\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"code\": \"SPN_STALE\",\n"
        "      \"severity\": \"warning\",\n"
        "      \"subject\": \"MSOMHSvc/legacy\",\n"
        "      \"server\": null,\n"
        "      \"message\": null,\n"
        "      \"evidence\": null,\n"
        "      \"fix\": null,\n"
        "      \"events\": [\n"
        "      ]\n"
        "    }\n"
        "  ],\n"
        "  \"accounts\": [\n"
        "    {\n"
        "      \"dn\": \"CN=ms01,CN=Computers,DC=contoso,DC=test\",\n"
        "      \"sam_account_name\": \"ms01$\",\n"
        "      \"dns_host_name\": \"ms01.contoso.test\",\n"
        "      \"kind\": \"computer\",\n"
        "      \"disabled\": false,\n"
        "      \"user_account_control\": 4096,\n"
        "      \"supported_encryption_types\": 24,\n"
        "      \"spns\": [\n"
        "        \"MSOMHSvc/ms01.contoso.test\",\n"
        "        \"MSOMHSvc/MS01\",\n"
        "        \"MSOMSdkSvc/ms01.contoso.test\"\n"
        "      ]\n"
        "    },\n"
        "    {\n"
        "      \"dn\": \"CN=J\xc3\xbcrgen \\\\\\\"Ops\\\\\\\"\\\\, Team,CN=Users,DC=contoso,DC=test\",\n"
        "      \"sam_account_name\": null,\n"
        "      \"dns_host_name\": null,\n"
        "      \"kind\": \"user\",\n"
        "      \"disabled\": false,\n"
        "      \"user_account_control\": null,\n"
        "      \"supported_encryption_types\": null,\n"
        "      \"spns\": [\n"
        "        \"MSOMHSvc/legacy\"\n"
        "      ]\n"
        "    }\n"
        "  ]\n"
        "}\n");
    free(text);
    json_fixture_clear(&j);
}
END_TEST

/* The report written, parsed back with json-c. */
static json_object *
render_json(const sa_report *r)
{
    char *text = render(sa_report_json, r);
    json_object *doc = json_tokener_parse(text);

    free(text);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

/* o's member key, which must be there (a JSON null is NULL). */
static json_object *
member(json_object *o, const char *key)
{
    json_object *v = NULL;

    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member \"%s\"", key);
    return v;
}

/* The names of o's members in order, space-separated, must be want. */
static void
assert_keys(json_object *o, const char *want)
{
    char got[512] = "";

    json_object_object_foreach(o, key, val)
    {
        (void)val;
        if (got[0] != '\0')
            strcat(got, " ");
        ck_assert_uint_lt(strlen(got) + strlen(key), sizeof(got) - 1);
        strcat(got, key);
    }
    ck_assert_str_eq(got, want);
}

START_TEST(json_odd_characters_come_back_intact)
{
    json_fixture j;
    json_object *doc, *f;

    json_fixture_make(&j);
    doc = render_json(&j.x.r);
    f = json_object_array_get_idx(member(doc, "findings"), 0);
    ck_assert_str_eq(json_object_get_string(member(f, "subject")), j.x.findings.items[0].subject);
    ck_assert_str_eq(json_object_get_string(member(f, "message")), "no \"SPN\" for C:\\ms01\nat all");
    ck_assert_str_eq(json_object_get_string(member(f, "fix")), j.x.findings.items[0].fix);
    ck_assert_ptr_null(member(f, "evidence"));
    ck_assert_str_eq(
        json_object_get_string(member(json_object_array_get_idx(member(doc, "accounts"), 1), "dn")),
        j.x.accounts.items[1].dn);
    json_object_put(doc);
    json_fixture_clear(&j);
}
END_TEST

START_TEST(json_incomplete_without_tickets_or_reachability)
{
    json_fixture j;
    json_object *doc, *s, *e;

    json_fixture_make(&j);
    j.x.r.domain = j.x.r.realm = j.x.r.bind = NULL;
    j.x.r.complete = false;
    j.x.r.incomplete_reason = "ldap://dc1.contoso.test:1389: Can't contact LDAP server";
    j.x.r.exit_status = SA_EXIT_INCOMPLETE;
    j.x.r.tickets = NULL;
    j.x.r.reach = NULL;
    j.x.r.stats = NULL;
    j.x.r.also_read = NULL;
    j.x.r.timestamp = 0; /* not known: no "generated" */
    doc = render_json(&j.x.r);
    assert_keys(doc,
                "schema_version tool domain realm server bind client complete incomplete_reason exit_status "
                "duration_seconds search duplicates_also_looked_for_in counts management_servers findings "
                "accounts");
    ck_assert_ptr_null(member(doc, "domain"));
    ck_assert_ptr_null(member(doc, "realm"));
    ck_assert_ptr_null(member(doc, "bind"));
    ck_assert(!json_object_get_boolean(member(doc, "complete")));
    ck_assert_str_eq(json_object_get_string(member(doc, "incomplete_reason")), j.x.r.incomplete_reason);
    ck_assert_int_eq(json_object_get_int(member(doc, "exit_status")), 3);
    ck_assert_int_eq(json_object_get_int(member(member(doc, "search"), "entries")), 0);
    ck_assert_uint_eq(json_object_array_length(member(member(doc, "search"), "referrals")), 0);
    ck_assert_uint_eq(json_object_array_length(member(doc, "duplicates_also_looked_for_in")), 0);
    ck_assert_int_eq(json_object_get_int(member(member(doc, "counts"), "tickets_requested")), 0);
    s = json_object_array_get_idx(member(doc, "management_servers"), 0);
    assert_keys(s, "fqdn role netbios judged account spns");
    e = json_object_array_get_idx(member(s, "spns"), 0);
    assert_keys(e, "spn account sam_account_name kind ticket");
    ck_assert_ptr_null(member(e, "ticket"));
    json_object_put(doc);
    json_fixture_clear(&j);
}
END_TEST

/* contoso.test, MSOMHSvc, tickets and reachability, and the servers. */
static void
scope_of(sa_report_scope *s, const char *const *servers)
{
    ck_assert(sa_strv_add(&s->domains, "contoso.test") && sa_strv_add(&s->service_classes, "MSOMHSvc"));
    for (size_t i = 0; servers[i] != NULL; i++)
        ck_assert(sa_strv_add(&s->servers, servers[i]));
    s->known = true;
    s->tickets = SA_SCOPE_TICKETS_ALL;
    s->reachability = true;
}

/* The fixture's findings against a baseline of ms01, ms02 and ms07, now
 * of ms01 and ms02 only: SPN_MISSING of ms01 new, SPN_STALE persisting,
 * DNS_RESOLUTION_FAILED of ms02 fixed, TCP_CONNECT_FAILED of ms07 not
 * compared. */
static void
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

START_TEST(json_baseline_marks_and_fixed)
{
    json_fixture j;
    json_object *doc, *b, *f, *c;

    json_fixture_make(&j);
    json_fixture_compare(&j);
    doc = render_json(&j.x.r);
    b = member(doc, "baseline");
    assert_keys(
        b, "file generated new persisting fixed not_compared not_compared_now scope_known scope_changes");
    ck_assert_str_eq(json_object_get_string(member(b, "file")), "/var/lib/spnaudit/latest.json");
    ck_assert_str_eq(json_object_get_string(member(b, "generated")), "2024-05-01T02:15:00Z");
    ck_assert_int_eq(json_object_get_int(member(b, "new")), 1);
    ck_assert_int_eq(json_object_get_int(member(b, "persisting")), 1);
    ck_assert_int_eq(json_object_get_int(member(b, "fixed")), 1);
    ck_assert_int_eq(json_object_get_int(member(b, "not_compared")), 1);
    ck_assert_int_eq(json_object_get_int(member(b, "not_compared_now")), 0);
    ck_assert(json_object_get_boolean(member(b, "scope_known")));
    /* the scope's one change: ms07 no longer audited */
    ck_assert_uint_eq(json_object_array_length(member(b, "scope_changes")), 1);
    c = json_object_array_get_idx(member(b, "scope_changes"), 0);
    assert_keys(c, "what removed added");
    ck_assert_str_eq(json_object_get_string(member(c, "what")), "servers");
    ck_assert_str_eq(json_object_to_json_string(member(c, "removed")), "[ \"ms07.contoso.test\" ]");
    ck_assert_uint_eq(json_object_array_length(member(c, "added")), 0);
    f = json_object_array_get_idx(member(doc, "findings"), 0);
    assert_keys(f, "code severity subject server message evidence fix change events");
    ck_assert_str_eq(json_object_get_string(member(f, "change")), "new");
    ck_assert_str_eq(
        json_object_get_string(member(json_object_array_get_idx(member(doc, "findings"), 1), "change")),
        "persisting");
    ck_assert_uint_eq(json_object_array_length(member(doc, "fixed")), 1);
    f = json_object_array_get_idx(member(doc, "fixed"), 0);
    assert_keys(f, "code severity subject server message evidence fix events");
    ck_assert_str_eq(json_object_get_string(member(f, "code")), "DNS_RESOLUTION_FAILED");
    ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(member(f, "events"), 0)), 21005);
    /* ms07's finding: in its own list, with why, not among the fixed */
    ck_assert_uint_eq(json_object_array_length(member(doc, "not_compared")), 1);
    f = json_object_array_get_idx(member(doc, "not_compared"), 0);
    assert_keys(f, "code severity subject server message evidence fix why_not_compared events");
    ck_assert_str_eq(json_object_get_string(member(f, "code")), "TCP_CONNECT_FAILED");
    ck_assert_str_eq(json_object_get_string(member(f, "why_not_compared")),
                     "ms07.contoso.test: not audited now");
    json_object_put(doc);

    /* A baseline that did not say when it was generated. */
    j.x.r.baseline_generated = NULL;
    doc = render_json(&j.x.r);
    assert_keys(member(doc, "baseline"),
                "file new persisting fixed not_compared not_compared_now scope_known scope_changes");
    json_object_put(doc);
    json_fixture_clear(&j);
}
END_TEST

/* The text: the scope near the top, then the changes, one line a group
 * not compared; a finding of now not compared is marked so. */
START_TEST(text_scope_and_changes)
{
    json_fixture j;
    char *text;
    const char *scope, *changes, *server;

    json_fixture_make(&j);
    json_fixture_compare(&j);
    ck_assert(sa_checks_not_run_add(&j.now.checks_not_run, "SPN_SELF_WRITE_DENIED", "ms01.contoso.test",
                                    "the DACL could not be read"));
    j.x.findings.items[1].change = SA_CHANGE_NOT_COMPARED;
    text = render(sa_report_text, &j.x.r);
    scope = strstr(text,
                   "\nScope: domain contoso.test\n"
                   "  management servers: ms01.contoso.test, ms02.contoso.test\n"
                   "  gateways: none\n"
                   "  service classes: MSOMHSvc; tickets: for every SPN; reachability: checked\n"
                   "Not checked: SPN_SELF_WRITE_DENIED for ms01.contoso.test: the DACL could not be read\n");
    changes = strstr(text, "\nChanges since baseline /var/lib/spnaudit/latest.json: 1 new, 1 fixed, 0 "
                           "persisting, 2 not compared\n"
                           "Scope changed:\n"
                           "  servers no longer audited: ms07.contoso.test\n"
                           "New:\n");
    server = strstr(text, "\nManagement server ms01.contoso.test");
    ck_assert_msg(scope != NULL, "no scope in:\n%s", text);
    ck_assert_msg(changes != NULL, "no changes in:\n%s", text);
    ck_assert(scope < changes && changes < server);
    ck_assert_ptr_nonnull(strstr(changes, "\nFixed:\n  FAILURE DNS_RESOLUTION_FAILED  ms02.contoso.test "
                                          "(ms02.contoso.test)\n"));
    ck_assert_ptr_nonnull(strstr(changes,
                                 "\nNot compared:\n"
                                 "  1 finding of the baseline: ms07.contoso.test: not audited now\n"));
    ck_assert_ptr_nonnull(strstr(text, "MSOMHSvc/legacy  (not compared)\n"));
    free(text);
    json_fixture_clear(&j);
}
END_TEST

/* scope and checks_not_run: what the audit covered, in JSON. */
START_TEST(json_scope_and_checks_not_run)
{
    static const char *const servers[] = {"ms01.contoso.test", NULL};
    json_fixture j;
    json_object *doc, *s, *c;

    json_fixture_make(&j);
    scope_of(&j.now, servers);
    ck_assert(sa_strv_add(&j.now.gateways, "gw01.fabrikam.test"));
    ck_assert(sa_strv_add(&j.now.other_domains, "fabrikam.test"));
    j.now.forest = true;
    j.now.tickets = SA_SCOPE_TICKETS_NONE;
    ck_assert(sa_checks_not_run_add(&j.now.checks_not_run, "SPN_SELF_WRITE_DENIED", NULL, "run incomplete"));
    j.x.r.scope = &j.now;
    doc = render_json(&j.x.r);
    s = member(doc, "scope");
    assert_keys(s, "domains other_domains forest servers gateways service_classes tickets reachability");
    ck_assert_str_eq(json_object_to_json_string(member(s, "domains")), "[ \"contoso.test\" ]");
    ck_assert_str_eq(json_object_to_json_string(member(s, "other_domains")), "[ \"fabrikam.test\" ]");
    ck_assert_str_eq(json_object_to_json_string(member(s, "servers")), "[ \"ms01.contoso.test\" ]");
    ck_assert_str_eq(json_object_to_json_string(member(s, "gateways")), "[ \"gw01.fabrikam.test\" ]");
    ck_assert_str_eq(json_object_to_json_string(member(s, "service_classes")), "[ \"MSOMHSvc\" ]");
    ck_assert(json_object_get_boolean(member(s, "forest")));
    ck_assert(json_object_get_boolean(member(s, "reachability")));
    ck_assert_str_eq(json_object_get_string(member(s, "tickets")), "none");
    ck_assert_uint_eq(json_object_array_length(member(doc, "checks_not_run")), 1);
    c = json_object_array_get_idx(member(doc, "checks_not_run"), 0);
    assert_keys(c, "check server why");
    ck_assert_str_eq(json_object_get_string(member(c, "check")), "SPN_SELF_WRITE_DENIED");
    ck_assert(json_object_is_type(member(c, "server"), json_type_null));
    ck_assert_str_eq(json_object_get_string(member(c, "why")), "run incomplete");
    json_object_put(doc);
    json_fixture_clear(&j);
}
END_TEST

START_TEST(json_without_baseline_has_no_marks)
{
    json_fixture j;
    json_object *doc;

    json_fixture_make(&j);
    doc = render_json(&j.x.r);
    ck_assert(!json_object_object_get_ex(doc, "baseline", NULL));
    ck_assert(!json_object_object_get_ex(doc, "fixed", NULL));
    assert_keys(json_object_array_get_idx(member(doc, "findings"), 0),
                "code severity subject server message evidence fix events");
    json_object_put(doc);
    json_fixture_clear(&j);
}
END_TEST

/* ------------------------------------------------------------ CSV */

START_TEST(csv_golden)
{
    fixture x;
    char *text;

    fixture_full(&x, true);
    text = render(sa_report_csv, &x.r);
    ck_assert_str_eq(text, "severity,code,server,subject,events,message,evidence,fix,change\r\n"
                           "failure,SPN_MISSING,ms01.contoso.test,MSOMHSvc/ms01.contoso.test,20057 21001 "
                           "21035,\"no SPN, \"\"at all\"\"\",,\"setspn -S A\nsetspn -S B\",\r\n"
                           "failure,SPN_MISSING,ms02.contoso.test,MSOMHSvc/ms02.contoso.test,20057 21001 "
                           "21035,,,,\r\n"
                           "failure,SPN_DUPLICATE,,\"MSOMHSvc/ms,07|x\nline\",21001 21016,pipe | and "
                           "back\\slash,,,new\r\n"
                           "warning,SDK_SPN_MISSING,ms01.contoso.test,MSOMSdkSvc/\xc3\xbc"
                           "berhost.contoso.test,26371,,\"a\rb\",,\r\n"
                           "info,REFERRAL_NOT_FOLLOWED,,ldap://other/DC=x,,,,,\r\n");
    free(text);
    fixture_clear(&x);
}
END_TEST

START_TEST(csv_empty_is_the_header)
{
    fixture x;
    char *text;

    fixture_empty(&x);
    text = render(sa_report_csv, &x.r);
    ck_assert_str_eq(text, "severity,code,server,subject,events,message,evidence,fix,change\r\n");
    free(text);
}
END_TEST

/* ------------------------------------------------------------ Prometheus */

static const char prom_tail[] =
    "# HELP spnaudit_tickets_tried Service tickets requested.\n"
    "# TYPE spnaudit_tickets_tried gauge\n"
    "spnaudit_tickets_tried{domain=\"contoso.test\"} 2\n"
    "# HELP spnaudit_tickets_failed Service tickets the KDC refused.\n"
    "# TYPE spnaudit_tickets_failed gauge\n"
    "spnaudit_tickets_failed{domain=\"contoso.test\"} 1\n"
    "# HELP spnaudit_duration_seconds How long the audit took.\n"
    "# TYPE spnaudit_duration_seconds gauge\n"
    "spnaudit_duration_seconds{domain=\"contoso.test\"} 1.500\n"
    "# HELP spnaudit_audit_complete 1 when the audit read and checked everything, else 0.\n"
    "# TYPE spnaudit_audit_complete gauge\n"
    "spnaudit_audit_complete{domain=\"contoso.test\"} 1\n"
    "# HELP spnaudit_exit_status The audit's exit status: 0 clean, 1 warnings, 2 failures, 3 incomplete.\n"
    "# TYPE spnaudit_exit_status gauge\n"
    "spnaudit_exit_status{domain=\"contoso.test\"} 2\n"
    "# HELP spnaudit_last_run_timestamp_seconds When the audit ended, in seconds since the epoch.\n"
    "# TYPE spnaudit_last_run_timestamp_seconds gauge\n"
    "spnaudit_last_run_timestamp_seconds{domain=\"contoso.test\"} 1700000000.250\n"
    "# HELP spnaudit_last_success_timestamp_seconds When the last complete audit ended, in seconds since "
    "the epoch.\n"
    "# TYPE spnaudit_last_success_timestamp_seconds gauge\n"
    "spnaudit_last_success_timestamp_seconds{domain=\"contoso.test\"} 1700000000.250\n";

START_TEST(prometheus_golden)
{
    fixture x;
    char *text, *expected;

    fixture_full(&x, false); /* the order of the findings does not matter */
    text = render(sa_report_prometheus, &x.r);
    expected = malloc(4096);
    ck_assert_ptr_nonnull(expected);
    snprintf(expected, 4096, "%s%s",
             "# HELP spnaudit_findings Findings of the last audit, by code and severity.\n"
             "# TYPE spnaudit_findings gauge\n"
             "spnaudit_findings{domain=\"contoso.test\",code=\"REFERRAL_NOT_FOLLOWED\",severity=\"info\"} 1\n"
             "spnaudit_findings{domain=\"contoso.test\",code=\"SDK_SPN_MISSING\",severity=\"warning\"} 1\n"
             "spnaudit_findings{domain=\"contoso.test\",code=\"SPN_DUPLICATE\",severity=\"failure\"} 1\n"
             "spnaudit_findings{domain=\"contoso.test\",code=\"SPN_MISSING\",severity=\"failure\"} 2\n"
             "# HELP spnaudit_findings_total Findings of the last audit, by severity.\n"
             "# TYPE spnaudit_findings_total gauge\n"
             "spnaudit_findings_total{domain=\"contoso.test\",severity=\"info\"} 1\n"
             "spnaudit_findings_total{domain=\"contoso.test\",severity=\"warning\"} 1\n"
             "spnaudit_findings_total{domain=\"contoso.test\",severity=\"failure\"} 3\n",
             prom_tail);
    ck_assert_str_eq(text, expected);
    free(expected);
    free(text);
    fixture_clear(&x);
}
END_TEST

START_TEST(prometheus_escapes_label_values)
{
    fixture x;
    char *text;
    sa_finding *f;

    fixture_empty(&x);
    x.r.domain = "con\"to\\so\nx";
    f = add(&x.findings, SA_F_SPN_STALE, "MSOMHSvc/\xc3\xbc", NULL);
    f->code = "ODD,\"CODE\\\n";
    text = render(sa_report_prometheus, &x.r);
    ck_assert_ptr_nonnull(
        strstr(text, "\nspnaudit_findings{domain=\"con\\\"to\\\\so\\nx\",code=\"ODD,\\\"CODE\\\\\\n\","
                     "severity=\"warning\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_exit_status{domain=\"con\\\"to\\\\so\\nx\"} 0\n"));
    /* no raw line break inside a sample: every line is a comment or a sample */
    for (const char *line = text; *line != '\0'; line = strchr(line, '\n') + 1)
        ck_assert(line[0] == '#' || strncmp(line, "spnaudit_", 9) == 0);
    free(text);
    fixture_clear(&x);
}
END_TEST

START_TEST(prometheus_empty_and_incomplete)
{
    fixture x;
    char *text;

    fixture_empty(&x);
    x.r.complete = false;
    x.r.exit_status = SA_EXIT_INCOMPLETE;
    x.r.tickets = NULL;
    text = render(sa_report_prometheus, &x.r);
    ck_assert_ptr_null(strstr(text, "spnaudit_findings{"));
    ck_assert_ptr_nonnull(
        strstr(text, "\nspnaudit_findings_total{domain=\"contoso.test\",severity=\"info\"} 0\n"
                     "spnaudit_findings_total{domain=\"contoso.test\",severity=\"warning\"} 0\n"
                     "spnaudit_findings_total{domain=\"contoso.test\",severity=\"failure\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_tickets_tried{domain=\"contoso.test\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_audit_complete{domain=\"contoso.test\"} 0\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_exit_status{domain=\"contoso.test\"} 3\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nspnaudit_last_run_timestamp_seconds{"));
    ck_assert_ptr_null(strstr(text, "spnaudit_last_success_timestamp_seconds"));
    free(text);
}
END_TEST

/* ------------------------------------------------------------ Nagios */

static const char nagios_long[] =
    "FAILURE SPN_MISSING MSOMHSvc/ms01.contoso.test on ms01.contoso.test: no SPN, \"at all\"\n"
    "FAILURE SPN_MISSING MSOMHSvc/ms02.contoso.test on ms02.contoso.test\n"
    "FAILURE SPN_DUPLICATE MSOMHSvc/ms,07/x line: pipe / and back\\slash\n"
    "WARNING SDK_SPN_MISSING MSOMSdkSvc/\xc3\xbc"
    "berhost.contoso.test on ms01.contoso.test\n"
    "INFO REFERRAL_NOT_FOLLOWED ldap://other/DC=x\n";

START_TEST(nagios_golden)
{
    fixture x;
    char *text, expected[2048];

    fixture_full(&x, true);
    text = render(sa_report_nagios, &x.r);
    snprintf(
        expected, sizeof(expected), "%s%s",
        "SPNAUDIT CRITICAL - 3 failures, 1 warning, 1 info in contoso.test; worst: SPN_MISSING "
        "MSOMHSvc/ms01.contoso.test | failures=3;;; warnings=1;;; tickets_failed=1;;; tickets_tried=2;;; "
        "time=1.500s;;;\n",
        nagios_long);
    ck_assert_str_eq(text, expected);
    free(text);
    fixture_clear(&x);
}
END_TEST

START_TEST(nagios_worst_first_whatever_the_order)
{
    fixture x;
    char *text;

    fixture_full(&x, false); /* as added: the info first, the failures last */
    text = render(sa_report_nagios, &x.r);
    /* the failures first, in the order they came, then the warning, the info */
    ck_assert_ptr_nonnull(strstr(text, "; worst: SPN_DUPLICATE MSOMHSvc/ms,07/x line | "));
    ck_assert_ptr_nonnull(strstr(text,
                                 " time=1.500s;;;\n"
                                 "FAILURE SPN_DUPLICATE MSOMHSvc/ms,07/x line: pipe / and back\\slash\n"
                                 "FAILURE SPN_MISSING MSOMHSvc/ms02.contoso.test on ms02.contoso.test\n"
                                 "FAILURE SPN_MISSING MSOMHSvc/ms01.contoso.test on ms01.contoso.test: no "
                                 "SPN, \"at all\"\n"
                                 "WARNING SDK_SPN_MISSING "));
    ck_assert_ptr_nonnull(strstr(text, "\nINFO REFERRAL_NOT_FOLLOWED ldap://other/DC=x\n"));
    ck_assert(strstr(text, "\nWARNING SDK_SPN_MISSING ") < strstr(text, "\nINFO REFERRAL_NOT_FOLLOWED "));
    free(text);
    fixture_clear(&x);
}
END_TEST

static const struct {
    int exit_status;
    bool complete;
    const char *line; /* the whole output of an empty report */
} nagios_matrix[] = {
    {0, true,
     "SPNAUDIT OK - 0 failures, 0 warnings, 0 info in contoso.test | failures=0;;; warnings=0;;; "
     "tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
    {1, true,
     "SPNAUDIT WARNING - 0 failures, 0 warnings, 0 info in contoso.test | failures=0;;; warnings=0;;; "
     "tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
    {2, true,
     "SPNAUDIT CRITICAL - 0 failures, 0 warnings, 0 info in contoso.test | failures=0;;; warnings=0;;; "
     "tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
    {3, false,
     "SPNAUDIT UNKNOWN - audit incomplete: cannot bind to dc1: a/b c | failures=0;;; warnings=0;;; "
     "tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
    {64, true,
     "SPNAUDIT UNKNOWN - exit status 64; 0 failures, 0 warnings, 0 info in contoso.test | failures=0;;; "
     "warnings=0;;; tickets_failed=0;;; tickets_tried=0;;; time=1.500s;;;\n"},
};

START_TEST(nagios_status_matrix)
{
    fixture x;
    char *text;

    fixture_empty(&x);
    x.r.exit_status = nagios_matrix[_i].exit_status;
    x.r.complete = nagios_matrix[_i].complete;
    x.r.incomplete_reason = "cannot bind to dc1: a|b\nc";
    text = render(sa_report_nagios, &x.r);
    ck_assert_str_eq(text, nagios_matrix[_i].line);
    free(text);
}
END_TEST

START_TEST(nagios_status_words)
{
    ck_assert_str_eq(sa_nagios_status(0), "OK");
    ck_assert_str_eq(sa_nagios_status(1), "WARNING");
    ck_assert_str_eq(sa_nagios_status(2), "CRITICAL");
    ck_assert_str_eq(sa_nagios_status(3), "UNKNOWN");
    ck_assert_str_eq(sa_nagios_status(64), "UNKNOWN");
    ck_assert_str_eq(sa_nagios_status(-1), "UNKNOWN");
}
END_TEST

START_TEST(nagios_incomplete_with_findings)
{
    fixture x;
    char *text;

    fixture_full(&x, true);
    x.r.complete = false;
    x.r.exit_status = SA_EXIT_INCOMPLETE;
    x.r.incomplete_reason = "the search was cut short";
    text = render(sa_report_nagios, &x.r);
    ck_assert_ptr_nonnull(strstr(text,
                                 "SPNAUDIT UNKNOWN - audit incomplete: the search was cut short; so far 3 "
                                 "failures, 1 warning, 1 info in contoso.test; worst: SPN_MISSING "
                                 "MSOMHSvc/ms01.contoso.test | failures=3;;;"));
    ck_assert_ptr_nonnull(strstr(text, nagios_long));
    free(text);
    fixture_clear(&x);
}
END_TEST

/* ------------------------------------------------------------ text */

START_TEST(text_summary_and_alignment)
{
    fixture x;
    char *text;
    const char *summary = "\nSummary: 3 failures, 1 warning, 1 info; audit complete; exit status 2; 1.5 s\n";

    fixture_full(&x, true);
    text = render(sa_report_text, &x.r);
    ck_assert_uint_ge(strlen(text), strlen(summary));
    ck_assert_str_eq(text + strlen(text) - strlen(summary), summary);
    /* the subjects line up after the widest code, REFERRAL_NOT_FOLLOWED */
    ck_assert_ptr_nonnull(strstr(text, "\n  FAILURE SPN_MISSING            MSOMHSvc/ms01.contoso.test\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n  INFO    REFERRAL_NOT_FOLLOWED  ldap://other/DC=x\n"));
    ck_assert_ptr_null(strchr(text, '\033'));
    /* grouped: ms01's findings under its heading, the others after */
    ck_assert(strstr(text, "Management server ms01.contoso.test") < strstr(text, "SPN_MISSING"));
    ck_assert(strstr(text, "Other accounts holding SCOM SPNs: 3 findings") < strstr(text, "SPN_DUPLICATE"));
    free(text);
    fixture_clear(&x);
}
END_TEST

START_TEST(text_colour_only_when_asked)
{
    fixture x;
    char *text;

    fixture_full(&x, true);
    x.r.color = true;
    text = render(sa_report_text, &x.r);
    ck_assert_ptr_nonnull(strstr(text, "\n  \033[1;31mFAILURE\033[0m SPN_MISSING            MSOMHSvc/ms01"));
    ck_assert_ptr_nonnull(strstr(text, "\n  \033[33mWARNING\033[0m SDK_SPN_MISSING "));
    ck_assert_ptr_nonnull(strstr(text, "\n  \033[36mINFO\033[0m    REFERRAL_NOT_FOLLOWED  "));
    free(text);
    fixture_clear(&x);

    fixture_empty(&x);
    x.r.color = true;
    text = render(sa_report_text, &x.r);
    ck_assert_ptr_nonnull(strstr(text, "\n  \033[32mOK\033[0m      no findings\n"));
    free(text);
    x.r.color = false;
    text = render(sa_report_text, &x.r);
    ck_assert_ptr_nonnull(strstr(text, "\n  OK      no findings\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nSummary: 0 failures, 0 warnings, 0 info; audit complete"));
    free(text);
}
END_TEST

static Suite *
report_suite(void)
{
    Suite *s = suite_create("formats");
    TCase *tc = tcase_create("formats");

    tcase_add_test(tc, json_golden);
    tcase_add_test(tc, json_odd_characters_come_back_intact);
    tcase_add_test(tc, json_incomplete_without_tickets_or_reachability);
    tcase_add_test(tc, json_baseline_marks_and_fixed);
    tcase_add_test(tc, json_without_baseline_has_no_marks);
    tcase_add_test(tc, json_scope_and_checks_not_run);
    tcase_add_test(tc, text_scope_and_changes);
    tcase_add_test(tc, csv_golden);
    tcase_add_test(tc, csv_empty_is_the_header);
    tcase_add_test(tc, prometheus_golden);
    tcase_add_test(tc, prometheus_escapes_label_values);
    tcase_add_test(tc, prometheus_empty_and_incomplete);
    tcase_add_test(tc, nagios_golden);
    tcase_add_test(tc, nagios_worst_first_whatever_the_order);
    tcase_add_loop_test(tc, nagios_status_matrix, 0, sizeof(nagios_matrix) / sizeof(nagios_matrix[0]));
    tcase_add_test(tc, nagios_status_words);
    tcase_add_test(tc, nagios_incomplete_with_findings);
    tcase_add_test(tc, text_summary_and_alignment);
    tcase_add_test(tc, text_colour_only_when_asked);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return check_run(report_suite());
}
