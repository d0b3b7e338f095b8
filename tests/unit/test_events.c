/* Unit tests: the OpsMgr events, and the checks that show each, as the
 * tables of findings, ticket causes and trust verdicts say. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/events.h"
#include "spnaudit/finding.h"
#include "spnaudit/krbcause.h"
#include "spnaudit/report.h"
#include "spnaudit/trust.h"

/* Every event of the two source documents. */
static const int source_events[] = {20050, 20057, 20068, 20069, 20070, 20072, 20075, 20076, 20077,
                                    21001, 21005, 21006, 21007, 21008, 21016, 21035, 21036};
#define N_SOURCE (sizeof(source_events) / sizeof(source_events[0]))

/* The codes covering id, space-separated, in the order found. */
static char *
covering(int id)
{
    sa_event_checks checks = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};
    char *text = calloc(1, 2048);

    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(sa_event_checks_for(id, &checks, &err), SA_OK);
    for (size_t i = 0; i < checks.n; i++) {
        ck_assert_uint_lt(strlen(text) + strlen(checks.items[i].code) + 2, 2048);
        if (i > 0)
            strcat(text, " ");
        strcat(text, checks.items[i].code);
    }
    sa_event_checks_clear(&checks);
    return text;
}

START_TEST(every_source_event_is_explained)
{
    const sa_event_info *e = sa_event_lookup(source_events[_i]);

    ck_assert_msg(e != NULL, "event %d missing", source_events[_i]);
    ck_assert_int_eq(e->id, source_events[_i]);
    ck_assert_uint_gt(strlen(e->title), 0);
    ck_assert_ptr_null(strchr(e->title, '\n'));
    ck_assert_uint_gt(strlen(e->meaning), 10);
    ck_assert_ptr_nonnull(e->causes[0]);
    for (size_t i = 0; e->causes[i] != NULL; i++) {
        ck_assert_uint_lt(i, SA_EVENT_MAX_CAUSES);
        ck_assert_uint_gt(strlen(e->causes[i]), 5);
    }
}
END_TEST

START_TEST(table_is_sorted)
{
    size_t n;
    const sa_event_info *t = sa_event_table(&n);

    ck_assert_uint_ge(n, N_SOURCE);
    for (size_t i = 1; i < n; i++)
        ck_assert_int_lt(t[i - 1].id, t[i].id);
}
END_TEST

START_TEST(unknown_event_is_refused)
{
    sa_event_checks checks = {NULL, 0, 0};

    ck_assert_ptr_null(sa_event_lookup(99999));
    ck_assert_ptr_null(sa_event_lookup(0));
    ck_assert_ptr_null(sa_event_lookup(-21035));
    ck_assert_int_eq(sa_event_checks_for(99999, &checks, NULL), SA_OK);
    ck_assert_uint_eq(checks.n, 0);
    sa_event_checks_clear(&checks);
}
END_TEST

/* What finding.c (certificate template checks included), krbcause.c and
 * trust_graph.c say today. */
static const struct {
    int id;
    const char *codes;
} expected[] = {
    {21035, "SPN_MISSING SPN_FQDN_MISSING SERVER_ACCOUNT_NOT_FOUND SPN_SELF_WRITE_DENIED"},
    {21016, "SPN_DUPLICATE TICKET_SPN_NOT_UNIQUE"},
    {21005, "DNS_RESOLUTION_FAILED"},
    {21006, "TCP_CONNECT_FAILED"},
    {21007, "CERT_NAME_MISMATCH CERT_SAN_MISMATCH TEMPLATE_SUBJECT TEMPLATE_SUBJECT_DOMAIN_ONLY certificates "
            "certificates"},
    {21008, "DC_UNREACHABLE TICKET_NO_REALM_PATH TICKET_KDC_UNREACHABLE certificates"},
    {26371, "SDK_SPN_MISSING SDK_SPN_WRONG_ACCOUNT"},
    {20050, "CERT_EKU_MISSING TEMPLATE_EKU"},
    {20068, "CERT_KEY_MISSING CERT_KEY_MISMATCH"},
    {20069,
     "CERT_KEY_CNG CERT_KEY_SPEC_SIGNATURE CERT_KEY_NOT_RSA CERT_KEY_USAGE TEMPLATE_KSP TEMPLATE_KEY_SPEC"},
    {20070, ""},
    {20072, "CERT_NOT_YET_VALID CERT_EXPIRED CERT_EXPIRING CERT_CHAIN_UNTRUSTED"},
    {20075, "CERT_SUBJECT_CN_MISSING TEMPLATE_SUBJECT"},
    {20076, "CERT_SUBJECT_CN_MISSING TEMPLATE_SUBJECT"},
    {20077, "CERT_KEY_MISSING CERT_KEY_MISMATCH"},
    {21036, "CERT_KEY_MISSING CERT_KEY_MISMATCH TEMPLATE_NOT_EXPORTABLE"},
};

START_TEST(covering_codes_follow_the_tables)
{
    char *codes = covering(expected[_i].id);

    ck_assert_msg(strcmp(codes, expected[_i].codes) == 0, "event %d: covered by \"%s\", expected \"%s\"",
                  expected[_i].id, codes, expected[_i].codes);
    free(codes);
}
END_TEST

static bool
has(const int *events, size_t n, int id)
{
    for (size_t i = 0; i < n; i++) {
        if (events[i] == id)
            return true;
    }
    return false;
}

/* A finding of every kind, made as the audit makes it, lists the event
 * exactly when the event's checks name the kind: the two cannot drift. */
START_TEST(checks_agree_with_findings_made)
{
    sa_findings list = {NULL, 0, 0};
    sa_event_checks checks = {NULL, 0, 0};
    int id = source_events[_i];

    ck_assert_int_eq(sa_event_checks_for(id, &checks, NULL), SA_OK);
    for (int k = 0; k < SA_F_KIND_COUNT; k++) {
        sa_finding *f = sa_findings_add(&list, (sa_finding_kind)k, "MSOMHSvc/ms01.contoso.com", NULL);
        bool listed = false;
        ck_assert_ptr_nonnull(f);
        for (size_t i = 0; i < checks.n; i++)
            listed |=
                (checks.items[i].source == SA_CHECK_FINDING || checks.items[i].source == SA_CHECK_CERT ||
                 checks.items[i].source == SA_CHECK_TEMPLATE) &&
                strcmp(checks.items[i].code, f->code) == 0;
        ck_assert_msg(listed == has(f->events, f->n_events, id), "event %d, finding %s", id, f->code);
    }
    for (int c = SA_KC_NONE; c <= SA_KC_OTHER; c++) {
        sa_finding *f = sa_findings_add_ticket(&list, (sa_krb_cause)c, "MSOMHSvc/ms01.contoso.com", NULL);
        bool listed = false;
        ck_assert_ptr_nonnull(f);
        for (size_t i = 0; i < checks.n; i++)
            listed |= checks.items[i].source == SA_CHECK_TICKET && strcmp(checks.items[i].code, f->code) == 0;
        ck_assert_msg(listed == has(f->events, f->n_events, id), "event %d, ticket %s", id, f->code);
    }
    sa_findings_clear(&list);
    sa_event_checks_clear(&checks);
}
END_TEST

/* Real verdicts carry events that the outcome table, and so explain, knows. */
START_TEST(verdict_events_are_in_the_outcome_table)
{
    sa_trusts trusts = {NULL, 0, 0};
    sa_verdict v;
    sa_error err = {SA_OK, ""};
    const char *pairs[][2] = {
        {"fabrikam.com", "contoso.com"}, {"tailspin.com", "contoso.com"}, {"woodgrove.com", "contoso.com"}};

    ck_assert(sa_trusts_add_values(&trusts, "contoso.com", "tailspin.com", "TAILSPIN", NULL,
                                   SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, 0)); /* external */
    ck_assert(sa_trusts_add_values(&trusts, "contoso.com", "woodgrove.com", "WOODGROVE", NULL,
                                   SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
                                   SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_CROSS_ORGANIZATION));
    for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
        memset(&v, 0, sizeof(v));
        ck_assert_int_eq(sa_trust_verdict(&trusts, pairs[p][0], pairs[p][1], &v, &err), SA_OK);
        ck_assert_uint_gt(v.n_events, 0);
        for (size_t i = 0; i < v.n_events; i++) {
            sa_event_checks checks = {NULL, 0, 0};
            bool listed = false;
            ck_assert_ptr_nonnull(sa_event_lookup(v.events[i]));
            ck_assert_int_eq(sa_event_checks_for(v.events[i], &checks, NULL), SA_OK);
            for (size_t k = 0; k < checks.n; k++)
                listed |= checks.items[k].source == SA_CHECK_VERDICT &&
                          strcmp(checks.items[k].code, sa_verdict_kind_name(v.kind)) == 0;
            ck_assert_msg(listed, "%s -> %s: event %d not explained as a %s verdict", pairs[p][0],
                          pairs[p][1], v.events[i], sa_verdict_kind_name(v.kind));
            sa_event_checks_clear(&checks);
        }
        sa_verdict_clear(&v);
    }
    sa_trusts_clear(&trusts);
}
END_TEST

/* An event no check covers says what to look at instead; certificate
 * events point to spnaudit cert. */
START_TEST(uncovered_events_say_so)
{
    static const int certificate_events[] = {20050, 20068, 20069, 20072, 20075, 20076, 20077, 21036};

    for (size_t i = 0; i < N_SOURCE; i++) {
        const sa_event_info *e = sa_event_lookup(source_events[i]);
        sa_event_checks checks = {NULL, 0, 0};
        ck_assert_int_eq(sa_event_checks_for(e->id, &checks, NULL), SA_OK);
        if (checks.n == 0)
            ck_assert_msg(e->beyond != NULL && strlen(e->beyond) > 20, "event %d: nothing to check", e->id);
        sa_event_checks_clear(&checks);
    }
    for (size_t i = 0; i < sizeof(certificate_events) / sizeof(certificate_events[0]); i++) {
        const sa_event_info *e = sa_event_lookup(certificate_events[i]);
        ck_assert_ptr_nonnull(e->beyond);
        ck_assert_msg(strstr(e->beyond, "spnaudit cert checks the certificate file") != NULL, "event %d",
                      e->id);
    }
}
END_TEST

/* Every event a finding, ticket cause or verdict can carry is explained. */
START_TEST(every_linked_event_is_known)
{
    size_t n_outcomes;
    const sa_verdict_outcome *outcomes = sa_verdict_outcomes(&n_outcomes);

    for (int k = 0; k < SA_F_KIND_COUNT; k++) {
        const int *ev = NULL;
        size_t n = sa_finding_kind_events((sa_finding_kind)k, &ev);
        ck_assert_uint_gt(strlen(sa_finding_kind_summary((sa_finding_kind)k)), 0);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(sa_event_lookup(ev[i]) != NULL, "%s: event %d", sa_finding_kind_code(k), ev[i]);
    }
    ck_assert_uint_eq(n_outcomes, 4);
    for (size_t o = 0; o < n_outcomes; o++) {
        for (size_t i = 0; i < SA_VERDICT_MAX_EVENTS && outcomes[o].events[i] != 0; i++)
            ck_assert_ptr_nonnull(sa_event_lookup(outcomes[o].events[i]));
    }
    ck_assert_uint_eq(sa_finding_kind_events(SA_F_KIND_COUNT, &(const int *){NULL}), 0);
}
END_TEST

/* explain CODE: every finding kind and ticket cause by its code, in any
 * case; nothing else. */
START_TEST(checks_looked_up_by_code)
{
    sa_check_info c;

    for (int k = 0; k < SA_F_KIND_COUNT; k++) {
        ck_assert(sa_check_lookup(sa_finding_kind_code((sa_finding_kind)k), &c));
        ck_assert_str_eq(c.code, sa_finding_kind_code((sa_finding_kind)k));
        ck_assert(c.source == (strncmp(c.code, "CERT_", 5) == 0       ? SA_CHECK_CERT
                               : strncmp(c.code, "TEMPLATE_", 9) == 0 ? SA_CHECK_TEMPLATE
                                                                      : SA_CHECK_FINDING));
        ck_assert_ptr_null(c.fix);
    }
    ck_assert(sa_check_lookup("spn_value_suspicious", &c));
    ck_assert_str_eq(c.code, "SPN_VALUE_SUSPICIOUS");
    ck_assert_int_eq(c.severity, SA_SEV_WARNING);
    ck_assert_uint_eq(c.n_events, 0);
    ck_assert(sa_check_lookup("SPN_DUPLICATE", &c));
    ck_assert_uint_eq(c.n_events, 2);
    ck_assert_int_eq(c.events[1], 21016);
    ck_assert(sa_check_lookup("TICKET_WRONG_KEY", &c));
    ck_assert(c.source == SA_CHECK_TICKET);
    ck_assert_int_eq(c.severity, SA_SEV_FAILURE);
    ck_assert_ptr_nonnull(c.fix);
    ck_assert(!sa_check_lookup("TICKET_OK", &c)); /* not a finding */
    ck_assert(!sa_check_lookup("SPN_", &c));
    ck_assert(!sa_check_lookup("", &c));
}
END_TEST

/* Render into memory; the text, to be freed. */
static char *
render(int (*fn)(const sa_event_info *, FILE *), const sa_event_info *e)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fn(e, f), 0);
    fclose(f);
    return buf;
}

START_TEST(json_lists_the_covering_checks)
{
    char *text = render(sa_event_explain_json, sa_event_lookup(21035));
    json_object *root = json_tokener_parse(text), *v = NULL, *first = NULL;

    ck_assert_ptr_nonnull(root);
    ck_assert(json_object_object_get_ex(root, "event", &v));
    ck_assert_int_eq(json_object_get_int(v), 21035);
    ck_assert(json_object_object_get_ex(root, "causes", &v));
    ck_assert_uint_eq(json_object_array_length(v), 3);
    ck_assert(json_object_object_get_ex(root, "covered", &v));
    ck_assert(json_object_get_boolean(v));
    ck_assert(json_object_object_get_ex(root, "covered_by", &v));
    ck_assert_uint_eq(json_object_array_length(v), 4);
    first = json_object_array_get_idx(v, 0);
    ck_assert(json_object_object_get_ex(first, "code", &v));
    ck_assert_str_eq(json_object_get_string(v), "SPN_MISSING");
    ck_assert(json_object_object_get_ex(first, "commands", &v));
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(v, 0)), "audit");
    json_object_put(root);
    free(text);

    text = render(sa_event_explain_json, sa_event_lookup(20070));
    root = json_tokener_parse(text);
    ck_assert_ptr_nonnull(root);
    ck_assert(json_object_object_get_ex(root, "covered", &v));
    ck_assert(!json_object_get_boolean(v));
    ck_assert(json_object_object_get_ex(root, "covered_by", &v));
    ck_assert_uint_eq(json_object_array_length(v), 0);
    ck_assert(json_object_object_get_ex(root, "also_check", &v));
    ck_assert_ptr_nonnull(strstr(json_object_get_string(v), "No spnaudit check can see this"));
    json_object_put(root);
    free(text);
}
END_TEST

START_TEST(text_says_what_covers_it)
{
    char *text = render(sa_event_explain_text, sa_event_lookup(21016));

    ck_assert_ptr_nonnull(strstr(text, "Event 21016: "));
    ck_assert_ptr_nonnull(strstr(text, "Usual causes:"));
    ck_assert_ptr_nonnull(strstr(text, "SPN_DUPLICATE (finding, from spnaudit audit)"));
    ck_assert_ptr_nonnull(
        strstr(text, "TICKET_SPN_NOT_UNIQUE (ticket, from spnaudit audit, spnaudit probe)"));
    for (char *line = text; line != NULL && *line != '\0';
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        ck_assert_uint_le(strcspn(line, "\n"), 78);
    free(text);

    text = render(sa_event_explain_text, sa_event_lookup(20070));
    ck_assert_ptr_nonnull(strstr(text, "no spnaudit check shows this event"));
    free(text);
    text = render(sa_event_explain_text, sa_event_lookup(20050));
    ck_assert_ptr_nonnull(strstr(text, "CERT_EKU_MISSING (certificate, from spnaudit cert)"));
    free(text);
}
END_TEST

START_TEST(list_names_every_event)
{
    char *buf = NULL;
    size_t len = 0, n;
    const sa_event_info *t = sa_event_table(&n);
    FILE *f = open_memstream(&buf, &len);
    json_object *root, *events;

    ck_assert_int_eq(sa_event_list_text(f), 0);
    fclose(f);
    for (size_t i = 0; i < n; i++) {
        char line[256];
        snprintf(line, sizeof(line), "%d ", t[i].id);
        ck_assert_msg(strstr(buf, line) != NULL && strstr(buf, t[i].title) != NULL, "%d", t[i].id);
    }
    free(buf);

    f = open_memstream(&buf, &len);
    ck_assert_int_eq(sa_event_list_json(f), 0);
    fclose(f);
    root = json_tokener_parse(buf);
    ck_assert_ptr_nonnull(root);
    ck_assert(json_object_object_get_ex(root, "events", &events));
    ck_assert_uint_eq(json_object_array_length(events), n);
    json_object_put(root);
    free(buf);
}
END_TEST

START_TEST(findings_are_moved_whole)
{
    sa_findings to = {NULL, 0, 0}, from = {NULL, 0, 0};

    ck_assert_ptr_nonnull(sa_findings_add(&to, SA_F_SPN_MISSING, "ms01.contoso.com", NULL));
    ck_assert(sa_findings_take_all(&to, &from)); /* nothing to move */
    ck_assert_uint_eq(to.n, 1);
    ck_assert_ptr_nonnull(sa_findings_add(&from, SA_F_SPN_DUPLICATE, "MSOMHSvc/ms02.contoso.com", NULL));
    ck_assert_ptr_nonnull(sa_findings_add(&from, SA_F_SPN_FQDN_MISSING, "ms03.contoso.com", NULL));
    ck_assert(sa_findings_take_all(&to, &from));
    ck_assert_uint_eq(to.n, 3);
    ck_assert_str_eq(to.items[1].subject, "MSOMHSvc/ms02.contoso.com");
    ck_assert_str_eq(to.items[2].subject, "ms03.contoso.com");
    ck_assert_uint_eq(from.n, 0);
    ck_assert_ptr_null(from.items);
    sa_findings_clear(&to); /* each finding freed once: no double free under ASan and valgrind */
    sa_findings_clear(&from);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("events");
    TCase *tc = tcase_create("events");

    tcase_add_loop_test(tc, every_source_event_is_explained, 0, N_SOURCE);
    tcase_add_test(tc, table_is_sorted);
    tcase_add_test(tc, unknown_event_is_refused);
    tcase_add_loop_test(tc, covering_codes_follow_the_tables, 0, sizeof(expected) / sizeof(expected[0]));
    tcase_add_loop_test(tc, checks_agree_with_findings_made, 0, N_SOURCE);
    tcase_add_test(tc, verdict_events_are_in_the_outcome_table);
    tcase_add_test(tc, uncovered_events_say_so);
    tcase_add_test(tc, every_linked_event_is_known);
    tcase_add_test(tc, checks_looked_up_by_code);
    tcase_add_test(tc, json_lists_the_covering_checks);
    tcase_add_test(tc, text_says_what_covers_it);
    tcase_add_test(tc, list_names_every_event);
    tcase_add_test(tc, findings_are_moved_whole);
    suite_add_tcase(s, tc);
    return check_run(s);
}
