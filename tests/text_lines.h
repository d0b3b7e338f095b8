/* text_lines.h - the lines of a text report as people see them: their
 * width in columns and whether one is a single word (unit and
 * integration tests of the report's width); how often a text holds
 * another. */
#ifndef SPNAUDIT_TEST_TEXT_LINES_H
#define SPNAUDIT_TEST_TEXT_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* The columns of the line at s (up to its newline, *len bytes): one per
 * UTF-8 character. */
static inline size_t
line_columns(const char *s, size_t *len)
{
    size_t cols = 0;

    *len = strcspn(s, "\n");
    for (size_t i = 0; i < *len; i++)
        cols += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cols;
}

/* Is the line (len bytes at s) one word after its indent (a word wider
 * than the room is kept whole)? */
static inline bool
is_one_word(const char *s, size_t len)
{
    size_t lead = strspn(s, " ");

    return memchr(s + lead, ' ', len - lead) == NULL;
}

/* How many times what stands in text (overlaps counted). */
static inline size_t
count_of(const char *text, const char *what)
{
    size_t n = 0;

    for (const char *p = strstr(text, what); p != NULL; p = strstr(p + 1, what))
        n++;
    return n;
}

#endif
