/* trustmap_check.h - invariants of the trust map (trust_map.h), checked on
 * any list of trusts: by the libFuzzer harness (fuzz_trustmap.c) on lists
 * decoded from its input, and by the unit tests (test_trust_map.c) on
 * random ones. */
#ifndef SPNAUDIT_TRUSTMAP_CHECK_H
#define SPNAUDIT_TRUSTMAP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spnaudit/trust.h"

/* The trusts a fuzz input stands for: its first byte the length of a
 * name (the bytes after it, each NUL shown as U+FFFD), which then stands
 * for the first trust's partner wherever that is named; the rest trusts
 * as tc_decode reads them.  false: out of memory. */
bool tmc_decode(const uint8_t *data, size_t size, sa_trusts *out);

/* The map of a trusts run over trusts (the servers' domain the first
 * trust's domain; every domain named judged), read back with libcgraph:
 *  (a) one node per domain (case aside), labelled with its name shown
 *      escaped (display.h, each backslash doubled for Graphviz), alone or
 *      before the node's own lines;
 *  (b) one edge per trust, its objects on both sides merged, with one of
 *      the four verdicts' colours and a direction Graphviz knows;
 *  (c) the DOT is valid UTF-8 without a control byte but \n and \t.
 * true when all hold; false with the first that does not in msg. */
bool tmc_check(const sa_trusts *trusts, char *msg, size_t size);

#endif
