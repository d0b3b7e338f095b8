/* report_html_trusts.c - "spnaudit trusts" and "spnaudit plan" as one HTML
 * page each: the trusts, the trust map (inline SVG, sanitised), and the
 * verdict for the agents of each domain with its commands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "html_internal.h"
#include "report_internal.h"
#include "spnaudit/report_html.h"
#include "spnaudit/secdesc.h"

/* ------------------------------------------------------------ shared */

/* How the map's errors begin (trust_map.c): not said twice on the page. */
#define NOT_DRAWN "the trust map is not drawn: "

static const char *
without_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0 ? s + strlen(prefix) : s;
}

/* The trust map: the drawing, or why there is none. */
static void
html_map(xmlNodePtr body, const char *svg, const char *why)
{
    xmlNodePtr sec = html_el(body, "section", "map", NULL), fig;
    const char *bad = NULL;

    html_el(sec, "h2", NULL, "Trust map");
    fig = html_el(sec, "figure", "map", NULL);
    if (svg != NULL && html_svg_import(fig, svg, &bad) != NULL) {
        html_el(fig, "figcaption", NULL, "The domains and their trusts, as read.");
        return;
    }
    if (svg != NULL)
        html_showf(fig, "p", "placeholder", "The trust map could not be shown: %s.", bad ? bad : "?");
    else
        html_showf(fig, "p", "placeholder", "The trust map was not drawn%s%s.", why ? ": " : "",
                   why ? without_prefix(why, NOT_DRAWN) : "");
}

/* A verdict as a cell or a span: its words, in its colour. */
static xmlNodePtr
verdict_el(xmlNodePtr parent, const char *name, sa_verdict_kind k, const char *words)
{
    char cls[40];

    snprintf(cls, sizeof(cls), "verdict %s", sa_verdict_kind_name(k));
    return html_el(parent, name, cls, words);
}

static void
html_verdict_events(xmlNodePtr parent, const sa_verdict *v)
{
    xmlNodePtr p = html_el(parent, "p", "events", "OpsMgr events: ");

    for (size_t k = 0; k < v->n_events; k++)
        html_showf(p, "span", "event", "%s%d", k ? ", " : "", v->events[k]);
    if (v->n_events == 0)
        html_words(p, "none");
}

/* "Allowed to Authenticate" on each server checked. */
static void
html_acls(xmlNodePtr parent, const sa_server_acls *acls)
{
    xmlNodePtr ul;

    if (acls->n == 0)
        return;
    html_el(parent, "p", NULL, "Allowed to Authenticate on the servers:");
    ul = html_el(parent, "ul", NULL, NULL);
    for (size_t k = 0; k < acls->n; k++) {
        const sa_server_acl *a = &acls->items[k];
        html_showf(ul, "li", a->read ? NULL : "not-checked", "%s: %s", a->server,
                   a->read ? sa_auth_grant_name(a->grant) : "not read");
    }
}

/* A certificates verdict's work, and what --cert-dir found. */
static void
html_cert_work(xmlNodePtr parent, const sa_strv *work, const sa_strv *checked)
{
    const sa_strv *lists[] = {work, checked};
    const char *titles[] = {"Certificates needed:", "Certificates found (--cert-dir):"};

    for (size_t l = 0; l < 2; l++) {
        xmlNodePtr ul;
        if (lists[l]->n == 0)
            continue;
        html_el(parent, "p", NULL, titles[l]);
        ul = html_el(parent, "ul", NULL, NULL);
        for (size_t k = 0; k < lists[l]->n; k++)
            html_value_el(ul, "li", NULL, lists[l]->items[k]);
    }
}

static void
html_not_read(xmlNodePtr parent, const sa_strv *not_read)
{
    xmlNodePtr ul;

    if (not_read->n == 0)
        return;
    html_el(parent, "p", "not-checked", "Not read (no verdict from these):");
    ul = html_el(parent, "ul", "not-checked", NULL);
    for (size_t i = 0; i < not_read->n; i++)
        html_value_el(ul, "li", NULL, not_read->items[i]);
}

static int
finish_page(html_page *page, FILE *out)
{
    int ret = html_page_write(page, out);

    html_page_free(page);
    return ret;
}

/* ------------------------------------------------------------ trusts */

/* The trusts from..to (one domain's). */
static void
trust_table(xmlNodePtr sec, const sa_trusts *trusts, size_t from, size_t to)
{
    static const char *const headings[] = {"Partner",   "NetBIOS",    "Kind",
                                           "Direction", "Transitive", "Attributes"};
    xmlNodePtr table = html_table(sec, "trusts", headings, 6);

    for (size_t i = from; i < to; i++) {
        const sa_trust *t = &trusts->items[i];
        char *attrs = sa_trust_attributes_text(t->attributes);
        xmlNodePtr tr = html_row(table, NULL);
        html_value_cell(tr, "v", t->partner);
        html_value_cell(tr, "v", t->flat);
        html_cell(tr, NULL, sa_trust_kind_name(sa_trust_classify(t)));
        html_cell(tr, NULL, sa_trust_direction_name(t->direction));
        html_cell(tr, NULL, sa_trust_transitive(t) ? "yes" : "no");
        html_cell(tr, NULL, attrs ? attrs : "?");
        free(attrs);
    }
}

/* The trusts from the first on, a table per domain holding them, each
 * under "Trusts of DOMAIN" and tail. */
static void
trust_groups(xmlNodePtr sec, const sa_trusts *trusts, size_t first, const char *tail)
{
    for (size_t i = first, j; i < trusts->n; i = j) {
        for (j = i + 1; j < trusts->n && strcasecmp(trusts->items[j].domain, trusts->items[i].domain) == 0;)
            j++;
        html_showf(sec, "h3", NULL, "Trusts of %s%s", trusts->items[i].domain, tail);
        trust_table(sec, trusts, i, j);
    }
}

static void
html_trusts(xmlNodePtr body, const sa_trust_run *r)
{
    xmlNodePtr sec = html_el(body, "section", "trusts", NULL), p;

    html_el(sec, "h2", NULL, "Trusts");
    html_showf(sec, "h3", NULL, "Trusts of %s (read from %s)", r->home, r->uri);
    if (r->n_home == 0)
        html_el(sec, "p", NULL, "none");
    else
        trust_table(sec, &r->trusts, 0, r->n_home);
    trust_groups(sec, &r->trusts, r->n_home, ", as it sees them");
    html_not_read(sec, &r->not_read);
    p = html_el(sec, "p", NULL, "Domains of the forests read (Partitions): ");
    for (size_t i = 0; i < r->forest.n; i++) {
        html_words(p, i ? ", " : NULL);
        html_value_el(p, "span", "v", r->forest.items[i]);
    }
    if (r->forest.n == 0)
        html_words(p, "none");
}

static void
html_trust_row(xmlNodePtr sec, const sa_trust_row *row, sa_shell shell)
{
    const sa_verdict *v = &row->v;
    xmlNodePtr box = html_el(sec, "div", "agent", NULL), h;

    h = html_showf(box, "h3", NULL, "Agents of %s: ", row->agent);
    verdict_el(h, "span", v->kind, verdict_text(v->kind));
    if (*v->path)
        html_showf(box, "p", "path", "path: %s", v->path);
    html_showf(box, "p", "why", "why: %s", v->why);
    html_verdict_events(box, v);
    html_acls(box, &row->acls);
    if (v->fix.n > 0)
        html_fix(box, "do", &v->fix, shell);
    else if (*v->recommend)
        html_showf(box, "p", "do", "do: %s", v->recommend);
    if (row->observed != NULL)
        html_showf(box, "p", row->differs ? "seen failed" : "seen", "seen: %s%s",
                   row->differs ? "DIFFERS FROM THE RULE: " : "", row->observed);
    html_cert_work(box, &row->cert_work, &row->cert_checked);
}

/* One row per agent domain: its verdict, at a glance. */
static void
html_trust_summary(xmlNodePtr sec, const sa_trust_run *r)
{
    static const char *const headings[] = {"Agent domain", "Verdict", "Path"};
    xmlNodePtr table = html_table(sec, "verdicts", headings, 3);

    for (size_t i = 0; i < r->n_rows; i++) {
        xmlNodePtr tr = html_row(table, "agent");
        html_value_cell(tr, "v", r->rows[i].agent);
        verdict_el(tr, "td", r->rows[i].v.kind, verdict_text(r->rows[i].v.kind));
        html_value_cell(tr, "v", *r->rows[i].v.path ? r->rows[i].v.path : NULL);
    }
}

int
sa_trust_report_html(const sa_trust_run *r, sa_shell shell, const char *map_svg, const char *map_why,
                     FILE *out)
{
    html_page page = {NULL, NULL, false};
    char *title = sa_strdup_printf("spnaudit: trusts of %s", r->home ? r->home : "?");
    xmlNodePtr sec;

    if (title == NULL || !html_page_new(&page, title)) {
        free(title);
        errno = ENOMEM;
        return -1;
    }
    free(title);
    html_showf(page.body, "h1", NULL, "Trusts of %s and the agents' authentication", r->home);
    html_showf(page.body, "p", "meta", "read from %s; exit status %d", r->uri, r->status);
    sec = html_el(page.body, "section", "verdicts", NULL);
    html_showf(sec, "h2", NULL, "Agents of each domain -> management servers and gateways of %s", r->home);
    html_trust_summary(sec, r);
    for (size_t i = 0; i < r->n_rows; i++)
        html_trust_row(sec, &r->rows[i], shell);
    html_map(page.body, map_svg, map_why);
    html_trusts(page.body, r);
    return finish_page(&page, out);
}

/* ------------------------------------------------------------ plan */

static void
html_plan_row(xmlNodePtr sec, const sa_plan *p, const sa_plan_row *r, sa_shell shell)
{
    xmlNodePtr box = html_el(sec, "div", "agent", NULL), h, q;

    h = html_showf(box, "h3", NULL, "Agents of %s: ", r->agent);
    if (r->gateway >= 0)
        html_el(h, "span", "verdict", "through a gateway");
    else
        verdict_el(h, "span", r->direct.kind, kind_text(r->direct.kind));
    q = html_el(box, "p", NULL, "to the management servers: ");
    verdict_el(q, "span", r->direct.kind, kind_text(r->direct.kind));
    if (*r->direct.path)
        html_showf(q, "span", "v", " (%s)", r->direct.path);
    html_value_el(box, "p", "why", r->direct.why);
    html_acls(box, &r->direct_acls);
    html_verdict_events(box, &r->direct);
    if (r->gateway >= 0)
        html_showf(box, "p", "gateway", "to the gateway %s: %s (%s); gateway to the management servers: %s",
                   p->gateways->items[r->gateway], kind_text(r->via.kind), r->via.path,
                   kind_text(r->onward.kind));
    html_showf(box, "p", "design", "design: %s", r->design);
    if (r->gateway < 0 && r->direct.fix.n > 0)
        html_fix(box, "do", &r->direct.fix, shell);
    html_cert_work(box, &r->cert_work, &r->cert_checked);
}

int
sa_plan_report_html(const sa_plan *p, sa_shell shell, const char *map_svg, const char *map_why, FILE *out)
{
    html_page page = {NULL, NULL, false};
    xmlNodePtr meta, sec;

    if (!html_page_new(&page, "spnaudit: plan")) {
        errno = ENOMEM;
        return -1;
    }
    html_showf(page.body, "h1", NULL, "Plan: agents of %zu domain%s toward %s", p->n_rows,
               p->n_rows == 1 ? "" : "s", p->ms_domain);
    meta = html_showf(page.body, "p", "meta", "management servers %s", p->ms->items[0]);
    for (size_t i = 1; i < p->ms->n; i++)
        html_showf(meta, "span", NULL, ", %s", p->ms->items[i]);
    for (size_t i = 0; p->gateways != NULL && i < p->gateways->n; i++)
        html_showf(meta, "span", NULL, "%s%s", i == 0 ? "; gateways " : ", ", p->gateways->items[i]);
    html_not_read(page.body, &p->not_read);
    sec = html_el(page.body, "section", "verdicts", NULL);
    html_el(sec, "h2", NULL, "Design for each agent domain");
    for (size_t i = 0; i < p->n_rows; i++)
        html_plan_row(sec, p, &p->rows[i], shell);
    html_map(page.body, map_svg, map_why);
    sec = html_el(page.body, "section", "trusts", NULL);
    html_el(sec, "h2", NULL, "Trusts read");
    trust_groups(sec, &p->trusts, 0, "");
    if (p->trusts.n == 0)
        html_el(sec, "p", NULL, "none");
    return finish_page(&page, out);
}
