/* fuzz_fixline.c - libFuzzer harness for fix lines (fix.c, fixline.c):
 * the input is an SPN and an account (split at the first NUL byte; no NUL:
 * the whole input is the SPN of CONTOSO\evil$), kept as the fix
 * "setspn -D SPN ACCOUNT".  For each shell a line is given only when no
 * value must be refused (fixline_split.c's oracle), and a line given
 * splits back, by the shell's rules (and for PowerShell, through the
 * command line it builds for setspn.exe), into exactly setspn -D SPN
 * ACCOUNT; abort() otherwise.  Run as
 *   build-fuzz/tests/fuzz/fuzz_fixline -max_total_time=300 NEWDIR tests/fuzz/corpus/fixline */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixline_split.h"
#include "spnaudit/display.h"
#include "spnaudit/fix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
broken(const char *what, sa_shell shell, const char *line)
{
    fprintf(stderr, "fix line invariant broken (%s): %s: %s\n", sa_shell_name(shell), what,
            line ? line : "(no line)");
    abort();
}

static bool
same_args(split_t got, int n, const char *program, const char *const *args, size_t n_args)
{
    if (n != (int)n_args + 1 || strcmp(got[0], program) != 0)
        return false;
    for (size_t i = 0; i < n_args; i++)
        if (strcmp(got[i + 1], args[i]) != 0)
            return false;
    return true;
}

/* line split back by shell's rules gives setspn and args. */
static void
check_line(const char *line, sa_shell shell, const char *const *args, size_t n)
{
    static split_t words, native;
    static char built[4 * MAX_SPLIT * ARG_MAX_LEN];
    int got;

    if (shell == SA_SHELL_CMD) {
        if (!cmd_safe(line))
            broken("cmd.exe would act on the line", shell, line);
        if (!same_args(words, crt_split(line, words), "setspn", args, n))
            broken("the line does not split back into its arguments", shell, line);
        return;
    }
    if (sa_show_escapes_char(line))
        broken("the line holds a character reports show escaped", shell, line);
    if (!same_args(words, got = ps_split(line, words), "setspn", args, n))
        broken("the line does not split back into its arguments", shell, line);
    for (int legacy = 0; legacy < 2; legacy++)
        if (!ps_native_line(words, got, legacy, built, sizeof(built)) ||
            !same_args(native, crt_split(built, native), "setspn.exe", args, n))
            broken(legacy ? "setspn.exe gets other arguments (Windows PowerShell 5.1)"
                          : "setspn.exe gets other arguments (PowerShell 7.3)",
                   shell, line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    char *spn = strndup((const char *)data, size), *account = NULL;
    sa_fix fix = {NULL, 0, 0, NULL};
    char *text = NULL;

    if (spn == NULL)
        goto out;
    account =
        nul ? strndup((const char *)nul + 1, size - (size_t)(nul - data) - 1) : strdup("CONTOSO\\evil$");
    if (account == NULL || strlen(spn) >= ARG_MAX_LEN - 8 || strlen(account) >= ARG_MAX_LEN - 8)
        goto out; /* the splitters' limit */
    const char *args[] = {"-D", spn, account};
    sa_fix_cmd cmd = {"setspn", {"-D", spn, account}, 3};
    if (!sa_fix_add(&fix, &cmd, 1))
        goto out;
    for (int sh = 0; sh < SA_SHELL_COUNT; sh++) {
        const char *why = NULL;
        char *line = sa_fix_command_line(&fix, 0, (sa_shell)sh, &why);
        bool refuse = must_refuse(spn, (sa_shell)sh) || must_refuse(account, (sa_shell)sh);

        if (line == NULL && why == NULL)
            goto out; /* out of memory */
        if (refuse && line != NULL)
            broken("a value that must be refused is written", (sa_shell)sh, line);
        if (!refuse && line == NULL)
            broken(why, (sa_shell)sh, NULL);
        if (line != NULL)
            check_line(line, (sa_shell)sh, args, 3);
        free(text);
        text = sa_fix_render(&fix, (sa_shell)sh);
        if (text != NULL &&
            (line != NULL ? strstr(text, line) == NULL : strncmp(text, "no command: ", 12) != 0))
            broken("the rendered fix is not the line, nor the refusal", (sa_shell)sh, text);
        free(line);
    }
out:
    free(text);
    sa_fix_clear(&fix);
    free(spn);
    free(account);
    return 0;
}
