/* fuzz_range.c - libFuzzer harness for ranged retrieval: the input is a
 * DC's answers, one attribute description a line ("member;range=0-1499"),
 * each bringing as many values as its range says (capped); parsing keeps
 * its promises (high not below low), and the walk through them moves
 * forward on every SA_RANGE_MORE and stays within its bounds; abort()
 * otherwise.  Run as
 *   build-fuzz/tests/fuzz/fuzz_range -max_total_time=300 NEWDIR tests/fuzz/corpus/range */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *save = NULL;
    sa_range_walk w = {0, 0, 0, false};

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    for (char *line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        sa_range r;
        unsigned long before = w.start;
        bool done = w.done;
        size_t values;
        sa_range_step step;

        if (sa_range_parse(line, "member", &r) != SA_RANGE_RANGED)
            continue;
        if (r.low > SA_RANGE_MAX_INDEX || (!r.last && (r.high < r.low || r.high > SA_RANGE_MAX_INDEX)))
            abort();
        values = r.last ? 1 : (size_t)(r.high - r.low + 1);
        step = sa_range_next(&w, &r, values > 5000 ? 5000 : values);
        if (done && step != SA_RANGE_REPEATED)
            abort(); /* nothing comes after the last range */
        if (step == SA_RANGE_MORE && w.start <= before)
            abort();
        if (w.values > SA_RANGE_MAX_VALUES || w.rounds > SA_RANGE_MAX_ROUNDS + 1)
            abort();
        if (step == SA_RANGE_REPEATED || step == SA_RANGE_TOO_MANY)
            break; /* where the reader stops */
    }
    free(text);
    return 0;
}
