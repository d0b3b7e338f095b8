/* cmd_diff.c - "spnaudit diff OLD NEW": what changed between two saved
 * JSON reports. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/display.h"
#include "spnaudit/baseline.h"
#include "spnaudit/output.h"
#include "spnaudit/report.h"

static void
diff_help(void)
{
    printf("Usage: spnaudit diff [OPTIONS] OLD.json NEW.json\n"
           "Compare two reports of 'spnaudit audit --format json': the findings of NEW that\n"
           "are new or persisting since OLD, and those of OLD that are fixed in NEW; only\n"
           "what both reports covered is compared (the rest is \"not compared\"), and what\n"
           "changed in their scope is said.  A finding is the same when its code, subject\n"
           "and server are, or its code and subject when one of them has no server.\n\n"
           "Options:\n"
           "  -f, --format text|json    output format (default text)\n"
           "      --fix-shell cmd|powershell  the shell the fix commands of the new findings\n"
           "                            in the text are written for (default cmd); JSON\n"
           "                            holds both\n" OUT_HELP "  -h, --help                this help\n\n"
           "Exit status: 0 nothing new, 1 new findings (those not compared do not\n"
           "count), 3 a report unreadable or not a report, 64 bad usage.\n");
}

enum { OPT_FIX_SHELL = 256 };

/* What the writer of the comparison needs. */
typedef struct diff_job {
    const sa_diff_report *d;
    bool json;
} diff_job;

static int
write_diff(FILE *out, void *data)
{
    const diff_job *job = data;

    return job->json ? sa_diff_report_json(job->d, out) : sa_diff_report_text(job->d, out);
}

/* The options of diff: getopt_long's table, and the completion scripts'. */
const struct option diff_options[] = {
    {"format", required_argument, NULL, 'f'},
    {"fix-shell", required_argument, NULL, OPT_FIX_SHELL},
    {"help", no_argument, NULL, 'h'},
    OUT_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

int
cmd_diff(int argc, char **argv)
{
    sa_baseline old, now;
    sa_comparison cmp;
    sa_error err = {SA_OK, ""};
    sa_diff_report d;
    out_args out = {NULL, false, false};
    sa_shell shell = SA_SHELL_CMD;
    bool json = false;
    int c, status = SA_EXIT_INCOMPLETE;

    memset(&old, 0, sizeof(old));
    memset(&now, 0, sizeof(now));
    memset(&cmp, 0, sizeof(cmp));
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:h" OUT_SHORT_OPTIONS, diff_options, NULL)) != -1) {
        int handled = out_option("diff", c, optarg, &out);

        if (handled > 1) {
            status = handled;
            goto cleanup;
        }
        if (handled == 1)
            continue;
        switch (c) {
        case 'f':
            if ((status = json_option("diff", optarg, &json)) >= 0)
                goto cleanup;
            status = SA_EXIT_INCOMPLETE;
            break;
        case OPT_FIX_SHELL:
            if (!sa_shell_parse(optarg, &shell)) {
                status = usage_error("diff", "--fix-shell wants cmd or powershell, not '%s'", optarg);
                goto cleanup;
            }
            break;
        case 'h':
            diff_help();
            status = 0;
            goto cleanup;
        default:
            status = bad_option("diff", c, argv, diff_options);
            goto cleanup;
        }
    }
    if (argc - optind != 2) {
        status = usage_error(
            "diff", argc - optind < 2 ? "two reports wanted: OLD.json NEW.json" : "unexpected argument '%s'",
            argv[argc - 1]);
        goto cleanup;
    }
    if (sa_baseline_load(argv[optind], &old, &err) != SA_OK ||
        sa_baseline_load(argv[optind + 1], &now, &err) != SA_OK ||
        sa_baseline_compare(&old.findings, sa_baseline_coverage(&old), &now.findings,
                            sa_baseline_coverage(&now), &cmp, &err) != SA_OK) {
        sa_show_printf(stderr, "spnaudit diff: %s\n", err.message);
        goto cleanup;
    }
    memset(&d, 0, sizeof(d));
    d.old_file = old.file;
    d.old_generated = old.generated;
    d.new_file = now.file;
    d.new_generated = now.generated;
    d.findings = &now.findings;
    d.comparison = &cmp;
    d.width = sa_output_width(out.output == NULL ? STDOUT_FILENO : -1);
    d.fix_shell = shell;
    status = out_emit("diff", &out, write_diff, &(diff_job){&d, json},
                      sa_findings_count_change(&now.findings, SA_CHANGE_NEW) > 0 ? 1 : 0);
cleanup:
    sa_comparison_clear(&cmp);
    sa_baseline_clear(&old);
    sa_baseline_clear(&now);
    return status;
}
