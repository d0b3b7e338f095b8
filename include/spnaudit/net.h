/* net.h - TCP with deadlines, shared by the KDC transport and the
 * reachability checks. */
#ifndef SPNAUDIT_NET_H
#define SPNAUDIT_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

/* A CLOCK_MONOTONIC deadline ms milliseconds from now. */
void sa_deadline_in(struct timespec *deadline, long ms);
/* Milliseconds left until deadline (<= 0 when passed). */
long sa_ms_left(const struct timespec *deadline);
/* Wait until fd is ready for events: 1 ready, 0 deadline passed, -1 error. */
int sa_wait_fd(int fd, short events, const struct timespec *deadline);

/* A connected non-blocking TCP socket to addr, or -1 with why set
 * ("Connection refused", "no connection within the time limit") and
 * *timed_out telling which. */
int sa_tcp_connect(const struct sockaddr *addr, socklen_t addr_len, const struct timespec *deadline,
                   bool *timed_out, char *why, size_t why_size);

#endif
