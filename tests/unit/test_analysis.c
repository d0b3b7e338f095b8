/* Unit tests: the analysis rules, on plain data. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_run.h"
#include "analysis_fixture.h"
#include "fix_text.h"

#define HEALTHY(name, NAME)                                                                                  \
    account(NAME "$", name ".contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/" name ".contoso.com",        \
            "MSOMHSvc/" NAME, NULL)

START_TEST(clean_server_has_no_findings)
{
    HEALTHY("ms01", "MS01");
    account("svc-sdk", NULL, SA_ACCT_USER, 0x200, "MSOMSdkSvc/ms01.contoso.com", "MSOMSdkSvc/MS01", NULL);
    ticket_ok("MSOMHSvc/ms01.contoso.com");
    ticket_ok("MSOMHSvc/MS01");
    analyse(true, "ms01.contoso.com", NULL);
    ck_assert_msg(findings.n == 0, "unexpected finding %s", findings.n ? findings.items[0].code : "");
    ck_assert_int_eq(servers[0].account, 0);
    ck_assert_str_eq(servers[0].netbios, "MS01");
    ck_assert_int_eq(sa_findings_exit_status(&findings, true), SA_EXIT_OK);
    ck_assert_int_eq(sa_findings_exit_status(&findings, false), SA_EXIT_INCOMPLETE);
}
END_TEST

START_TEST(missing_spn)
{
    const sa_finding *f;

    account("MS03$", "ms03.contoso.com", SA_ACCT_COMPUTER, 0x1000, "HOST/ms03.contoso.com", NULL);
    analyse(false, "ms03.contoso.com", NULL);
    f = find("SPN_MISSING", "MSOMHSvc/ms03.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_str_eq(f->server, "ms03.contoso.com");
    ck_assert(has_event(f, 20057) && has_event(f, 21001) && has_event(f, 21035));
    ck_assert_ptr_nonnull(strstr(fix_cmd(f), "setspn -S MSOMHSvc/ms03.contoso.com CONTOSO\\MS03$"));
    ck_assert_ptr_nonnull(strstr(fix_cmd(f), "setspn -S MSOMHSvc/MS03 CONTOSO\\MS03$"));
    ck_assert_uint_eq(count("SPN_NETBIOS_MISSING") + count("SPN_FQDN_MISSING"), 0);
    ck_assert_int_eq(sa_findings_exit_status(&findings, true), SA_EXIT_FAILURE);
}
END_TEST

START_TEST(one_form_missing)
{
    const sa_finding *f;

    account("MS04$", "ms04.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms04.contoso.com", NULL);
    account("MS08$", "ms08.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/MS08", NULL);
    analyse(false, "ms04.contoso.com", "ms08.contoso.com", NULL);
    f = find("SPN_NETBIOS_MISSING", "MSOMHSvc/MS04");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_WARNING);
    ck_assert_str_eq(fix_cmd(f), "setspn -S MSOMHSvc/MS04 CONTOSO\\MS04$");
    f = find("SPN_FQDN_MISSING", "MSOMHSvc/ms08.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_uint_eq(count("SPN_MISSING"), 0);
}
END_TEST

START_TEST(spn_on_user_account)
{
    const sa_finding *f;

    account("MS05$", "ms05.contoso.com", SA_ACCT_COMPUTER, 0x1000, NULL);
    account("svc-ms05", NULL, SA_ACCT_USER, 0x200, "MSOMHSvc/ms05.contoso.com", "MSOMHSvc/MS05", NULL);
    ticket_ok("MSOMHSvc/ms05.contoso.com");
    ticket_ok("MSOMHSvc/MS05");
    analyse(true, "ms05.contoso.com", NULL);
    ck_assert_uint_eq(count("SPN_ON_USER_ACCOUNT"), 2);
    f = find("SPN_ON_USER_ACCOUNT", "MSOMHSvc/ms05.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->server, "ms05.contoso.com");
    ck_assert_ptr_nonnull(strstr(f->message, "KRB_AP_ERR_MODIFIED"));
    ck_assert_ptr_nonnull(strstr(f->evidence, "CONTOSO\\svc-ms05"));
    ck_assert_str_eq(fix_cmd(f), "setspn -D MSOMHSvc/ms05.contoso.com CONTOSO\\svc-ms05\n"
                                 "setspn -S MSOMHSvc/ms05.contoso.com CONTOSO\\MS05$");
    /* The SPN exists, on the wrong account: not "missing". */
    ck_assert_uint_eq(count("SPN_MISSING"), 0);
}
END_TEST

/* The Health Service as a domain account: its SPNs belong on that account,
 * not on the computer, and the computer's own SPN right does not matter. */
START_TEST(health_service_as_domain_account)
{
    const sa_finding *f;

    hs_identity = "CONTOSO\\svc-hs";
    account("MS05$", "ms05.contoso.com", SA_ACCT_COMPUTER, 0x1000, NULL);
    account("svc-hs", NULL, SA_ACCT_USER, 0x200, "MSOMHSvc/ms05.contoso.com", "MSOMHSvc/MS05", NULL);
    HEALTHY("ms01", "MS01");
    account("MS02$", "ms02.contoso.com", SA_ACCT_COMPUTER, 0x1000, NULL);
    account("svc-sdk", NULL, SA_ACCT_USER, 0x200, "MSOMSdkSvc/ms05.contoso.com", "MSOMSdkSvc/MS05",
            "MSOMSdkSvc/ms01.contoso.com", "MSOMSdkSvc/MS01", "MSOMSdkSvc/ms02.contoso.com",
            "MSOMSdkSvc/MS02", NULL);
    analyse(false, "ms05.contoso.com", "ms01.contoso.com", "ms02.contoso.com", NULL);
    /* ms05: on the service account, as it should be */
    ck_assert_uint_eq(count("SPN_ON_USER_ACCOUNT"), 0);
    ck_assert_ptr_null(find("SPN_WRONG_ACCOUNT", "MSOMHSvc/ms05.contoso.com"));
    /* ms01: on its computer account, which the Health Service does not run as */
    ck_assert_uint_eq(count("SPN_WRONG_ACCOUNT"), 2);
    f = find("SPN_WRONG_ACCOUNT", "MSOMHSvc/ms01.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->server, "ms01.contoso.com");
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert(has_event(f, 20057) && has_event(f, 21001));
    ck_assert_ptr_nonnull(strstr(f->message, "runs as CONTOSO\\svc-hs"));
    ck_assert_str_eq(fix_cmd(f), "setspn -D MSOMHSvc/ms01.contoso.com CONTOSO\\MS01$\n"
                                 "setspn -S MSOMHSvc/ms01.contoso.com CONTOSO\\svc-hs");
    ck_assert_uint_eq(count("SPN_WRONG_COMPUTER"), 0);
    /* ms02: missing, to be registered on the service account */
    f = find("SPN_MISSING", "MSOMHSvc/ms02.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(fix_cmd(f), "setspn -S MSOMHSvc/ms02.contoso.com CONTOSO\\svc-hs\n"
                                 "setspn -S MSOMHSvc/MS02 CONTOSO\\svc-hs");
}
END_TEST

START_TEST(self_write_matters_only_for_local_system)
{
    sa_self_write w[1];
    sa_analysis_input in;
    sa_error err = {SA_OK, ""};
    const char *names[] = {"ms03.contoso.com"};

    account("MS03$", "ms03.contoso.com", SA_ACCT_COMPUTER, 0x1000, NULL);
    memset(w, 0, sizeof(w));
    w[0].checked = true;
    w[0].result = SA_SPN_WRITE_DENIED;
    ck_assert(sa_servers_match(&accounts, names, 1, &servers));
    memset(&in, 0, sizeof(in));
    in.accounts = &accounts;
    in.servers = servers;
    in.n_servers = 1;
    in.self_write = w;
    in.netbios_domain = "CONTOSO";
    in.health_service = "svc-hs@contoso.com";
    ck_assert_int_eq(sa_analyse(&in, &findings, &err), SA_OK);
    ck_assert_uint_eq(count("SPN_SELF_WRITE_DENIED"), 0);
    ck_assert_uint_eq(count("SPN_MISSING"), 1);
    sa_findings_clear(&findings);
    memset(&findings, 0, sizeof(findings));
    in.health_service = "LocalSystem";
    ck_assert_int_eq(sa_analyse(&in, &findings, &err), SA_OK);
    ck_assert_uint_eq(count("SPN_SELF_WRITE_DENIED"), 1);
}
END_TEST

START_TEST(sdk_spn_on_user_account_is_normal)
{
    HEALTHY("ms01", "MS01");
    account("svc-sdk", NULL, SA_ACCT_USER, 0x200, "MSOMSdkSvc/ms01.contoso.com", NULL);
    analyse(false, "ms01.contoso.com", NULL);
    ck_assert_uint_eq(findings.n, 0);
}
END_TEST

START_TEST(gmsa_holding_health_spn)
{
    account("gmsa-scom$", NULL, SA_ACCT_GMSA, 0x1000, "MSOMHSvc/ms09.contoso.com", NULL);
    analyse(false, NULL);
    ck_assert_ptr_nonnull(find("SPN_ON_USER_ACCOUNT", "MSOMHSvc/ms09.contoso.com"));
}
END_TEST

START_TEST(disabled_account)
{
    const sa_finding *f;

    account("MS06$", "ms06.contoso.com", SA_ACCT_COMPUTER, 0x1002, "MSOMHSvc/ms06.contoso.com",
            "MSOMHSvc/MS06", NULL);
    account("OLDAGENT$", "oldagent.contoso.com", SA_ACCT_COMPUTER, 0x1002, "MSOMHSvc/oldagent.contoso.com",
            NULL);
    analyse(false, "ms06.contoso.com", NULL);
    ck_assert_uint_eq(count("ACCOUNT_DISABLED"), 2); /* once per account, not per SPN */
    f = find("ACCOUNT_DISABLED", "CONTOSO\\MS06$");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_str_eq(f->server, "ms06.contoso.com");
    ck_assert_ptr_nonnull(strstr(f->evidence, "0x1002"));
    f = find("ACCOUNT_DISABLED", "CONTOSO\\OLDAGENT$");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_WARNING); /* not an expected server */
    ck_assert_ptr_null(f->server);
}
END_TEST

START_TEST(duplicate_spn)
{
    const sa_finding *f;

    HEALTHY("ms07", "MS07");
    account("MS07OLD$", "ms07old.contoso.com", SA_ACCT_COMPUTER, 0x1000, "msomhsvc/MS07.contoso.com", NULL);
    ticket_failed("MSOMHSvc/ms07.contoso.com", 7, SA_KC_SPN_UNKNOWN);
    analyse(true, "ms07.contoso.com", NULL);
    f = find("SPN_DUPLICATE", "MSOMHSvc/ms07.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->server, "ms07.contoso.com");
    ck_assert(has_event(f, 21001) && has_event(f, 21016));
    ck_assert_ptr_nonnull(strstr(f->message, "2 accounts"));
    ck_assert_ptr_nonnull(strstr(f->evidence, "CONTOSO\\MS07$ (computer, the host's own account)"));
    /* The fix removes it from the wrong holder only. */
    ck_assert_str_eq(fix_cmd(f), "setspn -D msomhsvc/MS07.contoso.com CONTOSO\\MS07OLD$");
    /* Not reported again as a wrong computer. */
    ck_assert_uint_eq(count("SPN_WRONG_COMPUTER"), 0);
    /* The KDC said "unknown"; LDAP shows two holders. */
    f = find("TICKET_SPN_NOT_UNIQUE", "MSOMHSvc/ms07.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(f->evidence, "several holders"));
    ck_assert_uint_eq(count("TICKET_SPN_UNKNOWN"), 0);
}
END_TEST

/* A holder read from another domain (--domain, --forest) that is not
 * the host's own account: a duplicate across domains, removed there. */
START_TEST(duplicate_across_domains)
{
    const sa_finding *f;

    HEALTHY("ms02", "MS02");
    account("X02$", "x02.fabrikam.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms02.contoso.com", NULL);
    accounts.items[accounts.n - 1].domain = strdup("FABRIKAM");
    accounts.items[accounts.n - 1].dns_domain = strdup("fabrikam.com");
    analyse(false, "ms02.contoso.com", NULL);
    f = find("SPN_DUPLICATE", "MSOMHSvc/ms02.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(f->message, "in different domains"));
    ck_assert_ptr_nonnull(strstr(f->evidence, "CONTOSO\\MS02$ (computer, the host's own account)"));
    ck_assert_ptr_nonnull(strstr(f->evidence, "FABRIKAM\\X02$ (computer)"));
    ck_assert_str_eq(fix_cmd(f), "setspn -D MSOMHSvc/ms02.contoso.com FABRIKAM\\X02$");
    ck_assert_uint_eq(count("SPN_DUPLICATE"), 1);
}
END_TEST

/* Two hosts of one short name in two domains each hold their own NetBIOS
 * SPN: agents ask their own realm's KDC, which finds its own holder. */
START_TEST(netbios_spn_in_two_domains_is_not_duplicate)
{
    HEALTHY("ms02", "MS02");
    account("MS02$", "ms02.fabrikam.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/MS02", NULL);
    accounts.items[accounts.n - 1].domain = strdup("FABRIKAM");
    accounts.items[accounts.n - 1].dns_domain = strdup("fabrikam.com");
    analyse(false, "ms02.contoso.com", NULL);
    ck_assert_uint_eq(count("SPN_DUPLICATE"), 0);
    ck_assert_uint_eq(count("SPN_WRONG_COMPUTER"), 0);
    ck_assert_uint_eq(findings.n, 0); /* no SDK check: no SDK service named, no MSOMSdkSvc SPN */
}
END_TEST

/* SDK_SPN_MISSING only when the SDK service is part of the question:
 * named (--sdk-service), or MSOMSdkSvc SPNs exist in the server's domain
 * (for another server: this one lacks them).  Otherwise "not checked",
 * once, with the reason -- not a warning on every server. */
START_TEST(sdk_spns_checked_only_when_in_question)
{
    HEALTHY("ms01", "MS01");
    HEALTHY("ms02", "MS02");
    analyse(false, "ms01.contoso.com", "ms02.contoso.com", NULL);
    ck_assert_uint_eq(count("SDK_SPN_MISSING"), 0);
    ck_assert_uint_eq(not_run.n, 1);
    ck_assert_str_eq(not_run.items[0].check, "SDK_SPN_MISSING");
    ck_assert_ptr_null(not_run.items[0].server);
    ck_assert_str_eq(not_run.items[0].why,
                     "no SDK service named (--sdk-service) and no MSOMSdkSvc SPN in this domain");

    sa_findings_clear(&findings);
    free(servers);
    sdk_identity = "localsystem"; /* named: checked */
    analyse(false, "ms01.contoso.com", "ms02.contoso.com", NULL);
    ck_assert_uint_eq(count("SDK_SPN_MISSING"), 2);
    ck_assert_uint_eq(not_run.n, 0);

    sa_findings_clear(&findings);
    free(servers);
    sdk_identity = NULL; /* ms02's SDK SPNs registered: ms01's missing ones matter */
    account("svc-sdk", NULL, SA_ACCT_USER, 0x200, "MSOMSdkSvc/ms02.contoso.com", "MSOMSdkSvc/MS02", NULL);
    analyse(false, "ms01.contoso.com", "ms02.contoso.com", NULL);
    ck_assert_uint_eq(count("SDK_SPN_MISSING"), 1);
    ck_assert_ptr_nonnull(find("SDK_SPN_MISSING", "MSOMSdkSvc/ms01.contoso.com"));
    ck_assert_uint_eq(not_run.n, 0);
}
END_TEST

/* An SDK SPN in another domain does not put the SDK service of this one
 * in question. */
START_TEST(sdk_spns_of_another_domain_do_not_count)
{
    HEALTHY("ms01", "MS01");
    account("svc-sdk", NULL, SA_ACCT_USER, 0x200, "MSOMSdkSvc/ms09.fabrikam.com", NULL);
    accounts.items[accounts.n - 1].domain = strdup("FABRIKAM");
    accounts.items[accounts.n - 1].dns_domain = strdup("fabrikam.com");
    analyse(false, "ms01.contoso.com", NULL);
    ck_assert_uint_eq(count("SDK_SPN_MISSING"), 0);
    ck_assert_uint_eq(not_run.n, 1);
}
END_TEST

/* Missing SDK SPNs: setspn -S commands on the SDK service's account when
 * it is known; when it is not, steps in words -- never a command with a
 * placeholder, which cmd.exe would read as a redirection ("<account>"). */
START_TEST(sdk_fix_names_a_known_account_or_none)
{
    static const char *ids[] = {NULL, "localsystem", "CONTOSO\\svc-sdk"};
    static const char *accts[] = {NULL, "CONTOSO\\MS01$", "CONTOSO\\svc-sdk"};
    const sa_finding *f;
    const char *text;

    HEALTHY("ms01", "MS01");
    /* another server's SDK SPNs: the SDK service is in question even unnamed */
    account("svc-sdk", NULL, SA_ACCT_USER, 0x200, "MSOMSdkSvc/ms02.contoso.com", NULL);
    sdk_identity = ids[_i];
    analyse(false, "ms01.contoso.com", NULL);
    ck_assert_ptr_nonnull(f = find("SDK_SPN_MISSING", "MSOMSdkSvc/ms01.contoso.com"));
    text = fix_cmd(f);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_null(strchr(text, '<'));
    if (accts[_i] == NULL) {
        ck_assert_uint_eq(f->fix.n, 0);
        ck_assert_msg(strstr(text,
                             "register MSOMSdkSvc/ms01.contoso.com and MSOMSdkSvc/MS01 on the account the "
                             "SDK service") != NULL,
                      "%s", text);
    } else {
        ck_assert_uint_eq(f->fix.n, 2);
        ck_assert_str_eq(f->fix.commands[0].args[0], "-S");
        ck_assert_str_eq(f->fix.commands[0].args[1], "MSOMSdkSvc/ms01.contoso.com");
        ck_assert_str_eq(f->fix.commands[0].args[2], accts[_i]);
        ck_assert_str_eq(f->fix.commands[1].args[1], "MSOMSdkSvc/MS01");
        ck_assert_str_eq(f->fix.commands[1].args[2], accts[_i]);
    }
}
END_TEST

START_TEST(duplicate_on_same_account_is_not_duplicate)
{
    account("MS01$", "ms01.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms01.contoso.com",
            "MSOMHSVC/MS01.CONTOSO.COM", "MSOMHSvc/MS01", NULL);
    analyse(false, "ms01.contoso.com", NULL);
    ck_assert_uint_eq(count("SPN_DUPLICATE"), 0);
}
END_TEST

START_TEST(spn_on_other_computer)
{
    const sa_finding *f;

    account("MS02$", "ms02.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms02.contoso.com",
            "MSOMHSvc/MS02", "MSOMHSvc/ms10.contoso.com", NULL);
    account("MS10$", "ms10.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/MS10", NULL);
    ticket_ok("MSOMHSvc/ms10.contoso.com");
    analyse(true, "ms10.contoso.com", NULL);
    f = find("SPN_WRONG_COMPUTER", "MSOMHSvc/ms10.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->server, "ms10.contoso.com");
    ck_assert_ptr_nonnull(strstr(f->message, "KRB_AP_ERR_MODIFIED"));
    ck_assert_ptr_nonnull(strstr(f->evidence,
                                 "the KDC issued a ticket for MSOMHSvc/ms10.contoso.com encrypted for "
                                 "CONTOSO\\MS02$"));
    ck_assert_str_eq(fix_cmd(f), "setspn -D MSOMHSvc/ms10.contoso.com CONTOSO\\MS02$\n"
                                 "setspn -S MSOMHSvc/ms10.contoso.com CONTOSO\\MS10$");
    ck_assert_uint_eq(count("SPN_WRONG_COMPUTER"), 1);
}
END_TEST

START_TEST(ticket_failures_are_classified)
{
    const sa_finding *f;

    HEALTHY("ms01", "MS01");
    ticket_failed("MSOMHSvc/ms01.contoso.com", 14, SA_KC_ETYPE);
    ticket_ok("MSOMHSvc/MS01");
    analyse(true, "ms01.contoso.com", NULL);
    f = find("TICKET_ETYPE_UNSUPPORTED", "MSOMHSvc/ms01.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->server, "ms01.contoso.com");
    ck_assert_ptr_nonnull(strstr(f->evidence, "Kerberos error 14"));
    ck_assert(has_event(f, 20057));
    ck_assert_uint_eq(findings.n, 1); /* no SDK check: the SDK service is not in question */
}
END_TEST

START_TEST(untried_tickets_make_no_finding)
{
    sa_ticket *t;

    HEALTHY("ms01", "MS01");
    t = sa_tickets_add(&tickets, "MSOMHSvc/ms01.contoso.com"); /* the probe stopped before it */
    ck_assert_ptr_nonnull(t);
    analyse(true, NULL);
    ck_assert_uint_eq(findings.n, 0);
}
END_TEST

/* A refusal about this host (its way to the KDC, its clock, its
 * credentials) says nothing of the SPN: no finding, its server's tickets
 * not checked, with the Kerberos error. */
START_TEST(refusals_about_this_host_are_not_checked)
{
    HEALTHY("ms01", "MS01");
    ticket_failed("MSOMHSvc/ms01.contoso.com", -1765328228, SA_KC_KDC_UNREACHABLE);
    ticket_failed("MSOMHSvc/MS01", -1765328347, SA_KC_CLOCK_SKEW);
    ticket_failed("MSOMHSvc/agent01.contoso.com", -1765328352, SA_KC_CREDENTIALS);
    account("AGENT01$", "agent01.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/agent01.contoso.com",
            NULL);
    analyse(true, "ms01.contoso.com", NULL);
    for (size_t i = 0; i < findings.n; i++)
        ck_assert_msg(strncmp(findings.items[i].code, "TICKET_", 7) != 0, "%s", findings.items[i].code);
    /* after the SDK check, not in question here: in the order of the SPNs */
    ck_assert_uint_eq(not_run.n, 3);
    ck_assert_str_eq(not_run.items[0].check, "SDK_SPN_MISSING");
    ck_assert_str_eq(not_run.items[1].check, "TICKET_*");
    ck_assert_ptr_null(not_run.items[1].server); /* an agent's */
    ck_assert_str_eq(not_run.items[2].check, "TICKET_*");
    ck_assert_str_eq(not_run.items[2].server, "ms01.contoso.com");
    ck_assert_str_eq(not_run.items[2].why,
                     "no service ticket could be checked: Server not found in Kerberos database");
}
END_TEST

static void
analyse_skew(long skew)
{
    sa_analysis_input in;
    sa_error err = {SA_OK, ""};

    memset(&in, 0, sizeof(in));
    in.accounts = &accounts;
    in.have_skew = true;
    in.clock_skew = skew;
    in.dc = "ldap://dc1.contoso.com";
    ck_assert_int_eq(sa_analyse(&in, &findings, &err), SA_OK);
}

START_TEST(clock_skew_thresholds)
{
    const sa_finding *f;

    analyse_skew(30);
    ck_assert_uint_eq(findings.n, 0);
    analyse_skew(-59);
    ck_assert_uint_eq(findings.n, 0);
    analyse_skew(90);
    f = find("CLOCK_SKEW", "ldap://dc1.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_WARNING);
    ck_assert_ptr_nonnull(strstr(f->message, "90 s ahead of"));
    sa_findings_clear(&findings);
    analyse_skew(-400);
    f = find("CLOCK_SKEW", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_ptr_nonnull(strstr(f->message, "400 s behind"));
    ck_assert(has_event(f, 20057) && has_event(f, 21001));
}
END_TEST

START_TEST(generalized_time)
{
    long t = 0;

    ck_assert(sa_parse_generalized_time("19700101000000.0Z", &t));
    ck_assert_int_eq(t, 0);
    ck_assert(sa_parse_generalized_time("20261122044500Z", &t));
    ck_assert_int_eq(t, 1795322700L);
    ck_assert(!sa_parse_generalized_time("20261122044500", &t)); /* no zone */
    ck_assert(!sa_parse_generalized_time("2026112204", &t));     /* short */
    ck_assert(!sa_parse_generalized_time("20261122044500+0100", &t));
    ck_assert(!sa_parse_generalized_time("", &t));
}
END_TEST

START_TEST(reachability_findings)
{
    sa_reach reach[4];
    sa_analysis_input in;
    sa_checks_not_run notes = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};
    const char *names[] = {"ms01.contoso.com", "ms02.contoso.com", "ms03.contoso.com", "ms04.contoso.com"};
    const sa_finding *f;

    HEALTHY("ms01", "MS01");
    HEALTHY("ms02", "MS02");
    HEALTHY("ms03", "MS03");
    HEALTHY("ms04", "MS04");
    memset(reach, 0, sizeof(reach));
    reach[0].host = names[0];
    reach[0].resolved = reach[0].connected = true;
    reach[1].host = names[1];
    reach[1].resolved = true;
    snprintf(reach[1].connect_error, sizeof(reach[1].connect_error), "192.0.2.2:5723: Connection refused");
    reach[2].host = names[2];
    snprintf(reach[2].resolve_error, sizeof(reach[2].resolve_error), "Name or service not known");
    /* the resolver gave no answer (EAI_AGAIN): no verdict on the name */
    reach[3].host = names[3];
    reach[3].lookup_failed = true;
    snprintf(reach[3].resolve_error, sizeof(reach[3].resolve_error), "Temporary failure in name resolution");
    ck_assert(sa_servers_match(&accounts, names, 4, &servers));
    memset(&in, 0, sizeof(in));
    in.accounts = &accounts;
    in.servers = servers;
    in.n_servers = 4;
    in.reach = reach;
    in.reach_port = SA_AGENT_PORT;
    in.not_run = &notes;
    ck_assert_int_eq(sa_analyse(&in, &findings, &err), SA_OK);
    ck_assert_uint_eq(findings.n, 2);
    ck_assert_uint_eq(notes.n, 2);
    ck_assert_str_eq(notes.items[0].check, "DNS_RESOLUTION_FAILED");
    ck_assert_str_eq(notes.items[1].check, "TCP_CONNECT_FAILED");
    ck_assert_str_eq(notes.items[1].server, "ms04.contoso.com");
    ck_assert_str_eq(notes.items[1].why,
                     "its name could not be looked up: Temporary failure in name resolution");
    sa_checks_not_run_clear(&notes);
    f = find("DNS_RESOLUTION_FAILED", "ms03.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert(has_event(f, 21005));
    ck_assert_ptr_nonnull(strstr(f->evidence, "Name or service not known"));
    f = find("TCP_CONNECT_FAILED", "ms02.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert(has_event(f, 21006));
    ck_assert_ptr_nonnull(strstr(f->message, "port 5723"));
    ck_assert_ptr_nonnull(strstr(f->evidence, "Connection refused"));
    ck_assert_ptr_null(find("TCP_CONNECT_FAILED", "ms03.contoso.com")); /* not resolved: one finding */
}
END_TEST

START_TEST(stale_spn_only_for_hosts_looked_up)
{
    sa_strv checked = {NULL, 0, 0};
    sa_checks_not_run notes = {NULL, 0, 0};
    sa_analysis_input in;
    sa_error err = {SA_OK, ""};
    const sa_finding *f;

    /* oldagent was looked up and has no computer; elsewhere.fabrikam.com was not */
    account("LEGACY01$", "legacy01.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/oldagent.contoso.com",
            "MSOMHSvc/elsewhere.fabrikam.com", NULL);
    account("MS02$", "ms02.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms02.contoso.com", NULL);
    account("svc-x", NULL, SA_ACCT_USER, 0x200, "MSOMSdkSvc/ms02.contoso.com", NULL);
    ck_assert(sa_strv_add(&checked, "oldagent.contoso.com"));
    ck_assert(sa_strv_add(&checked, "ms02.contoso.com"));
    memset(&in, 0, sizeof(in));
    in.accounts = &accounts;
    in.hosts_checked = &checked;
    in.health_service_local_system = true;
    in.not_run = &notes;
    ck_assert_int_eq(sa_analyse(&in, &findings, &err), SA_OK);
    f = find("SPN_STALE", "MSOMHSvc/oldagent.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_WARNING);
    ck_assert_str_eq(fix_cmd(f), "setspn -D MSOMHSvc/oldagent.contoso.com LEGACY01$");
    /* not also "on another computer" */
    ck_assert_ptr_null(find("SPN_WRONG_COMPUTER", "MSOMHSvc/oldagent.contoso.com"));
    /* not looked up: neither stale nor another computer's (a run that did
     * not look it up cannot tell), and the report says so */
    ck_assert_ptr_null(find("SPN_STALE", "MSOMHSvc/elsewhere.fabrikam.com"));
    ck_assert_ptr_null(find("SPN_WRONG_COMPUTER", "MSOMHSvc/elsewhere.fabrikam.com"));
    ck_assert_uint_eq(notes.n, 2);
    ck_assert_str_eq(notes.items[0].check, "SPN_WRONG_COMPUTER");
    ck_assert_str_eq(notes.items[1].check, "SPN_STALE");
    ck_assert_ptr_null(notes.items[0].server);
    ck_assert_ptr_nonnull(strstr(notes.items[0].why, "1 SPN(s)"));
    ck_assert_ptr_nonnull(strstr(notes.items[0].why, "not looked up"));
    sa_checks_not_run_clear(&notes);
    /* a host that exists is never stale */
    ck_assert_ptr_null(find("SPN_STALE", "MSOMSdkSvc/ms02.contoso.com"));
    ck_assert_uint_eq(count("SPN_STALE"), 1);
    sa_strv_clear(&checked);
}
END_TEST

/* A computer whose dNSHostName differs from its name in its AD domain (a
 * disjoint namespace, or a corrupted dNSHostName): an SPN for
 * <NetBIOS name>.<its domain> names the holder itself, never a host
 * without a computer account, and gets no setspn -D. */
START_TEST(own_name_in_own_domain_is_not_stale)
{
    sa_strv checked = {NULL, 0, 0};
    sa_analysis_input in;
    sa_error err = {SA_OK, ""};

    account("WEB01$", "web01.na.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/web01.contoso.com",
            "MSOMHSvc/web01.other.contoso.com", NULL);
    ck_assert(sa_strv_add(&checked, "web01.contoso.com"));
    ck_assert(sa_strv_add(&checked, "web01.other.contoso.com"));
    memset(&in, 0, sizeof(in));
    in.accounts = &accounts;
    in.hosts_checked = &checked;
    in.home_dns = "contoso.com";
    in.health_service_local_system = true;
    ck_assert_int_eq(sa_analyse(&in, &findings, &err), SA_OK);
    ck_assert_ptr_null(find("SPN_STALE", "MSOMHSvc/web01.contoso.com"));
    ck_assert_ptr_null(find("SPN_WRONG_COMPUTER", "MSOMHSvc/web01.contoso.com"));
    /* only the exact <name>.<domain>: a deeper name is another host */
    ck_assert_ptr_nonnull(find("SPN_STALE", "MSOMHSvc/web01.other.contoso.com"));
    sa_strv_clear(&checked);
}
END_TEST

START_TEST(encryption_types_without_aes)
{
    const sa_finding *f;

    account("MS08$", "ms08.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms08.contoso.com", NULL);
    accounts.items[0].has_enctypes = true;
    accounts.items[0].enctypes = SA_ENC_RC4;
    account("MS09$", "ms09.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms09.contoso.com", NULL);
    accounts.items[1].has_enctypes = true;
    accounts.items[1].enctypes = SA_ENC_DES_CBC_CRC | SA_ENC_DES_CBC_MD5;
    account("MS10$", "ms10.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms10.contoso.com", NULL);
    accounts.items[2].has_enctypes = true;
    accounts.items[2].enctypes = SA_ENC_RC4 | SA_ENC_AES256; /* fine */
    account("MS11$", "ms11.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms11.contoso.com", NULL);
    /* MS11$: attribute unset, the domain's default: not reported */
    analyse(false, "ms08.contoso.com", NULL);
    f = find("ENCTYPES_NO_AES", "CONTOSO\\MS08$");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_WARNING);
    ck_assert_str_eq(f->server, "ms08.contoso.com");
    ck_assert_ptr_nonnull(strstr(f->message, "RC4 only"));
    ck_assert_ptr_nonnull(strstr(f->evidence, "0x4"));
    f = find("ENCTYPES_NO_AES", "CONTOSO\\MS09$");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_ptr_nonnull(strstr(f->message, "DES only"));
    ck_assert_uint_eq(count("ENCTYPES_NO_AES"), 2);
}
END_TEST

START_TEST(self_write_denied)
{
    sa_self_write w[2];
    sa_analysis_input in;
    sa_error err = {SA_OK, ""};
    const char *names[] = {"ms03.contoso.com", "ms01.contoso.com"};
    const sa_finding *f;

    account("MS03$", "ms03.contoso.com", SA_ACCT_COMPUTER, 0x1000, NULL);
    HEALTHY("ms01", "MS01");
    memset(w, 0, sizeof(w));
    w[0].checked = w[1].checked = true;
    w[0].result = SA_SPN_WRITE_DENIED;
    snprintf(w[0].why, sizeof(w[0].why), "ACE 1 denies SELF the validated write to servicePrincipalName");
    w[1].result = SA_SPN_WRITE_NOT_GRANTED;
    snprintf(w[1].why, sizeof(w[1].why), "none of the 9 ACEs");
    ck_assert(sa_servers_match(&accounts, names, 2, &servers));
    memset(&in, 0, sizeof(in));
    in.accounts = &accounts;
    in.servers = servers;
    in.n_servers = 2;
    in.self_write = w;
    in.netbios_domain = "CONTOSO";
    ck_assert_int_eq(sa_analyse(&in, &findings, &err), SA_OK);
    /* no SPN at all: the denied write is why, a failure */
    f = find("SPN_SELF_WRITE_DENIED", "CONTOSO\\MS03$");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert(has_event(f, 21035));
    /* both SPNs present (registered by someone else): a warning */
    f = find("SPN_SELF_WRITE_DENIED", "CONTOSO\\MS01$");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, SA_SEV_WARNING);
    ck_assert_ptr_nonnull(strstr(f->evidence, "none of the 9 ACEs"));
}
END_TEST

START_TEST(server_without_account)
{
    const sa_finding *f;

    analyse(false, "ghost.contoso.com", NULL);
    ck_assert_int_eq(servers[0].account, -1);
    ck_assert_str_eq(servers[0].netbios, "GHOST");
    f = find("SERVER_ACCOUNT_NOT_FOUND", "ghost.contoso.com");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(f->message, "cannot be checked"));
    /* no fix that registers SPNs on an account that does not exist */
    ck_assert_ptr_null(find("SPN_MISSING", NULL));
    ck_assert_uint_eq(findings.n, 1);
}
END_TEST

START_TEST(server_matched_by_sam_only_without_dns_name)
{
    /* MS11$ has another host's dNSHostName: not ms11.contoso.com's account. */
    account("MS11$", "ms11.fabrikam.com", SA_ACCT_COMPUTER, 0x1000, NULL);
    account("MS12$", NULL, SA_ACCT_COMPUTER, 0x1000, NULL);
    analyse(false, "ms11.contoso.com", "ms12.contoso.com", NULL);
    ck_assert_int_eq(servers[0].account, -1);
    ck_assert_int_eq(servers[1].account, 1);
}
END_TEST

START_TEST(malformed_spn_is_reported_not_fatal)
{
    const sa_finding *f;

    account("AGENT1$", "agent1.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/agent1.contoso.com:99999",
            NULL);
    analyse(false, NULL);
    f = find("SPN_MALFORMED", "MSOMHSvc/agent1.contoso.com:99999");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(f->message, "out of range"));
}
END_TEST

START_TEST(findings_sorted_worst_first)
{
    account("MS04$", "ms04.contoso.com", SA_ACCT_COMPUTER, 0x1000, "MSOMHSvc/ms04.contoso.com", NULL);
    account("MS03$", "ms03.contoso.com", SA_ACCT_COMPUTER, 0x1000, NULL);
    analyse(false, "ms04.contoso.com", "ms03.contoso.com", NULL);
    ck_assert_uint_ge(findings.n, 2);
    for (size_t i = 1; i < findings.n; i++)
        ck_assert_int_ge(findings.items[i - 1].severity, findings.items[i].severity);
    ck_assert_int_eq(findings.items[0].severity, SA_SEV_FAILURE);
}
END_TEST

START_TEST(spn_index_groups_case_insensitively)
{
    sa_spn_index idx;
    sa_strv uniq = {NULL, 0, 0};
    size_t first;

    account("A$", "a.contoso.com", SA_ACCT_COMPUTER, 0, "MSOMHSvc/X", "MSOMHSvc/a.contoso.com", NULL);
    account("B$", "b.contoso.com", SA_ACCT_COMPUTER, 0, "msomhsvc/x", NULL);
    ck_assert(sa_spn_index_build(&accounts, &idx));
    ck_assert_uint_eq(idx.n, 3);
    ck_assert_uint_eq(sa_spn_index_lookup(&idx, "MSOMHSVC/X", &first), 2);
    ck_assert_uint_eq(sa_spn_index_lookup(&idx, "MSOMHSvc/nothing", &first), 0);
    ck_assert(sa_spn_index_unique(&idx, &uniq));
    ck_assert_uint_eq(uniq.n, 2);
    sa_strv_clear(&uniq);
    sa_spn_index_free(&idx);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("analysis");
    TCase *tc = tcase_create("rules");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, clean_server_has_no_findings);
    tcase_add_test(tc, missing_spn);
    tcase_add_test(tc, one_form_missing);
    tcase_add_test(tc, spn_on_user_account);
    tcase_add_test(tc, sdk_spn_on_user_account_is_normal);
    tcase_add_test(tc, health_service_as_domain_account);
    tcase_add_test(tc, self_write_matters_only_for_local_system);
    tcase_add_test(tc, gmsa_holding_health_spn);
    tcase_add_test(tc, disabled_account);
    tcase_add_test(tc, duplicate_spn);
    tcase_add_test(tc, duplicate_on_same_account_is_not_duplicate);
    tcase_add_test(tc, duplicate_across_domains);
    tcase_add_test(tc, netbios_spn_in_two_domains_is_not_duplicate);
    tcase_add_test(tc, sdk_spns_checked_only_when_in_question);
    tcase_add_test(tc, sdk_spns_of_another_domain_do_not_count);
    tcase_add_test(tc, spn_on_other_computer);
    tcase_add_test(tc, ticket_failures_are_classified);
    tcase_add_test(tc, untried_tickets_make_no_finding);
    tcase_add_test(tc, refusals_about_this_host_are_not_checked);
    tcase_add_test(tc, clock_skew_thresholds);
    tcase_add_test(tc, generalized_time);
    tcase_add_test(tc, reachability_findings);
    tcase_add_test(tc, stale_spn_only_for_hosts_looked_up);
    tcase_add_test(tc, own_name_in_own_domain_is_not_stale);
    tcase_add_loop_test(tc, sdk_fix_names_a_known_account_or_none, 0, 3);
    tcase_add_test(tc, encryption_types_without_aes);
    tcase_add_test(tc, self_write_denied);
    tcase_add_test(tc, server_without_account);
    tcase_add_test(tc, server_matched_by_sam_only_without_dns_name);
    tcase_add_test(tc, malformed_spn_is_reported_not_fatal);
    tcase_add_test(tc, findings_sorted_worst_first);
    tcase_add_test(tc, spn_index_groups_case_insensitively);
    suite_add_tcase(s, tc);
    return check_run(s);
}
