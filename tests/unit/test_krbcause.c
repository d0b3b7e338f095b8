/* Unit tests: Kerberos error -> cause -> OpsMgr events. */
#include <check.h>
#include <krb5.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/events.h"
#include "spnaudit/finding.h"
#include "spnaudit/krbcause.h"

static const struct {
    long code;
    sa_krb_cause cause;
    const char *finding;
    int first_event;
} cases[] = {
    {0, SA_KC_NONE, "TICKET_OK", 0},
    {KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN, SA_KC_SPN_UNKNOWN, "TICKET_SPN_UNKNOWN", 20057},
    {KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE, SA_KC_SPN_NOT_UNIQUE, "TICKET_SPN_NOT_UNIQUE", 21001},
    {KRB5KDC_ERR_ETYPE_NOSUPP, SA_KC_ETYPE, "TICKET_ETYPE_UNSUPPORTED", 20057},
    {KRB5KRB_AP_ERR_SKEW, SA_KC_CLOCK_SKEW, "TICKET_CLOCK_SKEW", 20057},
    {KRB5KDC_ERR_POLICY, SA_KC_POLICY, "TICKET_POLICY_REFUSED", 21001},
    {KRB5KDC_ERR_WRONG_REALM, SA_KC_NO_REALM_PATH, "TICKET_NO_REALM_PATH", 21008},
    {KRB5_REALM_UNKNOWN, SA_KC_NO_REALM_PATH, "TICKET_NO_REALM_PATH", 21008},
    {KRB5_KDCREP_MODIFIED, SA_KC_NO_REALM_PATH, "TICKET_NO_REALM_PATH", 21008},
    {KRB5_KDC_UNREACH, SA_KC_KDC_UNREACHABLE, "TICKET_KDC_UNREACHABLE", 21008},
    {KRB5KRB_AP_ERR_MODIFIED, SA_KC_WRONG_KEY, "TICKET_WRONG_KEY", 20057},
    {KRB5KRB_AP_ERR_TKT_EXPIRED, SA_KC_CREDENTIALS, "TICKET_CREDENTIALS", 0},
    {KRB5_FCC_NOFILE, SA_KC_CREDENTIALS, "TICKET_CREDENTIALS", 0},
    {KRB5KDC_ERR_BADOPTION, SA_KC_POLICY, "TICKET_POLICY_REFUSED", 21001},
    {KRB5_CONFIG_BADFORMAT, SA_KC_OTHER, "TICKET_FAILED", 20057},
    {123456789, SA_KC_OTHER, "TICKET_FAILED", 20057},
};

START_TEST(classifies)
{
    sa_krb_cause cause = sa_krb_classify(cases[_i].code);
    const sa_krb_cause_info *info = sa_krb_cause_describe(cause);

    ck_assert_msg(cause == cases[_i].cause, "code %ld: cause %d, want %d", cases[_i].code, cause,
                  cases[_i].cause);
    ck_assert_str_eq(info->finding_code, cases[_i].finding);
    ck_assert_int_eq(info->events[0], cases[_i].first_event);
    ck_assert_ptr_nonnull(info->summary);
    ck_assert_ptr_nonnull(info->fix);
}
END_TEST

START_TEST(every_cause_event_is_known)
{
    for (int c = SA_KC_NONE; c <= SA_KC_OTHER; c++) {
        const sa_krb_cause_info *info = sa_krb_cause_describe((sa_krb_cause)c);
        ck_assert_int_eq(info->cause, c);
        for (int i = 0; i < 4 && info->events[i]; i++)
            ck_assert_msg(sa_event_lookup(info->events[i]) != NULL, "event %d of %s unknown", info->events[i],
                          info->finding_code);
    }
}
END_TEST

START_TEST(refines_unknown_with_ldap_holders)
{
    /* Samba's KDC says "unknown" for an SPN held twice: LDAP knows better. */
    ck_assert_int_eq(sa_krb_refine(SA_KC_SPN_UNKNOWN, 2), SA_KC_SPN_NOT_UNIQUE);
    ck_assert_int_eq(sa_krb_refine(SA_KC_SPN_UNKNOWN, 1), SA_KC_SPN_UNKNOWN);
    ck_assert_int_eq(sa_krb_refine(SA_KC_SPN_UNKNOWN, 0), SA_KC_SPN_UNKNOWN);
    ck_assert_int_eq(sa_krb_refine(SA_KC_ETYPE, 3), SA_KC_ETYPE);
}
END_TEST

START_TEST(only_credential_errors_are_fatal)
{
    for (int c = SA_KC_NONE; c <= SA_KC_OTHER; c++)
        ck_assert_int_eq(sa_krb_cause_is_fatal((sa_krb_cause)c), c == SA_KC_CREDENTIALS);
}
END_TEST

START_TEST(only_our_side_s_refusals_are_ours)
{
    /* credentials, clock, KDC: about this host; the rest about the SPN */
    for (int c = SA_KC_NONE; c <= SA_KC_OTHER; c++)
        ck_assert_int_eq(sa_krb_cause_is_ours((sa_krb_cause)c),
                         c == SA_KC_CREDENTIALS || c == SA_KC_CLOCK_SKEW || c == SA_KC_KDC_UNREACHABLE);
}
END_TEST

START_TEST(events_table_is_sorted_and_complete)
{
    static const int wanted[] = {20050, 20057, 20068, 20069, 20070, 20072, 20075, 20076, 20077,
                                 21001, 21005, 21006, 21007, 21008, 21016, 21035, 21036};
    size_t n;
    const sa_event_info *t = sa_event_table(&n);

    for (size_t i = 1; i < n; i++)
        ck_assert_int_lt(t[i - 1].id, t[i].id);
    for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
        const sa_event_info *e = sa_event_lookup(wanted[i]);
        ck_assert_msg(e != NULL, "event %d missing", wanted[i]);
        ck_assert(strlen(e->title) > 0 && strlen(e->meaning) > 0);
    }
    ck_assert_ptr_null(sa_event_lookup(12345));
}
END_TEST

START_TEST(ticket_findings_carry_events)
{
    sa_findings list = {NULL, 0, 0};
    sa_finding *f = sa_findings_add_ticket(&list, SA_KC_NO_REALM_PATH, "MSOMHSvc/gw.fabrikam.com", NULL);

    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->code, "TICKET_NO_REALM_PATH");
    ck_assert_int_eq(f->severity, SA_SEV_FAILURE);
    ck_assert_uint_eq(f->n_events, 2);
    ck_assert_int_eq(f->events[0], 21008);
    ck_assert_int_eq(f->events[1], 21001);
    sa_findings_clear(&list);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("krbcause");
    TCase *tc = tcase_create("classify");

    tcase_add_loop_test(tc, classifies, 0, sizeof(cases) / sizeof(cases[0]));
    tcase_add_test(tc, every_cause_event_is_known);
    tcase_add_test(tc, refines_unknown_with_ldap_holders);
    tcase_add_test(tc, only_credential_errors_are_fatal);
    tcase_add_test(tc, only_our_side_s_refusals_are_ours);
    tcase_add_test(tc, events_table_is_sorted_and_complete);
    tcase_add_test(tc, ticket_findings_carry_events);
    suite_add_tcase(s, tc);
    return check_run(s);
}
