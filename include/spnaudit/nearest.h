/* nearest.h - "did you mean": the known name nearest a mistyped one. */
#ifndef SPNAUDIT_NEAREST_H
#define SPNAUDIT_NEAREST_H

#include <stddef.h>

/* The edit distance of a and b, case ignored: insertions, deletions,
 * substitutions and swaps of two neighbours (optimal string alignment),
 * each one edit. */
size_t sa_edit_distance(const char *a, const char *b);

/* The one of names[0..n) (NULL entries skipped) nearest word, when it is
 * near enough to be what was meant: at most one edit away from a name of
 * up to four characters, two from a longer one, and not word itself.
 * Ties go to the first.  NULL when none is. */
const char *sa_nearest(const char *word, const char *const *names, size_t n);

#endif
