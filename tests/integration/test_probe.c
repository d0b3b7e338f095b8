/* Integration tests: "spnaudit probe" and the Kerberos side of "audit"
 * against the real test domain's KDC (Samba AD DC).
 * Run as: testdomain.sh exec test_probe PATH-TO-spnaudit */
#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "run.h"

const char *tool_path;
static const char *keytab, *keytab_principal, *password, *lab_dir;
static long agents;
static char uri[256];

/* Run the tool with its clock shifted by libfaketime (the monotonic clock,
 * which timeouts use, stays true).  ASan must be told the preload is
 * expected. */
#define FAKETIME_ENV(offset)                                                                                 \
    {                                                                                                        \
        "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1", "FAKETIME=" offset,              \
            "DONT_FAKE_MONOTONIC=1",                                                                         \
            "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1:abort_on_error=1", NULL                    \
    }

static json_object *
parse(const run_result *r)
{
    json_object *o = json_tokener_parse(r->out);

    ck_assert_msg(o != NULL, "not JSON (exit %d): %.300s / stderr: %.500s", r->status, r->out, r->err);
    return o;
}

static json_object *
ticket_of(json_object *rep, const char *spn)
{
    json_object *arr = NULL;

    ck_assert(json_object_object_get_ex(rep, "tickets", &arr));
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *t = json_object_array_get_idx(arr, i);
        if (strcasecmp(jget_str(t, "spn"), spn) == 0)
            return t;
    }
    ck_abort_msg("no ticket for %s", spn);
    return NULL;
}

static bool
jbool(json_object *o, const char *key)
{
    json_object *v = NULL;

    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s", key);
    return json_object_get_boolean(v);
}

/* Run the tool with a krb5.conf of its own for CONTOSO.TEST: these lines
 * in the realm's stanza and in [libdefaults]. */
static void
run_with_krb5_conf(const char *const *argv, const char *realm_lines, const char *libdefaults, run_result *r)
{
    char path[] = "/tmp/spnaudit-test-krb5-XXXXXX", env_conf[128];
    const char *env[] = {env_conf, NULL};
    int fd = mkstemp(path);
    FILE *f;

    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "[libdefaults]\n default_realm = CONTOSO.TEST\n dns_lookup_realm = false\n rdns = false\n"
            " dns_canonicalize_hostname = false\n udp_preference_limit = 0\n%s\n"
            "[realms]\n CONTOSO.TEST = {\n%s }\n",
            libdefaults, realm_lines);
    ck_assert_int_eq(fclose(f), 0);
    snprintf(env_conf, sizeof(env_conf), "KRB5_CONFIG=%s", path);
    run_tool(argv, env, r);
    unlink(path);
}

START_TEST(probe_explains_each_outcome)
{
    static const int unknown_ev[] = {20057, 21001};
    const char *argv[] = {"probe",
                          "--format",
                          "json",
                          "MSOMHSvc/ms01.contoso.test",
                          "MSOMHSvc/MS04",
                          "MSOMHSvc/ms06.contoso.test",
                          "MSOMHSvc/ms01.contoso.test@ADATUM.TEST",
                          "msomhsvc/MS01.CONTOSO.TEST",
                          NULL};
    run_result r;
    json_object *rep, *t, *counts;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert(jbool(rep, "complete"));
    /* the same SPN in another case is asked once */
    counts = json_object_object_get(rep, "counts");
    ck_assert_int_eq(jget_int(counts, "spns"), 4);
    ck_assert_int_eq(jget_int(counts, "tickets_issued"), 2);
    ck_assert_int_eq(jget_int(counts, "tickets_refused"), 2);

    t = ticket_of(rep, "MSOMHSvc/ms01.contoso.test");
    ck_assert(jbool(t, "ok"));
    ck_assert_str_eq(jget_str(t, "enctype"), "aes256-cts-hmac-sha1-96"); /* ms01$ is AES-only */
    ck_assert_str_eq(jget_str(t, "realm"), "CONTOSO.TEST");
    ck_assert_int_ge(jget_int(t, "kvno"), 1);

    t = ticket_of(rep, "MSOMHSvc/MS04");
    ck_assert(!jbool(t, "ok"));
    ck_assert_str_eq(jget_str(t, "cause"), "TICKET_SPN_UNKNOWN");
    ck_assert_ptr_nonnull(strstr(jget_str(t, "error"), "not found in Kerberos database"));
    for (int i = 0; i < 2; i++)
        ck_assert(finding_has_event(t, unknown_ev[i]));

    /* a disabled account still gets tickets from Samba's KDC */
    ck_assert(jbool(ticket_of(rep, "MSOMHSvc/ms06.contoso.test"), "ok"));

    /* CONTOSO trusts ADATUM, not the reverse: no realm path, not a missing SPN */
    t = ticket_of(rep, "MSOMHSvc/ms01.contoso.test@ADATUM.TEST");
    ck_assert(!jbool(t, "ok"));
    ck_assert_str_eq(jget_str(t, "cause"), "TICKET_NO_REALM_PATH");
    ck_assert(finding_has_event(t, 21008));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(probe_text_names_cause_events_and_fix)
{
    const char *argv[] = {"probe", "MSOMHSvc/ms03.contoso.test", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_ptr_nonnull(
        strstr(r.out, "FAILED  MSOMHSvc/ms03.contoso.test: Server not found in Kerberos database"));
    ck_assert_ptr_nonnull(strstr(r.out, "TICKET_SPN_UNKNOWN"));
    ck_assert_ptr_nonnull(strstr(r.out, "OpsMgr events: 20057, 21001"));
    ck_assert_ptr_nonnull(strstr(r.out, "fix: "));
    ck_assert_ptr_nonnull(strstr(r.out, "exit status 2"));
    run_free(&r);
}
END_TEST

/* Every agent SPN, from a file, in parallel: all issued. */
static void
probe_agents(const char *jobs)
{
    char path[] = "/tmp/spnaudit-test-spns-XXXXXX";
    const char *argv[] = {"probe", "--format", "json", "--jobs", jobs, "--file", path, NULL};
    run_result r;
    json_object *rep, *counts;
    int fd = mkstemp(path);
    FILE *f;

    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    fprintf(f, "# every agent's MSOMHSvc SPNs\n\n");
    for (long i = 1; i <= agents; i++)
        fprintf(f, "MSOMHSvc/agent%04ld.contoso.test\nMSOMHSvc/AGENT%04ld\n", i, i);
    ck_assert_int_eq(fclose(f), 0);
    run_tool(argv, NULL, &r);
    unlink(path);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 0);
    counts = json_object_object_get(rep, "counts");
    ck_assert_int_eq(jget_int(counts, "spns"), 2 * agents);
    ck_assert_int_eq(jget_int(counts, "tickets_issued"), 2 * agents);
    ck_assert_int_eq(jget_int(counts, "tickets_refused"), 0);
    json_object_put(rep);
    run_free(&r);
}

START_TEST(probe_every_agent_in_parallel)
{
    probe_agents("8");
}
END_TEST

START_TEST(probe_every_agent_one_at_a_time)
{
    probe_agents("1");
}
END_TEST

START_TEST(probe_file_errors_name_the_line)
{
    char path[] = "/tmp/spnaudit-test-spns-XXXXXX";
    const char *argv[] = {"probe", "--file", path, NULL};
    const char *missing[] = {"probe", "--file", "/nonexistent/spns.txt", NULL};
    run_result r;
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_gt(write(fd, "MSOMHSvc/ms01.contoso.test\n# ok\nMSOMHSvc/ms01:notaport\n", 55), 0);
    close(fd);
    run_tool(argv, NULL, &r);
    unlink(path);
    ck_assert_int_eq(r.status, 64);
    ck_assert_msg(strstr(r.err, ":3: ") && strstr(r.err, "port is not a number"), "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);

    run_tool(missing, NULL, &r);
    ck_assert_int_eq(r.status, 64);
    ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/spns.txt"));
    run_free(&r);
}
END_TEST

START_TEST(unreachable_kdc_is_incomplete)
{
    const char *argv[] = {"probe", "--format", "json", "MSOMHSvc/ms01.contoso.test", NULL};
    run_result r;
    json_object *rep;

    run_with_krb5_conf(argv, "  kdc = 127.0.0.9\n", "", &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "127.0.0.9:88: Connection refused") != NULL, "stderr: %s", r.err);
    rep = parse(&r);
    ck_assert(!jbool(rep, "complete"));
    ck_assert_str_eq(jget_str(ticket_of(rep, "MSOMHSvc/ms01.contoso.test"), "cause"),
                     "TICKET_KDC_UNREACHABLE");
    json_object_put(rep);
    run_free(&r);
}
END_TEST

static pid_t
samba_pid(void)
{
    char path[512];
    long pid = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/contoso/run/samba.pid", lab_dir);
    f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    ck_assert_int_eq(fscanf(f, "%ld", &pid), 1);
    fclose(f);
    return (pid_t)pid;
}

static void
resume_samba(void)
{
    if (lab_dir != NULL)
        kill(samba_pid(), SIGCONT);
}

START_TEST(hung_kdc_is_bounded_by_the_timeout)
{
    const char *argv[] = {
        "probe", "--kdc-timeout", "2", "MSOMHSvc/ms01.contoso.test", "MSOMHSvc/ms02.contoso.test", NULL};
    run_result r;
    struct timespec t0, t1;
    double seconds;

    /* The KDC accepts connections and never answers (libkrb5 alone would
     * wait ~27 s for it). */
    ck_assert_int_eq(kill(samba_pid(), SIGSTOP), 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_tool(argv, NULL, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    resume_samba();
    seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "127.0.0.1:88: no answer (request timeout 2000 ms)") != NULL, "stderr: %s",
                  r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "INCOMPLETE: "));
    /* one request timed out, the probe stopped: far below libkrb5's ~27 s */
    ck_assert_msg(seconds < 15.0, "took %.1f s", seconds);
    run_free(&r);
}
END_TEST

START_TEST(kdc_found_through_dns_srv)
{
    const char *argv[] = {"probe", "MSOMHSvc/ms01.contoso.test", NULL};
    run_result r;

    /* No kdc line: _kerberos._tcp.CONTOSO.TEST from the DC's own DNS. */
    run_with_krb5_conf(argv, "", " dns_lookup_kdc = true\n", &r);
    ck_assert_msg(r.status == 0, "exit %d: %s %s", r.status, r.out, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "OK      MSOMHSvc/ms01.contoso.test"));
    run_free(&r);
}
END_TEST

START_TEST(no_kdc_known_is_explained)
{
    const char *argv[] = {"probe", "MSOMHSvc/ms01.contoso.test", NULL};
    run_result r;

    run_with_krb5_conf(argv, "", " dns_lookup_kdc = false\n", &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "Cannot find KDC for realm \"CONTOSO.TEST\"") != NULL, "stderr: %s", r.err);
    run_free(&r);
}
END_TEST

START_TEST(clock_ahead_is_refused_as_skew)
{
    const char *argv[] = {"probe", "--format", "json", "MSOMHSvc/ms01.contoso.test", NULL};
    const char *env[] = FAKETIME_ENV("+10m");
    run_result r;
    json_object *rep, *t;

    run_tool(argv, env, &r);
    rep = parse(&r);
    /* our clock, not the SPN: the probe stops, incomplete, and says so */
    ck_assert_int_eq(r.status, 3);
    ck_assert(!jbool(rep, "complete"));
    ck_assert_msg(strstr(r.err,
                         "spnaudit probe: Clock skew too great while requesting a service ticket for "
                         "MSOMHSvc/ms01.contoso.test: this host's clock and the KDC's differ by more than "
                         "Kerberos allows (5 minutes by default), so the remaining tickets were not checked: "
                         "synchronise this host's clock\n") != NULL,
                  "stderr: %s", r.err);
    t = ticket_of(rep, "MSOMHSvc/ms01.contoso.test");
    ck_assert_str_eq(jget_str(t, "cause"), "TICKET_CLOCK_SKEW");
    ck_assert_ptr_nonnull(strcasestr(jget_str(t, "error"), "skew"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(audit_reports_moderate_skew)
{
    const char *argv[] = {"audit", "--uri", uri, "--no-tickets", "--format", "json", NULL};
    const char *env[] = FAKETIME_ENV("+150");
    run_result r;
    json_object *rep, *f;

    run_tool(argv, env, &r);
    rep = parse(&r);
    ck_assert(jbool(rep, "complete")); /* within Kerberos' tolerance: the bind works */
    f = find_finding(rep, "CLOCK_SKEW", NULL);
    ck_assert_msg(f != NULL, "no CLOCK_SKEW: %.500s", r.out);
    ck_assert_str_eq(jget_str(f, "severity"), "warning");
    ck_assert_ptr_nonnull(strstr(jget_str(f, "message"), "behind this host's"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(expired_credentials_are_explained)
{
    const char *argv[] = {"probe", "MSOMHSvc/ms01.contoso.test", NULL};
    const char *env[] = FAKETIME_ENV("+2d");
    run_result r;

    /* two days later, the ccache's TGT has expired */
    run_tool(argv, env, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "expired credentials") && strstr(r.err, "kinit"), "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

START_TEST(absent_credentials_are_explained)
{
    const char *argv[] = {"probe", "MSOMHSvc/ms01.contoso.test", NULL};
    const char *env[] = {"KRB5CCNAME=FILE:/nonexistent/ccache", NULL};
    run_result r;

    run_tool(argv, env, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "no Kerberos credentials in FILE:/nonexistent/ccache") &&
                      strstr(r.err, "kinit"),
                  "stderr: %s", r.err);
    run_free(&r);
}
END_TEST

START_TEST(keytab_login_leaves_the_callers_ccache_alone)
{
    const char *argv[] = {"probe",
                          "--keytab",
                          keytab,
                          "--principal",
                          keytab_principal,
                          "--format",
                          "json",
                          "MSOMHSvc/ms02.contoso.test",
                          NULL};
    const char *env[] = {"KRB5CCNAME=FILE:/nonexistent/ccache", NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, env, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(jget_str(rep, "client"), keytab_principal);
    ck_assert_int_eq(access("/nonexistent/ccache", F_OK), -1);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* -q, as on audit: nothing on standard output when every ticket is issued. */
START_TEST(probe_quiet_when_all_is_well)
{
    const char *argv[] = {"probe", "-q", "MSOMHSvc/ms01.contoso.test", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

/* --keytab alone, as kinit -k: the keytab's first principal, said on
 * stderr, and named as the client of the report. */
START_TEST(keytab_without_principal_logs_in_as_its_first)
{
    const char *argv[] = {"probe", "--keytab", keytab, "--format", "json", "MSOMHSvc/ms02.contoso.test",
                          NULL};
    const char *env[] = {"KRB5CCNAME=FILE:/nonexistent/ccache", NULL};
    char says[1024];
    run_result r;
    json_object *rep;

    run_tool(argv, env, &r);
    rep = parse(&r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(jget_str(rep, "client"), keytab_principal);
    snprintf(says, sizeof(says), "spnaudit probe: logged in as %s, the first principal of the keytab %s\n",
             keytab_principal, keytab);
    ck_assert_str_eq(r.err, says);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* The password comes on standard input (a pipe here; a terminal gets no
 * echo), the prompt goes to standard error: the JSON stays clean. */
static void
password_login(const char *pw, int want_status)
{
    char input[256];
    const char *argv[] = {
        "probe", "--principal", keytab_principal, "--format", "json", "MSOMHSvc/ms01.contoso.test", NULL};
    const char *env[] = {"KRB5CCNAME=FILE:/nonexistent/ccache", NULL};
    run_result r;

    snprintf(input, sizeof(input), "%s\n", pw);
    run_tool_input(argv, env, input, &r);
    ck_assert_msg(r.status == want_status, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "Password for "));
    ck_assert_ptr_null(strstr(r.err, pw)); /* never echoed */
    if (want_status == 0) {
        json_object *rep = parse(&r);
        json_object_put(rep);
    } else {
        ck_assert_ptr_nonnull(strstr(r.err, "Preauthentication failed"));
        ck_assert_str_eq(r.out, "");
    }
    run_free(&r);
}

START_TEST(password_login_works)
{
    password_login(password, 0);
}
END_TEST

START_TEST(wrong_password_is_explained)
{
    password_login("not-the-password", 3);
}
END_TEST

START_TEST(audit_checks_reachability)
{
    const char *argv[] = {"audit",    "--uri",
                          uri,        "--no-tickets",
                          "--format", "json",
                          "--ms",     "ms01.contoso.test",
                          "--ms",     "ms03.contoso.test",
                          "--ms",     "ms04.contoso.test",
                          NULL};
    run_result r;
    json_object *rep, *f;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    f = find_finding(rep, "DNS_RESOLUTION_FAILED", "ms03.contoso.test");
    ck_assert_ptr_nonnull(f);
    ck_assert(finding_has_event(f, 21005));
    f = find_finding(rep, "TCP_CONNECT_FAILED", "ms04.contoso.test");
    ck_assert_ptr_nonnull(f);
    ck_assert(finding_has_event(f, 21006));
    ck_assert_ptr_nonnull(strstr(jget_str(f, "evidence"), "127.0.0.24:5723: Connection refused"));
    ck_assert_ptr_null(find_finding(rep, "TCP_CONNECT_FAILED", "ms01.contoso.test"));
    ck_assert_ptr_null(find_finding(rep, "DNS_RESOLUTION_FAILED", "ms01.contoso.test"));
    ck_assert_uint_eq(count_findings(rep, "DNS_RESOLUTION_FAILED"), 1);
    ck_assert_uint_eq(count_findings(rep, "TCP_CONNECT_FAILED"), 1);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("probe-integration");
    TCase *tc = tcase_create("probe"), *stop = tcase_create("hung-kdc");

    if (argc != 2 || getenv("LAB_DC") == NULL || getenv("LAB_AGENTS") == NULL) {
        fprintf(stderr, "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n", argv[0]);
        return 2;
    }
    tool_path = argv[1];
    agents = strtol(getenv("LAB_AGENTS"), NULL, 10);
    keytab = getenv("LAB_KEYTAB");
    keytab_principal = getenv("LAB_KEYTAB_PRINCIPAL");
    password = getenv("LAB_PASSWORD");
    lab_dir = getenv("SPNAUDIT_LAB_DIR");
    snprintf(uri, sizeof(uri), "ldap://%s", getenv("LAB_DC"));

    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, probe_explains_each_outcome);
    tcase_add_test(tc, probe_text_names_cause_events_and_fix);
    tcase_add_test(tc, probe_every_agent_in_parallel);
    tcase_add_test(tc, probe_every_agent_one_at_a_time);
    tcase_add_test(tc, probe_file_errors_name_the_line);
    tcase_add_test(tc, unreachable_kdc_is_incomplete);
    tcase_add_test(tc, kdc_found_through_dns_srv);
    tcase_add_test(tc, no_kdc_known_is_explained);
    tcase_add_test(tc, clock_ahead_is_refused_as_skew);
    tcase_add_test(tc, audit_reports_moderate_skew);
    tcase_add_test(tc, expired_credentials_are_explained);
    tcase_add_test(tc, absent_credentials_are_explained);
    tcase_add_test(tc, keytab_login_leaves_the_callers_ccache_alone);
    tcase_add_test(tc, keytab_without_principal_logs_in_as_its_first);
    tcase_add_test(tc, probe_quiet_when_all_is_well);
    tcase_add_test(tc, password_login_works);
    tcase_add_test(tc, wrong_password_is_explained);
    tcase_add_test(tc, audit_checks_reachability);
    suite_add_tcase(s, tc);

    /* SIGCONT again whatever happens to the test that stopped the DC */
    tcase_add_unchecked_fixture(stop, NULL, resume_samba);
    tcase_set_timeout(stop, 120);
    tcase_add_test(stop, hung_kdc_is_bounded_by_the_timeout);
    suite_add_tcase(s, stop);
    return check_run(s);
}
