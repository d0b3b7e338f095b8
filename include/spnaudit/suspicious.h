/* suspicious.h - values from the directory that no host name holds: an
 * SCOM SPN or a dNSHostName with a character outside what a DNS host name,
 * a NetBIOS name or a port allows (letters, digits, '-', '.', and ":port"
 * in an SPN), and the folded form that shows what such a value looks like.
 *
 * The classes, in the order a character is tested:
 * - invalid UTF-8: a byte that starts no valid, shortest-form sequence;
 * - control: C0 (U+0000-U+001F), DEL, C1 (U+0080-U+009F), the line and
 *   paragraph separators U+2028, U+2029;
 * - invisible: zero-width and joiners (U+200B-U+200D, U+2060-U+2064,
 *   U+FEFF), direction marks and bidi controls (U+200E, U+200F, U+061C,
 *   U+202A-U+202E, U+2066-U+2069), soft hyphen U+00AD, and the other
 *   blank or invisible code points (no-break and typographic spaces,
 *   fillers, variation selectors, tags);
 * - confusable: a look-alike of an ASCII letter, digit or punctuation mark
 *   (Cyrillic and Greek letters such as а е о р с у х і ј ѕ, ο α ν,
 *   fullwidth forms U+FF01-U+FF5E, Roman numerals, dashes, dots);
 * - shell: an ASCII character special to cmd.exe, PowerShell or a POSIX
 *   shell (space ! " # $ % & ' ( ) * , ; < = > ? @ [ \ ] ^ ` { | } ~);
 * - not a name: any other ASCII character a host name does not hold ('+',
 *   '_', or a ':' or '/' out of place);
 * - non-ASCII: any other character beyond ASCII. */
#ifndef SPNAUDIT_SUSPICIOUS_H
#define SPNAUDIT_SUSPICIOUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum sa_susp_class {
    SA_SUSP_NONE = 0,
    SA_SUSP_INVALID_UTF8,
    SA_SUSP_CONTROL,
    SA_SUSP_INVISIBLE,
    SA_SUSP_CONFUSABLE,
    SA_SUSP_SHELL,
    SA_SUSP_NOT_NAME,
    SA_SUSP_NON_ASCII,
} sa_susp_class;

/* What a value is: an SPN (class/host[:port][/name]) or a host name. */
typedef enum sa_value_kind {
    SA_VALUE_SPN,
    SA_VALUE_HOST,
} sa_value_kind;

/* What is wrong with a value: its first offending character. */
typedef struct sa_suspicion {
    sa_susp_class cls; /* SA_SUSP_NONE: nothing */
    size_t offset;     /* the character's byte offset */
    size_t position;   /* its place among the value's characters, from 1 */
    uint32_t cp;       /* its code point; the byte itself for invalid UTF-8 */
    unsigned classes;  /* every class seen in the value, as 1u << class */
} sa_suspicion;

/* Classify value; true when it holds a character outside its kind's
 * grammar (*out says which is first), false for a clean value. */
bool sa_value_suspicious(const char *value, sa_value_kind kind, sa_suspicion *out);

/* "invalid UTF-8", "control character", ... (static). */
const char *sa_susp_class_name(sa_susp_class cls);

/* "U+200B (invisible character) at character 5", "byte 0xff (invalid
 * UTF-8) at character 3", "'&' (shell metacharacter) at character 12"
 * into buf (at least 96 bytes is enough); returns buf. */
char *sa_suspicion_describe(const sa_suspicion *s, char *buf, size_t size);

/* What the value looks like: look-alikes mapped to their ASCII character,
 * invisible and control characters dropped, ASCII in lower case, each
 * invalid byte replaced by U+FFFD, other characters kept: valid UTF-8, and
 * folding it again changes nothing.  Malloc'd; NULL on out of memory. */
char *sa_value_fold(const char *value);

#endif
