/* trust-bench: trust analysis of a synthetic forest set on plain data.
 * 50 domains (10 forests of a root and 4 children) and 200 trustedDomain
 * objects (each child's parent-child trust from both sides, a trust
 * between every two forests from both sides: two-way, one-way and
 * selective forest trusts and external trusts between child domains, and
 * more external trusts between children up to 200).  Times the graph
 * build with the 50 verdicts of every domain's agents against one server
 * domain (what "spnaudit trusts" does), and with all 2,500 pairs.
 * Prints the median and the worst of many runs.  Target: under 10 ms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spnaudit/trust.h"

#include "bench.h"

#define FORESTS 10
#define CHILDREN 4
#define RUNS 200

static void
add(sa_trusts *t, const char *a, const char *b, int type, int dir_a, unsigned attrs)
{
    /* both sides' objects, the direction as each sees it */
    if (!sa_trusts_add_values(t, a, b, NULL, NULL, type, dir_a, attrs) ||
        !sa_trusts_add_values(t, b, a, NULL, NULL, type, sa_trust_direction_flip(dir_a), attrs)) {
        fprintf(stderr, "trust-bench: out of memory\n");
        exit(1);
    }
}

/* Run: build the graph, then verdicts for agents x servers; returns ms,
 * and counts the verdicts of each kind. */
static double
run(const sa_trusts *trusts, char names[][64], size_t n, size_t n_servers, size_t counts[3])
{
    double t0 = now_ms();
    sa_trust_graph *g = sa_trust_graph_new(trusts);
    sa_error err = {SA_OK, ""};

    if (g == NULL) {
        fprintf(stderr, "trust-bench: out of memory\n");
        exit(1);
    }
    for (size_t s = 0; s < n_servers; s++) {
        for (size_t a = 0; a < n; a++) {
            sa_verdict v;
            if (sa_trust_graph_verdict(g, names[a], names[s], &v, &err) != SA_OK) {
                fprintf(stderr, "trust-bench: %s\n", err.message);
                exit(1);
            }
            counts[v.kind]++;
            sa_verdict_clear(&v);
        }
    }
    sa_trust_graph_free(g);
    return now_ms() - t0;
}

int
main(void)
{
    static char names[FORESTS * (CHILDREN + 1)][64];
    sa_trusts trusts = {NULL, 0, 0};
    size_t n = 0, pairs = 0, counts[3];
    double one[RUNS], all[RUNS];

    for (int f = 0; f < FORESTS; f++) {
        snprintf(names[n++], sizeof(names[0]), "forest%d.example", f);
        for (int c = 0; c < CHILDREN; c++) {
            snprintf(names[n++], sizeof(names[0]), "child%d.forest%d.example", c, f);
            add(&trusts, names[n - 1], names[f * (CHILDREN + 1)], SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
                SA_TRUST_WITHIN_FOREST);
        }
    }
    for (int a = 0; a < FORESTS && pairs < 60; a++) {
        for (int b = a + 1; b < FORESTS && pairs < 60; b++, pairs++) {
            const char *ra = names[a * (CHILDREN + 1)], *rb = names[b * (CHILDREN + 1)];
            switch ((a + b) % 4) {
            case 0:
                add(&trusts, ra, rb, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_FOREST_TRANSITIVE);
                break;
            case 1:
                add(&trusts, ra, rb, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_OUTBOUND,
                    SA_TRUST_FOREST_TRANSITIVE);
                break;
            case 2: /* between child domains */
                add(&trusts, names[a * (CHILDREN + 1) + 1], names[b * (CHILDREN + 1) + 2],
                    SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH, SA_TRUST_QUARANTINED_DOMAIN);
                break;
            default:
                add(&trusts, ra, rb, SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
                    SA_TRUST_FOREST_TRANSITIVE | SA_TRUST_CROSS_ORGANIZATION);
                break;
            }
        }
    }
    /* 45 pairs of forests is all there are: external trusts between
     * children of neighbouring forests make up the 200 */
    for (int k = 0; trusts.n < 200; k++)
        add(&trusts, names[(k % FORESTS) * (CHILDREN + 1) + 3],
            names[((k + 1) % FORESTS) * (CHILDREN + 1) + 4], SA_TRUST_TYPE_UPLEVEL, SA_TRUST_DIR_BOTH,
            SA_TRUST_QUARANTINED_DOMAIN);
    printf("trust-bench: %zu domains in %d forests, %zu trustedDomain objects\n", n, FORESTS, trusts.n);
    for (int r = 0; r < RUNS; r++) {
        memset(counts, 0, sizeof(counts));
        one[r] = run(&trusts, names, n, 1, counts);
    }
    printf("  50 agent domains -> 1 server domain: kerberos %zu, selective %zu, certificates %zu\n",
           counts[0], counts[1], counts[2]);
    for (int r = 0; r < RUNS; r++) {
        memset(counts, 0, sizeof(counts));
        all[r] = run(&trusts, names, n, n, counts);
    }
    printf("  all %zu pairs:                      kerberos %zu, selective %zu, certificates %zu\n", n * n,
           counts[0], counts[1], counts[2]);
    sort_runs(one, RUNS);
    sort_runs(all, RUNS);
    printf("graph + 50 verdicts:    median %.3f ms, worst %.3f ms (%d runs)  target < 10 ms: %s\n",
           one[RUNS / 2], one[RUNS - 1], RUNS, one[RUNS / 2] < 10.0 ? "met" : "MISSED");
    printf("graph + 2,500 verdicts: median %.3f ms, worst %.3f ms (%d runs)  target < 10 ms: %s\n",
           all[RUNS / 2], all[RUNS - 1], RUNS, all[RUNS / 2] < 10.0 ? "met" : "MISSED");
    sa_trusts_clear(&trusts);
    return 0;
}
