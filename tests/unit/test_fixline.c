/* Unit tests: fix commands written for cmd.exe and for PowerShell split
 * back into exactly the intended arguments, by splitters written from
 * the documented rules (tests/fuzz/fixline_split.c), or are refused; the
 * analysis keeps fixes as data and never writes a directory value raw into
 * a line. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "fuzz/fixline_split.h"
#include "spnaudit/analysis.h"
#include "spnaudit/display.h"
#include "spnaudit/fixline.h"

/* ------------------------------------------------------------ checks */

static void
assert_args(split_t got, int n, const char *program, const char *const *args, size_t n_args, const char *line)
{
    ck_assert_msg(n == (int)n_args + 1, "%s: %d words, not %zu", line, n, n_args + 1);
    ck_assert_str_eq(got[0], program);
    for (size_t i = 0; i < n_args; i++)
        ck_assert_msg(strcmp(got[i + 1], args[i]) == 0, "%s: argument %zu is [%s], not [%s]", line, i,
                      got[i + 1], args[i]);
}

/* The line split back, by shell's rules, into program and args. */
static void
check_line(const char *line, sa_shell shell, const char *program, const char *const *args, size_t n)
{
    split_t words, native;
    char built[4 * MAX_SPLIT * ARG_MAX_LEN];
    int got;

    if (shell == SA_SHELL_CMD) {
        ck_assert_msg(cmd_safe(line), "not safe for cmd.exe: %s", line);
        assert_args(words, crt_split(line, words), program, args, n, line);
        return;
    }
    ck_assert_msg(!sa_show_escapes_char(line), "shown escaped: %s", line);
    assert_args(words, got = ps_split(line, words), program, args, n, line);
    for (int legacy = 0; legacy < 2; legacy++) {
        ck_assert(ps_native_line(words, got, legacy, built, sizeof(built)));
        assert_args(native, crt_split(built, native), "setspn.exe", args, n, built);
    }
}

/* program with args, for both shells: split back exactly, or refused
 * when a value must be (values: every argument but the option at opt). */
static void
check_command(const char *program, const char *const *args, size_t n, size_t opt)
{
    for (int sh = 0; sh < SA_SHELL_COUNT; sh++) {
        const char *why = NULL;
        char *line = sa_fix_line(program, args, n, (sa_shell)sh, &why);
        bool refuse = false;

        for (size_t i = 0; i < n; i++)
            refuse |= i != opt && must_refuse(args[i], (sa_shell)sh);
        if (refuse) {
            ck_assert_msg(line == NULL, "%s: rendered an unsafe value: %s", sa_shell_name((sa_shell)sh),
                          line);
            ck_assert_ptr_nonnull(why);
            continue;
        }
        ck_assert_msg(line != NULL, "%s refused [%s] [%s]: %s", sa_shell_name((sa_shell)sh), args[1],
                      n > 2 ? args[2] : "", why ? why : "out of memory");
        check_line(line, (sa_shell)sh, program, args, n);
        free(line);
    }
}

/* v as an SPN to remove (the commonest form). */
static void
check_spn(const char *v)
{
    check_command("setspn", (const char *[]){"-D", v, "CONTOSO\\x$"}, 3, 0);
}

/* v in every place a value takes. */
static void
check_value(const char *v)
{
    check_command("setspn", (const char *[]){"-D", v, "CONTOSO\\x$"}, 3, 0);
    check_command("setspn", (const char *[]){"-S", "MSOMHSvc/a", v}, 3, 0);
    check_command("dsacls", (const char *[]){v, "/G", "SELF:WS;Validated write to service principal name"}, 3,
                  1);
    check_command("certutil", (const char *[]){"-dstemplate", v, "msPKI-Private-Key-Flag", "+0x00000010"}, 4,
                  0);
}

/* Every byte 0x01-0x7f alone, first, inside, last, beside a space. */
START_TEST(every_ascii_byte)
{
    for (int b = 1; b < 0x80; b++) {
        char one[2] = {(char)b, 0}, first[8] = {(char)b, 'a', 'b', 0}, mid[8] = {'a', (char)b, 'b', 0},
             last[8] = {'a', 'b', (char)b, 0}, spaced[8] = {'a', ' ', (char)b, 0};
        const char *forms[] = {one, first, mid, last, spaced};
        for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++)
            check_value(forms[k]);
    }
}
END_TEST

/* Character classes and their mixes: backslash runs (the runtime's rule
 * before a quote), spaces, metacharacters, quotes of both shells,
 * non-ASCII, invisible and direction-changing characters, the empty
 * value, invalid UTF-8. */
static const char *const parts[] = {
    "",
    "a",
    "\\",
    "\\\\",
    " ",
    "\t",
    "&",
    "|",
    "<",
    ">",
    "^",
    "(",
    ")",
    "\"",
    "%",
    "!",
    "=",
    ",",
    ";",
    "$",
    "@",
    ":",
    "/",
    "-",
    "\n",
    "\r",
    "\x1b",
    "'",
    "`",
    "{",
    "}",
    "#",
    "*",
    "?",
    ".",
    "\xc3\xa9",
    "\xe2\x80\x98",
    "\xe2\x80\x99",
    "\xe2\x80\x9a",
    "\xe2\x80\x9b",
    "\xe2\x80\x9c",
    "\xe2\x80\x9d",
    "\xe2\x80\x9e",
    "\xe2\x80\x8b",
    "\xe2\x80\xae",
    "\xc2\xa0",
    "\xc2\x85",
    "\xff",
    "--%",
};

START_TEST(character_classes)
{
    size_t np = sizeof(parts) / sizeof(parts[0]);
    char text[64];

    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j < np; j++)
            for (size_t k = 0; k < np; k++) {
                snprintf(text, sizeof(text), "%s%s%s", parts[i], parts[j], parts[k]);
                check_spn(text);
            }
}
END_TEST

START_TEST(random_values)
{
    char text[24];
    unsigned seed = 12345;

    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)(rand_r(&seed) % 20);
        for (size_t i = 0; i < len; i++)
            text[i] = (char)(1 + rand_r(&seed) % (round % 2 ? 126 : 255));
        text[len] = '\0';
        check_spn(text);
    }
}
END_TEST

static char *
line_of(const char *program, const char *const *args, size_t n, sa_shell shell, const char **why)
{
    return sa_fix_line(program, args, n, shell, why);
}

/* Ordinary values as the fix lines always wrote them for cmd.exe, and as
 * PowerShell gets them. */
START_TEST(ordinary_lines)
{
    static const char *const dsacls[] = {"CN=ms03,CN=Computers,DC=contoso,DC=test", "/G",
                                         "SELF:WS;Validated write to service principal name"};
    const char *why;
    char *line;

    line =
        line_of("setspn", (const char *[]){"-S", "MSOMHSvc/GW02", "FABRIKAM\\gw02$"}, 3, SA_SHELL_CMD, &why);
    ck_assert_str_eq(line, "setspn -S MSOMHSvc/GW02 FABRIKAM\\gw02$");
    free(line);
    line = line_of("setspn", (const char *[]){"-S", "MSOMHSvc/GW02", "FABRIKAM\\gw02$"}, 3,
                   SA_SHELL_POWERSHELL, &why);
    ck_assert_str_eq(line, "setspn -S 'MSOMHSvc/GW02' 'FABRIKAM\\gw02$'");
    free(line);
    line = line_of("dsacls", dsacls, 3, SA_SHELL_CMD, &why);
    ck_assert_str_eq(line,
                     "dsacls \"CN=ms03,CN=Computers,DC=contoso,DC=test\" /G \"SELF:WS;Validated write to "
                     "service principal name\"");
    free(line);
    line = line_of("dsacls", dsacls, 3, SA_SHELL_POWERSHELL, &why);
    ck_assert_str_eq(line, "dsacls 'CN=ms03,CN=Computers,DC=contoso,DC=test' /G 'SELF:WS;Validated write to "
                           "service principal name'");
    free(line);
}
END_TEST

/* The values of issue reports: & chains commands in cmd.exe, a " breaks
 * out of its quotes, % expands; PowerShell takes them in single quotes. */
START_TEST(hostile_lines)
{
    const char *why;
    char *line;

    line =
        line_of("setspn", (const char *[]){"-D", "MSOMHSvc/evil8&calc.exe", "a b\\"}, 3, SA_SHELL_CMD, &why);
    ck_assert_str_eq(line, "setspn -D \"MSOMHSvc/evil8&calc.exe\" \"a b\\\\\"");
    free(line);
    ck_assert_ptr_null(line_of("setspn", (const char *[]){"-D", "MSOMHSvc/evil8&calc.exe", "a b\\"}, 3,
                               SA_SHELL_POWERSHELL, &why));
    ck_assert_ptr_nonnull(strstr(why, "backslash"));
    line = line_of("setspn", (const char *[]){"-D", "MSOMHSvc/it's;calc", "%x%$(y)"}, 3, SA_SHELL_POWERSHELL,
                   &why);
    ck_assert_str_eq(line, "setspn -D 'MSOMHSvc/it''s;calc' '%x%$(y)'");
    free(line);
    ck_assert_ptr_null(
        line_of("setspn", (const char *[]){"-D", "MSOMHSvc/x\" & calc.exe & \""}, 2, SA_SHELL_CMD, &why));
    ck_assert_ptr_nonnull(strstr(why, "double quote"));
    ck_assert_ptr_null(line_of("setspn", (const char *[]){"-D", "MSOMHSvc/x\" & calc.exe & \""}, 2,
                               SA_SHELL_POWERSHELL, &why));
    ck_assert_ptr_null(
        line_of("setspn", (const char *[]){"-D", "MSOMHSvc/%COMSPEC%"}, 2, SA_SHELL_CMD, &why));
    ck_assert_ptr_nonnull(strstr(why, "%"));
    /* a typographic quote would close PowerShell's string */
    ck_assert_ptr_null(line_of("setspn", (const char *[]){"-D", "MSOMHSvc/x\xe2\x80\x99; calc"}, 2,
                               SA_SHELL_POWERSHELL, &why));
    ck_assert_ptr_nonnull(strstr(why, "typographic"));
    /* zero-width and right-to-left override: they would not paste as shown */
    ck_assert_ptr_null(
        line_of("setspn", (const char *[]){"-D", "MSOMHSvc/a\xe2\x80\x8b"}, 2, SA_SHELL_POWERSHELL, &why));
    ck_assert_ptr_null(
        line_of("setspn", (const char *[]){"-D", "MSOMHSvc/a\xe2\x80\xae"}, 2, SA_SHELL_POWERSHELL, &why));
    line =
        line_of("setspn", (const char *[]){"-D", "MSOMHSvc/\xc3\xa9t\xc3\xa9"}, 2, SA_SHELL_POWERSHELL, &why);
    ck_assert_str_eq(line, "setspn -D 'MSOMHSvc/\xc3\xa9t\xc3\xa9'");
    free(line);
}
END_TEST

/* Only the tool's commands: setspn -D/-S, dsacls /G, certutil -dstemplate; no value in an
 * option's place and no option in a value's. */
START_TEST(only_the_tools_commands)
{
    const char *why;

    for (int sh = 0; sh < SA_SHELL_COUNT; sh++) {
        ck_assert_ptr_null(line_of("format", (const char *[]){"-D", "c:"}, 2, (sa_shell)sh, &why));
        ck_assert_ptr_nonnull(why);
        ck_assert_ptr_null(line_of("setspn", (const char *[]){"-X", "a", "b"}, 3, (sa_shell)sh, &why));
        ck_assert_ptr_null(
            line_of("setspn", (const char *[]){"MSOMHSvc/a", "-D", "b"}, 3, (sa_shell)sh, &why));
        ck_assert_ptr_null(line_of("setspn", (const char *[]){"-D", "-S", "b"}, 3, (sa_shell)sh, &why));
        ck_assert_ptr_null(
            line_of("setspn", (const char *[]){"-D", "MSOMHSvc/a", "--%"}, 3, (sa_shell)sh, &why));
        ck_assert_ptr_null(line_of("dsacls", (const char *[]){"/G", "CN=x", "y"}, 3, (sa_shell)sh, &why));
        ck_assert_ptr_null(
            line_of("certutil", (const char *[]){"-delstore", "my", "1"}, 3, (sa_shell)sh, &why));
        ck_assert_ptr_null(
            line_of("certutil", (const char *[]){"OpsMgr", "-dstemplate", "a", "b"}, 4, (sa_shell)sh, &why));
        ck_assert_ptr_null(
            line_of("certutil", (const char *[]){"-dstemplate", "-f", "a", "b"}, 4, (sa_shell)sh, &why));
        ck_assert_ptr_null(line_of("setspn", (const char *[]){NULL}, 0, (sa_shell)sh, &why));
    }
}
END_TEST

/* ------------------------------------------------------------ analysis */

static const char *const hostile[] = {"MSOMHSvc/evil8&calc.exe", "MSOMHSvc/x\" & calc.exe & \"",
                                      "MSOMHSvc/%COMSPEC%",      "MSOMHSvc/a\nb",
                                      "MSOMHSvc/a!b!",           "MSOMHSvc/it's\xe2\x80\x99;calc",
                                      "MSOMHSvc/a\xe2\x80\xae",  "MSOMHSvc/x'$(calc)'"};
#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* The fix names spn among its commands' arguments; for each shell, every
 * command line splits back into its command, or the shell's text gives no
 * command and says why, without the value. */
static void
check_fix(const sa_fix *fix, const char *spn)
{
    bool named = false, lists_only = true; /* setspn -L of the holder (SPN_VALUE_SUSPICIOUS) */

    for (size_t i = 0; i < fix->n; i++) {
        lists_only &= fix->commands[i].n > 0 && strcmp(fix->commands[i].args[0], "-L") == 0;
        for (size_t k = 0; k < fix->commands[i].n; k++)
            named |= strcmp(fix->commands[i].args[k], spn) == 0;
    }
    ck_assert_msg(named || lists_only, "no command of the fix names %s", spn);
    for (int sh = 0; sh < SA_SHELL_COUNT; sh++) {
        char *text = sa_fix_render(fix, (sa_shell)sh);
        ck_assert_ptr_nonnull(text);
        if (sa_fix_unsafe(fix, (sa_shell)sh) != NULL) {
            ck_assert_msg(strncmp(text, "no command: ", 12) == 0, "%s", text);
            ck_assert_ptr_null(strstr(text, spn));
            ck_assert_ptr_null(strchr(text, '\n'));
        }
        for (size_t i = 0; sa_fix_unsafe(fix, (sa_shell)sh) == NULL && i < fix->n; i++) {
            const sa_fix_command *c = &fix->commands[i];
            const char *why = NULL;
            char *line = sa_fix_command_line(fix, i, (sa_shell)sh, &why);
            ck_assert_ptr_nonnull(line);
            ck_assert_ptr_nonnull(strstr(text, line));
            check_line(line, (sa_shell)sh, c->program, (const char *const *)c->args, c->n);
            free(line);
        }
        free(text);
    }
}

static void
analyse_one(sa_accounts *accounts, sa_strv *checked, const char *server, sa_findings *out)
{
    sa_server *servers = NULL;
    sa_analysis_input in;
    sa_error err = {SA_OK, ""};

    memset(&in, 0, sizeof(in));
    if (server != NULL)
        ck_assert(sa_servers_match(accounts, &server, 1, &servers));
    in.accounts = accounts;
    in.servers = servers;
    in.n_servers = server != NULL;
    in.hosts_checked = checked;
    in.netbios_domain = "CONTOSO";
    in.health_service_local_system = true;
    ck_assert_int_eq(sa_analyse(&in, out, &err), SA_OK);
    free(servers);
}

static sa_account *
add_account(sa_accounts *accounts, const char *sam, const char *dns, sa_account_kind kind, const char *spn)
{
    sa_account *a = sa_accounts_add(accounts);

    ck_assert_ptr_nonnull(a);
    a->dn = sa_strdup_printf("CN=%s,CN=Computers,DC=contoso,DC=com", sam);
    a->sam = strdup(sam);
    a->dns_host = dns ? strdup(dns) : NULL;
    a->kind = kind;
    a->has_uac = true;
    a->uac = kind == SA_ACCT_USER ? 0x200 : 0x1000;
    ck_assert(spn == NULL || sa_strv_add(&a->spns, spn));
    return a;
}

/* Analyse accounts (with the server, if any) and check the fix of every
 * finding about spn. */
static void
check_findings_of(sa_accounts *accounts, const char *checked_host, const char *server, const char *spn)
{
    sa_findings out = {0};
    sa_strv checked = {NULL, 0, 0};
    bool seen = false;

    ck_assert(sa_strv_add(&checked, checked_host));
    analyse_one(accounts, &checked, server, &out);
    for (size_t i = 0; i < out.n; i++) {
        if (out.items[i].fix.n == 0 || strcmp(out.items[i].subject, spn) != 0)
            continue;
        check_fix(&out.items[i].fix, spn);
        seen = true;
    }
    ck_assert_msg(seen, "no finding with a fix for %s", spn);
    sa_findings_clear(&out);
    sa_accounts_clear(accounts);
    sa_strv_clear(&checked);
}

START_TEST(hostile_spn_on_user_account)
{
    sa_accounts accounts = {0};

    add_account(&accounts, "MS05$", "ms05.contoso.com", SA_ACCT_COMPUTER, NULL);
    add_account(&accounts, "svc-ms05", NULL, SA_ACCT_USER, hostile[_i]);
    check_findings_of(&accounts, "ms05.contoso.com", "ms05.contoso.com", hostile[_i]);
}
END_TEST

START_TEST(hostile_spn_on_stale_holder)
{
    char spn[64];
    sa_accounts accounts = {0};

    snprintf(spn, sizeof(spn), "MSOMHSvc/gone%s", strchr(hostile[_i], '/') + 1);
    add_account(&accounts, "LEGACY01$", "legacy01.contoso.com", SA_ACCT_COMPUTER, spn);
    check_findings_of(&accounts, strchr(spn, '/') + 1, NULL, spn);
}
END_TEST

/* A hostile sAMAccountName: the account in the fix line is quoted for
 * both shells. */
START_TEST(hostile_account_name)
{
    sa_accounts accounts = {0};
    sa_findings out = {0};
    sa_strv checked = {NULL, 0, 0};
    const sa_finding *f = NULL;
    char *text;

    add_account(&accounts, "LEGACY01$", "legacy01.contoso.com", SA_ACCT_COMPUTER,
                "MSOMHSvc/gone.contoso.com");
    add_account(&accounts, "evil&calc", NULL, SA_ACCT_USER, "MSOMHSvc/gone.contoso.com");
    ck_assert(sa_strv_add(&checked, "gone.contoso.com"));
    analyse_one(&accounts, &checked, NULL, &out);
    for (size_t i = 0; i < out.n; i++)
        if (strcmp(out.items[i].code, "SPN_DUPLICATE") == 0)
            f = &out.items[i];
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->fix.n, 2);
    ck_assert_str_eq(f->fix.commands[1].args[2], "CONTOSO\\evil&calc");
    text = sa_fix_render(&f->fix, SA_SHELL_CMD);
    ck_assert_str_eq(text, "setspn -D MSOMHSvc/gone.contoso.com CONTOSO\\LEGACY01$\n"
                           "setspn -D MSOMHSvc/gone.contoso.com \"CONTOSO\\evil&calc\"");
    free(text);
    text = sa_fix_render(&f->fix, SA_SHELL_POWERSHELL);
    ck_assert_str_eq(text, "setspn -D 'MSOMHSvc/gone.contoso.com' 'CONTOSO\\LEGACY01$'\n"
                           "setspn -D 'MSOMHSvc/gone.contoso.com' 'CONTOSO\\evil&calc'");
    free(text);
    sa_findings_clear(&out);
    sa_accounts_clear(&accounts);
    sa_strv_clear(&checked);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("fixline");
    TCase *tc = tcase_create("render");
    TCase *ta = tcase_create("analysis");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_ascii_byte);
    tcase_add_test(tc, character_classes);
    tcase_add_test(tc, random_values);
    tcase_add_test(tc, ordinary_lines);
    tcase_add_test(tc, hostile_lines);
    tcase_add_test(tc, only_the_tools_commands);
    tcase_add_loop_test(ta, hostile_spn_on_user_account, 0, (int)N_HOSTILE);
    tcase_add_loop_test(ta, hostile_spn_on_stale_holder, 0, (int)N_HOSTILE);
    tcase_add_test(ta, hostile_account_name);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, ta);
    return check_run(s);
}
