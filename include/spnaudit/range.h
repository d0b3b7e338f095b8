/* range.h - bounded loops on what a DC sends: ranged retrieval of
 * attribute values and paged searches.
 *
 * Ranged retrieval (MS-ADTS 3.1.1.3.1.3.3):
 * a DC sends at most MaxValRange values of an attribute at once, as
 * "servicePrincipalName;range=0-1499", and the client asks for the rest
 * from 1500 on.  What the DC sends is untrusted: these decide, on plain
 * data, whether a sequence of ranges progresses and stays within bounds.
 * Pure logic: no I/O. */
#ifndef SPNAUDIT_RANGE_H
#define SPNAUDIT_RANGE_H

#include <stdbool.h>
#include <stddef.h>

/* The most values of one attribute read, and the most requests made for
 * them; an index in a range above SA_RANGE_MAX_INDEX is malformed. */
#define SA_RANGE_MAX_VALUES 200000
#define SA_RANGE_MAX_ROUNDS 10000
#define SA_RANGE_MAX_INDEX 2147483647ul

typedef struct sa_range {
    unsigned long low, high; /* high is meaningless when last */
    bool last;               /* "low-*": no values follow */
} sa_range;

typedef enum sa_range_kind {
    SA_RANGE_OTHER = -1,    /* another attribute, or base with other options */
    SA_RANGE_NONE = 0,      /* base itself: every value at once */
    SA_RANGE_RANGED = 1,    /* base;range=low-high or base;range=low-* */
    SA_RANGE_MALFORMED = 2, /* base;range= followed by anything else */
} sa_range_kind;

/* What the attribute description attr (as the DC sent it) is to the
 * attribute base (both compared without regard to case); *r is set for
 * SA_RANGE_RANGED.  Indexes are decimal digits only, at most
 * SA_RANGE_MAX_INDEX, and high is not below low. */
sa_range_kind sa_range_parse(const char *attr, const char *base, sa_range *r);

/* A ranged retrieval under way: start with {0}. */
typedef struct sa_range_walk {
    unsigned long start; /* the first value index to come next */
    size_t values;       /* values received so far */
    unsigned rounds;     /* ranges received so far */
    bool done;           /* the last range arrived */
} sa_range_walk;

typedef enum sa_range_step {
    SA_RANGE_DONE = 0, /* the last range arrived: every value was read */
    SA_RANGE_MORE,     /* ask again from w->start */
    SA_RANGE_REPEATED, /* the range does not start where asked (a repeat,
                          a gap) or came after the last: no progress */
    SA_RANGE_TOO_MANY, /* more than SA_RANGE_MAX_VALUES values or
                          SA_RANGE_MAX_ROUNDS ranges */
} sa_range_step;

/* Take range got, which brought n_values values, into walk w. */
sa_range_step sa_range_next(sa_range_walk *w, const sa_range *got, size_t n_values);

/* Count n_values values sent all at once (no range): false when over
 * SA_RANGE_MAX_VALUES. */
bool sa_range_count(sa_range_walk *w, size_t n_values);

/* Paged searches (RFC 2696): a DC that keeps sending pages that bring
 * nothing, or entries without end, is stopped.  Over one search: */
#define SA_PAGE_MAX_EMPTY 100        /* pages in a row without an entry */
#define SA_PAGE_MAX_ENTRIES 2000000u /* entries and references */
#define SA_PAGE_MAX_REFERRALS 200    /* distinct referrals (each a finding) */

typedef struct sa_page_walk {
    size_t pages, entries; /* so far, the page under way included */
    unsigned empty_run;    /* pages in a row that brought nothing */
} sa_page_walk;

typedef enum sa_page_step {
    SA_PAGE_GO_ON = 0, /* within bounds */
    SA_PAGE_STALLED,   /* SA_PAGE_MAX_EMPTY pages in a row brought nothing */
    SA_PAGE_TOO_MANY,  /* over SA_PAGE_MAX_ENTRIES */
} sa_page_step;

/* One more entry or reference of the page under way. */
sa_page_step sa_page_entry(sa_page_walk *w);
/* A page ended that brought n entries and references, and the DC asks
 * for another (it sent a cookie). */
sa_page_step sa_page_end(sa_page_walk *w, size_t n);

#endif
