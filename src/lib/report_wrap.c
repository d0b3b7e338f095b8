/* report_wrap.c - the text report's lines fitted to a width: words that
 * do not fit move to the next line, indented; a word wider than the room
 * (a long SPN or DN) is kept whole rather than cut.  A line breaks only at
 * the spaces of the tool's own text, never inside a value from the
 * directory (its spaces are TEXT_GLUE until written), which could
 * otherwise start a line of its choosing.  Widths are counted in the
 * text as shown (escaped), one column per character. */
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

    fprintf(out, "%*s", (int)lead, "");
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
        for (size_t i = 0; i < len; i++)
            fputc(p[sp + i] == TEXT_GLUE ? ' ' : p[sp + i], out);
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
        sa_show_vprintf_glued(m, TEXT_GLUE, fmt, ap);
        if (fclose(m) == 0 && text != NULL)
            text_wrap(out, text, used, indent, width);
    }
    va_end(ap);
    free(text);
}

char *
text_shown_glued(const char *s)
{
    char *shown = sa_shown_dup(s);

    for (char *p = shown; p != NULL && *p != '\0'; p++)
        *p = *p == ' ' ? TEXT_GLUE : *p;
    return shown;
}

void
text_message(FILE *out, const sa_finding *f, size_t width)
{
    if (f->message_shown) {
        fputs("          ", out);
        text_wrap(out, f->message_shown, 10, 10, width);
    } else if (f->message) {
        text_wrapf(out, 0, 10, width, "          %s", f->message);
    }
}

void
text_finding_under(FILE *out, const sa_finding *f, sa_shell shell, size_t width)
{
    static const char *const labels[] = {"INFO", "WARNING", "FAILURE"};

    text_wrapf(out, 0, 12, width, "  %-7s %s", labels[f->severity], f->code);
    text_message(out, f, width);
    text_evidence(out, f, width);
    text_events(out, f);
    text_fix_wrapped(out, "          ", "fix", &f->fix, shell, f->fix_text_shown, width);
}

void
text_evidence(FILE *out, const sa_finding *f, size_t width)
{
    if (f->evidence_shown) {
        fputs("          evidence: ", out);
        text_wrap(out, f->evidence_shown, 20, 20, width);
    } else if (f->evidence) {
        text_wrapf(out, 0, 20, width, "          evidence: %s", f->evidence);
    }
}

void
text_events(FILE *out, const sa_finding *f)
{
    if (f->n_events == 0)
        return;
    fprintf(out, "          OpsMgr event%s:", f->n_events == 1 ? "" : "s");
    for (size_t i = 0; i < f->n_events; i++)
        fprintf(out, "%s %d", i ? "," : "", f->events[i]);
    fputc('\n', out);
}
