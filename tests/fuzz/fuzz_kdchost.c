/* fuzz_kdchost.c - libFuzzer harness for krb5.conf's "kdc = host:port"
 * (sa_kdc_parse_hostport, kdc.c): any value, with host buffers of any
 * size, parses or is refused without writing past the buffer; what is
 * accepted is a host of the value's own bytes, with no blank or /, and a
 * port of 1-65535; written back as host:port ([host]:port for an IPv6
 * address; a host holding a bracket has no such form) it parses to the
 * same host and port; abort() otherwise.  The
 * first byte sets the buffer's size.  Run as
 *   build-fuzz/tests/fuzz/fuzz_kdchost -max_total_time=300 NEWDIR tests/fuzz/corpus/kdchost */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/kdc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
broken(const char *what, const char *value)
{
    fprintf(stderr, "kdc host:port invariant broken: %s [%s]\n", what, value);
    abort();
}

/* host:port parsed again from the form it would be written in. */
static void
check_round_trip(const char *value, const char *host, unsigned port)
{
    size_t n = strlen(host) + 16;
    char *again = malloc(n), *host2 = malloc(n);
    unsigned port2 = 0;

    if (again == NULL || host2 == NULL)
        goto out;
    snprintf(again, n, strchr(host, ':') != NULL ? "[%s]:%u" : "%s:%u", host, port);
    if (!sa_kdc_parse_hostport(again, host2, n, &port2))
        broken("written back, it is refused", value);
    if (strcmp(host, host2) != 0 || port != port2)
        broken("written back, it parses to another host or port", value);
out:
    free(again);
    free(host2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t host_size = size > 0 ? (size_t)data[0] + 1 : 1;
    char *value, *host;
    unsigned port = 0;

    if (size == 0)
        return 0;
    value = strndup((const char *)data + 1, size - 1);
    host = malloc(host_size); /* exactly: a write past it is caught */
    if (value == NULL || host == NULL)
        goto out;
    if (sa_kdc_parse_hostport(value, host, host_size, &port)) {
        if (host[0] == '\0' || strlen(host) >= host_size || strstr(value, host) == NULL)
            broken("a host that is empty, too long or not from the value", value);
        if (strpbrk(host, " \t/") != NULL)
            broken("a host with a blank or /", value);
        if (port == 0 || port > 65535)
            broken("a port out of range", value);
        if (strpbrk(host, "[]") == NULL) /* no form writes a bracket in a host back */
            check_round_trip(value, host, port);
    }
out:
    free(value);
    free(host);
    return 0;
}
