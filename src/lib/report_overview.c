/* report_overview.c - the first screen of the text report: one line per
 * management server and gateway (its role, verdict, SPNs, tickets and
 * findings), then the totals, before the details. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_internal.h"

/* The columns after the server's name: their headings and widths. */
#define ROLE_W 7     /* "gateway" */
#define VERDICT_W 11 /* "not checked" */
#define SPNS_W 4
#define TICKETS_W 10 /* "12 refused" */
#define FINDINGS_W 8
#define REST_W (2 + ROLE_W + 2 + VERDICT_W + 2 + SPNS_W + 2 + TICKETS_W + 2 + FINDINGS_W)

static const char *const verdict_words[V_COUNT] = {"OK", "WARNING", "FAILURE", "not checked"};
static const char *const verdict_colors[V_COUNT] = {"\033[32m", "\033[33m", "\033[1;31m", ""};

const char *
verdict_word(verdict v)
{
    return verdict_words[v];
}

static verdict
server_verdict(const sa_report *r, const sa_server *s)
{
    bool any;
    sa_severity worst = worst_for_server(r, s, &any);

    if (s->not_judged)
        return V_NOT_CHECKED;
    if (!any || worst == SA_SEV_INFO)
        return V_OK;
    return worst == SA_SEV_FAILURE ? V_FAILURE : V_WARNING;
}

server_row
count_row(const sa_report *r, const sa_spn_index *idx, const sa_server *s)
{
    server_row row = {server_verdict(r, s), 0, 0, 0, 0};
    const sa_ticket *last = NULL; /* an SPN on two accounts: one ticket (the refs are sorted) */

    for (size_t i = 0; i < idx->n; i++) {
        const sa_ticket *t;
        if (!spn_is_for_server(r, &idx->refs[i], s))
            continue;
        row.spns++;
        t = r->tickets ? ticket_of(r, &idx->refs[i]) : NULL;
        if (t != NULL && t != last && t->tried) {
            last = t;
            row.tried++;
            row.refused += !t->ok;
        }
    }
    for (size_t i = 0; i < r->findings->n; i++) {
        const sa_finding *f = &r->findings->items[i];
        row.findings += f->server != NULL && strcasecmp(f->server, s->fqdn) == 0;
    }
    return row;
}

void
tickets_word(const server_row *row, char *buf, size_t size)
{
    if (row->spns == 0)
        snprintf(buf, size, "-");
    else if (row->tried == 0)
        snprintf(buf, size, "not asked");
    else if (row->refused > 0)
        snprintf(buf, size, "%zu refused", row->refused);
    else
        snprintf(buf, size, "ok");
}

static void
text_row(FILE *out, const sa_report *r, const sa_server *s, const server_row *row, size_t name_w)
{
    char *name = sa_shown_dup(s->fqdn), tickets[32];
    size_t cols = name ? text_columns(name, strlen(name)) : 0, pad;

    if (cols > name_w) { /* the name alone, the rest under it */
        fprintf(out, "%s\n", name ? name : "?");
        cols = 0;
    } else {
        fputs(name ? name : "?", out);
    }
    pad = name_w - cols + 2;
    tickets_word(row, tickets, sizeof(tickets));
    fprintf(out, "%*s%-*s  %s%s%s%*s  %*zu  %-*s  %*zu\n", (int)pad, "", ROLE_W,
            s->gateway ? "gateway" : "ms", r->color ? verdict_colors[row->v] : "", verdict_words[row->v],
            r->color && *verdict_colors[row->v] ? "\033[0m" : "",
            VERDICT_W - (int)strlen(verdict_words[row->v]), "", SPNS_W, row->spns, TICKETS_W, tickets,
            FINDINGS_W, row->findings);
    free(name);
}

/* The widest server name as shown, within what the width leaves (0 on a
 * narrow terminal: every name on a line of its own). */
static size_t
name_width(const sa_report *r, size_t width)
{
    size_t w = strlen("Server"), room = width >= REST_W + 12 ? width - REST_W : 0;

    for (size_t i = 0; i < r->n_servers; i++) {
        char *name = sa_shown_dup(r->servers[i].fqdn);
        size_t cols = name ? text_columns(name, strlen(name)) : 0;
        w = cols > w ? cols : w;
        free(name);
    }
    return w < room ? w : room;
}

/* "3 failures", "1 warning": n and word, plural when n is not 1. */
static const char *
plural(size_t n)
{
    return n == 1 ? "" : "s";
}

static void
text_totals(FILE *out, const sa_report *r, const size_t *by_verdict, size_t on_servers, size_t width)
{
    size_t failures = sa_findings_count(r->findings, SA_SEV_FAILURE);
    size_t warnings = sa_findings_count(r->findings, SA_SEV_WARNING);
    size_t infos = sa_findings_count(r->findings, SA_SEV_INFO), all = r->findings->n;
    char verdicts[160] = "";
    size_t len = 0;

    for (int v = V_FAILURE; v >= V_OK; v--) /* worst first, then not checked */
        if (by_verdict[v] > 0 && len < sizeof(verdicts))
            len += (size_t)snprintf(verdicts + len, sizeof(verdicts) - len, ", %zu %s", by_verdict[v],
                                    verdict_words[v]);
    if (by_verdict[V_NOT_CHECKED] > 0 && len < sizeof(verdicts))
        snprintf(verdicts + len, sizeof(verdicts) - len, ", %zu not checked", by_verdict[V_NOT_CHECKED]);
    text_wrapf(out, 0, 2, width,
               "Total: %zu server%s%s; %zu finding%s (%zu failure%s, %zu warning%s, %zu info), "
               "%zu of them about these servers, %zu about other accounts",
               r->n_servers, plural(r->n_servers), verdicts, all, plural(all), failures, plural(failures),
               warnings, plural(warnings), infos, on_servers, all - on_servers);
}

void
text_overview(FILE *out, const sa_report *r, const sa_spn_index *idx, const sa_server *const *servers,
              size_t width)
{
    size_t name_w = name_width(r, width), by_verdict[V_COUNT] = {0}, on_servers = 0;

    fprintf(out, "\n%s%-*s  %-*s  %-*s  %*s  %-*s  %*s\n", name_w == 0 ? "Server\n" : "", (int)name_w,
            name_w == 0 ? "" : "Server", ROLE_W, "Role", VERDICT_W, "Verdict", SPNS_W, "SPNs", TICKETS_W,
            "Tickets", FINDINGS_W, "Findings");
    for (size_t i = 0; i < r->n_servers; i++) {
        server_row row = count_row(r, idx, servers[i]);
        text_row(out, r, servers[i], &row, name_w);
        by_verdict[row.v]++;
        on_servers += row.findings;
    }
    text_totals(out, r, by_verdict, on_servers, width);
}
