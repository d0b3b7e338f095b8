/* Unit tests: an audit with no server named says that no server could be
 * checked for missing SPNs, and suggests the servers the directory names
 * (service connection points, MSOMSdkSvc SPNs) as discovered, with a
 * command line holding only plain DNS names; and the width a text report
 * is fitted to. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "check_run.h"
#include "formats_fixture.h"
#include "spnaudit/discovered.h"
#include "spnaudit/output.h"

/* The hosts of MSOMSdkSvc SPNs in FQDN form, each once, ports dropped;
 * NetBIOS forms and other classes left out. */
START_TEST(sdk_hosts_from_spns)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_strv hosts = {NULL, 0, 0};
    sa_account *a =
        add_account(&accounts, "CN=svc-scom,CN=Users,DC=contoso,DC=test", "svc-scom", NULL, SA_ACCT_USER);

    ck_assert(sa_strv_add(&a->spns, "MSOMSdkSvc/ms01.contoso.test") &&
              sa_strv_add(&a->spns, "MSOMSdkSvc/MS01") &&
              sa_strv_add(&a->spns, "MSOMHSvc/ms09.contoso.test") &&
              sa_strv_add(&a->spns, "msomsdksvc/MS02.contoso.test:5724"));
    a = add_account(&accounts, "CN=ms01,CN=Computers,DC=contoso,DC=test", "ms01$", NULL, SA_ACCT_COMPUTER);
    ck_assert(sa_strv_add(&a->spns, "MSOMSdkSvc/MS01.CONTOSO.TEST"));
    ck_assert(sa_discovered_sdk_hosts(&accounts, &hosts));
    ck_assert_uint_eq(hosts.n, 2);
    ck_assert_str_eq(hosts.items[0], "ms01.contoso.test");
    ck_assert_str_eq(hosts.items[1], "MS02.contoso.test");
    sa_strv_clear(&hosts);
    sa_accounts_clear(&accounts);
}
END_TEST

START_TEST(plain_dns_names)
{
    ck_assert(sa_plain_dns_name("ms01.contoso.test"));
    ck_assert(sa_plain_dns_name("MS-01.Contoso.test"));
    ck_assert(!sa_plain_dns_name(""));
    ck_assert(!sa_plain_dns_name("-ms01.contoso.test")); /* an option */
    ck_assert(!sa_plain_dns_name("ms01.contoso.test;reboot"));
    ck_assert(!sa_plain_dns_name("ms01 contoso"));
    ck_assert(!sa_plain_dns_name("ms0$(id).contoso.test"));
    ck_assert(!sa_plain_dns_name("ms01.contoso.test\n"));
    ck_assert(!sa_plain_dns_name("m\xc3\xa9.contoso.test"));
}
END_TEST

/* The command line: --server from the DC asked when plain, --ms for each
 * plain host; none without a plain host. */
START_TEST(command_line_of_plain_names)
{
    sa_strv hosts = {NULL, 0, 0};
    bool nomem = true;
    char *cmd;

    ck_assert(sa_strv_add(&hosts, "ms01.contoso.test") && sa_strv_add(&hosts, "ms0$(id).contoso.test") &&
              sa_strv_add(&hosts, "ms02.contoso.test"));
    cmd = sa_discovered_command("ldap://dc1.contoso.test", &hosts, &nomem);
    ck_assert(!nomem);
    ck_assert_str_eq(
        cmd, "spnaudit audit --server dc1.contoso.test --ms ms01.contoso.test --ms ms02.contoso.test");
    free(cmd);
    cmd = sa_discovered_command("ldap://dc1.contoso.test:1389/", &hosts, &nomem);
    ck_assert_str_eq(
        cmd, "spnaudit audit --server dc1.contoso.test:1389 --ms ms01.contoso.test --ms ms02.contoso.test");
    free(cmd);
    cmd = sa_discovered_command("ldap://dc1;x", &hosts, &nomem); /* not plain: left out */
    ck_assert_str_eq(cmd, "spnaudit audit --ms ms01.contoso.test --ms ms02.contoso.test");
    free(cmd);
    sa_strv_clear(&hosts);
    ck_assert(sa_strv_add(&hosts, "ms0$(id).contoso.test"));
    ck_assert_ptr_null(sa_discovered_command("ldap://dc1.contoso.test", &hosts, &nomem));
    ck_assert(!nomem);
    sa_strv_clear(&hosts);
}
END_TEST

/* The report of an audit with no server named: why nothing was checked,
 * what the directory names (discovered, escaped), and the command line. */
START_TEST(text_no_server_named)
{
    fixture x;
    sa_discovered d;
    char *text;

    fixture_empty(&x);
    memset(&d, 0, sizeof(d));
    ck_assert(sa_strv_add(&d.scp_hosts, "ms01.contoso.test") &&
              sa_strv_add(&d.scp_hosts, "ms0$(reboot)\x1b[2J.contoso.test") &&
              sa_strv_add(&d.sdk_hosts, "MS01.contoso.test") &&
              sa_strv_add(&d.sdk_hosts, "ms02.contoso.test"));
    x.r.n_servers = 0;
    x.r.discovered = &d;
    text = render(sa_report_text, &x.r);
    ck_assert_msg(
        strstr(text,
               "\n\nNo management server or gateway named (--ms, --gateway or -c FILE): no server\n"
               "  could be checked for missing SPNs, only the accounts holding SCOM SPNs\n"
               "  (below).\n"
               "Found in the directory (discovered, not given: check that they are this\n"
               "  management group's):\n"
               "  ms01.contoso.test                 service connection point, MSOMSdkSvc SPN\n"
               "  ms0$(reboot)\\x1b[2J.contoso.test  service connection point\n"
               "    (not a plain DNS name: left out of the command line)\n"
               "  ms02.contoso.test                 MSOMSdkSvc SPN\n"
               "To audit those that are plain DNS names:\n"
               "  spnaudit audit --server dc1.contoso.test --ms ms01.contoso.test --ms ms02.contoso.test\n"
               "1 name is left out of the command line: it is not a plain DNS name, which a\n"
               "  shell could read otherwise; check it and give it with --ms yourself\n"
               "\nOther accounts holding SCOM SPNs: 0 findings\n") != NULL,
        "%s", text);
    ck_assert_ptr_null(strstr(text, "\nServer "));
    free(text);

    sa_discovered_clear(&d);
    ck_assert_ptr_nonnull(d.scp_error = strdup("ldap://dc1.contoso.test: Insufficient access"));
    text = render(sa_report_text, &x.r);
    ck_assert_msg(strstr(text, "(below).\n"
                               "The service connection points could not be read:\n"
                               "  ldap://dc1.contoso.test: Insufficient access\n"
                               "No MSOMSdkSvc SPN names a management server either.\n") != NULL,
                  "%s", text);
    free(text);
    sa_discovered_clear(&d); /* read, and nothing there */
    text = render(sa_report_text, &x.r);
    ck_assert_msg(strstr(text,
                         "(below).\n"
                         "Nothing in the directory names a management server: no service connection point\n"
                         "  under CN=OperationsManager, no MSOMSdkSvc SPN.\n") != NULL,
                  "%s", text);
    free(text);
    fixture_clear(&x);
}
END_TEST

/* The same in the JSON report: each host with where it was found, exactly
 * as read, and the command line of the plain names only. */
START_TEST(json_no_server_named)
{
    fixture x;
    sa_discovered d;
    json_object *doc, *disc, *hosts, *h;
    char *text;

    fixture_empty(&x);
    memset(&d, 0, sizeof(d));
    ck_assert(sa_strv_add(&d.scp_hosts, "ms01.contoso.test") &&
              sa_strv_add(&d.scp_hosts, "ms0$(reboot)\x1b[2J.contoso.test") &&
              sa_strv_add(&d.sdk_hosts, "ms02.contoso.test"));
    x.r.n_servers = 0;
    x.r.discovered = &d;
    text = render(sa_report_json, &x.r);
    doc = json_tokener_parse(text);
    ck_assert_msg(doc != NULL, "%s", text);
    ck_assert(json_object_object_get_ex(doc, "discovered", &disc));
    ck_assert(json_object_object_get_ex(disc, "hosts", &hosts));
    ck_assert_uint_eq(json_object_array_length(hosts), 3);
    h = json_object_array_get_idx(hosts, 1);
    ck_assert_str_eq(json_object_get_string(json_object_object_get(h, "host")), "ms0$(reboot)\x1b[2J.contoso.test");
    ck_assert(json_object_get_boolean(json_object_object_get(h, "service_connection_point")));
    ck_assert(!json_object_get_boolean(json_object_object_get(h, "msomsdksvc_spn")));
    ck_assert(!json_object_get_boolean(json_object_object_get(h, "plain_dns_name")));
    h = json_object_array_get_idx(hosts, 2);
    ck_assert_str_eq(json_object_get_string(json_object_object_get(h, "host")), "ms02.contoso.test");
    ck_assert(json_object_get_boolean(json_object_object_get(h, "msomsdksvc_spn")));
    ck_assert_str_eq(json_object_get_string(json_object_object_get(disc, "command")),
                     "spnaudit audit --server dc1.contoso.test --ms ms01.contoso.test --ms ms02.contoso.test");
    ck_assert(json_object_is_type(json_object_object_get(disc, "service_connection_points_error"), json_type_null));
    json_object_put(doc);
    free(text);
    x.r.discovered = NULL; /* a run that read nothing: no such member */
    text = render(sa_report_json, &x.r);
    doc = json_tokener_parse(text);
    ck_assert_ptr_nonnull(doc);
    ck_assert(!json_object_object_get_ex(doc, "discovered", NULL));
    json_object_put(doc);
    free(text);
    sa_discovered_clear(&d);
    fixture_clear(&x);
}
END_TEST

/* Not a terminal: $COLUMNS when it is a number, else 80; within 40..1000. */
START_TEST(width_from_columns)
{
    static const struct {
        const char *columns;
        int want;
    } cases[] = {{NULL, 80}, {"132", 132}, {"", 80}, {"12x", 80}, {"10", 40}, {"100000", 1000}};

    if (cases[_i].columns == NULL)
        unsetenv("COLUMNS");
    else
        setenv("COLUMNS", cases[_i].columns, 1);
    ck_assert_int_eq(sa_output_width(-1), cases[_i].want);
    unsetenv("COLUMNS");
}
END_TEST

static Suite *
discovered_suite(void)
{
    Suite *s = suite_create("discovered");
    TCase *tc = tcase_create("discovered");

    tcase_add_test(tc, sdk_hosts_from_spns);
    tcase_add_test(tc, plain_dns_names);
    tcase_add_test(tc, command_line_of_plain_names);
    tcase_add_test(tc, text_no_server_named);
    tcase_add_test(tc, json_no_server_named);
    tcase_add_loop_test(tc, width_from_columns, 0, 6);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return check_run(discovered_suite());
}
