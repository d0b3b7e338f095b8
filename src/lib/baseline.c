/* baseline.c - a previous JSON report read back and compared with the
 * findings of now. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "spnaudit/baseline.h"

/* ------------------------------------------------------------ reading */

/* The whole of path, NUL-terminated, in *text (length *len). */
static sa_status
read_file(const char *path, char **text, size_t *len, sa_error *err)
{
    FILE *f = NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    sa_status ret = SA_ERR_SYSTEM;

    if ((f = fopen(path, "rb")) == NULL) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot read %s: %s", path, strerror(errno));
        goto cleanup;
    }
    for (;;) {
        char *grown = sa_grow(buf, &cap, n + 1, 1, 65536); /* room for the NUL too */
        size_t got;

        if (grown == NULL) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
        buf = grown;
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "cannot read %s: %s", path, strerror(errno ? errno : EIO));
        goto cleanup;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    buf = NULL;
    ret = SA_OK;
cleanup:
    free(buf);
    if (f != NULL)
        fclose(f);
    return ret;
}

/* The string member key of o, or NULL when absent, null or not a string. */
static const char *
member_str(json_object *o, const char *key)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* Is member key of o absent, null or a string? */
static bool
member_str_or_null(json_object *o, const char *key)
{
    json_object *v = NULL;

    return !json_object_object_get_ex(o, key, &v) || v == NULL || json_object_is_type(v, json_type_string);
}

static bool
parse_severity(const char *name, sa_severity *out)
{
    for (sa_severity s = SA_SEV_INFO; name != NULL && s <= SA_SEV_FAILURE; s++) {
        if (strcmp(name, sa_severity_name(s)) == 0) {
            *out = s;
            return true;
        }
    }
    return false;
}

/* Set a text of f from member key of o (absent or null: left NULL). */
static bool
copy_text(json_object *o, const char *key, bool (*set)(sa_finding *, const char *, ...), sa_finding *f)
{
    const char *s = member_str(o, key);

    return s == NULL || set(f, "%s", s);
}

/* An array of OpsMgr event IDs into ev (the first SA_MAX_EVENTS). */
static bool
read_events(json_object *arr, int *ev)
{
    if (!json_object_is_type(arr, json_type_array))
        return false;
    for (size_t k = 0; k < json_object_array_length(arr); k++) {
        json_object *e = json_object_array_get_idx(arr, k);

        if (!json_object_is_type(e, json_type_int) || json_object_get_int64(e) <= 0 ||
            json_object_get_int64(e) > INT32_MAX)
            return false;
        if (k < SA_MAX_EVENTS)
            ev[k] = json_object_get_int(e);
    }
    return true;
}

/* Finding number i (from 1) of the document, appended to b. */
static sa_status
parse_finding(json_object *o, size_t i, sa_baseline *b, sa_error *err)
{
    const char *code = member_str(o, "code"), *subject = member_str(o, "subject");
    const char *sev = member_str(o, "severity");
    json_object *events = NULL;
    int ev[SA_MAX_EVENTS] = {0};
    sa_severity severity;
    sa_finding *f;

    if (!json_object_is_type(o, json_type_object))
        return sa_error_set(err, SA_ERR_USAGE, "%s: finding %zu is not a JSON object", b->file, i);
    if (code == NULL || *code == '\0')
        return sa_error_set(err, SA_ERR_USAGE, "%s: finding %zu has no \"code\"", b->file, i);
    if (subject == NULL)
        return sa_error_set(err, SA_ERR_USAGE, "%s: finding %zu (%s) has no \"subject\"", b->file, i, code);
    if (!parse_severity(sev, &severity))
        return sa_error_set(err, SA_ERR_USAGE,
                            "%s: finding %zu (%s) has no \"severity\" of failure, warning or info", b->file,
                            i, code);
    if (!member_str_or_null(o, "server") || !member_str_or_null(o, "message") ||
        !member_str_or_null(o, "evidence") || !member_str_or_null(o, "fix"))
        return sa_error_set(
            err, SA_ERR_USAGE,
            "%s: finding %zu (%s) has a server, message, evidence or fix that is not a string", b->file, i,
            code);
    if (json_object_object_get_ex(o, "events", &events) && events != NULL && !read_events(events, ev))
        return sa_error_set(err, SA_ERR_USAGE, "%s: finding %zu (%s) has \"events\" that are not event IDs",
                            b->file, i, code);
    if (!sa_strv_add(&b->codes, code))
        return sa_error_nomem(err);
    f = sa_findings_add_raw(&b->findings, b->codes.items[b->codes.n - 1], severity, ev, subject,
                            member_str(o, "server"));
    if (f == NULL || !copy_text(o, "message", sa_finding_message, f) ||
        !copy_text(o, "evidence", sa_finding_evidence, f) || !copy_text(o, "fix", sa_finding_fix, f))
        return sa_error_nomem(err);
    return SA_OK;
}

/* The document of text, checked to be all of it; *doc set on success. */
static sa_status
parse_json(const char *text, size_t len, const char *name, json_object **doc, sa_error *err)
{
    json_tokener *tok = json_tokener_new();
    json_object *o = NULL;
    enum json_tokener_error jerr;
    size_t end;
    sa_status ret = SA_ERR_USAGE;

    if (tok == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    if (len > (size_t)INT32_MAX) {
        ret = sa_error_set(err, SA_ERR_USAGE, "%s: too large for a report", name);
        goto cleanup;
    }
    o = json_tokener_parse_ex(tok, text, (int)len);
    jerr = json_tokener_get_error(tok);
    end = json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue || (o == NULL && jerr == json_tokener_success)) {
        ret = sa_error_set(err, SA_ERR_USAGE, "%s: %s", name,
                           strspn(text, " \t\r\n") == len ? "empty, not a JSON report"
                                                          : "the JSON ends early (a truncated file?)");
        goto cleanup;
    }
    if (jerr != json_tokener_success) {
        ret = sa_error_set(err, SA_ERR_USAGE, "%s: not JSON: %s at byte %zu", name,
                           json_tokener_error_desc(jerr), end);
        goto cleanup;
    }
    if (strspn(text + end, " \t\r\n") != len - end) {
        ret = sa_error_set(err, SA_ERR_USAGE, "%s: not JSON: more data after the document at byte %zu", name,
                           end);
        goto cleanup;
    }
    *doc = o;
    o = NULL;
    ret = SA_OK;
cleanup:
    json_object_put(o);
    if (tok != NULL)
        json_tokener_free(tok);
    return ret;
}

sa_status
sa_baseline_parse(const char *text, size_t len, const char *name, sa_baseline *out, sa_error *err)
{
    json_object *doc = NULL, *v = NULL, *arr = NULL;
    sa_baseline b;
    sa_status ret;

    memset(&b, 0, sizeof(b));
    if ((ret = parse_json(text, len, name, &doc, err)) != SA_OK)
        goto cleanup;
    ret = SA_ERR_USAGE;
    if (!json_object_is_type(doc, json_type_object)) {
        sa_error_set(err, ret, "%s: not a JSON object, so not a report of spnaudit audit --format json",
                     name);
        goto cleanup;
    }
    if (!json_object_object_get_ex(doc, "schema_version", &v)) {
        sa_error_set(err, ret, "%s: no \"schema_version\", so not a report of spnaudit audit --format json",
                     name);
        goto cleanup;
    }
    if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) != 1) {
        sa_error_set(err, ret, "%s: \"schema_version\" is %s; this spnaudit reads reports of version 1", name,
                     v ? json_object_to_json_string(v) : "null");
        goto cleanup;
    }
    if (!json_object_object_get_ex(doc, "findings", &arr) || !json_object_is_type(arr, json_type_array)) {
        sa_error_set(err, ret, "%s: no \"findings\" array, so not a report of spnaudit audit --format json",
                     name);
        goto cleanup;
    }
    if ((b.file = strdup(name)) == NULL ||
        (member_str(doc, "generated") && (b.generated = strdup(member_str(doc, "generated"))) == NULL)) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    b.complete = !json_object_object_get_ex(doc, "complete", &v) || json_object_get_boolean(v);
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        if ((ret = parse_finding(json_object_array_get_idx(arr, i), i + 1, &b, err)) != SA_OK)
            goto cleanup;
    }
    *out = b;
    memset(&b, 0, sizeof(b));
    ret = SA_OK;
cleanup:
    sa_baseline_clear(&b);
    json_object_put(doc);
    return ret;
}

sa_status
sa_baseline_load(const char *path, sa_baseline *out, sa_error *err)
{
    char *text = NULL;
    size_t len = 0;
    sa_status ret = read_file(path, &text, &len, err);

    if (ret == SA_OK)
        ret = sa_baseline_parse(text, len, path, out, err);
    free(text);
    return ret;
}

void
sa_baseline_clear(sa_baseline *b)
{
    sa_findings_clear(&b->findings);
    sa_strv_clear(&b->codes);
    free(b->file);
    free(b->generated);
    b->file = b->generated = NULL;
}

/* ------------------------------------------------------------ comparing */

static int
cmp_str_null_first(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (b == NULL) - (a == NULL);
    return strcasecmp(a, b);
}

/* By identity only. */
static int
identity_cmp(const sa_finding *a, const sa_finding *b)
{
    int c;

    if ((c = strcmp(a->code, b->code)) != 0 || (c = cmp_str_null_first(a->server, b->server)) != 0)
        return c;
    return strcasecmp(a->subject, b->subject);
}

/* By identity, then by place in the list: equal identities pair up in order. */
static int
cmp_identity(const void *pa, const void *pb)
{
    const sa_finding *a = *(const sa_finding *const *)pa, *b = *(const sa_finding *const *)pb;
    int c = identity_cmp(a, b);

    if (c != 0)
        return c;
    return a < b ? -1 : a > b;
}

static bool
copy_finding(sa_findings *to, const sa_finding *f)
{
    int ev[SA_MAX_EVENTS] = {0};
    sa_finding *c;

    memcpy(ev, f->events, f->n_events * sizeof(ev[0]));
    c = sa_findings_add_raw(to, f->code, f->severity, ev, f->subject, f->server);
    return c != NULL && (f->message == NULL || sa_finding_message(c, "%s", f->message)) &&
           (f->evidence == NULL || sa_finding_evidence(c, "%s", f->evidence)) &&
           (f->fix == NULL || sa_finding_fix(c, "%s", f->fix));
}

sa_status
sa_baseline_compare(const sa_findings *baseline, sa_findings *current, sa_findings *fixed, sa_error *err)
{
    const sa_finding **old = sa_findings_view(baseline, cmp_identity),
                     **now = sa_findings_view(current, cmp_identity);
    bool *gone = calloc(baseline->n + 1, sizeof(*gone));
    size_t i = 0, j = 0;
    sa_status ret = SA_ERR_SYSTEM;

    if (old == NULL || now == NULL || gone == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    while (i < baseline->n || j < current->n) {
        int c = i == baseline->n ? 1 : j == current->n ? -1 : identity_cmp(old[i], now[j]);

        if (c < 0) {
            gone[old[i++] - baseline->items] = true;
        } else {
            current->items[now[j] - current->items].change = c > 0 ? SA_CHANGE_NEW : SA_CHANGE_PERSISTING;
            i += c == 0;
            j++;
        }
    }
    for (i = 0; i < baseline->n; i++) {
        if (gone[i] && !copy_finding(fixed, &baseline->items[i])) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
    }
    ret = SA_OK;
cleanup:
    free(gone);
    free(old);
    free(now);
    return ret;
}

size_t
sa_findings_count_change(const sa_findings *list, const char *change)
{
    return sa_findings_count_marked(list, -1, change);
}

int
sa_baseline_exit_status(const sa_findings *current, bool complete)
{
    return sa_findings_exit_status_marked(current, complete, SA_CHANGE_NEW);
}
