/* Unit tests: untrusted text shown to people (display.h): no control byte
 * and no invalid UTF-8 comes out, and the original can be read back. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/display.h"

/* The escaped form of the n bytes at s, as a string to free. */
static char *
shown(const char *s, size_t n)
{
    char *buf = malloc(SA_SHOWN_MAX(n));

    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(sa_shown_buf(s, n, buf), strlen(buf));
    return buf;
}

static void
put_utf8(uint32_t c, char *out, size_t *o)
{
    if (c < 0x80) {
        out[(*o)++] = (char)c;
    } else if (c < 0x800) {
        out[(*o)++] = (char)(0xC0 | (c >> 6));
        out[(*o)++] = (char)(0x80 | (c & 0x3F));
    } else {
        out[(*o)++] = (char)(0xE0 | (c >> 12));
        out[(*o)++] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[(*o)++] = (char)(0x80 | (c & 0x3F));
    }
}

/* Read the escapes back: \\ a backslash, \xNN a byte, \u{NNNN} a code
 * point, any other backslash itself.  The length in *n. */
static char *
unshow(const char *s, size_t *n)
{
    char *out = malloc(strlen(s) + 1);
    size_t o = 0;

    ck_assert_ptr_nonnull(out);
    for (size_t i = 0; s[i] != '\0';) {
        unsigned v;
        if (s[i] == '\\' && s[i + 1] == '\\') {
            out[o++] = '\\', i += 2;
        } else if (s[i] == '\\' && s[i + 1] == 'x') {
            ck_assert_int_eq(sscanf(s + i + 2, "%2x", &v), 1);
            out[o++] = (char)v, i += 4;
        } else if (s[i] == '\\' && s[i + 1] == 'u') {
            ck_assert_int_eq(sscanf(s + i + 2, "{%4x}", &v), 1);
            ck_assert_int_eq(s[i + 7], '}');
            put_utf8(v, out, &o);
            i += 8;
        } else {
            out[o++] = s[i++];
        }
    }
    out[o] = '\0';
    *n = o;
    return out;
}

/* No C0 control, DEL or invalid UTF-8 in s (valid: unchanged by the
 * U+FFFD replacement). */
static void
assert_harmless(const char *s)
{
    char *valid = sa_utf8_valid_dup(s);

    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        ck_assert_msg(*p >= 0x20 && *p != 0x7F, "control byte 0x%02x in \"%s\"", *p, s);
    ck_assert_ptr_nonnull(valid);
    ck_assert_str_eq(valid, s);
    free(valid);
}

/* s (n bytes) escaped is harmless and reads back to s. */
static void
assert_round_trip(const char *s, size_t n)
{
    char *e = shown(s, n), *back;
    size_t m;

    assert_harmless(e);
    back = unshow(e, &m);
    ck_assert_msg(m == n && memcmp(back, s, n) == 0, "\"%s\" does not read back", e);
    free(back);
    free(e);
}

START_TEST(every_byte_alone)
{
    char b = (char)_i;
    char *e = shown(&b, 1);
    char want[8];

    if (_i < 0x20 || _i >= 0x7F)
        snprintf(want, sizeof(want), "\\x%02x", (unsigned)_i);
    else
        snprintf(want, sizeof(want), "%c", (char)_i);
    ck_assert_str_eq(e, want);
    assert_round_trip(&b, 1);
    free(e);
}
END_TEST

static const struct {
    const char *in, *out;
} cases[] = {
    {"m\xc3\xbcller", "m\xc3\xbcller"},                               /* printable UTF-8 passes */
    {"\xe4\xb8\xad\xf0\x9f\x98\x80", "\xe4\xb8\xad\xf0\x9f\x98\x80"}, /* 3 and 4 bytes */
    {"CONTOSO\\MS01$", "CONTOSO\\MS01$"},                             /* DOMAIN\name as it is */
    {"a\\xb", "a\\\\xb"},                                             /* would read as an escape */
    {"a\\u{1}", "a\\\\u{1}"},
    {"a\\\\b", "a\\\\\\b"},    /* two backslashes: the first doubled */
    {"a\\\x1b", "a\\\\\\x1b"}, /* a backslash before an escape */
    {"end\\", "end\\"},
    {"MSOMHSvc/\x1b[2J\x1b]52;c;ZXZpbA==\x07"
     "evil",
     "MSOMHSvc/\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07evil"},
    {"a\r\n  OK", "a\\x0d\\x0a  OK"},
    {"\t\x7f", "\\x09\\x7f"},
    {"\xc2\x80\xc2\x85\xc2\x9f\xc2\xa0", "\\u{0080}\\u{0085}\\u{009f}\xc2\xa0"}, /* C1; NBSP passes */
    {"\xe2\x80\x8b\xe2\x80\x8f\xe2\x80\xaa\xe2\x80\xae", "\\u{200b}\\u{200f}\\u{202a}\\u{202e}"},
    {"\xe2\x81\xa6\xe2\x81\xa9\xef\xbb\xbf", "\\u{2066}\\u{2069}\\u{feff}"},
    {"\xe2\x80\x8a\xe2\x80\x90", "\xe2\x80\x8a\xe2\x80\x90"},       /* U+200A, U+2010: visible */
    {"\xc0\xaf\xc1\xbf", "\\xc0\\xaf\\xc1\\xbf"},                   /* overlong '/' */
    {"\xe0\x80\xaf", "\\xe0\\x80\\xaf"},                            /* overlong, 3 bytes */
    {"\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf"},                   /* overlong, 4 bytes */
    {"\xed\xa0\x80\xed\xbf\xbf", "\\xed\\xa0\\x80\\xed\\xbf\\xbf"}, /* surrogates */
    {"\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"},                   /* past U+10FFFF */
    {"\xe2\x80", "\\xe2\\x80"},                                     /* cut short */
    {"\xe2\x80x", "\\xe2\\x80x"},
    {"\xff\xfe", "\\xff\\xfe"},
    {"", ""},
};

START_TEST(known_escapes)
{
    char *e = sa_shown_dup(cases[_i].in);

    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e, cases[_i].out);
    ck_assert(sa_show_needed(cases[_i].in) == (strcmp(cases[_i].in, cases[_i].out) != 0));
    assert_round_trip(cases[_i].in, strlen(cases[_i].in));
    free(e);
}
END_TEST

/* Random strings made of the pieces that matter read back exactly. */
START_TEST(random_strings_round_trip)
{
    static const char *const pieces[] = {"\\",
                                         "x",
                                         "u",
                                         "{",
                                         "}",
                                         "a",
                                         "\x1b",
                                         "\n",
                                         "\x00",
                                         "\x7f",
                                         "\xc3\xbc",
                                         "\xc3",
                                         "\xbc",
                                         "\xe2\x80\xae",
                                         "\xe2\x80",
                                         "\xf0\x9f\x98\x80",
                                         "\xff",
                                         "\xc2\x9b",
                                         "\xed\xa0\x80",
                                         "0",
                                         "f"};
    const size_t np = sizeof(pieces) / sizeof(pieces[0]);
    uint32_t seed = 12345;

    for (int round = 0; round < 20000; round++) {
        char buf[96];
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        for (size_t k = (seed >> 16) % 20; k > 0; k--) {
            seed = seed * 1103515245u + 12345u;
            size_t which = (seed >> 16) % np, len = which == 8 ? 1 : strlen(pieces[which]);
            memcpy(buf + n, pieces[which], len);
            n += len;
        }
        assert_round_trip(buf, n);
    }
}
END_TEST

/* What sa_show_printf writes, as a string to free. */
static char *
printed(int (*write)(FILE *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(out);
    ck_assert_int_ge(write(out), 0);
    ck_assert_int_eq(fclose(out), 0);
    return text;
}

static int
write_mixed(FILE *out)
{
    return sa_show_printf(out, "%-6s|%5s|%.2s|%*s|%-*s|%d|%zu|%5.1f|%c|%%|%lu|%x|%3u", "ab", "\x1b", "a\nb",
                          3, "z", -3, "y", -3, (size_t)7, 2.5, 'z', 9ul, 255u, 4u);
}

START_TEST(printf_escapes_strings_only)
{
    char *text = printed(write_mixed);

    ck_assert_str_eq(text, "ab    | \\x1b|a\\x0a|  z|y  |-3|7|  2.5|z|%|9|ff|  4");
    free(text);
}
END_TEST

static int
write_plain(FILE *out)
{
    return sa_show_printf(out, "  %-*s  %-*s  ticket: %s, kvno %d\n", 12, "MSOMHSvc/ms1", 6, "MS01$", "aes",
                          3);
}

START_TEST(printf_plain_text_unchanged)
{
    char *text = printed(write_plain);
    char want[128];

    snprintf(want, sizeof(want), "  %-*s  %-*s  ticket: %s, kvno %d\n", 12, "MSOMHSvc/ms1", 6, "MS01$", "aes",
             3);
    ck_assert_str_eq(text, want);
    free(text);
}
END_TEST

START_TEST(valid_utf8_for_json)
{
    char *v = sa_utf8_valid_dup("a\xff"
                                "b\xc3\xbc\xe2\x80"
                                "c\xed\xa0\x80");

    ck_assert_ptr_nonnull(v);
    ck_assert_str_eq(v, "a\xef\xbf\xbd"
                        "b\xc3\xbc\xef\xbf\xbd\xef\xbf\xbd"
                        "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    free(v);
    ck_assert_ptr_null(sa_utf8_valid_dup(NULL));
    ck_assert_ptr_null(sa_shown_dup(NULL));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("display");
    TCase *tc = tcase_create("display");

    tcase_set_timeout(tc, 120); /* 20,000 random strings: seconds under valgrind or a loaded machine */

    tcase_add_loop_test(tc, every_byte_alone, 0, 256);
    tcase_add_loop_test(tc, known_escapes, 0, sizeof(cases) / sizeof(cases[0]));
    tcase_add_test(tc, random_strings_round_trip);
    tcase_add_test(tc, printf_escapes_strings_only);
    tcase_add_test(tc, printf_plain_text_unchanged);
    tcase_add_test(tc, valid_utf8_for_json);
    suite_add_tcase(s, tc);
    return check_run(s);
}
