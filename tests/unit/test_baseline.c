/* Unit tests for baselines: a report read back (and every way it can be
 * broken), and the comparison of its findings with the findings of now. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "fix_text.h"
#include "spnaudit/baseline.h"
#include "spnaudit/report.h"

static sa_findings old, now;
static sa_comparison cmp;
static sa_baseline b;
/* The scopes of the baseline and of now (unknown unless a test says),
 * and whether each audit was complete. */
static sa_report_scope was, is;
static bool was_complete, is_complete;

static void
setup(void)
{
    memset(&old, 0, sizeof(old));
    memset(&now, 0, sizeof(now));
    memset(&cmp, 0, sizeof(cmp));
    memset(&b, 0, sizeof(b));
    memset(&was, 0, sizeof(was));
    memset(&is, 0, sizeof(is));
    was_complete = is_complete = true;
}

static void
teardown(void)
{
    sa_findings_clear(&old);
    sa_findings_clear(&now);
    sa_comparison_clear(&cmp);
    sa_baseline_clear(&b);
    sa_report_scope_clear(&was);
    sa_report_scope_clear(&is);
}

static sa_finding *
add(sa_findings *list, const char *code, sa_severity sev, const char *subject, const char *server)
{
    static const int ev[SA_MAX_EVENTS] = {20057, 21001, 0, 0};
    sa_finding *f = sa_findings_add_raw(list, code, sev, ev, subject, server);

    ck_assert_ptr_nonnull(f);
    return f;
}

/* old against now, with the scopes was and is; a comparison made before
 * is dropped. */
static void
compare(void)
{
    sa_error err = {SA_OK, ""};
    sa_coverage cov_was = {&was, was_complete}, cov_is = {&is, is_complete};

    sa_comparison_clear(&cmp);
    ck_assert_int_eq(sa_baseline_compare(&old, cov_was, &now, cov_is, &cmp, &err), SA_OK);
}

/* After compare(): the changes of the findings of now, one letter each
 * (n new, p persisting, c not compared), and how many are fixed. */
static void
expect(const char *changes, size_t n_fixed)
{
    ck_assert_uint_eq(now.n, strlen(changes));
    for (size_t i = 0; i < now.n; i++) {
        const char *want = changes[i] == 'n'   ? SA_CHANGE_NEW
                           : changes[i] == 'p' ? SA_CHANGE_PERSISTING
                                               : SA_CHANGE_NOT_COMPARED;
        ck_assert_ptr_nonnull(now.items[i].change);
        ck_assert_msg(strcmp(now.items[i].change, want) == 0, "finding %zu (%s) is %s", i,
                      now.items[i].subject, now.items[i].change);
        ck_assert_int_eq(sa_comparison_why(&cmp, false, i) != NULL, changes[i] == 'c');
    }
    ck_assert_uint_eq(cmp.fixed.n, n_fixed);
}

START_TEST(new_fixed_and_persisting)
{
    sa_finding *f =
        add(&old, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/ms03.contoso.test", "ms03.contoso.test");

    ck_assert(sa_finding_message(f, "no SPN for ms03"));
    ck_assert(sa_finding_evidence(f, "nothing holds it"));
    ck_assert(sa_finding_fix_cmds(
        f, &(sa_fix_cmd){"setspn", {"-S", "MSOMHSvc/ms03.contoso.test", "CONTOSO\\ms03$"}, 3}, 1,
        "then restart"));
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/old.contoso.test", NULL);
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/old.contoso.test", NULL);
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/ms07.contoso.test", NULL);
    compare();
    expect("pn", 1);
    f = &cmp.fixed.items[0];
    ck_assert_str_eq(f->code, "SPN_MISSING");
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_str_eq(f->server, "ms03.contoso.test");
    ck_assert_str_eq(f->subject, "MSOMHSvc/ms03.contoso.test");
    ck_assert_str_eq(f->message, "no SPN for ms03");
    ck_assert_str_eq(f->evidence, "nothing holds it");
    ck_assert_str_eq(fix_cmd(f), "setspn -S MSOMHSvc/ms03.contoso.test CONTOSO\\ms03$\nthen restart");
    ck_assert_uint_eq(f->fix.n, 1);
    ck_assert_str_eq(f->fix.commands[0].args[2], "CONTOSO\\ms03$");
    ck_assert_uint_eq(f->n_events, 2);
    ck_assert_int_eq(f->events[1], 21001);
    ck_assert_ptr_null(f->change);
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_NEW), 1);
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_PERSISTING), 1);
}
END_TEST

START_TEST(same_subject_on_two_servers_differs)
{
    add(&old, "TICKET_KVNO_MISMATCH", SA_SEV_FAILURE, "MSOMHSvc/gw.contoso.test", "ms01.contoso.test");
    add(&now, "TICKET_KVNO_MISMATCH", SA_SEV_FAILURE, "MSOMHSvc/gw.contoso.test", "ms02.contoso.test");
    add(&now, "TICKET_KVNO_MISMATCH", SA_SEV_FAILURE, "MSOMHSvc/gw.contoso.test", "ms01.contoso.test");
    compare();
    expect("np", 0);
}
END_TEST

/* The server a finding is filed under depends on the servers named: one
 * filed under no server is the same as one filed under a server, once. */
START_TEST(no_server_pairs_with_a_server_once)
{
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/x.contoso.test", NULL);
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/y.contoso.test", "ms01.contoso.test");
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/z.contoso.test", "ms02.contoso.test");
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/z.contoso.test", "ms03.contoso.test");
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/x.contoso.test", NULL);
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/y.contoso.test", NULL);
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/z.contoso.test", NULL);
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/x.contoso.test", "ms04.contoso.test");
    compare();
    expect("pppn", 1); /* x twice now, once before */
    ck_assert_str_eq(cmp.fixed.items[0].server, "ms03.contoso.test");
    ck_assert_str_eq(cmp.fixed.items[0].subject, "MSOMHSvc/z.contoso.test");
}
END_TEST

START_TEST(identity_ignores_case_of_names_not_of_codes)
{
    add(&old, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/MS03.contoso.test", "MS03.Contoso.Test");
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/z", NULL);
    add(&now, "SPN_MISSING", SA_SEV_FAILURE, "msomhsvc/ms03.contoso.test", "ms03.contoso.test");
    add(&now, "spn_stale", SA_SEV_WARNING, "MSOMHSvc/z", NULL);
    compare();
    expect("pn", 1);
    ck_assert_str_eq(cmp.fixed.items[0].code, "SPN_STALE");
}
END_TEST

START_TEST(repeated_findings_pair_one_to_one)
{
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/a", NULL);
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/b", NULL);
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/b", NULL);
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/a", NULL);
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/a", NULL);
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/b", NULL);
    compare();
    expect("pnp", 1); /* the first of a pair stays */
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_NEW), 1);
    ck_assert_str_eq(cmp.fixed.items[0].subject, "MSOMHSvc/b");
}
END_TEST

START_TEST(empty_lists)
{
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/x", NULL);
    compare(); /* empty baseline: all new */
    expect("n", 0);
    sa_findings_clear(&now);
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/x", NULL);
    compare(); /* nothing now: all fixed */
    expect("", 1);
}
END_TEST

START_TEST(exit_status_counts_new_findings_only)
{
    add(&old, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/a", "a");
    add(&now, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/a", "a");
    add(&now, "SPN_NETBIOS_MISSING", SA_SEV_WARNING, "MSOMHSvc/A", "a");
    add(&now, "REFERRAL_NOT_FOLLOWED", SA_SEV_INFO, "ldap://x", NULL);
    compare();
    ck_assert_int_eq(sa_baseline_exit_status(&now, true), SA_EXIT_WARNING);
    ck_assert_int_eq(sa_baseline_exit_status(&now, false), SA_EXIT_INCOMPLETE);
    ck_assert_int_eq(sa_findings_exit_status(&now, true), SA_EXIT_FAILURE);
    add(&old, "SPN_NETBIOS_MISSING", SA_SEV_WARNING, "MSOMHSvc/A", "a");
    compare();
    ck_assert_int_eq(sa_baseline_exit_status(&now, true), SA_EXIT_OK); /* only an info is new */
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/a", NULL);
    compare();
    ck_assert_int_eq(sa_baseline_exit_status(&now, true), SA_EXIT_FAILURE);
}
END_TEST

/* 20,000 findings against 20,000 with a tenth changed: the counts. */
START_TEST(large_reports)
{
    char subject[64];

    for (int i = 0; i < 20000; i++) {
        snprintf(subject, sizeof(subject), "MSOMHSvc/agent%05d.contoso.test", i);
        add(&old, "SPN_STALE", SA_SEV_WARNING, subject, NULL);
        snprintf(subject, sizeof(subject), "MSOMHSvc/agent%05d.contoso.test", i % 10 == 0 ? i + 100000 : i);
        add(&now, "SPN_STALE", SA_SEV_WARNING, subject, NULL);
    }
    compare();
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_NEW), 2000);
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_PERSISTING), 18000);
    ck_assert_uint_eq(cmp.fixed.n, 2000);
    ck_assert_str_eq(cmp.fixed.items[1].subject, "MSOMHSvc/agent00010.contoso.test");
}
END_TEST

/* ------------------------------------------------------------ scope */

/* contoso.test, both classes, tickets and reachability, and servers (a
 * NULL-terminated list). */
static void
scope_of(sa_report_scope *s, const char *const *servers)
{
    ck_assert(sa_strv_add(&s->domains, "contoso.test"));
    ck_assert(sa_strv_add(&s->service_classes, "MSOMHSvc") && sa_strv_add(&s->service_classes, "MSOMSdkSvc"));
    for (size_t i = 0; servers[i] != NULL; i++)
        ck_assert(sa_strv_add(&s->servers, servers[i]));
    s->known = true;
    s->tickets = SA_SCOPE_TICKETS_ALL;
    s->reachability = true;
}

static const char *const four[] = {"ms01.contoso.test", "ms03.contoso.test", "ms05.contoso.test",
                                   "ms07.contoso.test", NULL};

/* The reasons of the baseline's findings not compared, joined by "|". */
static void
expect_not_compared(const char *reasons)
{
    char got[1024] = "";

    for (size_t i = 0; i < cmp.not_compared.n; i++) {
        const char *why = sa_comparison_why(&cmp, true, i);
        ck_assert_ptr_nonnull(why);
        snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? "|" : "", why);
    }
    ck_assert_str_eq(got, reasons);
}

/* Issue 11: a baseline of ms01/03/05/07, then an audit without ms07.  The
 * duplicate SPN of ms07 (and the ticket it breaks) is filed under ms07
 * only when ms07 is named: the same finding, persisting; ms07's own
 * findings are not compared, never fixed. */
START_TEST(server_left_out_is_not_compared_not_fixed)
{
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/ms07.contoso.test", "ms07.contoso.test");
    add(&old, "TICKET_SPN_NOT_UNIQUE", SA_SEV_FAILURE, "MSOMHSvc/ms07.contoso.test", "ms07.contoso.test");
    add(&old, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/ms03.contoso.test", "ms03.contoso.test");
    add(&old, "SDK_SPN_MISSING", SA_SEV_WARNING, "MSOMSdkSvc/ms07.contoso.test", "ms07.contoso.test");
    add(&old, "TCP_CONNECT_FAILED", SA_SEV_WARNING, "ms07.contoso.test", "ms07.contoso.test");
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/ms07.contoso.test", NULL);
    add(&now, "TICKET_SPN_NOT_UNIQUE", SA_SEV_FAILURE, "MSOMHSvc/ms07.contoso.test", NULL);
    add(&now, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/ms03.contoso.test", "ms03.contoso.test");
    scope_of(&was, four);
    scope_of(&is, four);
    sa_strv_clear(&is.servers);
    ck_assert(sa_strv_add(&is.servers, four[0]) && sa_strv_add(&is.servers, four[1]) &&
              sa_strv_add(&is.servers, four[2]));
    compare();
    expect("ppp", 0);
    ck_assert_uint_eq(cmp.not_compared.n, 2);
    ck_assert_str_eq(cmp.not_compared.items[0].code, "SDK_SPN_MISSING");
    ck_assert_str_eq(cmp.not_compared.items[1].code, "TCP_CONNECT_FAILED");
    expect_not_compared("ms07.contoso.test: not audited now|ms07.contoso.test: not audited now");
    ck_assert_uint_eq(cmp.reasons.n, 1);
    ck_assert(cmp.scope_known);
    ck_assert_uint_eq(cmp.scope_changes.n, 1);
    ck_assert_str_eq(cmp.scope_changes.items[0].what, "servers");
    ck_assert_uint_eq(cmp.scope_changes.items[0].removed.n, 1);
    ck_assert_str_eq(cmp.scope_changes.items[0].removed.items[0], "ms07.contoso.test");
    ck_assert_uint_eq(cmp.scope_changes.items[0].added.n, 0);

    /* the other way round (ms07 named again): the duplicate persists, and
     * ms07's findings of now are not compared: none is new */
    sa_findings_clear(&now);
    add(&now, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/ms07.contoso.test", "ms07.contoso.test");
    add(&now, "TCP_CONNECT_FAILED", SA_SEV_WARNING, "ms07.contoso.test", "ms07.contoso.test");
    sa_findings_clear(&old);
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/ms07.contoso.test", NULL);
    sa_strv_clear(&was.servers); /* ms01 only */
    ck_assert(sa_strv_add(&was.servers, four[0]));
    compare();
    expect("pc", 0);
    ck_assert_str_eq(sa_comparison_why(&cmp, false, 1), "ms07.contoso.test: not audited in the baseline");
    ck_assert_int_eq(sa_baseline_exit_status(&now, true), SA_EXIT_OK);
    ck_assert_int_eq(sa_findings_exit_status(&now, true), SA_EXIT_FAILURE);
}
END_TEST

/* A finding of a server new in the scope is not compared: it neither
 * counts as new nor changes the exit status of --baseline-status new. */
START_TEST(new_server_is_not_compared_and_not_counted)
{
    add(&now, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/ms09.contoso.test", "ms09.contoso.test");
    add(&now, "SPN_NETBIOS_MISSING", SA_SEV_WARNING, "MSOMHSvc/MS01", "ms01.contoso.test");
    scope_of(&was, four);
    scope_of(&is, four);
    ck_assert(sa_strv_add(&is.servers, "ms09.contoso.test"));
    compare();
    expect("cn", 0);
    ck_assert_str_eq(sa_comparison_why(&cmp, false, 0), "ms09.contoso.test: not audited in the baseline");
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_NEW), 1);
    ck_assert_int_eq(sa_baseline_exit_status(&now, true), SA_EXIT_WARNING); /* not 2 */
    ck_assert_str_eq(cmp.scope_changes.items[0].what, "servers");
    ck_assert_str_eq(cmp.scope_changes.items[0].added.items[0], "ms09.contoso.test");
}
END_TEST

/* A report of an older spnaudit says nothing of its scope: compared as
 * before, except that a finding of a server not audited now is still
 * not fixed. */
START_TEST(baseline_without_scope)
{
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/gone.contoso.test", NULL);
    add(&old, "TCP_CONNECT_FAILED", SA_SEV_WARNING, "ms07.contoso.test", "ms07.contoso.test");
    add(&old, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/ms03.contoso.test", "ms03.contoso.test");
    add(&now, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/ms09.contoso.test", "ms09.contoso.test");
    scope_of(&is, four);
    sa_strv_clear(&is.servers); /* ms03 and ms09: not ms07 */
    ck_assert(sa_strv_add(&is.servers, "ms09.contoso.test") && sa_strv_add(&is.servers, "ms03.contoso.test"));
    compare();
    expect("n", 2); /* the stale SPN and ms03's SPN: fixed */
    ck_assert(!cmp.scope_known && !cmp.baseline_scope_known);
    ck_assert_uint_eq(cmp.scope_changes.n, 0);
    expect_not_compared("ms07.contoso.test: not audited now");

    /* neither says: exactly as before */
    sa_report_scope_clear(&is);
    compare();
    expect("n", 3);
    ck_assert_uint_eq(cmp.not_compared.n, 0);
}
END_TEST

/* The servers' certificates checked in one report only (audit
 * --cert-ca-file): their findings are not compared, neither fixed nor
 * new; a server whose certificates could not be checked likewise. */
START_TEST(certificates_checked_in_one_report_only)
{
    add(&old, "CERT_EXPIRED", SA_SEV_FAILURE, "userCertificate of CN=ms01", "ms01.contoso.test");
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/old.contoso.test", NULL);
    scope_of(&was, four);
    scope_of(&is, four);
    was.certificates = true;
    compare();
    expect("", 1);
    ck_assert_str_eq(cmp.fixed.items[0].code, "SPN_STALE");
    expect_not_compared("certificates: not checked now");
    ck_assert_uint_eq(cmp.scope_changes.n, 1);

    /* both checked, ms01's not this time: not compared either */
    is.certificates = true;
    ck_assert(sa_checks_not_run_note(&is.checks_not_run, "CERT_*", "ms01.contoso.test",
                                     "its domain could not be read"));
    compare();
    expect("", 1);
    expect_not_compared(
        "check CERT_* for ms01.contoso.test: could not run now (its domain could not be read)");
    ck_assert_uint_eq(cmp.scope_changes.n, 0);

    /* both checked and read: the expired certificate replaced, fixed */
    sa_checks_not_run_clear(&is.checks_not_run);
    compare();
    expect("", 2);
}
END_TEST

/* Tickets, service classes and reachability left out now: their findings
 * of the baseline are not compared. */
START_TEST(tickets_classes_and_reachability)
{
    add(&old, "TICKET_SPN_UNKNOWN", SA_SEV_FAILURE, "MSOMHSvc/MS05", "ms05.contoso.test");
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMSdkSvc/ms01.contoso.test", NULL);
    add(&old, "TCP_CONNECT_FAILED", SA_SEV_WARNING, "ms05.contoso.test", "ms05.contoso.test");
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/old.contoso.test", NULL);
    add(&old, "TICKET_SPN_UNKNOWN", SA_SEV_FAILURE, "MSOMHSvc/agent.contoso.test", NULL);
    scope_of(&was, four);
    scope_of(&is, four);
    sa_strv_clear(&is.service_classes);
    ck_assert(sa_strv_add(&is.service_classes, "msomhsvc")); /* names ignore case */
    is.tickets = SA_SCOPE_TICKETS_NONE;
    is.reachability = false;
    compare();
    expect("", 1);
    ck_assert_str_eq(cmp.fixed.items[0].code, "SPN_STALE");
    expect_not_compared("tickets: not requested now|service class MSOMSdkSvc: not looked at now|"
                        "reachability: not checked now|tickets: not requested now");
    ck_assert_uint_eq(cmp.scope_changes.n, 3);

    /* tickets for the servers' SPNs only: those of no server not compared */
    is.tickets = SA_SCOPE_TICKETS_SERVERS;
    is.reachability = true;
    compare();
    expect("", 3);
    expect_not_compared("service class MSOMSdkSvc: not looked at now|"
                        "tickets: requested for the servers' SPNs only now");
}
END_TEST

/* Findings of no server come from the audited domains; duplicates also
 * from the domains read for them. */
START_TEST(domains_read)
{
    add(&old, "SPN_DUPLICATE", SA_SEV_FAILURE, "MSOMHSvc/ms01.contoso.test", "ms01.contoso.test");
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/old.contoso.test", NULL);
    scope_of(&was, four);
    scope_of(&is, four);
    ck_assert(sa_strv_add(&was.other_domains, "fabrikam.test"));
    compare();
    expect("", 1);
    ck_assert_str_eq(cmp.fixed.items[0].code, "SPN_STALE");
    expect_not_compared("domain fabrikam.test: not read now");

    /* read again, as audited this time: compared */
    ck_assert(sa_strv_add(&is.domains, "FABRIKAM.TEST"));
    compare();
    expect("", 2);
    /* the forest was read through the GC before, not now */
    was.forest = true;
    compare();
    expect_not_compared("the forest (Global Catalog): not read now");

    /* another domain audited now: the stale SPN of contoso not compared */
    was.forest = false;
    sa_strv_clear(&is.domains);
    ck_assert(sa_strv_add(&is.domains, "fabrikam.test"));
    compare();
    expect_not_compared("domain contoso.test: not read now|domain contoso.test: not audited now");
}
END_TEST

/* An incomplete audit fixes nothing; a check that could not run fixes
 * nothing of its own. */
START_TEST(incomplete_or_check_not_run)
{
    add(&old, "SPN_SELF_WRITE_DENIED", SA_SEV_FAILURE, "CONTOSO\\ms03$", "ms03.contoso.test");
    add(&old, "SPN_SELF_WRITE_DENIED", SA_SEV_FAILURE, "CONTOSO\\ms05$", "ms05.contoso.test");
    add(&old, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/old.contoso.test", NULL);
    scope_of(&was, four);
    scope_of(&is, four);
    ck_assert(sa_checks_not_run_add(&is.checks_not_run, "SPN_SELF_WRITE_DENIED", "MS03.contoso.test",
                                    "the DACL could not be read"));
    compare();
    expect("", 2);
    expect_not_compared(
        "check SPN_SELF_WRITE_DENIED for MS03.contoso.test: could not run now (the DACL could "
        "not be read)");
    is_complete = false;
    compare();
    expect("", 0);
    ck_assert_uint_eq(cmp.not_compared.n, 3);
    ck_assert_str_eq(sa_comparison_why(&cmp, true, 2), "the audit: incomplete now");
    /* an incomplete baseline: what it lacks is not new */
    is_complete = true;
    was_complete = false;
    sa_report_scope_clear(&was); /* whatever its scope says */
    add(&now, "SPN_STALE", SA_SEV_WARNING, "MSOMHSvc/other.contoso.test", NULL);
    compare();
    expect("c", 2);
    ck_assert_str_eq(sa_comparison_why(&cmp, false, 0), "the audit: incomplete in the baseline");
}
END_TEST

/* "TICKET_*" not run for a server: none of its ticket findings is fixed,
 * its other findings and the other servers' tickets are compared. */
START_TEST(tickets_not_checked_for_one_server)
{
    add(&old, "TICKET_SPN_UNKNOWN", SA_SEV_FAILURE, "MSOMHSvc/ms01.contoso.test", "ms01.contoso.test");
    add(&old, "SPN_SELF_WRITE_DENIED", SA_SEV_FAILURE, "CONTOSO\\ms01$", "ms01.contoso.test");
    add(&old, "TICKET_WRONG_KEY", SA_SEV_FAILURE, "MSOMHSvc/ms03.contoso.test", "ms03.contoso.test");
    scope_of(&was, four);
    scope_of(&is, four);
    ck_assert(sa_checks_not_run_add(&is.checks_not_run, "TICKET_*", "ms01.contoso.test", "no KDC"));
    compare();
    expect("", 2);
    expect_not_compared("check TICKET_* for ms01.contoso.test: could not run now (no KDC)");
}
END_TEST

/* What changed in the scope, in order, and how people read it. */
START_TEST(scope_changes_in_words)
{
    sa_scope_changes ch = {NULL, 0, 0};
    char *line;

    scope_of(&was, four);
    scope_of(&is, four + 2);
    ck_assert(sa_strv_add(&is.gateways, "gw01.fabrikam.test") &&
              sa_strv_add(&is.other_domains, "fabrikam.test"));
    is.forest = true;
    is.tickets = SA_SCOPE_TICKETS_NONE;
    ck_assert(sa_scope_diff(&was, &is, &ch));
    ck_assert_uint_eq(ch.n, 5);
    ck_assert_str_eq(ch.items[0].what, "other_domains");
    ck_assert_str_eq(ch.items[1].what, "forest");
    ck_assert_str_eq(ch.items[2].what, "servers");
    ck_assert_str_eq(ch.items[3].what, "gateways");
    ck_assert_str_eq(ch.items[4].what, "tickets");
    ck_assert_ptr_nonnull(line = sa_scope_change_text(&ch.items[2], 0, false));
    ck_assert_str_eq(line, "servers no longer audited: ms01.contoso.test, ms03.contoso.test");
    free(line);
    ck_assert_ptr_null(sa_scope_change_text(&ch.items[2], 1, false)); /* none added */
    ck_assert_ptr_nonnull(line = sa_scope_change_text(&ch.items[0], 1, false));
    ck_assert_str_eq(line, "domains newly read for duplicates: fabrikam.test");
    free(line);
    ck_assert_ptr_nonnull(line = sa_scope_change_text(&ch.items[4], 0, false));
    ck_assert_str_eq(line, "tickets: all in the baseline, none now");
    free(line);
    ck_assert_ptr_nonnull(line = sa_scope_change_text(&ch.items[1], 0, false));
    ck_assert_str_eq(line, "the forest (Global Catalog): not read in the baseline, read now");
    free(line);
    sa_scope_changes_clear(&ch);
    ck_assert(sa_scope_diff(&was, &was, &ch));
    ck_assert_uint_eq(ch.n, 0);
    sa_scope_changes_clear(&ch);
}
END_TEST

/* ------------------------------------------------------------ reading */

static sa_status
parse(const char *text, sa_error *err)
{
    return sa_baseline_parse(text, strlen(text), "old.json", &b, err);
}

/* A report written by sa_report_json reads back with the same findings. */
START_TEST(written_report_reads_back)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_report r;
    sa_error err = {SA_OK, ""};
    sa_finding *f;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    f = add(&now, "SPN_MISSING", SA_SEV_FAILURE, "MSOMHSvc/ms03.contoso.test", "ms03.contoso.test");
    ck_assert(sa_finding_message(f, "no \"SPN\" for ms03\n"));
    ck_assert(sa_finding_fix_cmds(
        f, &(sa_fix_cmd){"setspn", {"-S", "MSOMHSvc/ms03.contoso.test", "CONTOSO\\ms03$"}, 3}, 1,
        "then restart"));
    add(&now, "DC_UNREACHABLE", SA_SEV_WARNING, "dc2.contoso.test", NULL);
    memset(&r, 0, sizeof(r));
    r.accounts = &accounts;
    r.findings = &now;
    r.complete = true;
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(sa_report_json(&r, out), 0);
    ck_assert_int_eq(fclose(out), 0);
    ck_assert_int_eq(sa_baseline_parse(text, len, "old.json", &b, &err), SA_OK);
    free(text);
    ck_assert_str_eq(b.file, "old.json");
    ck_assert(b.complete);
    ck_assert_uint_eq(b.findings.n, 2);
    f = &b.findings.items[0];
    ck_assert_str_eq(f->code, "SPN_MISSING");
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_str_eq(f->server, "ms03.contoso.test");
    ck_assert_str_eq(f->message, "no \"SPN\" for ms03\n");
    ck_assert_ptr_null(f->evidence);
    ck_assert_str_eq(fix_cmd(f), "setspn -S MSOMHSvc/ms03.contoso.test CONTOSO\\ms03$\nthen restart");
    ck_assert_uint_eq(f->fix.n, 1);
    ck_assert_str_eq(f->fix.commands[0].args[2], "CONTOSO\\ms03$");
    ck_assert_uint_eq(f->n_events, 2);
    ck_assert_int_eq(f->events[0], 20057);
    ck_assert_ptr_null(b.findings.items[1].server);
    ck_assert_int_eq(b.findings.items[1].severity, SA_SEV_WARNING);
    /* the same findings: nothing changed */
    ck_assert_int_eq(sa_baseline_compare(&b.findings, sa_baseline_coverage(&b), &now,
                                         sa_baseline_coverage(&b), &cmp, &err),
                     SA_OK);
    ck_assert_uint_eq(sa_findings_count_change(&now, SA_CHANGE_PERSISTING), 2);
    ck_assert_uint_eq(cmp.fixed.n, 0);
}
END_TEST

/* The scope and the checks not run read back as written. */
START_TEST(scope_reads_back)
{
    sa_accounts accounts = {NULL, 0, 0};
    sa_report r;
    sa_error err = {SA_OK, ""};
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    scope_of(&is, four);
    ck_assert(sa_strv_add(&is.gateways, "gw01.fabrikam.test") &&
              sa_strv_add(&is.other_domains, "fabrikam.test"));
    is.forest = true;
    is.tickets = SA_SCOPE_TICKETS_SERVERS;
    is.reachability = false;
    is.certificates = true;
    ck_assert(sa_checks_not_run_add(&is.checks_not_run, "SPN_SELF_WRITE_DENIED", NULL, "incomplete"));
    ck_assert(sa_checks_not_run_add(&is.checks_not_run, "TICKET_SPN_UNKNOWN", "ms01.contoso.test", "no KDC"));
    memset(&r, 0, sizeof(r));
    r.accounts = &accounts;
    r.findings = &now;
    r.complete = true;
    r.scope = &is;
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(sa_report_json(&r, out), 0);
    ck_assert_int_eq(fclose(out), 0);
    ck_assert_int_eq(sa_baseline_parse(text, len, "old.json", &b, &err), SA_OK);
    free(text);
    ck_assert(b.scope.known);
    ck_assert_uint_eq(b.scope.servers.n, 4);
    ck_assert_str_eq(b.scope.servers.items[3], "ms07.contoso.test");
    ck_assert_str_eq(b.scope.gateways.items[0], "gw01.fabrikam.test");
    ck_assert_str_eq(b.scope.domains.items[0], "contoso.test");
    ck_assert_str_eq(b.scope.other_domains.items[0], "fabrikam.test");
    ck_assert_uint_eq(b.scope.service_classes.n, 2);
    ck_assert(b.scope.forest && !b.scope.reachability && b.scope.certificates);
    ck_assert_int_eq(b.scope.tickets, SA_SCOPE_TICKETS_SERVERS);
    ck_assert_uint_eq(b.scope.checks_not_run.n, 2);
    ck_assert_ptr_null(b.scope.checks_not_run.items[0].server);
    ck_assert_str_eq(b.scope.checks_not_run.items[1].check, "TICKET_SPN_UNKNOWN");
    ck_assert_str_eq(b.scope.checks_not_run.items[1].server, "ms01.contoso.test");
    ck_assert_str_eq(b.scope.checks_not_run.items[1].why, "no KDC");
    /* a report without scope (an older spnaudit): unknown */
    sa_baseline_clear(&b);
    ck_assert_int_eq(parse("{\"schema_version\": 1, \"findings\": []}", &err), SA_OK);
    ck_assert(!b.scope.known);
    ck_assert_uint_eq(b.scope.servers.n, 0);
}
END_TEST

/* A fix read back from its data, not from its lines: what the file says a
 * line is does not reach the output; a command of another program, or a
 * value that is now unsafe, is refused when written again.  A report
 * without fix_data keeps its fix as steps in words. */
START_TEST(fix_reads_back_as_data)
{
    sa_error err = {SA_OK, ""};
    const sa_finding *f;
    char *text;

    ck_assert_int_eq(
        parse("{\"schema_version\": 1, \"findings\": ["
              "{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\", \"fix\": \"forged & calc\", "
              "\"fix_data\": {\"commands\": [{\"program\": \"setspn\", \"args\": [\"-D\", \"MSOMHSvc/a&b\", "
              "\"C\\\\x$\"], \"cmd\": \"calc\", \"powershell\": \"calc\", \"refused\": {}}], \"text\": "
              "\"then wait\"}},"
              "{\"code\": \"B\", \"severity\": \"info\", \"subject\": \"x\", \"fix_data\": {\"commands\": "
              "[{\"program\": \"calc\", \"args\": [\"-D\"]}], \"text\": null}},"
              "{\"code\": \"C\", \"severity\": \"info\", \"subject\": \"x\", \"fix\": \"setspn -D a b\"}]}",
              &err),
        SA_OK);
    ck_assert_uint_eq(b.findings.n, 3);
    f = &b.findings.items[0];
    ck_assert_uint_eq(f->fix.n, 1);
    ck_assert_str_eq(f->fix.commands[0].args[1], "MSOMHSvc/a&b");
    ck_assert_ptr_nonnull(text = sa_fix_render(&f->fix, SA_SHELL_CMD));
    ck_assert_str_eq(text, "setspn -D \"MSOMHSvc/a&b\" C\\x$\nthen wait");
    free(text);
    ck_assert_ptr_nonnull(text = sa_fix_render(&f->fix, SA_SHELL_POWERSHELL));
    ck_assert_str_eq(text, "setspn -D 'MSOMHSvc/a&b' 'C\\x$'\nthen wait");
    free(text);
    ck_assert_ptr_nonnull(text = sa_fix_render(&b.findings.items[1].fix, SA_SHELL_CMD));
    ck_assert_str_eq(text, "no command: a value read from the directory is not a command spnaudit writes "
                           "(setspn -D, -S or -L, dsacls /G, certutil -dstemplate); correct or remove it by "
                           "hand, with ADSI Edit on the object "
                           "named in the evidence");
    free(text);
    f = &b.findings.items[2];
    ck_assert_uint_eq(f->fix.n, 0);
    ck_assert_str_eq(f->fix.text, "setspn -D a b");
}
END_TEST

START_TEST(empty_baseline)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(
        parse("{\"schema_version\": 1, \"findings\": [], \"generated\": \"2026-01-01T00:00:00Z\", "
              "\"complete\": false}\n",
              &err),
        SA_OK);
    ck_assert_uint_eq(b.findings.n, 0);
    ck_assert_str_eq(b.generated, "2026-01-01T00:00:00Z");
    ck_assert(!b.complete);
}
END_TEST

static const struct {
    const char *text;
    const char *says;
} corrupt[] = {
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"SPN_", "ends early"},
    {"", "empty"},
    {"  \n", "empty"},
    {"not json", "not JSON"},
    {"{\"schema_version\": 1, \"findings\": []} trailing", "more data after"},
    {"[1, 2]", "not a JSON object"},
    {"{\"findings\": []}", "no \"schema_version\""},
    {"{\"schema_version\": 2, \"findings\": []}", "\"schema_version\" is 2"},
    {"{\"schema_version\": \"1\", \"findings\": []}", "\"schema_version\" is \"1\""},
    {"{\"schema_version\": 1}", "no \"findings\" array"},
    {"{\"schema_version\": 1, \"findings\": {}}", "no \"findings\" array"},
    {"{\"schema_version\": 1, \"findings\": [{\"severity\": \"failure\", \"subject\": \"x\"}]}",
     "finding 1 has no \"code\""},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\"}, "
     "3]}",
     "finding 2 is not a JSON object"},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\"}]}",
     "finding 1 (A) has no \"subject\""},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"bad\", \"subject\": \"x\"}]}",
     "no \"severity\""},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\", "
     "\"server\": 5}]}",
     "not a string"},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\", "
     "\"events\": [\"21001\"]}]}",
     "not event IDs"},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\", "
     "\"fix_data\": \"setspn -D x y\"}]}",
     "finding 1 (A) has a \"fix_data\" that is not an object"},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\", "
     "\"fix_data\": {\"commands\": [{\"program\": \"setspn\", \"args\": [\"-D\", 1]}]}}]}",
     "\"fix_data\" that is not an object of \"commands\""},
    {"{\"schema_version\": 1, \"findings\": [{\"code\": \"A\", \"severity\": \"info\", \"subject\": \"x\", "
     "\"fix_data\": {\"commands\": [{\"program\": \"setspn\", \"args\": [\"a\", \"b\", \"c\", \"d\", "
     "\"e\"]}]}}]}",
     "up to 4 \"args\""},
    {"{\"schema_version\": 1, \"findings\": [], \"scope\": 3}", "\"scope\" is not an object"},
    {"{\"schema_version\": 1, \"findings\": [], \"scope\": {\"domains\": [1]}}",
     "\"scope\" has no \"domains\" list"},
    {"{\"schema_version\": 1, \"findings\": [], \"scope\": {\"domains\": [], \"other_domains\": [], "
     "\"servers\": [], \"gateways\": [], \"service_classes\": [], \"forest\": false, \"reachability\": true, "
     "\"tickets\": \"some\"}}",
     "(all, servers or none)"},
    {"{\"schema_version\": 1, \"findings\": [], \"checks_not_run\": [{\"check\": \"X\"}]}",
     "\"checks_not_run\" is not a list"},
};

START_TEST(corrupt_baseline_is_explained)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(parse(corrupt[_i].text, &err), SA_ERR_USAGE);
    ck_assert_msg(strncmp(err.message, "old.json: ", 10) == 0, "file not named: %s", err.message);
    ck_assert_msg(strstr(err.message, corrupt[_i].says) != NULL, "'%s' lacks '%s'", err.message,
                  corrupt[_i].says);
    ck_assert_ptr_null(b.file); /* nothing kept */
    ck_assert_uint_eq(b.findings.n, 0);
}
END_TEST

START_TEST(unreadable_file_is_named)
{
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(sa_baseline_load("/nonexistent/old.json", &b, &err), SA_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent/old.json"));
    ck_assert_ptr_nonnull(strstr(err.message, "No such file"));
}
END_TEST

START_TEST(file_is_read)
{
    sa_error err = {SA_OK, ""};
    char path[] = "/tmp/spnaudit-baseline-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

    ck_assert_ptr_nonnull(f);
    fputs("{\"schema_version\": 1, \"findings\": [{\"code\": \"SPN_STALE\", \"severity\": \"warning\", "
          "\"subject\": \"MSOMHSvc/x\", \"server\": null, \"events\": []}]}",
          f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(sa_baseline_load(path, &b, &err), SA_OK);
    unlink(path);
    ck_assert_str_eq(b.file, path);
    ck_assert_uint_eq(b.findings.n, 1);
    ck_assert_str_eq(b.findings.items[0].code, "SPN_STALE");
    ck_assert_uint_eq(b.findings.items[0].n_events, 0);
}
END_TEST

/* /dev/zero was read until memory ran out; a directory or a huge file is
 * refused before anything is read. */
START_TEST(only_a_regular_file_within_the_limit_is_read)
{
    sa_error err = {SA_OK, ""};
    char path[] = "/tmp/spnaudit-baseline-XXXXXX", want[256];
    int fd = mkstemp(path);

    ck_assert_int_eq(sa_baseline_load("/dev/zero", &b, &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message,
                     "cannot read the report /dev/zero: it is a character device, not a regular file");
    ck_assert_int_eq(sa_baseline_load("/tmp", &b, &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message, "cannot read the report /tmp: it is a directory, not a regular file");
    ck_assert_ptr_null(b.file);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)300 * 1024 * 1024), 0); /* sparse: no disk used */
    close(fd);
    ck_assert_int_eq(sa_baseline_load(path, &b, &err), SA_ERR_USAGE);
    unlink(path);
    snprintf(want, sizeof(want), "%s is 300 MB, more than the 256 MB limit for a report", path);
    ck_assert_str_eq(err.message, want);
    ck_assert_ptr_null(b.file);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("baseline");
    TCase *tc = tcase_create("compare"), *rd = tcase_create("read");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, new_fixed_and_persisting);
    tcase_add_test(tc, same_subject_on_two_servers_differs);
    tcase_add_test(tc, no_server_pairs_with_a_server_once);
    tcase_add_test(tc, identity_ignores_case_of_names_not_of_codes);
    tcase_add_test(tc, repeated_findings_pair_one_to_one);
    tcase_add_test(tc, empty_lists);
    tcase_add_test(tc, exit_status_counts_new_findings_only);
    tcase_add_test(tc, large_reports);
    tcase_add_test(tc, server_left_out_is_not_compared_not_fixed);
    tcase_add_test(tc, new_server_is_not_compared_and_not_counted);
    tcase_add_test(tc, baseline_without_scope);
    tcase_add_test(tc, tickets_classes_and_reachability);
    tcase_add_test(tc, domains_read);
    tcase_add_test(tc, incomplete_or_check_not_run);
    tcase_add_test(tc, tickets_not_checked_for_one_server);
    tcase_add_test(tc, scope_changes_in_words);
    tcase_add_test(tc, certificates_checked_in_one_report_only);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(rd, setup, teardown);
    tcase_add_test(rd, written_report_reads_back);
    tcase_add_test(rd, empty_baseline);
    tcase_add_test(rd, fix_reads_back_as_data);
    tcase_add_test(rd, scope_reads_back);
    tcase_add_loop_test(rd, corrupt_baseline_is_explained, 0, sizeof(corrupt) / sizeof(corrupt[0]));
    tcase_add_test(rd, unreadable_file_is_named);
    tcase_add_test(rd, only_a_regular_file_within_the_limit_is_read);
    tcase_add_test(rd, file_is_read);
    suite_add_tcase(s, rd);
    return check_run(s);
}
