/* probe.c - service tickets for many SPNs at once: worker threads, each
 * with its own krb5 context and private ccache, taking the next SPN from a
 * shared counter.  The number of workers bounds the load on the KDCs. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "krb_internal.h"
#include "spnaudit/progress.h"

typedef struct shared {
    sa_krb *krb;
    const char *realm;
    sa_tickets *list;
    atomic_size_t next;
    atomic_bool stop;
    atomic_size_t issued; /* tickets issued so far: the KDC works */
    atomic_size_t done;   /* tickets asked for so far */
    sa_progress *progress;
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

typedef struct worker_arg {
    shared *sh;
    session s; /* opened by the main thread: libkrb5 reads its profile then */
} worker_arg;

/* Take SPNs from the shared counter until none is left, or limit are
 * done, or the probe stops. */
static void
work(worker_arg *wa, size_t limit)
{
    shared *sh = wa->sh;
    sa_error err = {SA_OK, ""};
    sa_status st;

    for (size_t done = 0; done < limit && !atomic_load(&sh->stop); done++) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        sa_ticket *t;

        if (i >= sh->list->n)
            break;
        t = &sh->list->items[i];
        st = session_probe(&wa->s, sa_krb_client(sh->krb), sh->realm, t, &err);
        if (st == SA_OK && t->cause == SA_KC_KDC_UNREACHABLE && atomic_load(&sh->issued) > 0) {
            /* The KDC has answered in this run: a connection lost under
             * load (a full accept queue drops SYNs) gets one more try. */
            sa_ticket_reset(t);
            st = session_probe(&wa->s, sa_krb_client(sh->krb), sh->realm, t, &err);
        }
        if (st != SA_OK) {
            fail(sh, st, &err);
            break;
        }
        if (t->ok)
            atomic_fetch_add(&sh->issued, 1);
        sa_progress_update(sh->progress, atomic_fetch_add(&sh->done, 1) + 1);
        if (t->cause == SA_KC_KDC_UNREACHABLE && strchr(t->spn, '@') == NULL) {
            sa_error_set(&err, SA_ERR_INCOMPLETE,
                         "%s while requesting a service ticket for %s@%s: the KDCs of %s cannot be reached, "
                         "so the remaining tickets were not checked",
                         t->error, t->spn, sh->realm, sh->realm);
            fail(sh, SA_ERR_INCOMPLETE, &err);
            break;
        }
        if (t->cause == SA_KC_CLOCK_SKEW) {
            /* the KDC judged our request's time: every request fails alike */
            sa_error_set(
                &err, SA_ERR_INCOMPLETE,
                "%s while requesting a service ticket for %s: this host's clock and the KDC's differ by "
                "more than Kerberos allows (5 minutes by default), so the remaining tickets were not "
                "checked: synchronise this host's clock",
                t->error, t->spn);
            fail(sh, SA_ERR_INCOMPLETE, &err);
            break;
        }
    }
}

static void *
worker(void *arg)
{
    work(arg, SIZE_MAX);
    return NULL;
}

sa_status
sa_krb_probe_all(sa_krb *krb, const char *realm, sa_tickets *list, int jobs, FILE *progress, sa_error *err)
{
    pthread_t *threads = NULL;
    worker_arg *args = NULL;
    size_t opened = 0, started = 0;
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
    atomic_init(&sh.done, 0);
    pthread_mutex_init(&sh.lock, NULL);
    threads = calloc((size_t)jobs, sizeof(*threads));
    args = calloc((size_t)jobs, sizeof(*args));
    if (threads == NULL || args == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    /* Sessions are opened here, one after the other, and each thread
     * uses only its own. */
    for (; opened < (size_t)jobs; opened++) {
        args[opened].sh = &sh;
        ret = session_open_worker(krb, &args[opened].s, err);
        if (ret != SA_OK) {
            opened++; /* closed below too */
            goto cleanup;
        }
    }
    /* The first ticket on this thread, before any worker starts: libkrb5
     * finishes its lazy set-up single-threaded, and a KDC that cannot be
     * reached costs one timeout, not one per worker. */
    sh.progress = sa_progress_start(progress, "tickets", list->n);
    work(&args[0], 1);
    for (size_t i = 0; i < opened && !atomic_load(&sh.stop); i++) {
        if (pthread_create(&threads[i], NULL, worker, &args[i]) != 0)
            break; /* the threads already running do the work */
        started++;
    }
    if (started == 0)
        work(&args[0], SIZE_MAX); /* no thread could start: do it here */
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    ret = sh.status;
    if (ret != SA_OK && err != NULL)
        *err = sh.err;
cleanup:
    sa_progress_end(sh.progress);
    for (size_t i = 0; i < opened; i++)
        session_close(&args[i].s);
    free(args);
    free(threads);
    pthread_mutex_destroy(&sh.lock);
    return ret;
}
