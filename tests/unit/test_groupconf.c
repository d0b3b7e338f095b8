/* Unit tests: the management group's configuration file. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/scope.h"

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
    ck_assert_int_eq(c.tickets, SA_SCOPE_TICKETS_ALL); /* yes, of older files: all */
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
    {"[kerberos]\njobs = many\n", ":2: jobs wants a number from 1 to 64, not \"many\""},
    {"[kerberos]\njobs = 0\n", ":2: jobs wants a number"},
    {"[audit]\nreachability = maybe\n", ":2: reachability wants yes or no"},
    {"[audit]\ntickets = some\n", ":2: tickets wants all, servers or none, not \"some\""},
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

/* A name that is none of spnaudit.conf(5)'s: what is wrong, the nearest
 * name, and the page; word for word, at the end of "FILE:LINE". */
static const struct {
    const char *text;
    const char *says;
} unknown[] = {
    {"[audti]\npage_size = 10\n",
     ":2: unknown section [audti]: did you mean [audit]? (see spnaudit.conf(5))"},
    {"[nosuch]\nkey = 1\n",
     ":2: unknown section [nosuch]: the sections are [domain], [management_group], [kerberos], [audit] "
     "and [plan] (see spnaudit.conf(5))"},
    {"[domain\nname = contoso.test\n", ":1: a section without its closing ] (before any \" ;\" comment): "
                                       "write [domain] (see spnaudit.conf(5))"},
    {"[kerberso\n", ":1: a section without its closing ] (before any \" ;\" comment): write [kerberos] "
                    "(see spnaudit.conf(5))"},
    {"[zzz\n", ":1: a section without its closing ] (before any \" ;\" comment) (see spnaudit.conf(5))"},
    {"name = contoso.test\n", ":1: \"name\" is outside any section: it belongs under [domain] (see "
                              "spnaudit.conf(5))"},
    {"bogus = 1\n", ":1: \"bogus\" is outside any section, and no section has such a key (see "
                    "spnaudit.conf(5))"},
    {"[audit]\npage_sise = 10\n",
     ":2: unknown key \"page_sise\" in section [audit]: did you mean \"page_size\"? (see spnaudit.conf(5))"},
    {"[domain]\npage_size = 10\n",
     ":2: \"page_size\" belongs under [audit], not [domain] (see spnaudit.conf(5))"},
    {"[audit]\nbogus = 1\n", ":2: unknown key \"bogus\" in section [audit] (see spnaudit.conf(5))"},
};

START_TEST(unknown_names_say_what_is_wrong)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};
    size_t len, says;

    ck_assert_int_eq(load(unknown[_i].text, &c, &err), SA_ERR_USAGE);
    len = strlen(err.message);
    says = strlen(unknown[_i].says);
    ck_assert_msg(len > says && strcmp(err.message + len - says, unknown[_i].says) == 0,
                  "\"%s\" does not end in \"%s\"", err.message, unknown[_i].says);
}
END_TEST

/* [audit] tickets: the scope's words, and yes and no of older files. */
static const struct {
    const char *value;
    int tickets;
} ticket_values[] = {
    {"servers", SA_SCOPE_TICKETS_SERVERS}, {"all", SA_SCOPE_TICKETS_ALL}, {"none", SA_SCOPE_TICKETS_NONE},
    {"yes", SA_SCOPE_TICKETS_ALL},         {"no", SA_SCOPE_TICKETS_NONE},
};

START_TEST(tickets_take_a_scope)
{
    char text[64];
    sa_groupconf c;
    sa_error err = {SA_OK, ""};

    snprintf(text, sizeof(text), "[audit]\ntickets = %s\n", ticket_values[_i].value);
    ck_assert_int_eq(load(text, &c, &err), SA_OK);
    ck_assert_int_eq(c.tickets, ticket_values[_i].tickets);
    sa_groupconf_clear(&c);
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

/* A line of n characters: prefix, then 'x's. */
static char *
long_line(const char *prefix, size_t n)
{
    char *line = malloc(n + 1);

    ck_assert_ptr_nonnull(line);
    memset(line, 'x', n);
    memcpy(line, prefix, strlen(prefix));
    line[n] = '\0';
    return line;
}

/* Debian's libinih read the end of a long comment as a line of its own:
 * a 199-character comment followed by "name = evil.test" set the domain.
 * A line libinih cannot read whole is refused, naming it. */
START_TEST(a_long_line_is_refused_never_split)
{
    static const char *starts[] = {"#", ";", "  # indented", "name = contoso.test ; inline"};
    sa_groupconf c;
    sa_error err = {SA_OK, ""};
    char *comment = long_line(starts[_i], 199), text[1024];

    snprintf(text, sizeof(text), "[domain]\nuri = ldap://dc1.contoso.test\n%sname = evil.test\n", comment);
    ck_assert_int_eq(load(text, &c, &err), SA_ERR_USAGE);
    ck_assert_msg(strstr(err.message, ":3: longer than 198 bytes") != NULL, "%s", err.message);
    ck_assert_ptr_null(c.domain); /* nothing half-read is kept */
    free(comment);
}
END_TEST

/* libinih read a line of 199 bytes, then its LF as one more line: every
 * later error named the line after its own (fuzz_conf found it; the input
 * is in tests/fuzz/corpus/conf).  A CR before the LF, and a byte order
 * mark in the first line, fill the same buffer. */
START_TEST(a_line_that_leaves_its_end_unread_is_refused)
{
    static const char *bom[] = {"", "", "\xEF\xBB\xBF"}, *cr[] = {"", "\r", ""};
    static const size_t lens[] = {199, 198, 196};
    sa_groupconf c;
    sa_error err = {SA_OK, ""};
    char *comment = long_line("#", lens[_i]), text[1024];

    snprintf(text, sizeof(text), "%s%s%s\n[domain]\nbogus = 1\n", bom[_i], comment, cr[_i]);
    ck_assert_int_eq(load(text, &c, &err), SA_ERR_USAGE);
    ck_assert_msg(strstr(err.message, ":1: longer than 198 bytes") != NULL, "%s", err.message);
    free(comment);
}
END_TEST

/* libinih ends a key, or a section's name, at an inline comment (a ';'
 * after a blank), and takes a vertical tab or form feed for indentation:
 * the check read such lines otherwise, passed them, and the error libinih
 * then found was reported as "out of memory" (fuzz_conf found it; the
 * input is in tests/fuzz/corpus/conf), or an indented key went into the
 * value above. */
START_TEST(lines_are_read_as_libinih_reads_them)
{
    static const struct {
        const char *text, *why;
    } cases[] = {
        {"[kerberos]\njobs ; 8 = 9\n", ":2: not a key = value line"},
        {"[audit ;]\n", ":1: a section without its closing ]"},
        {"[domain]\nservers = dc1.contoso.test\n\vname = evil.test\n", ":3: an indented key = value line"},
        {"[domain]\nservers = dc1.contoso.test\n\f name = evil.test\n", ":3: an indented key = value line"},
    };
    sa_groupconf c;
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(load(cases[_i].text, &c, &err), SA_ERR_USAGE);
    ck_assert_msg(strstr(err.message, cases[_i].why) != NULL, "%s", err.message);
}
END_TEST

/* The longest line libinih reads whole is read whole, and the line
 * numbers after it stay right. */
START_TEST(a_line_of_198_bytes_is_read)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};
    char text[512], *p = text;

    p += sprintf(p, "[management_group]\r\n");
    p += sprintf(p, "management_servers = ms01.contoso.test");
    while (p - text < 20 + 197 - 21)
        p += sprintf(p, " ms%02d.a.test", (int)(p - text) % 100);
    while (p - text < 20 + 197)
        *p++ = ' ';
    p += sprintf(p, "\r\n[domain]\nname = contoso.test\n");
    ck_assert_int_eq(load(text, &c, &err), SA_OK);
    ck_assert_str_eq(c.management_servers.items[0], "ms01.contoso.test");
    ck_assert_str_eq(c.domain, "contoso.test");
    sa_groupconf_clear(&c);
    strcat(text, "bogus = 1\n");
    ck_assert_int_eq(load(text, &c, &err), SA_ERR_USAGE);
    ck_assert_msg(strstr(err.message, ":5: unknown key \"bogus\"") != NULL, "%s", err.message);
}
END_TEST

/* 40 servers over several lines: a repeated key, and indented lines that
 * continue it (libinih's multi-line values), both add to the list. */
START_TEST(a_long_list_goes_on_over_lines)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};
    char text[4096], *p = text;

    p += sprintf(p, "[management_group]\n");
    for (int i = 0; i < 40; i++) {
        if (i % 5 == 0) /* a new line every 5: the key repeated, or (i == 30) indented */
            p += sprintf(p, "%s",
                         i == 30 ? "\n   "
                         : i > 0 ? "\nmanagement_servers ="
                                 : "management_servers =");
        p += sprintf(p, " ms%02d.management.contoso.test", i);
    }
    p += sprintf(p, "\ngateways = gw01.contoso.test\n    gw02.contoso.test,\n\tgw03.contoso.test\n");
    p += sprintf(p, "[domain]\nname = contoso.test\n");
    ck_assert_int_eq(load(text, &c, &err), SA_OK);
    ck_assert_uint_eq(c.management_servers.n, 40);
    ck_assert_str_eq(c.management_servers.items[0], "ms00.management.contoso.test");
    ck_assert_str_eq(c.management_servers.items[39], "ms39.management.contoso.test");
    ck_assert_uint_eq(c.gateways.n, 3);
    ck_assert_str_eq(c.gateways.items[2], "gw03.contoso.test");
    ck_assert_str_eq(c.domain, "contoso.test");
    sa_groupconf_clear(&c);
}
END_TEST

/* A single value given twice, or "continued" on an indented line, was
 * silently replaced by the last one. */
START_TEST(a_single_value_given_twice_is_refused)
{
    static const char *texts[] = {
        "[domain]\nname = contoso.test\nname = evil.test\n",
        "[domain]\nname = contoso.test\n  evil.test\n",
        "[kerberos]\njobs = 4\njobs = 8\n",
        "[domain]\ntls = ldaps\ntls = none\n",
    };
    sa_groupconf c;
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(load(texts[_i], &c, &err), SA_ERR_USAGE);
    ck_assert_msg(strstr(err.message, ":3: ") != NULL && strstr(err.message, "is given twice") != NULL, "%s",
                  err.message);
    ck_assert_ptr_null(c.domain);
}
END_TEST

/* The first error is the one reported, with its own line. */
START_TEST(the_first_error_is_named)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(load("[domain]\nbogus = 1\n[kerberos]\njobs = many\n", &c, &err), SA_ERR_USAGE);
    ck_assert_msg(strstr(err.message, ":2: unknown key \"bogus\" in section [domain]") != NULL, "%s",
                  err.message);
}
END_TEST

START_TEST(bom_blanks_and_crlf)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(load("\xef\xbb\xbf[domain] ; the domain\r\n  name = contoso.test\r\n"
                          "servers: dc1.contoso.test,dc2.contoso.test\r\n",
                          &c, &err),
                     SA_OK);
    ck_assert_str_eq(c.domain, "contoso.test");
    ck_assert_uint_eq(c.dcs.n, 2);
    sa_groupconf_clear(&c);
}
END_TEST

static const struct {
    const char *text;
    size_t len;
    const char *says;
} malformed[] = {
    {"[domain]\nname = contoso.test\nname\n", 0, ":3: not a key = value line"},
    {"[domain]\n= contoso.test\n", 0, ":2: a value without a key"},
    {"[domain]\nservers = dc1.contoso.test\n  uri = ldap://evil.test\n", 0,
     ":3: an indented key = value line"},
    {"[domain] name = contoso.test\n", 0, ":1: text after the section's closing ]"},
    {"[domain\n", 0, ":1: a section without its closing ]"},
    {"[domain]\nname = contoso.test\0evil.test\n", 37, ":2: a NUL byte in the line"},
};

START_TEST(malformed_lines_are_named)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};
    size_t len = malformed[_i].len ? malformed[_i].len : strlen(malformed[_i].text);
    FILE *f;
    int fd;

    snprintf(path, sizeof(path), "/tmp/spnaudit-conf-XXXXXX");
    ck_assert_int_ge(fd = mkstemp(path), 0);
    ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
    ck_assert_uint_eq(fwrite(malformed[_i].text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(sa_groupconf_load(path, &c, &err), SA_ERR_USAGE);
    unlink(path);
    ck_assert_msg(strstr(err.message, malformed[_i].says) != NULL, "\"%s\" lacks \"%s\"", err.message,
                  malformed[_i].says);
}
END_TEST

/* A directory was read as an empty configuration, /dev/zero forever. */
START_TEST(only_a_regular_file_is_read)
{
    static const struct {
        const char *path, *says;
    } refused[] = {
        {"/tmp", "cannot read the configuration file /tmp: it is a directory, not a regular file"},
        {"/dev/zero",
         "cannot read the configuration file /dev/zero: it is a character device, not a regular file"},
        {"-", "cannot open the configuration file -: No such file or directory"}, /* not standard input */
    };
    sa_groupconf c;
    sa_error err = {SA_OK, ""};

    ck_assert_int_eq(sa_groupconf_load(refused[_i].path, &c, &err), SA_ERR_USAGE);
    ck_assert_str_eq(err.message, refused[_i].says);
    ck_assert_ptr_null(c.domain);
}
END_TEST

START_TEST(a_file_over_the_limit_is_refused)
{
    sa_groupconf c;
    sa_error err = {SA_OK, ""};
    char want[256];
    FILE *f;

    write_conf("[domain]\nname = contoso.test\n");
    ck_assert_ptr_nonnull(f = fopen(path, "a"));
    for (int i = 0; i < 16 * 1024 + 1; i++) /* a comment line of 64 bytes, 1 MB of them and one more */
        fprintf(f, "# %61s\n", "padding");
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(sa_groupconf_load(path, &c, &err), SA_ERR_USAGE);
    snprintf(want, sizeof(want), "%s is 1.1 MB, more than the 1 MB limit for a configuration file", path);
    unlink(path);
    ck_assert_str_eq(err.message, want);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("groupconf");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, reads_a_full_file);
    tcase_add_loop_test(tc, bad_files_name_the_line, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_loop_test(tc, unknown_names_say_what_is_wrong, 0, sizeof(unknown) / sizeof(unknown[0]));
    tcase_add_test(tc, missing_file);
    tcase_add_loop_test(tc, tickets_take_a_scope, 0, sizeof(ticket_values) / sizeof(ticket_values[0]));
    tcase_add_test(tc, identities);
    tcase_add_loop_test(tc, a_long_line_is_refused_never_split, 0, 4);
    tcase_add_test(tc, a_line_of_198_bytes_is_read);
    tcase_add_loop_test(tc, lines_are_read_as_libinih_reads_them, 0, 4);
    tcase_add_loop_test(tc, a_line_that_leaves_its_end_unread_is_refused, 0, 3);
    tcase_add_test(tc, a_long_list_goes_on_over_lines);
    tcase_add_loop_test(tc, a_single_value_given_twice_is_refused, 0, 4);
    tcase_add_test(tc, the_first_error_is_named);
    tcase_add_test(tc, bom_blanks_and_crlf);
    tcase_add_loop_test(tc, malformed_lines_are_named, 0, sizeof(malformed) / sizeof(malformed[0]));
    tcase_add_loop_test(tc, only_a_regular_file_is_read, 0, 3);
    tcase_add_test(tc, a_file_over_the_limit_is_refused);
    suite_add_tcase(s, tc);
    return check_run(s);
}
