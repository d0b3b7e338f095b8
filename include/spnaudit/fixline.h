/* fixline.h - fix commands kept as data (a program and its arguments) and
 * rendered for cmd.exe, so that values read from the directory cannot add
 * commands, redirections or arguments to a line an administrator pastes.
 *
 * Rendering rules (cmd.exe, then the Microsoft C runtime's argv parsing):
 * - an argument made only of letters, digits and . _ - / \ $ : @ is
 *   written as is: none of these is special to cmd.exe or to the runtime;
 * - any other printable ASCII argument (space, & | < > ( ) ^ = , ; and the
 *   rest) is written inside double quotes, where cmd.exe takes & | < > ( ) ^
 *   literally; = , ; are quoted too, as some programs and cmd.exe's
 *   built-in commands split on them; trailing backslashes are doubled, as
 *   the runtime reads 2n backslashes before the closing quote as n;
 * - an argument with ", % or !, a control character (newline included), a
 *   byte above 0x7e, or (for values, not options) a leading - or / cannot be
 *   written safely: % expands in any quoting, ! with delayed expansion, a "
 *   cannot be escaped in a way both cmd.exe and the runtime read alike,
 *   non-ASCII bytes depend on the console's code page, and a leading - or /
 *   makes a value an option.  The whole command is then refused. */
#ifndef SPNAUDIT_FIXLINE_H
#define SPNAUDIT_FIXLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/finding.h"

#define SA_FIX_OPTION 1u /* an option the tool writes: may begin with - or / */
#define SA_FIX_QUOTE 2u  /* quoted even when it need not be */
#define SA_FIX_MAX_ARGS 4

typedef struct sa_fix_arg {
    const char *text;
    unsigned flags;
} sa_fix_arg;

typedef struct sa_fix_cmd {
    const char *program; /* written as is: the tool's own text */
    sa_fix_arg args[SA_FIX_MAX_ARGS];
    size_t n;
    const char *note; /* written as is after the command, or NULL */
} sa_fix_cmd;

/* Why arg cannot be written safely for cmd.exe (a static sentence), or NULL. */
const char *sa_fix_arg_unsafe(const char *text, unsigned flags);

/* One command as a line for cmd.exe; NULL with *why_unsafe set when an
 * argument cannot be written safely, NULL with *why_unsafe NULL when out of
 * memory. */
char *sa_fix_render(const sa_fix_cmd *cmd, const char **why_unsafe);

/* The fix text given instead of a command that cannot be written safely
 * (why from sa_fix_render); NULL when out of memory. */
char *sa_fix_refusal(const char *why);

/* The fix text for n commands, one a line, then tail (a line of the tool's
 * own text, or NULL); when one cannot be written safely, a sentence that says
 * why and what to do instead, with no command.  NULL when out of memory. */
char *sa_fix_text(const sa_fix_cmd *cmds, size_t n, const char *tail);

/* Sets the fix of f to sa_fix_text(cmds, n, tail). */
bool sa_finding_fix_cmds(sa_finding *f, const sa_fix_cmd *cmds, size_t n, const char *tail);

#endif
