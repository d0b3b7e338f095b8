/* trust_check.h - invariants of the trust verdict, checked on any list of
 * trusts: by the libFuzzer harness (fuzz_trust.c) on lists decoded from
 * its input, and by the unit tests (test_trust.c) on random forests. */
#ifndef SPNAUDIT_TRUST_CHECK_H
#define SPNAUDIT_TRUST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spnaudit/trust.h"

/* The most trusts an input decodes to. */
#define TC_MAX_TRUSTS 48

/* Append to out the trusts a fuzz input stands for: 3 bytes a trust, the
 * domain's name, the partner's name and one byte of kind and flags (see
 * trust_check.c); a trailing 1 or 2 bytes are ignored.  false: out of
 * memory. */
bool tc_decode(const uint8_t *data, size_t size, sa_trusts *out);

/* Check, for every agent domain and server domain the trusts name (and
 * one they do not), that
 *  (a) a domain's verdict for servers in its own forest (domains joined by
 *      within-forest trusts, worked out here the slow way) is Kerberos,
 *      with no events;
 *  (b) the verdict does not depend on the order of the trusts: the list
 *      reversed (shuffle 0) or shuffled with that seed gives the same
 *      kind and events, and, when same_text, the same path and why;
 *  (c) across forests: Kerberos or selective only with a forest trust
 *      straight between the two forests (none through a third forest, none
 *      over external, realm or NT4-style trusts, which can be dropped from
 *      the list without changing a verdict's kind); no trust at all between
 *      them is certificates with 21007 and 21008; the kind is the same both
 *      ways (mutual authentication) and for any two domains of the same two
 *      forests.
 * true when all hold; false with the first that does not in msg. */
bool tc_check(const sa_trusts *trusts, unsigned shuffle, bool same_text, char *msg, size_t size);

#endif
