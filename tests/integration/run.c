/* run.c - child process runner for the integration tests. */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

extern const char *tool_path;

static void
append(char **buf, size_t *len, const char *data, size_t n)
{
    char *p = realloc(*buf, *len + n + 1);

    ck_assert_ptr_nonnull(p);
    memcpy(p + *len, data, n);
    *len += n;
    p[*len] = '\0';
    *buf = p;
}

void
run_tool(const char *const *argv, const char *const *env_extra, run_result *r)
{
    run_tool_input(argv, env_extra, NULL, r);
}

void
run_tool_input(const char *const *argv, const char *const *env_extra, const char *input, run_result *r)
{
    const char *wrapper = getenv("SPNAUDIT_TEST_WRAPPER");
    char *words = wrapper ? strdup(wrapper) : NULL, *save = NULL;
    const char *args[128];
    size_t n = 0, out_len = 0, err_len = 0;
    int out_pipe[2], err_pipe[2], in_pipe[2], wstatus;
    pid_t pid;

    if (words != NULL) {
        for (char *w = strtok_r(words, " ", &save); w && n < 64; w = strtok_r(NULL, " ", &save))
            args[n++] = w;
    }
    args[n++] = tool_path;
    for (size_t i = 0; argv[i] != NULL && n < 127; i++)
        args[n++] = argv[i];
    args[n] = NULL;

    ck_assert_int_eq(pipe(out_pipe), 0);
    ck_assert_int_eq(pipe(err_pipe), 0);
    ck_assert_int_eq(pipe(in_pipe), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        close(in_pipe[0]);
        close(in_pipe[1]);
        close(out_pipe[0]);
        close(err_pipe[0]);
        close(out_pipe[1]);
        close(err_pipe[1]);
        for (size_t i = 0; env_extra != NULL && env_extra[i] != NULL; i++) {
            char *kv = strdup(env_extra[i]), *eq = strchr(kv, '=');
            *eq = '\0';
            if (eq[1] == '\0')
                unsetenv(kv);
            else
                setenv(kv, eq + 1, 1);
        }
        execvp(args[0], (char *const *)args);
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    close(in_pipe[0]);
    /* small inputs fit the pipe buffer: write all, then EOF */
    if (input != NULL)
        ck_assert_int_eq(write(in_pipe[1], input, strlen(input)), (ssize_t)strlen(input));
    close(in_pipe[1]);
    r->out = strdup("");
    r->err = strdup("");
    {
        struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
        int open_fds = 2;
        char buf[65536];
        while (open_fds > 0) {
            if (poll(fds, 2, -1) < 0) {
                if (errno == EINTR)
                    continue;
                ck_abort_msg("poll failed");
            }
            for (int i = 0; i < 2; i++) {
                ssize_t got;
                if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                    continue;
                got = read(fds[i].fd, buf, sizeof(buf));
                if (got <= 0) {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    open_fds--;
                } else if (i == 0) {
                    append(&r->out, &out_len, buf, (size_t)got);
                } else {
                    append(&r->err, &err_len, buf, (size_t)got);
                }
            }
        }
    }
    ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
    r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    free(words);
}

void
run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

void
expect_usage_error(const char *const *args, const char *says)
{
    run_result r;

    run_tool(args, NULL, &r);
    ck_assert_msg(r.status == 64, "%s %s: exit %d", args[0] ? args[0] : "(none)",
                  args[0] && args[1] ? args[1] : "", r.status);
    ck_assert_msg(strstr(r.err, says) != NULL, "stderr lacks \"%s\": %s", says, r.err);
    ck_assert_str_eq(r.out, "");
    run_free(&r);
}

json_object *
parse_report(const run_result *r)
{
    json_object *o = json_tokener_parse(r->out);

    ck_assert_msg(o != NULL, "output is not JSON (exit %d): %.300s / stderr: %.500s", r->status, r->out,
                  r->err);
    return o;
}

json_object *
report_findings(json_object *report)
{
    json_object *f = NULL;

    ck_assert_msg(json_object_object_get_ex(report, "findings", &f), "report has no findings");
    ck_assert(json_object_is_type(f, json_type_array));
    return f;
}

const char *
jget_str(json_object *o, const char *key)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(o, key, &v) || v == NULL)
        return NULL;
    return json_object_get_string(v);
}

long long
jget_int(json_object *o, const char *key)
{
    json_object *v = NULL;

    ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s", key);
    return json_object_get_int64(v);
}

json_object *
find_finding(json_object *report, const char *code, const char *subject)
{
    json_object *arr = report_findings(report);

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *f = json_object_array_get_idx(arr, i);
        const char *c = jget_str(f, "code"), *s = jget_str(f, "subject");
        if (c && strcmp(c, code) == 0 && (subject == NULL || (s && strcasecmp(s, subject) == 0)))
            return f;
    }
    return NULL;
}

size_t
count_findings(json_object *report, const char *code)
{
    json_object *arr = report_findings(report);
    size_t n = 0;

    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        const char *c = jget_str(json_object_array_get_idx(arr, i), "code");
        n += c && strcmp(c, code) == 0;
    }
    return n;
}

int
finding_has_event(json_object *finding, int event)
{
    json_object *ev = NULL;

    if (!json_object_object_get_ex(finding, "events", &ev))
        return 0;
    for (size_t i = 0; i < json_object_array_length(ev); i++) {
        if (json_object_get_int(json_object_array_get_idx(ev, i)) == event)
            return 1;
    }
    return 0;
}

void
write_conf(char *path, const char *text)
{
    int fd = mkstemp(path);
    FILE *f;

    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Is the fix command c program args (ASCII case ignored)? */
static int
command_is(json_object *c, const char *program, const char *const *args, size_t n)
{
    json_object *a = NULL;

    if (!json_object_object_get_ex(c, "args", &a) || json_object_array_length(a) != n ||
        strcmp(jget_str(c, "program"), program) != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(json_object_get_string(json_object_array_get_idx(a, i)), args[i]) != 0)
            return 0;
    }
    return 1;
}

int
fix_has_command(json_object *finding, const char *program, const char *const *args, size_t n)
{
    json_object *data = NULL, *cmds = NULL;

    if (!json_object_object_get_ex(finding, "fix_data", &data) || data == NULL ||
        !json_object_object_get_ex(data, "commands", &cmds))
        return 0;
    for (size_t i = 0; i < json_object_array_length(cmds); i++) {
        json_object *c = json_object_array_get_idx(cmds, i);
        if (command_is(c, program, args, n))
            return jget_str(c, "cmd") != NULL &&
                   strstr(jget_str(finding, "fix"), jget_str(c, "cmd")) != NULL &&
                   jget_str(c, "powershell") != NULL;
    }
    return 0;
}
