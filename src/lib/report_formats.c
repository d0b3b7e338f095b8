/* report_formats.c - the audit report for spreadsheets (CSV), Prometheus
 * (the textfile collector of node_exporter) and monitoring plugins
 * (Nagios, Icinga, Naemon). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "spnaudit/display.h"
#include "spnaudit/report.h"

/* 0 when everything reached out, else -1 (errno set by the stream). */
static int
finish_output(FILE *out)
{
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* The event IDs, space-separated, into buf. */
static const char *
events_text(const sa_finding *f, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < f->n_events && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%d", i ? " " : "", f->events[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}

/* sep, then "1 word" or "N words". */
static void
plural_count(FILE *out, size_t n, const char *word, const char *sep)
{
    fprintf(out, "%s%zu %s%s", sep, n, word, n == 1 ? "" : "s");
}

/* ------------------------------------------------------------ CSV */

enum { CSV_COLUMNS = 9, CSV_FIX = 7 };

static const char *const csv_header[CSV_COLUMNS] = {
    "severity", "code", "server", "subject", "events", "message", "evidence", "fix", "change",
};

/* One field (NULL is empty), shown as display.h says (so no control byte
 * reaches the file; a fix keeps its line breaks, multiline), quoted when it
 * holds a comma, a quote or a line break, with its quotes doubled (RFC
 * 4180). */
static void
csv_field(FILE *out, const char *s, bool multiline)
{
    char *shown = NULL;

    if (s == NULL)
        return;
    if (strpbrk(s, ",\"\r\n") == NULL && !sa_show_needed(s)) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    while (*s != '\0') {
        size_t len = multiline ? strcspn(s, "\n") : strlen(s);
        if ((shown = malloc(SA_SHOWN_MAX(len))) == NULL) {
            fputs("(out of memory)", out);
            break;
        }
        sa_shown_buf(s, len, shown);
        for (const char *p = shown; *p != '\0'; p++) {
            if (*p == '"')
                fputc('"', out);
            fputc(*p, out);
        }
        free(shown);
        shown = NULL;
        s += len;
        if (*s == '\n')
            fputc(*s++, out);
    }
    fputc('"', out);
}

static void
csv_row(FILE *out, const char *const fields[CSV_COLUMNS])
{
    for (size_t i = 0; i < CSV_COLUMNS; i++) {
        if (i > 0)
            fputc(',', out);
        csv_field(out, fields[i], i == CSV_FIX);
    }
    fputs("\r\n", out);
}

int
sa_report_csv(const sa_report *r, FILE *out)
{
    csv_row(out, csv_header);
    for (size_t i = 0; i < r->findings->n; i++) {
        const sa_finding *f = &r->findings->items[i];
        char events[SA_MAX_EVENTS * 12 + 1], *fix = sa_fix_render(&f->fix, r->fix_shell);
        const char *row[CSV_COLUMNS] = {
            sa_severity_name(f->severity),
            f->code,
            f->server,
            f->subject,
            events_text(f, events, sizeof(events)),
            f->message,
            f->evidence,
            fix,
            f->change,
        };
        csv_row(out, row);
        free(fix);
    }
    return finish_output(out);
}

/* ------------------------------------------------------------ Prometheus */

/* sep, then name="value", the value shown as display.h says (no control
 * byte, valid UTF-8), then escaped as the exposition format wants:
 * backslash, double quote and line feed. */
void
prom_label(FILE *out, const char *sep, const char *name, const char *value)
{
    char *shown = sa_shown_dup(value ? value : "");

    fprintf(out, "%s%s=\"", sep, name);
    for (const char *p = shown ? shown : "(out of memory)"; *p != '\0'; p++) {
        if (*p == '\\')
            fputs("\\\\", out);
        else if (*p == '"')
            fputs("\\\"", out);
        else if (*p == '\n')
            fputs("\\n", out);
        else
            fputc(*p, out);
    }
    fputc('"', out);
    free(shown);
}

void
prom_family(FILE *out, const char *name, const char *help)
{
    fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* A one-sample family with the domain label; the value with that many
 * decimals. */
static void
prom_gauge(FILE *out, const sa_report *r, const char *name, const char *help, int decimals, double value)
{
    prom_family(out, name, help);
    fputs(name, out);
    prom_label(out, "{", "domain", r->domain);
    fputs("} ", out);
    fprintf(out, "%.*f\n", decimals, value);
}

static int
cmp_code_severity(const void *pa, const void *pb)
{
    const sa_finding *a = *(const sa_finding *const *)pa, *b = *(const sa_finding *const *)pb;
    int c = strcmp(a->code, b->code);

    if (c != 0)
        return c;
    return (int)a->severity - (int)b->severity;
}

int
sa_report_prometheus(const sa_report *r, FILE *out)
{
    static const sa_severity severities[] = {SA_SEV_INFO, SA_SEV_WARNING, SA_SEV_FAILURE};
    const sa_finding **v = NULL;
    size_t n = r->findings->n;
    int ret = -1;

    if ((v = sa_findings_view(r->findings, cmp_code_severity)) == NULL) {
        errno = ENOMEM;
        goto cleanup;
    }
    if (n > 0)
        prom_family(out, "spnaudit_findings", "Findings of the last audit, by code and severity.");
    for (size_t i = 0, count; i < n; i += count) {
        for (count = 1; i + count < n && cmp_code_severity(&v[i], &v[i + count]) == 0; count++)
            ;
        fputs("spnaudit_findings", out);
        prom_label(out, "{", "domain", r->domain);
        prom_label(out, ",", "code", v[i]->code);
        prom_label(out, ",", "severity", sa_severity_name(v[i]->severity));
        fprintf(out, "} %zu\n", count);
    }
    prom_family(out, "spnaudit_findings_total", "Findings of the last audit, by severity.");
    for (size_t i = 0; i < sizeof(severities) / sizeof(severities[0]); i++) {
        fputs("spnaudit_findings_total", out);
        prom_label(out, "{", "domain", r->domain);
        prom_label(out, ",", "severity", sa_severity_name(severities[i]));
        fprintf(out, "} %zu\n", sa_findings_count(r->findings, severities[i]));
    }
    prom_gauge(out, r, "spnaudit_tickets_tried", "Service tickets requested.", 0,
               (double)sa_tickets_count_tried(r->tickets));
    prom_gauge(out, r, "spnaudit_tickets_failed", "Service tickets the KDC refused.", 0,
               (double)sa_tickets_count_refused(r->tickets));
    prom_gauge(out, r, "spnaudit_duration_seconds", "How long the audit took.", 3, r->seconds);
    prom_gauge(out, r, "spnaudit_audit_complete", "1 when the audit read and checked everything, else 0.", 0,
               r->complete ? 1.0 : 0.0);
    prom_gauge(out, r, "spnaudit_exit_status",
               "The audit's exit status: 0 clean, 1 warnings, 2 failures, 3 incomplete.", 0,
               (double)r->exit_status);
    prom_gauge(out, r, "spnaudit_last_run_timestamp_seconds",
               "When the audit ended, in seconds since the epoch.", 3, r->timestamp);
    if (r->complete)
        prom_gauge(out, r, "spnaudit_last_success_timestamp_seconds",
                   "When the last complete audit ended, in seconds since the epoch.", 3, r->timestamp);
    ret = finish_output(out);
cleanup:
    free(v);
    return ret;
}

/* ------------------------------------------------------------ Nagios */

const char *
sa_nagios_status(int exit_status)
{
    switch (exit_status) {
    case SA_EXIT_OK:
        return "OK";
    case SA_EXIT_WARNING:
        return "WARNING";
    case SA_EXIT_FAILURE:
        return "CRITICAL";
    default:
        return "UNKNOWN";
    }
}

/* Text on one plugin output line: shown as display.h says (so line breaks
 * and other control bytes are escaped), and '|', which would start
 * performance data, becomes '/'. */
void
plugin_text(FILE *out, const char *s)
{
    char *shown = sa_shown_dup(s ? s : "");

    for (const char *p = shown ? shown : "(out of memory)"; *p != '\0'; p++)
        fputc(*p == '|' ? '/' : *p, out);
    free(shown);
}

static int
cmp_worst_first(const void *pa, const void *pb)
{
    const sa_finding *a = *(const sa_finding *const *)pa, *b = *(const sa_finding *const *)pb;

    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    return a < b ? -1 : a > b; /* else in the report's order */
}

static void
nagios_summary(FILE *out, const sa_report *r, const sa_finding *worst)
{
    size_t failures = sa_findings_count(r->findings, SA_SEV_FAILURE),
           warnings = sa_findings_count(r->findings, SA_SEV_WARNING),
           infos = sa_findings_count(r->findings, SA_SEV_INFO);
    bool incomplete = !r->complete || r->exit_status == SA_EXIT_INCOMPLETE;

    if (incomplete) {
        fputs("audit incomplete: ", out);
        plugin_text(out, r->incomplete_reason ? r->incomplete_reason : "the audit did not finish");
        if (r->findings->n == 0)
            return;
        fputs("; so far", out);
    } else if (r->exit_status > SA_EXIT_INCOMPLETE || r->exit_status < 0) {
        fprintf(out, "exit status %d; ", r->exit_status);
    }
    plural_count(out, failures, "failure", incomplete ? " " : "");
    plural_count(out, warnings, "warning", ", ");
    fprintf(out, ", %zu info in ", infos);
    plugin_text(out, r->domain ? r->domain : "?");
    if (worst != NULL && worst->severity > SA_SEV_INFO) {
        fputs("; worst: ", out);
        plugin_text(out, worst->code);
        fputc(' ', out);
        plugin_text(out, worst->subject);
    }
}

int
sa_report_nagios(const sa_report *r, FILE *out)
{
    static const char *const labels[] = {"INFO", "WARNING", "FAILURE"};
    const sa_finding **v = NULL;
    size_t n = r->findings->n;
    int ret = -1;

    if ((v = sa_findings_view(r->findings, cmp_worst_first)) == NULL) {
        errno = ENOMEM;
        goto cleanup;
    }
    fprintf(out, "SPNAUDIT %s - ", sa_nagios_status(r->exit_status));
    nagios_summary(out, r, n > 0 ? v[0] : NULL);
    fprintf(out,
            " | failures=%zu;;; warnings=%zu;;; tickets_failed=%zu;;; tickets_tried=%zu;;; time=%.3fs;;;\n",
            sa_findings_count(r->findings, SA_SEV_FAILURE), sa_findings_count(r->findings, SA_SEV_WARNING),
            sa_tickets_count_refused(r->tickets), sa_tickets_count_tried(r->tickets), r->seconds);
    for (size_t i = 0; i < n; i++) {
        const sa_finding *f = v[i];

        fprintf(out, "%s ", labels[f->severity]);
        plugin_text(out, f->code);
        fputc(' ', out);
        plugin_text(out, f->subject);
        if (f->server != NULL) {
            fputs(" on ", out);
            plugin_text(out, f->server);
        }
        if (f->message != NULL) {
            fputs(": ", out);
            plugin_text(out, f->message);
        }
        fputc('\n', out);
    }
    ret = finish_output(out);
cleanup:
    free(v);
    return ret;
}
