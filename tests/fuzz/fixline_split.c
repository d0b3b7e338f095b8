/* fixline_split.c - the shells' splitters and the refusal oracle
 * (fixline_split.h). */
#include <stdio.h>
#include <string.h>

#include "fixline_split.h"
#include "spnaudit/display.h"

/* ------------------------------------------------------------ cmd.exe */

/* cmd.exe's view of a line: no % or ! anywhere (they expand in any
 * quoting), no control or non-ASCII byte, and no & | < > ^ ( ) outside
 * double quotes (cmd.exe toggles its quoting at every ", backslash or not). */
bool
cmd_safe(const char *line)
{
    bool quoted = false;

    for (const unsigned char *p = (const unsigned char *)line; *p != '\0'; p++) {
        if (*p == '%' || *p == '!' || *p < 0x20 || *p >= 0x7f)
            return false;
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && strchr("&|<>^()", *p) != NULL)
            return false;
    }
    return !quoted;
}

/* Skip the blanks before the next word at *pp: 1 when a word begins, 0 at
 * the end of the line, -1 when n words are already the most. */
static int
word_start(const char **pp, int n)
{
    while (**pp == ' ' || **pp == '\t')
        (*pp)++;
    if (**pp == '\0')
        return 0;
    return n == MAX_SPLIT ? -1 : 1;
}

/* The Microsoft C runtime's argv rules (CommandLineToArgvW): space and tab
 * separate arguments outside quotes; 2n backslashes before a " are n
 * backslashes and the " toggles quoting, 2n+1 are n and a literal "; other
 * backslashes are literal; "" inside quotes is a literal ".  Returns the
 * count, or -1. */
int
crt_split(const char *line, split_t out)
{
    int n = 0;
    const char *p = line;

    while (*p != '\0') {
        size_t len = 0;
        bool quoted = false;

        int at = word_start(&p, n);
        if (at < 0)
            return -1;
        if (at == 0)
            break;
        while (*p != '\0' && (quoted || (*p != ' ' && *p != '\t'))) {
            size_t bs = 0;
            while (p[bs] == '\\')
                bs++;
            if (p[bs] == '"') {
                for (size_t k = 0; k < bs / 2 && len < ARG_MAX_LEN - 1; k++)
                    out[n][len++] = '\\';
                p += bs;
                if (bs % 2 == 1) {
                    out[n][len++] = '"';
                    p++;
                } else if (quoted && p[1] == '"') {
                    out[n][len++] = '"';
                    p += 2;
                } else {
                    quoted = !quoted;
                    p++;
                }
            } else if (bs > 0) {
                for (size_t k = 0; k < bs && len < ARG_MAX_LEN - 1; k++)
                    out[n][len++] = '\\';
                p += bs;
            } else {
                out[n][len++] = *p++;
            }
            if (len >= ARG_MAX_LEN - 1)
                return -1;
        }
        out[n++][len] = '\0';
    }
    return n;
}

/* ------------------------------------------------------------ PowerShell */

/* The length of a single-quote character at p (' or U+2018-U+201B, all
 * read as ' by PowerShell), 0 for none. */
size_t
ps_squote(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    if (*u == '\'')
        return 1;
    return u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9b ? 3 : 0;
}

/* A double-quote character (" or U+201C-U+201E). */
bool
ps_dquote(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;

    return *u == '"' || (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x9c && u[2] <= 0x9e);
}

/* A single-quoted string at *pp (about_Quoting_Rules: nothing expands, a
 * quote character written twice is one), into out; false when it does not
 * end, or runs on into more text. */
static bool
ps_quoted(const char **pp, char *out)
{
    const char *p = *pp + ps_squote(*pp);
    size_t len = 0, q;

    for (;;) {
        if (*p == '\0')
            return false;
        if ((q = ps_squote(p)) > 0) {
            if (ps_squote(p + q) == 0)
                break;
            p += q; /* doubled: the second one is literal */
            q = ps_squote(p);
        } else
            q = 1;
        if (len + q >= ARG_MAX_LEN)
            return false;
        memcpy(out + len, p, q);
        len += q, p += q;
    }
    out[len] = '\0';
    p += ps_squote(p);
    *pp = p;
    return *p == '\0' || *p == ' ' || *p == '\t';
}

/* PowerShell's reading of a native command line in argument mode, for the
 * forms a fix line may take: bare words of letters, digits and - / . _ \ :
 * (no $ @ ` & | ; , < > ( ) { } # or quote to act on), or single-quoted
 * strings; no double quote anywhere, no stop-parsing token --%.  Returns
 * the count, or -1 for anything else. */
int
ps_split(const char *line, split_t out)
{
    int n = 0;
    const char *p = line;

    while (*p != '\0') {
        int at = word_start(&p, n);
        if (at < 0)
            return -1;
        if (at == 0)
            break;
        if (ps_squote(p) > 0) {
            if (!ps_quoted(&p, out[n++]))
                return -1;
            continue;
        }
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/._\\:");
        if (len == 0 || len >= ARG_MAX_LEN || (p[len] != '\0' && p[len] != ' ' && p[len] != '\t'))
            return -1;
        memcpy(out[n], p, len);
        out[n][len] = '\0';
        if (strcmp(out[n++], "--%") == 0)
            return -1;
        p += len;
    }
    for (const char *c = line; *c != '\0'; c++)
        if (ps_dquote(c))
            return -1;
    return n;
}

/* Unicode white space (char.IsWhiteSpace) at p, for the space-class ones a
 * value may hold: U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029,
 * U+202F, U+205F, U+3000; ASCII space and tab. */
static bool
ps_white(const unsigned char *p)
{
    if (*p == ' ' || *p == '\t' || (p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0)))
        return true;
    if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
        return true;
    if (p[0] == 0xe2 && p[1] == 0x80 &&
        ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
        return true;
    return (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) || (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80);
}

/* The command line PowerShell builds for a native program from args[1..n):
 * legacy (Windows PowerShell 5.1, 7.0-7.2): each as is, in double quotes
 * when it holds white space, nothing escaped, an empty one dropped;
 * standard (7.3+): quoted when empty or holding white space or ", its "
 * and the backslashes before a " or the closing quote escaped.  False when
 * buf is too short. */
bool
ps_native_line(split_t args, int n, bool legacy, char *buf, size_t size)
{
    size_t o = (size_t)snprintf(buf, size, "setspn.exe");

    for (int i = 1; i < n; i++) {
        const char *a = args[i];
        bool white = false;
        for (const char *c = a; *c != '\0'; c++)
            white |= ps_white((const unsigned char *)c);
        if (legacy && *a == '\0')
            continue;
        bool quote = white || (!legacy && (*a == '\0' || strchr(a, '"') != NULL));
        buf[o++] = ' ';
        if (quote)
            buf[o++] = '"';
        for (const char *c = a; *c != '\0'; c++) {
            size_t bs = strspn(c, "\\");
            if (!legacy && quote && (c[bs] == '"' || c[bs] == '\0') && bs > 0) {
                memset(buf + o, '\\', 2 * bs), o += 2 * bs, c += bs - 1;
                continue;
            }
            if (!legacy && *c == '"')
                buf[o++] = '\\';
            buf[o++] = *c;
        }
        if (quote)
            buf[o++] = '"';
        if (o >= size - 1)
            return false;
    }
    buf[o] = '\0';
    return true;
}

/* ------------------------------------------------------------ oracles */

/* What no shell may be given: an option's place taken by a value, a
 * control character, bytes shown escaped in reports. */
bool
refused_by_all(const char *v)
{
    if (v[0] == '-' || v[0] == '/' || sa_show_escapes_char(v))
        return true;
    for (const unsigned char *p = (const unsigned char *)v; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

bool
must_refuse(const char *v, sa_shell shell)
{
    if (refused_by_all(v))
        return true;
    if (shell == SA_SHELL_CMD) {
        for (const unsigned char *p = (const unsigned char *)v; *p != '\0'; p++)
            if (*p == '"' || *p == '%' || *p == '!' || *p >= 0x7f)
                return true;
        return false;
    }
    for (const char *p = v; *p != '\0'; p++)
        if (ps_squote(p) > 1 || ps_dquote(p))
            return true;
    return *v == '\0' || v[strlen(v) - 1] == '\\';
}
