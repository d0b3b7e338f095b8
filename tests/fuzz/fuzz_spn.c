/* fuzz_spn.c - libFuzzer harness for the SPN parser (spn.c): any text is
 * accepted exactly when it is serviceclass/host[:port][/servicename] as
 * spn.h describes it (decided here from that grammar, not with spn.c's
 * code): under SA_SPN_MAX bytes, no blank, control byte, DEL or '@', two
 * or three non-empty parts split by '/', a port of digits worth 1-65535
 * after the host's first ':'.  What is accepted gives back the text when
 * its parts are put together again (the port with as many digits as it
 * was written with); what is refused has a reason and leaves the output
 * alone.  The parts agree with sa_spn_has_class, sa_spn_equal (the text
 * upper-cased is the same SPN) and sa_spn_host_is_fqdn, and the host's
 * NetBIOS name fits its buffer: its first label, upper-case, at most 15
 * characters.  abort() otherwise.  The first byte sets the NetBIOS
 * buffer's size (1-32), the rest up to a NUL is the SPN.  Run as
 *   build-fuzz/tests/fuzz/fuzz_spn -max_total_time=300 NEWDIR tests/fuzz/corpus/spn */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/spn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
broken(const char *what, const char *text)
{
    fprintf(stderr, "SPN invariant broken: %s [%s]\n", what, text);
    abort();
}

/* A port of digits only, worth 1-65535 (leading zeros allowed). */
static bool
valid_port(const char *p, size_t len)
{
    unsigned long v = 0;

    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        if ((v = v * 10 + (unsigned long)(p[i] - '0')) > 65535)
            return false;
    }
    return v != 0;
}

/* Is text an SPN by spn.h's grammar? */
static bool
is_spn(const char *text)
{
    size_t len = strlen(text), parts = 1, start[3] = {0}, end[3] = {0};
    const char *colon;

    if (len == 0 || len >= SA_SPN_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c <= 0x20 || c == 0x7f || c == '@')
            return false;
        if (c != '/')
            continue;
        if (parts == 3)
            return false;
        end[parts - 1] = i;
        start[parts++] = i + 1;
    }
    end[parts - 1] = len;
    if (parts < 2)
        return false;
    for (size_t k = 0; k < parts; k++) {
        if (start[k] == end[k])
            return false;
    }
    colon = memchr(text + start[1], ':', end[1] - start[1]);
    if (colon == NULL)
        return true;
    return colon != text + start[1] &&
           valid_port(colon + 1, (size_t)(text + end[1] - (colon + 1)));
}

/* The parts put together again, the port as wide as it was written. */
static void
check_round_trip(const char *text, const sa_spn *s)
{
    size_t len = strlen(text), lc = strlen(s->service_class), lh = strlen(s->host);
    size_t ln = strlen(s->service_name), rest = lc + 1 + lh + (ln > 0 ? 1 + ln : 0);
    char *again = malloc(len + 16); /* room for a port wider than written */
    int n;

    if (rest > len || (s->port == 0) != (rest == len))
        broken("the parts do not add up to the text", text);
    if (again == NULL)
        return;
    if (s->port == 0)
        n = snprintf(again, len + 16, "%s/%s%s%s", s->service_class, s->host, ln > 0 ? "/" : "",
                     s->service_name);
    else
        n = snprintf(again, len + 16, "%s/%s:%0*u%s%s", s->service_class, s->host, (int)(len - rest - 1),
                     s->port, ln > 0 ? "/" : "", s->service_name);
    if (n != (int)len || strcmp(again, text) != 0)
        broken("put together again, the parts give another text", text);
    free(again);
}

/* The host's NetBIOS name in a buffer of size bytes. */
static void
check_netbios(const char *text, const char *host, size_t size)
{
    char *buf = malloc(size); /* exactly: a write past it is caught */
    size_t n, want = strcspn(host, ".");

    if (buf == NULL)
        return;
    sa_netbios_from_fqdn(host, buf, size);
    n = strlen(buf);
    want = want < 15 ? want : 15;
    want = want < size - 1 ? want : size - 1;
    if (n != want)
        broken("the NetBIOS name has the wrong length", text);
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)buf[i] != toupper((unsigned char)host[i]))
            broken("the NetBIOS name is not the host's first label upper-cased", text);
    }
    free(buf);
}

static void
check_accepted(const char *text, const sa_spn *s, size_t netbios_size)
{
    char *upper = strdup(text);

    if (s->port > 65535 || strchr(s->host, ':') != NULL)
        broken("a port out of range or a ':' in the host", text);
    check_round_trip(text, s);
    if (!sa_spn_has_class(text, s->service_class))
        broken("sa_spn_has_class refuses the SPN's own class", text);
    if (sa_spn_host_is_fqdn(s->host) != (strchr(s->host, '.') != NULL))
        broken("sa_spn_host_is_fqdn is wrong", text);
    if (upper != NULL) {
        for (char *p = upper; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (!sa_spn_equal(text, upper) || !sa_spn_equal(upper, text))
            broken("the SPN upper-cased is another SPN", text);
    }
    free(upper);
    check_netbios(text, s->host, netbios_size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sa_spn s, untouched; /* 3 KiB each: not on the stack */
    const char *why = NULL;
    char *text;
    bool ok;

    if (size == 0)
        return 0;
    if ((text = strndup((const char *)data + 1, size - 1)) == NULL)
        return 0;
    memset(&s, 0xa5, sizeof(s));
    untouched = s;
    ok = sa_spn_parse(text, &s, &why);
    if (ok != is_spn(text))
        broken(ok ? "accepted, yet not an SPN by the grammar" : "refused, yet an SPN by the grammar", text);
    if (ok && why != NULL)
        broken("accepted with a reason", text);
    if (!ok && (why == NULL || *why == '\0' || memcmp(&s, &untouched, sizeof(s)) != 0))
        broken("refused without a reason, or the output changed", text);
    if (ok)
        check_accepted(text, &s, (size_t)(data[0] & 31u) + 1);
    free(text);
    return 0;
}
