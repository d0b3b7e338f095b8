/* fuzz_baseline.c - libFuzzer harness for a JSON report read back
 * (baseline.c): any bytes parse or are refused with a message naming the
 * file, without a crash or a leak; a report read back compared with
 * itself finds every finding persisting, none new, fixed or not compared,
 * and nothing changed in its scope; abort() otherwise.  Run as
 *   build-fuzz/tests/fuzz/fuzz_baseline -max_total_time=300 NEWDIR tests/fuzz/corpus/baseline */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/baseline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
broken(const char *what)
{
    fprintf(stderr, "baseline invariant broken: %s\n", what);
    abort();
}

/* b compared with a second reading of the same text. */
static void
check_self(const sa_baseline *b, const char *text, size_t size)
{
    sa_baseline again;
    sa_comparison cmp;
    sa_error err;

    memset(&cmp, 0, sizeof(cmp));
    if (sa_baseline_parse(text, size, "report.json", &again, &err) != SA_OK)
        broken("a report read once is refused the second time");
    if (again.findings.n != b->findings.n || again.complete != b->complete)
        broken("two readings differ");
    if (sa_baseline_compare(&b->findings, sa_baseline_coverage(b), &again.findings,
                            sa_baseline_coverage(&again), &cmp, &err) != SA_OK)
        broken("comparing a report with itself failed");
    if (cmp.fixed.n != 0 || cmp.not_compared.n != 0)
        broken("a report compared with itself has fixed or uncompared findings");
    for (size_t i = 0; i < again.findings.n; i++)
        if (again.findings.items[i].change == NULL ||
            strcmp(again.findings.items[i].change, SA_CHANGE_PERSISTING) != 0)
            broken("a finding compared with itself is not persisting");
    if (cmp.scope_known && cmp.scope_changes.n != 0)
        broken("a scope compared with itself changed");
    sa_comparison_clear(&cmp);
    sa_baseline_clear(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    sa_baseline b;
    sa_error err;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&err, 0, sizeof(err));
    if (sa_baseline_parse(text, size, "report.json", &b, &err) == SA_OK) {
        for (size_t i = 0; i < b.findings.n; i++)
            if (b.findings.items[i].code == NULL || b.findings.items[i].subject == NULL)
                broken("a finding without code or subject");
        check_self(&b, text, size);
        sa_baseline_clear(&b);
    } else if (strncmp(err.message, "report.json", 11) != 0) {
        fprintf(stderr, "%s\n", err.message);
        broken("an error that does not name the file");
    }
    free(text);
    return 0;
}
