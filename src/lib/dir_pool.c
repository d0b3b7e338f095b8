/* dir_pool.c - one directory connection per domain of a run, each opened
 * when first asked for. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/dir_pool.h"
#include "spnaudit/error.h"

struct sa_dir_conn {
    sa_dir *dir;
    bool tried;
    sa_status status; /* of the one attempt */
    sa_error err;
};

void
sa_dir_pool_init(sa_dir_pool *p, const sa_dir_options *base, const sa_strv *dcs, sa_strv *domains)
{
    memset(p, 0, sizeof(*p));
    p->base = *base;
    p->dcs = dcs;
    p->domains = domains;
}

void
sa_dir_pool_clear(sa_dir_pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        sa_dir_close(p->items[i].dir);
    free(p->items);
    p->items = NULL;
    p->n = p->cap = 0;
    sa_strv_clear(&p->warnings);
}

/* The index of domain among p->domains (or of the connection that serves
 * it), appended when new; -1 on no memory. */
static long
domain_index(sa_dir_pool *p, const char *domain)
{
    for (size_t i = 0; i < p->domains->n; i++) {
        if (strcasecmp(p->domains->items[i], domain) == 0)
            return (long)i;
    }
    for (size_t i = 0; i < p->n; i++) {
        if (p->items[i].dir != NULL && strcasecmp(sa_dir_dns_domain(p->items[i].dir), domain) == 0)
            return (long)i;
    }
    return sa_strv_add(p->domains, domain) ? (long)p->domains->n - 1 : -1;
}

/* The one attempt to connect items[i]; the DCs skipped on the way to the
 * one that answered become warnings.  SA_OK unless out of memory. */
static sa_status
connect_once(sa_dir_pool *p, size_t i, sa_error *err)
{
    sa_dir_conn *c = &p->items[i];
    sa_domain_set ds = {p->base, p->dcs, p->domains};
    sa_strv unreachable = {NULL, 0, 0};
    sa_status ret = SA_OK;

    c->tried = true;
    c->status = sa_domain_connect(&ds, i == 0 || p->domains->n <= 1 ? NULL : p->domains->items[i], false,
                                  &c->dir, &unreachable, &c->err);
    for (size_t k = 0; c->status == SA_OK && k < unreachable.n && ret == SA_OK; k++) {
        char *line = sa_strdup_printf("skipped: %s", unreachable.items[k]);
        if (line == NULL || !sa_strv_add(&p->warnings, line))
            ret = sa_error_nomem(err);
        free(line);
    }
    /* home by its name, once known */
    if (ret == SA_OK && c->status == SA_OK && p->domains->n == 0 &&
        !sa_strv_add(p->domains, sa_dir_dns_domain(c->dir)))
        ret = sa_error_nomem(err);
    sa_strv_clear(&unreachable);
    return ret;
}

sa_status
sa_dir_pool_get(void *ctx, const char *domain, sa_dir **dir, sa_error *err)
{
    sa_dir_pool *p = ctx;
    long i = domain == NULL ? 0 : domain_index(p, domain);
    sa_status st;

    if (i < 0)
        return sa_error_nomem(err);
    while ((size_t)i >= p->n) {
        sa_dir_conn *items = sa_grow(p->items, &p->cap, p->n, sizeof(*p->items), 8);
        if (items == NULL)
            return sa_error_nomem(err);
        p->items = items;
        memset(&items[p->n++], 0, sizeof(*items));
    }
    if (!p->items[i].tried && (st = connect_once(p, (size_t)i, err)) != SA_OK)
        return st;
    if (p->items[i].status != SA_OK) {
        *err = p->items[i].err;
        return p->items[i].status;
    }
    *dir = p->items[i].dir;
    return SA_OK;
}
