/* dns.h - DNS SRV records: the query, and the parser of an answer as a
 * pure function on bytes (what a DNS server sends is untrusted). */
#ifndef SPNAUDIT_DNS_H
#define SPNAUDIT_DNS_H

#include <stdbool.h>
#include <stddef.h>

/* The most SRV records taken from one answer, and the largest answer
 * read (a DNS message over TCP is at most 65535 bytes). */
#define SA_SRV_MAX_RECORDS 64
#define SA_DNS_MAX_ANSWER 65536

/* A DNS SRV record. */
typedef struct sa_srv {
    unsigned priority, weight, port;
    char target[1025];
} sa_srv;

typedef enum sa_srv_parse_result {
    SA_SRV_PARSED = 0, /* *out holds the usable records (perhaps none) */
    SA_SRV_MALFORMED,  /* not a DNS message, or cut short */
    SA_SRV_NOMEM,
} sa_srv_parse_result;

/* The SRV records of the DNS answer in buf (size bytes), whose full
 * length was answer_len (res_nquery's return value, larger than size when
 * the answer did not fit), by priority then weight (heaviest first), in a
 * malloc'd array.  Records whose target is not a host name
 * (sa_valid_fqdn), whose port is 0, that say "no service" (target "."),
 * or whose target overruns its record are left out; at most
 * SA_SRV_MAX_RECORDS are kept.  *truncated is set when the server set TC
 * or the answer did not fit in buf: ask again, over TCP. */
sa_srv_parse_result sa_srv_parse(const unsigned char *buf, size_t size, size_t answer_len, sa_srv **out,
                                 size_t *n, bool *truncated);

/* The SRV records of qname, as sa_srv_parse gives them: asked over UDP
 * with an 8 KB buffer, then over TCP with SA_DNS_MAX_ANSWER when the
 * answer was truncated or larger; none when the name has no records or
 * DNS fails.  false only on out of memory. */
bool sa_dns_srv(const char *qname, sa_srv **out, size_t *n);

#endif
