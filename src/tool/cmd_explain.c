/* cmd_explain.c - "spnaudit explain [EVENT|CODE]": what an OpsMgr
 * mutual-authentication event means, its usual causes and the checks of
 * this tool that show it; what a finding code or ticket cause is; without
 * either, the list of known events. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/events.h"
#include "spnaudit/finding.h"
#include "spnaudit/report.h"

static void
explain_help(void)
{
    printf("Usage: spnaudit explain [OPTIONS] [EVENT|CODE]\n"
           "What an OpsMgr Connector event of mutual authentication means, its usual causes,\n"
           "and which spnaudit checks (finding codes, ticket causes, verdicts) show it;\n"
           "or what a finding code or ticket cause is, and the events it leads to.\n"
           "Without EVENT or CODE: the known events, each with its title.\n\n"
           "  EVENT                     an event ID, such as 21035\n"
           "  CODE                      a finding code or ticket cause, e.g. SPN_DUPLICATE\n"
           "  -f, --format text|json    output format (default text)\n"
           "  -h, --help                this help\n\n"
           "Exit status: 0 done, 3 the output could not be written, 64 bad usage (an event\n"
           "or a code this tool does not know).\n");
}

/* "20050, 20057, ..." into buf. */
static void
known_events(char *buf, size_t size)
{
    size_t n, len = 0;
    const sa_event_info *table = sa_event_table(&n);

    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++) {
        int w = snprintf(buf + len, size - len, "%s%d", i == 0 ? "" : ", ", table[i].id);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}

/* The options of explain: getopt_long's table, and the completion scripts'. */
const struct option explain_options[] = {
    {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int
cmd_explain(int argc, char **argv)
{
    const sa_event_info *e = NULL;
    sa_check_info check;
    bool json = false, is_check = false;
    char known[512];
    int c, id = 0, rc, written;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:h", explain_options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if ((rc = json_option("explain", optarg, &json)) >= 0)
                return rc;
            break;
        case 'h':
            explain_help();
            return SA_EXIT_OK;
        default:
            return bad_option("explain", c, argv, explain_options);
        }
    }
    if (argc - optind > 1)
        return usage_error("explain", "one event at a time, not '%s' and '%s'", argv[optind],
                           argv[optind + 1]);
    if (optind < argc && sa_check_lookup(argv[optind], &check))
        is_check = true;
    else if (optind < argc) {
        if (!parse_int(argv[optind], 1, INT_MAX, &id))
            return usage_error("explain",
                               "'%s' is not an event ID nor a finding code: give a number such as 21035 "
                               "or a code such as SPN_DUPLICATE",
                               argv[optind]);
        e = sa_event_lookup(id);
        if (e == NULL) {
            known_events(known, sizeof(known));
            return usage_error("explain",
                               "unknown event %d: spnaudit knows events %s; try 'spnaudit explain' for "
                               "the list",
                               id, known);
        }
    }
    if (is_check)
        written = json ? sa_check_explain_json(&check, stdout) : sa_check_explain_text(&check, stdout);
    else if (e != NULL)
        written = json ? sa_event_explain_json(e, stdout) : sa_event_explain_text(e, stdout);
    else
        written = json ? sa_event_list_json(stdout) : sa_event_list_text(stdout);
    if (written != 0) {
        fprintf(stderr, "spnaudit explain: cannot write to standard output: %s\n", strerror(errno));
        return SA_EXIT_INCOMPLETE;
    }
    return SA_EXIT_OK;
}
