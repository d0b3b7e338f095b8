/* range.c - bounded loops on what a DC sends: parsing
 * "attr;range=low-high", deciding whether a DC's ranges progress, and
 * whether its pages do. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/range.h"

/* Decimal digits at *p, at most SA_RANGE_MAX_INDEX: false otherwise. */
static bool
index_at(const char **p, unsigned long *out)
{
    unsigned long v = 0;
    const char *s = *p;

    if (!isdigit((unsigned char)*s))
        return false;
    for (; isdigit((unsigned char)*s); s++) {
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > SA_RANGE_MAX_INDEX)
            return false;
    }
    *out = v;
    *p = s;
    return true;
}

sa_range_kind
sa_range_parse(const char *attr, const char *base, sa_range *r)
{
    size_t n = strlen(base);
    const char *p;

    if (strncasecmp(attr, base, n) != 0)
        return SA_RANGE_OTHER;
    if (attr[n] == '\0')
        return SA_RANGE_NONE;
    if (strncasecmp(attr + n, ";range=", 7) != 0)
        return SA_RANGE_OTHER;
    p = attr + n + 7;
    memset(r, 0, sizeof(*r));
    if (!index_at(&p, &r->low) || *p++ != '-')
        return SA_RANGE_MALFORMED;
    if (p[0] == '*' && p[1] == '\0') {
        r->last = true;
        return SA_RANGE_RANGED;
    }
    if (!index_at(&p, &r->high) || *p != '\0' || r->high < r->low)
        return SA_RANGE_MALFORMED;
    return SA_RANGE_RANGED;
}

bool
sa_range_count(sa_range_walk *w, size_t n_values)
{
    if (n_values > SA_RANGE_MAX_VALUES - w->values)
        return false;
    w->values += n_values;
    return true;
}

sa_range_step
sa_range_next(sa_range_walk *w, const sa_range *got, size_t n_values)
{
    if (w->done || got->low != w->start || (!got->last && got->high < got->low))
        return SA_RANGE_REPEATED;
    if (++w->rounds > SA_RANGE_MAX_ROUNDS || !sa_range_count(w, n_values))
        return SA_RANGE_TOO_MANY;
    if (got->last) {
        w->done = true;
        return SA_RANGE_DONE;
    }
    w->start = got->high + 1; /* high >= low == start: forward */
    return SA_RANGE_MORE;
}

sa_page_step
sa_page_entry(sa_page_walk *w)
{
    if (w->entries >= SA_PAGE_MAX_ENTRIES)
        return SA_PAGE_TOO_MANY;
    w->entries++;
    return SA_PAGE_GO_ON;
}

sa_page_step
sa_page_end(sa_page_walk *w, size_t n)
{
    w->pages++;
    w->empty_run = n > 0 ? 0 : w->empty_run + 1;
    return w->empty_run >= SA_PAGE_MAX_EMPTY ? SA_PAGE_STALLED : SA_PAGE_GO_ON;
}
