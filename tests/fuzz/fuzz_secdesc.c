/* fuzz_secdesc.c - libFuzzer harness for the DACL walker (secdesc.c): any
 * bytes as an nTSecurityDescriptor give a verdict without reading past
 * them; both questions (may SELF write its SPN, may the agents
 * authenticate) agree on whether the descriptor is malformed; bytes after
 * the descriptor never change a verdict or its explanation, nor does the
 * size of the buffer the explanation goes into; every verdict is
 * explained; abort() otherwise.  Run as
 *   build-fuzz/tests/fuzz/fuzz_secdesc -max_total_time=300 NEWDIR tests/fuzz/corpus/secdesc */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/secdesc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* S-1-5-21-1-2-1105: the account's own SID; its domain's SID as text. */
static const unsigned char own_sid[] = {1, 4, 0, 0, 0, 0, 0, 5, 21,   0,    0, 0,
                                        1, 0, 0, 0, 2, 0, 0, 0, 0x51, 0x04, 0, 0};
static const char *const agent_domain = "S-1-5-21-1-2";

static void
broken(const char *what, const char *why)
{
    fprintf(stderr, "DACL walker invariant broken: %s (%s)\n", what, why);
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *sd = malloc(size ? size : 1), *longer = malloc(size + 16);
    char why[256], why2[256], small[16];
    sa_spn_write w, w2;
    sa_auth_grant g, g2;

    if (sd == NULL || longer == NULL)
        goto out;
    memcpy(sd, data, size); /* exactly size bytes: a read past them is caught */
    memcpy(longer, data, size);
    memset(longer + size, 0xff, 16);

    w = sa_sd_self_spn_write(sd, size, own_sid, sizeof(own_sid), why, sizeof(why));
    if (w > SA_SPN_WRITE_MALFORMED || why[0] == '\0')
        broken("an SPN-write verdict out of range or unexplained", why);
    w2 = sa_sd_self_spn_write(longer, size + 16, own_sid, sizeof(own_sid), why2, sizeof(why2));
    if (w != SA_SPN_WRITE_MALFORMED && (w2 != w || strcmp(why, why2) != 0))
        broken("bytes after the descriptor changed the SPN-write verdict", why2);
    if (sa_sd_self_spn_write(sd, size, own_sid, sizeof(own_sid), small, sizeof(small)) != w ||
        strlen(small) >= sizeof(small) || strncmp(small, why, sizeof(small) - 1) != 0)
        broken("a short explanation buffer changed the SPN-write verdict", small);

    g = sa_sd_allowed_to_authenticate(sd, size, agent_domain, why, sizeof(why));
    if (g > SA_AUTH_MALFORMED || why[0] == '\0')
        broken("an authentication verdict out of range or unexplained", why);
    if ((g == SA_AUTH_MALFORMED) != (w == SA_SPN_WRITE_MALFORMED))
        broken("the two questions disagree on whether the descriptor is malformed", why);
    g2 = sa_sd_allowed_to_authenticate(longer, size + 16, agent_domain, why2, sizeof(why2));
    if (g != SA_AUTH_MALFORMED && (g2 != g || strcmp(why, why2) != 0))
        broken("bytes after the descriptor changed the authentication verdict", why2);
    if (sa_sd_allowed_to_authenticate(sd, size, NULL, why2, sizeof(why2)) == SA_AUTH_MALFORMED &&
        g != SA_AUTH_MALFORMED)
        broken("an unknown agent domain made the descriptor malformed", why2);
out:
    free(sd);
    free(longer);
    return 0;
}
