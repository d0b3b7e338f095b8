/* display.h - untrusted text (names and messages from the directory, the
 * KDC or files) shown to people without letting it act on a terminal or
 * forge lines.
 *
 * The rules: printable UTF-8 passes through; a backslash is doubled when
 * what follows it could be read as part of an escape (another backslash,
 * 'x', 'u' or an escaped character), so DOMAIN\name stays as it is; every
 * C0 control byte (0x00-0x1F), DEL (0x7F) and byte that is not part of
 * valid, shortest-form UTF-8 (including encoded surrogates and values past
 * U+10FFFF) is shown as \xNN; the C1 controls (U+0080-U+009F) and the
 * invisible or direction-changing code points (U+200B-U+200F,
 * U+202A-U+202E, U+2066-U+2069, U+FEFF) are shown as \u{NNNN}.  Hex digits
 * are lower case.  The result holds no control byte and no invalid UTF-8,
 * and the original bytes can be read back from it without ambiguity. */
#ifndef SPNAUDIT_DISPLAY_H
#define SPNAUDIT_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/* Length of the valid, shortest-form UTF-8 sequence at s (at most n bytes
 * left, n > 0), its code point in *cp; 0 when the byte at s does not start
 * one. */
size_t sa_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp);

/* The escaped form of the first n bytes of s into buf, which must hold
 * SA_SHOWN_MAX(n) bytes; returns the length written (NUL-terminated). */
#define SA_SHOWN_MAX(n) (4 * (n) + 1)
size_t sa_shown_buf(const char *s, size_t n, char *buf);

/* Would s change when shown (does it hold a byte the rules escape)? */
bool sa_show_needed(const char *s);
/* Does s hold a character shown escaped (a doubled backslash aside)? */
bool sa_show_escapes_char(const char *s);

/* A newly allocated escaped copy of s (NULL when s is NULL or on out of
 * memory). */
char *sa_shown_dup(const char *s);

/* Write s escaped to out (nothing when s is NULL); 0, or -1 on error. */
int sa_show(FILE *out, const char *s);

/* fprintf, with every %s argument escaped (NULL shows as "(null)"); width
 * and the '-' flag pad the escaped text, a precision limits the bytes of
 * the original taken.  Other conversions are printed as fprintf does.
 * Returns what fprintf would, -1 on error. */
int sa_show_printf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* sa_show_printf with a va_list. */
int sa_show_vprintf(FILE *out, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* sa_show_vprintf, every space of the %s arguments written as glue (a
 * control byte, which escaped text never holds): a writer that wraps
 * lines can tell the spaces of the format, where it may break, from those
 * of the values, where it must not (a value would start a line of its
 * own choosing). */
int sa_show_vprintf_glued(FILE *out, char glue, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* The glue of the text report: the spaces of values in text it may wrap. */
#define SA_SHOW_GLUE '\x01'

/* A newly allocated copy of s as valid UTF-8: every byte that is not part
 * of a valid sequence becomes U+FFFD (for JSON, which must be UTF-8).
 * NULL when s is NULL or on out of memory. */
char *sa_utf8_valid_dup(const char *s);
/* A NUL-terminated copy of the len bytes at p, each NUL among them as
 * U+FFFD (a value read from outside goes on past a NUL, so that
 * "good.example\0.evil" is never shown as good.example); NULL on out of
 * memory. */
char *sa_text_from_bytes(const void *p, size_t len);

#endif
