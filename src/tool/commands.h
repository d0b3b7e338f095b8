/* commands.h - the subcommands of the spnaudit front end. */
#ifndef SPNAUDIT_COMMANDS_H
#define SPNAUDIT_COMMANDS_H

#include <getopt.h>
#include <stdio.h>

#include "options.h"
#include "spnaudit/completion.h"

/* Each returns the process exit status. */
int cmd_audit(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_spn(int argc, char **argv);
int cmd_trusts(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_cert(int argc, char **argv);
int cmd_completion(int argc, char **argv);

/* The commands' option tables (getopt_long's), ended by a NULL name. */
extern const struct option audit_options[], probe_options[], spn_options[], trusts_options[], plan_options[],
    explain_options[], diff_options[], cert_options[], completion_options[];

/* The --format values each command takes (FMT_BIT bits). */
#define AUDIT_FORMATS                                                                                        \
    (FMTS_TEXT_JSON | FMT_BIT(FMT_CSV) | FMT_BIT(FMT_PROMETHEUS) | FMT_BIT(FMT_NAGIOS) | FMT_BIT(FMT_HTML))
#define TRUSTS_FORMATS (FMTS_TEXT_JSON | FMT_BIT(FMT_HTML) | FMT_BIT(FMT_DOT))
#define PLAN_FORMATS TRUSTS_FORMATS
#define CERT_FORMATS (FMTS_TEXT_JSON | FMT_BIT(FMT_PROMETHEUS) | FMT_BIT(FMT_NAGIOS))

/* A command of the front end: its table row. */
typedef struct command_entry {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const struct option *options; /* NULL: none */
    unsigned formats;             /* of --format */
    sa_comp_args args;            /* what follows the options */
    const char *arg_words;        /* SA_COMP_ARGS_WORDS: which */
    const char *refused;          /* an option of the table there only to be
                                     refused with a reason: not completed */
} command_entry;

/* The table of commands, in the order of the usage; *n set. */
const command_entry *command_table(size_t *n);

/* One-line error for a bad invocation, with a pointer to the usage; returns
 * SA_EXIT_USAGE. */
int usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
