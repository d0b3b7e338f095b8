/* Integration tests: the most common mistakes, against the real test
 * domain, each answered with what was being done, what is wrong and what
 * to do, the library's own text kept (issue 14, item 1), and --output
 * checked before the audit, its report created 0640 (items 6 and 7).
 * Run as: testdomain.sh exec test_errors PATH-TO-spnaudit */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_run.h"
#include "run.h"

const char *tool_path;
static const char *dc, *keytab, *krb5_conf;

/* Runs args; the exit status must be status, standard error begin with
 * head and (unless NULL) end with tail. */
static void
expect_failure(const char *const *args, int status, const char *head, const char *tail)
{
    run_result r;
    size_t len, tail_len = tail ? strlen(tail) : 0;

    run_tool(args, NULL, &r);
    len = strlen(r.err);
    ck_assert_msg(r.status == status, "exit %d, not %d: %s", r.status, status, r.err);
    ck_assert_msg(strncmp(r.err, head, strlen(head)) == 0, "stderr:\n%s\ndoes not begin with:\n%s", r.err,
                  head);
    ck_assert_msg(tail == NULL || (len >= tail_len && strcmp(r.err + len - tail_len, tail) == 0),
                  "stderr:\n%s\ndoes not end with:\n%s", r.err, tail);
    run_free(&r);
}

/* Kerberos needs the DC's name: the name the DC gives itself (rootDSE,
 * read anonymously) is offered, the GSSAPI text kept. */
START_TEST(ip_address_with_kerberos_gets_the_dc_name)
{
    const char *args[] = {"audit", "--server", "127.0.0.1", "--no-tickets", NULL};
    char head[512];

    snprintf(
        head, sizeof(head),
        "spnaudit audit: ldap://127.0.0.1: Kerberos needs the domain controller's name, not an IP address: "
        "the KDC knows no service ldap/127.0.0.1; the DC at 127.0.0.1 calls itself %s: use --server %s "
        "(Local error while binding with SASL GSSAPI (Kerberos) (server said: SASL(-1): generic failure: "
        "GSSAPI Error: ",
        dc, dc);
    expect_failure(args, 3, head, "(Server not found in Kerberos database)))\n");
}
END_TEST

START_TEST(misspelt_server_does_not_resolve)
{
    const char *args[] = {"audit", "--server", "dc1.contoso.tset", "--no-tickets", NULL};

    expect_failure(args, 3,
                   "spnaudit audit: ldap://dc1.contoso.tset: the name dc1.contoso.tset does not resolve (",
                   "): check its spelling, and that this host asks the domain's DNS servers (Can't contact "
                   "LDAP server while connecting to the domain controller)\n");
}
END_TEST

START_TEST(domain_without_srv_records_names_the_lookup)
{
    const char *args[] = {"audit", "--domain", "nosuch.test", "--no-tickets", NULL};

    expect_failure(args, 3,
                   "spnaudit audit: no domain controller found for nosuch.test: DNS has no SRV record "
                   "_ldap._tcp.dc._msdcs.nosuch.test, and nosuch.test did not answer as a domain controller: "
                   "check the domain's name, or name a domain controller with --server (ldap://nosuch.test: ",
                   "(Can't contact LDAP server while connecting to the domain controller))\n");
}
END_TEST

/* No password asked for: refused before any Kerberos exchange. */
START_TEST(lower_case_realm_is_refused_with_the_right_form)
{
    const char *args[] = {"audit", "--server", dc, "--principal", "administrator@contoso.test", NULL};

    expect_failure(
        args, 64,
        "spnaudit audit: --principal administrator@contoso.test: Kerberos realms are upper case (an "
        "Active Directory realm is its DNS domain in capitals): use --principal "
        "administrator@CONTOSO.TEST\n",
        NULL);
}
END_TEST

/* CONTOSO\spnaudit-svc logs in as spnaudit-svc@CONTOSO.TEST (it became
 * CONTOSOspnaudit-svc@CONTOSO.TEST). */
START_TEST(windows_form_of_the_principal_logs_in)
{
    const char *args[] = {"audit", "--server", dc,     "--principal",  "CONTOSO\\spnaudit-svc", "--keytab",
                          keytab,  "-f",       "json", "--no-tickets", "--no-reachability",     NULL};
    run_result r;
    json_object *o;

    run_tool(args, NULL, &r);
    o = parse_report(&r);
    ck_assert_msg(r.status <= 2, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(jget_str(o, "client"), "spnaudit-svc@CONTOSO.TEST");
    json_object_put(o);
    run_free(&r);
}
END_TEST

START_TEST(windows_form_of_another_domain_is_refused)
{
    const char *args[] = {"audit", "--server", dc, "--principal", "FABRIKAM\\administrator", NULL};

    expect_failure(
        args, 64,
        "spnaudit audit: --principal FABRIKAM\\administrator: FABRIKAM is a Windows (NetBIOS) domain "
        "name, and the default realm of krb5.conf is CONTOSO.TEST, another domain: Kerberos names the "
        "user administrator@REALM, REALM being the domain's DNS name in capitals: use --principal "
        "administrator@REALM\n",
        NULL);
}
END_TEST

START_TEST(realm_without_kdc_names_the_configuration)
{
    const char *args[] = {"audit", "--server", dc, "--principal", "svc@NOSUCH.TEST", NULL};
    char head[1024];

    snprintf(head, sizeof(head),
             "spnaudit audit: Cannot find KDC for realm \"NOSUCH.TEST\" (no KDC known for realm NOSUCH.TEST: "
             "%s has no kdc for it under [realms], and dns_lookup_kdc is off: check the realm's name, or add "
             "\"NOSUCH.TEST = { kdc = DC-NAME }\" under [realms]) while getting initial credentials for "
             "svc@NOSUCH.TEST with a password\n",
             krb5_conf);
    expect_failure(args, 3, head, NULL);
}
END_TEST

START_TEST(unreadable_kerberos_configuration_says_so)
{
    char path[] = "/tmp/spnaudit-krb5-XXXXXX", setting[64];
    const char *args[] = {"audit", "--server", dc, NULL};
    const char *env[] = {setting, NULL};
    char tail[256];
    run_result r;

    write_conf(path, "[libdefaults\n");
    snprintf(setting, sizeof(setting), "KRB5_CONFIG=%s", path);
    snprintf(tail, sizeof(tail),
             " while reading the Kerberos configuration %s: make it readable by this account and correct, or "
             "name another with KRB5_CONFIG\n",
             path);
    run_tool(args, env, &r);
    unlink(path);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strncmp(r.err, "spnaudit audit: ", 16) == 0 && strlen(r.err) > strlen(tail) &&
                      strcmp(r.err + strlen(r.err) - strlen(tail), tail) == 0,
                  "stderr: %s", r.err);
    run_free(&r);
}
END_TEST

START_TEST(missing_keytab_says_so)
{
    const char *args[] = {"audit",
                          "--server",
                          dc,
                          "--principal",
                          "spnaudit-svc@CONTOSO.TEST",
                          "--keytab",
                          "/nonexistent/spnaudit.keytab",
                          NULL};

    expect_failure(args, 64,
                   "spnaudit audit: the keytab /nonexistent/spnaudit.keytab does not exist (No such file or "
                   "directory): check the path given with --keytab\n",
                   NULL);
}
END_TEST

/* A keytab this account cannot read: refused before Kerberos, which said
 * "Pre-authentication failed: Permission denied".  Run as nobody through
 * setpriv (root reads anything); skipped when not root. */
START_TEST(unreadable_keytab_names_owner_and_reader)
{
    char dir[] = "/tmp/spnaudit-kt-XXXXXX", copy[128], conf[128], setting[160], want[1024];
    const char *tool = tool_path;
    const char *args[] = {"--reuid=65534",
                          "--regid=65534",
                          "--clear-groups",
                          tool,
                          "audit",
                          "--server",
                          dc,
                          "--principal",
                          "spnaudit-svc@CONTOSO.TEST",
                          "--keytab",
                          copy,
                          NULL};
    const char *env[] = {setting, NULL};
    char cmd[600];
    run_result r;

    if (geteuid() != 0)
        return;
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(chmod(dir, 0755), 0);
    snprintf(copy, sizeof(copy), "%s/spnaudit.keytab", dir);
    snprintf(conf, sizeof(conf), "%s/krb5.conf", dir);
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chmod 600 '%s' && cp '%s' '%s' && chmod 644 '%s'", keytab,
             copy, copy, krb5_conf, conf, conf);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(setting, sizeof(setting), "KRB5_CONFIG=%s", conf);
    snprintf(
        want, sizeof(want),
        "spnaudit audit: cannot read the keytab %s: Permission denied: it belongs to root (uid 0), mode "
        "0600, and spnaudit runs as nobody (uid 65534): run spnaudit as the keytab's owner, or give this "
        "account a keytab of its own\n",
        copy);
    tool_path = "setpriv";
    run_tool(args, env, &r);
    tool_path = tool;
    unlink(copy);
    unlink(conf);
    rmdir(dir);
    ck_assert_msg(r.status == 64, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, want);
    run_free(&r);
}
END_TEST

/* The trusts that give us no ticket: a sentence, the GSSAPI text after. */
START_TEST(trusts_not_read_lines_say_why)
{
    const char *args[] = {"trusts", NULL};
    const char *want =
        "\nNot read: ldap://tdc1.tailspin.test: no Kerberos ticket for ldap/tdc1.tailspin.test: "
        "the KDC of our realm does not know this name, and no trust leads to a realm that does (a "
        "one-way trust the other way, or a trust with selective authentication, gives none) "
        "(Local error while binding with SASL GSSAPI (Kerberos) (server said: ";
    run_result r;

    run_tool(args, NULL, &r);
    ck_assert_msg(strstr(r.out, want) != NULL, "stdout lacks:\n%s\nin:\n%s", want, r.out);
    ck_assert_ptr_nonnull(strstr(r.out,
                                 "\nNot read: ldap://adc1.adatum.test: no Kerberos ticket for "
                                 "ldap/adc1.adatum.test: the KDC of our realm does not know this name"));
    run_free(&r);
}
END_TEST

/* Refused before the directory is asked: at once, not after the audit. */
START_TEST(output_in_a_missing_directory_fails_first)
{
    const char *args[] = {"audit", "--server", dc, "--output", "/nonexistent/dir/r.txt", NULL};
    time_t t0 = time(NULL);

    expect_failure(args, 64,
                   "spnaudit audit: cannot write the report to /nonexistent/dir/r.txt: the directory "
                   "/nonexistent/dir does not exist; create it or name a file in an existing directory\n",
                   NULL);
    ck_assert_int_le(time(NULL) - t0, 3);
}
END_TEST

START_TEST(output_report_is_not_world_readable)
{
    char dir[] = "/tmp/spnaudit-out-XXXXXX", path[128];
    const char *args[] = {"audit", "--server", dc,         "--no-tickets", "--no-reachability",
                          "-f",    "json",     "--output", path,           NULL};
    mode_t old_mask = umask(022);
    struct stat st;
    run_result r;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/r.json", dir);
    run_tool(args, NULL, &r);
    umask(old_mask);
    ck_assert_msg(r.status <= 2, "exit %d: %s", r.status, r.err);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 07777, 0640);
    unlink(path);
    rmdir(dir);
    run_free(&r);
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("errors-integration");
    TCase *tc = tcase_create("errors");

    if (argc != 2 || getenv("LAB_DC") == NULL || getenv("LAB_KEYTAB") == NULL ||
        getenv("KRB5_CONFIG") == NULL) {
        fprintf(stderr,
                "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n"
                "(needs the test domain's environment: LAB_DC, LAB_KEYTAB, KRB5_CONFIG)\n",
                argv[0]);
        return 2;
    }
    tool_path = argv[1];
    dc = getenv("LAB_DC");
    keytab = getenv("LAB_KEYTAB");
    krb5_conf = getenv("KRB5_CONFIG");

    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, ip_address_with_kerberos_gets_the_dc_name);
    tcase_add_test(tc, misspelt_server_does_not_resolve);
    tcase_add_test(tc, domain_without_srv_records_names_the_lookup);
    tcase_add_test(tc, lower_case_realm_is_refused_with_the_right_form);
    tcase_add_test(tc, windows_form_of_the_principal_logs_in);
    tcase_add_test(tc, windows_form_of_another_domain_is_refused);
    tcase_add_test(tc, realm_without_kdc_names_the_configuration);
    tcase_add_test(tc, unreadable_kerberos_configuration_says_so);
    tcase_add_test(tc, missing_keytab_says_so);
    tcase_add_test(tc, unreadable_keytab_names_owner_and_reader);
    tcase_add_test(tc, trusts_not_read_lines_say_why);
    tcase_add_test(tc, output_in_a_missing_directory_fails_first);
    tcase_add_test(tc, output_report_is_not_world_readable);
    suite_add_tcase(s, tc);
    return check_run(s);
}
