/* baseline-bench: --baseline on plain data.  A report of 20,000 findings
 * (SPN_STALE and SPN_DUPLICATE on 10,000 SPNs, a tenth on servers) is
 * written as JSON; each run reads it back as the baseline and compares it
 * with 20,000 findings of now of which a tenth differ, both reports of
 * the same scope (ten servers, one domain).  Prints the median
 * and the worst of the runs, for the reading and for the comparison.
 * Target: both together well under a second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spnaudit/baseline.h"
#include "spnaudit/report.h"

#include "bench.h"

#define FINDINGS 20000
#define RUNS 20

static void
fill(sa_findings *list, int shift)
{
    char subject[64], server[64];

    for (int i = 0; i < FINDINGS; i++) {
        int n = i / 2 + (shift && i % 10 == 0 ? 100000 : 0);
        sa_finding *f;

        snprintf(subject, sizeof(subject), "MSOMHSvc/agent%06d.contoso.test", n);
        snprintf(server, sizeof(server), "ms%02d.contoso.test", n % 10);
        f = sa_findings_add(list, i % 2 ? SA_F_SPN_DUPLICATE : SA_F_SPN_STALE, subject,
                            n % 10 == 0 ? server : NULL);
        if (f == NULL || !sa_finding_message(f, "%s is held by two accounts", subject)) {
            fprintf(stderr, "baseline-bench: out of memory\n");
            exit(1);
        }
    }
}

/* One domain, the ten servers of fill, MSOMHSvc. */
static void
fill_scope(sa_report_scope *s)
{
    char server[64];
    bool ok = sa_strv_add(&s->domains, "contoso.test") && sa_strv_add(&s->service_classes, "MSOMHSvc");

    for (int i = 0; ok && i < 10; i++) {
        snprintf(server, sizeof(server), "ms%02d.contoso.test", i);
        ok = sa_strv_add(&s->servers, server);
    }
    if (!ok) {
        fprintf(stderr, "baseline-bench: out of memory\n");
        exit(1);
    }
    s->known = true;
    s->tickets = SA_SCOPE_TICKETS_ALL;
    s->reachability = true;
}

static void
report(const char *what, double *ms)
{
    sort_runs(ms, RUNS);
    printf("%-28s median %.1f ms, worst %.1f ms\n", what, ms[RUNS / 2], ms[RUNS - 1]);
}

int
main(void)
{
    sa_findings old = {NULL, 0, 0}, now = {NULL, 0, 0};
    sa_accounts accounts = {NULL, 0, 0};
    sa_report r;
    sa_report_scope scope;
    char *text = NULL;
    size_t len = 0, n_new = 0, n_fixed = 0;
    double read_ms[RUNS], compare_ms[RUNS];
    FILE *out = open_memstream(&text, &len);

    fill(&old, 0);
    memset(&scope, 0, sizeof(scope));
    fill_scope(&scope);
    memset(&r, 0, sizeof(r));
    r.scope = &scope;
    r.accounts = &accounts;
    r.findings = &old;
    r.complete = true;
    if (out == NULL || sa_report_json(&r, out) != 0 || fclose(out) != 0) {
        fprintf(stderr, "baseline-bench: cannot write the report\n");
        return 1;
    }
    for (int run = 0; run < RUNS; run++) {
        sa_baseline b;
        sa_comparison cmp;
        sa_coverage cov = {&scope, true};
        sa_error err = {SA_OK, ""};
        double t0 = now_ms(), t1;

        if (sa_baseline_parse(text, len, "bench.json", &b, &err) != SA_OK) {
            fprintf(stderr, "baseline-bench: %s\n", err.message);
            return 1;
        }
        t1 = now_ms();
        read_ms[run] = t1 - t0;
        fill(&now, 1);
        t1 = now_ms();
        memset(&cmp, 0, sizeof(cmp));
        if (sa_baseline_compare(&b.findings, sa_baseline_coverage(&b), &now, cov, &cmp, &err) != SA_OK) {
            fprintf(stderr, "baseline-bench: %s\n", err.message);
            return 1;
        }
        compare_ms[run] = now_ms() - t1;
        n_new = sa_findings_count_change(&now, SA_CHANGE_NEW);
        n_fixed = cmp.fixed.n;
        sa_comparison_clear(&cmp);
        sa_findings_clear(&now);
        sa_baseline_clear(&b);
    }
    printf("%d findings, %zu bytes of JSON; %zu new, %zu fixed\n", FINDINGS, len, n_new, n_fixed);
    report("read the baseline:", read_ms);
    report("compare with the findings:", compare_ms);
    free(text);
    sa_findings_clear(&old);
    sa_report_scope_clear(&scope);
    return 0;
}
