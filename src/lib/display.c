/* display.c - untrusted text shown to people (see display.h for the rules). */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/display.h"

size_t
sa_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len;
    uint32_t c, min;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, c = s[0] & 0x1F, min = 0x80;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, c = s[0] & 0x0F, min = 0x800;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, c = s[0] & 0x07, min = 0x10000;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Code points shown as \u{NNNN}: C1 controls, zero-width and bidi. */
static bool
hidden_code_point(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9F) || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

/* Is the character at s (n bytes left) shown escaped?  Its length in *len
 * (1 for a byte that starts no valid sequence), its code point in *cp. */
static bool
escaped_at(const unsigned char *s, size_t n, size_t *len, uint32_t *cp)
{
    *cp = 0;
    *len = sa_utf8_seq(s, n, cp);
    if (*len == 0) {
        *len = 1;
        return true;
    }
    return *cp < 0x20 || *cp == 0x7F || hidden_code_point(*cp);
}

/* Is the backslash at s[0] doubled?  Only when what follows could be read
 * as part of an escape: another backslash, 'x', 'u', or an escaped
 * character (so DOMAIN\name stays as it is). */
static bool
backslash_doubled(const unsigned char *s, size_t n)
{
    size_t len;
    uint32_t cp;

    return n > 1 && (s[1] == '\\' || s[1] == 'x' || s[1] == 'u' || escaped_at(s + 1, n - 1, &len, &cp));
}

size_t
sa_shown_buf(const char *s, size_t n, char *buf)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;

    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len;

        if (escaped_at(p + i, n - i, &len, &cp) && (len == 1 || cp < 0x80)) { /* \xNN: 4 bytes for 1 */
            buf[o++] = '\\', buf[o++] = 'x', buf[o++] = hex[p[i] >> 4], buf[o++] = hex[p[i] & 0xF];
            i++;
        } else if (cp >= 0x80 && hidden_code_point(cp)) { /* \u{NNNN}: 8 bytes for 2 or 3 */
            memcpy(buf + o, "\\u{", 3);
            for (int sh = 12; sh >= 0; sh -= 4)
                buf[o + 3 + (size_t)(12 - sh) / 4] = hex[(cp >> sh) & 0xF];
            buf[o + 7] = '}';
            o += 8, i += len;
        } else {
            if (cp == '\\' && backslash_doubled(p + i, n - i))
                buf[o++] = '\\';
            memcpy(buf + o, p + i, len);
            o += len, i += len;
        }
    }
    buf[o] = '\0';
    return o;
}

/* Does s hold a character shown escaped, or (with backslashes) a
 * backslash shown doubled? */
static bool
show_changes(const char *s, bool backslashes)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);

    for (size_t i = 0, len; i < n; i += len) {
        uint32_t cp;
        if (escaped_at(p + i, n - i, &len, &cp) ||
            (backslashes && cp == '\\' && backslash_doubled(p + i, n - i)))
            return true;
    }
    return false;
}

bool
sa_show_needed(const char *s)
{
    return show_changes(s, true);
}

bool
sa_show_escapes_char(const char *s)
{
    return show_changes(s, false);
}

char *
sa_shown_dup(const char *s)
{
    size_t n;
    char *buf;

    if (s == NULL)
        return NULL;
    n = strlen(s);
    if (n > (SIZE_MAX - 1) / 4 || (buf = malloc(SA_SHOWN_MAX(n))) == NULL)
        return NULL;
    sa_shown_buf(s, n, buf);
    return buf;
}

/* Escaped s (n bytes) to out, padded with spaces to width (left-aligned
 * when left), its spaces written as glue unless glue is 0; the count
 * written, or -1. */
static int
show_padded(FILE *out, const char *s, size_t n, int width, bool left, char glue)
{
    char small[256], *buf = small;
    size_t len;
    int pad, ret = -1;

    if (n > (SIZE_MAX - 1) / 4 ||
        (SA_SHOWN_MAX(n) > sizeof(small) && (buf = malloc(SA_SHOWN_MAX(n))) == NULL))
        goto cleanup;
    len = sa_shown_buf(s, n, buf);
    for (size_t i = 0; glue != '\0' && i < len; i++)
        buf[i] = buf[i] == ' ' ? glue : buf[i];
    pad = width > 0 && (size_t)width > len ? width - (int)len : 0;
    if (fprintf(out, "%*s%s%*s", left ? 0 : pad, "", buf, left ? pad : 0, "") < 0)
        goto cleanup;
    ret = len > INT32_MAX - (size_t)pad ? INT32_MAX : (int)len + pad;
cleanup:
    if (buf != small)
        free(buf);
    return ret;
}

int
sa_show(FILE *out, const char *s)
{
    return s == NULL || show_padded(out, s, strlen(s), 0, false, '\0') >= 0 ? 0 : -1;
}

/* One conversion spec parsed: the spec rebuilt with the '*'s resolved. */
typedef struct {
    char spec[64];
    char conv;
    char length[3];
    int width, prec; /* -1 when not given */
    bool left;
} conv_spec;

/* Parse the spec after '%' at *pp, taking '*' arguments from ap. */
static bool
parse_spec(const char **pp, va_list *ap, conv_spec *c)
{
    const char *p = *pp, *flags = p;
    size_t nflags, nlen = 0;

    while (*p != '\0' && strchr("-+ #0", *p) != NULL)
        p++;
    nflags = (size_t)(p - flags);
    c->left = memchr(flags, '-', nflags) != NULL;
    c->width = c->prec = -1;
    if (*p == '*') {
        c->width = va_arg(*ap, int), p++;
        if (c->width < 0) /* as printf: a negative width left-aligns */
            c->left = true, c->width = c->width == INT32_MIN ? 0 : -c->width;
    } else if (*p >= '0' && *p <= '9')
        c->width = (int)strtol(p, (char **)&p, 10);
    if (*p == '.') {
        p++;
        if (*p == '*')
            c->prec = va_arg(*ap, int), p++;
        else
            c->prec = (int)strtol(p, (char **)&p, 10);
    }
    while (nlen < 2 && *p != '\0' && strchr("hlzjtL", *p) != NULL)
        c->length[nlen++] = *p++;
    c->length[nlen] = '\0';
    c->conv = *p;
    if (c->conv == '\0' || nflags > 5)
        return false;
    snprintf(c->spec, sizeof(c->spec), "%%%s%.*s%.0d%s%.0d%s%c", c->left ? "-" : "", (int)nflags, flags,
             c->width > 0 ? c->width : 0, c->prec >= 0 ? "." : "", c->prec > 0 ? c->prec : 0, c->length,
             c->conv);
    *pp = p + 1;
    return true;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* Print one non-string conversion with its argument from ap. */
static int
print_other(FILE *out, const conv_spec *c, va_list *ap)
{
    const char *l = c->length;
    bool is_unsigned = strchr("uoxX", c->conv) != NULL;

    if (strchr("diuoxX", c->conv) != NULL) {
        if (strcmp(l, "z") == 0)
            return fprintf(out, c->spec, va_arg(*ap, size_t));
        if (strcmp(l, "j") == 0)
            return fprintf(out, c->spec, va_arg(*ap, intmax_t));
        if (strcmp(l, "t") == 0)
            return fprintf(out, c->spec, va_arg(*ap, ptrdiff_t));
        if (strcmp(l, "ll") == 0)
            return is_unsigned ? fprintf(out, c->spec, va_arg(*ap, unsigned long long))
                               : fprintf(out, c->spec, va_arg(*ap, long long));
        if (strcmp(l, "l") == 0)
            return is_unsigned ? fprintf(out, c->spec, va_arg(*ap, unsigned long))
                               : fprintf(out, c->spec, va_arg(*ap, long));
        return is_unsigned ? fprintf(out, c->spec, va_arg(*ap, unsigned))
                           : fprintf(out, c->spec, va_arg(*ap, int));
    }
    if (strchr("feEgGaAF", c->conv) != NULL)
        return strcmp(l, "L") == 0 ? fprintf(out, c->spec, va_arg(*ap, long double))
                                   : fprintf(out, c->spec, va_arg(*ap, double));
    if (c->conv == 'c')
        return fprintf(out, c->spec, va_arg(*ap, int));
    if (c->conv == 'p')
        return fprintf(out, c->spec, va_arg(*ap, void *));
    return -1;
}
#pragma GCC diagnostic pop

static int
show_vprintf(FILE *out, char glue, const char *fmt, va_list args)
{
    va_list ap;
    int total = 0, n = 0;

    va_copy(ap, args);
    for (const char *p = fmt; *p != '\0' && n >= 0; total += n) {
        conv_spec c;
        const char *s;
        size_t lit = strcspn(p, "%");

        if (lit > 0 || p[1] == '%') {
            lit = lit > 0 ? lit : 1;
            n = fwrite(p, 1, lit, out) == lit ? (int)lit : -1;
            p += lit + (lit == 1 && p[0] == '%');
            continue;
        }
        p++;
        if (!parse_spec(&p, &ap, &c)) {
            n = -1;
        } else if (c.conv == 's') {
            s = va_arg(ap, const char *);
            s = s != NULL ? s : "(null)";
            n = show_padded(out, s, c.prec >= 0 ? strnlen(s, (size_t)c.prec) : strlen(s), c.width, c.left,
                            glue);
        } else {
            n = print_other(out, &c, &ap);
        }
    }
    va_end(ap);
    return n < 0 ? -1 : total;
}

int
sa_show_vprintf(FILE *out, const char *fmt, va_list args)
{
    return show_vprintf(out, '\0', fmt, args);
}

int
sa_show_vprintf_glued(FILE *out, char glue, const char *fmt, va_list args)
{
    return show_vprintf(out, glue, fmt, args);
}

int
sa_show_printf(FILE *out, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = sa_show_vprintf(out, fmt, ap);
    va_end(ap);
    return n;
}

char *
sa_utf8_valid_dup(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n, o = 0;
    char *buf;

    if (s == NULL)
        return NULL;
    n = strlen(s);
    if (n > (SIZE_MAX - 1) / 3 || (buf = malloc(3 * n + 1)) == NULL)
        return NULL;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = sa_utf8_seq(p + i, n - i, &cp);
        if (len == 0) {
            memcpy(buf + o, "\xEF\xBF\xBD", 3); /* U+FFFD */
            o += 3, i++;
        } else {
            memcpy(buf + o, p + i, len);
            o += len, i += len;
        }
    }
    buf[o] = '\0';
    return buf;
}

char *
sa_text_from_bytes(const void *p, size_t len)
{
    const char *b = p;
    size_t nuls = 0, j = 0;
    char *out;

    for (size_t i = 0; i < len; i++)
        nuls += b[i] == '\0';
    if (nuls > (SIZE_MAX - 1 - len) / 2 || (out = malloc(len + 2 * nuls + 1)) == NULL)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (b[i] != '\0') {
            out[j++] = b[i];
        } else {
            memcpy(out + j, "\xef\xbf\xbd", 3);
            j += 3;
        }
    }
    out[j] = '\0';
    return out;
}
