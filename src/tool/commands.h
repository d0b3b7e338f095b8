/* commands.h - the subcommands of the spnaudit front end. */
#ifndef SPNAUDIT_COMMANDS_H
#define SPNAUDIT_COMMANDS_H

#include <stdio.h>

/* Each returns the process exit status. */
int cmd_audit(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_spn(int argc, char **argv);
int cmd_trusts(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_cert(int argc, char **argv);

/* One-line error for a bad invocation, with a pointer to the usage; returns
 * SA_EXIT_USAGE. */
int usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
