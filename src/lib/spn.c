/* spn.c - parsing and comparing service principal names. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/spn.h"

/* Copy [start, end) into dst of SA_SPN_MAX bytes. */
static bool
copy_part(char *dst, const char *start, const char *end)
{
    size_t len = (size_t)(end - start);

    if (len >= SA_SPN_MAX)
        return false;
    memcpy(dst, start, len);
    dst[len] = '\0';
    return true;
}

bool
sa_spn_parse(const char *text, sa_spn *out, const char **why)
{
    const char *slash, *host_end, *colon, *p;
    sa_spn spn;
    unsigned long port = 0;

    memset(&spn, 0, sizeof(spn));
    *why = NULL;
    if (text == NULL || *text == '\0') {
        *why = "empty SPN";
        return false;
    }
    if (strlen(text) >= SA_SPN_MAX) {
        *why = "SPN too long";
        return false;
    }
    for (p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f) {
            *why = "SPN contains white space or a control character";
            return false;
        }
        if (c == '@') {
            *why = "SPN contains '@' (a realm belongs to a principal name, not to an SPN)";
            return false;
        }
    }
    slash = strchr(text, '/');
    if (slash == NULL) {
        *why = "SPN has no '/' between service class and host";
        return false;
    }
    if (slash == text) {
        *why = "SPN has an empty service class";
        return false;
    }
    host_end = strchr(slash + 1, '/');
    if (host_end == NULL)
        host_end = slash + 1 + strlen(slash + 1);
    else if (host_end[1] == '\0') {
        *why = "SPN has an empty service name after the last '/'";
        return false;
    } else if (strchr(host_end + 1, '/') != NULL) {
        *why = "SPN has more than three parts";
        return false;
    }
    colon = memchr(slash + 1, ':', (size_t)(host_end - (slash + 1)));
    if (colon == NULL)
        colon = host_end;
    if (colon == slash + 1) {
        *why = "SPN has an empty host";
        return false;
    }
    if (colon != host_end) {
        if (colon + 1 == host_end) {
            *why = "SPN has an empty port after ':'";
            return false;
        }
        for (p = colon + 1; p < host_end; p++) {
            if (!isdigit((unsigned char)*p)) {
                *why = "SPN port is not a number";
                return false;
            }
            port = port * 10 + (unsigned long)(*p - '0');
            if (port > 65535) {
                *why = "SPN port is out of range (1-65535)";
                return false;
            }
        }
        if (port == 0) {
            *why = "SPN port is out of range (1-65535)";
            return false;
        }
    }
    if (!copy_part(spn.service_class, text, slash) || !copy_part(spn.host, slash + 1, colon)) {
        *why = "SPN too long";
        return false;
    }
    if (*host_end == '/' && !copy_part(spn.service_name, host_end + 1, host_end + 1 + strlen(host_end + 1))) {
        *why = "SPN too long";
        return false;
    }
    spn.port = (unsigned)port;
    *out = spn;
    return true;
}

bool
sa_spn_equal(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

bool
sa_spn_has_class(const char *text, const char *cls)
{
    size_t len = strlen(cls);

    return strncasecmp(text, cls, len) == 0 && text[len] == '/';
}

bool
sa_spn_host_is_fqdn(const char *host)
{
    return strchr(host, '.') != NULL;
}

void
sa_netbios_from_fqdn(const char *fqdn, char *buf, size_t size)
{
    size_t i = 0;

    if (size == 0)
        return;
    for (; fqdn[i] && fqdn[i] != '.' && i < 15 && i + 1 < size; i++)
        buf[i] = (char)toupper((unsigned char)fqdn[i]);
    buf[i] = '\0';
}
