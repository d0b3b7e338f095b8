/* kdc.c - KDC location (krb5.conf, DNS SRV) and a TCP exchange with a deadline. */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <profile.h>
#include <resolv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "spnaudit/kdc.h"
#include "spnaudit/dns.h"
#include "spnaudit/net.h"
#include "spnaudit/strv.h"

#define KDC_PORT 88
#define MAX_REPLY (1u << 20)

bool
sa_kdc_parse_hostport(const char *value, char *host, size_t host_size, unsigned *port)
{
    const char *p = value, *end, *colon;
    size_t len;
    char *tail = NULL;
    unsigned long v;

    if (strncasecmp(p, "tcp/", 4) == 0 || strncasecmp(p, "udp/", 4) == 0)
        p += 4;
    if (*p == '[') {
        end = strchr(p, ']');
        if (end == NULL)
            return false;
        len = (size_t)(end - p - 1);
        p++;
        colon = end[1] == ':' ? end + 1 : NULL;
        if (end[1] != '\0' && colon == NULL)
            return false;
    } else {
        colon = strchr(p, ':');
        if (colon != NULL && strchr(colon + 1, ':') != NULL)
            colon = NULL; /* a bare IPv6 address */
        len = colon ? (size_t)(colon - p) : strlen(p);
    }
    if (len == 0 || len >= host_size)
        return false;
    memcpy(host, p, len);
    host[len] = '\0';
    if (strpbrk(host, " \t/") != NULL)
        return false;
    *port = KDC_PORT;
    if (colon != NULL) {
        errno = 0;
        v = strtoul(colon + 1, &tail, 10);
        if (errno != 0 || tail == colon + 1 || *tail != '\0' || v == 0 || v > 65535)
            return false;
        *port = (unsigned)v;
    }
    return true;
}

static sa_status
add_host(sa_kdcs *out, const char *host, unsigned port, sa_error *err)
{
    struct addrinfo hints, *res = NULL;
    char service[16];
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof(service), "%u", port);
    rc = getaddrinfo(host, service, &hints, &res);
    if (rc != 0)
        return SA_ERR_DIRECTORY; /* the caller reports unresolvable KDCs together */
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        sa_kdc_addr *items, *a;
        char addr[INET6_ADDRSTRLEN] = "?";

        items = sa_grow(out->items, &out->cap, out->n, sizeof(*out->items), 4);
        if (items == NULL) {
            freeaddrinfo(res);
            return sa_error_nomem(err);
        }
        out->items = items;
        a = &out->items[out->n++];
        memset(a, 0, sizeof(*a));
        memcpy(&a->addr, ai->ai_addr, ai->ai_addrlen);
        a->addr_len = ai->ai_addrlen;
        getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
        if (strcmp(addr, host) == 0)
            snprintf(a->name, sizeof(a->name), "%s:%u", host, port);
        else
            snprintf(a->name, sizeof(a->name), "%s:%u (%s)", host, port, addr);
    }
    freeaddrinfo(res);
    return SA_OK;
}

const char *
sa_krb5_conf_name(void)
{
    const char *conf = getenv("KRB5_CONFIG");

    return conf != NULL && *conf != '\0' ? conf : "/etc/krb5.conf";
}

/* No KDC for realm in krb5.conf, nor in DNS when looked up there: which
 * file was read, and what to add to it. */
static sa_status
no_kdc(const char *realm, bool dns_asked, sa_error *err)
{
    const char *conf = sa_krb5_conf_name();

    return sa_error_set(err, SA_ERR_DIRECTORY,
                        "no KDC known for realm %s: %s%s has no kdc for it under [realms], and %s%s: check "
                        "the realm's name, or add \"%s = { kdc = DC-NAME }\" under [realms]",
                        realm, conf, access(conf, F_OK) != 0 ? " (which does not exist)" : "",
                        dns_asked ? "DNS has no SRV record _kerberos._tcp." : "dns_lookup_kdc is off",
                        dns_asked ? realm : "", realm);
}

sa_status
sa_kdc_locate(krb5_context ctx, const char *realm, sa_kdcs *out, sa_error *err)
{
    profile_t profile = NULL;
    const char *names[] = {"realms", realm, "kdc", NULL};
    char **values = NULL;
    sa_srv *records = NULL;
    size_t n_records = 0;
    sa_strv unresolved = {NULL, 0, 0};
    char host[NS_MAXDNAME];
    unsigned port;
    int dns = 1;
    sa_status ret = SA_OK;

    if (krb5_get_profile(ctx, &profile) != 0)
        return sa_error_set(err, SA_ERR_KERBEROS, "cannot read the Kerberos configuration for realm %s",
                            realm);
    if (profile_get_values(profile, names, &values) == 0) {
        for (size_t i = 0; values[i] != NULL && ret == SA_OK; i++) {
            if (!sa_kdc_parse_hostport(values[i], host, sizeof(host), &port)) {
                ret = sa_error_set(err, SA_ERR_USAGE, "malformed kdc entry \"%s\" for realm %s in krb5.conf",
                                   values[i], realm);
            } else if ((ret = add_host(out, host, port, err)) == SA_ERR_DIRECTORY) {
                ret = sa_strv_add(&unresolved, values[i]) ? SA_OK : sa_error_nomem(err);
            }
        }
    } else {
        profile_get_boolean(profile, "libdefaults", "dns_lookup_kdc", NULL, 1, &dns);
        if (dns) {
            char qname[NS_MAXDNAME];
            snprintf(qname, sizeof(qname), "_kerberos._tcp.%s", realm);
            if (!sa_dns_srv(qname, &records, &n_records))
                ret = sa_error_nomem(err);
            for (size_t i = 0; i < n_records && ret == SA_OK; i++) {
                if ((ret = add_host(out, records[i].target, records[i].port, err)) == SA_ERR_DIRECTORY)
                    ret = sa_strv_add(&unresolved, records[i].target) ? SA_OK : sa_error_nomem(err);
            }
            out->from_dns = true;
        }
    }
    if (ret == SA_OK && out->n == 0) {
        if (unresolved.n > 0)
            ret = sa_error_set(err, SA_ERR_DIRECTORY, "the KDC %s of realm %s does not resolve",
                               unresolved.items[0], realm);
        else
            ret = no_kdc(realm, dns && values == NULL, err);
    }
    sa_strv_clear(&unresolved);
    free(records);
    profile_free_list(values);
    profile_release(profile);
    return ret;
}

void
sa_kdcs_clear(sa_kdcs *kdcs)
{
    free(kdcs->items);
    memset(kdcs, 0, sizeof(*kdcs));
}

/* One exchange with one KDC.  0 ok, 1 refused/failed (errno-ish text in
 * why), 2 timeout. */
static int
exchange_one(const sa_kdc_addr *kdc, const unsigned char *frame, size_t frame_len,
             const struct timespec *deadline, void **reply, size_t *reply_len, char *why, size_t why_size)
{
    unsigned char hdr[4];
    unsigned char *buf = NULL;
    size_t done = 0, want;
    int fd, rc, ret = 1;
    bool timed_out = false;
    char reason[200];

    fd = sa_tcp_connect((const struct sockaddr *)&kdc->addr, kdc->addr_len, deadline, &timed_out, reason,
                        sizeof(reason));
    if (fd < 0) {
        snprintf(why, why_size, "%s: %s", kdc->name, reason);
        return timed_out ? 2 : 1;
    }
    while (done < frame_len) {
        ssize_t n = send(fd, frame + done, frame_len - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if ((rc = sa_wait_fd(fd, POLLOUT, deadline)) <= 0) {
                ret = rc == 0 ? 2 : 1;
                snprintf(why, why_size, "%s: %s", kdc->name, rc == 0 ? "no answer" : strerror(errno));
                goto cleanup;
            }
            continue;
        }
        snprintf(why, why_size, "%s: %s", kdc->name, strerror(errno));
        goto cleanup;
    }
    /* the length, then the message */
    for (int phase = 0; phase < 2; phase++) {
        unsigned char *dst = phase == 0 ? hdr : buf;
        want = phase == 0 ? sizeof(hdr) : *reply_len;
        done = 0;
        while (done < want) {
            ssize_t n = recv(fd, dst + done, want - done, 0);
            if (n > 0) {
                done += (size_t)n;
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                if ((rc = sa_wait_fd(fd, POLLIN, deadline)) <= 0) {
                    ret = rc == 0 ? 2 : 1;
                    snprintf(why, why_size, "%s: %s", kdc->name, rc == 0 ? "no answer" : strerror(errno));
                    goto cleanup;
                }
                continue;
            }
            snprintf(why, why_size, "%s: %s", kdc->name, n == 0 ? "connection closed" : strerror(errno));
            goto cleanup;
        }
        if (phase == 0) {
            uint32_t len =
                ((uint32_t)hdr[0] << 24) | ((uint32_t)hdr[1] << 16) | ((uint32_t)hdr[2] << 8) | hdr[3];
            if (len == 0 || len > MAX_REPLY) {
                snprintf(why, why_size, "%s: implausible reply length %u", kdc->name, (unsigned)len);
                goto cleanup;
            }
            *reply_len = len;
            buf = malloc(len);
            if (buf == NULL) {
                snprintf(why, why_size, "out of memory");
                goto cleanup;
            }
        }
    }
    *reply = buf;
    buf = NULL;
    ret = 0;
cleanup:
    free(buf);
    close(fd);
    return ret;
}

sa_kdc_result
sa_kdc_exchange(const sa_kdcs *kdcs, const void *msg, size_t len, int timeout_ms, void **reply,
                size_t *reply_len, char *why, size_t why_size)
{
    struct timespec deadline;
    unsigned char *frame = NULL;
    char last[600] = "no KDC to ask";
    bool timed_out = false;
    sa_kdc_result ret = SA_KDC_UNREACHABLE;

    *reply = NULL;
    *reply_len = 0;
    frame = malloc(len + 4);
    if (frame == NULL)
        return SA_KDC_NOMEM;
    frame[0] = (unsigned char)(len >> 24);
    frame[1] = (unsigned char)(len >> 16);
    frame[2] = (unsigned char)(len >> 8);
    frame[3] = (unsigned char)len;
    memcpy(frame + 4, msg, len);
    sa_deadline_in(&deadline, timeout_ms);
    for (size_t i = 0; i < kdcs->n; i++) {
        /* Each KDC left gets an equal share of the time left, so one that
         * hangs does not keep the next from being asked. */
        struct timespec attempt = deadline;
        long left = sa_ms_left(&deadline), share;
        int rc;

        if (left <= 0) {
            timed_out = true;
            break;
        }
        share = left / (long)(kdcs->n - i);
        sa_deadline_in(&attempt, share);
        rc = exchange_one(&kdcs->items[i], frame, len + 4, &attempt, reply, reply_len, last, sizeof(last));
        if (rc == 0) {
            ret = SA_KDC_OK;
            goto cleanup;
        }
        timed_out = timed_out || rc == 2;
    }
    if (timed_out) {
        snprintf(why, why_size, "%s (request timeout %d ms)", last, timeout_ms);
        ret = SA_KDC_TIMEOUT;
    } else {
        snprintf(why, why_size, "%s", last);
    }
cleanup:
    free(frame);
    return ret;
}
