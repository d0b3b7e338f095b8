/* report_internal.h - what the report writers share (report*.c); not
 * part of the library's interface. */
#ifndef SPNAUDIT_REPORT_INTERNAL_H
#define SPNAUDIT_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "spnaudit/cert_template.h"
#include "spnaudit/display.h"
#include "spnaudit/report.h"
#include "spnaudit/trust.h"

/* ---- JSON (report_json.c) */
/* A string, or JSON null for NULL. */
json_object *jstr(const char *s);
/* Add to obj; false when a value could not be made (val is dropped). */
bool jadd(json_object *obj, const char *key, json_object *val, bool nullable);
/* o with child added as key when ok; else both dropped and NULL. */
json_object *finish(json_object *o, bool ok, const char *key, json_object *child);
/* Append item to a; false (item dropped) when it could not be made or added. */
bool jappend(json_object *a, json_object *item);
/* o when all went well (ok), else NULL (o dropped). */
json_object *built(json_object *o, bool ok);
/* The findings of list as an array; with cmp, each with why it was not
 * compared (old: list is the baseline's). */
json_object *json_findings(const sa_findings *list, const sa_comparison *cmp, bool old);
/* A JSON array of the strings (empty for NULL). */
json_object *json_strv(const sa_strv *v);
/* A finding; why: why it was not compared, or NULL. */
json_object *json_finding(const sa_finding *f, const char *why);
/* A ticket: asked for or not, issued, or why it was refused. */
json_object *json_ticket_result(const sa_ticket *t);
json_object *json_tool(void);
/* The document, pretty-printed, then a newline; 0 or -1 (errno set). */
int write_json(json_object *root, FILE *out);
/* text written with each DEL as \u007f (see write_json); 0 or -1. */
int put_json_text(const char *text, FILE *out);
/* The i-th item of a streamed array (NULL: out of memory). */
typedef json_object *(*json_item_fn)(const void *data, size_t i);
/* The document write_json would write for head's members, then key: the
 * n items of item(data, i), then tail's members (tail may be NULL), each
 * item built, written and dropped in turn, so that a long array never
 * lies in memory whole (report_stream.c); 0 or -1 (errno set). */
int write_json_streamed(json_object *head, const char *key, size_t n, json_item_fn item, const void *data,
                        json_object *tail, FILE *out);

/* ---- certificate templates (report_template.c) */
/* Each template of list: name, display_name, ekus, csps, the flags and
 * numbers read (null when not read), usable (null when not fully checked),
 * verdict, not_checked, and its findings of findings. */
json_object *json_templates(const sa_cert_templates *list, const sa_findings *findings);

/* ---- scope and changes (report_changes.c) */
json_object *json_scope(const sa_report_scope *s);
json_object *json_checks_not_run(const sa_report_scope *s);
/* root's "baseline" (file, generated, the counts, the scope's changes),
 * "fixed" and "not_compared"; false on out of memory. */
bool json_add_changes(json_object *root, const char *file, const char *generated, const sa_findings *findings,
                      const sa_comparison *cmp);
/* A fix, each line after margin: its commands for shell under
 * "WORD (shell): ", written as they are (fixline.h: nothing in them would
 * be escaped), or why there are none; then its steps in the tool's words,
 * escaped, one line each. */
void text_fix(FILE *out, const char *margin, const char *word, const sa_fix *fix, sa_shell shell);
/* text_fix with its steps in words wrapped to width, from shown (as
 * sa_finding's fix_text_shown), or unwrapped when shown is NULL; the
 * command lines never are: they are pasted. */
void text_fix_wrapped(FILE *out, const char *margin, const char *word, const sa_fix *fix, sa_shell shell,
                      const char *shown, size_t width);
/* "Scope: ..." and the checks not run, a few lines, wrapped to width;
 * asked: the tickets asked for, of spns, the SPNs read. */
void text_scope(FILE *out, const sa_report_scope *s, size_t asked, size_t spns, size_t width);
/* The "Changes ..." line (head: its start, escaped, values glued; the
 * counts follow), the scope's changes, the new and the fixed findings
 * (with fixes: each new one with its fix for *fixes, as the text report
 * writes it), and the groups not compared, wrapped to width. */
void text_changes(FILE *out, const char *head, const sa_findings *findings, const sa_comparison *cmp,
                  size_t width, const sa_shell *fixes);

/* ---- fitting lines to a width (report_wrap.c) */
/* Stands for a space of a value in text to wrap: never a place to break. */
#define TEXT_GLUE SA_SHOW_GLUE
/* s escaped, its spaces TEXT_GLUE (malloc'd; NULL if s is or on no memory). */
char *text_shown_glued(const char *s);
/* The Prometheus exposition format: sep, then name="value" (the value
 * shown as display.h says, then escaped as the format wants); a gauge
 * family's HELP and TYPE lines. */
void prom_label(FILE *out, const char *sep, const char *name, const char *value);
void prom_family(FILE *out, const char *name, const char *help);
/* Text on one monitoring-plugin output line: shown, '|' as '/'. */
void plugin_text(FILE *out, const char *s);

/* A finding's message on its own lines under it (indent 10), wrapped to
 * width at the tool's own spaces (one unbreakable value when the finding
 * came from a file and the values in it are no longer known). */
void text_message(FILE *out, const sa_finding *f, size_t width);
/* A finding under the thing it is about (cert's certificates and
 * templates): "  SEVERITY CODE", then its message, evidence, OpsMgr events and fix
 * for shell, indented by 10, wrapped to width. */
void text_finding_under(FILE *out, const sa_finding *f, sa_shell shell, size_t width);
/* "evidence: ..." under a finding (indent 10, wrapped at 20), when it has
 * any. */
void text_evidence(FILE *out, const sa_finding *f, size_t width);
/* "OpsMgr events: 20057, 21001" under a finding (indent 10), when it has any. */
void text_events(FILE *out, const sa_finding *f);
/* The columns the n bytes of s take when shown: one per character (s is
 * escaped text: valid UTF-8, no control characters). */
size_t text_columns(const char *s, size_t n);
/* line (escaped text, one line, TEXT_GLUE for the spaces of values) and a
 * newline, with used columns already on the output line: words that would
 * pass width go to a new line indented by indent; a word wider than the
 * room stays whole.  width 0: as it is. */
void text_wrap(FILE *out, const char *line, size_t used, size_t indent, size_t width);
/* sa_show_printf's text (no newline in fmt), the spaces of its %s
 * arguments glued, then text_wrap. */
void text_wrapf(FILE *out, size_t used, size_t indent, size_t width, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* ---- the servers in the text report (report.c, report_overview.c) */
/* Does ref's SPN name server s? */
bool spn_is_for_server(const sa_report *r, const sa_spn_ref *ref, const sa_server *s);
/* The ticket asked for ref's SPN, or NULL. */
const sa_ticket *ticket_of(const sa_report *r, const sa_spn_ref *ref);
/* The worst severity of s's findings; *any: it has some. */
sa_severity worst_for_server(const sa_report *r, const sa_server *s, bool *any);
/* The servers worst first, then by name (r->n_servers + 1 slots, to
 * free; NULL on out of memory). */
const sa_server **sorted_servers(const sa_report *r);
/* Does the finding belong to one of the report's servers? */
bool of_a_server(const sa_report *r, const sa_finding *f);
/* The name an account is shown by: its sAMAccountName, else its DN. */
const char *holder_name(const sa_account *a);
/* The SPNs the accounts hold. */
size_t count_spns(const sa_accounts *accounts);
/* A server's verdict in the overview: from its findings, not checked when
 * its domain could not be read. */
typedef enum verdict { V_OK, V_WARNING, V_FAILURE, V_NOT_CHECKED, V_COUNT } verdict;
/* "OK", "WARNING", "FAILURE", "not checked". */
const char *verdict_word(verdict v);
/* One server's overview line, counted: its SPNs, the tickets asked and
 * refused, its findings. */
typedef struct server_row {
    verdict v;
    size_t spns, tried, refused, findings;
} server_row;
server_row count_row(const sa_report *r, const sa_spn_index *idx, const sa_server *s);
/* What the tickets of a server's SPNs gave, in a few words ("-", "not
 * asked", "2 refused", "ok"). */
void tickets_word(const server_row *row, char *buf, size_t size);
/* One line per server (in the order given) and the totals, fitted to width. */
void text_overview(FILE *out, const sa_report *r, const sa_spn_index *idx, const sa_server *const *servers,
                   size_t width);
/* With no server named: why none was checked, the servers found in the
 * directory (report_discovered.c). */
void text_no_servers(FILE *out, const sa_report *r, bool in_report);
/* r->discovered for the JSON report: each host, where it was found and
 * whether it is a plain DNS name, the SCPs' error, the command line. */
json_object *json_discovered(const sa_report *r);
/* The text report's width: r->width, or 80. */
size_t text_width(const sa_report *r);

/* ---- trusts and plan (report_trusts.c) */
/* A trust verdict in the trusts report's words ("KERBEROS", "CERTIFICATES
 * REQUIRED", ...) and in the plan's ("Kerberos", "certificates", ...). */
const char *verdict_text(sa_verdict_kind k);
const char *kind_text(sa_verdict_kind k);

#endif
