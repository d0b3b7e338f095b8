/* probe.c - service tickets for many SPNs at once: worker threads, each
 * with its own krb5 context and private ccache, taking the next SPN from a
 * shared counter.  The number of workers bounds the load on the KDCs. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "krb_internal.h"

typedef struct shared {
    sa_krb *krb;
    const char *realm;
    sa_tickets *list;
    atomic_size_t next;
    atomic_bool stop;
    atomic_size_t issued; /* tickets issued so far: the KDC works */
    pthread_mutex_t lock;
    sa_status status; /* first fatal status */
    sa_error err;     /* and its message */
} shared;

static void
fail(shared *sh, sa_status status, const sa_error *err)
{
    pthread_mutex_lock(&sh->lock);
    if (sh->status == SA_OK) {
        sh->status = status;
        sh->err = *err;
        sh->err.status = status;
    }
    pthread_mutex_unlock(&sh->lock);
    atomic_store(&sh->stop, true);
}

static void *
worker(void *arg)
{
    shared *sh = arg;
    session s;
    sa_error err = {SA_OK, ""};
    sa_status st;

    st = session_open_worker(sh->krb, &s, &err);
    if (st != SA_OK) {
        fail(sh, st, &err);
        session_close(&s);
        return NULL;
    }
    while (!atomic_load(&sh->stop)) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        sa_ticket *t;

        if (i >= sh->list->n)
            break;
        t = &sh->list->items[i];
        st = session_probe(&s, sa_krb_client(sh->krb), sh->realm, t, &err);
        if (st == SA_OK && t->cause == SA_KC_KDC_UNREACHABLE && atomic_load(&sh->issued) > 0) {
            /* The KDC has answered in this run: a connection lost under
             * load (a full accept queue drops SYNs) gets one more try. */
            sa_ticket_reset(t);
            st = session_probe(&s, sa_krb_client(sh->krb), sh->realm, t, &err);
        }
        if (st != SA_OK) {
            fail(sh, st, &err);
            break;
        }
        if (t->ok)
            atomic_fetch_add(&sh->issued, 1);
        if (t->cause == SA_KC_KDC_UNREACHABLE && strchr(t->spn, '@') == NULL) {
            sa_error_set(&err, SA_ERR_INCOMPLETE,
                         "%s while requesting a service ticket for %s@%s: the KDCs of %s cannot be reached, "
                         "so the remaining tickets were not checked",
                         t->error, t->spn, sh->realm, sh->realm);
            fail(sh, SA_ERR_INCOMPLETE, &err);
            break;
        }
    }
    session_close(&s);
    return NULL;
}

sa_status
sa_krb_probe_all(sa_krb *krb, const char *realm, sa_tickets *list, int jobs, sa_error *err)
{
    pthread_t *threads = NULL;
    size_t started = 0;
    shared sh;
    sa_status ret;

    if (list->n == 0)
        return SA_OK;
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > list->n)
        jobs = (int)list->n;
    memset(&sh, 0, sizeof(sh));
    sh.krb = krb;
    sh.realm = realm;
    sh.list = list;
    atomic_init(&sh.next, 0);
    atomic_init(&sh.stop, false);
    atomic_init(&sh.issued, 0);
    pthread_mutex_init(&sh.lock, NULL);
    threads = calloc((size_t)jobs, sizeof(*threads));
    if (threads == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    for (int i = 0; i < jobs; i++) {
        if (pthread_create(&threads[i], NULL, worker, &sh) != 0) {
            sa_error e;
            sa_error_set(&e, SA_ERR_SYSTEM, "cannot start a probe thread");
            if (started == 0)
                fail(&sh, SA_ERR_SYSTEM, &e);
            break; /* the threads already running do the work */
        }
        started++;
    }
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    ret = sh.status;
    if (ret != SA_OK && err != NULL)
        *err = sh.err;
cleanup:
    free(threads);
    pthread_mutex_destroy(&sh.lock);
    return ret;
}
