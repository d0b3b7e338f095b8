/* Unit tests: which domain a name is under, where each domain's DCs are,
 * and the analysis of servers in several domains (plain data). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "fix_text.h"
#include "spnaudit/analysis.h"
#include "spnaudit/domains.h"

START_TEST(names_under_a_domain)
{
    ck_assert(sa_name_under_domain("ms01.contoso.test", "contoso.test"));
    ck_assert(sa_name_under_domain("MS01.CONTOSO.TEST", "contoso.test"));
    ck_assert(sa_name_under_domain("ms01.contoso.test.", "contoso.test"));
    ck_assert(sa_name_under_domain("ms01.contoso.test", "contoso.test."));
    ck_assert(sa_name_under_domain("dc1.contoso.test:636", "contoso.test"));
    ck_assert(sa_name_under_domain("a.b.child.contoso.test", "contoso.test"));
    ck_assert(!sa_name_under_domain("xcontoso.test", "contoso.test"));
    ck_assert(!sa_name_under_domain("contoso.test", "contoso.test"));
    ck_assert(!sa_name_under_domain(".contoso.test", "contoso.test"));
    ck_assert(!sa_name_under_domain("ms01.contoso.tst", "contoso.test"));
    ck_assert(!sa_name_under_domain("ms01", "contoso.test"));
    ck_assert(!sa_name_under_domain("127.0.0.1", "contoso.test"));
    ck_assert(!sa_name_under_domain("ms01.contoso.test", ""));
    ck_assert(!sa_name_under_domain(NULL, "contoso.test"));
    ck_assert(!sa_name_under_domain("ms01.contoso.test", NULL));
    ck_assert(sa_name_under_domain("ms01.contoso.test.", "CONTOSO.TEST."));
    ck_assert(!sa_name_under_domain("ms01.notcontoso.test", "contoso.test"));
    ck_assert(!sa_name_under_domain("ms01.contoso.test", "ms01.contoso.test.x"));
    ck_assert(!sa_name_under_domain("test", "contoso.test"));
    ck_assert(!sa_name_under_domain("ms01.contoso.test", "."));
    ck_assert(!sa_name_under_domain("ms01.contoso.test", ".test"));
    ck_assert(!sa_name_under_domain("ms01..test", ".test"));
}
END_TEST

START_TEST(longest_domain_wins)
{
    sa_strv d = {NULL, 0, 0};
    char buf[64];

    ck_assert(sa_strv_add(&d, "contoso.test") && sa_strv_add(&d, "child.contoso.test") &&
              sa_strv_add(&d, "fabrikam.test"));
    ck_assert_int_eq(sa_domain_index_of(&d, "ms01.contoso.test"), 0);
    ck_assert_int_eq(sa_domain_index_of(&d, "ms01.child.contoso.test"), 1);
    ck_assert_int_eq(sa_domain_index_of(&d, "gw01.FABRIKAM.test"), 2);
    ck_assert_int_eq(sa_domain_index_of(&d, "gw01.tailspin.test"), -1);
    ck_assert_int_eq(sa_domain_index_of(&d, "127.0.0.1"), -1);
    ck_assert_int_eq(sa_domain_index_of(NULL, "ms01.contoso.test"), -1);
    ck_assert(sa_host_dns_suffix("gw01.tailspin.test", buf, sizeof(buf)));
    ck_assert_str_eq(buf, "tailspin.test");
    ck_assert(sa_host_dns_suffix("gw01.tailspin.test.", buf, sizeof(buf)));
    ck_assert_str_eq(buf, "tailspin.test");
    ck_assert(!sa_host_dns_suffix("gw01", buf, sizeof(buf)));
    ck_assert(!sa_host_dns_suffix("gw01.", buf, sizeof(buf)));
    ck_assert(!sa_host_dns_suffix("gw01.tailspin.test", buf, 5));
    sa_strv_clear(&d);
}
END_TEST

/* --server values: each to the domain it is under; an address or a short
 * name to the home domain, which keeps the --uri. */
START_TEST(servers_go_to_their_domain)
{
    sa_strv dcs = {NULL, 0, 0}, domains = {NULL, 0, 0}, got = {NULL, 0, 0};
    sa_domain_set ds;
    sa_dir_options o;

    ck_assert(sa_strv_add(&domains, "contoso.test") && sa_strv_add(&domains, "fabrikam.test"));
    ck_assert(sa_strv_add(&dcs, "127.0.0.1") && sa_strv_add(&dcs, "fdc1.fabrikam.test") &&
              sa_strv_add(&dcs, "dc1") && sa_strv_add(&dcs, "dc2.contoso.test"));
    memset(&ds, 0, sizeof(ds));
    ds.base.domain = "contoso.test";
    ds.base.uri = "ldap://dc1.contoso.test";
    ds.base.page_size = 500;
    ds.dcs = &dcs;
    ds.domains = &domains;
    ck_assert(sa_domain_options(&ds, NULL, &o, &got));
    ck_assert_uint_eq(o.n_servers, 3);
    ck_assert_str_eq(o.servers[0], "127.0.0.1");
    ck_assert_str_eq(o.servers[1], "dc1");
    ck_assert_str_eq(o.servers[2], "dc2.contoso.test");
    ck_assert_str_eq(o.domain, "contoso.test");
    ck_assert_str_eq(o.uri, "ldap://dc1.contoso.test");
    ck_assert_int_eq(o.page_size, 500);
    sa_strv_clear(&got);
    ck_assert(sa_domain_options(&ds, "fabrikam.test", &o, &got));
    ck_assert_uint_eq(o.n_servers, 1);
    ck_assert_str_eq(o.servers[0], "fdc1.fabrikam.test");
    ck_assert_str_eq(o.domain, "fabrikam.test");
    ck_assert_ptr_null(o.uri);
    sa_strv_clear(&got);
    /* a domain nothing names: DNS SRV */
    ck_assert(sa_domain_options(&ds, "tailspin.test", &o, &got));
    ck_assert_uint_eq(o.n_servers, 0);
    ck_assert_ptr_null(o.servers);
    ck_assert_str_eq(o.domain, "tailspin.test");
    sa_strv_clear(&got);
    sa_strv_clear(&dcs);
    sa_strv_clear(&domains);
}
END_TEST

/* ------------------------------------------------------------ analysis */

static sa_accounts accounts;
static sa_findings findings;
static sa_checks_not_run notes;

static void
setup(void)
{
    memset(&accounts, 0, sizeof(accounts));
    memset(&findings, 0, sizeof(findings));
    memset(&notes, 0, sizeof(notes));
}

static void
teardown(void)
{
    sa_accounts_clear(&accounts);
    sa_findings_clear(&findings);
    sa_checks_not_run_clear(&notes);
}

/* A computer account of domain dns (NULL: home) with two SPNs (or NULL). */
static void
computer(const char *sam, const char *host, const char *dns, const char *netbios, const char *spn1,
         const char *spn2)
{
    sa_account *a = sa_accounts_add(&accounts);

    ck_assert_ptr_nonnull(a);
    a->dn = sa_strdup_printf("CN=%.*s,CN=Computers,DC=%s", (int)strcspn(sam, "$"), sam, dns ? dns : "home");
    a->sam = strdup(sam);
    a->dns_host = strdup(host);
    a->kind = SA_ACCT_COMPUTER;
    a->has_uac = true;
    a->uac = 0x1000;
    a->dns_domain = dns ? strdup(dns) : NULL;
    a->domain = netbios ? strdup(netbios) : NULL;
    ck_assert(spn1 == NULL || sa_strv_add(&a->spns, spn1));
    ck_assert(spn2 == NULL || sa_strv_add(&a->spns, spn2));
}

static const sa_finding *
find(const char *code, const char *server)
{
    for (size_t i = 0; i < findings.n; i++) {
        if (strcmp(findings.items[i].code, code) == 0 &&
            (server == NULL || (findings.items[i].server && strcmp(findings.items[i].server, server) == 0)))
            return &findings.items[i];
    }
    return NULL;
}

static size_t
count_for(const char *server)
{
    size_t n = 0;

    for (size_t i = 0; i < findings.n; i++)
        n += findings.items[i].server != NULL && strcmp(findings.items[i].server, server) == 0;
    return n;
}

/* CONTOSO (home) and FABRIKAM, where the gateways and ms11 live. */
static void
analyse_two_domains(bool fabrikam_read)
{
    const char *names[] = {"ms01.contoso.com", "gw01.fabrikam.com", "gw02.fabrikam.com", "ms01.fabrikam.com"};
    sa_strv home_hosts = {NULL, 0, 0}, fab_hosts = {NULL, 0, 0};
    sa_domain_view fab = {"fabrikam.com", "FABRIKAM", false, &fab_hosts};
    sa_server *servers = NULL;
    sa_analysis_input in;
    sa_error err = {SA_OK, ""};

    computer("MS01$", "ms01.contoso.com", NULL, NULL, "MSOMHSvc/ms01.contoso.com", "MSOMHSvc/MS01");
    computer("GW01$", "gw01.fabrikam.com", "fabrikam.com", "FABRIKAM", "MSOMHSvc/gw01.fabrikam.com",
             "MSOMHSvc/GW01");
    computer("GW02$", "gw02.fabrikam.com", "fabrikam.com", "FABRIKAM", "MSOMHSvc/gw02.fabrikam.com", NULL);
    ck_assert(sa_strv_add(&home_hosts, "ms01.contoso.com"));
    for (size_t i = 1; i < 4; i++)
        ck_assert(sa_strv_add(&fab_hosts, names[i]));
    ck_assert(sa_servers_match(&accounts, names, 4, &servers));
    for (size_t i = 1; i < 4; i++) {
        servers[i].domain = 1;
        servers[i].gateway = i < 3;
        servers[i].not_judged = !fabrikam_read;
    }
    sa_servers_rematch(&accounts, &fab, 1, servers, 4);
    memset(&in, 0, sizeof(in));
    in.accounts = &accounts;
    in.servers = servers;
    in.n_servers = 4;
    in.netbios_domain = "CONTOSO";
    in.home_dns = "contoso.com";
    in.health_service_local_system = true;
    in.hosts_checked = &home_hosts;
    in.other_domains = &fab;
    in.n_other_domains = 1;
    in.not_run = &notes;
    ck_assert_int_eq(sa_analyse(&in, &findings, &err), SA_OK);
    ck_assert_int_eq(servers[0].account, 0);
    ck_assert_int_eq(servers[1].account, fabrikam_read ? 1 : -1);
    ck_assert_int_eq(servers[3].account, -1); /* CONTOSO's MS01$ is not FABRIKAM's */
    free(servers);
    sa_strv_clear(&home_hosts);
    sa_strv_clear(&fab_hosts);
}

START_TEST(servers_judged_in_their_own_domain)
{
    const sa_finding *f;

    analyse_two_domains(true);
    ck_assert_uint_eq(count_for("ms01.contoso.com"), 0);
    ck_assert_uint_eq(count_for("gw01.fabrikam.com"), 0);
    f = find("SPN_NETBIOS_MISSING", "gw02.fabrikam.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(fix_cmd(f), "setspn -S MSOMHSvc/GW02 FABRIKAM\\GW02$");
    ck_assert_uint_eq(count_for("gw02.fabrikam.com"), 1);
    /* no account in its domain: said once, with no setspn line */
    f = find("SERVER_ACCOUNT_NOT_FOUND", "ms01.fabrikam.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(f->message, "in fabrikam.com"));
    ck_assert_uint_eq(count_for("ms01.fabrikam.com"), 1);
    ck_assert_uint_eq(findings.n, 2);
}
END_TEST

START_TEST(servers_of_an_unread_domain_are_not_judged)
{
    analyse_two_domains(false);
    ck_assert_uint_eq(count_for("gw01.fabrikam.com"), 0);
    ck_assert_uint_eq(count_for("gw02.fabrikam.com"), 0);
    ck_assert_uint_eq(count_for("ms01.fabrikam.com"), 0);
    ck_assert_uint_eq(count_for("ms01.contoso.com"), 0);
    ck_assert_uint_eq(notes.n, 0); /* the pipeline says why they were not judged */
}
END_TEST

START_TEST(ticket_names_carry_the_holders_realm)
{
    sa_tickets t = {NULL, 0, 0};
    const sa_ticket *got;

    computer("MS01$", "ms01.contoso.com", NULL, NULL, NULL, NULL);
    computer("GW01$", "gw01.fabrikam.com", "fabrikam.com", "FABRIKAM", NULL, NULL);
    ck_assert_ptr_nonnull(sa_tickets_add(&t, "MSOMHSvc/MS01"));
    ck_assert_ptr_nonnull(sa_tickets_add(&t, "MSOMHSvc/GW01@FABRIKAM.COM"));
    sa_tickets_sort(&t);
    got = sa_ticket_for_holder(&t, &accounts.items[0], "MSOMHSvc/MS01");
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got->spn, "MSOMHSvc/MS01");
    got = sa_ticket_for_holder(&t, &accounts.items[1], "MSOMHSvc/GW01");
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got->spn, "MSOMHSvc/GW01@FABRIKAM.COM");
    ck_assert_ptr_null(sa_ticket_for_holder(&t, &accounts.items[1], "MSOMHSvc/MS01"));
    ck_assert_ptr_null(sa_ticket_for_holder(NULL, &accounts.items[0], "MSOMHSvc/MS01"));
    sa_tickets_clear(&t);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("domains");
    TCase *names = tcase_create("names"), *rules = tcase_create("rules");

    tcase_add_test(names, names_under_a_domain);
    tcase_add_test(names, longest_domain_wins);
    tcase_add_test(names, servers_go_to_their_domain);
    suite_add_tcase(s, names);
    tcase_add_checked_fixture(rules, setup, teardown);
    tcase_add_test(rules, servers_judged_in_their_own_domain);
    tcase_add_test(rules, servers_of_an_unread_domain_are_not_judged);
    tcase_add_test(rules, ticket_names_carry_the_holders_realm);
    suite_add_tcase(s, rules);
    return check_run(s);
}
