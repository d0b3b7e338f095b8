/* fuzz_template.c - libFuzzer harness for the certificate template checks
 * (cert_template.c) and their report (report_template.c), on a template as
 * a directory could serve it.  The input: 8 bytes of numbers (which
 * attributes were read, msPKI-Certificate-Name-Flag's and
 * msPKI-Private-Key-Flag's low bytes, and high bits, the minimum key
 * size, schema version and key spec), then NUL-separated fields: the name
 * (empty: none), the display name (empty: none), then values, "e:OID" an
 * EKU, anything else a pKIDefaultCSPs value.  The invariants, decided
 * here from cert_template.h's rules: each check's finding exactly when
 * its attribute was read and says so; none about an attribute not read;
 * the verdict from the findings and the checks not made; every finding's
 * subject the template's; a fix command only when both shells carry the
 * name (fixline_split.c's oracle), each line splitting back into certutil
 * -dstemplate NAME ATTRIBUTE VALUE; the text section with no control byte
 * but newlines and one line that starts with the word "Template"; the
 * JSON section valid, giving the name back (invalid UTF-8 as U+FFFD).
 * abort() otherwise.  Run as
 *   build-fuzz/tests/fuzz/fuzz_template -max_total_time=300 NEWDIR tests/fuzz/corpus/template */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixline_split.h"
#include "spnaudit/cert_template.h"
#include "spnaudit/display.h"
#include "spnaudit/report_cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
broken(const char *what, const char *detail)
{
    fprintf(stderr, "template invariant broken: %s [%s]\n", what, detail ? detail : "");
    abort();
}

static bool
has_code(const sa_findings *f, const char *code)
{
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->items[i].code, code) == 0)
            return true;
    }
    return false;
}

static bool
same_args(split_t got, int n, const char *program, const char *const *args, size_t n_args)
{
    if (n != (int)n_args + 1 || strcmp(got[0], program) != 0)
        return false;
    for (size_t i = 0; i < n_args; i++) {
        if (strcmp(got[i + 1], args[i]) != 0)
            return false;
    }
    return true;
}

/* Command c of a fix: both shells' lines given, each splitting back. */
static void
check_command(const sa_fix *fix, size_t i, const char *name)
{
    const sa_fix_command *c = &fix->commands[i];
    const char *const *args = (const char *const *)c->args;
    static split_t words;

    if (strcmp(c->program, "certutil") != 0 || c->n != 4 || strcmp(c->args[0], "-dstemplate") != 0 ||
        name == NULL || strcmp(c->args[1], name) != 0)
        broken("a fix command other than certutil -dstemplate NAME", c->program);
    for (int sh = 0; sh < SA_SHELL_COUNT; sh++) {
        const char *why = NULL;
        char *line = sa_fix_command_line(fix, i, (sa_shell)sh, &why);
        if (line == NULL && why == NULL)
            return; /* out of memory */
        if (line == NULL || must_refuse(name, (sa_shell)sh))
            broken("a command for a name a shell must refuse, or refused", name);
        if (sh == SA_SHELL_CMD
                ? !cmd_safe(line) || !same_args(words, crt_split(line, words), "certutil", args, 4)
                : !same_args(words, ps_split(line, words), "certutil", args, 4))
            broken("the line does not split back into its arguments", line);
        free(line);
    }
}

/* The oracle: which finding each check must give, from the header's rules. */
static void
check_findings(const sa_cert_template *t, const sa_findings *f)
{
    bool server = false, client = false, must;
    const char *what[SA_TEMPLATE_CHECKS];
    size_t unchecked = sa_cert_template_not_checked(t, what), flags_unread;
    sa_template_verdict v = sa_cert_template_verdict(t, f);

    for (size_t i = 0; i < t->ekus.n; i++) {
        server |= strcmp(t->ekus.items[i], SA_OID_SERVER_AUTH) == 0;
        client |= strcmp(t->ekus.items[i], SA_OID_CLIENT_AUTH) == 0;
    }
    if (has_code(f, "TEMPLATE_EKU") != !(server && client))
        broken("TEMPLATE_EKU", NULL);
    must = t->name_flag_read && (t->name_flag & SA_CT_ENROLLEE_SUPPLIES_SUBJECT) == 0;
    if (has_code(f, "TEMPLATE_SUBJECT") != (must && (t->name_flag & SA_CT_SUBJECT_REQUIRE_DNS_AS_CN) == 0) ||
        has_code(f, "TEMPLATE_SUBJECT_DOMAIN_ONLY") !=
            (must && (t->name_flag & SA_CT_SUBJECT_REQUIRE_DNS_AS_CN)))
        broken("TEMPLATE_SUBJECT", NULL);
    if (has_code(f, "TEMPLATE_KEY_SPEC") != (t->key_spec_read && t->key_spec == 2))
        broken("TEMPLATE_KEY_SPEC", NULL);
    if (has_code(f, "TEMPLATE_KEY_SIZE") != (t->min_key_size_read && t->min_key_size < 2048))
        broken("TEMPLATE_KEY_SIZE", NULL);
    if (has_code(f, "TEMPLATE_NOT_EXPORTABLE") !=
        (t->private_key_flag_read && (t->private_key_flag & SA_CT_EXPORTABLE_KEY) == 0))
        broken("TEMPLATE_NOT_EXPORTABLE", NULL);
    if (has_code(f, "TEMPLATE_KSP") && t->csps.n == 0 &&
        (!t->schema_version_read || t->schema_version < 3 || !t->private_key_flag_read))
        broken("TEMPLATE_KSP from what was not read", NULL);
    if ((v == SA_TEMPLATE_NOT_USABLE) != (sa_findings_count(f, SA_SEV_FAILURE) > 0) ||
        (v == SA_TEMPLATE_NOT_CHECKED) != (v != SA_TEMPLATE_NOT_USABLE && unchecked > 0))
        broken("the verdict", NULL);
    flags_unread = !t->name_flag_read + !t->key_spec_read + !t->min_key_size_read + !t->private_key_flag_read;
    if (unchecked < flags_unread || unchecked > flags_unread + 1 ||
        (flags_unread == 0 && t->schema_version_read && unchecked != 0))
        broken("the checks not made", NULL); /* the provider's check, undecided only without a CSP */
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->items[i].subject, sa_cert_template_subject(t)) != 0 || f->items[i].server != NULL)
            broken("a finding about something else", f->items[i].code);
        for (size_t k = 0; k < f->items[i].fix.n; k++)
            check_command(&f->items[i].fix, k, t->name);
        if (f->items[i].fix.n == 0 && t->name != NULL && !must_refuse(t->name, SA_SHELL_CMD) &&
            !must_refuse(t->name, SA_SHELL_POWERSHELL) && f->items[i].fix.text != NULL &&
            strncmp(f->items[i].fix.text, "no certutil command", 19) == 0)
            broken("no command for a name both shells carry", t->name);
    }
}

static char *
written(const sa_cert_templates *list, const sa_findings *f, bool json)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    int rc;

    if (m == NULL)
        return NULL;
    rc = json ? sa_cert_templates_report_json(list, f, m)
              : sa_cert_templates_report_text(list, f, SA_SHELL_POWERSHELL, 60, m);
    if (fclose(m) != 0 || rc != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static void
check_reports(const sa_cert_templates *list, const sa_findings *f)
{
    char *text = written(list, f, false), *json = written(list, f, true);
    json_object *root = NULL, *a = NULL, *name = NULL;
    size_t lines = 0;

    for (const unsigned char *p = (const unsigned char *)text; p != NULL && *p != '\0'; p++) {
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
            broken("a control byte in the text section", text);
        lines +=
            p[0] == '\n' && strncmp((const char *)p + 1, "Template", 8) == 0 && (p[9] == ' ' || p[9] == '\n');
    }
    if (text != NULL && lines != 1)
        broken("not one \"Template\" line", text);
    if (json != NULL) {
        root = json_tokener_parse(json);
        if (root == NULL || !json_object_object_get_ex(root, "templates", &a) ||
            json_object_array_length(a) != 1 ||
            !json_object_object_get_ex(json_object_array_get_idx(a, 0), "name", &name))
            broken("the JSON section", json);
        /* JSON is UTF-8: the name's invalid bytes become U+FFFD (jstr) */
        char *want = sa_utf8_valid_dup(list->items[0].name);
        if ((want == NULL) != (name == NULL) ||
            (name != NULL && strcmp(json_object_get_string(name), want) != 0))
            broken("the name in JSON", json);
        free(want);
    }
    json_object_put(root);
    free(text);
    free(json);
}

/* The next NUL-terminated field of data[*at..size) (a copy), or NULL at
 * the end. */
static char *
field(const uint8_t *data, size_t size, size_t *at)
{
    const uint8_t *nul;
    size_t len;
    char *s;

    if (*at >= size)
        return NULL;
    nul = memchr(data + *at, 0, size - *at);
    len = nul ? (size_t)(nul - (data + *at)) : size - *at;
    s = strndup((const char *)data + *at, len);
    *at += len + 1;
    return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sa_cert_templates list = {NULL, 0, 0};
    sa_findings found = {NULL, 0, 0};
    sa_cert_template *t;
    size_t at = 8;
    char *s = NULL;

    if (size < 8 || (t = sa_cert_templates_add(&list)) == NULL)
        return 0;
    t->name_flag_read = data[0] & 1;
    t->private_key_flag_read = data[0] & 2;
    t->min_key_size_read = data[0] & 4;
    t->schema_version_read = data[0] & 8;
    t->key_spec_read = data[0] & 16;
    t->name_flag = data[1] | ((uint32_t)(data[7] & 0xf0) << 24);
    t->private_key_flag = (uint32_t)data[2] << 4;
    t->min_key_size = (int)((unsigned)data[3] << 4 | (data[7] & 0x0f)) * 4;
    t->schema_version = data[4] % 6;
    t->key_spec = data[5] % 4;
    if ((s = field(data, size, &at)) != NULL && *s != '\0' && strlen(s) < ARG_MAX_LEN - 8)
        t->name = s, s = NULL; /* the splitters' limit */
    free(s);
    if ((s = field(data, size, &at)) != NULL && *s != '\0')
        t->display_name = s, s = NULL;
    free(s);
    while ((s = field(data, size, &at)) != NULL) {
        bool ok = strncmp(s, "e:", 2) == 0 ? sa_strv_add(&t->ekus, s + 2) : sa_strv_add(&t->csps, s);
        free(s);
        if (!ok)
            goto out;
    }
    if (!sa_cert_template_check(t, &found))
        goto out;
    check_findings(t, &found);
    check_reports(&list, &found);
out:
    sa_findings_clear(&found);
    sa_cert_templates_clear(&list);
    return 0;
}
