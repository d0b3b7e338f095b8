/* Unit tests: fix lines rendered for cmd.exe split back into exactly the
 * intended arguments, or are refused; the analysis never writes a directory
 * value raw into a fix line. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/analysis.h"
#include "spnaudit/fixline.h"

#define MAX_SPLIT 16

/* cmd.exe's view of a line: no % or ! anywhere (they expand in any
 * quoting), no control or non-ASCII byte, and no & | < > ^ ( ) outside
 * double quotes (cmd.exe toggles its quoting at every ", backslash or not). */
static bool
cmd_safe(const char *line)
{
    bool quoted = false;

    for (const unsigned char *p = (const unsigned char *)line; *p != '\0'; p++) {
        if (*p == '%' || *p == '!' || *p < 0x20 || *p >= 0x7f)
            return false;
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && strchr("&|<>^()", *p) != NULL)
            return false;
    }
    return !quoted;
}

/* The Microsoft C runtime's argv rules: space and tab separate arguments
 * outside quotes; 2n backslashes before a " are n backslashes and the "
 * toggles quoting, 2n+1 are n and a literal "; other backslashes are
 * literal; "" inside quotes is a literal ".  Returns the count, or -1. */
static int
crt_split(const char *line, char out[][256], int max)
{
    int n = 0;
    const char *p = line;

    while (*p != '\0') {
        size_t len = 0;
        bool quoted = false;

        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        if (n == max)
            return -1;
        while (*p != '\0' && (quoted || (*p != ' ' && *p != '\t'))) {
            size_t bs = 0;
            while (p[bs] == '\\')
                bs++;
            if (p[bs] == '"') {
                for (size_t k = 0; k < bs / 2 && len < 255; k++)
                    out[n][len++] = '\\';
                p += bs;
                if (bs % 2 == 1) {
                    out[n][len++] = '"';
                    p++;
                } else if (quoted && p[1] == '"') {
                    out[n][len++] = '"';
                    p += 2;
                } else {
                    quoted = !quoted;
                    p++;
                }
            } else if (bs > 0) {
                for (size_t k = 0; k < bs && len < 255; k++)
                    out[n][len++] = '\\';
                p += bs;
            } else {
                out[n][len++] = *p++;
            }
            if (len >= 255)
                return -1;
        }
        out[n++][len] = '\0';
    }
    return n;
}

/* Should the renderer refuse text (as a value, or as an option)? */
static bool
must_refuse(const char *text, bool option)
{
    if (!option && (text[0] == '-' || text[0] == '/'))
        return true;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        if (*p == '"' || *p == '%' || *p == '!' || *p < 0x20 || *p >= 0x7f)
            return true;
    return false;
}

/* Render program + args and check the line: cmd.exe-safe and split back
 * into program's words and exactly args; or refused, when it must be. */
static void
check_cmd(const sa_fix_cmd *cmd)
{
    char split[MAX_SPLIT][256], words[MAX_SPLIT][256];
    const char *why = NULL;
    char *line = sa_fix_render(cmd, &why);
    bool refuse = false;
    int n, n_words;

    for (size_t i = 0; i < cmd->n; i++)
        refuse |= must_refuse(cmd->args[i].text, (cmd->args[i].flags & SA_FIX_OPTION) != 0);
    if (refuse) {
        ck_assert_msg(line == NULL, "rendered an unsafe argument: %s", line ? line : "");
        ck_assert_ptr_nonnull(why);
        return;
    }
    ck_assert_msg(line != NULL, "refused a safe argument (%s)", why ? why : "out of memory");
    ck_assert_msg(cmd_safe(line), "not safe for cmd.exe: %s", line);
    n = crt_split(line, split, MAX_SPLIT);
    n_words = crt_split(cmd->program, words, MAX_SPLIT);
    ck_assert_int_eq(n, n_words + (int)cmd->n);
    for (int i = 0; i < n_words; i++)
        ck_assert_str_eq(split[i], words[i]);
    for (size_t i = 0; i < cmd->n; i++)
        ck_assert_msg(strcmp(split[n_words + (int)i], cmd->args[i].text) == 0,
                      "%s: argument %zu is [%s], not [%s]", line, i, split[n_words + (int)i],
                      cmd->args[i].text);
    free(line);
}

static void
check_arg(const char *text, unsigned flags)
{
    check_cmd(&(sa_fix_cmd){"setspn -D", {{text, flags}, {"CONTOSO\\x$", 0}}, 2, NULL});
    check_cmd(&(sa_fix_cmd){"setspn -D", {{"MSOMHSvc/a", 0}, {text, flags}}, 2, NULL});
}

/* Every byte 0x01-0xff alone, first, inside, last, quoted or not. */
START_TEST(every_byte)
{
    for (int b = 1; b < 256; b++) {
        char one[2] = {(char)b, 0}, first[8] = {(char)b, 'a', 'b', 0}, mid[8] = {'a', (char)b, 'b', 0},
             last[8] = {'a', 'b', (char)b, 0}, spaced[8] = {'a', ' ', (char)b, 0};
        const char *forms[] = {one, first, mid, last, spaced};
        for (size_t k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
            check_arg(forms[k], 0);
            check_arg(forms[k], SA_FIX_QUOTE);
            check_arg(forms[k], SA_FIX_OPTION);
        }
    }
}
END_TEST

/* Character classes and their mixes: backslash runs (the runtime's rule
 * before a quote), spaces, metacharacters, the empty argument. */
START_TEST(character_classes)
{
    static const char *const parts[] = {"",  "a", "\\", "\\\\", " ",  "\t", "&",    "|",        "<", ">",
                                        "^", "(", ")",  "\"",   "%",  "!",  "=",    ",",        ";", "$",
                                        "@", ":", "/",  "-",    "\n", "\r", "\x1b", "\xc3\xa9", "'", "`",
                                        "*", "?", "~",  "#",    "{",  "[",  ".",    "_"};
    size_t np = sizeof(parts) / sizeof(parts[0]);
    char text[64];

    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j < np; j++)
            for (size_t k = 0; k < np; k++) {
                snprintf(text, sizeof(text), "%s%s%s", parts[i], parts[j], parts[k]);
                check_arg(text, 0);
                check_arg(text, SA_FIX_QUOTE);
            }
}
END_TEST

START_TEST(random_values)
{
    char text[24];
    unsigned seed = 12345;

    for (int round = 0; round < 200000; round++) {
        size_t len = (size_t)(rand_r(&seed) % 20);
        for (size_t i = 0; i < len; i++)
            text[i] = (char)(1 + rand_r(&seed) % (round % 2 ? 126 : 255));
        text[len] = '\0';
        check_arg(text, (unsigned)(round % 3 == 0 ? SA_FIX_QUOTE : 0));
    }
}
END_TEST

/* Ordinary values as the fix lines always wrote them. */
START_TEST(ordinary_lines_unchanged)
{
    const char *why;
    char *line;

    line = sa_fix_render(&(sa_fix_cmd){"setspn -S", {{"MSOMHSvc/GW02", 0}, {"FABRIKAM\\gw02$", 0}}, 2, NULL},
                         &why);
    ck_assert_str_eq(line, "setspn -S MSOMHSvc/GW02 FABRIKAM\\gw02$");
    free(line);
    line = sa_fix_render(&(sa_fix_cmd){"dsacls",
                                       {{"CN=ms03,CN=Computers,DC=contoso,DC=test", SA_FIX_QUOTE},
                                        {"/G", SA_FIX_OPTION},
                                        {"SELF:WS;Validated write to service principal name", 0}},
                                       3,
                                       NULL},
                         &why);
    ck_assert_str_eq(line,
                     "dsacls \"CN=ms03,CN=Computers,DC=contoso,DC=test\" /G \"SELF:WS;Validated write to "
                     "service principal name\"");
    free(line);
    /* quoted where cmd.exe would act, trailing backslashes doubled */
    line = sa_fix_render(&(sa_fix_cmd){"setspn -D", {{"MSOMHSvc/evil8&calc.exe", 0}, {"a b\\", 0}}, 2, NULL},
                         &why);
    ck_assert_str_eq(line, "setspn -D \"MSOMHSvc/evil8&calc.exe\" \"a b\\\\\"");
    free(line);
    ck_assert_ptr_null(
        sa_fix_render(&(sa_fix_cmd){"setspn -D", {{"MSOMHSvc/x\" & calc.exe & \"", 0}}, 1, NULL}, &why));
    ck_assert_ptr_nonnull(strstr(why, "double quote"));
    ck_assert_ptr_null(sa_fix_render(&(sa_fix_cmd){"setspn -D", {{"MSOMHSvc/%COMSPEC%", 0}}, 1, NULL}, &why));
    ck_assert_ptr_nonnull(strstr(why, "%"));
}
END_TEST

/* The analysis: hostile SPNs on a user account and on a stale holder. */
static const char *const hostile[] = {"MSOMHSvc/evil8&calc.exe", "MSOMHSvc/x\" & calc.exe & \"",
                                      "MSOMHSvc/%COMSPEC%", "MSOMHSvc/a\nb", "MSOMHSvc/a!b!"};

/* Every line of fix is a cmd.exe-safe setspn/dsacls line whose arguments
 * include spn, or the fix gives no command and says why. */
static void
check_fix(const char *fix, const char *spn)
{
    char *copy = strdup(fix), *save = NULL, split[MAX_SPLIT][256];
    bool named = false;

    ck_assert_ptr_nonnull(copy);
    if (strncmp(fix, "no command: ", 12) == 0) {
        ck_assert_ptr_null(strstr(fix, spn));
        ck_assert_ptr_null(strchr(fix, '\n'));
        free(copy);
        return;
    }
    for (char *line = strtok_r(copy, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '(')
            continue; /* the tool's own note */
        ck_assert_msg(cmd_safe(line), "unsafe fix line: %s", line);
        int n = crt_split(line, split, MAX_SPLIT);
        for (int i = 0; i < n; i++)
            named |= strcmp(split[i], spn) == 0;
    }
    ck_assert_msg(named, "no fix line names %s: %s", spn, fix);
    free(copy);
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
        if (out.items[i].fix == NULL || strcmp(out.items[i].subject, spn) != 0)
            continue;
        check_fix(out.items[i].fix, spn);
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
    static const char *const stale[] = {"MSOMHSvc/gone&calc.exe", "MSOMHSvc/gone\" & calc.exe & \"",
                                        "MSOMHSvc/%COMSPEC%", "MSOMHSvc/gone\ncalc.exe", "MSOMHSvc/gone!x!"};
    sa_accounts accounts = {0};

    add_account(&accounts, "LEGACY01$", "legacy01.contoso.com", SA_ACCT_COMPUTER, stale[_i]);
    check_findings_of(&accounts, strchr(stale[_i], '/') + 1, NULL, stale[_i]);
}
END_TEST

/* A hostile sAMAccountName: the account in the fix line is quoted or refused too. */
START_TEST(hostile_account_name)
{
    sa_accounts accounts = {0};
    sa_findings out = {0};
    sa_strv checked = {NULL, 0, 0};
    const sa_finding *f = NULL;

    add_account(&accounts, "LEGACY01$", "legacy01.contoso.com", SA_ACCT_COMPUTER,
                "MSOMHSvc/gone.contoso.com");
    add_account(&accounts, "evil&calc", NULL, SA_ACCT_USER, "MSOMHSvc/gone.contoso.com");
    ck_assert(sa_strv_add(&checked, "gone.contoso.com"));
    analyse_one(&accounts, &checked, NULL, &out);
    for (size_t i = 0; i < out.n; i++)
        if (strcmp(out.items[i].code, "SPN_DUPLICATE") == 0)
            f = &out.items[i];
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->fix, "setspn -D MSOMHSvc/gone.contoso.com CONTOSO\\LEGACY01$\n"
                             "setspn -D MSOMHSvc/gone.contoso.com \"CONTOSO\\evil&calc\"");
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

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_byte);
    tcase_add_test(tc, character_classes);
    tcase_add_test(tc, random_values);
    tcase_add_test(tc, ordinary_lines_unchanged);
    tcase_add_loop_test(ta, hostile_spn_on_user_account, 0, (int)(sizeof(hostile) / sizeof(hostile[0])));
    tcase_add_loop_test(ta, hostile_spn_on_stale_holder, 0, 5);
    tcase_add_test(ta, hostile_account_name);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, ta);
    return check_run(s);
}
