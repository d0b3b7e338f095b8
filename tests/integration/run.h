/* run.h - run the spnaudit binary as a child process and capture its output.
 * The tool under test may run under a wrapper (valgrind) named in
 * SPNAUDIT_TEST_WRAPPER, split on spaces. */
#ifndef SPNAUDIT_TEST_RUN_H
#define SPNAUDIT_TEST_RUN_H

#include <json-c/json.h>

typedef struct run_result {
    int status; /* exit status, or 128+signal */
    char *out;  /* standard output */
    char *err;  /* standard error */
} run_result;

/* argv: NULL-terminated arguments after the program name.  envp_extra:
 * NULL-terminated "NAME=value" settings (value empty: unset), or NULL. */
void run_tool(const char *const *argv, const char *const *env_extra, run_result *r);
/* The same, with input written to the tool's standard input. */
void run_tool_input(const char *const *argv, const char *const *env_extra, const char *input, run_result *r);
void run_free(run_result *r);

/* Run with args; the exit status must be 64, with says on standard error
 * and nothing on standard output. */
void expect_usage_error(const char *const *args, const char *says);
/* The JSON document on r's standard output; aborts the test if it is not JSON. */
json_object *parse_report(const run_result *r);
/* The findings array of a JSON report; aborts the test if absent. */
json_object *report_findings(json_object *report);
/* The first finding with this code (and subject, unless NULL), or NULL. */
json_object *find_finding(json_object *report, const char *code, const char *subject);
size_t count_findings(json_object *report, const char *code);
/* Does the finding list this OpsMgr event? */
int finding_has_event(json_object *finding, int event);
/* Does the finding's fix_data hold the command program args (ASCII case
 * ignored), with its cmd.exe line in "fix" and a PowerShell line? */
int fix_has_command(json_object *finding, const char *program, const char *const *args, size_t n);
const char *jget_str(json_object *o, const char *key);
long long jget_int(json_object *o, const char *key);

/* A configuration file with text: path is a mkstemp template, replaced
 * by the file's name (unlink it after). */
void write_conf(char *path, const char *text);

#endif
