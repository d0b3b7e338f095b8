/* fixline.c - fix commands rendered for cmd.exe (the rules are in
 * spnaudit/fixline.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/fixline.h"
#include "spnaudit/strv.h"

static bool
plain_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch != '\0' && strchr("._-/\\$:@", ch) != NULL);
}

const char *
sa_fix_arg_unsafe(const char *text, unsigned flags)
{
    if ((flags & SA_FIX_OPTION) == 0 && (text[0] == '-' || text[0] == '/'))
        return "begins with - or /, which setspn and dsacls take as an option";
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p == '%')
            return "contains %, which cmd.exe expands even inside quotes";
        if (*p == '!')
            return "contains !, which cmd.exe expands when delayed expansion is on";
        if (*p == '"')
            return "contains a double quote, which cannot be escaped safely for cmd.exe";
        if (*p < 0x20 || *p == 0x7f)
            return "contains a control character or a line break";
        if (*p > 0x7f)
            return "contains non-ASCII bytes, which cmd.exe reads by the console's code page";
    }
    return NULL;
}

static bool
needs_quotes(const char *text, unsigned flags)
{
    if ((flags & SA_FIX_QUOTE) != 0 || *text == '\0')
        return true;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
        if (!plain_char(*p))
            return true;
    return false;
}

/* Appends arg to out (room checked by the caller: 2 * len + 3). */
static char *
put_arg(char *out, const char *text, unsigned flags)
{
    size_t len = strlen(text), trail = 0;

    if (!needs_quotes(text, flags)) {
        memcpy(out, text, len);
        return out + len;
    }
    while (trail < len && text[len - 1 - trail] == '\\')
        trail++;
    *out++ = '"';
    memcpy(out, text, len);
    out += len;
    memset(out, '\\', trail); /* 2n backslashes before the quote read as n */
    out += trail;
    *out++ = '"';
    return out;
}

char *
sa_fix_render(const sa_fix_cmd *cmd, const char **why_unsafe)
{
    size_t room = strlen(cmd->program) + 1;
    char *line = NULL, *out;

    *why_unsafe = NULL;
    for (size_t i = 0; i < cmd->n; i++) {
        const char *why = sa_fix_arg_unsafe(cmd->args[i].text, cmd->args[i].flags);
        if (why != NULL) {
            *why_unsafe = why;
            return NULL;
        }
        room += 2 * strlen(cmd->args[i].text) + 3;
    }
    if ((line = malloc(room)) == NULL)
        return NULL;
    out = line + strlen(cmd->program);
    memcpy(line, cmd->program, strlen(cmd->program));
    for (size_t i = 0; i < cmd->n; i++) {
        *out++ = ' ';
        out = put_arg(out, cmd->args[i].text, cmd->args[i].flags);
    }
    *out = '\0';
    return line;
}

/* Appends line (then a newline unless last) to *text. */
static bool
append(char **text, size_t *len, const char *line, const char *note)
{
    size_t add = strlen(line) + (note ? strlen(note) : 0) + 2;
    char *more = realloc(*text, *len + add);

    if (more == NULL)
        return false;
    *len += (size_t)snprintf(more + *len, add, "%s%s%s", *len > 0 ? "\n" : "", line, note ? note : "");
    *text = more;
    return true;
}

char *
sa_fix_refusal(const char *why)
{
    return sa_strdup_printf("no command: a value read from the directory %s; correct or remove it by hand, "
                            "with ADSI Edit on the object named in the evidence",
                            why);
}

char *
sa_fix_text(const sa_fix_cmd *cmds, size_t n, const char *tail)
{
    char *text = NULL, *line = NULL, *result = NULL;
    const char *why = NULL;
    size_t len = 0;

    if ((text = calloc(1, 1)) == NULL)
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        if ((line = sa_fix_render(&cmds[i], &why)) == NULL) {
            if (why == NULL)
                goto cleanup;
            result = sa_fix_refusal(why);
            goto cleanup;
        }
        if (!append(&text, &len, line, cmds[i].note))
            goto cleanup;
        free(line);
        line = NULL;
    }
    if (tail != NULL && !append(&text, &len, tail, NULL))
        goto cleanup;
    result = text;
    text = NULL;
cleanup:
    free(text);
    free(line);
    return result;
}

bool
sa_finding_fix_cmds(sa_finding *f, const sa_fix_cmd *cmds, size_t n, const char *tail)
{
    char *text = sa_fix_text(cmds, n, tail);
    bool ok = text != NULL && sa_finding_fix(f, "%s", text);

    free(text);
    return ok;
}
