/* fix.c - a finding's fix as data, and the text it shows for a shell. */
#include <stdlib.h>
#include <string.h>

#include "spnaudit/fix.h"
#include "spnaudit/strv.h"

static void
command_clear(sa_fix_command *c)
{
    free(c->program);
    for (size_t i = 0; i < c->n; i++)
        free(c->args[i]);
    memset(c, 0, sizeof(*c));
}

/* A copy of cmd into c; false (c cleared) on out of memory. */
static bool
command_copy(sa_fix_command *c, const sa_fix_cmd *cmd)
{
    memset(c, 0, sizeof(*c));
    if (cmd->n > SA_FIX_MAX_ARGS || (c->program = strdup(cmd->program)) == NULL)
        return false;
    for (; c->n < cmd->n; c->n++) {
        if ((c->args[c->n] = strdup(cmd->args[c->n])) == NULL) {
            command_clear(c);
            return false;
        }
    }
    return true;
}

bool
sa_fix_add(sa_fix *fix, const sa_fix_cmd *cmds, size_t n)
{
    size_t before = fix->n;

    for (size_t i = 0; i < n; i++) {
        sa_fix_command *more = sa_grow(fix->commands, &fix->cap, fix->n, sizeof(*more), 2);
        if (more == NULL)
            goto nomem;
        fix->commands = more;
        if (!command_copy(&fix->commands[fix->n], &cmds[i]))
            goto nomem;
        fix->n++;
    }
    return true;
nomem:
    while (fix->n > before)
        command_clear(&fix->commands[--fix->n]);
    return false;
}

bool
sa_fix_set_text(sa_fix *fix, const char *text)
{
    char *copy = text ? strdup(text) : NULL;

    if (text != NULL && copy == NULL)
        return false;
    free(fix->text);
    fix->text = copy;
    return true;
}

void
sa_fix_clear(sa_fix *fix)
{
    for (size_t i = 0; i < fix->n; i++)
        command_clear(&fix->commands[i]);
    free(fix->commands);
    free(fix->text);
    memset(fix, 0, sizeof(*fix));
}

bool
sa_fix_copy(sa_fix *to, const sa_fix *from)
{
    for (size_t i = 0; i < from->n; i++) {
        const sa_fix_command *c = &from->commands[i];
        sa_fix_cmd cmd = {c->program, {NULL}, c->n};
        memcpy(cmd.args, c->args, c->n * sizeof(c->args[0]));
        if (!sa_fix_add(to, &cmd, 1))
            goto nomem;
    }
    if (sa_fix_set_text(to, from->text))
        return true;
nomem:
    sa_fix_clear(to);
    return false;
}

bool
sa_fix_empty(const sa_fix *fix)
{
    return fix->n == 0 && fix->text == NULL;
}

const char *
sa_fix_unsafe(const sa_fix *fix, sa_shell shell)
{
    const char *why = NULL;

    for (size_t i = 0; i < fix->n && why == NULL; i++) {
        const sa_fix_command *c = &fix->commands[i];
        why = sa_fix_line_unsafe(c->program, (const char *const *)c->args, c->n, shell);
    }
    return why;
}

char *
sa_fix_command_line(const sa_fix *fix, size_t i, sa_shell shell, const char **why)
{
    const sa_fix_command *c = &fix->commands[i];

    return sa_fix_line(c->program, (const char *const *)c->args, c->n, shell, why);
}

/* Appends line to *text, a newline between lines; false on out of memory. */
static bool
append(char **text, const char *line)
{
    char *more = sa_strdup_printf("%s%s%s", *text ? *text : "", *text ? "\n" : "", line);

    if (more == NULL)
        return false;
    free(*text);
    *text = more;
    return true;
}

char *
sa_fix_render(const sa_fix *fix, sa_shell shell)
{
    char *text = NULL, *line = NULL, *result = NULL;
    const char *why = NULL;

    for (size_t i = 0; i < fix->n; i++) {
        if ((line = sa_fix_command_line(fix, i, shell, &why)) == NULL) {
            if (why != NULL) /* one command cannot be written: none is given */
                result = sa_fix_refusal(why);
            goto cleanup;
        }
        if (!append(&text, line))
            goto cleanup;
        free(line);
        line = NULL;
    }
    if (fix->text != NULL && !append(&text, fix->text))
        goto cleanup;
    result = text;
    text = NULL;
cleanup:
    free(text);
    free(line);
    return result;
}
