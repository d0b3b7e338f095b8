/* kdc.h - finding a realm's KDCs and talking to them over TCP with a
 * deadline.  libkrb5 (1.20) waits up to ~27 s for a KDC that accepts a
 * connection and never answers, and offers no per-request timeout; our
 * pre-send hook does the exchange itself, so every request is bounded. */
#ifndef SPNAUDIT_KDC_H
#define SPNAUDIT_KDC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <krb5.h>

#include "spnaudit/error.h"

typedef struct sa_kdc_addr {
    struct sockaddr_storage addr;
    socklen_t addr_len;
    char name[300]; /* "host:port (address)" for messages */
} sa_kdc_addr;

typedef struct sa_kdcs {
    sa_kdc_addr *items;
    size_t n;
    size_t cap;
    bool from_dns; /* found through a DNS SRV record */
} sa_kdcs;

/* Parse a krb5.conf "kdc" value: host, host:port, [v6]:port, with an
 * optional tcp/ or udp/ prefix.  Writes host (without brackets) and
 * port; false for malformed input. */
bool sa_kdc_parse_hostport(const char *value, char *host, size_t host_size, unsigned *port);

/* The KDCs of realm, in order: the realm's "kdc" entries in krb5.conf;
 * without any, the DNS SRV records _kerberos._tcp.REALM (unless
 * dns_lookup_kdc is false). */
/* The Kerberos configuration read, for messages: KRB5_CONFIG, else
 * /etc/krb5.conf. */
const char *sa_krb5_conf_name(void);

sa_status sa_kdc_locate(krb5_context ctx, const char *realm, sa_kdcs *out, sa_error *err);
void sa_kdcs_clear(sa_kdcs *kdcs);

/* Send msg to the first KDC that answers (TCP, 4-byte length framing),
 * each attempt bounded by the time left of timeout_ms.  On success the
 * reply is a malloc'd buffer.  On failure why says which KDCs were tried
 * and what happened. */
typedef enum { SA_KDC_OK = 0, SA_KDC_UNREACHABLE, SA_KDC_TIMEOUT, SA_KDC_NOMEM } sa_kdc_result;
sa_kdc_result sa_kdc_exchange(const sa_kdcs *kdcs, const void *msg, size_t len, int timeout_ms, void **reply,
                              size_t *reply_len, char *why, size_t why_size);

#endif
