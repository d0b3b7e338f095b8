/* cmd_completion.c - spnaudit completion bash|zsh: the commands' option
 * tables handed to the library's script writer. */
#include <errno.h>
#include <string.h>

#include "commands.h"
#include "spnaudit/finding.h"

#define MAX_COMMANDS 16
#define MAX_OPTIONS 96

const struct option completion_options[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void
completion_help(void)
{
    printf("Usage: spnaudit completion bash|zsh   (or --help: this help)\n"
           "Print the completion script of the shell, written from the commands' option\n"
           "tables: every command, option and listable value (formats, shells, files).\n"
           "  bash: source <(spnaudit completion bash), or save it as\n"
           "        /usr/share/bash-completion/completions/spnaudit\n"
           "  zsh:  save it as _spnaudit in a directory of $fpath\n"
           "The packages and 'meson install' install both.\n");
}

/* The table of the front end as the library wants it. */
typedef struct comp_tables {
    sa_comp_command cmds[MAX_COMMANDS];
    sa_comp_option opts[MAX_COMMANDS][MAX_OPTIONS];
    const char *formats[MAX_COMMANDS][FMT_COUNT];
} comp_tables;

/* false when a table is larger than ours */
static bool
fill_tables(comp_tables *t, size_t *n_out)
{
    size_t n;
    const command_entry *cmds = command_table(&n);

    if (n > MAX_COMMANDS)
        return false;
    for (size_t i = 0; i < n; i++) {
        sa_comp_command *c = &t->cmds[i];

        *c = (sa_comp_command){cmds[i].name, cmds[i].summary,  t->opts[i], 0, t->formats[i], 0,
                               cmds[i].args, cmds[i].arg_words};
        for (const struct option *o = cmds[i].options; o != NULL && o->name != NULL; o++) {
            if (cmds[i].refused != NULL && strcmp(o->name, cmds[i].refused) == 0)
                continue;
            if (c->n_options == MAX_OPTIONS)
                return false;
            t->opts[i][c->n_options++] = (sa_comp_option){o->name, o->has_arg != no_argument};
        }
        for (int f = 0; f < FMT_COUNT; f++) {
            if ((cmds[i].formats & FMT_BIT(f)) != 0)
                t->formats[i][c->n_formats++] = format_name((out_format)f);
        }
    }
    *n_out = n;
    return true;
}

int
cmd_completion(int argc, char **argv)
{
    static comp_tables tables;
    sa_comp_shell shell;
    size_t n = 0;

    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        completion_help();
        return 0;
    }
    if (argc != 2)
        return usage_error("completion", argc < 2 ? "which shell: bash or zsh?" : "one shell at a time");
    if (!sa_comp_shell_parse(argv[1], &shell))
        return usage_error("completion", "completion scripts are for bash or zsh, not '%s'", argv[1]);
    if (!fill_tables(&tables, &n)) {
        fprintf(stderr, "spnaudit completion: a command has more options than the script writer holds\n");
        return SA_EXIT_INCOMPLETE;
    }
    if (sa_completion_write(stdout, shell, tables.cmds, n) != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "spnaudit completion: %s while writing the script\n", strerror(errno));
        return SA_EXIT_INCOMPLETE;
    }
    return 0;
}
