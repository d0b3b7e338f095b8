/* spn_index.c - every SPN of every account, sorted: duplicates are neighbours
 * and a lookup is a bisection. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis_internal.h"

/* ------------------------------------------------------------ SPN index */

static int
cmp_ref(const void *pa, const void *pb)
{
    const sa_spn_ref *a = pa, *b = pb;
    int c = strcasecmp(a->spn, b->spn);

    if (c != 0)
        return c;
    return (a->account > b->account) - (a->account < b->account);
}

bool
sa_spn_index_build(const sa_accounts *accounts, sa_spn_index *out)
{
    size_t total = 0, k = 0;
    sa_spn_ref *refs = NULL;

    for (size_t i = 0; i < accounts->n; i++)
        total += accounts->items[i].spns.n;
    if (total > 0) {
        refs = calloc(total, sizeof(*refs));
        if (refs == NULL)
            return false;
    }
    for (size_t i = 0; i < accounts->n; i++) {
        const sa_strv *spns = &accounts->items[i].spns;
        for (size_t j = 0; j < spns->n; j++) {
            refs[k].spn = spns->items[j];
            refs[k].account = i;
            k++;
        }
    }
    if (total > 1)
        qsort(refs, total, sizeof(*refs), cmp_ref);
    out->refs = refs;
    out->n = total;
    return true;
}

void
sa_spn_index_free(sa_spn_index *idx)
{
    free(idx->refs);
    idx->refs = NULL;
    idx->n = 0;
}

size_t
sa_spn_index_lookup(const sa_spn_index *idx, const char *spn, size_t *first)
{
    size_t lo = 0, hi = idx->n, end;

    /* lower bound */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcasecmp(idx->refs[mid].spn, spn) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (end = lo; end < idx->n && strcasecmp(idx->refs[end].spn, spn) == 0; end++)
        ;
    *first = lo;
    return end - lo;
}

/* Number of distinct accounts in the run [first, first+count). */
size_t
an_distinct_holders(const sa_spn_index *idx, size_t first, size_t count)
{
    size_t n = 0;

    for (size_t i = first; i < first + count; i++) {
        if (i == first || idx->refs[i].account != idx->refs[i - 1].account)
            n++;
    }
    return n;
}

bool
sa_spn_index_unique(const sa_spn_index *idx, sa_strv *out)
{
    for (size_t i = 0; i < idx->n; i++) {
        if (i > 0 && strcasecmp(idx->refs[i].spn, idx->refs[i - 1].spn) == 0)
            continue;
        if (!sa_strv_add(out, idx->refs[i].spn))
            return false;
    }
    return true;
}
