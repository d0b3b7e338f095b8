/* report.c - the audit report: text for people, JSON for programs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "config.h"
#include "report_internal.h"
#include "spnaudit/spn.h"

/* ------------------------------------------------------------ shared */

/* Does ref (an SPN and its holder) name server s (by NetBIOS name only
 * within the server's own domain)? */
bool
spn_is_for_server(const sa_report *r, const sa_spn_ref *ref, const sa_server *s)
{
    sa_spn parsed;
    const char *why;

    if (!sa_spn_parse(ref->spn, &parsed, &why))
        return false;
    return sa_spn_host_is_server(&r->accounts->items[ref->account], parsed.host, s, r->other_domains,
                                 r->n_other_domains);
}

/* The ticket asked for ref's SPN as its holder's (see sa_ticket_for_holder). */
const sa_ticket *
ticket_of(const sa_report *r, const sa_spn_ref *ref)
{
    return sa_ticket_for_holder(r->tickets, &r->accounts->items[ref->account], ref->spn);
}

sa_severity
worst_for_server(const sa_report *r, const sa_server *s, bool *any)
{
    sa_severity worst = SA_SEV_INFO;

    *any = false;
    for (size_t i = 0; i < r->findings->n; i++) {
        const sa_finding *f = &r->findings->items[i];
        if (f->server != NULL && strcasecmp(f->server, s->fqdn) == 0) {
            if (!*any || f->severity > worst)
                worst = f->severity;
            *any = true;
        }
    }
    return worst;
}

/* Servers worst first, then by name. */
static const sa_report *sort_report;
static int
cmp_server(const void *pa, const void *pb)
{
    const sa_server *a = *(const sa_server *const *)pa, *b = *(const sa_server *const *)pb;
    bool any_a, any_b;
    sa_severity wa = worst_for_server(sort_report, a, &any_a);
    sa_severity wb = worst_for_server(sort_report, b, &any_b);
    int ra = any_a ? (int)wa + 1 : 0, rb = any_b ? (int)wb + 1 : 0;

    if (ra != rb)
        return rb - ra;
    return strcasecmp(a->fqdn, b->fqdn);
}

const sa_server **
sorted_servers(const sa_report *r)
{
    const sa_server **v = calloc(r->n_servers + 1, sizeof(*v));

    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < r->n_servers; i++)
        v[i] = &r->servers[i];
    sort_report = r;
    qsort(v, r->n_servers, sizeof(*v), cmp_server);
    return v;
}

size_t
count_spns(const sa_accounts *accounts)
{
    size_t n = 0;

    for (size_t i = 0; i < accounts->n; i++)
        n += accounts->items[i].spns.n;
    return n;
}

/* ------------------------------------------------------------ text */

size_t
text_width(const sa_report *r)
{
    return r->width > 0 ? (size_t)r->width : 80;
}

/* ANSI colours of the severity words, by sa_severity. */
static const char *const severity_colors[] = {"\033[36m", "\033[33m", "\033[1;31m"};
#define COLOR_OK "\033[32m"
#define COLOR_BAD "\033[1;31m"
#define COLOR_OFF "\033[0m"

/* label, in colour when the report is coloured, padded to width. */
static void
text_word(FILE *out, const sa_report *r, const char *color, const char *label, int width)
{
    int pad = width - (int)strlen(label);

    fprintf(out, "%s%s%s%*s", r->color ? color : "", label, r->color ? COLOR_OFF : "", pad > 0 ? pad : 0, "");
}

/* The widest finding code, to align the subjects. */
static int
code_width(const sa_findings *findings)
{
    size_t w = 0;

    for (size_t i = 0; i < findings->n; i++) {
        size_t n = strlen(findings->items[i].code);
        w = n > w ? n : w;
    }
    return (int)w;
}

/* The steps of a fix (after its commands): shown wrapped, else the
 * text escaped, each of its lines whole. */
static void
text_fix_steps(FILE *out, const char *margin, const char *label, const sa_fix *fix, const char *shown,
               size_t width)
{
    const char *text = shown ? shown : fix->text;
    size_t indent = strlen(label);

    for (bool first = fix->n == 0; text != NULL && *text != '\0'; first = false) {
        size_t len = strcspn(text, "\n");
        if (shown != NULL) {
            char *line = strndup(text, len);
            fprintf(out, "%s%-*s", margin, (int)indent, first ? label : "");
            text_wrap(out, line ? line : "(out of memory)", strlen(margin) + indent, strlen(margin) + indent,
                      width);
            free(line);
        } else {
            sa_show_printf(out, "%s%-*s%.*s\n", margin, (int)indent, first ? label : "", (int)len, text);
        }
        text += len + (text[len] == '\n');
    }
}

void
text_fix_wrapped(FILE *out, const char *margin, const char *word, const sa_fix *fix, sa_shell shell,
                 const char *shown, size_t width)
{
    const char *why = sa_fix_unsafe(fix, shell);
    char label[32], *line = NULL;
    int indent;

    snprintf(label, sizeof(label), fix->n > 0 ? "%s (%s): " : "%s: ", word, sa_shell_name(shell));
    indent = (int)strlen(label);
    if (why != NULL) {
        line = sa_fix_refusal(why);
        text_wrapf(out, 0, strlen(margin) + (size_t)indent, width, "%s%s%s", margin, label,
                   line ? line : "(out of memory)");
        free(line);
        return;
    }
    for (size_t i = 0; i < fix->n; i++) { /* never wrapped: pasted as they are */
        line = sa_fix_command_line(fix, i, shell, &why);
        fprintf(out, "%s%-*s%s\n", margin, indent, i == 0 ? label : "", line ? line : "(out of memory)");
        free(line);
    }
    text_fix_steps(out, margin, label, fix, shown, width);
}

void
text_fix(FILE *out, const char *margin, const char *word, const sa_fix *fix, sa_shell shell)
{
    text_fix_wrapped(out, margin, word, fix, shell, NULL, 0);
}

static void
text_finding(FILE *out, const sa_report *r, const sa_finding *f, int code_w)
{
    static const char *labels[] = {"INFO", "WARNING", "FAILURE"};
    size_t width = text_width(r);

    fputs("  ", out);
    text_word(out, r, severity_colors[f->severity], labels[f->severity], 8);
    text_wrapf(out, 10, 12, width, "%-*s  %s%s", code_w, f->code, f->subject,
               f->change == NULL                                ? ""
               : strcmp(f->change, SA_CHANGE_NEW) == 0          ? "  (new)"
               : strcmp(f->change, SA_CHANGE_NOT_COMPARED) == 0 ? "  (not compared)"
                                                                : "");
    text_message(out, f, width);
    text_evidence(out, f, width);
    text_events(out, f);
    text_fix_wrapped(out, "          ", "fix", &f->fix, r->fix_shell, f->fix_text_shown, width);
}

/* Does the finding belong to one of the report's servers?  (Those that
 * do not are listed after the servers.) */
bool
of_a_server(const sa_report *r, const sa_finding *f)
{
    for (size_t i = 0; f->server != NULL && i < r->n_servers; i++) {
        if (strcasecmp(f->server, r->servers[i].fqdn) == 0)
            return true;
    }
    return false;
}

const char *
holder_name(const sa_account *a)
{
    return a->sam ? a->sam : a->dn;
}

static void
text_server_heading(FILE *out, const sa_report *r, const sa_server *s)
{
    size_t width = text_width(r);

    if (s->account >= 0) {
        const sa_account *a = &r->accounts->items[s->account];
        text_wrapf(out, 0, 2, width, "%s %s (computer account %s%s%s%s)",
                   s->gateway ? "Gateway" : "Management server", s->fqdn, a->domain ? a->domain : "",
                   a->domain ? "\\" : "", holder_name(a), sa_account_disabled(a) ? ", DISABLED" : "");
    } else {
        text_wrapf(out, 0, 2, width, "%s %s %s", s->gateway ? "Gateway" : "Management server", s->fqdn,
                   s->not_judged ? "(NOT JUDGED: its domain could not be read)"
                                 : "(no computer account found)");
    }
    if (r->reach != NULL) {
        const sa_reach *re = &r->reach[s - r->servers];
        if (!re->resolved)
            text_wrapf(out, 0, 4, width, "  reachability: does not resolve (%s)", re->resolve_error);
        else if (re->connected)
            text_wrapf(out, 0, 4, width, "  reachability: %s, TCP %u open", re->address, SA_AGENT_PORT);
        else
            text_wrapf(out, 0, 4, width, "  reachability: %s, TCP %u closed (%s)", re->address, SA_AGENT_PORT,
                       re->connect_error);
    }
}

/* The SPNs naming s, their holders and tickets, one line each. */
static size_t
text_server_spns(FILE *out, const sa_report *r, const sa_spn_index *idx, const sa_server *s)
{
    size_t shown = 0, spn_w = 0, holder_w = 0, width = text_width(r);

    for (size_t i = 0; i < idx->n; i++) { /* the columns' widths */
        size_t ns = strlen(idx->refs[i].spn), nh;
        if (!spn_is_for_server(r, &idx->refs[i], s))
            continue;
        nh = strlen(holder_name(&r->accounts->items[idx->refs[i].account]));
        spn_w = ns > spn_w ? ns : spn_w;
        holder_w = nh > holder_w ? nh : holder_w;
    }
    for (size_t i = 0; i < idx->n; i++) {
        const sa_account *a = &r->accounts->items[idx->refs[i].account];
        const sa_ticket *t;
        if (!spn_is_for_server(r, &idx->refs[i], s))
            continue;
        t = ticket_of(r, &idx->refs[i]);
        if (t == NULL || !t->tried)
            text_wrapf(out, 0, 6, width, "  %-*s  %-*s  ticket: not requested", (int)spn_w, idx->refs[i].spn,
                       (int)holder_w, holder_name(a));
        else if (t->ok)
            text_wrapf(out, 0, 6, width, "  %-*s  %-*s  ticket: %s, session key %s, kvno %d", (int)spn_w,
                       idx->refs[i].spn, (int)holder_w, holder_name(a), t->enctype ? t->enctype : "?",
                       t->session_enctype ? t->session_enctype : "?", t->kvno);
        else
            text_wrapf(out, 0, 6, width, "  %-*s  %-*s  ticket REFUSED: %s", (int)spn_w, idx->refs[i].spn,
                       (int)holder_w, holder_name(a), t->error ? t->error : "?");
        shown++;
    }
    return shown;
}

static void
text_server(FILE *out, const sa_report *r, const sa_spn_index *idx, const sa_server *s, int code_w)
{
    size_t nf = 0;

    fputc('\n', out);
    text_server_heading(out, r, s);
    if (text_server_spns(out, r, idx, s) == 0)
        sa_show_printf(out, "  (no SCOM SPN names this server)\n");
    for (size_t i = 0; i < r->findings->n; i++) {
        const sa_finding *f = &r->findings->items[i];
        if (f->server != NULL && strcasecmp(f->server, s->fqdn) == 0) {
            text_finding(out, r, f, code_w);
            nf++;
        }
    }
    if (nf == 0 && !s->not_judged) {
        fputs("  ", out);
        text_word(out, r, COLOR_OK, "OK", 8);
        fputs("no findings\n", out);
    }
}

/* The first lines: what was audited, how, and how much was read. */
static void
text_header(FILE *out, const sa_report *r)
{
    size_t width = text_width(r), spns = count_spns(r->accounts), entries = r->stats ? r->stats->entries : 0;
    size_t pages = r->stats ? r->stats->pages : 0, tried = sa_tickets_count_tried(r->tickets);

    text_wrapf(out, 0, 2, width, "spnaudit %s: audit of %s (realm %s) via %s as %s", SPNAUDIT_VERSION,
               r->domain ? r->domain : "?", r->realm ? r->realm : "?", r->uri ? r->uri : "?",
               r->client ? r->client : "?");
    if (r->bind != NULL)
        text_wrapf(out, 0, 2, width, "LDAP: %s", r->bind);
    if (r->scope != NULL)
        text_scope(out, r->scope, r->tickets ? r->tickets->n : 0, spns, width);
    for (size_t i = 0; r->also_read != NULL && i < r->also_read->n; i++)
        sa_show_printf(out, "%s %s", i == 0 ? "Also read (for duplicates, or servers there):" : ",",
                       r->also_read->items[i]);
    if (r->also_read != NULL && r->also_read->n > 0)
        fputc('\n', out);
    if (r->tickets != NULL) /* the tool's words in the format: they may wrap (text_wrapf) */
        text_wrapf(
            out, 0, 2, width,
            "%zu account%s hold%s %zu SCOM SPN%s (%zu entr%s in %zu LDAP page%s); %zu service ticket%s "
            "requested, %zu refused",
            r->accounts->n, r->accounts->n == 1 ? "" : "s", r->accounts->n == 1 ? "s" : "", spns,
            spns == 1 ? "" : "s", entries, entries == 1 ? "y" : "ies", pages, pages == 1 ? "" : "s", tried,
            tried == 1 ? "" : "s", sa_tickets_count_refused(r->tickets));
    else
        text_wrapf(out, 0, 2, width,
                   "%zu account%s hold%s %zu SCOM SPN%s (%zu entr%s in %zu LDAP page%s); no service tickets "
                   "requested",
                   r->accounts->n, r->accounts->n == 1 ? "" : "s", r->accounts->n == 1 ? "s" : "", spns,
                   spns == 1 ? "" : "s", entries, entries == 1 ? "y" : "ies", pages, pages == 1 ? "" : "s");
    if (!r->complete) {
        fputc('\n', out);
        text_word(out, r, COLOR_BAD, "INCOMPLETE:", 0);
        text_wrapf(out, 11, 2, width, " %s",
                   r->incomplete_reason ? r->incomplete_reason : "the audit did not finish");
        fputs("The findings below cover only what was read.\n", out);
    }
}

int
sa_report_text(const sa_report *r, FILE *out)
{
    const sa_server **servers = NULL;
    sa_spn_index idx = {NULL, 0};
    size_t other = 0, failures, warnings, infos;
    int ret = -1, code_w = code_width(r->findings);

    if (!sa_spn_index_build(r->accounts, &idx) || (servers = sorted_servers(r)) == NULL) {
        errno = ENOMEM;
        goto cleanup;
    }
    text_header(out, r);
    if (r->n_servers > 0)
        text_overview(out, r, &idx, servers, text_width(r));
    else
        text_no_servers(out, r, true);
    if (r->baseline_file != NULL && r->comparison != NULL) {
        char *file = text_shown_glued(r->baseline_file);
        char *head = file ? sa_strdup_printf("Changes since baseline %s", file) : NULL;
        fputc('\n', out);
        text_changes(out, head, r->findings, r->comparison, text_width(r), NULL);
        free(head);
        free(file);
    }

    for (size_t i = 0; i < r->n_servers; i++)
        text_server(out, r, &idx, servers[i], code_w);

    for (size_t i = 0; i < r->findings->n; i++)
        other += !of_a_server(r, &r->findings->items[i]);
    sa_show_printf(out, "\nOther accounts holding SCOM SPNs: %zu finding%s\n", other, other == 1 ? "" : "s");
    for (size_t i = 0; i < r->findings->n; i++) {
        if (!of_a_server(r, &r->findings->items[i]))
            text_finding(out, r, &r->findings->items[i], code_w);
    }

    failures = sa_findings_count(r->findings, SA_SEV_FAILURE);
    warnings = sa_findings_count(r->findings, SA_SEV_WARNING);
    infos = sa_findings_count(r->findings, SA_SEV_INFO);
    fputc('\n', out);
    text_wrapf(out, 0, 2, text_width(r),
               "Summary: %zu failure%s, %zu warning%s, %zu info; %s; exit status %d; %.1f s", failures,
               failures == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", infos,
               r->complete ? "audit complete" : "audit INCOMPLETE", r->exit_status, r->seconds);
    ret = fflush(out) == 0 && !ferror(out) ? 0 : -1;
cleanup:
    free(servers);
    sa_spn_index_free(&idx);
    return ret;
}

/* ------------------------------------------------------------ JSON */

static json_object *
json_account(const sa_account *a)
{
    json_object *o = json_object_new_object(), *spns = json_object_new_array();
    bool ok = o != NULL && spns != NULL;

    for (size_t i = 0; ok && i < a->spns.n; i++)
        ok = json_object_array_add(spns, jstr(a->spns.items[i])) == 0;
    ok = ok && jadd(o, "dn", jstr(a->dn), false) && jadd(o, "sam_account_name", jstr(a->sam), true) &&
         jadd(o, "dns_host_name", jstr(a->dns_host), true) &&
         jadd(o, "kind", jstr(sa_account_kind_name(a->kind)), false) &&
         jadd(o, "disabled", json_object_new_boolean(sa_account_disabled(a)), false) &&
         jadd(o, "user_account_control", a->has_uac ? json_object_new_int64(a->uac) : NULL, true) &&
         jadd(o, "supported_encryption_types", a->has_enctypes ? json_object_new_int64(a->enctypes) : NULL,
              true);
    return finish(o, ok, "spns", spns);
}

static json_object *
json_server(const sa_report *r, const sa_spn_index *idx, const sa_server *s)
{
    json_object *o = json_object_new_object(), *spns = json_object_new_array(), *e = NULL;
    bool ok = o != NULL && spns != NULL;

    for (size_t i = 0; ok && i < idx->n; i++) {
        const sa_account *a = &r->accounts->items[idx->refs[i].account];
        const sa_ticket *t = ticket_of(r, &idx->refs[i]);
        if (!spn_is_for_server(r, &idx->refs[i], s))
            continue;
        e = json_object_new_object();
        ok = e != NULL && jadd(e, "spn", jstr(idx->refs[i].spn), false) &&
             jadd(e, "account", jstr(a->dn), false) && jadd(e, "sam_account_name", jstr(a->sam), true) &&
             jadd(e, "kind", jstr(sa_account_kind_name(a->kind)), false) &&
             jadd(e, "ticket", t ? json_ticket_result(t) : NULL, t == NULL) &&
             json_object_array_add(spns, e) == 0;
        if (!ok)
            json_object_put(e);
        e = NULL;
    }
    if (ok && r->reach != NULL) {
        const sa_reach *re = &r->reach[s - r->servers];
        json_object *ro = json_object_new_object();
        ok = ro != NULL && jadd(ro, "port", json_object_new_int(SA_AGENT_PORT), false) &&
             jadd(ro, "resolved", json_object_new_boolean(re->resolved), false) &&
             jadd(ro, "address", re->resolved ? jstr(re->address) : NULL, true) &&
             jadd(ro, "connected", json_object_new_boolean(re->connected), false) &&
             jadd(ro, "error",
                  !re->resolved    ? jstr(re->resolve_error)
                  : !re->connected ? jstr(re->connect_error)
                                   : NULL,
                  true);
        if (ok)
            ok = jadd(o, "reachability", ro, false);
        else
            json_object_put(ro);
    }
    ok = ok && jadd(o, "fqdn", jstr(s->fqdn), false) &&
         jadd(o, "role", jstr(s->gateway ? "gateway" : "management_server"), false) &&
         jadd(o, "netbios", jstr(s->netbios), false) &&
         jadd(o, "judged", json_object_new_boolean(!s->not_judged), false) &&
         jadd(o, "account", s->account >= 0 ? jstr(r->accounts->items[s->account].dn) : NULL, true);
    return finish(o, ok, "spns", spns);
}

/* Items of the top-level arrays, by index. */
typedef json_object *(*item_fn)(const sa_report *r, const sa_spn_index *idx, size_t i);

static json_object *
server_item(const sa_report *r, const sa_spn_index *idx, size_t i)
{
    return json_server(r, idx, &r->servers[i]);
}

static json_object *
finding_item(const sa_report *r, const sa_spn_index *idx, size_t i)
{
    return json_finding(&r->findings->items[i],
                        r->comparison ? sa_comparison_why(r->comparison, false, i) : NULL);
}

static json_object *
stream_account(const void *accounts, size_t i)
{
    return json_account(&((const sa_accounts *)accounts)->items[i]);
}

/* root[key] = [ item(0), ..., item(n-1) ]; false on out of memory. */
static bool
add_array(json_object *root, const char *key, size_t n, item_fn item, const sa_report *r,
          const sa_spn_index *idx)
{
    json_object *arr = json_object_new_array();

    if (arr == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        json_object *o = item(r, idx, i);
        if (o == NULL || json_object_array_add(arr, o) != 0) {
            json_object_put(o);
            json_object_put(arr);
            return false;
        }
    }
    return jadd(root, key, arr, false);
}

static json_object *
json_counts(const sa_report *r)
{
    json_object *o = json_object_new_object();
    bool ok =
        o != NULL && jadd(o, "accounts", json_object_new_int64((int64_t)r->accounts->n), false) &&
        jadd(o, "spns", json_object_new_int64((int64_t)count_spns(r->accounts)), false) &&
        jadd(o, "tickets_requested", json_object_new_int64((int64_t)sa_tickets_count_tried(r->tickets)),
             false) &&
        jadd(o, "tickets_refused", json_object_new_int64((int64_t)sa_tickets_count_refused(r->tickets)),
             false) &&
        jadd(o, "failures", json_object_new_int64((int64_t)sa_findings_count(r->findings, SA_SEV_FAILURE)),
             false) &&
        jadd(o, "warnings", json_object_new_int64((int64_t)sa_findings_count(r->findings, SA_SEV_WARNING)),
             false) &&
        jadd(o, "infos", json_object_new_int64((int64_t)sa_findings_count(r->findings, SA_SEV_INFO)), false);

    if (!ok) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static json_object *
json_search(const sa_search_stats *stats)
{
    json_object *o = json_object_new_object(), *refs = json_strv(stats ? &stats->referrals : NULL);
    bool ok = o != NULL && refs != NULL;

    if (ok) {
        ok = jadd(o, "referrals", refs, false);
        refs = NULL;
    }
    ok = ok && jadd(o, "entries", json_object_new_int64(stats ? (int64_t)stats->entries : 0), false) &&
         jadd(o, "pages", json_object_new_int64(stats ? (int64_t)stats->pages : 0), false);
    json_object_put(refs);
    if (!ok) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

/* A time (seconds since the epoch) as RFC 3339 UTC, e.g. 2026-12-01T20:15:00Z. */
static json_object *
json_time(double epoch)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    char buf[32];

    if (gmtime_r(&t, &tm) == NULL || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return json_object_new_string(buf);
}

int
sa_report_json(const sa_report *r, FILE *out)
{
    json_object *root = json_object_new_object(), *tail = NULL;
    sa_spn_index idx = {NULL, 0};
    int ret = -1;
    bool ok = root != NULL && sa_spn_index_build(r->accounts, &idx);

    ok = ok && jadd(root, "schema_version", json_object_new_int(1), false) &&
         jadd(root, "tool", json_tool(), false) &&
         (r->timestamp <= 0 || jadd(root, "generated", json_time(r->timestamp), false)) &&
         jadd(root, "domain", jstr(r->domain), true) && jadd(root, "realm", jstr(r->realm), true) &&
         jadd(root, "server", jstr(r->uri), true) && jadd(root, "bind", jstr(r->bind), true) &&
         jadd(root, "client", jstr(r->client), true) &&
         jadd(root, "complete", json_object_new_boolean(r->complete), false) &&
         jadd(root, "incomplete_reason", r->complete ? NULL : jstr(r->incomplete_reason), true) &&
         jadd(root, "exit_status", json_object_new_int(r->exit_status), false) &&
         jadd(root, "duration_seconds", json_object_new_double(r->seconds), false) &&
         jadd(root, "search", json_search(r->stats), false) &&
         jadd(root, "duplicates_also_looked_for_in", json_strv(r->also_read), false) &&
         (r->scope == NULL || (jadd(root, "scope", json_scope(r->scope), false) &&
                               jadd(root, "checks_not_run", json_checks_not_run(r->scope), false))) &&
         jadd(root, "counts", json_counts(r), false) &&
         (r->discovered == NULL || jadd(root, "discovered", json_discovered(r), false)) &&
         add_array(root, "management_servers", r->n_servers, server_item, r, &idx) &&
         add_array(root, "findings", r->findings->n, finding_item, r, &idx) &&
         (tail = json_object_new_object());
    if (ok && r->baseline_file != NULL && r->comparison != NULL)
        ok = json_add_changes(tail, r->baseline_file, r->baseline_generated, r->findings, r->comparison);
    if (!ok) {
        errno = ENOMEM;
        goto cleanup;
    }
    /* the accounts streamed: one object each for 20,000 took more memory
     * than their SPNs */
    ret = write_json_streamed(root, "accounts", r->accounts->n, stream_account, r->accounts, tail, out);
cleanup:
    json_object_put(tail);
    json_object_put(root);
    sa_spn_index_free(&idx);
    return ret;
}
