/* fuzz_srv.c - libFuzzer harness for the DNS SRV answer parser: any bytes,
 * whole or cut short, parse without reading past the buffer, and what is
 * kept holds the parser's promises (at most SA_SRV_MAX_RECORDS records,
 * host-name targets, no port 0, sorted); abort() otherwise.  Run as
 *   build-fuzz/tests/fuzz/fuzz_srv -max_total_time=300 NEWDIR tests/fuzz/corpus/srv */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/dns.h"
#include "spnaudit/groupconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const sa_srv *r, size_t n)
{
    if (n > SA_SRV_MAX_RECORDS)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (r[i].port == 0 || !sa_valid_fqdn(r[i].target))
            abort();
        if (i > 0 && (r[i - 1].priority > r[i].priority ||
                      (r[i - 1].priority == r[i].priority && r[i - 1].weight < r[i].weight)))
            abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sa_srv *r = NULL;
    size_t n = 0, cut = size / 2;
    bool truncated = false;
    unsigned char *half;

    if (sa_srv_parse(data, size, size, &r, &n, &truncated) == SA_SRV_PARSED)
        check(r, n);
    free(r);
    /* an answer larger than the buffer: only cut bytes are there */
    half = malloc(cut ? cut : 1);
    if (half == NULL)
        return 0;
    memcpy(half, data, cut);
    r = NULL;
    if (sa_srv_parse(half, cut, size, &r, &n, &truncated) == SA_SRV_PARSED)
        check(r, n);
    if (cut < size && !truncated)
        abort();
    free(r);
    free(half);
    return 0;
}
