/* bench.h - what the plain-data benchmarks share: a monotonic clock in
 * milliseconds, and sorting the runs' times for the median and the worst. */
#ifndef SPNAUDIT_BENCH_H
#define SPNAUDIT_BENCH_H

#include <stdlib.h>
#include <time.h>

static inline double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static inline int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Sort n run times in place; the median is then ms[n / 2], the worst ms[n - 1]. */
static inline void
sort_runs(double *ms, size_t n)
{
    qsort(ms, n, sizeof(ms[0]), cmp_double);
}

#endif
