/* fixline.c - one fix command written for cmd.exe or PowerShell (the rules
 * are in spnaudit/fixline.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/display.h"
#include "spnaudit/fixline.h"
#include "spnaudit/strv.h"

static const char *const shell_names[SA_SHELL_COUNT] = {"cmd.exe", "PowerShell"};
static const char *const shell_keys[SA_SHELL_COUNT] = {"cmd", "powershell"};

const char *
sa_shell_name(sa_shell shell)
{
    return shell < SA_SHELL_COUNT ? shell_names[shell] : "?";
}

const char *
sa_shell_key(sa_shell shell)
{
    return shell < SA_SHELL_COUNT ? shell_keys[shell] : "?";
}

bool
sa_shell_parse(const char *key, sa_shell *shell)
{
    for (int i = 0; i < SA_SHELL_COUNT; i++) {
        if (strcasecmp(key, shell_keys[i]) == 0) {
            *shell = (sa_shell)i;
            return true;
        }
    }
    return false;
}

/* The programs the tool writes, and where their option is. */
static const struct program {
    const char *name;
    size_t option_at;
    const char *options[4];
} programs[] = {
    {"setspn", 0, {"-D", "-S", "-L", NULL}},
    {"dsacls", 1, {"/G", NULL, NULL, NULL}},
    {"certutil", 0, {"-dstemplate", NULL, NULL, NULL}},
};

static const struct program *
find_program(const char *name)
{
    for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
        if (strcmp(programs[i].name, name) == 0)
            return &programs[i];
    }
    return NULL;
}

static bool
is_option(const struct program *p, const char *const *args, size_t n)
{
    size_t slots = sizeof(p->options) / sizeof(p->options[0]);

    for (size_t k = 0; p->option_at < n && k < slots && p->options[k] != NULL; k++) {
        if (strcmp(args[p->option_at], p->options[k]) == 0)
            return true;
    }
    return false;
}

/* What neither shell can carry; NULL when none. */
static const char *
value_unsafe(const char *text)
{
    if (text[0] == '-' || text[0] == '/')
        return "begins with - or /, which setspn, dsacls and certutil take as an option";
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return "contains a control character or a line break";
    }
    if (sa_show_escapes_char(text))
        return "contains bytes that are not valid UTF-8 or characters shown escaped, which would not paste "
               "as shown";
    return NULL;
}

static const char *
cmd_unsafe(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p == '%')
            return "contains %, which cmd.exe expands even inside quotes";
        if (*p == '!')
            return "contains !, which cmd.exe expands when delayed expansion is on";
        if (*p == '"')
            return "contains a double quote, which cannot be escaped safely for cmd.exe";
        if (*p > 0x7f)
            return "contains non-ASCII characters, which cmd.exe reads by the console's code page";
    }
    return NULL;
}

/* U+2018-U+201E, in UTF-8 E2 80 98-9E. */
static bool
has_typographic_quote(const char *text)
{
    for (const char *p = strstr(text, "\xe2\x80"); p != NULL; p = strstr(p + 1, "\xe2\x80")) {
        if ((unsigned char)p[2] >= 0x98 && (unsigned char)p[2] <= 0x9e)
            return true;
    }
    return false;
}

static const char *
powershell_unsafe(const char *text)
{
    size_t len = strlen(text);

    if (len == 0)
        return "is empty, which Windows PowerShell does not pass to a program";
    if (strchr(text, '"') != NULL)
        return "contains a double quote, which Windows PowerShell passes to a program unescaped";
    if (text[len - 1] == '\\')
        return "ends with a backslash, which Windows PowerShell passes as an escaped quote when it quotes "
               "the value";
    if (has_typographic_quote(text))
        return "contains a typographic quote (U+2018-U+201E), which PowerShell reads as a quote";
    return NULL;
}

const char *
sa_fix_line_unsafe(const char *program, const char *const *args, size_t n, sa_shell shell)
{
    const struct program *p = find_program(program);
    const char *why = NULL;

    if (p == NULL || !is_option(p, args, n))
        return "is not a command spnaudit writes (setspn -D, -S or -L, dsacls /G, certutil -dstemplate)";
    for (size_t i = 0; i < n && why == NULL; i++) {
        if (i == p->option_at)
            continue;
        if ((why = value_unsafe(args[i])) == NULL)
            why = shell == SA_SHELL_CMD ? cmd_unsafe(args[i]) : powershell_unsafe(args[i]);
    }
    return why;
}

static bool
cmd_plain(const char *text)
{
    if (*text == '\0')
        return false;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("._-/\\$:@", *p) != NULL))
            return false;
    }
    return true;
}

/* Appends text for cmd.exe: as is, or quoted with its trailing
 * backslashes doubled (2n before the closing quote read as n). */
static char *
put_cmd(char *out, const char *text)
{
    size_t len = strlen(text), trail = 0;

    if (cmd_plain(text)) {
        memcpy(out, text, len);
        return out + len;
    }
    while (trail < len && text[len - 1 - trail] == '\\')
        trail++;
    *out++ = '"';
    memcpy(out, text, len);
    out += len;
    memset(out, '\\', trail);
    out += trail;
    *out++ = '"';
    return out;
}

/* Appends text for PowerShell in single quotes, each ' written twice. */
static char *
put_powershell(char *out, const char *text)
{
    *out++ = '\'';
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '\'')
            *out++ = '\'';
        *out++ = *p;
    }
    *out++ = '\'';
    return out;
}

char *
sa_fix_line(const char *program, const char *const *args, size_t n, sa_shell shell, const char **why)
{
    const struct program *p = find_program(program);
    size_t room = strlen(program) + 1;
    char *line = NULL, *out;

    if ((*why = sa_fix_line_unsafe(program, args, n, shell)) != NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        room += 2 * strlen(args[i]) + 3;
    if ((line = malloc(room)) == NULL)
        return NULL;
    out = line + strlen(program);
    memcpy(line, program, strlen(program));
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(args[i]);
        *out++ = ' ';
        if (i == p->option_at) {
            memcpy(out, args[i], len); /* the tool's own option */
            out += len;
        } else
            out = shell == SA_SHELL_CMD ? put_cmd(out, args[i]) : put_powershell(out, args[i]);
    }
    *out = '\0';
    return line;
}

char *
sa_fix_refusal(const char *why)
{
    return sa_strdup_printf("no command: a value read from the directory %s; correct or remove it by hand, "
                            "with ADSI Edit on the object named in the evidence",
                            why);
}
