/* main.c - spnaudit front end: global options, then a table of commands. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "spnaudit/display.h"
#include "config.h"
#include "spnaudit/finding.h"
#include "spnaudit/nearest.h"
#include "spnaudit/secret.h"
#include "spnaudit/signals.h"
#include "spnaudit/versions.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct option help_options[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

static const command_entry commands[] = {
    {"audit", cmd_audit, "audit the SCOM SPNs of a domain: LDAP, Kerberos tickets, findings", audit_options,
     AUDIT_FORMATS, SA_COMP_ARGS_NONE},
    {"probe", cmd_probe, "request a service ticket for each SPN given, like kvno for many", probe_options,
     FMTS_TEXT_JSON, SA_COMP_ARGS_NONE},
    {"spn", cmd_spn, "list the SCOM SPNs and their owners, duplicates marked", spn_options, FMTS_TEXT_JSON,
     SA_COMP_ARGS_NONE, NULL, "jobs"},
    {"plan", cmd_plan, "before deploying: per agent domain, Kerberos or certificates", plan_options,
     PLAN_FORMATS, SA_COMP_ARGS_NONE, NULL, "jobs"},
    {"trusts", cmd_trusts, "the trusts, and where Kerberos works or certificates are needed", trusts_options,
     TRUSTS_FORMATS, SA_COMP_ARGS_NONE},
    {"explain", cmd_explain, "what an OpsMgr event or a finding code means, and what shows it",
     explain_options, FMTS_TEXT_JSON, SA_COMP_ARGS_NONE},
    {"diff", cmd_diff, "compare two saved JSON reports: new, persisting and fixed findings", diff_options,
     FMTS_TEXT_JSON, SA_COMP_ARGS_FILES},
    {"cert", cmd_cert, "check certificates as OpsMgr uses them where Kerberos cannot work", cert_options,
     CERT_FORMATS, SA_COMP_ARGS_FILES},
    {"completion", cmd_completion, "print the bash or zsh completion script", completion_options, 0,
     SA_COMP_ARGS_WORDS, "bash zsh"},
    {"help", cmd_help, "show this help, or the help of a command", help_options, 0, SA_COMP_ARGS_COMMANDS},
    {"version", cmd_version, "show the version, and those of the libraries it runs with", help_options, 0,
     SA_COMP_ARGS_NONE},
};

const command_entry *
command_table(size_t *n)
{
    *n = sizeof(commands) / sizeof(commands[0]);
    return commands;
}

static void
print_usage(FILE *out)
{
    fprintf(out, "Usage: spnaudit COMMAND [OPTIONS]\n"
                 "Checks that Kerberos mutual authentication for System Center Operations\n"
                 "Manager will work: MSOMHSvc/MSOMSdkSvc SPNs in Active Directory, service\n"
                 "tickets, and the OpsMgr events each problem causes.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'spnaudit COMMAND --help' describes a command's options; see spnaudit(1).\n"
                 "Exit status: 0 clean, 1 warnings, 2 failures, 3 audit incomplete, 64 bad usage.\n");
}

int
usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "spnaudit%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    sa_show_vprintf(stderr, fmt, ap); /* arguments may come from files or the directory */
    va_end(ap);
    if (cmd != NULL)
        fprintf(stderr, "\nTry 'spnaudit %s --help'.\n", cmd);
    else
        fprintf(stderr, "\nTry 'spnaudit --help'.\n");
    return SA_EXIT_USAGE;
}

static const command_entry *
find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

/* The error for a name that is no command, with the nearest command. */
static int
unknown_command(const char *name)
{
    const char *names[sizeof(commands) / sizeof(commands[0])];
    const char *near;

    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        names[i] = commands[i].name;
    near = sa_nearest(name, names, sizeof(names) / sizeof(names[0]));
    if (near != NULL)
        return usage_error(NULL, "unknown command '%s'; did you mean '%s'?", name, near);
    return usage_error(NULL, "unknown command '%s'", name);
}

static bool
is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* help, help --help, help help: the usage; help COMMAND: its --help. */
static int
cmd_help(int argc, char **argv)
{
    const command_entry *c;
    char *help_argv[] = {NULL, "--help", NULL};

    if (argc > 2)
        return usage_error("help", "one command at a time, not '%s' and '%s'", argv[1], argv[2]);
    if (argc < 2 || is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        print_usage(stdout);
        return 0;
    }
    if ((c = find_command(argv[1])) == NULL)
        return unknown_command(argv[1]);
    help_argv[0] = argv[1];
    return c->run(2, help_argv);
}

static int
cmd_version(int argc, char **argv)
{
    if (argc > 1 && is_help(argv[1])) {
        printf("Usage: spnaudit version (or spnaudit --version)\n"
               "Show the version of spnaudit and of the libraries it runs with: libldap,\n"
               "Cyrus SASL and json-c as they say at run time; libkrb5 and libinih, which\n"
               "have no run-time query, as built with, and the file loaded.\n");
        return 0;
    }
    if (argc > 1)
        return usage_error("version", "unexpected argument '%s'", argv[1]);
    printf("spnaudit %s\n", SPNAUDIT_VERSION);
    return sa_versions_print(stdout) == 0 ? 0 : SA_EXIT_INCOMPLETE;
}

int
main(int argc, char **argv)
{
    const command_entry *c;
    sa_error err = {SA_OK, ""};

    /* before any secret is read, and before any thread starts */
    if (sa_secret_protect_process(&err) != SA_OK || sa_signals_install(&err) != SA_OK) {
        fprintf(stderr, "spnaudit: %s\n", err.message);
        return SA_EXIT_INCOMPLETE;
    }
    if (argc < 2) {
        print_usage(stderr);
        return SA_EXIT_USAGE;
    }
    if (is_help(argv[1]))
        return cmd_help(1, argv + 1);
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv + 1);
    if (argv[1][0] == '-')
        return usage_error(NULL, "unknown option '%s'; a command comes first", argv[1]);
    c = find_command(argv[1]);
    if (c == NULL)
        return unknown_command(argv[1]);
    return c->run(argc - 1, argv + 1);
}
