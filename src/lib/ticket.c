/* ticket.c - service ticket outcomes, kept sorted by SPN. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/strv.h"
#include "spnaudit/ticket.h"

sa_ticket *
sa_tickets_add(sa_tickets *list, const char *spn)
{
    sa_ticket *t;

    sa_ticket *items = sa_grow(list->items, &list->cap, list->n, sizeof(*list->items), 64);

    if (items == NULL)
        return NULL;
    list->items = items;
    t = &list->items[list->n];
    memset(t, 0, sizeof(*t));
    t->spn = strdup(spn);
    if (t->spn == NULL)
        return NULL;
    list->n++;
    return t;
}

void
sa_ticket_reset(sa_ticket *t)
{
    char *spn = t->spn;

    free(t->error);
    free(t->enctype);
    free(t->session_enctype);
    free(t->realm);
    memset(t, 0, sizeof(*t));
    t->spn = spn;
}

void
sa_tickets_clear(sa_tickets *list)
{
    for (size_t i = 0; i < list->n; i++) {
        sa_ticket_reset(&list->items[i]);
        free(list->items[i].spn);
    }
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

static int
cmp_ticket(const void *a, const void *b)
{
    return strcasecmp(((const sa_ticket *)a)->spn, ((const sa_ticket *)b)->spn);
}

void
sa_tickets_sort(sa_tickets *list)
{
    if (list->n > 1)
        qsort(list->items, list->n, sizeof(list->items[0]), cmp_ticket);
}

const sa_ticket *
sa_tickets_find(const sa_tickets *list, const char *spn)
{
    sa_ticket key;

    if (list == NULL || list->n == 0)
        return NULL;
    key.spn = (char *)spn;
    return bsearch(&key, list->items, list->n, sizeof(list->items[0]), cmp_ticket);
}

size_t
sa_tickets_count_tried(const sa_tickets *list)
{
    size_t n = 0;

    for (size_t i = 0; list != NULL && i < list->n; i++)
        n += list->items[i].tried;
    return n;
}

size_t
sa_tickets_count_refused(const sa_tickets *list)
{
    size_t n = 0;

    for (size_t i = 0; list != NULL && i < list->n; i++)
        n += list->items[i].tried && !list->items[i].ok;
    return n;
}
