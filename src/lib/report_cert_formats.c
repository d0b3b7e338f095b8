/* report_cert_formats.c - "spnaudit cert" for monitoring: the Prometheus
 * text exposition format (days to expiry per certificate, findings by
 * code) and a monitoring plugin's output (warning on a certificate that
 * expires soon, critical on an expired or unusable one). */
#include <errno.h>
#include <string.h>

#include "report_internal.h"
#include "spnaudit/report_cert.h"

static size_t
count_code(const sa_findings *list, const char *code)
{
    size_t n = 0;

    for (size_t i = 0; i < list->n; i++)
        n += strcmp(list->items[i].code, code) == 0;
    return n;
}

static void
prom_days_left(const sa_cert_report *r, FILE *out)
{
    prom_family(out, "spnaudit_cert_days_left",
                "Whole days to the end of the certificate's validity, negative once expired");
    for (size_t i = 0; i < r->certs->n; i++) {
        const sa_cert *c = &r->certs->items[i];
        if (!c->dates_read)
            continue; /* not read: no value rather than a wrong one */
        fputs("spnaudit_cert_days_left", out);
        prom_label(out, "{", "host", c->host ? c->host : "");
        prom_label(out, ",", "source", c->source);
        prom_label(out, ",", "serial", c->serial);
        fprintf(out, "} %ld\n", sa_cert_days_left(c, r->now));
    }
}

/* Every certificate finding code, 0 when absent, so that an alert can
 * tell "fixed" from "not reported". */
static void
prom_findings(const sa_cert_report *r, FILE *out)
{
    prom_family(out, "spnaudit_cert_findings", "Findings of the certificate checks, by code");
    for (int k = SA_F_CERT_EKU_MISSING; k <= SA_F_CERT_CHAIN_UNTRUSTED; k++) {
        const char *code = sa_finding_kind_code((sa_finding_kind)k);
        fputs("spnaudit_cert_findings", out);
        prom_label(out, "{", "code", code);
        prom_label(out, ",", "severity", sa_severity_name(sa_finding_kind_severity((sa_finding_kind)k)));
        fprintf(out, "} %zu\n", count_code(r->findings, code));
    }
}

int
sa_cert_report_prometheus(const sa_cert_report *r, FILE *out)
{
    prom_days_left(r, out);
    prom_findings(r, out);
    prom_family(out, "spnaudit_cert_certificates", "Certificates checked");
    fprintf(out, "spnaudit_cert_certificates %zu\n", r->certs->n);
    if (r->from_directory) {
        prom_family(out, "spnaudit_cert_hosts_not_checked", "Hosts whose certificates could not be read");
        fprintf(out, "spnaudit_cert_hosts_not_checked %zu\n", r->unread->n);
    } else {
        prom_family(out, "spnaudit_cert_files_not_read", "Files that could not be read");
        fprintf(out, "spnaudit_cert_files_not_read %zu\n", r->unread->n);
    }
    prom_family(out, "spnaudit_cert_exit_status", "The exit status of the run");
    fprintf(out, "spnaudit_cert_exit_status %d\n", r->exit_status);
    prom_family(out, "spnaudit_cert_duration_seconds", "How long the run took");
    fprintf(out, "spnaudit_cert_duration_seconds %.3f\n", r->seconds);
    prom_family(out, "spnaudit_cert_last_run_timestamp_seconds", "When the checks were made");
    fprintf(out, "spnaudit_cert_last_run_timestamp_seconds %lld\n", (long long)r->now);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* The certificate that ends first (NULL when no dates were read). */
static const sa_cert *
soonest(const sa_cert_report *r)
{
    const sa_cert *first = NULL;

    for (size_t i = 0; i < r->certs->n; i++) {
        const sa_cert *c = &r->certs->items[i];
        if (c->dates_read && (first == NULL || c->not_after < first->not_after))
            first = c;
    }
    return first;
}

static void
nagios_summary(const sa_cert_report *r, const sa_cert *first, FILE *out)
{
    size_t failures = sa_findings_count(r->findings, SA_SEV_FAILURE),
           warnings = sa_findings_count(r->findings, SA_SEV_WARNING);

    if (r->unread->n > 0)
        fprintf(out, "%zu %s%s not %s; ", r->unread->n, r->from_directory ? "host" : "file",
                r->unread->n == 1 ? "" : "s", r->from_directory ? "checked" : "read");
    fprintf(out, "%zu failure%s, %zu warning%s in %zu certificate%s", failures, failures == 1 ? "" : "s",
            warnings, warnings == 1 ? "" : "s", r->certs->n, r->certs->n == 1 ? "" : "s");
    if (first != NULL) {
        long days = sa_cert_days_left(first, r->now);
        if (days < 0)
            fprintf(out, "; one ended %ld days ago (", -days);
        else
            fprintf(out, "; the first ends in %ld days (", days);
        plugin_text(out, first->source);
        fputc(')', out);
    }
    if (r->findings->n > 0 && r->findings->items[0].severity > SA_SEV_INFO) {
        fputs("; worst: ", out);
        plugin_text(out, r->findings->items[0].code);
        fputc(' ', out);
        plugin_text(out, r->findings->items[0].subject);
    }
}

int
sa_cert_report_nagios(const sa_cert_report *r, FILE *out)
{
    static const char *const labels[] = {"INFO", "WARNING", "FAILURE"};
    const sa_cert *first = soonest(r);

    fprintf(out, "SPNAUDIT-CERT %s - ", sa_nagios_status(r->exit_status));
    nagios_summary(r, first, out);
    fprintf(out, " | failures=%zu;;; warnings=%zu;;; certificates=%zu;;; time=%.3fs;;;",
            sa_findings_count(r->findings, SA_SEV_FAILURE), sa_findings_count(r->findings, SA_SEV_WARNING),
            r->certs->n, r->seconds);
    if (first != NULL)
        fprintf(out, " min_days_left=%ld;;;", sa_cert_days_left(first, r->now));
    fputc('\n', out);
    for (size_t i = 0; i < r->findings->n; i++) { /* sorted worst first by the run */
        const sa_finding *f = &r->findings->items[i];
        fprintf(out, "%s %s ", labels[f->severity], f->code);
        plugin_text(out, f->subject);
        fputs(": ", out);
        plugin_text(out, f->message ? f->message : "");
        fputc('\n', out);
    }
    for (size_t i = 0; i < r->unread->n; i++) {
        fputs(r->from_directory ? "UNKNOWN not checked: " : "UNKNOWN not read: ", out);
        plugin_text(out, r->unread->items[i]);
        fputc('\n', out);
    }
    if (fflush(out) != 0 || ferror(out)) {
        errno = errno ? errno : EIO;
        return -1;
    }
    return 0;
}
