/* completion.h - the bash and zsh completion scripts of spnaudit, written
 * from the commands' option tables so that they never drift from them. */
#ifndef SPNAUDIT_COMPLETION_H
#define SPNAUDIT_COMPLETION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What a command takes after its options. */
typedef enum sa_comp_args {
    SA_COMP_ARGS_NONE,     /* nothing */
    SA_COMP_ARGS_FILES,    /* file names */
    SA_COMP_ARGS_COMMANDS, /* a command's name (help COMMAND) */
    SA_COMP_ARGS_WORDS,    /* one of arg_words */
} sa_comp_args;

typedef struct sa_comp_option {
    const char *name; /* without the leading "--" */
    bool has_value;
} sa_comp_option;

typedef struct sa_comp_command {
    const char *name;
    const char *summary;
    const sa_comp_option *options;
    size_t n_options;
    const char *const *formats; /* the values of its --format */
    size_t n_formats;
    sa_comp_args args;
    const char *arg_words; /* SA_COMP_ARGS_WORDS: the words, space-separated */
} sa_comp_command;

typedef enum sa_comp_shell { SA_COMP_BASH, SA_COMP_ZSH } sa_comp_shell;

/* "bash" or "zsh" into *shell; false for another name. */
bool sa_comp_shell_parse(const char *name, sa_comp_shell *shell);

/* The completion script for shell.  The value an option takes is known by
 * its name: files (config, keytab, output, baseline, html, *-file), a
 * directory (*-dir), the command's formats (format), the shells of fix
 * lines (fix-shell), the service classes (service-class); anything else
 * is free text.  0 on success; -1 with errno EINVAL when a name is not
 * made of [a-z0-9-] or a summary holds a control character, or the
 * error of writing. */
int sa_completion_write(FILE *out, sa_comp_shell shell, const sa_comp_command *cmds, size_t n);

#endif
