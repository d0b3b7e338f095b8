/* Unit tests for trust decoding and the Kerberos verdict between an agent
 * domain and a server domain, on plain data: every trust kind, direction
 * and attribute that changes the answer. */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "fuzz/trust_check.h"
#include "spnaudit/secdesc.h"
#include "spnaudit/trust.h"

static sa_trusts trusts;
static sa_verdict v;

static void
setup(void)
{
    memset(&trusts, 0, sizeof(trusts));
    memset(&v, 0, sizeof(v));
}

static void
teardown(void)
{
    sa_trusts_clear(&trusts);
    sa_verdict_clear(&v);
}

static void
trust(const char *domain, const char *partner, int type, int direction, unsigned attributes)
{
    ck_assert(sa_trusts_add_values(&trusts, domain, partner, NULL, NULL, type, direction, attributes));
}

/* Both objects of a within-forest trust, as AD keeps them. */
static void
within(const char *a, const char *b)
{
    trust(a, b, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_WITHIN_FOREST);
    trust(b, a, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_WITHIN_FOREST);
}

static void
verdict(const char *agent, const char *server)
{
    sa_error err = {SA_OK, ""};

    sa_verdict_clear(&v);
    ck_assert_int_eq(sa_trust_verdict(&trusts, agent, server, &v, &err), SA_OK);
    ck_assert_ptr_nonnull(v.path);
    ck_assert_ptr_nonnull(v.why);
    ck_assert_ptr_nonnull(v.recommend);
}

/* The verdict's kind for agent and server (v holds the rest). */
static sa_verdict_kind
judged(const char *agent, const char *server)
{
    verdict(agent, server);
    return v.kind;
}

static bool
has_event(int id)
{
    for (size_t i = 0; i < v.n_events; i++) {
        if (v.events[i] == id)
            return true;
    }
    return false;
}

START_TEST(same_domain)
{
    verdict("contoso.com", "CONTOSO.COM");
    ck_assert_int_eq(v.kind, SA_VERDICT_KERBEROS);
    ck_assert_uint_eq(v.n_events, 0);
    ck_assert_str_eq(v.recommend, "");
}
END_TEST

START_TEST(parent_child_and_tree_root)
{
    within("emea.contoso.com", "contoso.com");
    within("contoso.com", "litware.com"); /* a second tree of the forest */
    verdict("emea.contoso.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_KERBEROS);
    ck_assert_str_eq(v.path, "emea.contoso.com -> contoso.com (parent-child)");
    verdict("emea.contoso.com", "litware.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_KERBEROS);
    ck_assert_str_eq(v.path, "emea.contoso.com -> contoso.com (parent-child) -> litware.com (tree-root)");
    ck_assert_ptr_nonnull(strstr(v.why, "same forest"));
}
END_TEST

START_TEST(two_way_forest_trust_reaches_child_domains)
{
    within("emea.contoso.com", "contoso.com");
    within("apac.fabrikam.com", "fabrikam.com");
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE);
    verdict("apac.fabrikam.com", "emea.contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_KERBEROS);
    ck_assert_str_eq(v.path,
                     "apac.fabrikam.com -> fabrikam.com (parent-child) -> contoso.com (forest, two-way) "
                     "-> emea.contoso.com (parent-child)");
    ck_assert_uint_eq(v.n_events, 0);
    ck_assert_int_eq(v.trust, 2 * 2);
}
END_TEST

START_TEST(one_way_forest_trust_needs_certificates)
{
    /* contoso (the servers) trusts adatum: adatum's agents can reach the
     * servers, the servers cannot authenticate to them */
    trust("contoso.com", "adatum.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_OUTBOUND,
          SA_TRUST_FOREST_TRANSITIVE);
    verdict("adatum.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
    ck_assert(has_event(21007));
    ck_assert(!has_event(21008));
    /* seen from the agent's side, contoso's outbound trust is inbound */
    ck_assert_str_eq(v.path, "adatum.com -> contoso.com (forest, inbound)");
    ck_assert_ptr_nonnull(strstr(v.why, "needs both directions"));
    ck_assert_ptr_nonnull(strstr(v.recommend, "two-way"));
}
END_TEST

START_TEST(the_stricter_side_wins)
{
    /* contoso says two-way, fabrikam's object says it only trusts contoso */
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE);
    trust("fabrikam.com", "contoso.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_OUTBOUND,
          SA_TRUST_FOREST_TRANSITIVE);
    verdict("fabrikam.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
    verdict("contoso.com", "fabrikam.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
}
END_TEST

START_TEST(selective_authentication)
{
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_CROSS_ORGANIZATION);
    verdict("fabrikam.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_SELECTIVE);
    ck_assert_ptr_nonnull(strstr(v.why, "selective authentication"));
    ck_assert_ptr_nonnull(strstr(v.recommend, "Allowed to Authenticate"));
    ck_assert(has_event(21001));
    /* set on the other side's object only: still selective */
    sa_trusts_clear(&trusts);
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE);
    trust("fabrikam.com", "contoso.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_CROSS_ORGANIZATION);
    verdict("fabrikam.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_SELECTIVE);
}
END_TEST

/* The selective verdict settled with what the servers' DACLs say. */
static void
selective_verdict(void)
{
    sa_trusts_clear(&trusts);
    sa_verdict_clear(&v);
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_CROSS_ORGANIZATION);
    verdict("fabrikam.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_SELECTIVE);
}

START_TEST(selective_settled_by_the_servers_dacls)
{
    sa_error err = {SA_OK, ""};
    const char *why = NULL;
    char *line;
    sa_server_grant all[] = {
        {"ms01.contoso.com", "CN=MS01,CN=Computers,DC=contoso,DC=com", SA_AUTH_GRANTED, true, "ACE 3 grants"},
        {"ms02.contoso.com", "CN=MS02,CN=Computers,DC=contoso,DC=com", SA_AUTH_GRANTED, true, "ACE 4 grants"},
    };
    sa_server_grant some[] = {
        {"ms01.contoso.com", "CN=MS01,CN=Computers,DC=contoso,DC=com", SA_AUTH_GRANTED, true, "ACE 3 grants"},
        {"ms02.contoso.com", "CN=MS02,CN=Computers,DC=contoso,DC=com", SA_AUTH_NOT_GRANTED, true, "none"},
        {"ms03.contoso.com", "CN=MS03,CN=Computers,DC=contoso,DC=com", SA_AUTH_DENIED, true, "ACE 1 denies"},
    };
    sa_server_grant unsure[] = {
        {"ms01.contoso.com", "CN=MS01,CN=Computers,DC=contoso,DC=com", SA_AUTH_GRANTED, true, "ACE 3 grants"},
        {"ms02.contoso.com", NULL, 0, false, "no computer account"},
        {"ms03.contoso.com", "CN=MS03,CN=Computers,DC=contoso,DC=com", SA_AUTH_UNVERIFIED, true, "a group"},
    };

    /* granted everywhere: Kerberos, no events */
    selective_verdict();
    ck_assert_int_eq(sa_verdict_apply_grants(&v, "fabrikam.com", "FABRIKAM", all, 2, &err), SA_OK);
    ck_assert_int_eq(v.kind, SA_VERDICT_KERBEROS);
    ck_assert_uint_eq(v.n_events, 0);
    ck_assert_str_eq(v.recommend, "");
    ck_assert_ptr_nonnull(strstr(v.why, "every server checked grants it: ms01.contoso.com (ACE 3 grants); "
                                        "ms02.contoso.com (ACE 4 grants)"));
    /* missing or denied on some: not allowed, 21001/20057, a dsacls line for each of those */
    selective_verdict();
    ck_assert_int_eq(sa_verdict_apply_grants(&v, "fabrikam.com", "FABRIKAM", some, 3, &err), SA_OK);
    ck_assert_int_eq(v.kind, SA_VERDICT_NOT_ALLOWED);
    ck_assert(has_event(21001));
    ck_assert(has_event(20057));
    ck_assert_ptr_nonnull(strstr(v.why, "ms02.contoso.com (none); ms03.contoso.com (ACE 1 denies)"));
    ck_assert_ptr_null(strstr(v.why, "ms01.contoso.com"));
    ck_assert_str_eq(v.recommend,
                     "dsacls \"CN=MS02,CN=Computers,DC=contoso,DC=com\" /G \"FABRIKAM\\Domain Computers:CA;"
                     "Allowed to Authenticate\"\n"
                     "dsacls \"CN=MS03,CN=Computers,DC=contoso,DC=com\" /G \"FABRIKAM\\Domain Computers:CA;"
                     "Allowed to Authenticate\" (and remove the ACE that denies it)");
    ck_assert_str_eq(sa_verdict_kind_name(v.kind), "not-allowed");
    /* the same commands as data, for PowerShell too */
    ck_assert_uint_eq(v.fix.n, 2);
    ck_assert_str_eq(v.fix.commands[1].args[0], "CN=MS03,CN=Computers,DC=contoso,DC=com");
    line = sa_fix_command_line(&v.fix, 1, SA_SHELL_POWERSHELL, &why);
    ck_assert_str_eq(line,
                     "dsacls 'CN=MS03,CN=Computers,DC=contoso,DC=com' /G 'FABRIKAM\\Domain Computers:CA;"
                     "Allowed to Authenticate'");
    free(line);
    /* a DN that breaks out of the quotes: no dsacls line for it, a reason instead */
    some[1].dn = "CN=MS02\" & calc.exe & \",CN=Computers,DC=contoso,DC=com";
    selective_verdict();
    ck_assert_int_eq(sa_verdict_apply_grants(&v, "fabrikam.com", "FABRIKAM", some, 3, &err), SA_OK);
    ck_assert_ptr_null(strstr(v.recommend, "calc.exe"));
    ck_assert(
        strncmp(v.recommend, "no command: a value read from the directory contains a double quote", 67) == 0);
    ck_assert_ptr_nonnull(strstr(v.recommend, "\ndsacls \"CN=MS03,"));
    some[1].dn = "CN=MS02,CN=Computers,DC=contoso,DC=com";
    /* a server not read and a grant to a group of unread members: still selective, both named */
    selective_verdict();
    ck_assert_int_eq(sa_verdict_apply_grants(&v, "fabrikam.com", NULL, unsure, 3, &err), SA_OK);
    ck_assert_int_eq(v.kind, SA_VERDICT_SELECTIVE);
    ck_assert(has_event(21001));
    ck_assert_ptr_nonnull(strstr(v.why,
                                 "not settled for ms02.contoso.com (no computer account); ms03.contoso.com "
                                 "(a group); granted on ms01.contoso.com"));
    /* no servers: unchanged; other verdicts: unchanged */
    selective_verdict();
    ck_assert_int_eq(sa_verdict_apply_grants(&v, "fabrikam.com", NULL, all, 0, &err), SA_OK);
    ck_assert_int_eq(v.kind, SA_VERDICT_SELECTIVE);
    sa_verdict_clear(&v);
    verdict("contoso.com", "contoso.com");
    ck_assert_int_eq(sa_verdict_apply_grants(&v, "contoso.com", NULL, some, 3, &err), SA_OK);
    ck_assert_int_eq(v.kind, SA_VERDICT_KERBEROS);
    ck_assert_str_eq(v.why, "the same domain");
}
END_TEST

/* The Partitions container's crossRef objects: which are domains. */
START_TEST(crossrefs_of_the_forest)
{
    ck_assert(sa_crossref_is_forest_domain(3, NULL)); /* a domain */
    ck_assert(sa_crossref_is_forest_domain(3, "TRUE"));
    ck_assert(!sa_crossref_is_forest_domain(3, "FALSE")); /* created in advance, not promoted */
    ck_assert(!sa_crossref_is_forest_domain(3, "false"));
    ck_assert(!sa_crossref_is_forest_domain(1, NULL));          /* Configuration, Schema */
    ck_assert(!sa_crossref_is_forest_domain(5, NULL));          /* DomainDnsZones, ForestDnsZones */
    ck_assert(!sa_crossref_is_forest_domain(7, NULL));          /* not a domain either */
    ck_assert(!sa_crossref_is_forest_domain(0, NULL));          /* another directory */
    ck_assert(sa_crossref_is_forest_domain(0x40000003u, NULL)); /* with FLAG_DISALLOW_DELETE etc. */
}
END_TEST

START_TEST(external_trust_is_never_used)
{
    trust("contoso.com", "northwind.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_QUARANTINED_DOMAIN);
    verdict("northwind.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
    ck_assert_ptr_nonnull(strstr(v.why, "external trust"));
    ck_assert_ptr_nonnull(strstr(v.recommend, "gateway"));
    ck_assert(has_event(21007));
    ck_assert_str_eq(v.path, "northwind.com -> contoso.com (external, two-way)");
}
END_TEST

START_TEST(forest_trust_preferred_over_external)
{
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, 0);
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE);
    verdict("fabrikam.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_KERBEROS);
    ck_assert_int_eq(v.trust, 1);
}
END_TEST

START_TEST(downlevel_realm_and_disabled)
{
    trust("contoso.com", "OLDNT4", SA_TRUST_TYPE_DOWNLEVEL, SA_TRUST_DIR_BOTH, 0);
    trust("contoso.com", "UNIX.EXAMPLE", SA_TRUST_TYPE_MIT, SA_TRUST_DIR_BOTH, 0);
    trust("contoso.com", "gone.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_DISABLED,
          SA_TRUST_FOREST_TRANSITIVE);
    verdict("OLDNT4", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
    ck_assert_ptr_nonnull(strstr(v.why, "downlevel"));
    verdict("unix.example", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
    ck_assert_ptr_nonnull(strstr(v.why, "realm trust"));
    verdict("gone.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
    ck_assert_ptr_nonnull(strstr(v.why, "disabled"));
}
END_TEST

START_TEST(no_trust_at_all)
{
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE);
    verdict("tailspin.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
    ck_assert(has_event(21007) && has_event(21008));
    ck_assert_str_eq(v.path, "");
    ck_assert_int_eq(v.trust, -1);
}
END_TEST

START_TEST(forest_trusts_do_not_chain)
{
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE);
    trust("fabrikam.com", "tailspin.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE);
    verdict("tailspin.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
    ck_assert_ptr_nonnull(strstr(v.why, "do not chain"));
    ck_assert(has_event(21008));
}
END_TEST

START_TEST(treat_as_external_forest_trust_still_carries_kerberos)
{
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_TREAT_AS_EXTERNAL);
    verdict("fabrikam.com", "contoso.com");
    ck_assert_int_eq(v.kind, SA_VERDICT_KERBEROS);
    ck_assert_ptr_nonnull(strstr(v.why, "SID filtering"));
}
END_TEST

/* A forest of two trees, r.test and t.test, under the forest root u.test,
 * with a child (and a grandchild) under r.test: the trusts' objects as
 * one side of each lists them, child first. */
static void
three_level_forest(bool grandchild)
{
    if (grandchild)
        trust("g1.c1.r.test", "c1.r.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_WITHIN_FOREST);
    trust("c1.r.test", "r.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_WITHIN_FOREST);
    trust("r.test", "u.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_WITHIN_FOREST);
    trust("u.test", "t.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_WITHIN_FOREST);
}

START_TEST(child_with_servers_in_its_parent)
{
    three_level_forest(false);
    ck_assert_int_eq(judged("c1.r.test", "r.test"), SA_VERDICT_KERBEROS);
    ck_assert_str_eq(v.path, "c1.r.test -> r.test (parent-child)");
    ck_assert_uint_eq(v.n_events, 0);
    ck_assert_int_eq(judged("r.test", "c1.r.test"), SA_VERDICT_KERBEROS);
}
END_TEST

START_TEST(grandchild_and_tree_roots)
{
    three_level_forest(true);
    ck_assert_int_eq(judged("g1.c1.r.test", "t.test"), SA_VERDICT_KERBEROS);
    ck_assert_str_eq(v.path, "g1.c1.r.test -> c1.r.test (parent-child) -> r.test (parent-child) -> u.test "
                             "(tree-root) -> t.test (tree-root)");
    ck_assert_int_eq(judged("t.test", "G1.C1.R.TEST"), SA_VERDICT_KERBEROS);
    ck_assert_int_eq(judged("u.test", "c1.r.test"), SA_VERDICT_KERBEROS);
}
END_TEST

/* The forest trust joins the roots; agents and servers in any domain of
 * either forest use it, and a third forest trusted by one of them only
 * does not. */
START_TEST(forest_trust_at_the_roots_for_grandchildren)
{
    three_level_forest(true);
    within("x.s.test", "s.test");
    within("y.x.s.test", "x.s.test");
    trust("u.test", "s.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_FOREST_TRANSITIVE);
    trust("s.test", "u.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_FOREST_TRANSITIVE);
    trust("s.test", "w.test", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_FOREST_TRANSITIVE);
    within("v.w.test", "w.test");
    ck_assert_int_eq(judged("y.x.s.test", "g1.c1.r.test"), SA_VERDICT_KERBEROS);
    ck_assert_str_eq(v.path, "y.x.s.test -> x.s.test (parent-child) -> s.test (parent-child) -> u.test "
                             "(forest, two-way) -> r.test (tree-root) -> c1.r.test (parent-child) -> "
                             "g1.c1.r.test (parent-child)");
    ck_assert_int_eq(judged("c1.r.test", "y.x.s.test"), SA_VERDICT_KERBEROS);
    /* w.test trusts s.test, s.test trusts u.test: nothing joins w to u */
    ck_assert_int_eq(judged("v.w.test", "c1.r.test"), SA_VERDICT_CERTIFICATES);
    ck_assert(has_event(21008));
    ck_assert_int_eq(judged("g1.c1.r.test", "w.test"), SA_VERDICT_CERTIFICATES);
    ck_assert_int_eq(judged("v.w.test", "x.s.test"), SA_VERDICT_KERBEROS);
}
END_TEST

/* A domain that lists two objects for one partner (a stale one left
 * behind): the stricter counts, in whichever order they are read. */
START_TEST(every_object_of_a_trust_counts)
{
    for (int order = 0; order < 2; order++) {
        sa_trusts_clear(&trusts);
        trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
              SA_TRUST_FOREST_TRANSITIVE);
        trust("fabrikam.com", "contoso.com", SA_TRUST_TYPE_UPLEVEL,
              order ? SA_TRUST_DIR_OUTBOUND : SA_TRUST_DIR_BOTH, SA_TRUST_FOREST_TRANSITIVE);
        trust("fabrikam.com", "contoso.com", SA_TRUST_TYPE_UPLEVEL,
              order ? SA_TRUST_DIR_BOTH : SA_TRUST_DIR_OUTBOUND, SA_TRUST_FOREST_TRANSITIVE);
        ck_assert_int_eq(judged("fabrikam.com", "contoso.com"), SA_VERDICT_CERTIFICATES);
        ck_assert_str_eq(v.path, "fabrikam.com -> contoso.com (forest, outbound)");
        ck_assert_int_eq(judged("contoso.com", "fabrikam.com"), SA_VERDICT_CERTIFICATES);
        ck_assert_str_eq(v.path, "contoso.com -> fabrikam.com (forest, inbound)");
    }
}
END_TEST

/* ------------------------------------------------------------ random forests */

static uint32_t rng = 20261202u;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng % n;
}

/* One trust, with the other side's object too unless only one side was
 * read (one in four), the other side's seeing the direction flipped. */
static void
both_objects(const char *a, const char *b, int type, int direction, unsigned attributes)
{
    int side = (int)rnd(8);

    if (side != 0)
        trust(a, b, type, direction, attributes);
    if (side != 1)
        trust(b, a, type, sa_trust_direction_flip(direction), attributes);
}

/* Up to 12 domains in 1 to 4 forests, each forest a tree of parent-child
 * trusts (children, grandchildren, ...) under its root and of tree-root
 * trusts from further trees to the root; then forest trusts between some
 * roots (either direction, sometimes selective), external trusts between
 * any domains and a realm trust; the list then shuffled. */
static void
random_forests(void)
{
    static const int dirs[] = {SA_TRUST_DIR_BOTH, SA_TRUST_DIR_BOTH, SA_TRUST_DIR_INBOUND,
                               SA_TRUST_DIR_OUTBOUND, SA_TRUST_DIR_DISABLED};
    char names[12][64];
    size_t forest[12], nf = 1 + rnd(4), n = nf + rnd((uint32_t)(12 - nf + 1)), links = rnd(5);

    for (size_t d = 0; d < n; d++) {
        size_t p = rnd((uint32_t)d + 1);
        if (d < nf || d == p) {
            forest[d] = d < nf ? d : forest[rnd((uint32_t)d)];
            snprintf(names[d], sizeof(names[d]), "%s%zu.test", d < nf ? "f" : "t", d);
            if (d >= nf)
                both_objects(names[d], names[forest[d]], SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
                             SA_TRUST_WITHIN_FOREST);
            continue;
        }
        forest[d] = forest[p];
        snprintf(names[d], sizeof(names[d]), "d%zu.%s", d, names[p]);
        both_objects(names[d], names[p], SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_WITHIN_FOREST);
    }
    for (size_t i = 0; i < links; i++) {
        size_t a = rnd((uint32_t)n), b = rnd((uint32_t)n);
        int dir = dirs[rnd(5)];
        if (forest[a] == forest[b])
            continue;
        if (rnd(2) == 0)
            both_objects(names[forest[a]], names[forest[b]], SA_TRUST_TYPE_UPLEVEL, dir,
                         SA_TRUST_FOREST_TRANSITIVE | (rnd(4) == 0 ? SA_TRUST_CROSS_ORGANIZATION : 0));
        else
            both_objects(names[a], names[b], SA_TRUST_TYPE_UPLEVEL, dir, SA_TRUST_QUARANTINED_DOMAIN);
    }
    if (rnd(4) == 0)
        trust(names[rnd((uint32_t)n)], "REALM.EXAMPLE", SA_TRUST_TYPE_MIT, SA_TRUST_DIR_BOTH, 0);
    for (size_t i = trusts.n; i > 1; i--) {
        size_t k = rnd((uint32_t)i);
        sa_trust tmp = trusts.items[i - 1];
        trusts.items[i - 1] = trusts.items[k];
        trusts.items[k] = tmp;
    }
}

/* (a) own forest: Kerberos; (b) the order of the trusts changes nothing,
 * not even the text; (c) see trust_check.h. */
START_TEST(invariants_on_random_forests)
{
    char msg[1024];

    for (unsigned round = 0; round < 3000; round++) {
        sa_trusts_clear(&trusts);
        random_forests();
        ck_assert_msg(tc_check(&trusts, round + 1, true, msg, sizeof(msg)), "forest set %u: %s", round, msg);
    }
}
END_TEST

/* The fuzz inputs kept in tests/fuzz/corpus/trust, decoded. */
START_TEST(fuzz_inputs_decoded)
{
    /* the input of issue 11: y.x.s.test -> x.s.test, UNIX.EXAMPLE -> u.test, ... within-forest */
    static const uint8_t issue[] = {0x09, 0x08, 0x62, 0x2e, 0x74, 0x65, 0x00, 0x62, 0x62,
                                    0x28, 0x3d, 0x62, 0x62, 0xa0, 0x62, 0x62, 0x62, 0x62};
    static const uint8_t chain[] = {0x09, 0x08, 0x62, 0x28, 0x62, 0x62, 0x28, 0x00, 0x62};
    char msg[1024];

    ck_assert(tc_decode(issue, sizeof(issue), &trusts));
    ck_assert_uint_eq(trusts.n, 6);
    ck_assert_str_eq(trusts.items[0].domain, "y.x.s.test");
    ck_assert_str_eq(trusts.items[0].partner, "x.s.test");
    ck_assert_int_eq(trusts.items[0].direction, SA_TRUST_DIR_OUTBOUND);
    ck_assert_int_eq(sa_trust_classify(&trusts.items[0]), SA_TK_PARENT_CHILD);
    ck_assert_int_eq(sa_trust_classify(&trusts.items[3]), SA_TK_TREE_ROOT); /* x.s.test, C1.R.Test */
    ck_assert_msg(tc_check(&trusts, 1, false, msg, sizeof(msg)), "%s", msg);
    /* forests are what the trusts join, not what the names suggest */
    ck_assert_int_eq(judged("y.x.s.test", "c1.r.test"), SA_VERDICT_KERBEROS);
    ck_assert_str_eq(v.path, "y.x.s.test -> x.s.test (parent-child) -> C1.R.Test (tree-root)");
    ck_assert_int_eq(judged("c1.r.test", "r.test"), SA_VERDICT_CERTIFICATES);
    ck_assert_int_eq(judged("g1.c1.r.test", "R.test"), SA_VERDICT_KERBEROS);
    /* multilevel-chain, as libFuzzer found it: y.x.s.test -> x.s.test -> g1.c1.r.test,
     * x.s.test -> r.test (a chain of three joins) */
    sa_trusts_clear(&trusts);
    ck_assert(tc_decode(chain, sizeof(chain), &trusts));
    ck_assert_uint_eq(trusts.n, 3);
    ck_assert_int_eq(judged("y.x.s.test", "x.s.test"), SA_VERDICT_KERBEROS);
    ck_assert_msg(tc_check(&trusts, 0, true, msg, sizeof(msg)), "%s", msg);
}
END_TEST

START_TEST(classification_and_names)
{
    sa_trust t = {0};
    char *s;

    t.domain = "emea.contoso.com";
    t.partner = "contoso.com";
    t.type = SA_TRUST_TYPE_UPLEVEL;
    t.attributes = SA_TRUST_WITHIN_FOREST;
    ck_assert_int_eq(sa_trust_classify(&t), SA_TK_PARENT_CHILD);
    ck_assert(sa_trust_transitive(&t));
    t.partner = "litware.com";
    ck_assert_int_eq(sa_trust_classify(&t), SA_TK_TREE_ROOT);
    /* a name that merely ends the same way is not a parent */
    t.domain = "badcontoso.com";
    t.partner = "contoso.com";
    ck_assert_int_eq(sa_trust_classify(&t), SA_TK_TREE_ROOT);
    t.attributes = SA_TRUST_FOREST_TRANSITIVE;
    ck_assert_int_eq(sa_trust_classify(&t), SA_TK_FOREST);
    ck_assert(sa_trust_transitive(&t));
    t.attributes |= SA_TRUST_NON_TRANSITIVE;
    ck_assert(!sa_trust_transitive(&t));
    t.attributes = SA_TRUST_QUARANTINED_DOMAIN;
    ck_assert_int_eq(sa_trust_classify(&t), SA_TK_EXTERNAL);
    ck_assert(!sa_trust_transitive(&t));
    t.type = SA_TRUST_TYPE_MIT;
    ck_assert_int_eq(sa_trust_classify(&t), SA_TK_REALM);
    t.type = SA_TRUST_TYPE_DOWNLEVEL;
    ck_assert_int_eq(sa_trust_classify(&t), SA_TK_DOWNLEVEL);
    t.type = SA_TRUST_TYPE_AAD;
    ck_assert_int_eq(sa_trust_classify(&t), SA_TK_OTHER);
    ck_assert_str_eq(sa_trust_kind_name(SA_TK_EXTERNAL), "external");
    ck_assert_str_eq(sa_trust_direction_name(SA_TRUST_DIR_BOTH), "two-way");
    ck_assert_str_eq(sa_trust_direction_name(7), "unknown");
    ck_assert_int_eq(sa_trust_direction_flip(SA_TRUST_DIR_INBOUND), SA_TRUST_DIR_OUTBOUND);
    ck_assert_int_eq(sa_trust_direction_flip(SA_TRUST_DIR_BOTH), SA_TRUST_DIR_BOTH);
    s = sa_trust_attributes_text(SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_CROSS_ORGANIZATION);
    ck_assert_str_eq(s, "FOREST_TRANSITIVE, CROSS_ORGANIZATION (selective authentication)");
    free(s);
    s = sa_trust_attributes_text(0);
    ck_assert_str_eq(s, "none");
    free(s);
    s = sa_trust_attributes_text(SA_TRUST_USES_RC4_ENCRYPTION | 0x10000u);
    ck_assert_str_eq(s, "USES_RC4_ENCRYPTION, 0x10000");
    free(s);
    ck_assert_str_eq(sa_verdict_kind_name(SA_VERDICT_CERTIFICATES), "certificates");
}
END_TEST

START_TEST(sids_as_text)
{
    /* S-1-5-21-1004336348-1177238915-682003330-512 */
    static const unsigned char sid[] = {1,    5,    0,    0,    0,    0,    0,    5,    21,   0,
                                        0,    0,    0xdc, 0xf4, 0xdc, 0x3b, 0x83, 0x3d, 0x2b, 0x46,
                                        0x82, 0x8b, 0xa6, 0x28, 0x00, 0x02, 0x00, 0x00};
    static const unsigned char everyone[] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
    char buf[128];

    ck_assert(sa_sid_to_text(sid, sizeof(sid), buf, sizeof(buf)));
    ck_assert_str_eq(buf, "S-1-5-21-1004336348-1177238915-682003330-512");
    ck_assert(sa_sid_to_text(everyone, sizeof(everyone), buf, sizeof(buf)));
    ck_assert_str_eq(buf, "S-1-1-0");
    /* every truncation, a wrong revision, a buffer too small */
    for (size_t n = 0; n < sizeof(sid); n++)
        ck_assert(!sa_sid_to_text(sid, n, buf, sizeof(buf)));
    ck_assert(!sa_sid_to_text((const unsigned char *)"\2\1\0\0\0\0\0\1\0\0\0\0", 12, buf, sizeof(buf)));
    ck_assert(!sa_sid_to_text(sid, sizeof(sid), buf, 20));
}
END_TEST

START_TEST(one_graph_many_verdicts)
{
    sa_trust_graph *g;
    sa_error err = {SA_OK, ""};

    within("emea.contoso.com", "contoso.com");
    trust("contoso.com", "fabrikam.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
          SA_TRUST_FOREST_TRANSITIVE);
    trust("contoso.com", "northwind.com", SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, 0);
    g = sa_trust_graph_new(&trusts);
    ck_assert_ptr_nonnull(g);
    for (int round = 0; round < 2; round++) {
        ck_assert_int_eq(sa_trust_graph_verdict(g, "fabrikam.com", "emea.contoso.com", &v, &err), SA_OK);
        ck_assert_int_eq(v.kind, SA_VERDICT_KERBEROS);
        ck_assert_str_eq(v.path,
                         "fabrikam.com -> contoso.com (forest, two-way) -> emea.contoso.com (parent-child)");
        sa_verdict_clear(&v);
        ck_assert_int_eq(sa_trust_graph_verdict(g, "northwind.com", "emea.contoso.com", &v, &err), SA_OK);
        ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
        sa_verdict_clear(&v);
        /* a domain no trust names */
        ck_assert_int_eq(sa_trust_graph_verdict(g, "tailspin.com", "contoso.com", &v, &err), SA_OK);
        ck_assert_int_eq(v.kind, SA_VERDICT_CERTIFICATES);
        ck_assert_uint_eq(v.n_events, 2);
        sa_verdict_clear(&v);
    }
    sa_trust_graph_free(g);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("trust");
    TCase *tc = tcase_create("verdicts");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, same_domain);
    tcase_add_test(tc, parent_child_and_tree_root);
    tcase_add_test(tc, two_way_forest_trust_reaches_child_domains);
    tcase_add_test(tc, one_way_forest_trust_needs_certificates);
    tcase_add_test(tc, the_stricter_side_wins);
    tcase_add_test(tc, selective_authentication);
    tcase_add_test(tc, selective_settled_by_the_servers_dacls);
    tcase_add_test(tc, crossrefs_of_the_forest);
    tcase_add_test(tc, external_trust_is_never_used);
    tcase_add_test(tc, forest_trust_preferred_over_external);
    tcase_add_test(tc, downlevel_realm_and_disabled);
    tcase_add_test(tc, no_trust_at_all);
    tcase_add_test(tc, forest_trusts_do_not_chain);
    tcase_add_test(tc, treat_as_external_forest_trust_still_carries_kerberos);
    tcase_add_test(tc, child_with_servers_in_its_parent);
    tcase_add_test(tc, grandchild_and_tree_roots);
    tcase_add_test(tc, forest_trust_at_the_roots_for_grandchildren);
    tcase_add_test(tc, every_object_of_a_trust_counts);
    tcase_add_test(tc, fuzz_inputs_decoded);
    tcase_add_test(tc, classification_and_names);
    tcase_add_test(tc, sids_as_text);
    tcase_add_test(tc, one_graph_many_verdicts);
    suite_add_tcase(s, tc);
    /* a few seconds with the sanitizers, on a busy machine more */
    tc = tcase_create("properties");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 50);
    tcase_add_test(tc, invariants_on_random_forests);
    suite_add_tcase(s, tc);
    return check_run(s);
}
