/* strv.h - growable NULL-terminated string vectors and small string helpers. */
#ifndef SPNAUDIT_STRV_H
#define SPNAUDIT_STRV_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sa_strv {
    char **items; /* NULL-terminated when n > 0 */
    size_t n;
    size_t cap;
} sa_strv;

/* Make room for one more element in a growable array of elem_size-byte
 * elements (items, with *cap slots, n used), doubling it when full.
 * Returns the (possibly moved) array, or NULL on out of memory or
 * overflow: items and *cap are untouched then. */
void *sa_grow(void *items, size_t *cap, size_t n, size_t elem_size, size_t first_cap);

/* Append a copy of s; returns false on out of memory. */
bool sa_strv_add(sa_strv *v, const char *s);
/* Append a copy unless an ASCII-case-insensitively equal string is present. */
bool sa_strv_add_unique_ci(sa_strv *v, const char *s);
bool sa_strv_contains_ci(const sa_strv *v, const char *s);
/* Append copies of from's items from index first on (from may be NULL);
 * with unique, only those not present yet (ASCII case-insensitively).
 * False on out of memory. */
bool sa_strv_add_all(sa_strv *v, const sa_strv *from, size_t first, bool unique);
void sa_strv_clear(sa_strv *v);
/* The items joined with sep, malloc'd ("" for none); NULL on no memory. */
char *sa_strv_join(const sa_strv *v, const char *sep);

/* printf into a new string; NULL on failure. */
char *sa_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* ASCII lower/upper-case copies; NULL on out of memory. */
char *sa_strdup_lower(const char *s);
char *sa_strdup_upper(const char *s);

#endif
