/* dns.c - DNS SRV records: the query, retried over TCP when the answer
 * does not fit, and the parser of the answer, a pure function on the
 * bytes a DNS server sent. */
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/dns.h"
#include "spnaudit/groupconf.h"

static int
cmp_srv(const void *pa, const void *pb)
{
    const sa_srv *a = pa, *b = pb;

    if (a->priority != b->priority)
        return a->priority < b->priority ? -1 : 1;
    return (a->weight < b->weight) - (a->weight > b->weight); /* heavier first */
}

/* Record i of the answer section into *r: false when it is no usable SRV
 * record (another type, too short, a target that overruns the record or
 * is no host name, port 0, or "no service here"). */
static bool
srv_record(ns_msg *msg, int i, sa_srv *r)
{
    ns_rr rr;
    const unsigned char *rd;
    int used;

    if (ns_parserr(msg, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_srv || ns_rr_class(rr) != ns_c_in ||
        ns_rr_rdlen(rr) < 7)
        return false;
    rd = ns_rr_rdata(rr);
    r->priority = ns_get16(rd);
    r->weight = ns_get16(rd + 2);
    r->port = ns_get16(rd + 4);
    used = dn_expand(ns_msg_base(*msg), ns_msg_end(*msg), rd + 6, r->target, sizeof(r->target));
    /* the name must end where the record does; "." means no service */
    return used > 0 && (size_t)used == ns_rr_rdlen(rr) - 6u && r->port != 0 && sa_valid_fqdn(r->target);
}

sa_srv_parse_result
sa_srv_parse(const unsigned char *buf, size_t size, size_t answer_len, sa_srv **out, size_t *n_out,
             bool *truncated)
{
    ns_msg msg;
    sa_srv *list = NULL;
    size_t len = answer_len < size ? answer_len : size, n = 0, cap;
    int count;

    *out = NULL;
    *n_out = 0;
    /* the answer did not fit, or the server cut it (TC) */
    *truncated = answer_len > size || (len >= 4 && (buf[2] & 0x02) != 0);
    if (len > SA_DNS_MAX_ANSWER || ns_initparse(buf, (int)len, &msg) != 0)
        return SA_SRV_MALFORMED;
    count = ns_msg_count(msg, ns_s_an);
    if (ns_msg_getflag(msg, ns_f_rcode) != ns_r_noerror || count <= 0)
        return SA_SRV_PARSED;
    cap = (size_t)count < SA_SRV_MAX_RECORDS ? (size_t)count : SA_SRV_MAX_RECORDS;
    list = calloc(cap, sizeof(*list));
    if (list == NULL)
        return SA_SRV_NOMEM;
    for (int i = 0; i < count && n < cap; i++) {
        if (srv_record(&msg, i, &list[n]))
            n++;
    }
    if (n == 0) {
        free(list);
        return SA_SRV_PARSED;
    }
    qsort(list, n, sizeof(*list), cmp_srv);
    *out = list;
    *n_out = n;
    return SA_SRV_PARSED;
}

bool
sa_dns_srv(const char *qname, sa_srv **out, size_t *n_out)
{
    struct __res_state state;
    unsigned char *buf = NULL;
    sa_srv *list = NULL, *more = NULL;
    size_t n = 0, n_more = 0, size = 8192;
    bool truncated = false, ok = true;
    int len;

    *out = NULL;
    *n_out = 0;
    memset(&state, 0, sizeof(state));
    if (res_ninit(&state) != 0)
        return true;
    buf = malloc(SA_DNS_MAX_ANSWER);
    if (buf == NULL) {
        ok = false;
        goto cleanup;
    }
    /* UDP into 8 KB first; an answer cut short or larger is asked again
     * over TCP into the largest buffer a DNS message needs */
    for (int attempt = 0; attempt < 2 && (attempt == 0 || truncated); attempt++) {
        len = res_nquery(&state, qname, ns_c_in, ns_t_srv, buf, (int)size);
        if (len <= 0)
            break;
        if (sa_srv_parse(buf, size, (size_t)len, &more, &n_more, &truncated) == SA_SRV_NOMEM) {
            ok = false;
            goto cleanup;
        }
        if (n_more > 0 || attempt == 0) { /* a failed retry keeps what the first answer gave */
            free(list);
            list = more;
            n = n_more;
        }
        more = NULL; /* none when n_more is 0 */
        state.options |= RES_USEVC;
        size = SA_DNS_MAX_ANSWER;
    }
    *out = list;
    *n_out = n;
    list = NULL;
cleanup:
    free(list);
    free(buf);
    res_nclose(&state);
    return ok;
}
