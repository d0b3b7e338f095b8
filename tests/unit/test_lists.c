/* Unit tests: what "spnaudit spn" lists (plain accounts, no directory)
 * and how, and the SPN list of "spnaudit probe". */
#include <check.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "heap_peak.h"
#include "spnaudit/finding.h"
#include "spnaudit/probelist.h"
#include "spnaudit/spnlist.h"

static sa_spn_listing listing;

static void
holder(const char *dn, const char *sam, sa_account_kind kind, unsigned uac, const char *spn1,
       const char *spn2)
{
    sa_account *a = sa_accounts_add(&listing.accounts);

    ck_assert_ptr_nonnull(a);
    a->dn = strdup(dn);
    a->sam = sam ? strdup(sam) : NULL;
    a->kind = kind;
    a->has_uac = true;
    a->uac = uac;
    ck_assert(sa_strv_add(&a->spns, spn1));
    if (spn2 != NULL)
        ck_assert(sa_strv_add(&a->spns, spn2));
}

/* ms07 and ms07old both hold ms07's FQDN SPN; svc-ms05 holds ms05's; ms07
 * is read twice (two domains of one forest); x holds one SPN in two
 * spellings, which is no duplicate. */
static void
setup(void)
{
    memset(&listing, 0, sizeof(listing));
    holder("CN=ms07old,OU=Old,DC=contoso,DC=test", "ms07old$", SA_ACCT_COMPUTER, SA_UAC_ACCOUNTDISABLE,
           "MSOMHSvc/ms07.contoso.test", NULL);
    holder("CN=ms07,OU=Servers,DC=contoso,DC=test", "ms07$", SA_ACCT_COMPUTER, 0,
           "MSOMHSvc/ms07.contoso.test", "MSOMHSvc/MS07");
    holder("CN=svc-ms05,CN=Users,DC=contoso,DC=test", "svc-ms05", SA_ACCT_USER, 0,
           "MSOMHSvc/ms05.contoso.test", "MSOMHSvc/MS05");
    holder("CN=ms07,OU=Servers,DC=contoso,DC=test", "ms07$", SA_ACCT_COMPUTER, 0,
           "MSOMHSvc/ms07.contoso.test", "MSOMHSvc/MS07");
    holder("CN=x,DC=contoso,DC=test", NULL, SA_ACCT_OTHER, 0, "MSOMHSvc/x.contoso.test",
           "msomhsvc/X.contoso.test");
    listing.where = strdup("contoso.test");
}

static void
teardown(void)
{
    sa_spn_listing_clear(&listing);
}

/* account as a person writes it, or NULL */
static void
select_rows(const char *account, bool duplicates)
{
    sa_account_name name;

    if (account != NULL)
        ck_assert(sa_account_name_parse(account, &name));
    ck_assert(sa_spn_listing_select(
        &(sa_spn_list_request){NULL, NULL, false, account ? &name : NULL, duplicates}, &listing));
}

static const char *
row_spn(size_t r)
{
    return listing.idx.refs[listing.rows[r].first].spn;
}

START_TEST(every_spn_once_with_its_holders)
{
    select_rows(NULL, false);
    ck_assert_uint_eq(listing.accounts.n, 4); /* ms07 once */
    ck_assert_uint_eq(listing.n_rows, 5);
    ck_assert_uint_eq(listing.n_duplicates, 1);
    ck_assert_int_eq(sa_spn_listing_exit_status(&listing), SA_EXIT_WARNING);
    for (size_t r = 0; r < listing.n_rows; r++) {
        bool ms07 = strcmp(row_spn(r), "MSOMHSvc/ms07.contoso.test") == 0;
        ck_assert_msg(listing.rows[r].duplicate == ms07, "%s", row_spn(r));
        if (strcasecmp(row_spn(r), "MSOMHSvc/x.contoso.test") == 0)
            ck_assert_uint_eq(listing.rows[r].count, 2); /* two spellings, one holder */
    }
}
END_TEST

START_TEST(only_the_duplicates)
{
    select_rows(NULL, true);
    ck_assert_uint_eq(listing.n_rows, 1);
    ck_assert_str_eq(row_spn(0), "MSOMHSvc/ms07.contoso.test");
    ck_assert_uint_eq(listing.rows[0].count, 2);
    ck_assert_uint_eq(listing.n_duplicates, 1);
}
END_TEST

START_TEST(only_an_accounts_spns)
{
    select_rows("SVC-MS05", false);
    ck_assert_uint_eq(listing.n_rows, 2);
    ck_assert_str_eq(row_spn(0), "MSOMHSvc/MS05");
    ck_assert_str_eq(row_spn(1), "MSOMHSvc/ms05.contoso.test");
    ck_assert_uint_eq(listing.n_duplicates, 1); /* counted over all */
    /* nothing wrong with svc-ms05's SPNs: the duplicate elsewhere does not count */
    ck_assert_int_eq(sa_spn_listing_exit_status(&listing), SA_EXIT_OK);
    sa_spn_listing_clear(&listing);
    setup();
    select_rows("nobody", false);
    ck_assert_uint_eq(listing.n_rows, 0);
    ck_assert_int_eq(sa_spn_listing_exit_status(&listing), SA_EXIT_FAILURE); /* no such account */
}
END_TEST

/* ms07 as a person names it: every form lists its two SPNs, one of them
 * held by ms07old too (exit 1: something is wrong with ms07). */
static const char *const ms07_names[] = {
    "ms07", "MS07$", "CONTOSO\\ms07", "contoso\\ms07$", "ms07@contoso.test", "contoso.test\\ms07"};

START_TEST(an_account_in_every_form)
{
    select_rows(ms07_names[_i], false);
    ck_assert_uint_eq(listing.n_rows, 2);
    ck_assert_str_eq(row_spn(0), "MSOMHSvc/MS07");
    ck_assert_str_eq(row_spn(1), "MSOMHSvc/ms07.contoso.test");
    ck_assert(listing.account_found);
    ck_assert_int_eq(sa_spn_listing_exit_status(&listing), SA_EXIT_WARNING);
}
END_TEST

/* Not ms07: another domain, another name. */
static const char *const not_ms07[] = {"FABRIKAM\\ms07", "ms07@fabrikam.test", "ms0", "ms07$$"};

START_TEST(not_that_account)
{
    select_rows(not_ms07[_i], false);
    ck_assert_uint_eq(listing.n_rows, 0);
    ck_assert(!listing.account_found);
    ck_assert_int_eq(sa_spn_listing_exit_status(&listing), SA_EXIT_FAILURE);
}
END_TEST

START_TEST(account_names_parse)
{
    sa_account_name n;

    ck_assert(sa_account_name_parse("CONTOSO\\svc", &n));
    ck_assert_str_eq(n.sam, "svc");
    ck_assert_str_eq(n.domain, "CONTOSO");
    ck_assert(sa_account_name_parse("svc@contoso.test", &n));
    ck_assert_str_eq(n.sam, "svc");
    ck_assert_str_eq(n.domain, "contoso.test");
    ck_assert(sa_account_name_parse("ms01$", &n));
    ck_assert_str_eq(n.sam, "ms01$");
    ck_assert_str_eq(n.domain, "");
    ck_assert(!sa_account_name_parse("", &n));
    ck_assert(!sa_account_name_parse("CONTOSO\\", &n));
    ck_assert(!sa_account_name_parse("\\svc", &n));
    ck_assert(!sa_account_name_parse("svc@", &n));
    ck_assert(!sa_account_name_parse("a\\b@c", &n));
    ck_assert(!sa_account_name_parse("a\\b\\c", &n));
    ck_assert(!sa_account_name_parse("sv*c", &n));
    ck_assert(!sa_account_name_parse("...", &n));
    ck_assert(sa_account_name_matches(&(sa_account_name){"ms01", ""}, "MS01$", NULL));
    ck_assert(!sa_account_name_matches(&(sa_account_name){"ms01$", ""}, "ms01", NULL));
    ck_assert(!sa_account_name_matches(&(sa_account_name){"ms01", "CONTOSO"}, "ms01$", NULL));
    ck_assert(sa_account_name_matches(&(sa_account_name){"ms01", "CONTOSO"}, "ms01$", "contoso.test"));
    ck_assert(!sa_account_name_matches(&(sa_account_name){"ms01", "CONT"}, "ms01$", "contoso.test"));
}
END_TEST

START_TEST(no_duplicate_is_exit_0)
{
    sa_spn_listing_clear(&listing);
    memset(&listing, 0, sizeof(listing));
    holder("CN=a,DC=contoso,DC=test", "a$", SA_ACCT_COMPUTER, 0, "MSOMHSvc/a.contoso.test", NULL);
    select_rows(NULL, false);
    ck_assert_int_eq(sa_spn_listing_exit_status(&listing), SA_EXIT_OK);
}
END_TEST

/* The report into a string (free it). */
static char *
report(bool json)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(json ? sa_spn_report_json(&listing, f) : sa_spn_report_text(&listing, f), 0);
    ck_assert_int_eq(fclose(f), 0);
    return text;
}

START_TEST(text_lists_like_setspn)
{
    char *text;

    select_rows(NULL, true);
    text = report(false);
    ck_assert_str_eq(text,
                     "MSOMHSvc/ms07.contoso.test                   ms07$ (computer), ms07old$ (computer, "
                     "disabled)  DUPLICATE\n"
                     "1 SPN listed; 4 accounts in contoso.test hold SPNs of these classes; 1 SPN is on "
                     "several accounts\n");
    free(text);
}
END_TEST

/* The JSON is written as it is made, one SPN at a time: the same text
 * json-c prints for the whole document, with SPNs and with none. */
START_TEST(json_is_streamed_as_the_whole_document_reads)
{
    char *text, *whole;
    json_object *root;

    select_rows(_i == 0 ? NULL : "nosuch$", false);
    text = report(true);
    ck_assert_ptr_nonnull(root = json_tokener_parse(text));
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(root, "spns")), _i == 0 ? 5 : 0);
    ck_assert(
        asprintf(&whole, "%s\n",
                 json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE)) > 0);
    ck_assert_str_eq(text, whole);
    free(whole);
    free(text);
    json_object_put(root);
}
END_TEST

static int
write_spn_json(const void *l, FILE *out)
{
    return sa_spn_report_json(l, out);
}

/* 40,000 SPNs of 20,000 agents: the JSON needs no more memory than a few
 * of them (built as one document it took 137 MiB, 3.4 KiB each). */
START_TEST(json_of_40000_spns_takes_the_memory_of_a_few)
{
    char dn[64], sam[32], fqdn[64], nb[64];
    size_t grew;

    for (int i = 0; i < 20000; i++) {
        snprintf(dn, sizeof(dn), "CN=agent%05d,CN=Computers,DC=contoso,DC=test", i);
        snprintf(sam, sizeof(sam), "agent%05d$", i);
        snprintf(fqdn, sizeof(fqdn), "MSOMHSvc/agent%05d.contoso.test", i);
        snprintf(nb, sizeof(nb), "MSOMHSvc/AGENT%05d", i);
        holder(dn, sam, SA_ACCT_COMPUTER, 4096, fqdn, nb);
    }
    select_rows(NULL, false);
    ck_assert_uint_eq(listing.n_rows, 40005);
    grew = heap_growth(write_spn_json, &listing);
    ck_assert_msg(grew < 1024 * 1024, "%zu bytes more at the peak", grew);
}
END_TEST

START_TEST(json_lists_every_holder)
{
    char *text;
    json_object *root, *spns, *h;

    ck_assert(sa_strv_add(&listing.referrals, "ldap://child.contoso.test/DC=child,DC=contoso,DC=test"));
    select_rows(NULL, false);
    text = report(true);
    root = json_tokener_parse(text);
    ck_assert_ptr_nonnull(root);
    ck_assert_int_eq(json_object_get_int(json_object_object_get(root, "schema_version")), 1);
    ck_assert_str_eq(json_object_get_string(json_object_object_get(root, "domain")), "contoso.test");
    ck_assert_int_eq(
        json_object_get_int(json_object_object_get(json_object_object_get(root, "counts"), "listed")), 5);
    ck_assert_int_eq(
        json_object_get_int(json_object_object_get(json_object_object_get(root, "counts"), "duplicates")), 1);
    ck_assert_uint_eq(json_object_array_length(json_object_object_get(root, "referrals_not_followed")), 1);
    spns = json_object_object_get(root, "spns");
    ck_assert_uint_eq(json_object_array_length(spns), 5);
    for (size_t i = 0; i < 5; i++) {
        json_object *e = json_object_array_get_idx(spns, i);
        if (strcmp(json_object_get_string(json_object_object_get(e, "spn")), "MSOMHSvc/ms07.contoso.test") !=
            0)
            continue;
        ck_assert(json_object_get_boolean(json_object_object_get(e, "duplicate")));
        /* in DN order */
        h = json_object_array_get_idx(json_object_object_get(e, "holders"), 0);
        ck_assert_str_eq(json_object_get_string(json_object_object_get(h, "dn")),
                         "CN=ms07,OU=Servers,DC=contoso,DC=test");
        ck_assert(!json_object_get_boolean(json_object_object_get(h, "disabled")));
        h = json_object_array_get_idx(json_object_object_get(e, "holders"), 1);
        ck_assert_str_eq(json_object_get_string(json_object_object_get(h, "sam_account_name")), "ms07old$");
        ck_assert_str_eq(json_object_get_string(json_object_object_get(h, "domain")), "contoso.test");
        ck_assert_str_eq(json_object_get_string(json_object_object_get(h, "kind")), "computer");
        ck_assert(json_object_get_boolean(json_object_object_get(h, "disabled")));
    }
    /* the account without a sAMAccountName: null */
    ck_assert_ptr_nonnull(strstr(text, "\"sam_account_name\": null"));
    ck_assert_int_eq(text[strlen(text) - 1], '\n');
    json_object_put(root);
    free(text);
}
END_TEST

START_TEST(probe_spns_checked_and_once_each)
{
    sa_tickets list = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(sa_probe_list_add(&list, "MSOMHSvc/ms01.contoso.test", "argument", &err), SA_OK);
    ck_assert_int_eq(sa_probe_list_add(&list, "msomhsvc/MS01.contoso.test", "argument", &err), SA_OK);
    ck_assert_int_eq(sa_probe_list_add(&list, "MSOMHSvc/ms01.contoso.test@CONTOSO.TEST", "argument", &err),
                     SA_OK);
    ck_assert_int_eq(sa_probe_list_unique(&list, &err), SA_OK);
    ck_assert_uint_eq(list.n, 2);
    ck_assert_str_eq(list.items[0].spn, "MSOMHSvc/ms01.contoso.test");
    ck_assert_int_eq(sa_probe_list_add(&list, "not an spn", "argument", &err), SA_ERR_USAGE);
    ck_assert_ptr_nonnull(strstr(err.message, "argument: \"not an spn\" is not an SPN: "));
    ck_assert_int_eq(sa_probe_list_add(&list, "MSOMHSvc/a.test@", "x:3", &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message, "x:3: \"MSOMHSvc/a.test@\" has a malformed realm");
    ck_assert_int_eq(sa_probe_list_add(&list, "MSOMHSvc/a.test@A/B", "argument", &err), SA_ERR_USAGE);
    ck_assert_uint_eq(list.n, 2);
    ck_assert_int_eq(sa_probe_exit_status(&list, true), SA_EXIT_OK); /* none tried */
    list.items[0].tried = true;
    ck_assert_int_eq(sa_probe_exit_status(&list, true), SA_EXIT_FAILURE);
    list.items[0].ok = true;
    ck_assert_int_eq(sa_probe_exit_status(&list, true), SA_EXIT_OK);
    ck_assert_int_eq(sa_probe_exit_status(&list, false), SA_EXIT_INCOMPLETE);
    sa_tickets_clear(&list);
}
END_TEST

static void
write_file(char *path, const char *text)
{
    int fd = mkstemp(path);
    FILE *f;

    ck_assert_int_ge(fd, 0);
    ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(probe_spns_from_a_file)
{
    char path[] = "/tmp/spnaudit-spns-XXXXXX";
    sa_tickets list = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};
    char want[600];

    write_file(
        path,
        "# the servers\n\n  MSOMHSvc/ms01.contoso.test \t\nMSOMHSvc/MS01\r\nmsomhsvc/ms01.contoso.test\n");
    ck_assert_int_eq(sa_probe_list_read(&list, path, &err), SA_OK);
    ck_assert_int_eq(sa_probe_list_unique(&list, &err), SA_OK);
    ck_assert_uint_eq(list.n, 2);
    ck_assert_str_eq(list.items[0].spn, "MSOMHSvc/ms01.contoso.test");
    ck_assert_str_eq(list.items[1].spn, "MSOMHSvc/MS01");
    unlink(path);
    sa_tickets_clear(&list);

    strcpy(path, "/tmp/spnaudit-spns-XXXXXX");
    write_file(path, "MSOMHSvc/ms01.contoso.test\n# fine\nnot an spn\n");
    ck_assert_int_eq(sa_probe_list_read(&list, path, &err), SA_ERR_USAGE);
    snprintf(want, sizeof(want), "%s:3: \"not an spn\" is not an SPN", path);
    ck_assert_msg(strncmp(err.message, want, strlen(want)) == 0, "%s", err.message);
    unlink(path);
    sa_tickets_clear(&list);

    ck_assert_int_eq(sa_probe_list_read(&list, "/nonexistent/spns.txt", &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message,
                     "cannot open the probe list /nonexistent/spns.txt: No such file or directory");
    ck_assert_int_eq(sa_probe_list_read(&list, "/tmp", &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message, "cannot read the probe list /tmp: it is a directory, not a regular file");
    ck_assert_uint_eq(list.n, 0);
}
END_TEST

/* Each SPN once, the first of each where it was given; a line may
 * repeat one given as an argument. */
START_TEST(probe_repeats_dropped_in_order)
{
    static const char *want[] = {"MSOMHSvc/b.contoso.test", "MSOMHSvc/a.contoso.test",
                                 "MSOMSdkSvc/b.contoso.test", "MSOMHSvc/c.contoso.test",
                                 "MSOMHSvc/c.contoso.test@CONTOSO.TEST"};
    char path[] = "/tmp/spnaudit-spns-XXXXXX";
    sa_tickets list = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};

    write_file(path,
               "MSOMHSvc/a.contoso.test\nmsomhsvc/B.CONTOSO.TEST\nMSOMSdkSvc/b.contoso.test\n"
               "MSOMHSvc/A.contoso.test\nMSOMHSvc/c.contoso.test\nMSOMHSvc/c.contoso.test@CONTOSO.TEST\n"
               "MSOMHSvc/c.contoso.test\nMSOMHSvc/b.contoso.test");
    ck_assert_int_eq(sa_probe_list_add(&list, "MSOMHSvc/b.contoso.test", "argument", &err), SA_OK);
    ck_assert_int_eq(sa_probe_list_read(&list, path, &err), SA_OK);
    unlink(path);
    ck_assert_int_eq(sa_probe_list_unique(&list, &err), SA_OK);
    ck_assert_uint_eq(list.n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < list.n; i++)
        ck_assert_str_eq(list.items[i].spn, want[i]);
    ck_assert_int_eq(sa_probe_list_unique(&list, &err), SA_OK); /* nothing more to drop */
    ck_assert_uint_eq(list.n, sizeof(want) / sizeof(want[0]));
    sa_tickets_clear(&list);
}
END_TEST

/* /dev/zero was read until memory ran out; standard input is bounded by
 * the same limit as a file. */
START_TEST(probe_list_only_a_regular_file_within_the_limit)
{
    char path[] = "/tmp/spnaudit-spns-XXXXXX", want[256];
    sa_tickets list = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};
    int fd;

    ck_assert_int_eq(sa_probe_list_read(&list, "/dev/zero", &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message,
                     "cannot read the probe list /dev/zero: it is a character device, not a regular file");

    write_file(path, "MSOMHSvc/a.contoso.test\n");
    ck_assert_int_eq(truncate(path, (off_t)100 * 1024 * 1024), 0);
    ck_assert_int_eq(sa_probe_list_read(&list, path, &err), SA_ERR_USAGE);
    unlink(path);
    snprintf(want, sizeof(want), "%s is 100 MB, more than the 64 MB limit for a probe list", path);
    ck_assert_str_eq(err.message, want);

    ck_assert_int_ge(fd = open("/dev/zero", O_RDONLY), 0); /* this test runs in a child of its own */
    ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
    close(fd);
    ck_assert_int_eq(sa_probe_list_read(&list, "-", &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message, "standard input is more than the 64 MB limit for a probe list");
    ck_assert_uint_eq(list.n, 0);
}
END_TEST

START_TEST(probe_list_nul_byte_is_named)
{
    char path[] = "/tmp/spnaudit-spns-XXXXXX", want[256];
    sa_tickets list = {NULL, 0, 0};
    sa_error err = {SA_OK, ""};
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "MSOMHSvc/a.contoso.test\nMSOMHSvc/b\0evil\n", 40), 40);
    close(fd);
    ck_assert_int_eq(sa_probe_list_read(&list, path, &err), SA_ERR_USAGE);
    unlink(path);
    snprintf(want, sizeof(want), "%s:2: a NUL byte in the line", path);
    ck_assert_str_eq(err.message, want);
    sa_tickets_clear(&list);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("lists");
    TCase *spn = tcase_create("spn"), *probe = tcase_create("probe");

    tcase_add_checked_fixture(spn, setup, teardown);
    tcase_add_test(spn, every_spn_once_with_its_holders);
    tcase_add_test(spn, only_the_duplicates);
    tcase_add_test(spn, only_an_accounts_spns);
    tcase_add_loop_test(spn, an_account_in_every_form, 0, sizeof(ms07_names) / sizeof(ms07_names[0]));
    tcase_add_loop_test(spn, not_that_account, 0, sizeof(not_ms07) / sizeof(not_ms07[0]));
    tcase_add_test(spn, account_names_parse);
    tcase_add_test(spn, no_duplicate_is_exit_0);
    tcase_add_test(spn, text_lists_like_setspn);
    tcase_add_test(spn, json_lists_every_holder);
    tcase_add_loop_test(spn, json_is_streamed_as_the_whole_document_reads, 0, 2);
    tcase_add_test(spn, json_of_40000_spns_takes_the_memory_of_a_few);
    tcase_set_timeout(spn, 120); /* 40,000 SPNs under ASan on a busy machine */
    suite_add_tcase(s, spn);
    tcase_add_test(probe, probe_spns_checked_and_once_each);
    tcase_add_test(probe, probe_spns_from_a_file);
    tcase_add_test(probe, probe_repeats_dropped_in_order);
    tcase_add_test(probe, probe_list_only_a_regular_file_within_the_limit);
    tcase_add_test(probe, probe_list_nul_byte_is_named);
    suite_add_tcase(s, probe);
    return check_run(s);
}
