/* Unit tests: the certificate template checks on plain data (sa_cert_template
 * as read from the directory): a template OpsMgr can use gives no finding,
 * each fault exactly its own, an attribute not read none (only a "not
 * checked" line); a hostile name never makes an unsafe fix line, and the
 * text and JSON sections escape it. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/cert_template.h"
#include "spnaudit/events.h"
#include "spnaudit/report_cert.h"

#define HOSTILE "Evil\"$(calc)\r\n  OK      no findings\n\x1b[2J"

/* What OpsMgr wants: a version 2 template, everything read. */
static sa_cert_template *
good(sa_cert_templates *list, const char *name)
{
    sa_cert_template *t = sa_cert_templates_add(list);

    ck_assert_ptr_nonnull(t);
    ck_assert_ptr_nonnull(t->name = strdup(name));
    ck_assert_ptr_nonnull(t->display_name = strdup("OpsMgr Certificate"));
    ck_assert(sa_strv_add(&t->ekus, SA_OID_SERVER_AUTH) && sa_strv_add(&t->ekus, SA_OID_CLIENT_AUTH));
    ck_assert(sa_strv_add(&t->csps, "1,Microsoft RSA SChannel Cryptographic Provider"));
    t->name_flag_read = t->private_key_flag_read = t->min_key_size_read = true;
    t->schema_version_read = t->key_spec_read = true;
    t->name_flag = SA_CT_ENROLLEE_SUPPLIES_SUBJECT;
    t->private_key_flag = SA_CT_EXPORTABLE_KEY;
    t->min_key_size = 2048;
    t->schema_version = 2;
    t->key_spec = 1;
    return t;
}

/* The codes of t's findings, joined by spaces ("" for none), each with a
 * message, a fix and t's name as subject; *found: the findings. */
static char *
codes_of(const sa_cert_template *t, sa_findings *found)
{
    char *joined = calloc(1, 1);

    ck_assert(sa_cert_template_check(t, found));
    for (size_t i = 0; i < found->n; i++) {
        char *more = NULL;
        ck_assert_int_ge(asprintf(&more, "%s%s%s", joined, i ? " " : "", found->items[i].code), 0);
        free(joined);
        joined = more;
        ck_assert_ptr_nonnull(found->items[i].message);
        ck_assert(!sa_fix_empty(&found->items[i].fix));
        ck_assert_str_eq(found->items[i].subject, sa_cert_template_subject(t));
        ck_assert_ptr_null(found->items[i].server);
    }
    return joined;
}

static void
expect(const sa_cert_template *t, const char *want)
{
    sa_findings found = {NULL, 0, 0};
    char *got = codes_of(t, &found);

    ck_assert_str_eq(got, want);
    free(got);
    sa_findings_clear(&found);
}

/* t's findings into found (cleared by the caller): exactly one, of code. */
static const sa_finding *
only(const sa_cert_template *t, const char *code, sa_findings *found)
{
    char *got = codes_of(t, found);

    ck_assert_str_eq(got, code);
    free(got);
    return &found->items[0];
}

/* The verdict of t from its own findings. */
static sa_template_verdict
verdict(const sa_cert_template *t)
{
    sa_findings found = {NULL, 0, 0};
    sa_template_verdict v;

    ck_assert(sa_cert_template_check(t, &found));
    v = sa_cert_template_verdict(t, &found);
    ck_assert(sa_cert_template_ok(t, &found) == (v == SA_TEMPLATE_USABLE));
    sa_findings_clear(&found);
    return v;
}

/* The message of t's only finding (static buffer). */
static const char *
message(const sa_cert_template *t)
{
    static char buf[1024];
    sa_findings found = {NULL, 0, 0};

    ck_assert(sa_cert_template_check(t, &found));
    ck_assert_uint_eq(found.n, 1);
    snprintf(buf, sizeof(buf), "%s", found.items[0].message);
    sa_findings_clear(&found);
    return buf;
}

static size_t
not_checked(const sa_cert_template *t, const char *contains)
{
    const char *what[SA_TEMPLATE_CHECKS];
    size_t n = sa_cert_template_not_checked(t, what), hits = 0;

    for (size_t i = 0; i < n; i++)
        hits += contains != NULL && strstr(what[i], contains) != NULL;
    return contains ? hits : n;
}

/* t, with an attribute not read: no finding, only the check not made
 * (phrase), and no verdict either way. */
static void
expect_not_checked(const sa_cert_template *t, const char *phrase)
{
    expect(t, "");
    ck_assert_uint_eq(not_checked(t, phrase), 1);
    ck_assert_int_eq(verdict(t), SA_TEMPLATE_NOT_CHECKED);
}

START_TEST(a_good_template_has_no_finding)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_cert_template *t = good(&list, "OpsMgr");

    expect(t, "");
    ck_assert_int_eq(verdict(t), SA_TEMPLATE_USABLE);
    ck_assert_uint_eq(not_checked(t, NULL), 0);
    sa_cert_templates_clear(&list);
    ck_assert_ptr_null(list.items);
    ck_assert_uint_eq(list.n, 0);
}
END_TEST

START_TEST(eku_needs_both_purposes)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_cert_template *t = good(&list, "OpsMgr");

    sa_strv_clear(&t->ekus);
    ck_assert(sa_strv_add(&t->ekus, SA_OID_SERVER_AUTH));
    expect(t, "TEMPLATE_EKU");
    ck_assert_ptr_nonnull(strstr(message(t), "lacks Client Authentication"));
    ck_assert_int_eq(verdict(t), SA_TEMPLATE_NOT_USABLE);
    sa_strv_clear(&t->ekus);
    ck_assert(sa_strv_add(&t->ekus, "1.3.6.1.5.5.7.3.4") && sa_strv_add(&t->ekus, SA_OID_CLIENT_AUTH));
    ck_assert_ptr_nonnull(strstr(message(t), "lacks Server Authentication"));
    sa_strv_clear(&t->ekus);
    ck_assert(sa_strv_add(&t->ekus, "1.3.6.1.5.5.7.3.1.1"));
    ck_assert_ptr_nonnull(strstr(message(t), "lacks both"));
    /* read and empty: the certificates get no EKU at all, a real value */
    sa_strv_clear(&t->ekus);
    expect(t, "TEMPLATE_EKU");
    ck_assert_ptr_nonnull(strstr(message(t), "pKIExtendedKeyUsage is empty"));
    ck_assert_int_eq(verdict(t), SA_TEMPLATE_NOT_USABLE);
    /* both, in any order, among others */
    ck_assert(sa_strv_add(&t->ekus, SA_OID_CLIENT_AUTH) && sa_strv_add(&t->ekus, "1.3.6.1.4.1.311.20.2.2") &&
              sa_strv_add(&t->ekus, SA_OID_SERVER_AUTH));
    expect(t, "");
    sa_cert_templates_clear(&list);
}
END_TEST

START_TEST(subject_supplied_or_dns_as_cn)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_cert_template *t = good(&list, "OpsMgr");
    sa_findings found = {NULL, 0, 0};
    const sa_finding *f;

    t->name_flag = SA_CT_SUBJECT_REQUIRE_DNS_AS_CN | 0x08000000u;
    f = only(t, "TEMPLATE_SUBJECT_DOMAIN_ONLY", &found);
    ck_assert_int_eq(f->severity, SA_SEV_WARNING);
    ck_assert_ptr_nonnull(strstr(f->fix.text, "Supply in the request"));
    ck_assert_ptr_nonnull(strstr(f->evidence, "0x18000000"));
    sa_findings_clear(&found);
    ck_assert_int_eq(verdict(t), SA_TEMPLATE_USABLE); /* a warning: usable for the forest's members */
    t->name_flag = 0x08000000u;                       /* the DNS name in the SAN only: no CN */
    expect(t, "TEMPLATE_SUBJECT");
    ck_assert_ptr_nonnull(strstr(message(t), "has no common name"));
    ck_assert_int_eq(verdict(t), SA_TEMPLATE_NOT_USABLE);
    t->name_flag = SA_CT_SUBJECT_REQUIRE_COMMON_NAME;
    ck_assert_ptr_nonnull(strstr(message(t), "NetBIOS name"));
    t->name_flag = SA_CT_ENROLLEE_SUPPLIES_SUBJECT | SA_CT_SUBJECT_REQUIRE_DNS_AS_CN;
    expect(t, "");
    /* not read: no verdict either way */
    t->name_flag = 0;
    t->name_flag_read = false;
    expect_not_checked(t, "msPKI-Certificate-Name-Flag not read");
    sa_cert_templates_clear(&list);
}
END_TEST

START_TEST(key_storage_providers_named_or_by_default)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_cert_template *t = good(&list, "OpsMgr");
    static const char *const ksps[] = {
        "1,Microsoft Software Key Storage Provider", "1,Microsoft Platform Crypto Provider",
        "3,Microsoft Smart Card Key Storage Provider", "2,Contoso HSM Key Storage Provider"};

    for (size_t i = 0; i < sizeof(ksps) / sizeof(ksps[0]); i++) {
        sa_strv_clear(&t->csps);
        ck_assert(sa_strv_add(&t->csps, "1,Microsoft Enhanced RSA and AES Cryptographic Provider") &&
                  sa_strv_add(&t->csps, ksps[i]));
        expect(t, "TEMPLATE_KSP");
        ck_assert_ptr_nonnull(strstr(message(t), strchr(ksps[i], ',') + 1));
        ck_assert_int_eq(verdict(t), SA_TEMPLATE_NOT_USABLE);
    }
    /* version 3 and later: no CSP listed is a KSP, unless the legacy flag */
    sa_strv_clear(&t->csps);
    t->schema_version = 4;
    expect(t, "TEMPLATE_KSP");
    ck_assert_ptr_nonnull(strstr(message(t), "a version 4 template"));
    t->private_key_flag |= SA_CT_USE_LEGACY_PROVIDER;
    expect(t, "");
    t->private_key_flag &= ~SA_CT_USE_LEGACY_PROVIDER;
    ck_assert(sa_strv_add(&t->csps, "1,Microsoft Enhanced Cryptographic Provider v1.0"));
    expect(t, "");
    /* version 2 knows CSPs only */
    sa_strv_clear(&t->csps);
    t->schema_version = 2;
    expect(t, "");
    ck_assert_uint_eq(not_checked(t, NULL), 0);
    /* not read: none listed, and the version (or the flag) unknown */
    t->schema_version_read = false;
    expect_not_checked(t, "msPKI-Template-Schema-Version not read");
    t->schema_version_read = true;
    t->schema_version = 3;
    t->private_key_flag_read = false;
    expect(t, "");
    ck_assert_uint_eq(not_checked(t, "no CSP listed and msPKI-Private-Key-Flag not read"), 1);
    ck_assert_uint_eq(not_checked(t, "the key's export: msPKI-Private-Key-Flag not read"), 1);
    sa_cert_templates_clear(&list);
}
END_TEST

START_TEST(csp_values_parsed_within_bounds)
{
    char *long_value = malloc(SA_TEMPLATE_CSP_MAX + 64);
    const char *name = NULL;
    int priority = 0;
    sa_cert_templates list = {NULL, 0, 0};
    sa_cert_template *t = good(&list, "OpsMgr");

    ck_assert(sa_cert_template_csp_parse("2,Microsoft Base Cryptographic Provider v1.0", &priority, &name));
    ck_assert_int_eq(priority, 2);
    ck_assert_str_eq(name, "Microsoft Base Cryptographic Provider v1.0");
    ck_assert(sa_cert_template_csp_parse("Microsoft Strong Cryptographic Provider", &priority, &name));
    ck_assert_int_eq(priority, -1);
    ck_assert_str_eq(name, "Microsoft Strong Cryptographic Provider");
    ck_assert(sa_cert_template_csp_parse("12345678,X", &priority, &name)); /* no priority that long */
    ck_assert_int_eq(priority, -1);
    ck_assert_str_eq(name, "12345678,X");
    ck_assert_ptr_nonnull(long_value);
    memset(long_value, 'A', SA_TEMPLATE_CSP_MAX + 20);
    strcpy(long_value + SA_TEMPLATE_CSP_MAX + 20, " Key Storage Provider");
    ck_assert(!sa_cert_template_csp_parse(long_value, &priority, &name));
    /* a value past the bound names no provider: a legacy one beside it decides */
    ck_assert(sa_strv_add(&t->csps, long_value));
    expect(t, "");
    free(long_value);
    sa_cert_templates_clear(&list);
}
END_TEST

START_TEST(key_spec_size_and_export)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_cert_template *t = good(&list, "OpsMgr");
    sa_findings found = {NULL, 0, 0};
    const sa_finding *f;

    t->key_spec = 2;
    expect(t, "TEMPLATE_KEY_SPEC");
    ck_assert_ptr_nonnull(strstr(message(t), "AT_SIGNATURE"));
    ck_assert_int_eq(verdict(t), SA_TEMPLATE_NOT_USABLE);
    t->key_spec_read = false;
    expect_not_checked(t, "pKIDefaultKeySpec not read");
    t->key_spec_read = true;
    t->key_spec = 1;

    t->min_key_size = 1024;
    expect(t, "TEMPLATE_KEY_SIZE");
    ck_assert_ptr_nonnull(strstr(message(t), "1024 bits, fewer than 2048"));
    t->min_key_size = 2047;
    expect(t, "TEMPLATE_KEY_SIZE");
    t->min_key_size = 4096;
    expect(t, "");
    t->min_key_size = 512;
    t->min_key_size_read = false;
    expect_not_checked(t, "msPKI-Minimal-Key-Size not read");
    t->min_key_size_read = true;
    t->min_key_size = 2048;

    t->private_key_flag = 0;
    f = only(t, "TEMPLATE_NOT_EXPORTABLE", &found);
    ck_assert_int_eq(f->severity, SA_SEV_WARNING);
    ck_assert_ptr_nonnull(strstr(f->message, "MOMCertImport.exe"));
    sa_findings_clear(&found);
    ck_assert_int_eq(verdict(t), SA_TEMPLATE_USABLE);
    t->private_key_flag_read = false;
    expect_not_checked(t, "the key's export: msPKI-Private-Key-Flag not read");
    sa_cert_templates_clear(&list);
}
END_TEST

/* Every fault at once: each finding once, the verdict names the failures. */
START_TEST(every_fault_its_own_finding)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_cert_template *t = good(&list, "Everything");

    sa_strv_clear(&t->ekus);
    sa_strv_clear(&t->csps);
    ck_assert(sa_strv_add(&t->csps, "1,Microsoft Software Key Storage Provider"));
    t->name_flag = 0;
    t->private_key_flag = 0;
    t->min_key_size = 1024;
    t->key_spec = 2;
    expect(t, "TEMPLATE_EKU TEMPLATE_SUBJECT TEMPLATE_KSP TEMPLATE_KEY_SPEC TEMPLATE_KEY_SIZE "
              "TEMPLATE_NOT_EXPORTABLE");
    sa_cert_templates_clear(&list);
}
END_TEST

/* The fix of t's finding of code for shell (static buffer). */
static const char *
rendered(const sa_cert_template *t, const char *code, sa_shell shell)
{
    static char buf[4096];
    sa_findings found = {NULL, 0, 0};
    char *text = NULL;

    ck_assert(sa_cert_template_check(t, &found));
    for (size_t i = 0; i < found.n; i++) {
        if (strcmp(found.items[i].code, code) == 0)
            text = sa_fix_render(&found.items[i].fix, shell);
    }
    ck_assert_ptr_nonnull(text);
    snprintf(buf, sizeof(buf), "%s", text);
    free(text);
    sa_findings_clear(&found);
    return buf;
}

static bool
starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

START_TEST(fix_lines_for_each_shell)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_cert_template *t = good(&list, "OpsMgr Computer");
    const char *s;

    t->private_key_flag = 0;
    t->min_key_size = 1024;
    t->key_spec = 2;
    s = rendered(t, "TEMPLATE_NOT_EXPORTABLE", SA_SHELL_CMD);
    ck_assert_msg(starts(s,
                         "certutil -dstemplate \"OpsMgr Computer\" msPKI-Private-Key-Flag \"+0x00000010\"\n"
                         "or in the Certificate Templates console (certtmpl.msc)"),
                  "%s", s);
    ck_assert_ptr_nonnull(strstr(s, "Allow private key to be exported"));
    ck_assert_ptr_nonnull(strstr(s, "MOMCertImport.exe"));
    s = rendered(t, "TEMPLATE_NOT_EXPORTABLE", SA_SHELL_POWERSHELL);
    ck_assert_msg(
        starts(s, "certutil -dstemplate 'OpsMgr Computer' 'msPKI-Private-Key-Flag' '+0x00000010'\n"), "%s",
        s);
    ck_assert(starts(rendered(t, "TEMPLATE_KEY_SIZE", SA_SHELL_CMD),
                     "certutil -dstemplate \"OpsMgr Computer\" msPKI-Minimal-Key-Size 2048\n"));
    ck_assert(starts(rendered(t, "TEMPLATE_KEY_SPEC", SA_SHELL_CMD),
                     "certutil -dstemplate \"OpsMgr Computer\" pKIDefaultKeySpec 1\n"));
    /* the console only, where certutil has no one-value form */
    sa_strv_clear(&t->ekus);
    s = rendered(t, "TEMPLATE_EKU", SA_SHELL_CMD);
    ck_assert_msg(starts(s, "in the Certificate Templates console (certtmpl.msc), open the template's "
                            "Properties, Extensions tab, Application Policies"),
                  "%s", s);
    /* a version 1 template is duplicated, never changed in place */
    t->schema_version = 1;
    s = rendered(t, "TEMPLATE_KEY_SIZE", SA_SHELL_CMD);
    ck_assert_msg(starts(s, "this version 1 template cannot be changed"), "%s", s);
    ck_assert_ptr_null(strstr(s, "certutil"));
    ck_assert_ptr_nonnull(strstr(s, "Certificate Template to Issue"));
    sa_cert_templates_clear(&list);
}
END_TEST

/* A name no quoting carries safely in one shell gives no command at all,
 * in either shell, only why and the console's steps; one that quoting
 * carries is quoted, never bare. */
START_TEST(hostile_names_never_make_an_unsafe_line)
{
    static const char *const refused[] = {HOSTILE, "a\"b", "-f", "/x", "a\nb", "tab\there", "100%"};
    sa_cert_templates list = {NULL, 0, 0};
    sa_cert_template *t;
    const char *s;

    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        t = good(&list, refused[i]);
        t->min_key_size = 1024;
        for (int sh = 0; sh < SA_SHELL_COUNT; sh++) {
            s = rendered(t, "TEMPLATE_KEY_SIZE", (sa_shell)sh);
            ck_assert_msg(starts(s, "no certutil command (the template's name "), "%zu %d: %s", i, sh, s);
            ck_assert_ptr_null(strstr(s, "certutil -dstemplate"));
            ck_assert_ptr_null(strstr(s, refused[i]));
            ck_assert_ptr_nonnull(strstr(s, "Minimum key size: 2048"));
        }
        sa_cert_templates_clear(&list);
    }
    /* cmd.exe refuses the quote; PowerShell quotes all of it, $(...) too */
    t = good(&list, "O'Brien $(calc) & x");
    t->min_key_size = 1024;
    ck_assert_str_eq(strtok((char *)rendered(t, "TEMPLATE_KEY_SIZE", SA_SHELL_POWERSHELL), "\n"),
                     "certutil -dstemplate 'O''Brien $(calc) & x' 'msPKI-Minimal-Key-Size' '2048'");
    ck_assert_str_eq(strtok((char *)rendered(t, "TEMPLATE_KEY_SIZE", SA_SHELL_CMD), "\n"),
                     "certutil -dstemplate \"O'Brien $(calc) & x\" msPKI-Minimal-Key-Size 2048");
    sa_cert_templates_clear(&list);
}
END_TEST

static char *
written(int (*fn)(const sa_cert_templates *, const sa_findings *, FILE *), const sa_cert_templates *list,
        const sa_findings *findings)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);

    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(fn(list, findings, m), 0);
    ck_assert_int_eq(fclose(m), 0);
    return text;
}

static int
text_cmd(const sa_cert_templates *list, const sa_findings *findings, FILE *out)
{
    return sa_cert_templates_report_text(list, findings, SA_SHELL_CMD, 0, out);
}

/* Three templates: usable, hostile and not usable, not fully read. */
static void
three(sa_cert_templates *list, sa_findings *findings)
{
    sa_cert_template *t;

    good(list, "OpsMgr");
    t = good(list, HOSTILE);
    t->min_key_size = 1024;
    free(t->display_name);
    ck_assert_ptr_nonnull(t->display_name = strdup("Disp\x1b]52;c;x\x07"));
    ck_assert(sa_strv_add(&t->csps, "2,\x1b[31mred"));
    t = good(list, "Partial");
    t->name_flag_read = false;
    for (size_t i = 0; i < list->n; i++)
        ck_assert(sa_cert_template_check(&list->items[i], findings));
}

static size_t
occurrences(const char *text, const char *s)
{
    size_t n = 0;

    for (const char *p = strstr(text, s); p != NULL; p = strstr(p + 1, s))
        n++;
    return n;
}

START_TEST(text_section_escapes_and_gives_verdicts)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_findings findings = {NULL, 0, 0};
    char *text;

    three(&list, &findings);
    text = written(text_cmd, &list, &findings);
    ck_assert_ptr_null(strchr(text, '\x1b'));
    ck_assert_ptr_null(strchr(text, '\r'));
    ck_assert_ptr_null(strchr(text, '\x07'));
    ck_assert_msg(strstr(text, "Certificate templates: 3 read, 1 of them for OpsMgr\n") == text, "%s", text);
    ck_assert_msg(strstr(text, "\nTemplate OpsMgr (OpsMgr Certificate)\n  verdict: OpsMgr can use its "
                               "certificates\n") != NULL,
                  "%s", text);
    ck_assert_msg(strstr(text,
                         "\nTemplate Evil\"$(calc)\\x0d\\x0a  OK      no findings\\x0a\\x1b[2J\n"
                         "  (Disp\\x1b]52;c;x\\x07)\n  verdict: not for OpsMgr: TEMPLATE_KEY_SIZE\n") != NULL,
                  "%s", text);
    ck_assert_ptr_nonnull(strstr(text, "\\x1b[31mred"));
    ck_assert_ptr_nonnull(strstr(text, "  FAILURE TEMPLATE_KEY_SIZE\n"));
    ck_assert_ptr_nonnull(strstr(text, "          evidence: msPKI-Minimal-Key-Size 1024\n"));
    ck_assert_msg(strstr(text, "fix: no certutil command (the template's name contains a control\n"), "%s",
                  text);
    /* the forged line is not a line: only the two legitimate ones */
    ck_assert_uint_eq(occurrences(text, "\n  OK      no findings\n"), 2); /* OpsMgr's, Partial's */
    ck_assert_msg(strstr(text,
                         "\nTemplate Partial (OpsMgr Certificate)\n  verdict: not fully checked (no failure "
                         "in what was read)\n") != NULL,
                  "%s", text);
    ck_assert_ptr_nonnull(
        strstr(text, "  not checked: the subject name: msPKI-Certificate-Name-Flag not read\n"));
    ck_assert_ptr_nonnull(
        strstr(text, "  msPKI-Certificate-Name-Flag: not read; msPKI-Private-Key-Flag: 0x00000010"));
    free(text);
    sa_findings_clear(&findings);
    sa_cert_templates_clear(&list);
}
END_TEST

START_TEST(json_array_keeps_values_exact)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_findings findings = {NULL, 0, 0};
    char *text;
    json_object *root, *a, *t, *v, *f;

    three(&list, &findings);
    text = written(sa_cert_templates_report_json, &list, &findings);
    ck_assert_ptr_null(strchr(text, '\x1b'));
    ck_assert_ptr_nonnull(root = json_tokener_parse(text));
    ck_assert(json_object_object_get_ex(root, "templates", &a));
    ck_assert_uint_eq(json_object_array_length(a), 3);
    t = json_object_array_get_idx(a, 0);
    ck_assert(json_object_object_get_ex(t, "usable", &v) && json_object_get_boolean(v));
    ck_assert(json_object_object_get_ex(t, "name_flag", &v) && json_object_get_int64(v) == 1);
    ck_assert(json_object_object_get_ex(t, "ekus", &v) && json_object_array_length(v) == 2);
    ck_assert(json_object_object_get_ex(t, "findings", &v) && json_object_array_length(v) == 0);
    t = json_object_array_get_idx(a, 1);
    ck_assert(json_object_object_get_ex(t, "name", &v));
    ck_assert_str_eq(json_object_get_string(v), HOSTILE);
    ck_assert(json_object_object_get_ex(t, "display_name", &v));
    ck_assert_str_eq(json_object_get_string(v), "Disp\x1b]52;c;x\x07");
    ck_assert(json_object_object_get_ex(t, "csps", &v) && json_object_array_length(v) == 2);
    ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(v, 1)), "2,\x1b[31mred");
    ck_assert(json_object_object_get_ex(t, "usable", &v) && !json_object_get_boolean(v) &&
              json_object_is_type(v, json_type_boolean));
    ck_assert(json_object_object_get_ex(t, "min_key_size", &v) && json_object_get_int(v) == 1024);
    ck_assert(json_object_object_get_ex(t, "findings", &v) && json_object_array_length(v) == 1);
    f = json_object_array_get_idx(v, 0);
    ck_assert(json_object_object_get_ex(f, "code", &v));
    ck_assert_str_eq(json_object_get_string(v), "TEMPLATE_KEY_SIZE");
    ck_assert(json_object_object_get_ex(f, "subject", &v));
    ck_assert_str_eq(json_object_get_string(v), HOSTILE);
    t = json_object_array_get_idx(a, 2);
    ck_assert(json_object_object_get_ex(t, "usable", &v) && v == NULL);
    ck_assert(json_object_object_get_ex(t, "name_flag", &v) && v == NULL);
    ck_assert(json_object_object_get_ex(t, "verdict", &v));
    ck_assert_str_eq(json_object_get_string(v), "not_checked");
    ck_assert(json_object_object_get_ex(t, "not_checked", &v) && json_object_array_length(v) == 1);
    json_object_put(root);
    free(text);
    sa_findings_clear(&findings);
    sa_cert_templates_clear(&list);
}
END_TEST

/* explain EVENT names the template checks, as template checks. */
START_TEST(explain_names_the_template_checks)
{
    static const struct {
        int event;
        const char *code;
    } links[] = {{20050, "TEMPLATE_EKU"},
                 {20075, "TEMPLATE_SUBJECT"},
                 {20076, "TEMPLATE_SUBJECT"},
                 {21007, "TEMPLATE_SUBJECT"},
                 {21007, "TEMPLATE_SUBJECT_DOMAIN_ONLY"},
                 {20069, "TEMPLATE_KSP"},
                 {20069, "TEMPLATE_KEY_SPEC"}};
    sa_check_info info;

    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
        sa_event_checks checks = {NULL, 0, 0};
        bool found = false;
        ck_assert_int_eq(sa_event_checks_for(links[i].event, &checks, NULL), SA_OK);
        for (size_t k = 0; k < checks.n; k++)
            found |= strcmp(checks.items[k].code, links[i].code) == 0 &&
                     checks.items[k].source == SA_CHECK_TEMPLATE;
        ck_assert_msg(found, "%d %s", links[i].event, links[i].code);
        sa_event_checks_clear(&checks);
    }
    ck_assert(sa_check_lookup("template_key_size", &info));
    ck_assert_str_eq(info.code, "TEMPLATE_KEY_SIZE");
    ck_assert_str_eq(sa_check_source_name(info.source), "template");
    ck_assert_int_eq(info.severity, SA_SEV_FAILURE);
    ck_assert_uint_eq(info.n_events, 0);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("cert_template");
    TCase *tc = tcase_create("cert_template");

    tcase_add_test(tc, a_good_template_has_no_finding);
    tcase_add_test(tc, eku_needs_both_purposes);
    tcase_add_test(tc, subject_supplied_or_dns_as_cn);
    tcase_add_test(tc, key_storage_providers_named_or_by_default);
    tcase_add_test(tc, csp_values_parsed_within_bounds);
    tcase_add_test(tc, key_spec_size_and_export);
    tcase_add_test(tc, every_fault_its_own_finding);
    tcase_add_test(tc, fix_lines_for_each_shell);
    tcase_add_test(tc, hostile_names_never_make_an_unsafe_line);
    tcase_add_test(tc, text_section_escapes_and_gives_verdicts);
    tcase_add_test(tc, json_array_keeps_values_exact);
    tcase_add_test(tc, explain_names_the_template_checks);
    suite_add_tcase(s, tc);
    return check_run(s);
}
