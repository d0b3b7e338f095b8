/* Unit tests: the report formats for people and programs (JSON, text) on
 * a hand-made report; the monitoring formats are in test_monitoring.c. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "text_lines.h"
#include "config.h"
#include "formats_fixture.h"
#include "heap_peak.h"
#include "spnaudit/report.h"

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
        "      \"fix\": \"setspn -S MSOMHSvc/ms01 ms01\\nsetspn -S MSOMHSvc/ms01.contoso.test "
        "\\\"it's\\\"\\nthen restart\",\n"
        "      \"fix_data\": {\n"
        "        \"commands\": [\n"
        "          {\n"
        "            \"program\": \"setspn\",\n"
        "            \"args\": [\n"
        "              \"-S\",\n"
        "              \"MSOMHSvc/ms01\",\n"
        "              \"ms01\"\n"
        "            ],\n"
        "            \"cmd\": \"setspn -S MSOMHSvc/ms01 ms01\",\n"
        "            \"powershell\": \"setspn -S 'MSOMHSvc/ms01' 'ms01'\",\n"
        "            \"refused\": {\n"
        "            }\n"
        "          },\n"
        "          {\n"
        "            \"program\": \"setspn\",\n"
        "            \"args\": [\n"
        "              \"-S\",\n"
        "              \"MSOMHSvc/ms01.contoso.test\",\n"
        "              \"it's\"\n"
        "            ],\n"
        "            \"cmd\": \"setspn -S MSOMHSvc/ms01.contoso.test \\\"it's\\\"\",\n"
        "            \"powershell\": \"setspn -S 'MSOMHSvc/ms01.contoso.test' 'it''s'\",\n"
        "            \"refused\": {\n"
        "            }\n"
        "          }\n"
        "        ],\n"
        "        \"text\": \"then restart\"\n"
        "      },\n"
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
        "      \"fix_data\": null,\n"
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
    json_object *doc, *f, *fix;

    json_fixture_make(&j);
    doc = render_json(&j.x.r);
    f = json_object_array_get_idx(member(doc, "findings"), 0);
    ck_assert_str_eq(json_object_get_string(member(f, "subject")), j.x.findings.items[0].subject);
    ck_assert_str_eq(json_object_get_string(member(f, "message")), "no \"SPN\" for C:\\ms01\nat all");
    fix = json_object_array_get_idx(member(member(f, "fix_data"), "commands"), 1);
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(member(fix, "args"), 2)), "it's");
    ck_assert_str_eq(json_object_get_string(member(fix, "cmd")),
                     "setspn -S MSOMHSvc/ms01.contoso.test \"it's\"");
    ck_assert_str_eq(json_object_get_string(member(fix, "powershell")),
                     "setspn -S 'MSOMHSvc/ms01.contoso.test' 'it''s'");
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
    assert_keys(f, "code severity subject server message evidence fix fix_data change events");
    ck_assert_str_eq(json_object_get_string(member(f, "change")), "new");
    ck_assert_str_eq(
        json_object_get_string(member(json_object_array_get_idx(member(doc, "findings"), 1), "change")),
        "persisting");
    ck_assert_uint_eq(json_object_array_length(member(doc, "fixed")), 1);
    f = json_object_array_get_idx(member(doc, "fixed"), 0);
    assert_keys(f, "code severity subject server message evidence fix fix_data events");
    ck_assert_str_eq(json_object_get_string(member(f, "code")), "DNS_RESOLUTION_FAILED");
    ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(member(f, "events"), 0)), 21005);
    /* ms07's finding: in its own list, with why, not among the fixed */
    ck_assert_uint_eq(json_object_array_length(member(doc, "not_compared")), 1);
    f = json_object_array_get_idx(member(doc, "not_compared"), 0);
    assert_keys(f, "code severity subject server message evidence fix fix_data why_not_compared events");
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
    scope = strstr(text, "\nScope: domain contoso.test\n"
                         "  management servers: ms01.contoso.test, ms02.contoso.test\n"
                         "  gateways: none\n"
                         "  service classes: MSOMHSvc; tickets: all (3 of 4 SPNs); reachability: checked\n"
                         "Not checked: SPN_SELF_WRITE_DENIED for ms01.contoso.test:\n"
                         "  the DACL could not be read\n"); /* a reason: a value, never broken */
    changes = strstr(text, "\nChanges since baseline /var/lib/spnaudit/latest.json: 1 new, 1 fixed, 0\n"
                           "  persisting, 2 not compared\n"
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
    assert_keys(
        s, "domains other_domains forest servers gateways service_classes tickets reachability certificates");
    ck_assert_str_eq(json_object_to_json_string(member(s, "domains")), "[ \"contoso.test\" ]");
    ck_assert_str_eq(json_object_to_json_string(member(s, "other_domains")), "[ \"fabrikam.test\" ]");
    ck_assert_str_eq(json_object_to_json_string(member(s, "servers")), "[ \"ms01.contoso.test\" ]");
    ck_assert_str_eq(json_object_to_json_string(member(s, "gateways")), "[ \"gw01.fabrikam.test\" ]");
    ck_assert_str_eq(json_object_to_json_string(member(s, "service_classes")), "[ \"MSOMHSvc\" ]");
    ck_assert(json_object_get_boolean(member(s, "forest")));
    ck_assert(json_object_get_boolean(member(s, "reachability")));
    ck_assert(!json_object_get_boolean(member(s, "certificates")));
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
                "code severity subject server message evidence fix fix_data events");
    json_object_put(doc);
    json_fixture_clear(&j);
}
END_TEST

/* ------------------------------------------------------------ CSV */

static int
write_report_json(const void *r, FILE *out)
{
    return sa_report_json(r, out);
}

/* 20,000 agents' accounts (40,000 SPNs): the JSON report streams them,
 * one object at a time, and needs no more memory than a few of them. */
START_TEST(json_of_20000_accounts_takes_the_memory_of_a_few)
{
    char dn[64], sam[32], spn[64];
    json_fixture j;
    sa_account *a;
    size_t grew;

    json_fixture_make(&j);
    for (int i = 0; i < 20000; i++) {
        snprintf(dn, sizeof(dn), "CN=agent%05d,CN=Computers,DC=contoso,DC=test", i);
        snprintf(sam, sizeof(sam), "agent%05d$", i);
        snprintf(spn, sizeof(spn), "agent%05d.contoso.test", i);
        a = add_account(&j.x.accounts, dn, sam, spn, SA_ACCT_COMPUTER);
        snprintf(spn, sizeof(spn), "MSOMHSvc/agent%05d.contoso.test", i);
        ck_assert(sa_strv_add(&a->spns, spn));
        snprintf(spn, sizeof(spn), "MSOMHSvc/AGENT%05d", i);
        ck_assert(sa_strv_add(&a->spns, spn));
    }
    grew = heap_growth(write_report_json, &j.x.r);
    ck_assert_msg(grew < 4 * 1024 * 1024, "%zu bytes more at the peak", grew);
    json_fixture_clear(&j);
}
END_TEST

/* The scope of the tickets, with how many of the SPNs read were asked
 * for: the SPNs not asked for are said to be not checked. */
static const struct {
    sa_scope_tickets tickets;
    const char *line;
} ticket_lines[] = {
    {SA_SCOPE_TICKETS_ALL,
     "  service classes: MSOMHSvc; tickets: all (3 of 4 SPNs); reachability: checked\n"},
    {SA_SCOPE_TICKETS_SERVERS, "  service classes: MSOMHSvc; tickets: servers (3 of 4 SPNs; the others not\n"
                               "    checked); reachability: checked\n"}, /* wrapped at 80 */
    {SA_SCOPE_TICKETS_NONE,
     "  service classes: MSOMHSvc; tickets: none (not checked); reachability: checked\n"},
};

START_TEST(text_says_which_tickets_were_asked)
{
    json_fixture j;
    char *text;

    json_fixture_make(&j);
    json_fixture_compare(&j);
    j.now.tickets = ticket_lines[_i].tickets;
    if (ticket_lines[_i].tickets == SA_SCOPE_TICKETS_NONE)
        j.x.r.tickets = NULL;
    text = render(sa_report_text, &j.x.r);
    ck_assert_msg(strstr(text, ticket_lines[_i].line) != NULL, "no \"%s\" in:\n%s", ticket_lines[_i].line,
                  text);
    free(text);
    json_fixture_clear(&j);
}
END_TEST

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

/* ------------------------------------------------------------ overview, width */

/* Is the line (len bytes at s) one of the fix commands of the report's
 * findings, written after its margin and label (or their blank)? */
static bool
is_fix_line(const sa_report *r, const char *s, size_t len)
{
    for (size_t i = 0; i < r->findings->n; i++) {
        const sa_fix *fix = &r->findings->items[i].fix;
        for (size_t k = 0; k < fix->n; k++) {
            const char *why;
            char *cmd = sa_fix_command_line(fix, k, r->fix_shell, &why);
            size_t n = cmd ? strlen(cmd) : 0;
            bool yes = cmd != NULL && n <= len && memcmp(s + len - n, cmd, n) == 0;
            free(cmd);
            if (yes)
                return true;
        }
    }
    return false;
}

/* Every line of text within width, but fix commands and words wider than
 * the room; returns the lines. */
static size_t
assert_fits(const sa_report *r, const char *text, size_t width)
{
    size_t lines = 0, len;

    for (const char *p = text; *p != '\0'; p += len + 1, lines++) {
        size_t cols = line_columns(p, &len);
        ck_assert_msg(cols <= width || is_fix_line(r, p, len) || is_one_word(p, len),
                      "line %zu: %zu columns > %zu: %.*s", lines + 1, cols, width, (int)len, p);
        if (p[len] == '\0')
            break;
    }
    return lines;
}

/* 20 servers: no line wider than 80 columns (the default) or than the
 * terminal's width, but the fix commands, which are pasted and never
 * wrapped: each is there whole, on one line. */
START_TEST(text_twenty_servers_fit_the_width)
{
    static const int widths[] = {0, 60, 132};
    fleet f;
    char *text, *cmd;
    const char *why;

    fleet_make(&f, FLEET_MAX);
    f.x.r.width = widths[_i];
    text = render(sa_report_text, &f.x.r);
    assert_fits(&f.x.r, text, widths[_i] ? (size_t)widths[_i] : 80);
    cmd = sa_fix_command_line(&f.x.findings.items[0].fix, 0, SA_SHELL_CMD, &why);
    ck_assert_ptr_nonnull(cmd);
    ck_assert_uint_gt(strlen(cmd), 80);
    ck_assert_ptr_nonnull(strstr(text, cmd));
    ck_assert_ptr_nonnull(strstr(strstr(text, cmd), "\n"));
    /* a DN longer than the room is kept whole on a line of its own */
    ck_assert(widths[_i] == 132 ||
              strstr(text,
                     "\n                    "
                     "CN=old-ms01$,OU=Decommissioned-Servers,OU=Retired,OU=Legacy,DC=contoso,DC=test\n"));
    free(cmd);
    free(text);
    fleet_clear(&f);
}
END_TEST

/* An SPN held by two accounts is one ticket: refused once, not twice. */
START_TEST(text_overview_counts_a_ticket_once)
{
    fleet f;
    sa_account *a;
    char *text;

    fleet_make(&f, 1); /* ms01: MSOMHSvc/MS01 refused */
    a = add_account(&f.x.accounts, "CN=ms01old,CN=Computers,DC=contoso,DC=test", "ms01old$", NULL,
                    SA_ACCT_COMPUTER);
    ck_assert(sa_strv_add(&a->spns, "MSOMHSvc/MS01"));
    text = render(sa_report_text, &f.x.r);
    ck_assert_msg(strstr(text, "\nms01.contoso.test  ms       FAILURE         3  1 refused          2\n") !=
                      NULL,
                  "%s", text);
    free(text);
    fleet_clear(&f);
}
END_TEST

/* A value from the directory is never broken: a line breaks only at the
 * tool's own spaces, so no value starts a line of its choosing -- here an
 * account name padded to push a forged finding onto a line of its own. */
START_TEST(text_values_are_never_broken)
{
    static const char *const forged = "FAILURE SPN_MISSING  MSOMHSvc/forged";
    fleet f;
    char sam[160], *text;
    sa_finding *g;

    fleet_make(&f, 2);
    snprintf(sam, sizeof(sam), "%-50s%s", "x", forged);
    g = add(&f.x.findings, SA_F_SPN_STALE, "MSOMHSvc/x", "ms01.contoso.test");
    ck_assert(sa_finding_message(g, "held by %s, a name with spaces", sam));
    ck_assert(sa_finding_evidence(g, "DN %s", "CN=ms01,OU=Management Servers,OU=Tier 0,DC=contoso,DC=test"));
    text = render(sa_report_text, &f.x.r);
    for (const char *p = text; p != NULL; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        ck_assert_msg(strncmp(p + strspn(p, " "), forged, strlen(forged)) != 0, "a forged line:\n%s", text);
    ck_assert_msg(strstr(text, "\n          held by\n          x") != NULL, "%s", text);
    ck_assert_ptr_nonnull(strstr(text, forged)); /* on the line of its value */
    ck_assert_ptr_nonnull(
        strstr(text, "\n          evidence: DN\n"
                     "                    CN=ms01,OU=Management Servers,OU=Tier 0,DC=contoso,DC=test\n"));
    free(text);
    fleet_clear(&f);
}
END_TEST

/* The overview comes first: one line per server, worst first, its role,
 * verdict, SPNs, tickets and findings, then the totals; the details after. */
START_TEST(text_overview_first)
{
    fleet f;
    char *text;
    const char *overview, *details;

    fleet_make(&f, FLEET_MAX);
    text = render(sa_report_text, &f.x.r);
    if (getenv("SHOW") != NULL)
        fputs(text, stderr);
    overview =
        strstr(text, "\n\nServer                          Role     Verdict      SPNs  Tickets     Findings\n"
                     "ms01.contoso.test               ms       FAILURE         2  1 refused          2\n"
                     "ms03.contoso.test               ms       FAILURE         2  ok                 2\n"
                     "ms05.contoso.test               gateway  FAILURE         2  ok                 2\n");
    ck_assert_msg(overview != NULL, "no overview in:\n%s", text);
    ck_assert_ptr_nonnull(strstr(
        overview, "\nms19.contoso.test               ms       FAILURE         2  1 refused          2\n"
                  "ms02.contoso.test               ms       OK              2  ok                 0\n"));
    ck_assert_ptr_nonnull(strstr(
        overview, "\nms04.contoso.test               ms       not checked     2  1 refused          0\n"));
    /* a name wider than its column: on a line of its own, the rest under it */
    ck_assert_ptr_nonnull(strstr(
        overview, "\nms20.a-long-subdomain.northamerica.contoso.test\n"
                  "                                ms       OK              2  ok                 0\n"));
    ck_assert_ptr_nonnull(strstr(
        overview, "\nTotal: 20 servers, 10 FAILURE, 9 OK, 1 not checked; 21 findings (10 failures, 11\n"
                  "  warnings, 0 info), 20 of them about these servers, 1 about other accounts\n\n"
                  "Management server ms01.contoso.test (computer account ms01$)\n"));
    details = strstr(text, "\nManagement server ms01.contoso.test");
    ck_assert(overview < details);
    ck_assert_ptr_nonnull(strstr(text, "\nOther accounts holding SCOM SPNs: 1 finding\n"));
    free(text);
    fleet_clear(&f);
}
END_TEST

/* Counts in words: one account, one SPN, one entry, one page, one ticket,
 * one event, one finding; a single server. */
START_TEST(text_plurals)
{
    fixture x;
    sa_search_stats stats = {.entries = 1, .pages = 1};
    sa_account *a;
    sa_ticket *t;
    sa_finding *f;
    char *text;

    fixture_empty(&x);
    a = add_account(&x.accounts, "CN=ms01,CN=Computers,DC=contoso,DC=test", "ms01$", "ms01.contoso.test",
                    SA_ACCT_COMPUTER);
    ck_assert(sa_strv_add(&a->spns, "MSOMHSvc/ms01.contoso.test"));
    x.server.account = 0;
    ck_assert_ptr_nonnull(t = sa_tickets_add(&x.tickets, "MSOMHSvc/ms01.contoso.test"));
    t->tried = t->ok = true;
    f = add(&x.findings, SA_F_DNS_RESOLUTION_FAILED, "ms01.contoso.test", "ms01.contoso.test");
    f->n_events = 1;
    f->events[0] = 21005;
    x.r.stats = &stats;
    x.r.width = 200;
    text = render(sa_report_text, &x.r);
    ck_assert_msg(strstr(text, "\n1 account holds 1 SCOM SPN (1 entry in 1 LDAP page); 1 service ticket "
                               "requested, 0 refused\n") != NULL,
                  "%s", text);
    ck_assert_ptr_nonnull(strstr(text,
                                 "\nTotal: 1 server, 1 FAILURE; 1 finding (1 failure, 0 warnings, 0 info), "
                                 "1 of them about these servers, 0 about other accounts\n"));
    ck_assert_ptr_nonnull(strstr(text, "\n          OpsMgr event: 21005\n"));
    ck_assert_ptr_nonnull(strstr(text, "\nOther accounts holding SCOM SPNs: 0 findings\n"));
    free(text);
    sa_accounts_clear(&x.accounts);
    fixture_clear(&x);
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
    tcase_add_test(tc, json_of_20000_accounts_takes_the_memory_of_a_few);
    tcase_set_timeout(tc, 120); /* 20,000 accounts under ASan on a busy machine */
    tcase_add_loop_test(tc, text_says_which_tickets_were_asked, 0,
                        sizeof(ticket_lines) / sizeof(ticket_lines[0]));
    tcase_add_test(tc, text_summary_and_alignment);
    tcase_add_test(tc, text_colour_only_when_asked);
    tcase_add_loop_test(tc, text_twenty_servers_fit_the_width, 0, 3);
    tcase_add_test(tc, text_overview_first);
    tcase_add_test(tc, text_values_are_never_broken);
    tcase_add_test(tc, text_overview_counts_a_ticket_once);
    tcase_add_test(tc, text_plurals);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return check_run(report_suite());
}
