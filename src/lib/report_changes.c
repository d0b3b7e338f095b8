/* report_changes.c - what a report covered (its scope and the checks that
 * could not run) and what changed since a baseline, in the audit report
 * and in "spnaudit diff": text and JSON. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const char *const severity_labels[] = {"INFO", "WARNING", "FAILURE"};

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
    /* said only when checked: audit --cert-ca-file */
    const char *certs = s->certificates ? "; certificates: checked" : "";

    text_list_line(out, 2, width, s->domains.n == 1 ? "Scope: domain " : "Scope: domains ", &s->domains,
                   s->forest ? ", and the forest through the Global Catalog" : "");
    text_list_line(out, 4, width, "  management servers: ", &s->servers, "");
    text_list_line(out, 4, width, "  gateways: ", &s->gateways, "");
    /* which tickets were asked for, e.g. "servers (4 of 2519 SPNs; the others not checked)" */
    if (s->tickets != SA_SCOPE_TICKETS_NONE)
        snprintf(tail, sizeof(tail), "; tickets: %s (%zu of %zu SPN%s%s); reachability: %s%s",
                 sa_scope_tickets_name(s->tickets), asked, spns, spns == 1 ? "" : "s",
                 s->tickets == SA_SCOPE_TICKETS_SERVERS ? "; the others not checked" : "", reach, certs);
    else
        snprintf(tail, sizeof(tail), "; tickets: none (not checked); reachability: %s%s", reach, certs);
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
              jadd(o, "reachability", json_object_new_boolean(s->reachability), false) &&
              jadd(o, "certificates", json_object_new_boolean(s->certificates), false);

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
json_object *
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

/* One line per finding of list whose change is change (NULL: all), with
 * its message (and its fix for *fixes, when not NULL), wrapped to width. */
static void
text_change_list(FILE *out, const char *title, const sa_findings *list, const char *change, size_t width,
                 const sa_shell *fixes)
{
    bool first = true;

    for (size_t i = 0; list != NULL && i < list->n; i++) {
        const sa_finding *f = &list->items[i];
        if (change != NULL && (f->change == NULL || strcmp(f->change, change) != 0))
            continue;
        if (first)
            sa_show_printf(out, "%s:\n", title);
        first = false;
        if (f->server)
            text_wrapf(out, 0, 12, width, "  %-7s %s  %s (%s)", severity_labels[f->severity], f->code,
                       f->subject, f->server);
        else
            text_wrapf(out, 0, 12, width, "  %-7s %s  %s", severity_labels[f->severity], f->code, f->subject);
        text_message(out, f, width);
        if (fixes != NULL)
            text_fix_wrapped(out, "          ", "fix", &f->fix, *fixes, f->fix_text_shown, width);
    }
}

/* shown (escaped, values glued) after head, wrapped with indent 4. */
static void
text_item(FILE *out, const char *head, const char *shown, size_t width)
{
    char *line = sa_strdup_printf("%s%s", head, shown ? shown : "(out of memory)");

    text_wrap(out, line ? line : "  (out of memory)", 0, 4, width);
    free(line);
}

static void
text_scope_changes(FILE *out, const sa_comparison *cmp, size_t width)
{
    if (!cmp->scope_known) {
        text_wrapf(out, 0, 2, width,
                   "Scope: %s does not say what it covered (written by an older spnaudit): findings are "
                   "compared as before, except where the other report's scope rules them out",
                   cmp->baseline_scope_known ? "the newer report" : "the baseline");
        return;
    }
    if (cmp->scope_changes.n > 0)
        fputs("Scope changed:\n", out);
    for (size_t i = 0; i < cmp->scope_changes.n; i++) {
        for (int part = 0; part < 2; part++) {
            char *line = sa_scope_change_text(&cmp->scope_changes.items[i], part, true);
            if (line != NULL)
                text_item(out, "  ", line, width);
            free(line);
        }
    }
}

/* One line per reason a finding was not compared, with how many. */
static void
text_not_compared(FILE *out, const sa_comparison *cmp, size_t width)
{
    for (size_t k = 0; k < cmp->reasons.n; k++) {
        const char *shown = k < cmp->reasons_shown.n ? cmp->reasons_shown.items[k] : NULL;
        size_t old = 0, now = 0;
        char head[64];

        for (size_t i = 0; i < cmp->not_compared.n; i++)
            old += cmp->why_old[i] == k;
        for (size_t j = 0; j < cmp->n_now; j++)
            now += cmp->why_now[j] == k;
        if (k == 0)
            fputs("Not compared:\n", out);
        snprintf(head, sizeof(head), "  %zu finding%s of the baseline: ", old, old == 1 ? "" : "s");
        if (old > 0)
            text_item(out, head, shown, width);
        snprintf(head, sizeof(head), "  %zu finding%s now: ", now, now == 1 ? "" : "s");
        if (now > 0)
            text_item(out, head, shown, width);
    }
}

void
text_changes(FILE *out, const char *head, const sa_findings *findings, const sa_comparison *cmp, size_t width,
             const sa_shell *fixes)
{
    size_t not_compared = cmp->not_compared.n + sa_findings_count_change(findings, SA_CHANGE_NOT_COMPARED);
    char counts[160], *line;

    snprintf(counts, sizeof(counts), ": %zu new, %zu fixed, %zu persisting",
             sa_findings_count_change(findings, SA_CHANGE_NEW), cmp->fixed.n,
             sa_findings_count_change(findings, SA_CHANGE_PERSISTING));
    if (not_compared > 0)
        snprintf(counts + strlen(counts), sizeof(counts) - strlen(counts), ", %zu not compared",
                 not_compared);
    line = sa_strdup_printf("%s%s", head ? head : "Changes (out of memory)", counts);
    text_wrap(out, line ? line : "Changes (out of memory)", 0, 2, width);
    free(line);
    text_scope_changes(out, cmp, width);
    text_change_list(out, "New", findings, SA_CHANGE_NEW, width, fixes);
    text_change_list(out, "Fixed", &cmp->fixed, NULL, width, NULL);
    text_not_compared(out, cmp, width);
}

/* A report's name as a heading shows it: "FILE (GENERATED)", escaped and
 * glued (malloc'd; NULL on out of memory). */
static char *
text_dated(const char *file, const char *generated)
{
    char *f = text_shown_glued(file), *g = generated ? text_shown_glued(generated) : NULL, *name = NULL;

    if (f != NULL && (generated == NULL || g != NULL))
        name = g ? sa_strdup_printf("%s (%s)", f, g) : strdup(f);
    free(f);
    free(g);
    return name;
}

/* ------------------------------------------------------------ diff */

int
sa_diff_report_text(const sa_diff_report *d, FILE *out)
{
    char *was = text_dated(d->old_file, d->old_generated), *now = text_dated(d->new_file, d->new_generated);
    char *head = was && now ? sa_strdup_printf("Changes from %s to %s", was, now) : NULL;

    text_changes(out, head, d->findings, d->comparison, d->width > 0 ? (size_t)d->width : 80, &d->fix_shell);
    free(head);
    free(was);
    free(now);
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
