/* html_internal.h - the HTML report's pages (html_doc.c, html_svg.c): a
 * small layer over libxml2's HTML tree, so that the library does every
 * escape; not part of the library's interface.
 *
 * Text comes in two kinds: the tool's own words (html_words, html_el's
 * text) and values read from outside (html_value, html_showf's %s
 * arguments), which first go through the display escaper (display.h), so
 * that control characters and invalid UTF-8 are seen as escapes.  Both
 * become text nodes: never markup.
 *
 * A helper given a NULL parent does nothing and returns NULL; one that
 * runs out of memory marks the page failed (html_page_write then fails
 * with ENOMEM), so that callers build a whole page and check once. */
#ifndef SPNAUDIT_HTML_INTERNAL_H
#define SPNAUDIT_HTML_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "spnaudit/fix.h"
#include "spnaudit/report.h"

typedef struct html_page {
    htmlDocPtr doc;
    xmlNodePtr body;
    bool failed; /* out of memory while building */
} html_page;

/* A new page titled title (the tool's words and values shown escaped),
 * with the report's stylesheet; false on out of memory. */
bool html_page_new(html_page *p, const char *title);
void html_page_free(html_page *p);
/* The page: <!DOCTYPE html>, then the document as UTF-8; 0 or -1 (errno
 * set: ENOMEM when it could not be built whole). */
int html_page_write(html_page *p, FILE *out);

/* A new element name (with class cls, or none) at the end of parent,
 * holding words (the tool's own text) when not NULL. */
xmlNodePtr html_el(xmlNodePtr parent, const char *name, const char *cls, const char *words);
/* An attribute of the tool's own (never a value from outside). */
void html_attr(xmlNodePtr node, const char *name, const char *value);
/* The tool's words as a text node at the end of parent. */
void html_words(xmlNodePtr parent, const char *words);
/* A value from outside, shown escaped (display.h), as a text node. */
void html_value(xmlNodePtr parent, const char *value);
/* An element name (class cls) holding value shown escaped; "-" for NULL. */
xmlNodePtr html_value_el(xmlNodePtr parent, const char *name, const char *cls, const char *value);
/* An element holding sa_show_printf's text: every %s argument shown
 * escaped, the rest the tool's words. */
xmlNodePtr html_showf(xmlNodePtr parent, const char *name, const char *cls, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A table with a header row of the n headings, in parent; its rows go
 * to the table itself (html_row). */
xmlNodePtr html_table(xmlNodePtr parent, const char *cls, const char *const *headings, size_t n);
xmlNodePtr html_row(xmlNodePtr table, const char *cls);
/* A cell of the tool's words / of a value shown escaped. */
xmlNodePtr html_cell(xmlNodePtr row, const char *cls, const char *words);
xmlNodePtr html_value_cell(xmlNodePtr row, const char *cls, const char *value);
/* A cell of a number. */
xmlNodePtr html_count_cell(xmlNodePtr row, size_t n);

/* A fix for shell under parent: its command lines in a <pre> (as the text
 * report writes them: pasted, never escaped by the display rules, see
 * fixline.h), or the sentence why there are none, then its steps in the
 * tool's words (shown escaped).  label: "fix", "do". */
void html_fix(xmlNodePtr parent, const char *label, const sa_fix *fix, sa_shell shell);

/* A severity, verdict or state as a class name: lower case, spaces as '-'
 * ("not checked" -> "not-checked"), into buf. */
const char *html_class_of(const char *word, char *buf, size_t size);

/* ---- the audit (report_html.c, report_html_changes.c) */
/* A finding: its severity, code, subject and change, message, evidence,
 * OpsMgr events (with their titles) and fix for shell. */
void html_finding(xmlNodePtr parent, const sa_finding *f, sa_shell shell);
/* One line about a finding (severity, code, subject, server) in a list. */
void html_finding_item(xmlNodePtr list, const sa_finding *f);
/* The changes since the baseline (when r has one) and the scope of the
 * run, each a section of body. */
void html_changes(xmlNodePtr body, const sa_report *r);
void html_scope(xmlNodePtr body, const sa_report *r);

/* ---- the trust map (html_svg.c) */
/* The SVG text svg parsed (never fetching, never expanding entities) and
 * copied into parent keeping only what an allow-list names: drawing
 * elements (svg, g, title, desc, text, tspan, path, polygon, polyline,
 * ellipse, circle, rect, line, defs; an <a> kept as a <g>) and their
 * presentation attributes, never a script, an event handler, a link, a
 * style or a foreign object.  The copy's root, or NULL with *why set (a
 * static sentence: the text is not SVG). */
xmlNodePtr html_svg_import(xmlNodePtr parent, const char *svg, const char **why);

#endif
