/* Integration tests: "spnaudit spn", like setspn -Q/-X/-L, against the real
 * test domain and its trusted forests.
 * Run as: testdomain.sh exec test_spnlist PATH-TO-spnaudit */
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
static const char *dc;
static long agents;

/* Every SPN of the listing starts with prefix, and there is one at least. */
static void
assert_spns_of_class(json_object *rep, const char *prefix)
{
    json_object *spns = json_object_object_get(rep, "spns");

    ck_assert_uint_gt(json_object_array_length(spns), 0);
    for (size_t i = 0; i < json_object_array_length(spns); i++) {
        const char *spn = jget_str(json_object_array_get_idx(spns, i), "spn");
        ck_assert_msg(strncasecmp(spn, prefix, strlen(prefix)) == 0, "%s is not %s...", spn, prefix);
    }
}

START_TEST(spn_lists_owners_and_duplicates)
{
    const char *dups[] = {"spn", "--server", dc, "--duplicates", "--format", "json", NULL};
    const char *acct[] = {"spn", "--server", dc, "--account", "svc-ms05", NULL};
    run_result r;
    json_object *rep, *spns, *e;

    run_tool(dups, NULL, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 1); /* duplicates found */
    spns = json_object_object_get(rep, "spns");
    ck_assert_uint_eq(json_object_array_length(spns), 1);
    e = json_object_array_get_idx(spns, 0);
    ck_assert_str_eq(jget_str(e, "spn"), "MSOMHSvc/ms07.contoso.test");
    ck_assert(json_object_get_boolean(json_object_object_get(e, "duplicate")));
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(e, "holders")), 2);
    ck_assert_int_ge(jget_int(json_object_object_get(rep, "counts"), "accounts"), agents);
    json_object_put(rep);
    run_free(&r);

    run_tool(acct, NULL, &r);
    ck_assert_int_eq(r.status, 0); /* nothing wrong with svc-ms05's SPNs (ms07's duplicate is not its) */
    ck_assert_ptr_nonnull(strstr(r.out, "MSOMHSvc/ms05.contoso.test"));
    ck_assert_ptr_nonnull(strstr(r.out, "svc-ms05 (user)"));
    ck_assert_ptr_null(strstr(r.out, "ms01"));
    ck_assert_ptr_nonnull(strstr(r.out, "2 SPNs listed"));
    run_free(&r);
}
END_TEST

/* The Global Catalog, found through DNS (_gc._tcp) or named: the same
 * accounts as the domain search in this one-domain forest, each holder
 * labelled with its domain. */
START_TEST(spn_through_the_global_catalog)
{
    const char *by_dns[] = {"spn", "--forest", "--domain", "contoso.test", "--duplicates", NULL};
    const char *named[] = {"spn", "--forest", "--server", dc, "--format", "json", NULL};
    const char *domain[] = {"spn", "--server", dc, "--format", "json", NULL};
    run_result r, d;
    json_object *rep, *drep, *spns, *h;

    run_tool(by_dns, NULL, &r);
    ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(
        strstr(r.out, "CONTOSO\\ms07$ (computer), CONTOSO\\ms07old$ (computer)  DUPLICATE"));
    ck_assert_ptr_nonnull(strstr(r.out, "in the forest of contoso.test (Global Catalog)"));
    run_free(&r);

    run_tool(named, NULL, &r);
    run_tool(domain, NULL, &d);
    rep = parse_report(&r);
    drep = parse_report(&d);
    ck_assert_int_eq(r.status, 1);
    ck_assert_int_eq(jget_int(json_object_object_get(rep, "counts"), "accounts"),
                     jget_int(json_object_object_get(drep, "counts"), "accounts"));
    ck_assert_int_eq(jget_int(json_object_object_get(rep, "counts"), "listed"),
                     jget_int(json_object_object_get(drep, "counts"), "listed"));
    spns = json_object_object_get(rep, "spns");
    ck_assert_uint_gt(json_object_array_length(spns), 0);
    h = json_object_array_get_idx(json_object_object_get(json_object_array_get_idx(spns, 0), "holders"), 0);
    ck_assert_str_eq(jget_str(h, "domain"), "contoso.test");
    /* the Configuration and DNS partitions are not accounts missed */
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(drep, "referrals_not_followed")), 0);
    json_object_put(rep);
    json_object_put(drep);
    run_free(&r);
    run_free(&d);
}
END_TEST

/* -c FILE means for spn what it means for audit: the file's domain, DCs
 * and service classes are the defaults, the command line overrides them. */
START_TEST(spn_takes_the_configuration_file)
{
    char path[] = "/tmp/spnaudit-group-XXXXXX", sdk[] = "/tmp/spnaudit-group-XXXXXX";
    const char *by_file[] = {"spn", "-c", path, "--format", "json", NULL};
    const char *by_options[] = {"spn", "--domain", "contoso.test", "--server", dc, "--format", "json", NULL};
    const char *classes[] = {"spn", "--config", sdk, "--format", "json", NULL};
    const char *overridden[] = {"spn",      "--config", sdk,    "--server", dc, "--service-class",
                                "MSOMHSvc", "--format", "json", NULL};
    run_result f, o;
    json_object *rep;

    write_conf(path, "[domain]\nname = contoso.test\nservers = dc1.contoso.test\n");
    write_conf(sdk, "[domain]\nname = contoso.test\nservers = dc9.contoso.test dc1.contoso.test\n"
                    "[audit]\nservice_classes = MSOMSdkSvc\n");
    run_tool(by_file, NULL, &f);
    run_tool(by_options, NULL, &o);
    ck_assert_msg(f.status == 1, "exit %d: %s", f.status, f.err);
    ck_assert_int_eq(o.status, 1);
    ck_assert_str_eq(f.out, o.out);
    run_free(&f);
    run_free(&o);

    /* the file's service classes and DCs: the first does not answer, the next does */
    run_tool(classes, NULL, &f);
    ck_assert_msg(f.status <= 1, "exit %d: %s", f.status, f.err);
    ck_assert_ptr_nonnull(strstr(f.err, "skipped: ldap://dc9.contoso.test"));
    rep = parse_report(&f);
    assert_spns_of_class(rep, "MSOMSdkSvc/");
    json_object_put(rep);
    run_free(&f);

    /* --server and --service-class replace the file's lists */
    run_tool(overridden, NULL, &f);
    unlink(path);
    unlink(sdk);
    ck_assert_int_eq(f.status, 1);
    ck_assert_ptr_null(strstr(f.err, "dc9"));
    rep = parse_report(&f);
    assert_spns_of_class(rep, "MSOMHSvc/");
    json_object_put(rep);
    run_free(&f);
}
END_TEST

START_TEST(spn_with_a_domain_that_does_not_answer)
{
    /* a second domain whose DC is not there: no partial listing, exit 3 */
    const char *argv[] = {"spn",      "--domain", "contoso.test", "--domain",         "nowhere.test",
                          "--server", dc,         "--server",     "dc9.nowhere.test", NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_int_eq(r.status, 3);
    ck_assert_msg(strstr(r.err, "ldap://dc9.nowhere.test") != NULL, "stderr: %s", r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}
END_TEST

/* The test domain's partner forest (two-way forest trust) has an account
 * holding one of CONTOSO's SPNs: LAB_DUP_CROSS_SPN on LAB_DUP_CROSS_ACCOUNT. */
START_TEST(spn_across_trusting_forests)
{
    const char *argv[] = {"spn",          "--domain", "contoso.test", "--domain", getenv("LAB_TRUST_FOREST"),
                          "--duplicates", "--format", "json",         NULL};
    const char *spn = getenv("LAB_DUP_CROSS_SPN");
    run_result r;
    json_object *rep, *spns, *e = NULL, *holders;
    bool contoso = false, partner = false;

    run_tool(argv, NULL, &r);
    rep = parse_report(&r);
    ck_assert_int_eq(r.status, 1);
    spns = json_object_object_get(rep, "spns");
    for (size_t i = 0; i < json_object_array_length(spns); i++) {
        if (strcasecmp(jget_str(json_object_array_get_idx(spns, i), "spn"), spn) == 0)
            e = json_object_array_get_idx(spns, i);
    }
    ck_assert_msg(e != NULL, "%s not listed as a duplicate: %.400s", spn, r.out);
    holders = json_object_object_get(e, "holders");
    ck_assert_uint_eq(json_object_array_length(holders), 2);
    for (size_t i = 0; i < 2; i++) {
        const char *d = jget_str(json_object_array_get_idx(holders, i), "domain");
        contoso |= strcmp(d, "contoso.test") == 0;
        partner |= strcmp(d, getenv("LAB_TRUST_FOREST")) == 0;
    }
    ck_assert(contoso && partner);
    /* the in-domain duplicate is still there */
    ck_assert_uint_eq(jget_int(json_object_object_get(rep, "counts"), "duplicates"), 2);
    json_object_put(rep);
    run_free(&r);
}
END_TEST

/* --account as an admin writes it, like setspn -L: every form of ms01 */
static const char *const ms01_names[] = {"ms01", "ms01$", "CONTOSO\\ms01", "ms01@contoso.test", "MS01"};

START_TEST(spn_account_in_every_form)
{
    const char *argv[] = {"spn", "--server", dc, "--account", ms01_names[_i], NULL};
    run_result r;

    run_tool(argv, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "MSOMHSvc/ms01.contoso.test"));
    ck_assert_ptr_nonnull(strstr(r.out, "2 SPNs listed;"));
    ck_assert_str_eq(r.err, "");
    run_free(&r);
}
END_TEST

/* No such account: said, exit 2, nothing listed; an account holding no
 * SPN of the classes: said, exit 0. */
START_TEST(spn_account_not_found_or_bare)
{
    const char *none[] = {"spn", "--server", dc, "--account", "nosuchacct", NULL};
    const char *other[] = {"spn", "--server", dc, "--account", "FABRIKAM\\ms01", NULL};
    const char *bare[] = {"spn", "--server", dc, "--account", "CONTOSO\\Administrator", NULL};
    run_result r;

    run_tool(none, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.err, "spnaudit spn: no such account: nosuchacct (no sAMAccountName nosuchacct nor "
                            "nosuchacct$ in contoso.test)\n");
    ck_assert_str_eq(r.out, "");
    run_free(&r);

    run_tool(other, NULL, &r);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.err, "spnaudit spn: no such account: FABRIKAM\\ms01 (no sAMAccountName ms01 nor ms01$ "
                            "in contoso.test)\n");
    run_free(&r);

    run_tool(bare, NULL, &r);
    ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
    ck_assert_str_eq(r.err, "spnaudit spn: CONTOSO\\Administrator holds no SPN of the classes MSOMHSvc, "
                            "MSOMSdkSvc\n");
    ck_assert_ptr_nonnull(strstr(r.out, "0 SPNs listed;"));
    run_free(&r);
}
END_TEST

/* The output options audit has, on spn too: -q, -o FILE. */
START_TEST(spn_takes_the_output_options)
{
    char path[] = "/tmp/spnaudit-spn-XXXXXX";
    int fd = mkstemp(path);
    const char *quiet[] = {"spn", "--server", dc, "-a", "ms01", "-q", NULL};
    const char *to_file[] = {"spn", "--server", dc, "-a", "ms01", "-o", path, NULL};
    char text[4096];
    size_t n;
    FILE *f;
    run_result r;

    ck_assert_int_ge(fd, 0);
    close(fd);
    run_tool(quiet, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
    run_tool(to_file, NULL, &r);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
    f = fopen(path, "r"); /* renamed over the file mkstemp made: opened anew */
    ck_assert_ptr_nonnull(f);
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    ck_assert_ptr_nonnull(strstr(text, "MSOMHSvc/ms01.contoso.test"));
    unlink(path);
}
END_TEST

int
main(int argc, char **argv)
{
    Suite *s = suite_create("spn-integration");
    TCase *tc = tcase_create("spn");

    if (argc != 2 || getenv("LAB_DC") == NULL || getenv("LAB_AGENTS") == NULL ||
        getenv("LAB_TRUST_FOREST") == NULL || getenv("LAB_DUP_CROSS_SPN") == NULL) {
        fprintf(stderr,
                "usage: tests/lab/testdomain.sh exec %s PATH-TO-spnaudit\n"
                "(needs the test domain's environment: LAB_DC, LAB_AGENTS, ...)\n",
                argv[0]);
        return 2;
    }
    tool_path = argv[1];
    dc = getenv("LAB_DC");
    agents = strtol(getenv("LAB_AGENTS"), NULL, 10);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, spn_lists_owners_and_duplicates);
    tcase_add_loop_test(tc, spn_account_in_every_form, 0, sizeof(ms01_names) / sizeof(ms01_names[0]));
    tcase_add_test(tc, spn_account_not_found_or_bare);
    tcase_add_test(tc, spn_takes_the_output_options);
    tcase_add_test(tc, spn_through_the_global_catalog);
    tcase_add_test(tc, spn_takes_the_configuration_file);
    tcase_add_test(tc, spn_with_a_domain_that_does_not_answer);
    tcase_add_test(tc, spn_across_trusting_forests);
    suite_add_tcase(s, tc);
    return check_run(s);
}
