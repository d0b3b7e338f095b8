/* Integration tests: "spnaudit cert" on the certificates the test domain
 * publishes on computer objects (userCertificate): ms01 holds its current
 * certificate and an expired one, ms02 its own, the other servers none.
 * A host that cannot be checked is said so, never a finding.
 * Run as: testdomain.sh exec test_certs PATH-TO-spnaudit */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "check_run.h"
#include "run.h"

const char *tool_path;
static const char *domain, *dc, *gateway;
static char chain[4096];

/* "spnaudit cert -d DOMAIN -s DC --ca-file CHAIN -f json" + args. */
static json_object *
cert_json(const char *const *args, run_result *r)
{
    const char *argv[40] = {"cert", "-d", domain, "-s", dc, "--ca-file", chain, "-f", "json"};
    size_t n = 9;

    for (size_t i = 0; args[i] != NULL && n < 39; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    run_tool(argv, NULL, r);
    return parse_report(r);
}

/* The certificates of the report read for host. */
static size_t
certs_of(json_object *rep, const char *host)
{
    json_object *arr = json_object_object_get(rep, "certificates");
    size_t n = 0;

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *c = json_object_array_get_idx(arr, i);
        if (strcasecmp(jget_str(c, "host"), host) == 0)
            n++;
    }
    return n;
}

/* The not_read entry that begins with host, or NULL. */
static const char *
not_read_of(json_object *rep, const char *host)
{
    json_object *arr = json_object_object_get(rep, "not_read");

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(arr, i));
        if (strncasecmp(s, host, strlen(host)) == 0 && s[strlen(host)] == ':')
            return s;
    }
    return NULL;
}

/* r's JSON is valid against the published certificate schema. */
static void
matches_the_schema(const run_result *r)
{
    char path[] = "/tmp/spnaudit-certs-json-XXXXXX", cmd[8192];
    int status;

    write_conf(path, r->out);
    snprintf(cmd, sizeof(cmd),
             "python3 %s/tests/cert/check-cert-schema.py %s/examples/spnaudit-cert.schema.json "
             "%s/examples/spnaudit-report.schema.json %s",
             SOURCE_ROOT, SOURCE_ROOT, SOURCE_ROOT, path);
    status = system(cmd);
    unlink(path);
    ck_assert_msg(status == 0, "the report does not match examples/spnaudit-cert.schema.json");
}

START_TEST(published_certificates_are_checked)
{
    const char *args[] = {"--host", "ms01.contoso.test", "--host", "ms02.contoso.test", NULL};
    run_result r;
    json_object *rep = cert_json(args, &r), *expired, *certs;

    /* ms01's expired certificate is the one failure; its current one and
     * ms02's build to the test CA and name their hosts */
    ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
    ck_assert(json_object_get_boolean(json_object_object_get(rep, "complete")));
    ck_assert_uint_eq(certs_of(rep, "ms01.contoso.test"), 2);
    ck_assert_uint_eq(certs_of(rep, "ms02.contoso.test"), 1);
    ck_assert_uint_eq(json_object_array_length(report_findings(rep)), 1);
    expired = find_finding(rep, "CERT_EXPIRED", NULL);
    ck_assert_ptr_nonnull(expired);
    ck_assert_str_eq(jget_str(expired, "server"), "ms01.contoso.test");
    ck_assert_ptr_nonnull(strstr(jget_str(expired, "subject"), "userCertificate of CN=ms01,CN=Computers,"));
    ck_assert(finding_has_event(expired, 20072));
    certs = json_object_object_get(rep, "certificates");
    for (size_t i = 0; i < json_object_array_length(certs); i++) {
        json_object *c = json_object_array_get_idx(certs, i);
        ck_assert_str_eq(jget_str(c, "chain"), "trusted");
        ck_assert_str_eq(jget_str(json_object_object_get(c, "key"), "private_key"), "not_in_file");
    }
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(without_the_chain_the_anchor_is_said_missing)
{
    const char *argv[] = {"cert", "-d", domain, "-s", dc, "--host", "ms02.contoso.test", "-f", "json", NULL};
    run_result r;
    json_object *rep, *f;

    /* the system's store does not hold the test CA */
    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 2);
    f = find_finding(rep, "CERT_CHAIN_UNTRUSTED", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(jget_str(f, "server"), "ms02.contoso.test");
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(hosts_without_certificates_are_not_checked)
{
    const char *args[] = {"--host", "ms03.contoso.test", "--host", "nosuch.contoso.test", NULL};
    run_result r;
    json_object *rep = cert_json(args, &r);
    const char *none, *unknown;

    /* nothing to judge is no failure: exit 3, each host said */
    ck_assert_msg(r.status == 3, "exit %d: %s", r.status, r.err);
    ck_assert_uint_eq(json_object_array_length(report_findings(rep)), 0);
    ck_assert(!json_object_get_boolean(json_object_object_get(rep, "complete")));
    none = not_read_of(rep, "ms03.contoso.test");
    unknown = not_read_of(rep, "nosuch.contoso.test");
    ck_assert_ptr_nonnull(none);
    ck_assert_ptr_nonnull(strstr(none, "holds no certificate"));
    ck_assert_ptr_nonnull(unknown);
    ck_assert_ptr_nonnull(strstr(unknown, "no computer object"));
    ck_assert_ptr_nonnull(strstr(r.err, "not checked: ms03.contoso.test"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(config_names_the_servers_and_gateways)
{
    char conf[] = "/tmp/spnaudit-certs-XXXXXX", text[1024];
    const char *argv[] = {"cert", "-c", conf, "--ca-file", chain, "-f", "json", NULL};
    run_result r;
    json_object *rep;
    const char *gw;

    /* the gateway lives in a trusted forest: read from its own domain */
    snprintf(text, sizeof(text),
             "[domain]\nname = %s\nservers = %s\n[management_group]\n"
             "management_servers = ms01.contoso.test, ms02.contoso.test\ngateways = %s\n",
             domain, dc, gateway);
    write_conf(conf, text);
    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    unlink(conf);
    ck_assert_msg(r.status == 3, "exit %d: %s", r.status, r.err);
    ck_assert_uint_eq(certs_of(rep, "ms01.contoso.test"), 2);
    ck_assert_uint_eq(certs_of(rep, "ms02.contoso.test"), 1);
    gw = not_read_of(rep, gateway);
    ck_assert_msg(gw != NULL && strstr(gw, "holds no certificate") != NULL, "gateway: %s",
                  gw ? gw : "(not said)");
    ck_assert_ptr_nonnull(find_finding(rep, "CERT_EXPIRED", NULL));
    ck_assert_str_eq(jget_str(rep, "read_from"), "directory");
    matches_the_schema(&r);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(a_dead_dc_leaves_the_hosts_unchecked)
{
    const char *argv[] = {
        "cert", "-d",   domain, "-s", "127.0.0.1:9", "--timeout", "3", "--host", "ms01.contoso.test",
        "-f",   "json", NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_msg(r.status == 3, "exit %d: %s", r.status, r.err);
    ck_assert_uint_eq(json_object_array_length(report_findings(rep)), 0);
    ck_assert_ptr_nonnull(strstr(not_read_of(rep, "ms01.contoso.test"), "could not be read"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* The template of the report named name. */
static json_object *
template_of(json_object *rep, const char *name)
{
    json_object *arr = json_object_object_get(rep, "templates");

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *t = json_object_array_get_idx(arr, i);
        if (strcmp(jget_str(t, "name"), name) == 0)
            return t;
    }
    ck_abort_msg("no template %s in the report", name);
    return NULL;
}

/* Does template t's findings hold code? */
static bool
template_has(json_object *t, const char *code)
{
    json_object *arr = json_object_object_get(t, "findings");

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        if (strcmp(jget_str(json_object_array_get_idx(arr, i), "code"), code) == 0)
            return true;
    }
    return false;
}

/* The test domain's four templates: one for OpsMgr, one for OpsMgr with
 * warnings (the subject from the directory, the key not exportable), one
 * with Server Authentication only, one whose keys go to a CNG provider. */
START_TEST(templates_are_judged)
{
    const char *argv[] = {"cert", "-d", domain, "-s", dc, "--templates", "-f", "json", NULL};
    run_result r;
    json_object *rep, *t;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
    ck_assert(json_object_get_boolean(json_object_object_get(rep, "complete")));
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(rep, "templates")), 4);
    t = template_of(rep, "OpsMgr");
    ck_assert(json_object_get_boolean(json_object_object_get(t, "usable")));
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(t, "findings")), 0);
    t = template_of(rep, "MachineCopy");
    ck_assert(json_object_get_boolean(json_object_object_get(t, "usable")));
    ck_assert(template_has(t, "TEMPLATE_SUBJECT_DOMAIN_ONLY"));
    ck_assert(template_has(t, "TEMPLATE_NOT_EXPORTABLE"));
    t = template_of(rep, "WebServerCopy");
    ck_assert(!json_object_get_boolean(json_object_object_get(t, "usable")));
    ck_assert(template_has(t, "TEMPLATE_EKU"));
    t = template_of(rep, "OpsMgrKSP");
    ck_assert(!json_object_get_boolean(json_object_object_get(t, "usable")));
    ck_assert(template_has(t, "TEMPLATE_KSP"));
    ck_assert_int_eq(jget_int(t, "schema_version"), 3);
    ck_assert_ptr_nonnull(find_finding(rep, "TEMPLATE_KSP", "OpsMgrKSP"));
    matches_the_schema(&r);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* The first entry of array key of rep whose code is code, or NULL. */
static json_object *
with_code(json_object *rep, const char *key, const char *code)
{
    json_object *arr = json_object_object_get(rep, key);

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *f = json_object_array_get_idx(arr, i);
        if (strcmp(jget_str(f, "code"), code) == 0)
            return f;
    }
    return NULL;
}

/* The audit of ms01, ms02 and ms03 (no tickets, no reachability), with
 * option opt value, as JSON. */
static json_object *
audit_json(const char *opt, const char *value, run_result *r)
{
    const char *argv[] = {"audit",
                          "-s",
                          dc,
                          "--ms",
                          "ms01.contoso.test",
                          "--ms",
                          "ms02.contoso.test",
                          "--ms",
                          "ms03.contoso.test",
                          "--tickets",
                          "none",
                          "--no-reachability",
                          "-f",
                          "json",
                          opt,
                          value,
                          NULL};

    run_tool(argv, NULL, r);
    return parse_report(r);
}

/* audit --cert-ca-file: the servers' published certificates among the
 * audit's findings; ms03 publishes none: a check not run for it.  Against
 * a baseline that checked them, an audit that does not leaves their
 * findings not compared, never fixed. */
START_TEST(audit_checks_the_servers_certificates)
{
    char baseline[] = "/tmp/spnaudit-certs-baseline-XXXXXX";
    run_result r;
    json_object *rep, *f, *scope, *notrun;
    bool ms03 = false;

    rep = audit_json("--cert-ca-file", chain, &r);
    ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
    f = find_finding(rep, "CERT_EXPIRED", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(jget_str(f, "server"), "ms01.contoso.test");
    ck_assert_uint_eq(count_findings(rep, "CERT_CHAIN_UNTRUSTED"), 0);
    scope = json_object_object_get(rep, "scope");
    ck_assert(json_object_get_boolean(json_object_object_get(scope, "certificates")));
    notrun = json_object_object_get(rep, "checks_not_run");
    for (size_t i = 0; i < json_object_array_length(notrun); i++) {
        json_object *c = json_object_array_get_idx(notrun, i);
        ms03 |= strcmp(jget_str(c, "check"), "CERT_*") == 0 &&
                strcmp(jget_str(c, "server"), "ms03.contoso.test") == 0 &&
                strstr(jget_str(c, "why"), "holds no certificate") != NULL;
    }
    ck_assert_msg(ms03, "ms03's certificates not said unchecked: %s", json_object_to_json_string(notrun));
    write_conf(baseline, r.out);
    json_object_put(rep);
    run_free(&r);

    rep = audit_json("--baseline", baseline, &r);
    unlink(baseline);
    ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
    ck_assert_uint_eq(count_findings(rep, "CERT_EXPIRED"), 0);
    ck_assert_ptr_null(with_code(rep, "fixed", "CERT_EXPIRED"));
    f = with_code(rep, "not_compared", "CERT_EXPIRED");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(jget_str(f, "why_not_compared"), "certificates: not checked now"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* NORTHWIND's twin1 claims agent01's dNSHostName (tests/lab/hostile.tsv):
 * neither object is judged, and it is said; agent02 publishes nothing. */
START_TEST(a_name_two_objects_claim_is_not_judged)
{
    const char *ndc = getenv("LAB_DC_NORTHWIND");
    const char *argv[] = {"cert",
                          "-d",
                          "northwind.test",
                          "-s",
                          ndc,
                          "--host",
                          "agent01.northwind.test",
                          "--host",
                          "agent02.northwind.test",
                          "-f",
                          "json",
                          NULL};
    run_result r;
    json_object *rep;
    const char *twin, *none;

    ck_assert_ptr_nonnull(ndc);
    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_msg(r.status == 3, "exit %d: %s", r.status, r.err);
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(rep, "certificates")), 0);
    ck_assert_uint_eq(json_object_array_length(report_findings(rep)), 0);
    twin = not_read_of(rep, "agent01.northwind.test");
    none = not_read_of(rep, "agent02.northwind.test");
    ck_assert_msg(twin != NULL && strstr(twin, "two or more computer objects claim") != NULL, "%s",
                  twin ? twin : "(agent01 not said)");
    ck_assert_msg(none != NULL && strstr(none, "holds no certificate") != NULL, "%s",
                  none ? none : "(agent02 not said)");
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(directory_usage_errors)
{
    const char *files_and_domain[] = {"cert", "-d", domain, "x.pfx", NULL};
    const char *pfx_password[] = {"cert",           "-d", domain, "--host", "ms01.contoso.test",
                                  "--password-env", "X",  NULL};
    const char *no_host[] = {"cert", "-d", domain, NULL};
    const char *short_host[] = {"cert", "-d", domain, "--host", "ms01", NULL};
    const char *templates_only[] = {"cert", "--templates", "x.pfx", NULL};
    const char *audit_expiry[] = {"audit", "--cert-expiry-warning", "9999", NULL};
    const char *bind_pw[] = {"cert", "-d", domain, "--host", "ms01.contoso.test", "--bind-password-env",
                             "X",    NULL};

    expect_usage_error(files_and_domain, "not both");
    expect_usage_error(pfx_password, "--bind-password-file");
    expect_usage_error(no_host, "no host to read");
    expect_usage_error(short_host, "found by full host names");
    expect_usage_error(templates_only, "--templates reads the directory");
    expect_usage_error(audit_expiry, "--cert-expiry-warning wants a number of days");
    expect_usage_error(bind_pw, "--bind-password-env is for a simple bind: add --bind-user");
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("certs-integration");
    TCase *tc = tcase_create("certs");
    const char *certs = getenv("LAB_CERTS");

    if (argc != 2 || getenv("LAB_DC") == NULL || getenv("LAB_DOMAIN") == NULL || certs == NULL ||
        getenv("LAB_GATEWAY") == NULL) {
        fprintf(stderr,
                "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n"
                "(needs the test domain's environment with its published certificates)\n",
                argv[0]);
        return 2;
    }
    tool_path = argv[1];
    domain = getenv("LAB_DOMAIN");
    dc = getenv("LAB_DC");
    gateway = getenv("LAB_GATEWAY");
    snprintf(chain, sizeof(chain), "%s/chain.pem", certs);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, published_certificates_are_checked);
    tcase_add_test(tc, without_the_chain_the_anchor_is_said_missing);
    tcase_add_test(tc, hosts_without_certificates_are_not_checked);
    tcase_add_test(tc, config_names_the_servers_and_gateways);
    tcase_add_test(tc, a_dead_dc_leaves_the_hosts_unchecked);
    tcase_add_test(tc, templates_are_judged);
    tcase_add_test(tc, audit_checks_the_servers_certificates);
    tcase_add_test(tc, a_name_two_objects_claim_is_not_judged);
    tcase_add_test(tc, directory_usage_errors);
    suite_add_tcase(s, tc);
    return check_run(s);
}
