/* strv.c - growable string vectors and small string helpers. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/strv.h"

void *
sa_grow(void *items, size_t *cap, size_t n, size_t elem_size, size_t first_cap)
{
    size_t new_cap;
    void *p;

    if (items != NULL && n < *cap)
        return items;
    new_cap = *cap ? *cap * 2 : first_cap;
    if (new_cap < *cap || new_cap > SIZE_MAX / elem_size)
        return NULL;
    p = realloc(items, new_cap * elem_size);
    if (p == NULL)
        return NULL;
    *cap = new_cap;
    return p;
}

bool
sa_strv_add(sa_strv *v, const char *s)
{
    char *copy = NULL;
    char **items;

    /* n + 1 slots: the vector stays NULL-terminated */
    items = sa_grow(v->items, &v->cap, v->n + 1, sizeof(*v->items), 4);
    if (items == NULL)
        return false;
    v->items = items;
    copy = strdup(s);
    if (copy == NULL)
        return false;
    v->items[v->n++] = copy;
    v->items[v->n] = NULL;
    return true;
}

bool
sa_strv_contains_ci(const sa_strv *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++) {
        if (strcasecmp(v->items[i], s) == 0)
            return true;
    }
    return false;
}

bool
sa_strv_add_all(sa_strv *v, const sa_strv *from, size_t first, bool unique)
{
    for (size_t i = first; from != NULL && i < from->n; i++) {
        if (!(unique ? sa_strv_add_unique_ci(v, from->items[i]) : sa_strv_add(v, from->items[i])))
            return false;
    }
    return true;
}

bool
sa_strv_add_unique_ci(sa_strv *v, const char *s)
{
    if (sa_strv_contains_ci(v, s))
        return true;
    return sa_strv_add(v, s);
}

void
sa_strv_clear(sa_strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        free(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->n = v->cap = 0;
}

char *
sa_strdup_printf(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    int rc;

    va_start(ap, fmt);
    rc = vasprintf(&s, fmt, ap);
    va_end(ap);
    return rc < 0 ? NULL : s;
}

static char *
strdup_mapped(const char *s, int (*map)(int))
{
    char *out = strdup(s);

    if (out == NULL)
        return NULL;
    for (char *p = out; *p; p++)
        *p = (char)map((unsigned char)*p);
    return out;
}

char *
sa_strdup_lower(const char *s)
{
    return strdup_mapped(s, tolower);
}

char *
sa_strdup_upper(const char *s)
{
    return strdup_mapped(s, toupper);
}

char *
sa_strv_join(const sa_strv *v, const char *sep)
{
    size_t len = 1, seplen = strlen(sep);
    char *out, *p;

    for (size_t i = 0; i < v->n; i++)
        len += strlen(v->items[i]) + (i > 0 ? seplen : 0);
    out = malloc(len);
    if (out == NULL)
        return NULL;
    p = out;
    for (size_t i = 0; i < v->n; i++) {
        size_t n = strlen(v->items[i]);
        if (i > 0) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        memcpy(p, v->items[i], n);
        p += n;
    }
    *p = '\0';
    return out;
}
