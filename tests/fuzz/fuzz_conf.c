/* fuzz_conf.c - libFuzzer harness for spnaudit.conf: any text goes
 * through the line check (conflines.c) and libinih (groupconf.c) without
 * a crash or a leak; when the check accepts the text, libinih reads every
 * line whole with its line ending (none longer than SA_CONF_LINE_MAX bytes
 * as libinih reads it, no NUL), and the parse
 * either succeeds or names the line and what is wrong (an unknown key: the
 * line that holds it); abort() otherwise.
 * Run as
 *   build-fuzz/tests/fuzz/fuzz_conf -max_total_time=300 NEWDIR tests/fuzz/corpus/conf */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/conflines.h"
#include "spnaudit/groupconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The longest line of text as libinih reads it (the bytes before its \n,
 * a \r and, in the first line, a byte order mark counted), and whether
 * the text holds a NUL. */
static size_t
longest_line(const char *text, size_t len, bool *nul)
{
    size_t longest = 0, start = 0;

    *nul = memchr(text, '\0', len) != NULL;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || text[i] == '\n') {
            if (i - start > longest)
                longest = i - start;
            start = i + 1;
        }
    }
    return longest;
}

/* "fuzz.conf:N: what", N from 1, what not libinih's own error (which the
 * check is to have refused first, and is reported as out of memory). */
static bool
names_a_line(const char *msg)
{
    char *rest = NULL;

    if (strncmp(msg, "fuzz.conf:", 10) != 0 || strtoul(msg + 10, &rest, 10) == 0)
        return false;
    return strncmp(rest, ": ", 2) == 0 && strcmp(rest + 2, "out of memory") != 0;
}

/* An error about an unknown key names the line that holds the key. */
static bool
names_its_line(const char *text, size_t len, const char *msg)
{
    const char *k = strstr(msg, ": unknown key \""), *kend, *p = text, *end = text + len;
    unsigned long n = strtoul(msg + strlen("fuzz.conf:"), NULL, 10);
    char *line, *key;
    bool ok;

    if (k == NULL || (kend = strstr(k, "\" in section [")) == NULL)
        return true;
    k += strlen(": unknown key \"");
    for (unsigned long i = 1; i < n && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *stop = memchr(p, '\n', (size_t)(end - p));
    line = strndup(p, (size_t)((stop ? stop : end) - p));
    key = strndup(k, (size_t)(kend - k));
    ok = line == NULL || key == NULL || strstr(line, key) != NULL;
    free(line);
    free(key);
    return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    const char *why = NULL;
    bool nul;
    size_t line;
    sa_groupconf conf;
    sa_error err;
    sa_status st;

    if (text == NULL)
        return 0;
    memset(&err, 0, sizeof(err));
    memcpy(text, data, size);
    text[size] = '\0';
    line = sa_conf_lines_check(text, size, &why);
    if ((line == 0) != (why == NULL))
        abort(); /* a line number comes with its reason */
    if (line == 0 && (longest_line(text, size, &nul) > SA_CONF_LINE_MAX || nul)) {
        fprintf(stderr, "accepted a line libinih splits or cuts\n");
        abort();
    }
    st = sa_groupconf_parse(text, size, "fuzz.conf", &conf, &err);
    if (st == SA_OK)
        sa_groupconf_clear(&conf);
    else if (st != SA_ERR_USAGE || !names_a_line(err.message)) {
        fprintf(stderr, "parse failed without naming the line: %s\n", err.message);
        abort();
    }
    if (st != SA_OK && !names_its_line(text, size, err.message)) {
        fprintf(stderr, "the error names another line: %s\n", err.message);
        abort();
    }
    free(text);
    return 0;
}
