/* suspicious.c - the characters a host name, an SPN's host or its port
 * never hold, by class, and the folded form of a value (see
 * suspicious.h).  Pure functions on one string. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/display.h"
#include "spnaudit/suspicious.h"

/* A look-alike and the ASCII character it passes for. */
typedef struct confusable {
    uint32_t cp;
    char ascii;
} confusable;

/* Sorted by code point (bisection); fullwidth forms are computed. */
static const confusable confusables[] = {
    {0x0131, 'i'}, {0x01C0, 'l'}, {0x0251, 'a'}, {0x0261, 'g'}, {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'},
    {0x0396, 'Z'}, {0x0397, 'H'}, {0x0399, 'I'}, {0x039A, 'K'}, {0x039C, 'M'}, {0x039D, 'N'}, {0x039F, 'O'},
    {0x03A1, 'P'}, {0x03A4, 'T'}, {0x03A5, 'Y'}, {0x03A7, 'X'}, {0x03B1, 'a'}, {0x03B9, 'i'}, {0x03BA, 'k'},
    {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'}, {0x03C5, 'u'}, {0x03C7, 'x'}, {0x03F2, 'c'}, {0x03F3, 'j'},
    {0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'}, {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'}, {0x041A, 'K'},
    {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'}, {0x0422, 'T'}, {0x0423, 'Y'},
    {0x0425, 'X'}, {0x0430, 'a'}, {0x0435, 'e'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'}, {0x0443, 'y'},
    {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0458, 'j'}, {0x04AE, 'Y'}, {0x04BB, 'h'}, {0x04C0, 'I'},
    {0x04CF, 'l'}, {0x0501, 'd'}, {0x051A, 'Q'}, {0x051B, 'q'}, {0x051C, 'W'}, {0x051D, 'w'}, {0x2010, '-'},
    {0x2011, '-'}, {0x2012, '-'}, {0x2013, '-'}, {0x2024, '.'}, {0x2160, 'I'}, {0x2164, 'V'}, {0x2169, 'X'},
    {0x216C, 'L'}, {0x216D, 'C'}, {0x216E, 'D'}, {0x216F, 'M'}, {0x2170, 'i'}, {0x2174, 'v'}, {0x2179, 'x'},
    {0x217C, 'l'}, {0x217D, 'c'}, {0x217E, 'd'}, {0x217F, 'm'}, {0x2212, '-'}, {0x3002, '.'}, {0xFE52, '.'},
    {0xFE63, '-'}, {0xFF61, '.'},
};

/* The ASCII character cp passes for, or 0. */
static char
confusable_ascii(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(confusables) / sizeof(confusables[0]);

    if (cp >= 0xFF01 && cp <= 0xFF5E) /* fullwidth forms of ! to ~ */
        return (char)(cp - 0xFEE0);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (confusables[mid].cp == cp)
            return confusables[mid].ascii;
        if (confusables[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static bool
is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

/* Zero-width, joiners, direction controls, blanks, fillers, variation
 * selectors, tags: nothing a reader sees, or a space. */
static bool
is_invisible(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x00A0, 0x00A0}, {0x00AD, 0x00AD},   {0x034F, 0x034F},   {0x061C, 0x061C}, {0x115F, 0x1160},
        {0x1680, 0x1680}, {0x17B4, 0x17B5},   {0x180B, 0x180E},   {0x2000, 0x200F}, {0x202A, 0x202F},
        {0x205F, 0x206F}, {0x3000, 0x3000},   {0x3164, 0x3164},   {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
        {0xFFA0, 0xFFA0}, {0xE0000, 0xE007F}, {0xE0100, 0xE01EF},
    };

    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return true;
    }
    return false;
}

static bool
is_alnum(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* Where in an SPN a character is. */
typedef enum part { P_CLASS, P_HOST, P_PORT, P_NAME } part;

/* Is the printable ASCII character cp allowed at part *where (moved on by
 * the separators '/' and ':')? */
static bool
ascii_allowed(uint32_t cp, sa_value_kind kind, part *where)
{
    if (is_alnum(cp))
        return *where != P_PORT || (cp >= '0' && cp <= '9');
    if (cp == '-' || cp == '.')
        return *where != P_PORT && (*where != P_CLASS || cp == '-');
    if (kind == SA_VALUE_HOST)
        return false;
    if (cp == '/' && *where != P_NAME) {
        *where = *where == P_CLASS ? P_HOST : P_NAME;
        return true;
    }
    if (cp == ':' && *where == P_HOST) {
        *where = P_PORT;
        return true;
    }
    return false;
}

static sa_susp_class
ascii_class(uint32_t cp)
{
    return cp != 0 && strchr(" !\"#$%&'()*,;<=>?@[\\]^`{|}~", (int)cp) != NULL ? SA_SUSP_SHELL
                                                                               : SA_SUSP_NOT_NAME;
}

/* The class of the (valid) code point cp at part *where. */
static sa_susp_class
class_of(uint32_t cp, sa_value_kind kind, part *where)
{
    if (is_control(cp))
        return SA_SUSP_CONTROL;
    if (cp < 0x80)
        return ascii_allowed(cp, kind, where) ? SA_SUSP_NONE : ascii_class(cp);
    if (is_invisible(cp))
        return SA_SUSP_INVISIBLE;
    if (confusable_ascii(cp) != 0)
        return SA_SUSP_CONFUSABLE;
    return SA_SUSP_NON_ASCII;
}

bool
sa_value_suspicious(const char *value, sa_value_kind kind, sa_suspicion *out)
{
    const unsigned char *s = (const unsigned char *)value;
    size_t n = strlen(value), pos = 0;
    part where = kind == SA_VALUE_SPN ? P_CLASS : P_HOST;
    sa_suspicion r = {SA_SUSP_NONE, 0, 0, 0, 0};

    for (size_t i = 0; i < n; pos++) {
        uint32_t cp = 0;
        size_t len = sa_utf8_seq(s + i, n - i, &cp);
        sa_susp_class cls = len == 0 ? SA_SUSP_INVALID_UTF8 : class_of(cp, kind, &where);

        if (len == 0)
            cp = s[i], len = 1;
        if (cls != SA_SUSP_NONE && r.cls == SA_SUSP_NONE)
            r = (sa_suspicion){cls, i, pos + 1, cp, 0};
        if (cls != SA_SUSP_NONE)
            r.classes |= 1u << cls;
        i += len;
    }
    *out = r;
    return r.cls != SA_SUSP_NONE;
}

const char *
sa_susp_class_name(sa_susp_class cls)
{
    switch (cls) {
    case SA_SUSP_NONE:
        return "nothing";
    case SA_SUSP_INVALID_UTF8:
        return "invalid UTF-8";
    case SA_SUSP_CONTROL:
        return "control character";
    case SA_SUSP_INVISIBLE:
        return "invisible character";
    case SA_SUSP_CONFUSABLE:
        return "look-alike of an ASCII character";
    case SA_SUSP_SHELL:
        return "shell metacharacter";
    case SA_SUSP_NOT_NAME:
        return "character no host name holds";
    case SA_SUSP_NON_ASCII:
        return "non-ASCII character";
    }
    return "unknown";
}

char *
sa_suspicion_describe(const sa_suspicion *s, char *buf, size_t size)
{
    const char *name = sa_susp_class_name(s->cls);
    char ascii = s->cls == SA_SUSP_CONFUSABLE ? confusable_ascii(s->cp) : 0;

    if (s->cls == SA_SUSP_INVALID_UTF8)
        snprintf(buf, size, "byte 0x%02x (%s) at character %zu", (unsigned)s->cp, name, s->position);
    else if (s->cp > 0x20 && s->cp < 0x7F)
        snprintf(buf, size, "'%c' (%s) at character %zu", (char)s->cp, name, s->position);
    else if (ascii != 0)
        snprintf(buf, size, "U+%04X (%s '%c') at character %zu", (unsigned)s->cp, name, ascii, s->position);
    else
        snprintf(buf, size, "U+%04X (%s) at character %zu", (unsigned)s->cp, name, s->position);
    return buf;
}

char *
sa_value_fold(const char *value)
{
    const unsigned char *s = (const unsigned char *)value;
    size_t n = strlen(value), k = 0;
    char *out = malloc(3 * n + 1);

    if (out == NULL)
        return NULL;
    /* A character folds to at most as many bytes as it has, an invalid
     * byte to the 3 of U+FFFD. */
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t len = sa_utf8_seq(s + i, n - i, &cp);
        char c = len == 0 ? 0 : cp < 0x80 ? (char)cp : confusable_ascii(cp);

        if (len == 0) {
            /* U+FFFD: no invalid byte left that a dropped character could join to another */
            memcpy(out + k, "\xEF\xBF\xBD", 3);
            k += 3;
            i++;
            continue;
        }
        if (c != 0 && !is_control(cp))
            out[k++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        else if (c == 0 && !is_control(cp) && !is_invisible(cp)) {
            memcpy(out + k, s + i, len);
            k += len;
        }
        i += len;
    }
    out[k] = '\0';
    return out;
}
