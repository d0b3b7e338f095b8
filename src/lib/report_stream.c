/* report_stream.c - a JSON document written as it is made: the members
 * known first, then one long array an item at a time (each built, written
 * and dropped), then the members after it.  Memory stays that of one item
 * however long the array; the text is what json-c would print for the
 * whole document. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define PRETTY (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

/* text with every line after the first indented by indent spaces. */
static int
put_indented(const char *text, const char *indent, FILE *out)
{
    int ret = 0;

    for (const char *p = text; ret == 0 && *p != '\0';) {
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);

        if (line == NULL) {
            errno = ENOMEM;
            return -1;
        }
        ret = put_json_text(line, out);
        free(line);
        p += n;
        if (ret == 0 && *p == '\n') {
            p++;
            ret = fputc('\n', out) == EOF || fputs(indent, out) == EOF ? -1 : 0;
        }
    }
    return ret;
}

/* The members of o as they stand inside an object: without the braces
 * and the newlines next to them; NULL (errno set) when o cannot be
 * printed, "" when it has none. */
static const char *
members_of(json_object *o, size_t *len)
{
    const char *text = json_object_to_json_string_ext(o, PRETTY);
    size_t n;

    if (text == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    n = strlen(text);
    if (json_object_object_length(o) == 0 || n < 4) {
        *len = 0;
        return "";
    }
    *len = n - 4; /* "{\n" ... "\n}" */
    return text + 2;
}

/* members text (len bytes), or nothing. */
static int
put_members(const char *text, size_t len, FILE *out)
{
    char *copy = strndup(text, len);
    int ret;

    if (copy == NULL) {
        errno = ENOMEM;
        return -1;
    }
    ret = put_json_text(copy, out);
    free(copy);
    return ret;
}

static int
put_items(const char *key, size_t n, json_item_fn item, const void *data, FILE *out)
{
    if (fprintf(out, "  \"%s\": [", key) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_object *o = item(data, i);
        const char *text = o ? json_object_to_json_string_ext(o, PRETTY) : NULL;
        int ret;

        if (text == NULL) {
            json_object_put(o);
            errno = ENOMEM;
            return -1;
        }
        ret = fputs(i ? ",\n    " : "\n    ", out) == EOF ? -1 : put_indented(text, "    ", out);
        json_object_put(o);
        if (ret != 0)
            return -1;
    }
    return fputs("\n  ]", out) == EOF ? -1 : 0;
}

int
write_json_streamed(json_object *head, const char *key, size_t n, json_item_fn item, const void *data,
                    json_object *tail, FILE *out)
{
    const char *text;
    size_t len;

    if (fputs("{\n", out) == EOF || (text = members_of(head, &len)) == NULL ||
        (len > 0 && (put_members(text, len, out) != 0 || fputs(",\n", out) == EOF)) ||
        put_items(key, n, item, data, out) != 0)
        return -1;
    if (tail != NULL && (text = members_of(tail, &len)) == NULL)
        return -1;
    if (tail != NULL && len > 0 && (fputs(",\n", out) == EOF || put_members(text, len, out) != 0))
        return -1;
    if (fputs("\n}\n", out) == EOF || fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
}
