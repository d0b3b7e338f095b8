/* Unit tests: the management group's configuration file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "spnaudit/groupconf.h"

static char path[64];

static void
write_conf(const char *text)
{
    int fd;
    FILE *f;

    snprintf(path, sizeof(path), "/tmp/spnaudit-conf-XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static sa_status
load(const char *text, sa_groupconf *c, sa_error *err)
{
    sa_status st;

    write_conf(text);
    st = sa_groupconf_load(path, c, err);
    unlink(path);
    return st;
}

START_TEST(reads_a_full_file)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(
        load("# comment\n[domain]\nname = contoso.com\nservers = dc1.contoso.com, dc2.contoso.com\n"
             "[management_group]\nmanagement_servers = ms01.contoso.com ms02.contoso.com "
             "MS01.contoso.com\ngateways = gw01.fabrikam.com\nhealth_service = LocalSystem\n"
             "sdk_service = CONTOSO\\svc-sdk\n[kerberos]\njobs = 4\nkdc_timeout = 3\n"
             "[audit]\npage_size = 500\nreachability = no\ntickets = yes ; inline comment\n"
             "service_classes = MSOMHSvc\n[domain]\ntls = LDAPS\nca_file = /etc/ssl/ca.pem\n"
             "bind_user = auditor@contoso.com\npassword_file = /etc/spnaudit/pw\n"
             "[plan]\nagent_domains = contoso.com, fabrikam.com northwind.com\n",
             &c, &err),
        SA_OK);
    ck_assert_str_eq(c.domain, "contoso.com");
    ck_assert_uint_eq(c.dcs.n, 2);
    ck_assert_str_eq(c.dcs.items[1], "dc2.contoso.com");
    ck_assert_uint_eq(c.management_servers.n, 2); /* the same server twice, by case */
    ck_assert_str_eq(c.gateways.items[0], "gw01.fabrikam.com");
    ck_assert(sa_identity_is_local_system(c.health_service));
    ck_assert_str_eq(c.sdk_service, "CONTOSO\\svc-sdk");
    ck_assert_int_eq(c.jobs, 4);
    ck_assert_int_eq(c.kdc_timeout, 3);
    ck_assert_int_eq(c.page_size, 500);
    ck_assert_int_eq(c.reachability, 0);
    ck_assert_int_eq(c.tickets, 1);
    ck_assert_int_eq(c.timeout, SA_UNSET);
    ck_assert_uint_eq(c.service_classes.n, 1);
    ck_assert_int_eq(c.tls, SA_TLS_LDAPS);
    ck_assert_str_eq(c.ca_file, "/etc/ssl/ca.pem");
    ck_assert_str_eq(c.bind_user, "auditor@contoso.com");
    ck_assert_str_eq(c.password_file, "/etc/spnaudit/pw");
    ck_assert_uint_eq(c.agent_domains.n, 3);
    ck_assert_str_eq(c.agent_domains.items[2], "northwind.com");
    sa_groupconf_clear(&c);
}
END_TEST

static const struct {
    const char *text;
    const char *says;
} bad[] = {
    {"[domain]\nname = contoso.com\nbogus = 1\n", ":3: unknown key \"bogus\" in section [domain]"},
    {"[nosuch]\nkey = 1\n", ":2: unknown key \"key\" in section [nosuch]"},
    {"[kerberos]\njobs = many\n", ":2: jobs wants a number from 1 to 64, not \"many\""},
    {"[kerberos]\njobs = 0\n", ":2: jobs wants a number"},
    {"[audit]\nreachability = maybe\n", ":2: reachability wants yes or no"},
    {"[management_group]\nmanagement_servers = ms01 ms02.contoso.com\n", "\"ms01\" is not a fully qualified"},
    {"[domain]\nuri = http://dc1\n", "uri wants ldap:// or ldaps://"},
    {"[domain]\nname = not a domain\n", "name wants a DNS domain name"},
    {"[management_group]\nsdk_service = CONTOSO\\\n", "sdk_service wants localsystem or DOMAIN"},
    {"[domain\nname = x.com\n", ":1: "},
    {"[domain]\ntls = maybe\n", ":2: tls wants none, starttls or ldaps"},
    {"[plan]\nagent_domains = contoso\n", "\"contoso\" is not a fully qualified"},
};

START_TEST(bad_files_name_the_line)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(load(bad[_i].text, &c, &err), SA_ERR_USAGE);
    ck_assert_msg(strstr(err.message, bad[_i].says) != NULL, "\"%s\" lacks \"%s\"", err.message,
                  bad[_i].says);
    ck_assert_ptr_nonnull(strstr(err.message, "/tmp/spnaudit-conf-"));
    ck_assert_ptr_null(c.domain); /* nothing half-read is kept */
}
END_TEST

START_TEST(missing_file)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(sa_groupconf_load("/nonexistent/spnaudit.conf", &c, &err), SA_ERR_USAGE);
    ck_assert_ptr_nonnull(
        strstr(err.message, "cannot open the configuration file /nonexistent/spnaudit.conf"));
}
END_TEST

START_TEST(identities)
{
    char buf[64];

    ck_assert(sa_identity_is_local_system("localsystem"));
    ck_assert(sa_identity_is_local_system("Local System"));
    ck_assert(sa_identity_is_local_system("SYSTEM"));
    ck_assert(!sa_identity_is_local_system("CONTOSO\\svc"));
    ck_assert_str_eq(sa_identity_account("CONTOSO\\svc-sdk", buf, sizeof(buf)), "svc-sdk");
    ck_assert_str_eq(sa_identity_account("svc-sdk@contoso.com", buf, sizeof(buf)), "svc-sdk");
    ck_assert_str_eq(sa_identity_account("svc-sdk", buf, sizeof(buf)), "svc-sdk");
    ck_assert(sa_valid_fqdn("ms01.contoso.com"));
    ck_assert(!sa_valid_fqdn("ms01"));
    ck_assert(!sa_valid_fqdn("ms01..contoso.com"));
    ck_assert(!sa_valid_fqdn("ms01.contoso.com."));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("groupconf");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, reads_a_full_file);
    tcase_add_loop_test(tc, bad_files_name_the_line, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(tc, missing_file);
    tcase_add_test(tc, identities);
    suite_add_tcase(s, tc);
    return check_run(s);
}
