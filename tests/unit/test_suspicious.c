/* Unit tests: the classifier of suspicious values (suspicious.h), each
 * class on plain data, valid names left alone, and the folded form. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/suspicious.h"

/* value's first offending character must be of class cls, at byte offset
 * and character position, with code point cp. */
static void
expect(const char *value, sa_value_kind kind, sa_susp_class cls, size_t offset, size_t position, uint32_t cp)
{
    sa_suspicion s;

    ck_assert_msg(sa_value_suspicious(value, kind, &s), "%s not flagged", value);
    ck_assert_msg(s.cls == cls, "%s: class %s, want %s", value, sa_susp_class_name(s.cls),
                  sa_susp_class_name(cls));
    ck_assert_uint_eq(s.offset, offset);
    ck_assert_uint_eq(s.position, position);
    ck_assert_uint_eq(s.cp, cp);
    ck_assert(s.classes & (1u << cls));
}

static void
clean(const char *value, sa_value_kind kind)
{
    sa_suspicion s;

    ck_assert_msg(!sa_value_suspicious(value, kind, &s), "%s flagged: %s at %zu", value,
                  sa_susp_class_name(s.cls), s.position);
    ck_assert(s.cls == SA_SUSP_NONE);
    ck_assert_uint_eq(s.classes, 0);
}

static void
folds(const char *value, const char *want)
{
    char *f = sa_value_fold(value);

    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f, want);
    free(f);
}

START_TEST(valid_names_are_not_flagged)
{
    clean("MSOMHSvc/ms01.contoso.test:5723", SA_VALUE_SPN);
    clean("MSOMHSvc/ms01.contoso.test", SA_VALUE_SPN);
    clean("MSOMHSvc/MS01", SA_VALUE_SPN);
    clean("MSOMSdkSvc/ms-02.sub-1.contoso.test", SA_VALUE_SPN);
    clean("MSOMSdkSvc/SCOM-MS-07:5724", SA_VALUE_SPN);
    clean("MSOMHSvc/ms01.contoso.test:5723/contoso.test", SA_VALUE_SPN);
    clean("ms01.contoso.test", SA_VALUE_HOST);
    clean("MS-01", SA_VALUE_HOST);
    clean("123host.example", SA_VALUE_HOST);
    clean("", SA_VALUE_HOST);
}
END_TEST

START_TEST(control_characters)
{
    expect("MSOMHSvc/\x1b[2Jevil1.contoso.test", SA_VALUE_SPN, SA_SUSP_CONTROL, 9, 10, 0x1b);
    expect("ms01.contoso.test\r\n  OK", SA_VALUE_HOST, SA_SUSP_CONTROL, 17, 18, '\r');
    expect("ms01\x7f", SA_VALUE_HOST, SA_SUSP_CONTROL, 4, 5, 0x7f);
    expect("ms01\xc2\x9b", SA_VALUE_HOST, SA_SUSP_CONTROL, 4, 5, 0x9b);        /* C1 CSI */
    expect("ms01\xe2\x80\xa8x", SA_VALUE_HOST, SA_SUSP_CONTROL, 4, 5, 0x2028); /* line separator */
    expect("MSOMHSvc/a\tb", SA_VALUE_SPN, SA_SUSP_CONTROL, 10, 11, '\t');
}
END_TEST

START_TEST(shell_metacharacters)
{
    static const char shell[] = " !\"#$%&'()*,;<=>?@[\\]^`{|}~";
    char value[64];

    expect("MSOMHSvc/evil8&calc.exe", SA_VALUE_SPN, SA_SUSP_SHELL, 14, 15, '&');
    expect("MSOMHSvc/x\" & calc.exe & \"", SA_VALUE_SPN, SA_SUSP_SHELL, 10, 11, '"');
    for (const char *p = shell; *p != '\0'; p++) {
        snprintf(value, sizeof(value), "MSOMHSvc/ms%c01", *p);
        expect(value, SA_VALUE_SPN, SA_SUSP_SHELL, 11, 12, (unsigned char)*p);
        snprintf(value, sizeof(value), "ms%c01", *p);
        expect(value, SA_VALUE_HOST, SA_SUSP_SHELL, 2, 3, (unsigned char)*p);
    }
}
END_TEST

START_TEST(other_ascii_outside_names)
{
    expect("MSOMHSvc/ms_01", SA_VALUE_SPN, SA_SUSP_NOT_NAME, 11, 12, '_');
    expect("MSOMHSvc/ms+01", SA_VALUE_SPN, SA_SUSP_NOT_NAME, 11, 12, '+');
    expect("MSOMHSvc/ms01:57:23", SA_VALUE_SPN, SA_SUSP_NOT_NAME, 16, 17, ':');
    expect("MSOMHSvc/ms01:57a", SA_VALUE_SPN, SA_SUSP_NOT_NAME, 16, 17, 'a');
    expect("MSOMHSvc/ms01/a/b", SA_VALUE_SPN, SA_SUSP_NOT_NAME, 15, 16, '/');
    expect("MSOM.HSvc/ms01", SA_VALUE_SPN, SA_SUSP_NOT_NAME, 4, 5, '.');
    /* a host name holds neither a port nor a '/' */
    expect("ms01.contoso.test:5723", SA_VALUE_HOST, SA_SUSP_NOT_NAME, 17, 18, ':');
    expect("ms01/x", SA_VALUE_HOST, SA_SUSP_NOT_NAME, 4, 5, '/');
}
END_TEST

START_TEST(invalid_utf8)
{
    expect("ms01\xff\xfe", SA_VALUE_HOST, SA_SUSP_INVALID_UTF8, 4, 5, 0xff);
    expect("MSOMHSvc/\xc0\xafms01", SA_VALUE_SPN, SA_SUSP_INVALID_UTF8, 9, 10, 0xc0); /* overlong '/' */
    expect("ms\xed\xa0\x80", SA_VALUE_HOST, SA_SUSP_INVALID_UTF8, 2, 3, 0xed);        /* a surrogate */
    expect("ms01\xe2\x80", SA_VALUE_HOST, SA_SUSP_INVALID_UTF8, 4, 5, 0xe2);          /* cut short */
}
END_TEST

START_TEST(invisible_characters)
{
    static const uint32_t cps[] = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x202A, 0x202B, 0x202C,
                                   0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x00AD, 0x00A0};
    static const char *const enc[] = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a",
                                      "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
                                      "\u2068", "\u2069", "\u00ad", "\u00a0"};
    char value[64];

    for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
        snprintf(value, sizeof(value), "MSOMHSvc/ms01%s.contoso.test", enc[i]);
        expect(value, SA_VALUE_SPN, SA_SUSP_INVISIBLE, 13, 14, cps[i]);
    }
}
END_TEST

START_TEST(confusables)
{
    /* Cyrillic о (U+043E) in "contoso" */
    expect("MSOMHSvc/ms01.c\u043entoso.test", SA_VALUE_SPN, SA_SUSP_CONFUSABLE, 15, 16, 0x043E);
    expect("ms01.cont\u03bfso.test", SA_VALUE_HOST, SA_SUSP_CONFUSABLE, 9, 10, 0x03BF); /* Greek ο */
    expect("\u0430bc", SA_VALUE_HOST, SA_SUSP_CONFUSABLE, 0, 1, 0x0430);                /* Cyrillic а */
    expect("m\uff53\uff10\uff11", SA_VALUE_HOST, SA_SUSP_CONFUSABLE, 1, 2, 0xFF53);     /* fullwidth s */
    expect("ms\u201001", SA_VALUE_HOST, SA_SUSP_CONFUSABLE, 2, 3, 0x2010);              /* hyphen */
    expect("ms01\u3002contoso", SA_VALUE_HOST, SA_SUSP_CONFUSABLE, 4, 5, 0x3002);       /* 。 */
    /* a Cyrillic letter in the service class too */
    expect("MS\u041eMHSvc/ms01", SA_VALUE_SPN, SA_SUSP_CONFUSABLE, 2, 3, 0x041E);
}
END_TEST

START_TEST(other_non_ascii)
{
    expect("m\u00fcnchen.contoso.test", SA_VALUE_HOST, SA_SUSP_NON_ASCII, 1, 2, 0xFC);
    expect("ms\U0001F600", SA_VALUE_HOST, SA_SUSP_NON_ASCII, 2, 3, 0x1F600);
}
END_TEST

START_TEST(first_character_named_every_class_seen)
{
    sa_suspicion s;
    char text[128];

    ck_assert(sa_value_suspicious("MSOMHSvc/\u0430\u200bb&c\x1b\xff", SA_VALUE_SPN, &s));
    ck_assert(s.cls == SA_SUSP_CONFUSABLE);
    ck_assert_uint_eq(s.position, 10);
    ck_assert_uint_eq(s.classes, (1u << SA_SUSP_CONFUSABLE) | (1u << SA_SUSP_INVISIBLE) |
                                     (1u << SA_SUSP_SHELL) | (1u << SA_SUSP_CONTROL) |
                                     (1u << SA_SUSP_INVALID_UTF8));
    ck_assert_str_eq(sa_suspicion_describe(&s, text, sizeof(text)),
                     "U+0430 (look-alike of an ASCII character 'a') at character 10");
    ck_assert(sa_value_suspicious("ms01\xff", SA_VALUE_HOST, &s));
    ck_assert_str_eq(sa_suspicion_describe(&s, text, sizeof(text)),
                     "byte 0xff (invalid UTF-8) at character 5");
    ck_assert(sa_value_suspicious("a&b", SA_VALUE_HOST, &s));
    ck_assert_str_eq(sa_suspicion_describe(&s, text, sizeof(text)),
                     "'&' (shell metacharacter) at character 2");
    ck_assert(sa_value_suspicious("ab\u200b", SA_VALUE_HOST, &s));
    ck_assert_str_eq(sa_suspicion_describe(&s, text, sizeof(text)),
                     "U+200B (invisible character) at character 3");
    ck_assert(sa_value_suspicious("a b", SA_VALUE_HOST, &s));
    ck_assert_str_eq(sa_suspicion_describe(&s, text, sizeof(text)),
                     "U+0020 (shell metacharacter) at character 2");
}
END_TEST

START_TEST(fold_maps_look_alikes_drops_invisibles)
{
    folds("MSOMHSvc/ms01.contoso.test", "msomhsvc/ms01.contoso.test");
    folds("MSOMHSvc/ms01.c\u043entoso.test", "msomhsvc/ms01.contoso.test");
    folds("MSOMHSvc/ms01\u200b.contoso.test", "msomhsvc/ms01.contoso.test");
    folds("MSOMHSvc/\u202ems01\u202c.CONTOSO.test", "msomhsvc/ms01.contoso.test");
    folds("\uff2d\uff33\uff10\uff11", "ms01");                  /* fullwidth */
    folds("\u041c\u0405\u041e\u041cHSvc/\u0445", "msomhsvc/x"); /* Cyrillic capitals */
    folds("ms\u00ad01\x1b\x7f\u2060", "ms01");                  /* soft hyphen, controls */
    folds("m\u00fcnchen&x", "m\u00fcnchen&x");                  /* kept as they are */
    folds("ms\xff"
          "01",
          "ms\ufffd"
          "01");                                     /* invalid: U+FFFD */
    folds("\xe2\x80\x1b\x8b", "\ufffd\ufffd\ufffd"); /* no U+200B spliced by the dropped ESC */
    folds("", "");
}
END_TEST

/* Random values: the first offending character is where it is said to be,
 * a clean value folds to its lower case, a folded value holds no control
 * byte, no invalid UTF-8, no invisible character, and folds to itself. */
START_TEST(random_values_keep_the_invariants)
{
    static const char *const pieces[] = {"a",      "Z",      "0",        "-",         ".",      ":",
                                         "/",      "&",      " ",        "_",         "\x1b",   "\x7f",
                                         "\xff",   "\xe2",   "\x80",     "\u200b",    "\u043e", "\uff4d",
                                         "\u00fc", "\u202e", "\xc2\x9b", "\U0001F600"};
    size_t np = sizeof(pieces) / sizeof(pieces[0]);
    unsigned seed = 4242;
    char value[128];

    for (int round = 0; round < 30000; round++) {
        size_t parts = (size_t)(rand_r(&seed) % 12), len = 0;
        sa_suspicion s;
        char *f, *ff;

        value[0] = '\0';
        for (size_t i = 0; i < parts; i++) {
            const char *p = pieces[(size_t)rand_r(&seed) % np];
            memcpy(value + len, p, strlen(p) + 1);
            len += strlen(p);
        }
        f = sa_value_fold(value);
        ck_assert_ptr_nonnull(f);
        if (sa_value_suspicious(value, round % 2 ? SA_VALUE_SPN : SA_VALUE_HOST, &s)) {
            ck_assert_uint_lt(s.offset, len);
            ck_assert_uint_ge(s.position, 1);
            ck_assert_uint_le(s.position, s.offset + 1);
            if (s.cls == SA_SUSP_INVALID_UTF8)
                ck_assert_uint_eq(s.cp, (unsigned char)value[s.offset]);
        } else {
            for (size_t i = 0; i <= len; i++)
                ck_assert_int_eq(f[i], value[i] >= 'A' && value[i] <= 'Z' ? value[i] - 'A' + 'a' : value[i]);
        }
        ck_assert(!sa_value_suspicious(f, SA_VALUE_HOST, &s) ||
                  (s.classes & ((1u << SA_SUSP_CONTROL) | (1u << SA_SUSP_INVALID_UTF8) |
                                (1u << SA_SUSP_INVISIBLE) | (1u << SA_SUSP_CONFUSABLE))) == 0);
        ff = sa_value_fold(f);
        ck_assert_ptr_nonnull(ff);
        ck_assert_str_eq(ff, f);
        free(ff);
        free(f);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("suspicious");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, valid_names_are_not_flagged);
    tcase_add_test(tc, control_characters);
    tcase_add_test(tc, shell_metacharacters);
    tcase_add_test(tc, other_ascii_outside_names);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, invisible_characters);
    tcase_add_test(tc, confusables);
    tcase_add_test(tc, other_non_ascii);
    tcase_add_test(tc, first_character_named_every_class_seen);
    tcase_add_test(tc, fold_maps_look_alikes_drops_invisibles);
    tcase_add_test(tc, random_values_keep_the_invariants);
    suite_add_tcase(s, tc);
    return check_run(s);
}
