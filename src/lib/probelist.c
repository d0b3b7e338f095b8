/* probelist.c - the SPNs "spnaudit probe" is asked for, checked, each
 * once. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/finding.h"
#include "spnaudit/infile.h"
#include "spnaudit/probelist.h"
#include "spnaudit/spn.h"

sa_status
sa_probe_list_add(sa_tickets *list, const char *text, const char *where, sa_error *err)
{
    char spn_part[SA_SPN_MAX + 256];
    const char *at = strchr(text, '@'), *why = NULL;
    sa_spn parsed;
    size_t len = at ? (size_t)(at - text) : strlen(text);

    if (len >= sizeof(spn_part))
        return sa_error_set(err, SA_ERR_USAGE, "%s: SPN too long", where);
    memcpy(spn_part, text, len);
    spn_part[len] = '\0';
    if (!sa_spn_parse(spn_part, &parsed, &why))
        return sa_error_set(err, SA_ERR_USAGE, "%s: \"%s\" is not an SPN: %s", where, text, why);
    if (at != NULL && (at[1] == '\0' || strpbrk(at + 1, "@/ \t") != NULL))
        return sa_error_set(err, SA_ERR_USAGE, "%s: \"%s\" has a malformed realm", where, text);
    return sa_tickets_add(list, text) != NULL ? SA_OK : sa_error_nomem(err);
}

/* An SPN of the list and where it was first given. */
typedef struct spn_at {
    const char *spn;
    size_t index;
} spn_at;

static int
cmp_spn_at(const void *pa, const void *pb)
{
    const spn_at *a = pa, *b = pb;
    int c = strcasecmp(a->spn, b->spn);

    return c != 0 ? c : (a->index > b->index) - (a->index < b->index);
}

sa_status
sa_probe_list_unique(sa_tickets *list, sa_error *err)
{
    spn_at *order = NULL;
    bool *again = NULL;
    size_t kept = 0;
    sa_status ret = SA_ERR_SYSTEM;

    if (list->n < 2)
        return SA_OK;
    order = calloc(list->n, sizeof(*order));
    again = calloc(list->n, sizeof(*again));
    if (order == NULL || again == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    for (size_t i = 0; i < list->n; i++)
        order[i] = (spn_at){list->items[i].spn, i};
    qsort(order, list->n, sizeof(*order), cmp_spn_at); /* equal SPNs together, first given first */
    for (size_t k = 1; k < list->n; k++)
        again[order[k].index] = strcasecmp(order[k].spn, order[k - 1].spn) == 0;
    for (size_t i = 0; i < list->n; i++) {
        if (again[i]) {
            sa_ticket_reset(&list->items[i]);
            free(list->items[i].spn);
        } else {
            list->items[kept++] = list->items[i];
        }
    }
    list->n = kept;
    ret = SA_OK;
cleanup:
    free(order);
    free(again);
    return ret;
}

/* line without the blanks around it, in place. */
static char *
trim(char *line)
{
    char *s = line, *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

/* The SPNs of text (len bytes, changed in place), added to list; name is
 * the file's in messages. */
static sa_status
add_lines(sa_tickets *list, char *text, size_t len, const char *name, sa_error *err)
{
    char *p = text, *end = text + len, where[512];
    size_t lineno = 0;
    sa_status ret = SA_OK;

    while (ret == SA_OK && p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl != NULL ? nl : end, *s;

        lineno++;
        snprintf(where, sizeof(where), "%s:%zu", name, lineno);
        if (memchr(p, '\0', (size_t)(eol - p)) != NULL)
            return sa_error_set(err, SA_ERR_USAGE, "%s: a NUL byte in the line", where);
        *eol = '\0'; /* the NUL after text when it is the last line */
        s = trim(p);
        p = eol + 1;
        if (*s != '\0' && *s != '#')
            ret = sa_probe_list_add(list, s, where, err);
    }
    return ret;
}

sa_status
sa_probe_list_read(sa_tickets *list, const char *path, sa_error *err)
{
    char *text = NULL;
    size_t len = 0;
    sa_status ret = sa_infile_read(path, SA_INFILE_PROBE_LIST, &text, &len, err);

    if (ret == SA_OK)
        ret = add_lines(list, text, len, strcmp(path, "-") == 0 ? "standard input" : path, err);
    free(text);
    return ret;
}

int
sa_probe_exit_status(const sa_tickets *list, bool complete)
{
    if (!complete)
        return SA_EXIT_INCOMPLETE;
    return sa_tickets_count_refused(list) > 0 ? SA_EXIT_FAILURE : SA_EXIT_OK;
}
