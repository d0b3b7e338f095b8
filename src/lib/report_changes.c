/* report_changes.c - what a report covered (its scope and the checks that
 * could not run) and what changed since a baseline, in the audit report
 * and in "spnaudit diff": text and JSON. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const char *const severity_labels[] = {"INFO", "WARNING", "FAILURE"};

/* o when all went well (ok), else NULL (o dropped). */
static json_object *
built(json_object *o, bool ok)
{
    if (ok)
        return o;
    json_object_put(o);
    return NULL;
}

/* ------------------------------------------------------------ scope */

/* The items joined by ", ", or "none": escaped, their own spaces glued
 * (report_wrap.c). */
static void
text_list(FILE *out, const sa_strv *v)
{
    for (size_t i = 0; i < v->n; i++) {
        char *item = text_shown_glued(v->items[i]);
        fprintf(out, "%s%s", i ? ", " : "", item ? item : "(out of memory)");
        free(item);
    }
    if (v->n == 0)
        fputs("none", out);
}

/* head, the list v, then tail, as one line wrapped to width. */
static void
text_list_line(FILE *out, size_t indent, size_t width, const char *head, const sa_strv *v, const char *tail)
{
    char *line = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&line, &len);

    if (m == NULL)
        return;
    fputs(head, m);
    text_list(m, v);
    fputs(tail, m);
    if (fclose(m) == 0)
        text_wrap(out, line, 0, indent, width);
    free(line);
}

void
text_scope(FILE *out, const sa_report_scope *s, size_t asked, size_t spns, size_t width)
{
    char tail[160];
    const char *reach = s->reachability ? "checked" : "not checked";

    text_list_line(out, 2, width, s->domains.n == 1 ? "Scope: domain " : "Scope: domains ", &s->domains,
                   s->forest ? ", and the forest through the Global Catalog" : "");
    text_list_line(out, 4, width, "  management servers: ", &s->servers, "");
    text_list_line(out, 4, width, "  gateways: ", &s->gateways, "");
    /* which tickets were asked for, e.g. "servers (4 of 2519 SPNs; the others not checked)" */
    if (s->tickets != SA_SCOPE_TICKETS_NONE)
        snprintf(tail, sizeof(tail), "; tickets: %s (%zu of %zu SPN%s%s); reachability: %s",
                 sa_scope_tickets_name(s->tickets), asked, spns, spns == 1 ? "" : "s",
                 s->tickets == SA_SCOPE_TICKETS_SERVERS ? "; the others not checked" : "", reach);
    else
        snprintf(tail, sizeof(tail), "; tickets: none (not checked); reachability: %s", reach);
    text_list_line(out, 4, width, "  service classes: ", &s->service_classes, tail);
    for (size_t i = 0; i < s->checks_not_run.n; i++) {
        const sa_check_not_run *c = &s->checks_not_run.items[i];
        text_wrapf(out, 0, 2, width, "Not checked: %s%s%s: %s", c->check, c->server ? " for " : "",
                   c->server ? c->server : "", c->why);
    }
}

json_object *
json_scope(const sa_report_scope *s)
{
    json_object *o = json_object_new_object();
    bool ok = o != NULL && jadd(o, "domains", json_strv(&s->domains), false) &&
              jadd(o, "other_domains", json_strv(&s->other_domains), false) &&
              jadd(o, "forest", json_object_new_boolean(s->forest), false) &&
              jadd(o, "servers", json_strv(&s->servers), false) &&
              jadd(o, "gateways", json_strv(&s->gateways), false) &&
              jadd(o, "service_classes", json_strv(&s->service_classes), false) &&
              jadd(o, "tickets", jstr(sa_scope_tickets_name(s->tickets)), false) &&
              jadd(o, "reachability", json_object_new_boolean(s->reachability), false);

    return built(o, ok);
}

json_object *
json_checks_not_run(const sa_report_scope *s)
{
    json_object *arr = json_object_new_array();
    bool ok = arr != NULL;

    for (size_t i = 0; ok && i < s->checks_not_run.n; i++) {
        const sa_check_not_run *c = &s->checks_not_run.items[i];
        json_object *o = json_object_new_object();

        ok = jappend(arr, built(o, o != NULL && jadd(o, "check", jstr(c->check), false) &&
                                       jadd(o, "server", jstr(c->server), true) &&
                                       jadd(o, "why", jstr(c->why), false)));
    }
    return built(arr, ok);
}

/* ------------------------------------------------------------ changes */

/* The findings of list as a JSON array, each with its reason when it was
 * not compared (old: list is cmp's not_compared; else the findings of
 * now); NULL on out of memory. */
static json_object *
json_findings(const sa_findings *list, const sa_comparison *cmp, bool old)
{
    json_object *arr = json_object_new_array();
    bool ok = arr != NULL;

    for (size_t i = 0; ok && list != NULL && i < list->n; i++)
        ok = jappend(arr, json_finding(&list->items[i], cmp ? sa_comparison_why(cmp, old, i) : NULL));
    return built(arr, ok);
}

static json_object *
json_scope_change(const sa_scope_change *c)
{
    json_object *o = json_object_new_object();
    bool ok = o != NULL && jadd(o, "what", jstr(c->what), false);

    if (c->was != NULL)
        ok = ok && jadd(o, "was", jstr(c->was), false) && jadd(o, "now", jstr(c->now), false);
    else
        ok = ok && jadd(o, "removed", json_strv(&c->removed), false) &&
             jadd(o, "added", json_strv(&c->added), false);
    return built(o, ok);
}

/* {"file", "generated"?, "new", "persisting", "fixed", "not_compared",
 * "not_compared_now", "scope_known", "scope_changes"}. */
static json_object *
json_baseline(const char *file, const char *generated, const sa_findings *findings, const sa_comparison *cmp)
{
    json_object *o = json_object_new_object(), *changes = json_object_new_array();
    bool ok =
        o != NULL && changes != NULL && jadd(o, "file", jstr(file), false) &&
        (generated == NULL || jadd(o, "generated", jstr(generated), false)) &&
        jadd(o, "new", json_object_new_int64((int64_t)sa_findings_count_change(findings, SA_CHANGE_NEW)),
             false) &&
        jadd(o, "persisting",
             json_object_new_int64((int64_t)sa_findings_count_change(findings, SA_CHANGE_PERSISTING)),
             false) &&
        jadd(o, "fixed", json_object_new_int64((int64_t)cmp->fixed.n), false) &&
        jadd(o, "not_compared", json_object_new_int64((int64_t)cmp->not_compared.n), false) &&
        jadd(o, "not_compared_now",
             json_object_new_int64((int64_t)sa_findings_count_change(findings, SA_CHANGE_NOT_COMPARED)),
             false) &&
        jadd(o, "scope_known", json_object_new_boolean(cmp->scope_known), false);

    for (size_t i = 0; ok && i < cmp->scope_changes.n; i++)
        ok = jappend(changes, json_scope_change(&cmp->scope_changes.items[i]));
    return finish(o, ok, "scope_changes", changes);
}

bool
json_add_changes(json_object *root, const char *file, const char *generated, const sa_findings *findings,
                 const sa_comparison *cmp)
{
    return jadd(root, "baseline", json_baseline(file, generated, findings, cmp), false) &&
           jadd(root, "fixed", json_findings(&cmp->fixed, NULL, true), false) &&
           jadd(root, "not_compared", json_findings(&cmp->not_compared, cmp, true), false);
}

/* One line per finding of list whose change is change (NULL: all). */
static void
text_change_list(FILE *out, const char *title, const sa_findings *list, const char *change)
{
    bool first = true;

    for (size_t i = 0; list != NULL && i < list->n; i++) {
        const sa_finding *f = &list->items[i];
        if (change != NULL && (f->change == NULL || strcmp(f->change, change) != 0))
            continue;
        if (first)
            sa_show_printf(out, "%s:\n", title);
        first = false;
        sa_show_printf(out, "  %-7s %s  %s", severity_labels[f->severity], f->code, f->subject);
        if (f->server)
            sa_show_printf(out, " (%s)", f->server);
        fputc('\n', out);
        if (f->message)
            sa_show_printf(out, "          %s\n", f->message);
    }
}

static void
text_scope_changes(FILE *out, const sa_comparison *cmp)
{
    if (!cmp->scope_known) {
        sa_show_printf(out,
                       "Scope: %s does not say what it covered (written by an older spnaudit): findings are "
                       "compared as before, except where the other report's scope rules them out\n",
                       cmp->baseline_scope_known ? "the newer report" : "the baseline");
        return;
    }
    if (cmp->scope_changes.n > 0)
        fputs("Scope changed:\n", out);
    for (size_t i = 0; i < cmp->scope_changes.n; i++) {
        for (int part = 0; part < 2; part++) {
            char *line = sa_scope_change_text(&cmp->scope_changes.items[i], part);
            if (line != NULL)
                sa_show_printf(out, "  %s\n", line);
            free(line);
        }
    }
}

/* One line per reason a finding was not compared, with how many. */
static void
text_not_compared(FILE *out, const sa_comparison *cmp)
{
    for (size_t k = 0; k < cmp->reasons.n; k++) {
        size_t old = 0, now = 0;

        for (size_t i = 0; i < cmp->not_compared.n; i++)
            old += cmp->why_old[i] == k;
        for (size_t j = 0; j < cmp->n_now; j++)
            now += cmp->why_now[j] == k;
        if (k == 0)
            fputs("Not compared:\n", out);
        if (old > 0)
            sa_show_printf(out, "  %zu finding%s of the baseline: %s\n", old, old == 1 ? "" : "s",
                           cmp->reasons.items[k]);
        if (now > 0)
            sa_show_printf(out, "  %zu finding%s now: %s\n", now, now == 1 ? "" : "s", cmp->reasons.items[k]);
    }
}

void
text_changes(FILE *out, const sa_findings *findings, const sa_comparison *cmp)
{
    size_t not_compared = cmp->not_compared.n + sa_findings_count_change(findings, SA_CHANGE_NOT_COMPARED);

    sa_show_printf(out, ": %zu new, %zu fixed, %zu persisting",
                   sa_findings_count_change(findings, SA_CHANGE_NEW), cmp->fixed.n,
                   sa_findings_count_change(findings, SA_CHANGE_PERSISTING));
    if (not_compared > 0)
        sa_show_printf(out, ", %zu not compared", not_compared);
    fputc('\n', out);
    text_scope_changes(out, cmp);
    text_change_list(out, "New", findings, SA_CHANGE_NEW);
    text_change_list(out, "Fixed", &cmp->fixed, NULL);
    text_not_compared(out, cmp);
}

/* ------------------------------------------------------------ diff */

int
sa_diff_report_text(const sa_diff_report *d, FILE *out)
{
    sa_show_printf(out, "Changes from %s", d->old_file);
    if (d->old_generated)
        sa_show_printf(out, " (%s)", d->old_generated);
    sa_show_printf(out, " to %s", d->new_file);
    if (d->new_generated)
        sa_show_printf(out, " (%s)", d->new_generated);
    text_changes(out, d->findings, d->comparison);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

int
sa_diff_report_json(const sa_diff_report *d, FILE *out)
{
    json_object *root = json_object_new_object(), *report = json_object_new_object();
    bool ok = root != NULL && report != NULL && jadd(report, "file", jstr(d->new_file), false) &&
              (d->new_generated == NULL || jadd(report, "generated", jstr(d->new_generated), false));
    int ret = -1;

    ok = ok && jadd(root, "schema_version", json_object_new_int(1), false) &&
         jadd(root, "tool", json_tool(), false) &&
         json_add_changes(root, d->old_file, d->old_generated, d->findings, d->comparison);
    if (ok) {
        ok = jadd(root, "report", report, false); /* jadd drops what it cannot add */
        report = NULL;
    }
    ok = ok && jadd(root, "findings", json_findings(d->findings, d->comparison, false), false);
    if (!ok) {
        errno = ENOMEM;
        goto cleanup;
    }
    ret = write_json(root, out);
cleanup:
    json_object_put(report);
    json_object_put(root);
    return ret;
}
