/* report_wrap.c - the text report's lines fitted to a width: words that
 * do not fit move to the next line, indented; a word wider than the room
 * (a long SPN or DN) is kept whole rather than cut.  Widths are counted
 * in the text as shown (escaped), one column per character. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

size_t
text_columns(const char *s, size_t n)
{
    size_t cols = 0;

    for (size_t i = 0; i < n; i++)
        cols += ((unsigned char)s[i] & 0xC0) != 0x80; /* UTF-8 continuation bytes add none */
    return cols;
}

void
text_wrap(FILE *out, const char *line, size_t used, size_t indent, size_t width)
{
    size_t lead = strspn(line, " "), col = used + lead;
    const char *p = line + lead;
    bool empty = true; /* no word on this output line yet */

    fwrite(line, 1, lead, out);
    while (*p != '\0') {
        size_t sp = strspn(p, " "), len = strcspn(p + sp, " "), cols;

        if (len == 0)
            break; /* trailing spaces */
        cols = text_columns(p + sp, len);
        if (width > 0 && !empty && col + sp + cols > width) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else {
            fprintf(out, "%*s", (int)sp, "");
            col += sp;
        }
        fwrite(p + sp, 1, len, out);
        col += cols;
        empty = false;
        p += sp + len;
    }
    fputc('\n', out);
}

void
text_wrapf(FILE *out, size_t used, size_t indent, size_t width, const char *fmt, ...)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    va_list ap;

    va_start(ap, fmt);
    if (m == NULL) { /* out of memory: the line as it is */
        sa_show_vprintf(out, fmt, ap);
        fputc('\n', out);
    } else {
        sa_show_vprintf(m, fmt, ap);
        if (fclose(m) == 0 && text != NULL)
            text_wrap(out, text, used, indent, width);
    }
    va_end(ap);
    free(text);
}

void
text_wrap_block(FILE *out, const char *block, size_t extra, size_t width)
{
    char *line = NULL;

    while (block != NULL && *block != '\0') {
        size_t len = strcspn(block, "\n");

        free(line);
        if ((line = strndup(block, len)) == NULL) {
            fwrite(block, 1, strlen(block), out); /* out of memory: the rest as it is */
            break;
        }
        text_wrap(out, line, 0, strspn(line, " ") + extra, width);
        block += len + (block[len] == '\n');
    }
    free(line);
}
