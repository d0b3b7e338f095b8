/* dir_pool.h - the directory connections of a run that reads several
 * domains: one per domain, opened when first asked for, kept to the end. */
#ifndef SPNAUDIT_DIR_POOL_H
#define SPNAUDIT_DIR_POOL_H

#include <stddef.h>

#include "spnaudit/directory.h"
#include "spnaudit/domains.h"
#include "spnaudit/strv.h"

typedef struct sa_dir_conn sa_dir_conn;

typedef struct sa_dir_pool {
    sa_dir_options base; /* TLS, bind, timeouts; .domain the home domain or NULL */
    const sa_strv *dcs;  /* --server values, borrowed */
    sa_strv *domains;    /* borrowed: [0] home; a domain asked for is appended,
                            and home's name once its DC has said it */
    sa_strv warnings;    /* "skipped: DC ..." for every DC that did not answer
                            on the way to one that did, for the caller to say */
    sa_dir_conn *items;  /* [i] serves domains->items[i] */
    size_t n, cap;
} sa_dir_pool;

/* A pool over the borrowed base, dcs and domains (which must outlive it). */
void sa_dir_pool_init(sa_dir_pool *p, const sa_dir_options *base, const sa_strv *dcs, sa_strv *domains);

/* An sa_domain_dir_fn (ctx: the pool): the connection to domain (NULL:
 * home), opened on the first call and tried once; a failed attempt gives
 * its error again on every later call.  The pool keeps the connection. */
sa_status sa_dir_pool_get(void *ctx, const char *domain, sa_dir **dir, sa_error *err);

/* Close every connection and free the warnings. */
void sa_dir_pool_clear(sa_dir_pool *p);

#endif
