/* iniparse.c - INI text of any line length (see iniparse.h). */
#include <stdbool.h>
#include <string.h>

#include "spnaudit/iniparse.h"

static bool
blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* s without the blanks around it, in place. */
static char *
strip(char *s)
{
    char *e;

    while (blank(*s))
        s++;
    e = s + strlen(s);
    while (e > s && blank(e[-1]))
        *--e = '\0';
    return s;
}

/* s cut at an inline comment: a ';' at the start or after a blank. */
static void
cut_comment(char *s)
{
    for (char *p = s; *p; p++) {
        if (*p == ';' && (p == s || blank(p[-1]))) {
            *p = '\0';
            return;
        }
    }
}

/* One line (NUL-terminated, no LF); *section the current section.  0 to
 * go on, else -1 with *why set, or -2 when the handler refused it. */
static int
parse_line(char *line, char **section, sa_ini_handler handler, void *user, const char **why)
{
    char *s = strip(line), *sep;

    if (*s == '\0' || *s == '#' || *s == ';')
        return 0;
    if (*s == '[') {
        char *end = strchr(s, ']');

        if (end == NULL) {
            *why = "a section without its closing ]";
            return -1;
        }
        *end = '\0';
        cut_comment(end + 1);
        if (*strip(end + 1) != '\0') {
            *why = "text after the section's closing ]";
            return -1;
        }
        *section = strip(s + 1);
        return 0;
    }
    cut_comment(s);
    sep = strpbrk(s, "=:");
    if (sep == NULL) {
        *why = "not a key = value line";
        return -1;
    }
    *sep = '\0';
    return handler(user, *section, strip(s), strip(sep + 1)) ? 0 : -2;
}

size_t
sa_ini_parse(char *text, size_t len, sa_ini_handler handler, void *user, const char **why)
{
    char *p = text, *end = text + len, *section = "";
    size_t lineno = 0;

    *why = NULL;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl != NULL ? nl : end;
        int rc;

        lineno++;
        if (memchr(p, '\0', (size_t)(eol - p)) != NULL) {
            *why = "a NUL byte in the line";
            return lineno;
        }
        *eol = '\0'; /* the NUL after text when it is the last line */
        rc = parse_line(p, &section, handler, user, why);
        if (rc != 0) {
            if (rc == -2)
                *why = NULL;
            return lineno;
        }
        p = eol + 1;
    }
    return 0;
}
