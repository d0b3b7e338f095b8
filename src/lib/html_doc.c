/* html_doc.c - the HTML report's page: libxml2's HTML tree with the
 * report's stylesheet, elements, tables and text nodes (html_internal.h).
 * The library escapes: values are only ever text nodes. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "html_internal.h"
#include "spnaudit/display.h"
#include "spnaudit/fix.h"

/* Readable on a screen and printed; no font, image or anything else to
 * fetch. */
static const char stylesheet[] =
    "\n:root{--ok:#1b6e20;--warn:#8a5a00;--fail:#b00020;--info:#0b5394;--muted:#5f6368;--line:#d0d7de}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;background:#fff;"
    "max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}\n"
    "h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.25rem;border-bottom:2px solid var(--line);"
    "padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem;margin:1.5rem 0 .4rem}\n"
    "p,ul{margin:.3rem 0}.meta{color:var(--muted)}\n"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}\n"
    "th,td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}\n"
    "th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "code,pre,.v{font-family:ui-monospace,'DejaVu Sans Mono',Consolas,monospace;font-size:.9em}\n"
    ".v{overflow-wrap:anywhere}\n"
    "pre{background:#f6f8fa;border:1px solid var(--line);padding:.4rem .6rem;margin:.3rem 0;"
    "white-space:pre-wrap;overflow-wrap:anywhere}\n"
    ".finding{border-left:4px solid var(--line);padding:.2rem .8rem;margin:.6rem 0}\n"
    ".finding.failure{border-color:var(--fail)}.finding.warning{border-color:var(--warn)}"
    ".finding.info{border-color:var(--info)}\n"
    "div.agent{border-left:4px solid var(--line);padding:.2rem .8rem;margin:.8rem 0}\n"
    ".sev,.verdict{font-weight:600}.failure .sev,.verdict.failure,.verdict.certificates,"
    ".verdict.not-allowed{color:var(--fail)}\n"
    ".warning .sev,.verdict.warning,.verdict.selective{color:var(--warn)}.info .sev{color:var(--info)}\n"
    ".verdict.ok,.verdict.kerberos{color:var(--ok)}.verdict.not-checked,.not-checked{color:var(--muted);"
    "font-style:italic}\n"
    ".change{font-size:.85em;border:1px solid currentColor;border-radius:3px;padding:0 .3rem;"
    "margin-left:.4rem}\n"
    ".incomplete{border:2px solid var(--fail);padding:.4rem .8rem}\n"
    "figure{margin:1rem 0;overflow:auto}figure svg{max-width:100%;height:auto}\n"
    ".placeholder{border:1px dashed var(--line);padding:1rem;color:var(--muted)}\n"
    "@media print{body{max-width:none;font-size:10.5pt;padding:0}h2{break-after:avoid}"
    "h3{break-after:avoid}.finding,div.agent,tr,pre,figure{break-inside:avoid}"
    "pre,th{background:none}a{color:inherit;text-decoration:none}"
    "@page{margin:1.5cm}}\n";

/* Out of memory while building node's page. */
static void
mark_failed(xmlDocPtr doc)
{
    if (doc != NULL && doc->_private != NULL)
        ((html_page *)doc->_private)->failed = true;
}

/* child added at the end of parent; NULL (the page failed) when child
 * could not be made. */
static xmlNodePtr
add(xmlNodePtr parent, xmlNodePtr child)
{
    if (child == NULL || xmlAddChild(parent, child) == NULL) {
        xmlFreeNode(child);
        mark_failed(parent->doc);
        return NULL;
    }
    return child;
}

void
html_words(xmlNodePtr parent, const char *words)
{
    if (parent != NULL && words != NULL)
        add(parent, xmlNewDocText(parent->doc, (const xmlChar *)words));
}

void
html_value(xmlNodePtr parent, const char *value)
{
    char *shown;

    if (parent == NULL || value == NULL)
        return;
    if ((shown = sa_shown_dup(value)) == NULL)
        mark_failed(parent->doc);
    else
        html_words(parent, shown);
    free(shown);
}

void
html_attr(xmlNodePtr node, const char *name, const char *value)
{
    if (node != NULL && xmlNewProp(node, (const xmlChar *)name, (const xmlChar *)value) == NULL)
        mark_failed(node->doc);
}

xmlNodePtr
html_el(xmlNodePtr parent, const char *name, const char *cls, const char *words)
{
    xmlNodePtr el;

    if (parent == NULL)
        return NULL;
    el = add(parent, xmlNewDocNode(parent->doc, NULL, (const xmlChar *)name, NULL));
    if (cls != NULL)
        html_attr(el, "class", cls);
    html_words(el, words);
    return el;
}

xmlNodePtr
html_value_el(xmlNodePtr parent, const char *name, const char *cls, const char *value)
{
    xmlNodePtr el = html_el(parent, name, cls, value ? NULL : "-");

    html_value(el, value);
    return el;
}

xmlNodePtr
html_showf(xmlNodePtr parent, const char *name, const char *cls, const char *fmt, ...)
{
    xmlNodePtr el = html_el(parent, name, cls, NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *m;
    va_list ap;

    if (el == NULL)
        return NULL;
    if ((m = open_memstream(&text, &len)) != NULL) {
        va_start(ap, fmt);
        sa_show_vprintf(m, fmt, ap);
        va_end(ap);
        if (fclose(m) != 0) {
            free(text);
            text = NULL;
        }
    }
    if (text == NULL)
        mark_failed(el->doc);
    html_words(el, text);
    free(text);
    return el;
}

xmlNodePtr
html_table(xmlNodePtr parent, const char *cls, const char *const *headings, size_t n)
{
    xmlNodePtr table = html_el(parent, "table", cls, NULL), head = html_el(table, "tr", NULL, NULL);

    for (size_t i = 0; i < n; i++)
        html_el(head, "th", NULL, headings[i]);
    return table;
}

xmlNodePtr
html_row(xmlNodePtr table, const char *cls)
{
    return html_el(table, "tr", cls, NULL);
}

xmlNodePtr
html_cell(xmlNodePtr row, const char *cls, const char *words)
{
    return html_el(row, "td", cls, words);
}

xmlNodePtr
html_value_cell(xmlNodePtr row, const char *cls, const char *value)
{
    return html_value_el(row, "td", cls, value);
}

xmlNodePtr
html_count_cell(xmlNodePtr row, size_t n)
{
    char buf[32];

    snprintf(buf, sizeof(buf), "%zu", n);
    return html_cell(row, "n", buf);
}

void
html_fix(xmlNodePtr parent, const char *label, const sa_fix *fix, sa_shell shell)
{
    const char *why = sa_fix_unsafe(fix, shell);
    xmlNodePtr box, pre;
    char *line = NULL;

    if (sa_fix_empty(fix))
        return;
    box = html_el(parent, "div", "fix", NULL);
    html_showf(box, "p", "label", fix->n > 0 ? "%s (%s):" : "%s:", label, sa_shell_name(shell));
    if (why != NULL) { /* no command at all, but why */
        line = sa_fix_refusal(why);
        html_el(box, "p", "refused", line ? line : "(out of memory)");
        free(line);
        return;
    }
    pre = fix->n > 0 ? html_el(box, "pre", "fix-lines", NULL) : NULL;
    for (size_t i = 0; i < fix->n; i++) {
        line = sa_fix_command_line(fix, i, shell, &why);
        if (i > 0)
            html_words(pre, "\n");
        html_words(pre, line ? line : "(out of memory)");
        free(line);
    }
    if (fix->text != NULL)
        html_value_el(box, "p", "steps", fix->text);
}

const char *
html_class_of(const char *word, char *buf, size_t size)
{
    size_t i = 0;

    for (; word[i] != '\0' && i + 1 < size; i++)
        buf[i] = word[i] == ' ' || word[i] == '_' ? '-' : (char)tolower((unsigned char)word[i]);
    buf[i] = '\0';
    return buf;
}

bool
html_page_new(html_page *p, const char *title)
{
    xmlNodePtr html, head, meta;

    memset(p, 0, sizeof(*p));
    if ((p->doc = htmlNewDocNoDtD(NULL, NULL)) == NULL)
        return false;
    p->doc->_private = p;
    /* <!DOCTYPE html>: written by the library */
    if (xmlCreateIntSubset(p->doc, (const xmlChar *)"html", NULL, NULL) == NULL ||
        (html = xmlNewDocNode(p->doc, NULL, (const xmlChar *)"html", NULL)) == NULL) {
        html_page_free(p);
        return false;
    }
    xmlDocSetRootElement(p->doc, html);
    html_attr(html, "lang", "en");
    head = html_el(html, "head", NULL, NULL);
    meta = html_el(head, "meta", NULL, NULL);
    html_attr(meta, "charset", "utf-8");
    meta = html_el(head, "meta", NULL, NULL);
    html_attr(meta, "name", "viewport");
    html_attr(meta, "content", "width=device-width, initial-scale=1");
    html_value_el(head, "title", NULL, title);
    html_el(head, "style", NULL, stylesheet);
    p->body = html_el(html, "body", NULL, NULL);
    if (p->failed) {
        html_page_free(p);
        return false;
    }
    return true;
}

void
html_page_free(html_page *p)
{
    xmlFreeDoc(p->doc);
    memset(p, 0, sizeof(*p));
}

int
html_page_write(html_page *p, FILE *out)
{
    xmlCharEncodingHandlerPtr utf8 = xmlFindCharEncodingHandler("UTF-8");
    xmlOutputBufferPtr buf;

    if (p->failed || utf8 == NULL || (buf = xmlOutputBufferCreateFile(out, utf8)) == NULL) {
        errno = ENOMEM;
        return -1;
    }
    htmlDocContentDumpFormatOutput(buf, p->doc, "UTF-8", 1);
    if (xmlOutputBufferClose(buf) < 0 || fflush(out) != 0 || ferror(out)) {
        if (errno == 0)
            errno = EIO;
        return -1;
    }
    return 0;
}
