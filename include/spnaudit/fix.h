/* fix.h - a finding's fix kept as data: the commands (a program and its
 * arguments, never a line) and the steps in the tool's words, written for
 * a shell only when shown (fixline.h). */
#ifndef SPNAUDIT_FIX_H
#define SPNAUDIT_FIX_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/fixline.h"

typedef struct sa_fix_command {
    char *program;
    char *args[SA_FIX_MAX_ARGS];
    size_t n;
} sa_fix_command;

typedef struct sa_fix {
    sa_fix_command *commands;
    size_t n;
    size_t cap;
    char *text; /* steps in the tool's words, after the commands; or NULL */
} sa_fix;

/* A command as given to the analysis (borrowed strings). */
typedef struct sa_fix_cmd {
    const char *program;
    const char *args[SA_FIX_MAX_ARGS];
    size_t n;
} sa_fix_cmd;

/* Append copies of n commands; false on out of memory (fix unchanged). */
bool sa_fix_add(sa_fix *fix, const sa_fix_cmd *cmds, size_t n);
/* Replace the text by a copy of text (may be NULL); false on out of memory. */
bool sa_fix_set_text(sa_fix *fix, const char *text);
/* A copy of from into to (empty); false on out of memory. */
bool sa_fix_copy(sa_fix *to, const sa_fix *from);
void sa_fix_clear(sa_fix *fix);
bool sa_fix_empty(const sa_fix *fix);

/* Why a command of fix cannot be written safely for shell (the first
 * one's reason), or NULL. */
const char *sa_fix_unsafe(const sa_fix *fix, sa_shell shell);

/* Command i as a line for shell; NULL with *why set when it cannot be
 * written safely (NULL with *why NULL: out of memory). */
char *sa_fix_command_line(const sa_fix *fix, size_t i, sa_shell shell, const char **why);

/* The whole fix for shell: the commands' lines, one a line, then the text;
 * when a command cannot be written safely, no command at all but only the
 * sentence that says why (sa_fix_refusal).  NULL when the fix is empty or
 * out of memory. */
char *sa_fix_render(const sa_fix *fix, sa_shell shell);

#endif
