/* fuzz_display.c - libFuzzer harness for the escaper of untrusted text
 * (display.c): for any bytes, the shown form fits SA_SHOWN_MAX, holds no
 * C0 control byte or DEL, is valid UTF-8 (checked here from RFC 3629, not
 * with display.c's decoder), holds nothing display.c would escape again,
 * and decodes back to exactly the input (\xNN a byte, \u{NNNN} a code
 * point, \\ a backslash, any other backslash itself); sa_shown_dup and
 * sa_show_needed agree with it, and sa_utf8_valid_dup gives valid UTF-8
 * that keeps valid input as it is; abort() otherwise.  Run as
 *   build-fuzz/tests/fuzz/fuzz_display -max_total_time=300 NEWDIR tests/fuzz/corpus/display */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/display.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
broken(const char *what, const char *shown)
{
    fprintf(stderr, "display invariant broken: %s [%s]\n", what, shown ? shown : "");
    abort();
}

/* RFC 3629: shortest form, no surrogates, nothing past U+10FFFF. */
static bool
valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t len = c < 0x80                 ? 1
                     : c >= 0xc2 && c <= 0xdf ? 2
                     : c >= 0xe0 && c <= 0xef ? 3
                     : c >= 0xf0 && c <= 0xf4 ? 4
                                              : 0;
        uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;

        if (len == 0 || n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        i += len;
    }
    return true;
}

static int
hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The bytes shown stands for, into out (room for strlen(shown) bytes);
 * their count. */
static size_t
unescape(const char *s, unsigned char *out)
{
    size_t o = 0;

    while (*s != '\0') {
        if (s[0] == '\\' && s[1] == '\\') {
            out[o++] = '\\', s += 2;
        } else if (s[0] == '\\' && s[1] == 'x' && hex(s[2]) >= 0 && hex(s[3]) >= 0) {
            out[o++] = (unsigned char)(hex(s[2]) << 4 | hex(s[3])), s += 4;
        } else if (s[0] == '\\' && s[1] == 'u' && s[2] == '{' && hex(s[3]) >= 0 && hex(s[4]) >= 0 &&
                   hex(s[5]) >= 0 && hex(s[6]) >= 0 && s[7] == '}') {
            uint32_t cp = (uint32_t)(hex(s[3]) << 12 | hex(s[4]) << 8 | hex(s[5]) << 4 | hex(s[6]));
            if (cp < 0x800) {
                out[o++] = (unsigned char)(0xc0 | cp >> 6);
            } else {
                out[o++] = (unsigned char)(0xe0 | cp >> 12);
                out[o++] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
            }
            out[o++] = (unsigned char)(0x80 | (cp & 0x3f));
            s += 8;
        } else {
            out[o++] = (unsigned char)*s++;
        }
    }
    return o;
}

/* The NUL-terminated prefix of the input through the other entry points. */
static void
check_string(const char *s)
{
    char *dup = sa_shown_dup(s), *buf = malloc(SA_SHOWN_MAX(strlen(s))), *valid = sa_utf8_valid_dup(s);

    if (dup == NULL || buf == NULL || valid == NULL)
        goto out;
    sa_shown_buf(s, strlen(s), buf);
    if (strcmp(dup, buf) != 0)
        broken("sa_shown_dup and sa_shown_buf differ", dup);
    if (sa_show_needed(s) != (strcmp(dup, s) != 0))
        broken("sa_show_needed disagrees with the shown form", dup);
    if (!valid_utf8((const unsigned char *)valid, strlen(valid)))
        broken("sa_utf8_valid_dup gave invalid UTF-8", NULL);
    if (valid_utf8((const unsigned char *)s, strlen(s)) && strcmp(valid, s) != 0)
        broken("sa_utf8_valid_dup changed valid UTF-8", NULL);
out:
    free(dup);
    free(buf);
    free(valid);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *shown = malloc(SA_SHOWN_MAX(size)), *prefix = strndup((const char *)data, size);
    unsigned char *back = NULL;
    size_t len;

    if (shown == NULL || prefix == NULL)
        goto out;
    len = sa_shown_buf((const char *)data, size, shown);
    if (len != strlen(shown) || len > 4 * size)
        broken("the length is wrong", shown);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)shown[i] < 0x20 || shown[i] == 0x7f)
            broken("a control byte is shown raw", shown);
    if (!valid_utf8((const unsigned char *)shown, len))
        broken("the shown form is not valid UTF-8", shown);
    if (sa_show_escapes_char(shown))
        broken("the shown form holds a character shown escaped", shown);
    if ((back = malloc(len + 1)) == NULL)
        goto out;
    if (unescape(shown, back) != size || memcmp(back, data, size) != 0)
        broken("the shown form does not decode back to the input", shown);
    check_string(prefix);
out:
    free(shown);
    free(prefix);
    free(back);
    return 0;
}
