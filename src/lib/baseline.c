/* baseline.c - a previous JSON report read back and compared with the
 * findings of now. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "fix_json.h"
#include "spnaudit/baseline.h"
#include "spnaudit/infile.h"

/* ------------------------------------------------------------ reading */

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
    json_object *events = NULL, *fix = NULL;
    int ev[SA_MAX_EVENTS] = {0};
    sa_status ret;
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
        !copy_text(o, "evidence", sa_finding_evidence, f))
        return sa_error_nomem(err);
    json_object_object_get_ex(o, "fix_data", &fix);
    if ((ret = sa_fix_from_json(fix, member_str(o, "fix"), &f->fix)) == SA_ERR_USAGE)
        return sa_error_set(err, ret,
                            "%s: finding %zu (%s) has a \"fix_data\" that is not an object of \"commands\" "
                            "(each a \"program\" and up to %d \"args\", strings) and \"text\"",
                            b->file, i, code, SA_FIX_MAX_ARGS);
    return ret == SA_OK ? SA_OK : sa_error_nomem(err);
}

/* A JSON array of strings appended to v: SA_OK, SA_ERR_USAGE when arr is
 * not one (nothing said), or out of memory. */
static sa_status
read_strings(json_object *arr, sa_strv *v, sa_error *err)
{
    if (!json_object_is_type(arr, json_type_array))
        return SA_ERR_USAGE;
    for (size_t k = 0; k < json_object_array_length(arr); k++) {
        json_object *e = json_object_array_get_idx(arr, k);
        if (!json_object_is_type(e, json_type_string))
            return SA_ERR_USAGE;
        if (!sa_strv_add(v, json_object_get_string(e)))
            return sa_error_nomem(err);
    }
    return SA_OK;
}

/* The member key of o when it is of type t, else NULL. */
static json_object *
member_of(json_object *o, const char *key, json_type t)
{
    json_object *v = NULL;

    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, t) ? v : NULL;
}

/* "checks_not_run", when the report has it, into b->scope. */
static sa_status
parse_checks_not_run(json_object *doc, sa_baseline *b, sa_error *err)
{
    json_object *arr = NULL;
    bool ok;

    if (!json_object_object_get_ex(doc, "checks_not_run", &arr) || arr == NULL)
        return SA_OK;
    ok = json_object_is_type(arr, json_type_array);
    for (size_t i = 0; ok && i < json_object_array_length(arr); i++) {
        json_object *c = json_object_array_get_idx(arr, i);
        const char *check = member_str(c, "check"), *why = member_str(c, "why");

        ok = check != NULL && why != NULL && member_str_or_null(c, "server");
        if (ok && !sa_checks_not_run_add(&b->scope.checks_not_run, check, member_str(c, "server"), why))
            return sa_error_nomem(err);
    }
    if (ok)
        return SA_OK;
    return sa_error_set(err, SA_ERR_USAGE,
                        "%s: \"checks_not_run\" is not a list of objects with a check, a server and why",
                        b->file);
}

/* "scope", when the report has it (reports of older versions do not),
 * into b->scope. */
static sa_status
parse_scope(json_object *doc, sa_baseline *b, sa_error *err)
{
    static const struct {
        const char *key;
        size_t offset;
    } lists[] = {
        {"domains", offsetof(sa_report_scope, domains)},
        {"other_domains", offsetof(sa_report_scope, other_domains)},
        {"servers", offsetof(sa_report_scope, servers)},
        {"gateways", offsetof(sa_report_scope, gateways)},
        {"service_classes", offsetof(sa_report_scope, service_classes)},
    };
    json_object *o = NULL, *forest, *reach, *certs;
    sa_status ret;

    if (!json_object_object_get_ex(doc, "scope", &o) || o == NULL)
        return parse_checks_not_run(doc, b, err);
    if (!json_object_is_type(o, json_type_object))
        return sa_error_set(err, SA_ERR_USAGE, "%s: \"scope\" is not an object", b->file);
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        sa_strv *v = (sa_strv *)(void *)((char *)&b->scope + lists[i].offset);
        json_object *arr = member_of(o, lists[i].key, json_type_array);

        if ((ret = arr ? read_strings(arr, v, err) : SA_ERR_USAGE) == SA_ERR_USAGE)
            return sa_error_set(err, ret, "%s: \"scope\" has no \"%s\" list of names", b->file, lists[i].key);
        if (ret != SA_OK)
            return ret;
    }
    forest = member_of(o, "forest", json_type_boolean);
    reach = member_of(o, "reachability", json_type_boolean);
    if (forest == NULL || reach == NULL ||
        !sa_scope_tickets_parse(member_str(o, "tickets"), &b->scope.tickets))
        return sa_error_set(err, SA_ERR_USAGE,
                            "%s: \"scope\" lacks \"forest\" or \"reachability\" (booleans) or \"tickets\" "
                            "(all, servers or none)",
                            b->file);
    b->scope.forest = json_object_get_boolean(forest);
    b->scope.reachability = json_object_get_boolean(reach);
    /* absent in the reports of older versions: they checked none */
    certs = member_of(o, "certificates", json_type_boolean);
    b->scope.certificates = certs != NULL && json_object_get_boolean(certs);
    b->scope.known = true;
    return parse_checks_not_run(doc, b, err);
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
    if ((ret = parse_scope(doc, &b, err)) != SA_OK)
        goto cleanup;
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
    sa_status ret = sa_infile_read(path, SA_INFILE_REPORT, &text, &len, err);

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
    sa_report_scope_clear(&b->scope);
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

/* By what was found: code, then subject. */
static int
found_cmp(const sa_finding *a, const sa_finding *b)
{
    int c = strcmp(a->code, b->code);

    return c != 0 ? c : strcasecmp(a->subject, b->subject);
}

/* By code, subject, server (none first), then by place in the list:
 * equal identities pair up in order. */
static int
cmp_identity(const void *pa, const void *pb)
{
    const sa_finding *a = *(const sa_finding *const *)pa, *b = *(const sa_finding *const *)pb;
    int c = found_cmp(a, b);

    if (c == 0)
        c = cmp_str_null_first(a->server, b->server);
    if (c != 0)
        return c;
    return a < b ? -1 : a > b;
}

/* A pairing of the findings of two lists. */
typedef struct pairing {
    const sa_findings *old_list, *now_list;
    const sa_finding **old, **now; /* the lists in cmp_identity's order */
    bool *old_paired, *now_paired; /* by place in the lists */
} pairing;

#define OLD_PAIRED(p, i) ((p)->old_paired[(p)->old[i] - (p)->old_list->items])
#define NOW_PAIRED(p, j) ((p)->now_paired[(p)->now[j] - (p)->now_list->items])

/* Pair, in order, the unpaired findings of old[i0, i1) filed under no
 * server with the unpaired ones of now[j0, j1) filed under one (with
 * old_unfiled; else the other way round). */
static void
pair_unfiled(pairing *p, size_t i0, size_t i1, size_t j0, size_t j1, bool old_unfiled)
{
    size_t i = i0, j = j0;

    for (;;) {
        while (i < i1 && (OLD_PAIRED(p, i) || (p->old[i]->server == NULL) != old_unfiled))
            i++;
        while (j < j1 && (NOW_PAIRED(p, j) || (p->now[j]->server == NULL) == old_unfiled))
            j++;
        if (i == i1 || j == j1)
            return;
        OLD_PAIRED(p, i) = NOW_PAIRED(p, j) = true;
    }
}

/* Pair the findings of one code and subject, old[i0, i1) and now[j0,
 * j1): first those of the same server (or both of none), then one of no
 * server with one of a server. */
static void
pair_group(pairing *p, size_t i0, size_t i1, size_t j0, size_t j1)
{
    for (size_t i = i0, j = j0; i < i1 && j < j1;) {
        int c = cmp_str_null_first(p->old[i]->server, p->now[j]->server);

        if (c == 0)
            OLD_PAIRED(p, i) = NOW_PAIRED(p, j) = true;
        i += c <= 0;
        j += c >= 0;
    }
    pair_unfiled(p, i0, i1, j0, j1, true);
    pair_unfiled(p, i0, i1, j0, j1, false);
}

static void
pair_all(pairing *p)
{
    size_t n = p->old_list->n, m = p->now_list->n, i = 0, j = 0;

    while (i < n || j < m) {
        int c = i == n ? 1 : j == m ? -1 : found_cmp(p->old[i], p->now[j]);
        size_t i1 = i, j1 = j;

        while (c <= 0 && i1 < n && found_cmp(p->old[i1], p->old[i]) == 0)
            i1++;
        while (c >= 0 && j1 < m && found_cmp(p->now[j1], p->now[j]) == 0)
            j1++;
        if (c == 0)
            pair_group(p, i, i1, j, j1);
        i = i1;
        j = j1;
    }
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
           sa_fix_copy(&c->fix, &f->fix);
}

/* Why f, absent from the report of coverage other, is not compared: its
 * reason's place in out->reasons, or SA_NO_REASON when other covered it.
 * from: the scope of f's report.  SA_NO_REASON too on out of memory
 * (*nomem set). */
static size_t
reason_for(sa_comparison *out, sa_coverage other, const sa_report_scope *from, const sa_finding *f,
           const char *when, bool *nomem)
{
    static const sa_report_scope unknown;
    sa_why why = {NULL, NULL};
    size_t k = 0;

    if (!sa_scope_covers(other.scope ? other.scope : &unknown, other.complete, from, f, when, &why)) {
        *nomem = true;
        return SA_NO_REASON;
    }
    if (why.text == NULL)
        return SA_NO_REASON;
    while (k < out->reasons.n && strcmp(out->reasons.items[k], why.text) != 0)
        k++;
    if (k == out->reasons.n &&
        (!sa_strv_add(&out->reasons_shown, why.shown) || !sa_strv_add(&out->reasons, why.text))) {
        *nomem = true;
        k = SA_NO_REASON;
    }
    sa_why_clear(&why);
    return k;
}

/* The findings of now: persisting when paired, else new or not
 * compared; false on out of memory. */
static bool
mark_now(const pairing *p, sa_findings *current, sa_coverage was, sa_coverage now, sa_comparison *out)
{
    bool nomem = false;

    for (size_t j = 0; j < current->n && !nomem; j++) {
        sa_finding *f = &current->items[j];

        out->why_now[j] =
            p->now_paired[j] ? SA_NO_REASON : reason_for(out, was, now.scope, f, "in the baseline", &nomem);
        f->change = p->now_paired[j]                  ? SA_CHANGE_PERSISTING
                    : out->why_now[j] == SA_NO_REASON ? SA_CHANGE_NEW
                                                      : SA_CHANGE_NOT_COMPARED;
    }
    return !nomem;
}

/* The baseline's findings absent now: fixed or not compared. */
static bool
sort_gone(const pairing *p, const sa_findings *baseline, sa_coverage was, sa_coverage now, sa_comparison *out)
{
    bool nomem = false;

    for (size_t i = 0; i < baseline->n && !nomem; i++) {
        const sa_finding *f = &baseline->items[i];
        size_t why;

        if (p->old_paired[i])
            continue;
        why = reason_for(out, now, was.scope, f, "now", &nomem);
        if (why != SA_NO_REASON)
            out->why_old[out->not_compared.n] = why;
        if (!nomem && !copy_finding(why == SA_NO_REASON ? &out->fixed : &out->not_compared, f))
            nomem = true;
    }
    return !nomem;
}

sa_status
sa_baseline_compare(const sa_findings *baseline, sa_coverage was, sa_findings *current, sa_coverage now,
                    sa_comparison *out, sa_error *err)
{
    pairing p = {baseline,
                 current,
                 sa_findings_view(baseline, cmp_identity),
                 sa_findings_view(current, cmp_identity),
                 calloc(baseline->n + 1, sizeof(bool)),
                 calloc(current->n + 1, sizeof(bool))};
    sa_status ret = SA_ERR_SYSTEM;

    out->why_now = calloc(current->n + 1, sizeof(*out->why_now));
    out->why_old = calloc(baseline->n + 1, sizeof(*out->why_old));
    out->n_now = current->n;
    out->baseline_scope_known = was.scope != NULL && was.scope->known;
    out->scope_known = out->baseline_scope_known && now.scope != NULL && now.scope->known;
    if (p.old == NULL || p.now == NULL || p.old_paired == NULL || p.now_paired == NULL ||
        out->why_now == NULL || out->why_old == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    pair_all(&p);
    if (!mark_now(&p, current, was, now, out) || !sort_gone(&p, baseline, was, now, out) ||
        (out->scope_known && !sa_scope_diff(was.scope, now.scope, &out->scope_changes))) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    ret = SA_OK;
cleanup:
    free(p.old_paired);
    free(p.now_paired);
    free(p.old);
    free(p.now);
    return ret;
}

void
sa_comparison_clear(sa_comparison *c)
{
    sa_findings_clear(&c->fixed);
    sa_findings_clear(&c->not_compared);
    sa_strv_clear(&c->reasons);
    sa_strv_clear(&c->reasons_shown);
    sa_scope_changes_clear(&c->scope_changes);
    free(c->why_old);
    free(c->why_now);
    memset(c, 0, sizeof(*c));
}

const char *
sa_comparison_why(const sa_comparison *c, bool old, size_t i)
{
    size_t k = SA_NO_REASON;

    if (old && i < c->not_compared.n)
        k = c->why_old[i];
    else if (!old && i < c->n_now)
        k = c->why_now[i];
    return k < c->reasons.n ? c->reasons.items[k] : NULL;
}

sa_coverage
sa_baseline_coverage(const sa_baseline *b)
{
    sa_coverage c = {&b->scope, b->complete};

    return c;
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
