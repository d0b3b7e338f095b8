/* report_html.c - the audit report as one HTML page: the overview (a row
 * per server), then the findings by server with their events and fixes;
 * the changes and the scope are report_html_changes.c's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "html_internal.h"
#include "report_internal.h"
#include "spnaudit/events.h"
#include "spnaudit/report_html.h"

static const char *const severity_labels[] = {"INFO", "WARNING", "FAILURE"};

/* ------------------------------------------------------------ findings */

static void
html_events(xmlNodePtr parent, const sa_finding *f)
{
    xmlNodePtr p;

    if (f->n_events == 0)
        return;
    p = html_el(parent, "p", "events", "OpsMgr events: ");
    for (size_t k = 0; k < f->n_events; k++) {
        const sa_event_info *e = sa_event_lookup(f->events[k]);
        html_showf(p, "span", "event", "%s%d%s%s%s", k ? ", " : "", f->events[k], e ? " (" : "",
                   e ? e->title : "", e ? ")" : "");
    }
}

void
html_finding(xmlNodePtr parent, const sa_finding *f, sa_shell shell)
{
    char cls[64];
    xmlNodePtr box, head;

    snprintf(cls, sizeof(cls), "finding %s", sa_severity_name(f->severity));
    box = html_el(parent, "div", cls, NULL);
    head = html_el(box, "p", "head", NULL);
    html_el(head, "span", "sev", severity_labels[f->severity]);
    html_words(head, " ");
    html_el(head, "code", "code", f->code);
    html_words(head, " ");
    html_value_el(head, "span", "v subject", f->subject);
    if (f->change != NULL && strcmp(f->change, SA_CHANGE_PERSISTING) != 0)
        html_el(head, "span", "change", strcmp(f->change, SA_CHANGE_NEW) == 0 ? "new" : "not compared");
    if (f->message != NULL)
        html_value_el(box, "p", "message", f->message);
    if (f->evidence != NULL)
        html_showf(box, "p", "evidence", "evidence: %s", f->evidence);
    html_events(box, f);
    html_fix(box, "fix", &f->fix, shell);
}

void
html_finding_item(xmlNodePtr list, const sa_finding *f)
{
    if (f->server != NULL)
        html_showf(list, "li", sa_severity_name(f->severity), "%s %s  %s (%s)", severity_labels[f->severity],
                   f->code, f->subject, f->server);
    else
        html_showf(list, "li", sa_severity_name(f->severity), "%s %s  %s", severity_labels[f->severity],
                   f->code, f->subject);
}

/* ------------------------------------------------------------ overview */

/* "2 obtained, 1 failed": the tickets of a server's SPNs. */
static void
tickets_cell(xmlNodePtr tr, const sa_report *r, const server_row *row)
{
    char buf[64];

    if (row->spns == 0 || row->tried == 0 || r->tickets == NULL)
        tickets_word(row, buf, sizeof(buf)); /* "-", "not asked" */
    else
        snprintf(buf, sizeof(buf), "%zu obtained, %zu failed", row->tried - row->refused, row->refused);
    html_cell(tr, row->refused > 0 ? "tickets failed" : "tickets", buf);
}

/* The SPNs naming s, one a line. */
static void
spns_cell(xmlNodePtr tr, const sa_report *r, const sa_spn_index *idx, const sa_server *s)
{
    xmlNodePtr td = html_el(tr, "td", "v spns", NULL);
    const char *last = NULL;
    size_t n = 0;

    for (size_t i = 0; i < idx->n; i++) {
        if (!spn_is_for_server(r, &idx->refs[i], s) || (last != NULL && strcmp(last, idx->refs[i].spn) == 0))
            continue;
        if (n++ > 0)
            html_el(td, "br", NULL, NULL);
        html_value(td, idx->refs[i].spn);
        last = idx->refs[i].spn;
    }
    if (n == 0)
        html_words(td, "none");
}

static void
html_overview(xmlNodePtr body, const sa_report *r, const sa_spn_index *idx, const sa_server *const *servers)
{
    static const char *const headings[] = {"Server", "Role", "Verdict", "SPNs", "Tickets", "Findings"};
    xmlNodePtr sec = html_el(body, "section", "overview", NULL), table;
    size_t by_verdict[V_COUNT] = {0};
    char word[24], cls[40];

    html_el(sec, "h2", NULL, "Overview");
    table = html_table(sec, "overview", headings, 6);
    html_attr(table, "id", "overview");
    for (size_t i = 0; i < r->n_servers; i++) {
        server_row row = count_row(r, idx, servers[i]);
        xmlNodePtr tr = html_row(table, "server");
        html_value_cell(tr, "v", servers[i]->fqdn);
        html_cell(tr, NULL, servers[i]->gateway ? "gateway" : "management server");
        snprintf(cls, sizeof(cls), "verdict %s", html_class_of(verdict_word(row.v), word, sizeof(word)));
        html_cell(tr, cls, verdict_word(row.v));
        spns_cell(tr, r, idx, servers[i]);
        tickets_cell(tr, r, &row);
        html_count_cell(tr, row.findings);
        by_verdict[row.v]++;
    }
    html_showf(sec, "p", "totals",
               "%zu server%s: %zu failure, %zu warning, %zu OK, %zu not checked; %zu finding%s in all "
               "(%zu failure%s, %zu warning%s, %zu info)",
               r->n_servers, r->n_servers == 1 ? "" : "s", by_verdict[V_FAILURE], by_verdict[V_WARNING],
               by_verdict[V_OK], by_verdict[V_NOT_CHECKED], r->findings->n, r->findings->n == 1 ? "" : "s",
               sa_findings_count(r->findings, SA_SEV_FAILURE),
               sa_findings_count(r->findings, SA_SEV_FAILURE) == 1 ? "" : "s",
               sa_findings_count(r->findings, SA_SEV_WARNING),
               sa_findings_count(r->findings, SA_SEV_WARNING) == 1 ? "" : "s",
               sa_findings_count(r->findings, SA_SEV_INFO));
}

/* With no server named: why none was judged, and what the directory
 * suggests. */
static void
html_no_servers(xmlNodePtr body, const sa_report *r)
{
    xmlNodePtr sec = html_el(body, "section", "overview", NULL), ul;
    sa_strv hosts = {NULL, 0, 0};

    html_el(sec, "h2", NULL, "Overview");
    if (r->scope != NULL && r->scope->servers.n + r->scope->gateways.n > 0) { /* named, never read */
        html_el(sec, "p", "not-checked",
                "Not checked: the audit ended before it read the servers named (see the scope below).");
        goto cleanup;
    }
    html_el(sec, "p", "not-checked",
            "No management server or gateway was named: none could be checked for missing SPNs (give them "
            "with --ms and --gateway).");
    if (r->discovered == NULL || !sa_discovered_hosts(r->discovered, &hosts) || hosts.n == 0)
        goto cleanup;
    html_el(sec, "p", NULL, "The directory suggests these servers:");
    ul = html_el(sec, "ul", "v", NULL);
    for (size_t i = 0; i < hosts.n; i++)
        html_value_el(ul, "li", NULL, hosts.items[i]);
cleanup:
    sa_strv_clear(&hosts);
}

/* ------------------------------------------------------------ servers */

static void
html_server_heading(xmlNodePtr sec, const sa_report *r, const sa_server *s)
{
    const char *role = s->gateway ? "Gateway" : "Management server";

    html_showf(sec, "h3", NULL, "%s %s", role, s->fqdn);
    if (s->account >= 0) {
        const sa_account *a = &r->accounts->items[s->account];
        html_showf(sec, "p", "account", "computer account %s%s%s%s", a->domain ? a->domain : "",
                   a->domain ? "\\" : "", holder_name(a), sa_account_disabled(a) ? ", DISABLED" : "");
    } else {
        html_el(sec, "p", s->not_judged ? "account not-checked" : "account",
                s->not_judged ? "not checked: its domain could not be read" : "no computer account found");
    }
    if (r->reach != NULL) {
        const sa_reach *re = &r->reach[s - r->servers];
        if (!re->resolved)
            html_showf(sec, "p", "reach", "reachability: does not resolve (%s)", re->resolve_error);
        else if (re->connected)
            html_showf(sec, "p", "reach", "reachability: %s, TCP %u open", re->address, SA_AGENT_PORT);
        else
            html_showf(sec, "p", "reach", "reachability: %s, TCP %u closed (%s)", re->address, SA_AGENT_PORT,
                       re->connect_error);
    }
}

/* The SPNs naming s, their holders and tickets. */
static void
html_server_spns(xmlNodePtr sec, const sa_report *r, const sa_spn_index *idx, const sa_server *s)
{
    static const char *const headings[] = {"SPN", "Held by", "Ticket"};
    xmlNodePtr table = NULL;

    for (size_t i = 0; i < idx->n; i++) {
        const sa_ticket *t;
        xmlNodePtr tr;
        if (!spn_is_for_server(r, &idx->refs[i], s))
            continue;
        if (table == NULL)
            table = html_table(sec, "spns", headings, 3);
        tr = html_row(table, NULL);
        html_value_cell(tr, "v", idx->refs[i].spn);
        html_value_cell(tr, "v", holder_name(&r->accounts->items[idx->refs[i].account]));
        t = ticket_of(r, &idx->refs[i]);
        if (t == NULL || !t->tried)
            html_cell(tr, "not-checked", "not requested");
        else if (t->ok)
            html_showf(tr, "td", "ok", "obtained: %s, session key %s, kvno %d", t->enctype ? t->enctype : "?",
                       t->session_enctype ? t->session_enctype : "?", t->kvno);
        else
            html_showf(tr, "td", "failed", "REFUSED: %s", t->error ? t->error : "?");
    }
    if (table == NULL)
        html_el(sec, "p", NULL, "No SCOM SPN names this server.");
}

static void
html_server(xmlNodePtr parent, const sa_report *r, const sa_spn_index *idx, const sa_server *s)
{
    xmlNodePtr sec = html_el(parent, "section", "server", NULL);
    size_t nf = 0;

    html_server_heading(sec, r, s);
    html_server_spns(sec, r, idx, s);
    for (size_t i = 0; i < r->findings->n; i++) {
        const sa_finding *f = &r->findings->items[i];
        if (f->server != NULL && strcasecmp(f->server, s->fqdn) == 0) {
            html_finding(sec, f, r->fix_shell);
            nf++;
        }
    }
    if (nf == 0)
        html_el(sec, "p", s->not_judged ? "verdict not-checked" : "verdict ok",
                s->not_judged ? "not checked: no verdict" : "OK: no findings");
}

static void
html_findings(xmlNodePtr body, const sa_report *r, const sa_spn_index *idx, const sa_server *const *servers)
{
    xmlNodePtr sec = html_el(body, "section", "findings", NULL), other;
    size_t n = 0;

    html_el(sec, "h2", NULL, "Findings by server");
    for (size_t i = 0; i < r->n_servers; i++)
        html_server(sec, r, idx, servers[i]);
    for (size_t i = 0; i < r->findings->n; i++)
        n += !of_a_server(r, &r->findings->items[i]);
    other = html_el(sec, "section", "server other", NULL);
    html_showf(other, "h3", NULL, "Other accounts holding SCOM SPNs: %zu finding%s", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < r->findings->n; i++) {
        if (!of_a_server(r, &r->findings->items[i]))
            html_finding(other, &r->findings->items[i], r->fix_shell);
    }
}

/* ------------------------------------------------------------ page */

static void
html_header(xmlNodePtr body, const sa_report *r)
{
    char when[40] = "";
    time_t t = (time_t)r->timestamp;
    struct tm tm;

    if (r->timestamp > 0 && gmtime_r(&t, &tm) != NULL)
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
    html_showf(body, "h1", NULL, "SCOM SPN audit of %s", r->domain ? r->domain : "?");
    html_showf(body, "p", "meta", "realm %s; directory %s; as %s%s%s", r->realm ? r->realm : "?",
               r->uri ? r->uri : "?", r->client ? r->client : "?", r->bind ? "; LDAP: " : "",
               r->bind ? r->bind : "");
    html_showf(body, "p", "meta", "%s%sspnaudit %s; %.1f s; exit status %d", when, *when ? "; " : "",
               SPNAUDIT_VERSION, r->seconds, r->exit_status);
    if (!r->complete)
        html_showf(body, "p", "incomplete",
                   "INCOMPLETE: %s. The findings below cover only what was read; what was not read is "
                   "neither a failure nor clean.",
                   r->incomplete_reason ? r->incomplete_reason : "the audit did not finish");
}

int
sa_report_html(const sa_report *r, FILE *out)
{
    const sa_server **servers = NULL;
    sa_spn_index idx = {NULL, 0};
    html_page page = {NULL, NULL, false};
    char *title = NULL;
    int ret = -1;

    if (!sa_spn_index_build(r->accounts, &idx) || (servers = sorted_servers(r)) == NULL ||
        (title = sa_strdup_printf("spnaudit: %s", r->domain ? r->domain : "audit")) == NULL ||
        !html_page_new(&page, title)) {
        errno = ENOMEM;
        goto cleanup;
    }
    html_header(page.body, r);
    if (r->n_servers > 0)
        html_overview(page.body, r, &idx, servers);
    else
        html_no_servers(page.body, r);
    html_findings(page.body, r, &idx, servers);
    html_changes(page.body, r);
    html_scope(page.body, r);
    ret = html_page_write(&page, out);
cleanup:
    html_page_free(&page);
    free(title);
    free(servers);
    sa_spn_index_free(&idx);
    return ret;
}
