/* fixline.h - one fix command (a program and its arguments) written as a
 * line for the shell it is pasted into, so that values read from the
 * directory cannot add commands, redirections or arguments.
 *
 * Only the tool's own programs are written: setspn (its first argument is
 * the option -D or -S), dsacls (its second is /G) and certutil (its first
 * is -dstemplate: a template's name, attribute and value follow); any
 * other argument is a value, refused when it begins with - or / (the
 * program would take it as an option).  Both shells refuse a control character (line breaks
 * included) and bytes that are not valid UTF-8.
 *
 * cmd.exe (then the Microsoft C runtime's argv parsing in the program):
 * - a value made only of letters, digits and . _ - / \ $ : @ is written as
 *   is; any other printable ASCII value inside double quotes, where cmd.exe
 *   takes & | < > ( ) ^ literally (= , ; and spaces are quoted too); its
 *   trailing backslashes doubled, as the runtime reads 2n backslashes
 *   before the closing quote as n;
 * - refused: ", % and ! (% expands in any quoting, ! with delayed
 *   expansion, a " cannot be escaped alike for cmd.exe and the runtime),
 *   and any byte above 0x7e (read by the console's code page).
 *
 * PowerShell: every value inside single quotes, where nothing expands and
 * a ' is written twice.  A native program gets the values through a
 * command line PowerShell builds and its runtime splits again; Windows
 * PowerShell 5.1 (and 7.0-7.2) write a value as is, in double quotes when
 * it holds any Unicode white space, without escaping.  So these are
 * refused, as no quoting brings them to the program intact in every
 * version: ", the empty value, a value that ends in a backslash, the typographic
 * quotes U+2018-U+201E (PowerShell takes them for ' and "), and the
 * characters shown escaped in reports (C1 controls, zero-width and
 * direction-changing ones; see display.h), which would not paste as
 * shown.  The stop-parsing token --% begins with -, so is never a value.
 *
 * A line that is given holds nothing the report escapes when showing it
 * (a backslash aside): it is written as it is and pastes as it reads. */
#ifndef SPNAUDIT_FIXLINE_H
#define SPNAUDIT_FIXLINE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum sa_shell { SA_SHELL_CMD = 0, SA_SHELL_POWERSHELL, SA_SHELL_COUNT } sa_shell;

/* "cmd.exe", "PowerShell" (for people). */
const char *sa_shell_name(sa_shell shell);
/* "cmd", "powershell" (JSON keys, option values). */
const char *sa_shell_key(sa_shell shell);
/* The shell of a key; false when none. */
bool sa_shell_parse(const char *key, sa_shell *shell);

#define SA_FIX_MAX_ARGS 4

/* Why the command cannot be written safely for shell (a static sentence
 * that completes "a value read from the directory ..."), or NULL. */
const char *sa_fix_line_unsafe(const char *program, const char *const *args, size_t n, sa_shell shell);

/* The command as a line for shell; NULL with *why set when it cannot be
 * written safely, NULL with *why NULL when out of memory. */
char *sa_fix_line(const char *program, const char *const *args, size_t n, sa_shell shell, const char **why);

/* The sentence given instead of a command that cannot be written safely
 * (why from sa_fix_line); NULL when out of memory. */
char *sa_fix_refusal(const char *why);

#endif
