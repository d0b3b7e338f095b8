/* Integration tests: how spnaudit binds to the real test domain's DC
 * (Samba AD DC): simple binds over LDAPS and StartTLS with the DC's
 * certificate verified, passwords from a prompt, a file or the
 * environment, the refused clear-text bind, certificate failures.
 * Run as: testdomain.sh exec test_bind PATH-TO-spnaudit */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"
#include "run.h"

const char *tool_path;
static const char *dc, *ca_file, *password;
static char ldaps_uri[256], ip_uri[256], unreachable_dc[300];

#define ADMIN "administrator@contoso.test"

static json_object *
parse(const run_result *r)
{
    json_object *o = json_tokener_parse(r->out);

    ck_assert_msg(o != NULL, "not JSON (exit %d): %.300s / stderr: %.500s", r->status, r->out, r->err);
    return o;
}

/* The password must never show in what the tool prints. */
static void
assert_no_password(const run_result *r)
{
    ck_assert_msg(strstr(r->out, password) == NULL, "the password is on standard output");
    ck_assert_msg(strstr(r->err, password) == NULL, "the password is on standard error");
}

/* A listing of ms01's SPNs through the bind given: it must have worked. */
static void
assert_listing(const run_result *r)
{
    ck_assert_msg(r->status == 0, "exit %d (0: ms01's own SPNs are sound): %s", r->status, r->err);
    ck_assert_msg(strstr(r->out, "MSOMHSvc/ms01.contoso.test") != NULL, "no ms01 SPN in: %.300s", r->out);
    assert_no_password(r);
}

/* A file holding the password, with this mode. */
static void
password_file(char *path, mode_t mode, const char *content)
{
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    ck_assert_int_eq(fchmod(fd, mode), 0);
    close(fd);
}

START_TEST(ldaps_simple_bind_with_verified_certificate)
{
    const char *argv[] = {"spn",       "--server",    dc,    "--ldaps",        "--ca-file",
                          ca_file,     "--bind-user", ADMIN, "--password-env", "LAB_PASSWORD",
                          "--account", "ms01$",       NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    assert_listing(&r);
    ck_assert_str_eq(r.err, "");
    run_free(&r);
}
END_TEST

START_TEST(starttls_simple_bind_with_password_file)
{
    char path[] = "/tmp/spnaudit-pw-XXXXXX";
    char content[256];
    const char *argv[] = {"spn",
                          "--server",
                          dc,
                          "--starttls",
                          "--ca-file",
                          ca_file,
                          "--bind-user",
                          "CONTOSO\\administrator",
                          "--password-file",
                          path,
                          "--account",
                          "ms01$",
                          NULL};
    run_result r;

    snprintf(content, sizeof(content), "%s\n", password);
    password_file(path, 0600, content);
    run_tool(argv, NULL, &r);
    unlink(path);
    assert_listing(&r);
    run_free(&r);
}
END_TEST

START_TEST(password_is_asked_for)
{
    const char *argv[] = {"spn",         "--uri", ldaps_uri,   "--ca-file", ca_file,
                          "--bind-user", ADMIN,   "--account", "ms01$",     NULL};
    char input[256];
    run_result r;

    snprintf(input, sizeof(input), "%s\n", password);
    run_tool_input(argv, NULL, input, &r);
    assert_listing(&r);
    ck_assert_msg(strstr(r.err, "LDAP password for " ADMIN ": ") != NULL, "no prompt: %s", r.err);
    run_free(&r);
}
END_TEST

START_TEST(password_file_readable_by_group_is_refused)
{
    char path[] = "/tmp/spnaudit-pw-XXXXXX";
    const char *argv[] = {"spn",         "--uri", ldaps_uri,         "--ca-file", ca_file,
                          "--bind-user", ADMIN,   "--password-file", path,        NULL};
    run_result r;

    password_file(path, 0640, password);
    run_tool(argv, NULL, &r);
    unlink(path);
    ck_assert_int_eq(r.status, 64);
    ck_assert_msg(strstr(r.err, "has mode 0640: a password file must not be readable by group or others") !=
                      NULL,
                  "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

START_TEST(wrong_password_is_explained)
{
    const char *argv[] = {"spn",         "--uri", ldaps_uri,        "--ca-file", ca_file,
                          "--bind-user", ADMIN,   "--password-env", "WRONG_PW",  NULL};
    const char *env[] = {"WRONG_PW=not-the-password", NULL};
    run_result r;

    run_tool(argv, env, &r);
    ck_assert_int_eq(r.status, 3);
    /* AD's own diagnostic, decoded, and what was being done */
    ck_assert_msg(strstr(r.err, "data 52e") != NULL, "stderr: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "wrong password"));
    ck_assert_ptr_nonnull(strstr(r.err, "binding as " ADMIN " (simple bind over LDAPS)"));
    ck_assert_ptr_null(strstr(r.err, "not-the-password"));
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

START_TEST(cleartext_simple_bind_is_refused)
{
    const char *argv[] = {"spn",          "--server", dc, "--bind-user", ADMIN, "--password-env",
                          "LAB_PASSWORD", NULL};
    const char *argv_uri[] = {"audit", "--uri", "ldap://dc1.contoso.test", "--bind-user", ADMIN, NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 64);
    ck_assert_msg(strstr(r.err, "refusing a simple bind without TLS") != NULL, "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);

    /* refused before any password is asked for */
    run_tool_input(argv_uri, NULL, "whatever\n", &r);
    ck_assert_int_eq(r.status, 64);
    ck_assert_ptr_nonnull(strstr(r.err, "clear text"));
    ck_assert_ptr_null(strstr(r.err, "password for"));
    run_free(&r);
}
END_TEST

START_TEST(cleartext_bind_from_configuration_is_refused)
{
    char path[] = "/tmp/spnaudit-conf-XXXXXX";
    char content[512];
    const char *argv[] = {"audit", "-c", path, NULL};
    run_result r;

    snprintf(content, sizeof(content), "[domain]\nservers = %s\nbind_user = %s\n", dc, ADMIN);
    password_file(path, 0600, content);
    run_tool(argv, NULL, &r);
    unlink(path);
    ck_assert_int_eq(r.status, 64);
    ck_assert_msg(strstr(r.err, "refusing a simple bind without TLS") != NULL, "stderr: %s", r.err);
    run_free(&r);
}
END_TEST

START_TEST(unverifiable_certificate_is_named)
{
    /* The test DC's certificate is self-signed: the system CAs do not know it. */
    const char *argv[] = {"spn",          "--server", dc, "--ldaps", "--bind-user", ADMIN, "--password-env",
                          "LAB_PASSWORD", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "TLS certificate does not verify") != NULL, "stderr: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, "the system's CA certificates"));
    ck_assert_ptr_nonnull(strstr(r.err, "nothing was sent"));
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

START_TEST(certificate_for_another_name_is_refused)
{
    /* Right CA, wrong name: the certificate is dc1's, not 127.0.0.1's. */
    const char *argv[] = {"spn",         "--uri", ip_uri,           "--ca-file",    ca_file,
                          "--bind-user", ADMIN,   "--password-env", "LAB_PASSWORD", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "not issued to the name \"127.0.0.1\"") != NULL, "stderr: %s", r.err);
    ck_assert_ptr_nonnull(strstr(r.err, ca_file));
    run_free(&r);
}
END_TEST

START_TEST(skipping_verification_is_loud)
{
    const char *argv[] = {"spn",
                          "--uri",
                          ip_uri,
                          "--insecure-skip-tls-verify",
                          "--bind-user",
                          ADMIN,
                          "--password-env",
                          "LAB_PASSWORD",
                          "--account",
                          "ms01$",
                          NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    assert_listing(&r);
    ck_assert_msg(strstr(r.err, "WARNING") != NULL && strstr(r.err, "NOT verified") != NULL, "stderr: %s",
                  r.err);
    run_free(&r);
}
END_TEST

START_TEST(audit_over_ldaps_reports_its_bind)
{
    const char *argv[] = {"audit",
                          "--server",
                          dc,
                          "--ldaps",
                          "--ca-file",
                          ca_file,
                          "--bind-user",
                          ADMIN,
                          "--password-env",
                          "LAB_PASSWORD",
                          "--ms",
                          "ms03.contoso.test",
                          "--ms",
                          "ms01.contoso.test",
                          "--no-reachability",
                          "--format",
                          "json",
                          NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(jget_str(rep, "bind"), "simple bind as " ADMIN " over LDAPS");
    ck_assert_ptr_nonnull(find_finding(rep, "SPN_MISSING", "MSOMHSvc/ms03.contoso.test"));
    /* the tickets still come from the Kerberos credentials */
    ck_assert_ptr_nonnull(strstr(jget_str(rep, "client"), "@CONTOSO.TEST"));
    assert_no_password(&r);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(simple_bind_needs_no_kerberos_without_tickets)
{
    const char *argv[] = {"audit",
                          "--uri",
                          ldaps_uri,
                          "--ca-file",
                          ca_file,
                          "--bind-user",
                          ADMIN,
                          "--password-env",
                          "LAB_PASSWORD",
                          "--ms",
                          "ms03.contoso.test",
                          "--no-tickets",
                          "--no-reachability",
                          "--format",
                          "json",
                          NULL};
    const char *env[] = {"KRB5CCNAME=FILE:/nonexistent/spnaudit-ccache", NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, env, &r);
    rep = parse(&r);
    ck_assert_msg(r.status == 2, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(find_finding(rep, "SPN_MISSING", "MSOMHSvc/ms03.contoso.test"));
    ck_assert(json_object_get_type(json_object_object_get(rep, "client")) == json_type_null);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(gssapi_bind_is_sealed)
{
    const char *argv[] = {"audit",        "--server",          dc,         "--ms", "ms01.contoso.test",
                          "--no-tickets", "--no-reachability", "--format", "json", NULL};
    run_result r;
    json_object *rep;

    run_tool(argv, NULL, &r);
    rep = parse(&r);
    ck_assert_int_eq(r.status, 2); /* the domain's other accounts have faults */
    ck_assert_msg(strncmp(jget_str(rep, "bind"), "SASL GSSAPI (Kerberos), sealed (SSF ", 36) == 0, "bind: %s",
                  jget_str(rep, "bind"));
    json_object_put(rep);
    run_free(&r);
}
END_TEST

START_TEST(gssapi_over_tls_failure_shows_server_diagnostic)
{
    /* Windows AD takes GSSAPI inside TLS without a SASL security layer;
     * Samba 4.17 refuses it either way.  What the DC says must reach the
     * user, with what was being done. */
    const char *argv[] = {"spn", "--uri", ldaps_uri, "--ca-file", ca_file, NULL};
    /* Cyrus SASL's GSSAPI plugin leaks its credential on this failure
     * (tests/sanitizer/lsan.supp): full stacks let the suppression see
     * the plugin's frame (no effect without ASan). */
    const char *env[] = {"ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0", NULL};
    run_result r;

    run_tool(argv, env, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "while binding with SASL GSSAPI (Kerberos) (server said: SASL:[GSSAPI]") !=
                      NULL,
                  "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

START_TEST(unreachable_ldaps_dc_is_skipped)
{
    const char *argv[] = {"spn",
                          "--server",
                          unreachable_dc,
                          "--server",
                          dc,
                          "--ldaps",
                          "--ca-file",
                          ca_file,
                          "--bind-user",
                          ADMIN,
                          "--password-env",
                          "LAB_PASSWORD",
                          "--account",
                          "ms01$",
                          NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    assert_listing(&r);
    ck_assert_msg(strstr(r.err, "skipped: ldaps://") != NULL &&
                      strstr(r.err, "Can't contact LDAP server") != NULL,
                  "stderr: %s", r.err);
    run_free(&r);
}
END_TEST

static const struct {
    const char *args[12];
    const char *says;
} bad_usage[] = {
    {{"spn", "--ldaps", "--starttls", NULL}, "exclude each other"},
    {{"spn", "--ca-file", "/etc/hostname", NULL}, "--ca-file is for TLS"},
    {{"spn", "--ldaps", "--ca-file", "/etc/hostname", NULL}, "no PEM certificate"},
    {{"spn", "--ldaps", "--ca-file", "/nonexistent.pem", NULL}, "No such file"},
    {{"spn", "--insecure-skip-tls-verify", NULL}, "--insecure-skip-tls-verify is for TLS"},
    {{"spn", "--password-env", "X", NULL}, "add --bind-user"},
    {{"spn", "--ldaps", "--bind-user", "a@b.c", "--password-env", "X", "--password-file", "/x", NULL},
     "exclude each other"},
    {{"spn", "--uri", "ldaps://dc1.contoso.test", "--starttls", NULL}, "LDAPS already"},
    {{"audit", "--uri", "ldap://dc1.contoso.test", "--ldaps", NULL}, "contradicts"},
    {{"audit", "--password-env", "A=B", NULL}, "name of an environment variable"},
    {{"spn", "--bind-user", "", NULL}, "--bind-user wants"},
};

/* A DC asked for a domain its forest does not hold: a usage error that
 * names both domains (it crashed with a double free once). */
static const struct {
    const char *args[12];
    const char *says;
} wrong_domain[] = {
    {{"audit", "--domain", "contoso.tst", "--server", "dc1.contoso.test", "--ms", "ms01.contoso.test",
      "--no-tickets", NULL},
     "dc1.contoso.test serves contoso.test, not contoso.tst"},
    {{"spn", "--domain", "fabrikam.test", "--server", "dc1.contoso.test", NULL},
     "dc1.contoso.test serves contoso.test, not fabrikam.test"},
    {{"trusts", "--domain", "fabrikam.test", "--server", "dc1.contoso.test", NULL},
     "dc1.contoso.test serves contoso.test, not fabrikam.test"},
    {{"spn", "--forest", "--domain", "fabrikam.test", "--server", "dc1.contoso.test", NULL},
     "dc1.contoso.test serves contoso.test, not fabrikam.test"},
};

START_TEST(dc_of_another_domain_is_exit_64)
{
    expect_usage_error(wrong_domain[_i].args, wrong_domain[_i].says);
}
END_TEST

/* The same DC asked for its own domain, in capitals, and through the
 * Global Catalog: it serves it. */
START_TEST(dc_of_the_domain_asked_is_used)
{
    const char *own[] = {"spn",   "--domain", "CONTOSO.TEST", "--server", "dc1.contoso.test", "--account",
                         "ms01$", NULL};
    const char *gc[] = {"spn", "--forest", "--domain", "contoso.test", "--server", "dc1.contoso.test", NULL};
    run_result r;

    run_tool(own, NULL, &r);
    assert_listing(&r);
    run_free(&r);
    run_tool(gc, NULL, &r);
    ck_assert_msg(r.status == 1, "exit %d (1: the forest has a duplicate): %s", r.status, r.err);
    ck_assert_msg(strstr(r.out, "in the forest of contoso.test (Global Catalog)") != NULL, "%.300s", r.out);
    run_free(&r);
}
END_TEST

START_TEST(bad_bind_usage_is_exit_64)
{
    expect_usage_error(bad_usage[_i].args, bad_usage[_i].says);
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("bind-integration");
    TCase *tc = tcase_create("binds");

    if (argc != 2 || getenv("LAB_DC") == NULL || getenv("LAB_CA_FILE") == NULL ||
        getenv("LAB_PASSWORD") == NULL) {
        fprintf(stderr,
                "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n"
                "(needs the test domain's environment: LAB_DC, LAB_CA_FILE, LAB_PASSWORD)\n",
                argv[0]);
        return 2;
    }
    tool_path = argv[1];
    dc = getenv("LAB_DC");
    ca_file = getenv("LAB_CA_FILE");
    password = getenv("LAB_PASSWORD");
    snprintf(ldaps_uri, sizeof(ldaps_uri), "ldaps://%s", dc);
    snprintf(ip_uri, sizeof(ip_uri), "ldaps://127.0.0.1");
    snprintf(unreachable_dc, sizeof(unreachable_dc), "%s:1636", dc); /* nothing listens there */

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, ldaps_simple_bind_with_verified_certificate);
    tcase_add_test(tc, starttls_simple_bind_with_password_file);
    tcase_add_test(tc, password_is_asked_for);
    tcase_add_test(tc, password_file_readable_by_group_is_refused);
    tcase_add_test(tc, wrong_password_is_explained);
    tcase_add_test(tc, cleartext_simple_bind_is_refused);
    tcase_add_test(tc, cleartext_bind_from_configuration_is_refused);
    tcase_add_test(tc, unverifiable_certificate_is_named);
    tcase_add_test(tc, certificate_for_another_name_is_refused);
    tcase_add_test(tc, skipping_verification_is_loud);
    tcase_add_test(tc, audit_over_ldaps_reports_its_bind);
    tcase_add_test(tc, simple_bind_needs_no_kerberos_without_tickets);
    tcase_add_test(tc, gssapi_bind_is_sealed);
    tcase_add_test(tc, gssapi_over_tls_failure_shows_server_diagnostic);
    tcase_add_test(tc, unreachable_ldaps_dc_is_skipped);
    tcase_add_loop_test(tc, dc_of_another_domain_is_exit_64, 0,
                        (int)(sizeof(wrong_domain) / sizeof(wrong_domain[0])));
    tcase_add_test(tc, dc_of_the_domain_asked_is_used);
    tcase_add_loop_test(tc, bad_bind_usage_is_exit_64, 0, (int)(sizeof(bad_usage) / sizeof(bad_usage[0])));
    suite_add_tcase(s, tc);
    return check_run(s);
}
