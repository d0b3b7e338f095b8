/* conflines.c - what libinih would misread in spnaudit.conf, refused
 * before it reads the file (see conflines.h). */
#include <stdbool.h>
#include <string.h>

#include "spnaudit/conflines.h"

typedef enum { LINE_BLANK, LINE_SECTION, LINE_KEY } line_kind; /* LINE_KEY: a key, or more of one */

/* isspace() in the C locale, as libinih skips it (the LF aside). */
static bool
blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\v' || ch == '\f' || ch == '\r';
}

/* libinih's find_chars_or_comment: the first of chars in [p, end), or the
 * ';' of an inline comment (one after a blank), or end. */
static const char *
find_or_comment(const char *p, const char *end, const char *chars)
{
    for (bool was_blank = false; p < end; p++) {
        if (strchr(chars, *p) != NULL || (was_blank && *p == ';'))
            return p;
        was_blank = blank(*p);
    }
    return end;
}

/* After a section's "]": only blanks, then nothing or a comment. */
static bool
section_end_ok(const char *p, const char *end)
{
    while (p < end && blank(*p))
        p++;
    return p == end || *p == ';' || *p == '#';
}

/* The kind of line [p, end) (no line ending, no NUL), or NULL in *why. */
static line_kind
classify(const char *p, const char *end, bool after_key, const char **why)
{
    const char *start = p, *close, *sep;

    while (p < end && blank(*p))
        p++;
    if (p == end || *p == '#' || *p == ';')
        return LINE_BLANK;
    if (*p == '[') {
        if ((close = find_or_comment(p + 1, end, "]")) == end || *close != ']')
            *why = "a section without its closing ] (before any \" ;\" comment)";
        else if (!section_end_ok(close + 1, end))
            *why = "text after the section's closing ]";
        return LINE_SECTION;
    }
    sep = find_or_comment(p, end, "=:");
    if (sep == end || *sep == ';')
        sep = NULL;
    if (p > start && after_key) { /* libinih: more of the key above */
        if (sep != NULL)
            *why = "an indented key = value line (libinih reads it as more of the key above; "
                   "start it at the beginning of the line)";
        return LINE_KEY;
    }
    if (sep == NULL)
        *why = "not a key = value line (before any \" ;\" comment)";
    else if (sep == p)
        *why = "a value without a key";
    return LINE_KEY;
}

size_t
sa_conf_lines_check(const char *text, size_t len, const char **why)
{
    const char *p = text, *end = text + len;
    bool after_key = false;

    *why = NULL;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* libinih skips a UTF-8 byte order mark */
    for (size_t line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        /* as libinih reads it: the byte order mark and a CR count */
        size_t raw = (size_t)(stop - (line == 1 ? text : p));
        line_kind kind;

        if (stop > p && stop[-1] == '\r')
            stop--;
        if (memchr(p, '\0', (size_t)(stop - p)) != NULL)
            *why = "a NUL byte in the line";
        else if (raw > SA_CONF_LINE_MAX)
            *why = "longer than 198 bytes, the most a line may hold (a CR before its end counts; a long "
                   "list may go on over several lines: repeat its key, or indent the lines that continue it)";
        else if ((kind = classify(p, stop, after_key, why)) != LINE_BLANK)
            after_key = kind == LINE_KEY;
        if (*why != NULL)
            return line;
        p = nl ? nl + 1 : end;
    }
    return 0;
}
