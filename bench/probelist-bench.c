/* probelist-bench: reading "spnaudit probe --file" lists.  Lists of
 * 5,000, 40,000 and 100,000 lines (one SPN a line, every tenth line a
 * repeat of an earlier SPN in other case, a comment every hundred) are
 * written to a temporary file; each run reads the file and drops the
 * repeats, as the probe does before asking for tickets.  Prints the
 * median and the worst of the runs for each size.  Target: O(n log n),
 * 100,000 lines well under a second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spnaudit/probelist.h"

#include "bench.h"

#define RUNS 5

/* path: a list of n lines. */
static void
write_list(const char *path, size_t n)
{
    FILE *f = fopen(path, "w");

    for (size_t i = 0; f != NULL && i < n; i++) {
        if (i % 100 == 99)
            fprintf(f, "# agents %zu\n", i);
        else if (i % 10 == 9)
            fprintf(f, "MSOMHSVC/AGENT%06zu.CONTOSO.TEST\n", i - 5);
        else
            fprintf(f, "MSOMHSvc/agent%06zu.contoso.test\n", i);
    }
    if (f == NULL || fclose(f) != 0) {
        fprintf(stderr, "probelist-bench: cannot write %s\n", path);
        exit(1);
    }
}

int
main(void)
{
    static const size_t sizes[] = {5000, 40000, 100000};
    char path[] = "/tmp/probelist-bench-XXXXXX";
    int fd = mkstemp(path);

    if (fd < 0) {
        perror("probelist-bench: mkstemp");
        return 1;
    }
    close(fd);
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        double ms[RUNS];
        size_t kept = 0;

        write_list(path, sizes[s]);
        for (int run = 0; run < RUNS; run++) {
            sa_tickets list = {NULL, 0, 0};
            sa_error err = {SA_OK, ""};
            double t0 = now_ms();

            if (sa_probe_list_read(&list, path, &err) != SA_OK ||
                sa_probe_list_unique(&list, &err) != SA_OK) {
                fprintf(stderr, "probelist-bench: %s\n", err.message);
                unlink(path);
                return 1;
            }
            ms[run] = now_ms() - t0;
            kept = list.n;
            sa_tickets_clear(&list);
        }
        sort_runs(ms, RUNS);
        printf("%6zu lines, %6zu SPNs once each: median %.1f ms, worst %.1f ms\n", sizes[s], kept,
               ms[RUNS / 2], ms[RUNS - 1]);
    }
    unlink(path);
    return 0;
}
