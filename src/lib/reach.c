/* reach.c - DNS resolution and a TCP connect for each host, in parallel. */
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "spnaudit/net.h"
#include "spnaudit/reach.h"

typedef struct shared {
    sa_reach *items;
    size_t n;
    unsigned port;
    int timeout_ms;
    atomic_size_t next;
} shared;

/* Did the resolver answer that the name has no address (rather than
 * fail to answer)? */
static bool
name_absent(int rc)
{
#ifdef EAI_NODATA
    if (rc == EAI_NODATA)
        return true;
#endif
#ifdef EAI_ADDRFAMILY
    if (rc == EAI_ADDRFAMILY)
        return true;
#endif
    return rc == EAI_NONAME;
}

static void
check_one(sa_reach *r, unsigned port, int timeout_ms)
{
    struct addrinfo hints, *res = NULL;
    char service[16], addr[64], reason[200];
    size_t used = 0;
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof(service), "%u", port);
    rc = getaddrinfo(r->host, service, &hints, &res);
    if (rc != 0) {
        snprintf(r->resolve_error, sizeof(r->resolve_error), "%s",
                 rc == EAI_SYSTEM ? "system error" : gai_strerror(rc));
        r->lookup_failed = !name_absent(rc);
        return;
    }
    r->resolved = true;
    for (struct addrinfo *ai = res; ai != NULL && !r->connected; ai = ai->ai_next) {
        struct timespec deadline;
        bool timed_out;
        int fd;

        getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
        if (r->address[0] == '\0')
            snprintf(r->address, sizeof(r->address), "%s", addr);
        sa_deadline_in(&deadline, timeout_ms);
        fd = sa_tcp_connect(ai->ai_addr, ai->ai_addrlen, &deadline, &timed_out, reason, sizeof(reason));
        if (fd >= 0) {
            close(fd);
            r->connected = true;
            snprintf(r->address, sizeof(r->address), "%s", addr);
        } else {
            int n = snprintf(r->connect_error + used, sizeof(r->connect_error) - used, "%s%s:%u: %s",
                             used ? "; " : "", addr, port, reason);
            if (n > 0 && (size_t)n < sizeof(r->connect_error) - used)
                used += (size_t)n;
        }
    }
    freeaddrinfo(res);
}

static void *
worker(void *arg)
{
    shared *sh = arg;

    for (;;) {
        size_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->n)
            return NULL;
        check_one(&sh->items[i], sh->port, sh->timeout_ms);
    }
}

void
sa_reach_check(sa_reach *items, size_t n, unsigned port, int timeout_ms, int jobs)
{
    pthread_t threads[64];
    size_t started = 0;
    shared sh;

    if (n == 0)
        return;
    if (jobs < 1)
        jobs = 1;
    if (jobs > 64)
        jobs = 64;
    if ((size_t)jobs > n)
        jobs = (int)n;
    sh.items = items;
    sh.n = n;
    sh.port = port;
    sh.timeout_ms = timeout_ms;
    atomic_init(&sh.next, 0);
    for (int i = 0; i < jobs; i++) {
        if (pthread_create(&threads[started], NULL, worker, &sh) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker(&sh); /* no thread could start: do it here */
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
}
