/* Integration tests: "spnaudit audit" against the real test domain
 * (Samba AD DC, tests/lab/testdomain.sh), through the built binary.
 * Run as: testdomain.sh exec test_audit PATH-TO-spnaudit */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "check_run.h"
#include "text_lines.h"
#include "run.h"

const char *tool_path;
static const char *dc, *keytab, *keytab_principal;
static long agents;
static char uri[256];

/* The full audit, run once for the tests that read it. */
static run_result full;
static json_object *full_report;

#define MS_ARGS                                                                                              \
    "--ms", "ms01.contoso.test", "--ms", "ms02.contoso.test", "--ms", "ms03.contoso.test", "--ms",           \
        "ms04.contoso.test", "--ms", "ms05.contoso.test", "--ms", "ms06.contoso.test", "--ms",               \
        "ms07.contoso.test"

static void
full_audit_setup(void)
{
    const char *argv[] = {"audit", "--uri", uri, "--format", "json", MS_ARGS, NULL};

    run_tool(argv, NULL, &full);
    full_report = json_tokener_parse(full.out);
}

static void
full_audit_teardown(void)
{
    json_object_put(full_report);
    run_free(&full);
}

static void
assert_events(json_object *f, const int *events, size_t n)
{
    json_object *ev = NULL;

    ck_assert(json_object_object_get_ex(f, "events", &ev));
    ck_assert_uint_eq(json_object_array_length(ev), n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(finding_has_event(f, events[i]), "%s lacks event %d", jget_str(f, "code"), events[i]);
}

START_TEST(full_audit_completes_with_failures)
{
    ck_assert_msg(full_report != NULL, "not JSON: %.300s / %.500s", full.out, full.err);
    ck_assert_int_eq(full.status, 2);
    ck_assert(json_object_get_boolean(json_object_object_get(full_report, "complete")));
    ck_assert_int_eq(jget_int(full_report, "exit_status"), 2);
    ck_assert_int_eq(jget_int(full_report, "schema_version"), 1);
    ck_assert_str_eq(jget_str(full_report, "realm"), "CONTOSO.TEST");
}
END_TEST

START_TEST(missing_spn_is_reported)
{
    static const int ev[] = {20057, 21001, 21035};
    json_object *f = find_finding(full_report, "SPN_MISSING", "MSOMHSvc/ms03.contoso.test");

    ck_assert_msg(f != NULL, "no SPN_MISSING for ms03");
    ck_assert_str_eq(jget_str(f, "severity"), "failure");
    ck_assert_str_eq(jget_str(f, "server"), "ms03.contoso.test");
    assert_events(f, ev, 3);
    ck_assert(fix_has_command(f, "setspn",
                              (const char *[]){"-S", "MSOMHSvc/ms03.contoso.test", "CONTOSO\\ms03$"}, 3));
    ck_assert_uint_eq(count_findings(full_report, "SPN_MISSING"), 1);
    /* ... and why the Health Service could not register it: a deny ACE for SELF */
    f = find_finding(full_report, "SPN_SELF_WRITE_DENIED", "CONTOSO\\ms03$");
    ck_assert_msg(f != NULL, "no SPN_SELF_WRITE_DENIED for ms03$");
    ck_assert_str_eq(jget_str(f, "severity"), "failure");
    ck_assert(finding_has_event(f, 21035));
    ck_assert_ptr_nonnull(
        strstr(jget_str(f, "evidence"), "denies SELF the validated write to servicePrincipalName"));
    ck_assert(fix_has_command(f, "dsacls",
                              (const char *[]){"CN=ms03,CN=Computers,DC=contoso,DC=test", "/G",
                                               "SELF:WS;Validated write to service principal name"},
                              3));
    ck_assert_uint_eq(count_findings(full_report, "SPN_SELF_WRITE_DENIED"), 1);
}
END_TEST

START_TEST(netbios_form_missing_is_reported)
{
    static const int ev[] = {20057, 21001};
    json_object *f = find_finding(full_report, "SPN_NETBIOS_MISSING", "MSOMHSvc/MS04");

    ck_assert_msg(f != NULL, "no SPN_NETBIOS_MISSING for ms04");
    ck_assert_str_eq(jget_str(f, "severity"), "warning");
    ck_assert_str_eq(jget_str(f, "server"), "ms04.contoso.test");
    assert_events(f, ev, 2);
}
END_TEST

START_TEST(spn_on_user_account_is_reported)
{
    static const int ev[] = {20057, 21001};
    json_object *f = find_finding(full_report, "SPN_ON_USER_ACCOUNT", "MSOMHSvc/ms05.contoso.test");

    ck_assert_msg(f != NULL, "no SPN_ON_USER_ACCOUNT for ms05");
    ck_assert_str_eq(jget_str(f, "server"), "ms05.contoso.test");
    assert_events(f, ev, 2);
    /* The KDC issued the ticket, for the wrong account's key. */
    ck_assert_ptr_nonnull(strstr(jget_str(f, "evidence"), "the KDC issued a ticket"));
    ck_assert_ptr_nonnull(strstr(jget_str(f, "evidence"), "svc-ms05"));
    ck_assert_ptr_nonnull(find_finding(full_report, "SPN_ON_USER_ACCOUNT", "MSOMHSvc/MS05"));
    ck_assert_ptr_null(find_finding(full_report, "SPN_MISSING", "MSOMHSvc/ms05.contoso.test"));
}
END_TEST

START_TEST(disabled_account_is_reported)
{
    static const int ev[] = {20057, 21001};
    json_object *arr = report_findings(full_report), *f = NULL;

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *x = json_object_array_get_idx(arr, i);
        if (strcmp(jget_str(x, "code"), "ACCOUNT_DISABLED") == 0 &&
            strcasestr(jget_str(x, "subject"), "ms06$") != NULL)
            f = x;
    }
    ck_assert_msg(f != NULL, "no ACCOUNT_DISABLED for ms06$");
    ck_assert_str_eq(jget_str(f, "server"), "ms06.contoso.test");
    ck_assert_str_eq(jget_str(f, "severity"), "failure");
    assert_events(f, ev, 2);
    ck_assert_uint_eq(count_findings(full_report, "ACCOUNT_DISABLED"), 1);
}
END_TEST

START_TEST(duplicate_spn_is_reported)
{
    static const int ev[] = {21001, 21016};
    json_object *f = find_finding(full_report, "SPN_DUPLICATE", "MSOMHSvc/ms07.contoso.test");

    ck_assert_msg(f != NULL, "no SPN_DUPLICATE for ms07");
    ck_assert_str_eq(jget_str(f, "server"), "ms07.contoso.test");
    assert_events(f, ev, 2);
    ck_assert_ptr_nonnull(strcasestr(jget_str(f, "evidence"), "ms07old$"));
    ck_assert(fix_has_command(f, "setspn",
                              (const char *[]){"-D", "MSOMHSvc/ms07.contoso.test", "CONTOSO\\ms07old$"}, 3));
    ck_assert(!fix_has_command(f, "setspn",
                               (const char *[]){"-D", "MSOMHSvc/ms07.contoso.test", "CONTOSO\\ms07$"}, 3));
    ck_assert_ptr_null(strcasestr(jget_str(f, "fix"), "CONTOSO\\ms07$"));
    /* Samba's KDC answers "unknown" for it; the report names the real cause. */
    f = find_finding(full_report, "TICKET_SPN_NOT_UNIQUE", "MSOMHSvc/ms07.contoso.test");
    ck_assert_msg(f != NULL, "no TICKET_SPN_NOT_UNIQUE for ms07");
    ck_assert_ptr_nonnull(strstr(jget_str(f, "evidence"), "Server not found in Kerberos database"));
    ck_assert_uint_eq(count_findings(full_report, "SPN_DUPLICATE"), 1);
}
END_TEST

START_TEST(stale_spn_and_weak_enctypes_are_reported)
{
    json_object *f = find_finding(full_report, "SPN_STALE", "MSOMHSvc/oldagent.contoso.test");

    ck_assert_msg(f != NULL, "no SPN_STALE for oldagent");
    ck_assert(fix_has_command(
        f, "setspn", (const char *[]){"-D", "MSOMHSvc/oldagent.contoso.test", "CONTOSO\\legacy01$"}, 3));
    ck_assert_uint_eq(count_findings(full_report, "SPN_STALE"), 1); /* ms05's host exists: not stale */
    ck_assert_ptr_null(find_finding(full_report, "SPN_WRONG_COMPUTER", "MSOMHSvc/oldagent.contoso.test"));
    f = find_finding(full_report, "ENCTYPES_NO_AES", "CONTOSO\\ms08$");
    ck_assert_msg(f != NULL, "no ENCTYPES_NO_AES for ms08$");
    ck_assert_str_eq(jget_str(f, "severity"), "warning");
    ck_assert(finding_has_event(f, 20057) && finding_has_event(f, 21001));
    ck_assert_uint_eq(count_findings(full_report, "ENCTYPES_NO_AES"), 1);
}
END_TEST

START_TEST(clean_servers_are_clean)
{
    json_object *arr = report_findings(full_report), *servers = NULL;

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        const char *server = jget_str(json_object_array_get_idx(arr, i), "server");
        ck_assert_msg(server == NULL || (strcmp(server, "ms01.contoso.test") != 0 &&
                                         strcmp(server, "ms02.contoso.test") != 0),
                      "finding %s on a clean server %s", jget_str(json_object_array_get_idx(arr, i), "code"),
                      server);
    }
    /* ms01 is AES-only: its tickets must say so; every SPN of it has one. */
    ck_assert(json_object_object_get_ex(full_report, "management_servers", &servers));
    for (size_t i = 0; i < json_object_array_length(servers); i++) {
        json_object *s = json_object_array_get_idx(servers, i), *spns = NULL;
        if (strcmp(jget_str(s, "fqdn"), "ms01.contoso.test") != 0)
            continue;
        ck_assert(json_object_object_get_ex(s, "spns", &spns));
        ck_assert_uint_eq(json_object_array_length(spns), 4);
        for (size_t j = 0; j < 4; j++) {
            json_object *e = json_object_array_get_idx(spns, j), *t = NULL;
            ck_assert(json_object_object_get_ex(e, "ticket", &t));
            ck_assert(json_object_get_boolean(json_object_object_get(t, "ok")));
            if (strncmp(jget_str(e, "spn"), "MSOMHSvc/", 9) == 0)
                ck_assert_str_eq(jget_str(t, "enctype"), "aes256-cts-hmac-sha1-96");
        }
        return;
    }
    ck_abort_msg("ms01.contoso.test missing from management_servers");
}
END_TEST

/* By default tickets are asked for the servers' SPNs only: each of them
 * has its ticket, and no ticket finding is about another SPN. */
START_TEST(default_tickets_are_the_servers_only)
{
    json_object *counts = json_object_object_get(full_report, "counts"), *servers = NULL, *findings;
    long long server_spns = 0;

    ck_assert_ptr_nonnull(counts);
    ck_assert_str_eq(jget_str(json_object_object_get(full_report, "scope"), "tickets"), "servers");
    ck_assert(json_object_object_get_ex(full_report, "management_servers", &servers));
    for (size_t i = 0; i < json_object_array_length(servers); i++) {
        json_object *spns = json_object_object_get(json_object_array_get_idx(servers, i), "spns");
        for (size_t j = 0; j < json_object_array_length(spns); j++) {
            json_object *e = json_object_array_get_idx(spns, j);
            ck_assert_msg(json_object_object_get(e, "ticket") != NULL, "no ticket for %s",
                          jget_str(e, "spn"));
            server_spns++;
        }
    }
    ck_assert_int_gt(server_spns, 0);
    ck_assert_int_le(jget_int(counts, "tickets_requested"), server_spns);
    ck_assert_int_lt(jget_int(counts, "tickets_requested"), agents);
    ck_assert_int_eq(jget_int(counts, "tickets_refused"), 1); /* ms07's duplicate */
    findings = report_findings(full_report);
    for (size_t i = 0; i < json_object_array_length(findings); i++) {
        json_object *f = json_object_array_get_idx(findings, i);
        ck_assert_msg(strncmp(jget_str(f, "code"), "TICKET_", 7) != 0 || jget_str(f, "server") != NULL,
                      "%s claimed for %s, whose ticket was not asked for", jget_str(f, "code"),
                      jget_str(f, "subject"));
    }
}
END_TEST

/* --tickets all: a ticket for every agent's SPN too. */
START_TEST(tickets_all_asks_for_every_spn)
{
    const char *argv[] = {
        "audit", "--uri",    uri,    "--ms", "ms01.contoso.test", "--no-reachability", "--tickets",
        "all",   "--format", "json", NULL};
    run_result r;
    json_object *rep, *counts;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    counts = json_object_object_get(rep, "counts");
    ck_assert_str_eq(jget_str(json_object_object_get(rep, "scope"), "tickets"), "all");
    /* All distinct SPNs were asked for; only the duplicate is refused. */
    ck_assert_int_ge(jget_int(counts, "tickets_requested"), 2 * agents);
    ck_assert_int_eq(jget_int(counts, "tickets_refused"), 1);
    ck_assert_ptr_nonnull(find_finding(rep, "TICKET_SPN_NOT_UNIQUE", "MSOMHSvc/ms07.contoso.test"));
    ck_assert_uint_eq(count_findings(rep, "TICKET_SPN_UNKNOWN"), 0);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* The text report says which tickets were asked for, of how many SPNs;
 * --no-tickets is --tickets none. */
static const struct {
    const char *opt[2];
    bool counted; /* the line gives the SPNs read */
    const char *line;
} ticket_scopes[] = {
    {{NULL, NULL}, true, NULL},
    {{"--tickets", "none"}, false, "; tickets: none (not checked); reachability: not checked\n"},
    {{"--no-tickets", NULL}, false, "; tickets: none (not checked); reachability: not checked\n"},
};

START_TEST(text_report_says_which_tickets)
{
    const char *argv[] = {"audit",
                          "--uri",
                          uri,
                          "--ms",
                          "ms01.contoso.test",
                          "--no-reachability",
                          ticket_scopes[_i].opt[0],
                          ticket_scopes[_i].opt[1],
                          NULL};
    char line[200];
    const char *read;
    long spns = 0;
    const char *wide[] = {"COLUMNS=1000", NULL}; /* the scope on one line */
    run_result r;

    run_tool(argv, wide, &r);
    ck_assert_msg(r.status == 2, "status %d: %s", r.status, r.err);
    read = strstr(r.out, " accounts hold ");
    ck_assert_msg(read != NULL && sscanf(read, " accounts hold %ld SCOM SPNs", &spns) == 1, "%s", r.out);
    if (ticket_scopes[_i].counted)
        snprintf(line, sizeof(line),
                 "; tickets: servers (4 of %ld SPNs; the others not checked); reachability: not checked\n",
                 spns);
    else
        snprintf(line, sizeof(line), "%s", ticket_scopes[_i].line);
    ck_assert_msg(strstr(r.out, line) != NULL, "no \"%s\" in:\n%s", line, r.out);
    ck_assert_ptr_null(strstr(r.out, "TICKET_"));
    run_free(&r);
}
END_TEST

/* Accounts named agentNNNN$ in a report, and their SPNs. */
static void
count_agents(json_object *report, long *accounts, long *spns)
{
    json_object *arr = NULL;

    *accounts = *spns = 0;
    ck_assert(json_object_object_get_ex(report, "accounts", &arr));
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *a = json_object_array_get_idx(arr, i);
        const char *sam = jget_str(a, "sam_account_name");
        if (sam && strncasecmp(sam, "agent", 5) == 0) {
            (*accounts)++;
            *spns += (long)json_object_array_length(json_object_object_get(a, "spns"));
        }
    }
}

START_TEST(small_pages_deliver_every_agent)
{
    const char *argv[] = {"audit",    "--uri", uri, "--no-tickets", "--page-size", "100",
                          "--format", "json",  NULL};
    run_result r;
    json_object *rep, *search;
    long n_agents, n_spns;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 2); /* the duplicate and the user-account SPNs remain */
    ck_assert(json_object_get_boolean(json_object_object_get(rep, "complete")));
    search = json_object_object_get(rep, "search");
    ck_assert_ptr_nonnull(search);
    /* every entry arrived, across many pages */
    ck_assert_int_ge(jget_int(search, "pages"), agents / 100 + 1);
    count_agents(rep, &n_agents, &n_spns);
    ck_assert_int_eq(n_agents, agents);
    ck_assert_int_eq(n_spns, 2 * agents);
    /* the computer lookups read some accounts again: entries >= accounts */
    ck_assert_int_ge(jget_int(search, "entries"),
                     jget_int(json_object_object_get(rep, "counts"), "accounts"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(cut_short_search_is_incomplete)
{
    const char *argv[] = {"audit",        "--uri", uri,        "--no-tickets", "--page-size", "20",
                          "--size-limit", "50",    "--format", "json",         NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 3);
    ck_assert(!json_object_get_boolean(json_object_object_get(rep, "complete")));
    ck_assert_int_eq(jget_int(rep, "exit_status"), 3);
    ck_assert_ptr_nonnull(strstr(jget_str(rep, "incomplete_reason"), "Size limit exceeded"));
    ck_assert_ptr_nonnull(strstr(jget_str(rep, "incomplete_reason"), "after 50 entries"));
    ck_assert_int_eq(jget_int(json_object_object_get(rep, "search"), "entries"), 50);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(cut_short_search_text_says_incomplete)
{
    const char *argv[] = {"audit", "--uri", uri, "--no-tickets", "--size-limit", "10", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_ptr_nonnull(strstr(r.out, "INCOMPLETE: "));
    ck_assert_ptr_nonnull(strstr(r.out, "audit INCOMPLETE; exit status 3"));
    run_free(&r);
}
END_TEST

START_TEST(unreachable_dc_is_exit_3)
{
    const char *argv[] = {"audit", "--uri", "ldap://127.0.0.9", "--timeout", "3", "--format", "json", NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "ldap://127.0.0.9") && strstr(r.err, "Can't contact LDAP server"),
                  "stderr: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "connecting to the domain controller"));
    rep = parse_report(&r);
    ck_assert(!json_object_get_boolean(json_object_object_get(rep, "complete")));
    ck_assert_int_eq(json_object_array_length(report_findings(rep)), 0);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* Monitoring still gets an answer when not even the bind works; CSV
 * gets nothing but the exit status. */
static const struct {
    const char *format;
    const char *says[3];
} unbound_formats[] = {
    {"prometheus",
     {"\nspnaudit_audit_complete{domain=\"\"} 0\n", "\nspnaudit_exit_status{domain=\"\"} 3\n",
      "\nspnaudit_findings_total{domain=\"\",severity=\"failure\"} 0\n"}},
    {"nagios", {"SPNAUDIT UNKNOWN - audit incomplete: ", "ldap://127.0.0.9", " | failures=0;;; "}},
    {"csv", {NULL}},
};

START_TEST(unreachable_dc_in_monitoring_formats)
{
    const char *argv[] = {"audit", "--uri",    "ldap://127.0.0.9",         "--timeout",
                          "3",     "--format", unbound_formats[_i].format, NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_ptr_nonnull(strstr(r.err, "ldap://127.0.0.9"));
    if (unbound_formats[_i].says[0] == NULL)
        ck_assert_str_eq(r.out, "");
    for (size_t k = 0; k < 3 && unbound_formats[_i].says[k] != NULL; k++)
        ck_assert_msg(strstr(r.out, unbound_formats[_i].says[k]) != NULL, "%s lacks \"%s\": %s",
                      unbound_formats[_i].format, unbound_formats[_i].says[k], r.out);
    run_free(&r);
}
END_TEST

/* The same audit in every format: the same exit status, and each says
 * what the JSON report says. */
START_TEST(formats_agree)
{
    const char *argv[] = {"audit", "--uri",      uri, "--no-tickets", "--ms", "ms03.contoso.test", "--format",
                          NULL,    "--no-color", NULL};
    const char *const no_color[] = {"NO_COLOR=1", NULL};
    run_result r;

    argv[7] = "csv";
    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strncmp(r.out, "severity,code,server,subject,events,message,evidence,fix,change\r\n", 64) ==
                      0,
                  "%.200s", r.out);
    ck_assert_ptr_nonnull(strstr(r.out,
                                 "\r\nfailure,SPN_MISSING,ms03.contoso.test,MSOMHSvc/ms03.contoso.test,"
                                 "20057 21001 21035,"));
    run_free(&r);

    argv[7] = "prometheus";
    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(
        r.out, "\nspnaudit_findings{domain=\"contoso.test\",code=\"SPN_MISSING\",severity=\"failure\"} "));
    ck_assert_ptr_nonnull(strstr(r.out, "\nspnaudit_audit_complete{domain=\"contoso.test\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(r.out, "\nspnaudit_exit_status{domain=\"contoso.test\"} 2\n"));
    ck_assert_ptr_nonnull(
        strstr(r.out, "\nspnaudit_last_success_timestamp_seconds{domain=\"contoso.test\"} "));
    run_free(&r);

    argv[7] = "nagios";
    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strncmp(r.out, "SPNAUDIT CRITICAL - ", 20) == 0, "%.300s", r.out);
    ck_assert_ptr_nonnull(
        strstr(r.out, "\nFAILURE SPN_MISSING MSOMHSvc/ms03.contoso.test on ms03.contoso.test: "));
    run_free(&r);

    argv[7] = "text"; /* not a terminal: never colours */
    argv[8] = NULL;
    run_tool(argv, no_color, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(strstr(r.out, "  FAILURE SPN_MISSING "));
    ck_assert_ptr_null(strchr(r.out, '\033'));
    run_free(&r);
}
END_TEST

START_TEST(dc_found_through_dns_srv)
{
    const char *argv[] = {"audit", "--domain", "contoso.test", "--no-tickets", "--format", "json", NULL};
    run_result r;
    json_object *rep;

    /* no --server: _ldap._tcp.dc._msdcs.contoso.test from the DC's DNS */
    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert(json_object_get_boolean(json_object_object_get(rep, "complete")));
    ck_assert_str_eq(jget_str(rep, "server"), "ldap://dc1.contoso.test");
    ck_assert_ptr_nonnull(find_finding(rep, "SPN_DUPLICATE", "MSOMHSvc/ms07.contoso.test"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(next_dc_when_one_does_not_answer)
{
    const char *argv[] = {"audit",        "--server", "127.0.0.9", "--server", dc,
                          "--no-tickets", "--format", "json",      NULL};
    run_result r;
    json_object *rep, *f;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert(json_object_get_boolean(json_object_object_get(rep, "complete")));
    ck_assert_str_eq(jget_str(rep, "server"), uri);
    f = find_finding(rep, "DC_UNREACHABLE", "ldap://127.0.0.9");
    ck_assert_msg(f != NULL, "%.400s", r.out);
    ck_assert_str_eq(jget_str(f, "severity"), "warning");
    ck_assert(finding_has_event(f, 21008));
    ck_assert_ptr_nonnull(strstr(jget_str(f, "evidence"), "Can't contact LDAP server"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(no_dc_answering_is_exit_3)
{
    const char *argv[] = {"audit", "--server", "127.0.0.9", "--server", "127.0.0.10", "--no-tickets", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "none of the 2 domain controllers named answered") != NULL, "stderr: %s",
                  r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "ldap://127.0.0.10"));
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

static const char *group_conf = "[domain]\nname = contoso.test\nservers = dc1.contoso.test\n"
                                "[management_group]\n"
                                "management_servers = ms01.contoso.test ms02.contoso.test ms03.contoso.test\n"
                                "gateways = ms05.contoso.test\nhealth_service = localsystem\n"
                                "sdk_service = CONTOSO\\svc-scom\n[audit]\nreachability = no\ntickets = no\n";

static json_object *
server_entry(json_object *rep, const char *fqdn)
{
    json_object *arr = json_object_object_get(rep, "management_servers");

    for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
        json_object *s = json_object_array_get_idx(arr, i);
        if (strcmp(jget_str(s, "fqdn"), fqdn) == 0)
            return s;
    }
    return NULL;
}

START_TEST(configuration_file_describes_the_group)
{
    char path[] = "/tmp/spnaudit-group-XXXXXX";
    const char *argv[] = {"audit", "-c", path, "--format", "json", NULL};
    run_result r;
    json_object *rep;

    write_conf(path, group_conf);
    run_tool(argv, NULL, &r);
    unlink(path);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(jget_str(rep, "server"), "ldap://dc1.contoso.test");
    ck_assert_str_eq(jget_str(server_entry(rep, "ms01.contoso.test"), "role"), "management_server");
    ck_assert_str_eq(jget_str(server_entry(rep, "ms05.contoso.test"), "role"), "gateway");
    ck_assert_ptr_nonnull(find_finding(rep, "SPN_MISSING", "MSOMHSvc/ms03.contoso.test"));
    /* a gateway runs no SDK service; svc-scom does hold ms01's and ms02's */
    ck_assert_ptr_null(find_finding(rep, "SDK_SPN_MISSING", "MSOMSdkSvc/ms05.contoso.test"));
    ck_assert_uint_eq(count_findings(rep, "SDK_SPN_WRONG_ACCOUNT"), 0);
    /* reachability = no, tickets = no */
    ck_assert_uint_eq(count_findings(rep, "DNS_RESOLUTION_FAILED"), 0);
    ck_assert_int_eq(jget_int(json_object_object_get(rep, "counts"), "tickets_requested"), 0);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(command_line_overrides_the_file)
{
    char path[] = "/tmp/spnaudit-group-XXXXXX";
    const char *argv[] = {"audit", "--config", path, "--ms", "ms01.contoso.test", "--format", "json", NULL};
    run_result r;
    json_object *rep;

    write_conf(path, group_conf);
    run_tool(argv, NULL, &r);
    unlink(path);
    rep = parse_report(&r);
    /* --ms replaces the file's management servers; its gateway stays */
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(rep, "management_servers")), 2);
    ck_assert_ptr_nonnull(server_entry(rep, "ms01.contoso.test"));
    ck_assert_ptr_nonnull(server_entry(rep, "ms05.contoso.test"));
    ck_assert_ptr_null(find_finding(rep, "SPN_MISSING", "MSOMHSvc/ms03.contoso.test"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(sdk_spn_on_another_account)
{
    char path[] = "/tmp/spnaudit-group-XXXXXX";
    const char *argv[] = {"audit", "-c", path, "--format", "json", NULL};
    run_result r;
    json_object *rep, *f;

    write_conf(path, "[domain]\nname = contoso.test\nservers = dc1.contoso.test\n[management_group]\n"
                     "management_servers = ms01.contoso.test\nsdk_service = CONTOSO\\svc-sdk-new\n"
                     "[audit]\nreachability = no\ntickets = no\n");
    run_tool(argv, NULL, &r);
    unlink(path);
    rep = parse_report(&r);
    f = find_finding(rep, "SDK_SPN_WRONG_ACCOUNT", "MSOMSdkSvc/ms01.contoso.test");
    ck_assert_msg(f != NULL, "%.600s", r.out);
    ck_assert(finding_has_event(f, 26371));
    ck_assert_ptr_nonnull(strstr(jget_str(f, "message"), "runs as CONTOSO\\svc-sdk-new"));
    ck_assert(fix_has_command(
        f, "setspn", (const char *[]){"-S", "MSOMSdkSvc/ms01.contoso.test", "CONTOSO\\svc-sdk-new"}, 3));
    ck_assert_uint_eq(count_findings(rep, "SDK_SPN_WRONG_ACCOUNT"), 2); /* both forms */
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(bad_configuration_is_exit_64)
{
    char path[] = "/tmp/spnaudit-group-XXXXXX";
    const char *argv[] = {"audit", "-c", path, NULL};
    const char *missing[] = {"audit", "-c", "/nonexistent/spnaudit.conf", NULL};
    run_result r;

    write_conf(path, "[audit]\npage_size = lots\n");
    run_tool(argv, NULL, &r);
    unlink(path);
    ck_assert_int_eq(r.status, 64);
    ck_assert_msg(strstr(r.err, ":2: page_size wants a number") != NULL, "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
    run_tool(missing, NULL, &r);
    ck_assert_int_eq(r.status, 64);
    ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/spnaudit.conf"));
    run_free(&r);
}
END_TEST

/* The Health Service as a domain account (here svc-ms05, which holds ms05's
 * SPNs): ms05 is right, ms01's SPNs on its computer account are wrong. */
START_TEST(health_service_as_domain_account)
{
    const char *argv[] = {"audit",
                          "--uri",
                          uri,
                          "--ms",
                          "ms05.contoso.test",
                          "--ms",
                          "ms01.contoso.test",
                          "--ms",
                          "ms03.contoso.test",
                          "--health-service",
                          "CONTOSO\\svc-ms05",
                          "--no-reachability",
                          "--format",
                          "json",
                          NULL};
    run_result r;
    json_object *rep, *f;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_null(find_finding(rep, "SPN_ON_USER_ACCOUNT", "MSOMHSvc/ms05.contoso.test"));
    ck_assert_ptr_null(find_finding(rep, "SPN_WRONG_ACCOUNT", "MSOMHSvc/ms05.contoso.test"));
    f = find_finding(rep, "SPN_WRONG_ACCOUNT", "MSOMHSvc/ms01.contoso.test");
    ck_assert_msg(f != NULL, "no SPN_WRONG_ACCOUNT for ms01");
    ck_assert_str_eq(jget_str(f, "server"), "ms01.contoso.test");
    ck_assert(finding_has_event(f, 20057));
    ck_assert(fix_has_command(f, "setspn",
                              (const char *[]){"-S", "MSOMHSvc/ms01.contoso.test", "CONTOSO\\svc-ms05"}, 3));
    ck_assert_ptr_nonnull(find_finding(rep, "SPN_WRONG_ACCOUNT", "MSOMHSvc/MS01"));
    /* ms03's computer may not write its SPN, but the Health Service does not
     * run as the computer: only the missing SPN, to go on svc-ms05 */
    ck_assert_uint_eq(count_findings(rep, "SPN_SELF_WRITE_DENIED"), 0);
    f = find_finding(rep, "SPN_MISSING", "MSOMHSvc/ms03.contoso.test");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(jget_str(f, "fix"), "CONTOSO\\svc-ms05"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* --forest: the audit also reads the Global Catalog for duplicates; this
 * forest has one domain, so nothing joins and nothing changes. */
START_TEST(audit_looks_for_duplicates_in_the_forest)
{
    const char *argv[] = {
        "audit",        "--server",          dc,         "--forest", "--ms", "ms07.contoso.test",
        "--no-tickets", "--no-reachability", "--format", "json",     NULL};
    run_result r;
    json_object *rep, *also;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert(json_object_get_boolean(json_object_object_get(rep, "complete")));
    also = json_object_object_get(rep, "duplicates_also_looked_for_in");
    ck_assert_uint_eq(json_object_array_length(also), 1);
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(also, 0)),
                     "the forest of contoso.test (Global Catalog)");
    ck_assert_uint_eq(count_findings(rep, "SPN_DUPLICATE"), 1);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* A second domain whose DCs do not answer: the audited domain is still
 * reported, and the run says it is incomplete (exit 3). */
START_TEST(audit_with_an_unreachable_second_domain_is_incomplete)
{
    const char *argv[] = {"audit",
                          "--domain",
                          "contoso.test",
                          "--domain",
                          "nowhere.test",
                          "--server",
                          dc,
                          "--server",
                          "dc9.nowhere.test",
                          "--ms",
                          "ms03.contoso.test",
                          "--no-tickets",
                          "--no-reachability",
                          "--format",
                          "json",
                          NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 3);
    ck_assert(!json_object_get_boolean(json_object_object_get(rep, "complete")));
    ck_assert_ptr_nonnull(strstr(jget_str(rep, "incomplete_reason"), "duplicates in other domains"));
    ck_assert_ptr_nonnull(strstr(jget_str(rep, "incomplete_reason"), "dc9.nowhere.test"));
    ck_assert_ptr_nonnull(find_finding(rep, "SPN_MISSING", "MSOMHSvc/ms03.contoso.test"));
    /* an unrelated source failed: ms03's right to write its SPN is still read */
    ck_assert_ptr_nonnull(find_finding(rep, "SPN_SELF_WRITE_DENIED", "CONTOSO\\ms03$"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(audit_finds_a_duplicate_in_a_trusting_forest)
{
    const char *argv[] = {"audit",
                          "--domain",
                          "contoso.test",
                          "--domain",
                          getenv("LAB_TRUST_FOREST"),
                          "--ms",
                          "ms02.contoso.test",
                          "--no-tickets",
                          "--no-reachability",
                          "--format",
                          "json",
                          NULL};
    run_result r;
    json_object *rep, *f, *also;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert(json_object_get_boolean(json_object_object_get(rep, "complete")));
    f = find_finding(rep, "SPN_DUPLICATE", getenv("LAB_DUP_CROSS_SPN"));
    ck_assert_msg(f != NULL, "no cross-forest SPN_DUPLICATE: %.500s", r.out);
    ck_assert_str_eq(jget_str(f, "server"), "ms02.contoso.test");
    ck_assert_ptr_nonnull(strstr(jget_str(f, "message"), "in different domains"));
    ck_assert_msg(
        fix_has_command(f, "setspn",
                        (const char *[]){"-D", getenv("LAB_DUP_CROSS_SPN"), getenv("LAB_DUP_CROSS_ACCOUNT")},
                        3),
        "fix: %s", jget_str(f, "fix"));
    ck_assert(finding_has_event(f, 21016));
    also = json_object_object_get(rep, "duplicates_also_looked_for_in");
    ck_assert_uint_eq(json_object_array_length(also), 1);
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(also, 0)), getenv("LAB_TRUST_FOREST"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(missing_credentials_are_explained)
{
    const char *argv[] = {"audit", "--uri", uri, NULL};
    const char *env[] = {"KRB5CCNAME=FILE:/nonexistent/spnaudit-ccache", NULL};
    run_result r;

    run_tool(argv, env, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "kinit") != NULL, "stderr: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/spnaudit-ccache"));
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

START_TEST(keytab_login_for_cron)
{
    const char *argv[] = {"audit",          "--uri", uri,
                          "--keytab",       keytab,  "--principal",
                          keytab_principal, "--ms",  "ms01.contoso.test",
                          "--format",       "json",  NULL};
    const char *env[] = {"KRB5CCNAME=FILE:/nonexistent/spnaudit-ccache", NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, env, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert(json_object_get_boolean(json_object_object_get(rep, "complete")));
    ck_assert_str_eq(jget_str(rep, "client"), keytab_principal);
    ck_assert_ptr_nonnull(find_finding(rep, "SPN_DUPLICATE", "MSOMHSvc/ms07.contoso.test"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(bad_keytab_is_explained)
{
    const char *argv[] = {"audit",       "--uri",          uri, "--keytab", "/nonexistent.keytab",
                          "--principal", keytab_principal, NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_ne(r.status, 0);
    ck_assert_int_ne(r.status, 2);
    ck_assert_msg(strstr(r.err, "/nonexistent.keytab") != NULL, "stderr: %s", r.err);
    run_free(&r);
}
END_TEST

START_TEST(text_report_per_server)
{
    const char *argv[] = {
        "audit", "--uri", uri, "--no-tickets", "--ms", "ms03.contoso.test", "--ms", "ms01.contoso.test",
        NULL};
    run_result r;
    char *ms03, *ms01;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ms03 = strstr(r.out, "Management server ms03.contoso.test");
    ms01 = strstr(r.out, "Management server ms01.contoso.test");
    ck_assert_msg(ms03 && ms01, "%s", r.out);
    ck_assert_msg(ms03 < ms01, "the worst server must come first");
    ck_assert_ptr_nonnull(strstr(ms03, "FAILURE SPN_MISSING"));
    ck_assert_ptr_nonnull(strstr(ms03, "OpsMgr events: 20057, 21001, 21035"));
    ck_assert_ptr_nonnull(strstr(ms01, "OK      no findings"));
    ck_assert_ptr_nonnull(strstr(r.out, "Summary: "));
    ck_assert_ptr_nonnull(strstr(r.out, "exit status 2"));
    ck_assert_ptr_nonnull(strstr(ms03, "\n          fix (cmd.exe): setspn -S MSOMHSvc/ms03.contoso.test "));
    run_free(&r);
}
END_TEST

/* A fix command line: "fix (cmd.exe): " or its blank, then setspn or
 * dsacls -- pasted, so never wrapped. */
static bool
is_fix_command(const char *s, size_t len)
{
    const char *p = s + strspn(s, " ");

    if (strncmp(p, "fix (cmd.exe): ", 15) == 0)
        p += 15;
    return (size_t)(p - s) < len && (strncmp(p, "setspn ", 7) == 0 || strncmp(p, "dsacls ", 7) == 0);
}

/* Every line within width but fix commands and words wider than the
 * room; the number of lines and the widest in *lines, *widest. */
static void
assert_fits(const char *text, size_t width, size_t *lines, size_t *widest)
{
    size_t len;

    *lines = *widest = 0;
    for (const char *p = text; *p != '\0'; p += len + (p[len] == '\n')) {
        size_t cols = line_columns(p, &len);
        ck_assert_msg(cols <= width || is_fix_command(p, len) || is_one_word(p, len),
                      "line %zu: %zu columns > %zu: %.*s", *lines + 1, cols, width, (int)len, p);
        *widest = cols > *widest ? cols : *widest;
        ++*lines;
    }
}

/* 20 --ms: the overview first (one line per server, the worst first),
 * the totals, then the details; no line wider than 80 columns when
 * standard output is no terminal (or $COLUMNS), but fix commands, which
 * are whole on their lines. */
START_TEST(text_report_overview_and_width)
{
    static const char *const widths[] = {"COLUMNS=", "COLUMNS=60"};
    const char *argv[48] = {"audit", "--uri", uri, "--no-tickets"};
    const char *env[] = {widths[_i], NULL};
    char names[20][32];
    size_t n = 4, lines, widest;
    run_result r;

    for (int i = 0; i < 20; i++) {
        snprintf(names[i], sizeof(names[i]), "ms%02d.contoso.test", i + 1);
        argv[n++] = "--ms";
        argv[n++] = names[i];
    }
    argv[n] = NULL;
    run_tool(argv, env, &r);
    ck_assert_int_eq(r.status, 2);
    assert_fits(r.out, _i == 0 ? 80 : 60, &lines, &widest);
    fprintf(stderr, "text report, 20 --ms, %s: %zu lines, widest %zu\n", widths[_i], lines, widest);
    ck_assert_msg(strstr(r.out,
                         "\n          fix (cmd.exe): dsacls \"CN=ms03,CN=Computers,DC=contoso,DC=test\" /G "
                         "\"SELF:WS;Validated write to service principal name\"\n") != NULL,
                  "%.2000s", r.out);
    if (_i == 0) {
        const char *overview =
            strstr(r.out, "\n\nServer             Role     Verdict      SPNs  Tickets     Findings\n"
                          "ms03.contoso.test  ms       FAILURE         0  -                  4\n");
        ck_assert_msg(overview != NULL, "%.2000s", r.out);
        ck_assert_ptr_nonnull(
            strstr(overview, "\nms01.contoso.test  ms       OK              4  not asked          0\n"));
        ck_assert_ptr_nonnull(strstr(overview, "\nTotal: 20 servers, "));
        ck_assert(overview < strstr(r.out, "\nManagement server ms03.contoso.test"));
    }
    run_free(&r);
}
END_TEST

/* No server named: say that none could be checked for missing SPNs, and
 * suggest what the directory names -- the service connection points of
 * the management group (CN=OperationsManager) and the hosts of MSOMSdkSvc
 * SPNs -- as discovered, with a command line to audit them; on standard
 * error for the other formats. */
START_TEST(no_server_named_suggests_discovered)
{
    const char *argv[] = {"audit", "--uri", uri, "--no-tickets", "--format", "text", NULL};
    const char *want =
        "\n\nNo management server or gateway named (--ms, --gateway or -c FILE): no server\n"
        "  could be checked for missing SPNs, only the accounts holding SCOM SPNs\n"
        "  (below).\n"
        "Found in the directory (discovered, not given: check that they are this\n"
        "  management group's):\n"
        "  ms01.contoso.test  service connection point, MSOMSdkSvc SPN\n"
        "  ms04.contoso.test  service connection point\n"
        "  ms02.contoso.test  MSOMSdkSvc SPN\n"
        "To audit them:\n"
        "  spnaudit audit --server dc1.contoso.test --ms ms01.contoso.test --ms ms04.contoso.test "
        "--ms ms02.contoso.test\n"
        "\nOther accounts holding SCOM SPNs: ";
    const char *env[] = {"COLUMNS=", NULL};
    json_object *rep, *disc;
    run_result r;

    run_tool(argv, env, &r);
    ck_assert_msg(strstr(r.out, want) != NULL, "%.2000s", r.out);
    ck_assert_ptr_null(strstr(r.out, "\nManagement server "));
    run_free(&r);
    argv[5] = "json";
    run_tool(argv, env, &r);
    ck_assert_msg(strstr(r.err, "No management server or gateway named (--ms, --gateway or -c FILE)") != NULL,
                  "%s", r.err);
    ck_assert_ptr_nonnull(
        strstr(r.err, " --ms ms01.contoso.test --ms ms04.contoso.test --ms ms02.contoso.test\n"));
    ck_assert_ptr_null(strstr(r.err, "(below)"));
    rep = parse_report(&r); /* and in the report, as data */
    ck_assert(json_object_object_get_ex(rep, "discovered", &disc));
    ck_assert_str_eq(jget_str(disc, "command"), "spnaudit audit --server dc1.contoso.test --ms ms01.contoso.test "
                                                "--ms ms04.contoso.test --ms ms02.contoso.test");
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(disc, "hosts")), 3);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* --fix-shell powershell: the fix lines are PowerShell's, and say so. */
START_TEST(text_report_fix_lines_for_powershell)
{
    const char *argv[] = {"audit",       "--uri",      uri, "--no-tickets", "--ms", "ms03.contoso.test",
                          "--fix-shell", "powershell", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.out, "\n          fix (PowerShell): setspn -S 'MSOMHSvc/ms03.contoso.test' '") !=
                      NULL,
                  "%s", r.out);
    ck_assert_ptr_null(strstr(r.out, "fix (cmd.exe)"));
    run_free(&r);
}
END_TEST

static const struct {
    const char *args[10];
    const char *says;
} bad_usage[] = {
    {{"audit", "--page-size", "abc", NULL}, "--page-size"},
    {{"audit", "--page-size", "-1", NULL}, "--page-size"},
    {{"audit", "--format", "xml", NULL}, "--format"},
    {{"audit", "--fix-shell", "bash", NULL}, "--fix-shell wants cmd or powershell"},
    {{"audit", "--tickets", "some", NULL},
     "spnaudit audit: --tickets wants all, servers or none, not 'some'"},
    {{"probe", "--format", "nagios", "MSOMHSvc/ms01.contoso.test", NULL}, "--format wants text or json"},
    {{"audit", "--bogus", NULL}, "unknown option"},
    {{"audit", "--ms", "not a host", NULL}, "--ms"},
    {{"audit", "--ms", NULL}, "needs a value"},
    {{"audit", "--uri", "http://dc1", NULL}, "--uri"},
    {{"audit", "--health-service", "CONTOSO\\", NULL}, "--health-service wants"},
    {{"spn", "--domain", "a.test", "--domain", "b.test", "--server", "dc1.c.test", NULL},
     "under none of the domains"},
    {{"audit", "extra", NULL}, "unexpected argument"},
    {{"frobnicate", NULL}, "unknown command"},
    {{NULL}, "Usage"},
};

START_TEST(bad_usage_is_exit_64)
{
    expect_usage_error(bad_usage[_i].args, bad_usage[_i].says);
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("audit-integration");
    TCase *full_tc = tcase_create("full-audit"), *tc = tcase_create("runs");

    if (argc != 2 || getenv("LAB_DC") == NULL || getenv("LAB_AGENTS") == NULL ||
        getenv("LAB_TRUST_FOREST") == NULL || getenv("LAB_DUP_CROSS_SPN") == NULL ||
        getenv("LAB_DUP_CROSS_ACCOUNT") == NULL) {
        fprintf(stderr,
                "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n"
                "(needs the test domain's environment: LAB_DC, LAB_AGENTS, ...)\n",
                argv[0]);
        return 2;
    }
    tool_path = argv[1];
    dc = getenv("LAB_DC");
    agents = strtol(getenv("LAB_AGENTS"), NULL, 10);
    keytab = getenv("LAB_KEYTAB");
    keytab_principal = getenv("LAB_KEYTAB_PRINCIPAL");
    snprintf(uri, sizeof(uri), "ldap://%s", dc);

    tcase_add_unchecked_fixture(full_tc, full_audit_setup, full_audit_teardown);
    tcase_set_timeout(full_tc, 600);
    tcase_add_test(full_tc, full_audit_completes_with_failures);
    tcase_add_test(full_tc, missing_spn_is_reported);
    tcase_add_test(full_tc, netbios_form_missing_is_reported);
    tcase_add_test(full_tc, spn_on_user_account_is_reported);
    tcase_add_test(full_tc, disabled_account_is_reported);
    tcase_add_test(full_tc, duplicate_spn_is_reported);
    tcase_add_test(full_tc, stale_spn_and_weak_enctypes_are_reported);
    tcase_add_test(full_tc, clean_servers_are_clean);
    tcase_add_test(full_tc, default_tickets_are_the_servers_only);
    suite_add_tcase(s, full_tc);

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, small_pages_deliver_every_agent);
    tcase_add_test(tc, cut_short_search_is_incomplete);
    tcase_add_test(tc, cut_short_search_text_says_incomplete);
    tcase_add_test(tc, unreachable_dc_is_exit_3);
    tcase_add_loop_test(tc, unreachable_dc_in_monitoring_formats, 0,
                        sizeof(unbound_formats) / sizeof(unbound_formats[0]));
    tcase_add_test(tc, formats_agree);
    tcase_add_test(tc, dc_found_through_dns_srv);
    tcase_add_test(tc, next_dc_when_one_does_not_answer);
    tcase_add_test(tc, no_dc_answering_is_exit_3);
    tcase_add_test(tc, configuration_file_describes_the_group);
    tcase_add_test(tc, command_line_overrides_the_file);
    tcase_add_test(tc, sdk_spn_on_another_account);
    tcase_add_test(tc, bad_configuration_is_exit_64);
    tcase_add_test(tc, health_service_as_domain_account);
    tcase_add_test(tc, audit_looks_for_duplicates_in_the_forest);
    tcase_add_test(tc, audit_finds_a_duplicate_in_a_trusting_forest);
    tcase_add_test(tc, audit_with_an_unreachable_second_domain_is_incomplete);
    tcase_add_test(tc, missing_credentials_are_explained);
    tcase_add_test(tc, keytab_login_for_cron);
    tcase_add_test(tc, bad_keytab_is_explained);
    tcase_add_test(tc, text_report_per_server);
    tcase_add_loop_test(tc, text_report_overview_and_width, 0, 2);
    tcase_add_test(tc, no_server_named_suggests_discovered);
    tcase_add_test(tc, text_report_fix_lines_for_powershell);
    tcase_add_test(tc, tickets_all_asks_for_every_spn);
    tcase_add_loop_test(tc, text_report_says_which_tickets, 0,
                        sizeof(ticket_scopes) / sizeof(ticket_scopes[0]));
    tcase_add_loop_test(tc, bad_usage_is_exit_64, 0, sizeof(bad_usage) / sizeof(bad_usage[0]));
    suite_add_tcase(s, tc);

    return check_run(s);
}
