/* report_template.c - the certificate templates of the directory as
 * checked for OpsMgr (cert_template.h): a text section (each template,
 * its verdict, what was read of it, the checks not made, its findings)
 * and a JSON array for cert's report. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "spnaudit/report_cert.h"

/* The template findings of list about t, as a list borrowing them (free
 * only its items); false on out of memory. */
static bool
findings_of(const sa_findings *list, const sa_cert_template *t, sa_findings *view)
{
    const char *subject = sa_cert_template_subject(t);

    memset(view, 0, sizeof(*view));
    if (list == NULL || list->n == 0)
        return true;
    if ((view->items = calloc(list->n, sizeof(*view->items))) == NULL)
        return false;
    view->cap = list->n;
    for (size_t i = 0; i < list->n; i++) {
        const sa_finding *f = &list->items[i];
        if (strncmp(f->code, "TEMPLATE_", 9) == 0 && strcmp(f->subject, subject) == 0)
            view->items[view->n++] = *f;
    }
    return true;
}

static const char *
verdict_key(sa_template_verdict v)
{
    return v == SA_TEMPLATE_USABLE ? "usable" : v == SA_TEMPLATE_NOT_USABLE ? "not_usable" : "not_checked";
}

/* ------------------------------------------------------------ text */

/* "verdict: ..." with the codes of the failures (the tool's own words,
 * which may be wrapped anywhere). */
static void
text_verdict(FILE *out, const sa_cert_template *t, const sa_findings *mine, size_t width)
{
    sa_template_verdict v = sa_cert_template_verdict(t, mine);
    sa_strv codes = {NULL, 0, 0};
    char *joined = NULL, *line = NULL;
    bool ok = true;

    if (v == SA_TEMPLATE_USABLE) {
        text_wrapf(out, 0, 4, width, "  verdict: OpsMgr can use its certificates");
        return;
    }
    if (v == SA_TEMPLATE_NOT_CHECKED) {
        text_wrapf(out, 0, 4, width, "  verdict: not fully checked (no failure in what was read)");
        return;
    }
    for (size_t i = 0; ok && i < mine->n; i++) {
        if (mine->items[i].severity == SA_SEV_FAILURE)
            ok = sa_strv_add_unique_ci(&codes, mine->items[i].code);
    }
    joined = ok ? sa_strv_join(&codes, ", ") : NULL;
    line = joined ? sa_strdup_printf("  verdict: not for OpsMgr: %s", joined) : NULL;
    text_wrap(out, line ? line : "  verdict: not for OpsMgr (out of memory)", 0, 4, width);
    free(line);
    sa_strv_clear(&codes);
    free(joined);
}

static void
text_read(FILE *out, const sa_cert_template *t, size_t width)
{
    char *ekus = sa_strv_join(&t->ekus, ", "), *csps = sa_strv_join(&t->csps, "; ");
    char schema[24] = "not read", spec[40] = "not read", size[24] = "not read";
    char name_flag[24] = "not read", key_flag[24] = "not read";

    if (t->schema_version_read)
        snprintf(schema, sizeof(schema), "%d", t->schema_version);
    if (t->key_spec_read)
        snprintf(spec, sizeof(spec), "%d%s", t->key_spec,
                 t->key_spec == 1   ? " (AT_KEYEXCHANGE)"
                 : t->key_spec == 2 ? " (AT_SIGNATURE)"
                                    : "");
    if (t->min_key_size_read)
        snprintf(size, sizeof(size), "%d bits", t->min_key_size);
    if (t->name_flag_read)
        snprintf(name_flag, sizeof(name_flag), "0x%08x", t->name_flag);
    if (t->private_key_flag_read)
        snprintf(key_flag, sizeof(key_flag), "0x%08x", t->private_key_flag);
    text_wrapf(out, 0, 4, width, "  enhanced key usage: %s",
               t->ekus.n == 0 ? "(none)"
               : ekus         ? ekus
                              : "(out of memory)");
    text_wrapf(out, 0, 4, width, "  providers: %s",
               t->csps.n == 0 ? "(none listed)"
               : csps         ? csps
                              : "(out of memory)");
    text_wrapf(out, 0, 4, width, "  schema version: %s; key spec: %s; minimum key size: %s", schema, spec,
               size);
    text_wrapf(out, 0, 4, width, "  msPKI-Certificate-Name-Flag: %s; msPKI-Private-Key-Flag: %s", name_flag,
               key_flag);
    free(ekus);
    free(csps);
}

/* One template; false on out of memory. */
static bool
text_template(FILE *out, const sa_cert_template *t, const sa_findings *findings, sa_shell shell, size_t width)
{
    const char *what[SA_TEMPLATE_CHECKS];
    size_t n = sa_cert_template_not_checked(t, what);
    sa_findings mine;

    if (!findings_of(findings, t, &mine))
        return false;
    fputc('\n', out);
    if (t->display_name != NULL)
        text_wrapf(out, 0, 2, width, "Template %s (%s)", sa_cert_template_subject(t), t->display_name);
    else
        text_wrapf(out, 0, 2, width, "Template %s", sa_cert_template_subject(t));
    text_verdict(out, t, &mine, width);
    text_read(out, t, width);
    for (size_t i = 0; i < n; i++) { /* the tool's own words: wrapped anywhere */
        char *line = sa_strdup_printf("  not checked: %s", what[i]);
        text_wrap(out, line ? line : "  not checked: (out of memory)", 0, 4, width);
        free(line);
    }
    for (size_t i = 0; i < mine.n; i++)
        text_finding_under(out, &mine.items[i], shell, width);
    if (mine.n == 0)
        fputs("  OK      no findings\n", out);
    free(mine.items);
    return true;
}

int
sa_cert_templates_report_text(const sa_cert_templates *list, const sa_findings *findings, sa_shell shell,
                              int width, FILE *out)
{
    size_t w = width > 0 ? (size_t)width : 80, usable = 0;
    bool ok = true;

    for (size_t i = 0; i < list->n; i++)
        usable += sa_cert_template_ok(&list->items[i], findings);
    text_wrapf(out, 0, 2, w, "Certificate templates: %zu read, %zu of them for OpsMgr", list->n, usable);
    for (size_t i = 0; ok && i < list->n; i++)
        ok = text_template(out, &list->items[i], findings, shell, w);
    if (!ok) {
        errno = ENOMEM;
        return -1;
    }
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* ------------------------------------------------------------ JSON */

static json_object *
json_read_int(bool read, int64_t value)
{
    return read ? json_object_new_int64(value) : NULL;
}

static json_object *
json_not_checked(const sa_cert_template *t)
{
    const char *what[SA_TEMPLATE_CHECKS];
    size_t n = sa_cert_template_not_checked(t, what);
    json_object *a = json_object_new_array();
    bool ok = a != NULL;

    for (size_t i = 0; ok && i < n; i++)
        ok = jappend(a, jstr(what[i]));
    return built(a, ok);
}

static json_object *
json_template(const sa_cert_template *t, const sa_findings *findings)
{
    json_object *o = NULL;
    sa_findings mine;
    sa_template_verdict v;
    bool ok;

    if (!findings_of(findings, t, &mine))
        return NULL;
    v = sa_cert_template_verdict(t, &mine);
    o = json_object_new_object();
    ok = o != NULL && jadd(o, "name", jstr(t->name), true) &&
         jadd(o, "display_name", jstr(t->display_name), true) &&
         jadd(o, "ekus", json_strv(&t->ekus), false) && jadd(o, "csps", json_strv(&t->csps), false) &&
         jadd(o, "name_flag", json_read_int(t->name_flag_read, t->name_flag), true) &&
         jadd(o, "private_key_flag", json_read_int(t->private_key_flag_read, t->private_key_flag), true) &&
         jadd(o, "min_key_size", json_read_int(t->min_key_size_read, t->min_key_size), true) &&
         jadd(o, "schema_version", json_read_int(t->schema_version_read, t->schema_version), true) &&
         jadd(o, "key_spec", json_read_int(t->key_spec_read, t->key_spec), true) &&
         jadd(o, "usable",
              v == SA_TEMPLATE_NOT_CHECKED ? NULL : json_object_new_boolean(v == SA_TEMPLATE_USABLE), true) &&
         jadd(o, "verdict", jstr(verdict_key(v)), false) &&
         jadd(o, "not_checked", json_not_checked(t), false) &&
         jadd(o, "findings", json_findings(&mine, NULL, false), false);
    free(mine.items);
    return built(o, ok);
}

json_object *
json_templates(const sa_cert_templates *list, const sa_findings *findings)
{
    json_object *a = json_object_new_array();
    bool ok = a != NULL;

    for (size_t i = 0; ok && i < list->n; i++)
        ok = jappend(a, json_template(&list->items[i], findings));
    return built(a, ok);
}

int
sa_cert_templates_report_json(const sa_cert_templates *list, const sa_findings *findings, FILE *out)
{
    json_object *root = json_object_new_object();
    bool ok = root != NULL && jadd(root, "templates", json_templates(list, findings), false);
    int ret = ok ? write_json(root, out) : -1;

    if (!ok)
        errno = ENOMEM;
    json_object_put(root);
    return ret;
}
