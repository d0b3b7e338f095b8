/* net.c - TCP with deadlines. */
#include <arpa/nameser.h>
#include <errno.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "spnaudit/net.h"

void
sa_deadline_in(struct timespec *deadline, long ms)
{
    clock_gettime(CLOCK_MONOTONIC, deadline);
    deadline->tv_sec += ms / 1000;
    deadline->tv_nsec += (ms % 1000) * 1000000;
    if (deadline->tv_nsec >= 1000000000) {
        deadline->tv_sec++;
        deadline->tv_nsec -= 1000000000;
    }
}

long
sa_ms_left(const struct timespec *deadline)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

int
sa_wait_fd(int fd, short events, const struct timespec *deadline)
{
    for (;;) {
        struct pollfd p = {fd, events, 0};
        long left = sa_ms_left(deadline);
        int rc;

        if (left <= 0)
            return 0;
        rc = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0 && sa_ms_left(deadline) > 0)
            continue; /* the 60 s slice ended, not the deadline */
        return rc > 0 ? 1 : rc;
    }
}

int
sa_tcp_connect(const struct sockaddr *addr, socklen_t addr_len, const struct timespec *deadline,
               bool *timed_out, char *why, size_t why_size)
{
    int fd, rc, soerr = 0;
    socklen_t slen = sizeof(soerr);

    *timed_out = false;
    fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(why, why_size, "%s", strerror(errno));
        return -1;
    }
    if (connect(fd, addr, addr_len) == 0)
        return fd;
    if (errno != EINPROGRESS) {
        snprintf(why, why_size, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    rc = sa_wait_fd(fd, POLLOUT, deadline);
    if (rc == 0) {
        *timed_out = true;
        snprintf(why, why_size, "no connection within the time limit");
        close(fd);
        return -1;
    }
    if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &slen) != 0 || soerr != 0) {
        snprintf(why, why_size, "%s", strerror(soerr ? soerr : errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int
cmp_srv(const void *pa, const void *pb)
{
    const sa_srv *a = pa, *b = pb;

    if (a->priority != b->priority)
        return a->priority < b->priority ? -1 : 1;
    return (a->weight < b->weight) - (a->weight > b->weight); /* heavier first */
}

bool
sa_dns_srv(const char *qname, sa_srv **out, size_t *n_out)
{
    struct __res_state state;
    unsigned char answer[8192];
    ns_msg msg;
    sa_srv *list = NULL;
    size_t n = 0;
    int len, count;
    bool ok = true;

    *out = NULL;
    *n_out = 0;
    memset(&state, 0, sizeof(state));
    if (res_ninit(&state) != 0)
        return true;
    len = res_nquery(&state, qname, ns_c_in, ns_t_srv, answer, sizeof(answer));
    if (len <= 0 || ns_initparse(answer, len, &msg) != 0)
        goto cleanup;
    count = ns_msg_count(msg, ns_s_an);
    if (count <= 0)
        goto cleanup;
    list = calloc((size_t)count, sizeof(*list));
    if (list == NULL) {
        ok = false;
        goto cleanup;
    }
    for (int i = 0; i < count; i++) {
        ns_rr rr;
        const unsigned char *rd;

        if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_srv || ns_rr_rdlen(rr) < 7)
            continue;
        rd = ns_rr_rdata(rr);
        list[n].priority = ns_get16(rd);
        list[n].weight = ns_get16(rd + 2);
        list[n].port = ns_get16(rd + 4);
        if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, list[n].target, sizeof(list[n].target)) < 0)
            continue;
        if (strcmp(list[n].target, ".") == 0 || list[n].target[0] == '\0')
            continue; /* "service not available here" */
        n++;
    }
    qsort(list, n, sizeof(*list), cmp_srv);
    *out = list;
    *n_out = n;
    list = NULL;
cleanup:
    free(list);
    res_nclose(&state);
    return ok;
}
