/* net.c - TCP with deadlines. */
#include <errno.h>
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
