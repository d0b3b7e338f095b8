/* nearest.c - "did you mean": edit distance, and the nearest known name. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/nearest.h"

/* Longer words are no typo of a name: not compared (no allocation). */
#define WORD_MAX 64

static size_t
min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;

    return m < c ? m : c;
}

static int
same(char a, char b)
{
    return tolower((unsigned char)a) == tolower((unsigned char)b);
}

size_t
sa_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[WORD_MAX + 1][WORD_MAX + 1];

    if (la > WORD_MAX || lb > WORD_MAX)
        return la > lb ? la : lb;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = same(a[i - 1], b[j - 1]) ? 0 : 1;

            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]) &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    }
    return d[la][lb];
}

const char *
sa_nearest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = 0;

    for (size_t i = 0; i < n; i++) {
        size_t d, limit;

        if (names[i] == NULL)
            continue;
        d = sa_edit_distance(word, names[i]);
        limit = strlen(names[i]) <= 4 ? 1 : 2;
        if (d == 0 || d > limit || (best != NULL && d >= best_d))
            continue;
        best = names[i];
        best_d = d;
    }
    return best;
}
