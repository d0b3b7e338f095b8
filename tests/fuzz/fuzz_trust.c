/* fuzz_trust.c - libFuzzer harness for the trust graph: any list of trusts
 * (decoded as trust_check.c says) must keep the verdict's invariants,
 * above all that a domain's verdict for servers in its own forest is
 * Kerberos; abort() with the broken one otherwise.  Built with
 * -Dfuzz=true and clang; run as
 *   build-fuzz/tests/fuzz/fuzz_trust -max_total_time=300 CORPUS_DIR tests/fuzz/corpus/trust */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "trust_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sa_trusts trusts = {NULL, 0, 0};
    char msg[1024];

    if (!tc_decode(data, size, &trusts)) {
        sa_trusts_clear(&trusts);
        return 0;
    }
    /* for (b) the list shuffled by its first byte (reversed for 0); paths
     * may differ between equally short chains of a forest that is no tree */
    if (!tc_check(&trusts, size > 0 ? data[0] : 0, false, msg, sizeof(msg))) {
        fprintf(stderr, "trust verdict invariant broken: %s\n", msg);
        for (size_t i = 0; i < trusts.n; i++)
            fprintf(stderr, "  %s -> %s type %d direction %d attributes 0x%x\n", trusts.items[i].domain,
                    trusts.items[i].partner, trusts.items[i].type, trusts.items[i].direction,
                    trusts.items[i].attributes);
        abort();
    }
    sa_trusts_clear(&trusts);
    return 0;
}
