/* fuzz_trustmap.c - libFuzzer harness for the trust map: any list of
 * trusts, one domain's name any bytes (decoded as trustmap_check.c says),
 * must give a map libcgraph reads back with one node per domain labelled
 * with its escaped name, one edge per trust and clean text; abort() with
 * the broken invariant otherwise.  Built with -Dfuzz=true and clang; run as
 *   build-fuzz/tests/fuzz/fuzz_trustmap -max_total_time=300 CORPUS_DIR tests/fuzz/corpus/trustmap */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "trustmap_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sa_trusts trusts = {NULL, 0, 0};
    char msg[1024];

    if (tmc_decode(data, size, &trusts) && !tmc_check(&trusts, msg, sizeof(msg))) {
        fprintf(stderr, "trust map invariant broken: %s\n", msg);
        abort();
    }
    sa_trusts_clear(&trusts);
    return 0;
}
