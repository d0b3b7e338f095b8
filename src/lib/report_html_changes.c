/* report_html_changes.c - the HTML audit report's last sections: what
 * changed since the baseline, and the scope of the run (what was checked,
 * and what was not: never shown as a failure, nor as clean). */
#include <stdlib.h>
#include <string.h>

#include "html_internal.h"
#include "report_internal.h"

/* ------------------------------------------------------------ changes */

/* The findings of list whose change is change (NULL: all), under title. */
static void
change_list(xmlNodePtr sec, const char *title, const sa_findings *list, const char *change)
{
    xmlNodePtr ul = NULL;

    for (size_t i = 0; list != NULL && i < list->n; i++) {
        const sa_finding *f = &list->items[i];
        if (change != NULL && (f->change == NULL || strcmp(f->change, change) != 0))
            continue;
        if (ul == NULL) {
            html_el(sec, "h3", NULL, title);
            ul = html_el(sec, "ul", "v changes", NULL);
        }
        html_finding_item(ul, f);
    }
}

static void
scope_changes(xmlNodePtr sec, const sa_comparison *cmp)
{
    xmlNodePtr ul = NULL;

    if (!cmp->scope_known) {
        html_showf(sec, "p", "not-checked",
                   "Scope: %s does not say what it covered (written by an older spnaudit): findings are "
                   "compared as before, except where the other report's scope rules them out.",
                   cmp->baseline_scope_known ? "this report" : "the baseline");
        return;
    }
    for (size_t i = 0; i < cmp->scope_changes.n; i++) {
        for (int part = 0; part < 2; part++) {
            char *line = sa_scope_change_text(&cmp->scope_changes.items[i], part, false);
            if (line != NULL && ul == NULL) {
                html_el(sec, "h3", NULL, "Scope changed");
                ul = html_el(sec, "ul", NULL, NULL);
            }
            if (line != NULL)
                html_value_el(ul, "li", NULL, line);
            free(line);
        }
    }
}

/* Per reason a finding was not compared: how many, of the baseline and
 * now. */
static void
not_compared(xmlNodePtr sec, const sa_comparison *cmp)
{
    xmlNodePtr ul = NULL;

    for (size_t k = 0; k < cmp->reasons.n; k++) {
        size_t old = 0, now = 0;

        for (size_t i = 0; i < cmp->not_compared.n; i++)
            old += cmp->why_old[i] == k;
        for (size_t j = 0; j < cmp->n_now; j++)
            now += cmp->why_now[j] == k;
        if (ul == NULL) {
            html_el(sec, "h3", NULL, "Not compared");
            ul = html_el(sec, "ul", "not-checked", NULL);
        }
        html_showf(ul, "li", NULL, "%zu of the baseline, %zu now: %s", old, now, cmp->reasons.items[k]);
    }
}

void
html_changes(xmlNodePtr body, const sa_report *r)
{
    const sa_comparison *cmp = r->comparison;
    xmlNodePtr sec;
    size_t nc;

    if (r->baseline_file == NULL || cmp == NULL)
        return;
    nc = cmp->not_compared.n + sa_findings_count_change(r->findings, SA_CHANGE_NOT_COMPARED);
    sec = html_el(body, "section", "changes", NULL);
    html_el(sec, "h2", NULL, "Changes since the baseline");
    html_showf(sec, "p", NULL, "Baseline %s%s%s%s: %zu new, %zu fixed, %zu persisting, %zu not compared",
               r->baseline_file, r->baseline_generated ? " (" : "",
               r->baseline_generated ? r->baseline_generated : "", r->baseline_generated ? ")" : "",
               sa_findings_count_change(r->findings, SA_CHANGE_NEW), cmp->fixed.n,
               sa_findings_count_change(r->findings, SA_CHANGE_PERSISTING), nc);
    scope_changes(sec, cmp);
    change_list(sec, "New", r->findings, SA_CHANGE_NEW);
    change_list(sec, "Fixed", &cmp->fixed, NULL);
    not_compared(sec, cmp);
}

/* ------------------------------------------------------------ scope */

/* A row of the scope's table: what, then the items of v (or none). */
static void
list_row(xmlNodePtr table, const char *what, const sa_strv *v)
{
    xmlNodePtr tr = html_row(table, NULL), td;

    html_el(tr, "th", NULL, what);
    td = html_el(tr, "td", "v", v->n == 0 ? "none" : NULL);
    for (size_t i = 0; i < v->n; i++) {
        html_words(td, i ? ", " : NULL);
        html_value(td, v->items[i]);
    }
}

/* A row that says checked (how) or not checked (in its own style); in an
 * audit that did not finish (!complete), what was to be checked is only
 * asked for. */
static void
checked_row(xmlNodePtr table, const char *what, bool checked, const char *how, bool complete)
{
    xmlNodePtr tr = html_row(table, NULL);

    html_el(tr, "th", NULL, what);
    if (checked && !complete)
        html_showf(tr, "td", "not-checked", "%s, asked; the audit did not finish", how);
    else
        html_cell(tr, checked ? "checked" : "not-checked", checked ? how : "not checked");
}

static void
scope_table(xmlNodePtr sec, const sa_report *r, const sa_report_scope *s)
{
    xmlNodePtr table = html_el(sec, "table", "scope", NULL);
    char tickets[160];
    size_t asked = r->tickets ? r->tickets->n : 0, spns = count_spns(r->accounts);

    list_row(table, "Domains audited", &s->domains);
    if (s->other_domains.n > 0)
        list_row(table, "Read for duplicates", &s->other_domains);
    checked_row(table, "Forest (Global Catalog)", s->forest, "read", r->complete);
    list_row(table, "Management servers", &s->servers);
    list_row(table, "Gateways", &s->gateways);
    list_row(table, "Service classes", &s->service_classes);
    snprintf(tickets, sizeof(tickets), "%s: %zu of %zu SPN%s%s", sa_scope_tickets_name(s->tickets), asked,
             spns, spns == 1 ? "" : "s",
             s->tickets == SA_SCOPE_TICKETS_SERVERS ? " (the others not checked)" : "");
    checked_row(table, "Service tickets", s->tickets != SA_SCOPE_TICKETS_NONE, tickets, r->complete);
    checked_row(table, "Reachability (DNS, TCP 5723)", s->reachability, "checked", r->complete);
    checked_row(table, "Published certificates", s->certificates, "checked", r->complete);
}

void
html_scope(xmlNodePtr body, const sa_report *r)
{
    const sa_report_scope *s = r->scope;
    xmlNodePtr sec = html_el(body, "section", "scope", NULL), ul;

    html_el(sec, "h2", NULL, "Scope of the run");
    html_el(sec, "p", NULL,
            "A verdict comes only from data that was read: what was not checked is neither a failure nor "
            "clean.");
    if (s == NULL) {
        html_el(sec, "p", "not-checked", "This run does not say what it covered.");
        return;
    }
    scope_table(sec, r, s);
    html_el(sec, "h3", NULL, "Not checked");
    if (!r->complete)
        html_showf(sec, "p", "not-checked",
                   "The audit did not finish (%s): what it did not read is not checked.",
                   r->incomplete_reason ? r->incomplete_reason : "no reason given");
    if (s->checks_not_run.n == 0 && r->complete) {
        html_el(sec, "p", NULL, "Every check of the scope above ran.");
        return;
    }
    ul = s->checks_not_run.n > 0 ? html_el(sec, "ul", "not-checked", NULL) : NULL;
    for (size_t i = 0; i < s->checks_not_run.n; i++) {
        const sa_check_not_run *c = &s->checks_not_run.items[i];
        html_showf(ul, "li", NULL, "%s%s%s: %s", c->check, c->server ? " for " : "",
                   c->server ? c->server : "", c->why);
    }
}
