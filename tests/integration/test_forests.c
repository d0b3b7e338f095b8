/* Integration tests: the audit beyond one domain, against the real test
 * domain and its trusted forests.  Every server is judged in its own
 * domain; what could not be read is said so, never reported as a failure.
 * Run as: testdomain.sh exec test_forests PATH-TO-spnaudit */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_run.h"
#include "run.h"

const char *tool_path;
static const char *dc, *fdc, *gateway, *gateway_no_netbios, *remote_ms;

/* Run the audit with args (NULL-terminated, after "audit"), as JSON. */
static json_object *
audit_json(const char *const *args, run_result *r)
{
    const char *argv[40] = {"audit", "--format", "json", "--no-reachability"};
    size_t n = 4;

    for (size_t i = 0; args[i] != NULL && n < 39; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    run_tool(argv, NULL, r);
    return parse_report(r);
}

/* The report's entry for server fqdn. */
static json_object *
server_entry(json_object *rep, const char *fqdn)
{
    json_object *arr = NULL;

    ck_assert(json_object_object_get_ex(rep, "management_servers", &arr));
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *s = json_object_array_get_idx(arr, i);
        if (strcasecmp(jget_str(s, "fqdn"), fqdn) == 0)
            return s;
    }
    return NULL;
}

/* How many findings name server fqdn; with code (unless NULL). */
static size_t
findings_of(json_object *rep, const char *fqdn, const char *code)
{
    json_object *arr = report_findings(rep);
    size_t n = 0;

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *f = json_object_array_get_idx(arr, i), *srv = NULL;
        if (json_object_object_get_ex(f, "server", &srv) && srv != NULL &&
            strcasecmp(json_object_get_string(srv), fqdn) == 0 &&
            (code == NULL || strcmp(jget_str(f, "code"), code) == 0))
            n++;
    }
    return n;
}

/* Does any finding's fix contain text? */
static bool
any_fix_contains(json_object *rep, const char *text)
{
    json_object *arr = report_findings(rep);

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *fix = NULL;
        if (json_object_object_get_ex(json_object_array_get_idx(arr, i), "fix", &fix) && fix != NULL &&
            strcasestr(json_object_get_string(fix), text) != NULL)
            return true;
    }
    return false;
}

/* Does a checks_not_run entry contain text? */
static bool
not_run_says(json_object *rep, const char *text)
{
    json_object *arr = NULL;

    ck_assert(json_object_object_get_ex(rep, "checks_not_run", &arr));
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        const char *s = json_object_to_json_string(json_object_array_get_idx(arr, i));
        if (strcasestr(s, text) != NULL)
            return true;
    }
    return false;
}

START_TEST(gateways_in_a_trusted_forest_are_judged_there)
{
    const char *args[] = {
        "--domain",          "contoso.test", "--domain", "fabrikam.test", "--server",         dc,  "--ms",
        "ms01.contoso.test", "--gateway",    gateway,    "--gateway",     gateway_no_netbios, NULL};
    run_result r;
    json_object *rep = audit_json(args, &r), *f;

    ck_assert_int_eq(r.status, 2); /* CONTOSO's own faults */
    ck_assert_ptr_nonnull(server_entry(rep, gateway));
    ck_assert(json_object_get_boolean(json_object_object_get(server_entry(rep, gateway), "judged")));
    ck_assert_str_eq(jget_str(server_entry(rep, gateway), "account"),
                     "CN=gw01,CN=Computers,DC=fabrikam,DC=test");
    /* gw01 holds both SPNs in FABRIKAM: nothing to say */
    ck_assert_uint_eq(findings_of(rep, gateway, NULL), 0);
    /* gw02 lacks its NetBIOS SPN: the fix names FABRIKAM's account */
    ck_assert_uint_eq(findings_of(rep, gateway_no_netbios, NULL), 1);
    f = find_finding(rep, "SPN_NETBIOS_MISSING", "MSOMHSvc/GW02");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(jget_str(f, "fix"), "setspn -S MSOMHSvc/GW02 FABRIKAM\\gw02$");
    ck_assert(fix_has_command(f, "setspn", (const char *[]){"-S", "MSOMHSvc/GW02", "FABRIKAM\\gw02$"}, 3));
    ck_assert(!any_fix_contains(rep, "CONTOSO\\GW0"));
    ck_assert_uint_eq(count_findings(rep, "SERVER_ACCOUNT_NOT_FOUND"), 0);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The codes of the findings about the servers, sorted, one string. */
static char *
server_codes(json_object *rep, const char *const *servers)
{
    json_object *arr = report_findings(rep);
    char *list[64];
    size_t n = 0, len = 1;
    char *out;

    for (size_t i = 0; i < json_object_array_length(arr) && n < 64; i++) {
        json_object *f = json_object_array_get_idx(arr, i), *srv = NULL;
        if (!json_object_object_get_ex(f, "server", &srv) || srv == NULL)
            continue;
        for (size_t k = 0; servers[k] != NULL; k++) {
            if (strcasecmp(json_object_get_string(srv), servers[k]) == 0) {
                list[n] = NULL;
                ck_assert_int_ge(
                    asprintf(&list[n], "%s %s %s", servers[k], jget_str(f, "code"), jget_str(f, "severity")),
                    0);
                len += strlen(list[n++]) + 1;
            }
        }
    }
    qsort(list, n, sizeof(list[0]), cmp_str);
    out = calloc(1, len);
    for (size_t i = 0; i < n; i++) {
        strcat(strcat(out, list[i]), ";");
        free(list[i]);
    }
    return out;
}

/* A gateway or management server of a trusted forest gets the same
 * verdicts it gets when its own domain is audited alone. */
START_TEST(same_verdicts_as_its_own_domain_alone)
{
    const char *servers[] = {gateway, gateway_no_netbios, remote_ms, NULL};
    const char *from_home[] = {"--server",  dc,      "--ms",      "ms01.contoso.test", "--ms", remote_ms,
                               "--gateway", gateway, "--gateway", gateway_no_netbios,  NULL};
    const char *alone[] = {"--server",         fdc, "--ms", remote_ms, "--gateway", gateway, "--gateway",
                           gateway_no_netbios, NULL};
    run_result r1, r2;
    json_object *a = audit_json(from_home, &r1), *b = audit_json(alone, &r2);
    char *ca = server_codes(a, servers), *cb = server_codes(b, servers);

    ck_assert_str_eq(jget_str(b, "domain"), "fabrikam.test");
    ck_assert_msg(json_object_get_boolean(json_object_object_get(a, "complete")), "%s", r1.err);
    ck_assert_msg(json_object_get_boolean(json_object_object_get(b, "complete")), "%s", r2.err);
    ck_assert_str_eq(ca, cb);
    ck_assert_str_eq(ca, "gw02.fabrikam.test SPN_NETBIOS_MISSING warning;");
    free(ca);
    free(cb);
    json_object_put(a);
    json_object_put(b);
    run_free(&r1);
    run_free(&r2);
}
END_TEST

/* ms01.fabrikam.test has no account in FABRIKAM: CONTOSO's MSOMHSvc/MS01
 * is not its SPN, and no fix registers SPNs on an account that does not
 * exist (ms99.contoso.test neither). */
START_TEST(server_names_are_matched_in_their_own_domain)
{
    const char *args[] = {"--server",     dc,  "--ms", "ms01.fabrikam.test", "--ms", "ms99.contoso.test",
                          "--no-tickets", NULL};
    run_result r;
    json_object *rep = audit_json(args, &r), *f, *spns = NULL;

    f = find_finding(rep, "SERVER_ACCOUNT_NOT_FOUND", "ms01.fabrikam.test");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(jget_str(f, "message"), "in fabrikam.test"));
    ck_assert(json_object_object_get_ex(server_entry(rep, "ms01.fabrikam.test"), "spns", &spns));
    ck_assert_uint_eq(json_object_array_length(spns), 0);
    ck_assert_uint_eq(findings_of(rep, "ms01.fabrikam.test", NULL), 1);
    ck_assert_ptr_nonnull(find_finding(rep, "SERVER_ACCOUNT_NOT_FOUND", "ms99.contoso.test"));
    ck_assert_uint_eq(findings_of(rep, "ms99.contoso.test", NULL), 1);
    ck_assert(!any_fix_contains(rep, "MS99$"));
    ck_assert(!any_fix_contains(rep, "FABRIKAM\\MS01$"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* --service-class MSOMSdkSvc: the MSOMHSvc SPNs were not read, so none is
 * missing; the report says what it did not check. */
START_TEST(health_spns_not_read_are_not_missing)
{
    const char *args[] = {"--server", dc, "--ms", "ms01.contoso.test", "--service-class", "MSOMSdkSvc", NULL};
    run_result r;
    json_object *rep = audit_json(args, &r);

    ck_assert_int_eq(r.status, 0);
    ck_assert_uint_eq(count_findings(rep, "SPN_MISSING"), 0);
    ck_assert_uint_eq(findings_of(rep, "ms01.contoso.test", NULL), 0);
    ck_assert(not_run_says(rep, "MSOMHSvc SPNs were not read"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* A gateway under a domain that cannot be read is not judged: the run is
 * incomplete, and no finding is made about it. */
START_TEST(server_of_an_unreadable_domain_is_not_judged)
{
    const char *args[] = {"--server",     dc,  "--ms", "ms01.contoso.test", "--gateway", "gw09.nowhere.test",
                          "--no-tickets", NULL};
    run_result r;
    json_object *rep = audit_json(args, &r), *s;

    ck_assert_int_eq(r.status, 3);
    ck_assert(!json_object_get_boolean(json_object_object_get(rep, "complete")));
    ck_assert_ptr_nonnull(strstr(jget_str(rep, "incomplete_reason"), "nowhere.test"));
    s = server_entry(rep, "gw09.nowhere.test");
    ck_assert_ptr_nonnull(s);
    ck_assert(!json_object_get_boolean(json_object_object_get(s, "judged")));
    ck_assert_uint_eq(findings_of(rep, "gw09.nowhere.test", NULL), 0);
    ck_assert(not_run_says(rep, "\"server\": \"gw09.nowhere.test\""));
    ck_assert(not_run_says(rep, "its domain nowhere.test could not be read"));
    /* the home domain is still audited */
    ck_assert(
        json_object_get_boolean(json_object_object_get(server_entry(rep, "ms01.contoso.test"), "judged")));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* The failures (code and subject) of a report, sorted, one string each. */
static size_t
failures(json_object *rep, char **out, size_t max)
{
    json_object *arr = report_findings(rep);
    size_t n = 0;

    for (size_t i = 0; i < json_object_array_length(arr) && n < max; i++) {
        json_object *f = json_object_array_get_idx(arr, i);
        if (strcmp(jget_str(f, "severity"), "failure") == 0)
            ck_assert_int_ge(asprintf(&out[n++], "%s %s", jget_str(f, "code"), jget_str(f, "subject")), 0);
    }
    qsort(out, n, sizeof(out[0]), cmp_str);
    return n;
}

/* An incomplete run never reports a failure that a complete run would not:
 * a search cut short (--size-limit) leaves holders and hosts unread. */
START_TEST(incomplete_run_reports_no_failure_a_complete_one_does_not)
{
    static const int limits[] = {40, 700, 1265};
    const char *full_args[] = {"--server",     dc,
                               "--ms",         "ms01.contoso.test",
                               "--ms",         "ms03.contoso.test",
                               "--ms",         "ms04.contoso.test",
                               "--no-tickets", NULL};
    static char *want[8192], *got[8192];
    run_result r;
    json_object *rep = audit_json(full_args, &r);
    size_t n_want = failures(rep, want, 8192);

    ck_assert_int_eq(r.status, 2);
    json_object_put(rep);
    run_free(&r);
    for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++) {
        char limit[16];
        const char *args[] = {"--server",     dc,
                              "--ms",         "ms01.contoso.test",
                              "--ms",         "ms03.contoso.test",
                              "--ms",         "ms04.contoso.test",
                              "--no-tickets", "--size-limit",
                              limit,          NULL};
        size_t n_got;

        snprintf(limit, sizeof(limit), "%d", limits[k]);
        rep = audit_json(args, &r);
        ck_assert_int_eq(r.status, 3);
        n_got = failures(rep, got, 8192);
        for (size_t i = 0; i < n_got; i++) {
            ck_assert_msg(bsearch(&got[i], want, n_want, sizeof(want[0]), cmp_str) != NULL,
                          "with --size-limit %d: %s is a failure only in the incomplete run", limits[k],
                          got[i]);
            free(got[i]);
        }
        ck_assert(json_object_array_length(json_object_object_get(rep, "checks_not_run")) > 0);
        json_object_put(rep);
        run_free(&r);
    }
    for (size_t i = 0; i < n_want; i++)
        free(want[i]);
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("forests-integration");
    TCase *tc = tcase_create("forests");

    if (argc != 2 || getenv("LAB_DC") == NULL || getenv("LAB_DC_FABRIKAM") == NULL ||
        getenv("LAB_GATEWAY") == NULL || getenv("LAB_GATEWAY_NO_NETBIOS") == NULL ||
        getenv("LAB_REMOTE_MS") == NULL) {
        fprintf(stderr,
                "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n"
                "(needs the test domain's environment with its trusted forests)\n",
                argv[0]);
        return 2;
    }
    tool_path = argv[1];
    dc = getenv("LAB_DC");
    fdc = getenv("LAB_DC_FABRIKAM");
    gateway = getenv("LAB_GATEWAY");
    gateway_no_netbios = getenv("LAB_GATEWAY_NO_NETBIOS");
    remote_ms = getenv("LAB_REMOTE_MS");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, gateways_in_a_trusted_forest_are_judged_there);
    tcase_add_test(tc, same_verdicts_as_its_own_domain_alone);
    tcase_add_test(tc, server_names_are_matched_in_their_own_domain);
    tcase_add_test(tc, health_spns_not_read_are_not_missing);
    tcase_add_test(tc, server_of_an_unreadable_domain_is_not_judged);
    tcase_add_test(tc, incomplete_run_reports_no_failure_a_complete_one_does_not);
    suite_add_tcase(s, tc);
    return check_run(s);
}
