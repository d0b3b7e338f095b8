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
static bool
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
static const sa_ticket *
ticket_of(const sa_report *r, const sa_spn_ref *ref)
{
    return sa_ticket_for_holder(r->tickets, &r->accounts->items[ref->account], ref->spn);
}

static sa_severity
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

static const sa_server **
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

static size_t
count_spns(const sa_accounts *accounts)
{
    size_t n = 0;

    for (size_t i = 0; i < accounts->n; i++)
        n += accounts->items[i].spns.n;
    return n;
}

/* ------------------------------------------------------------ text */

static void
text_ticket(FILE *out, const sa_ticket *t)
{
    if (t == NULL || !t->tried)
        fprintf(out, "ticket: not requested");
    else if (t->ok)
        fprintf(out, "ticket: %s, session key %s, kvno %d", t->enctype ? t->enctype : "?",
                t->session_enctype ? t->session_enctype : "?", t->kvno);
    else
        fprintf(out, "ticket REFUSED: %s", t->error ? t->error : "?");
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

static void
text_finding(FILE *out, const sa_report *r, const sa_finding *f, int width)
{
    static const char *labels[] = {"INFO", "WARNING", "FAILURE"};

    fputs("  ", out);
    text_word(out, r, severity_colors[f->severity], labels[f->severity], 8);
    fprintf(out, "%-*s  %s%s\n", width, f->code, f->subject,
            f->change == NULL                                ? ""
            : strcmp(f->change, SA_CHANGE_NEW) == 0          ? "  (new)"
            : strcmp(f->change, SA_CHANGE_NOT_COMPARED) == 0 ? "  (not compared)"
                                                             : "");
    if (f->message)
        fprintf(out, "          %s\n", f->message);
    if (f->evidence)
        fprintf(out, "          evidence: %s\n", f->evidence);
    if (f->n_events > 0) {
        fprintf(out, "          OpsMgr events:");
        for (size_t i = 0; i < f->n_events; i++)
            fprintf(out, "%s %d", i ? "," : "", f->events[i]);
        fputc('\n', out);
    }
    if (f->fix) {
        const char *line = f->fix;
        bool first = true;
        while (*line) {
            size_t len = strcspn(line, "\n");
            fprintf(out, "          %s%.*s\n", first ? "fix: " : "     ", (int)len, line);
            first = false;
            line += len + (line[len] == '\n');
        }
    }
}

/* Does the finding belong to one of the report's servers?  (Those that
 * do not are listed after the servers.) */
static bool
of_a_server(const sa_report *r, const sa_finding *f)
{
    for (size_t i = 0; f->server != NULL && i < r->n_servers; i++) {
        if (strcasecmp(f->server, r->servers[i].fqdn) == 0)
            return true;
    }
    return false;
}

static const char *
holder_name(const sa_account *a)
{
    return a->sam ? a->sam : a->dn;
}

static void
text_server(FILE *out, const sa_report *r, const sa_spn_index *idx, const sa_server *s, int width)
{
    size_t shown = 0, nf = 0, spn_w = 0, holder_w = 0;

    fprintf(out, "\n%s %s", s->gateway ? "Gateway" : "Management server", s->fqdn);
    if (s->account >= 0) {
        const sa_account *a = &r->accounts->items[s->account];
        fprintf(out, " (computer account %s%s%s%s)", a->domain ? a->domain : "", a->domain ? "\\" : "",
                holder_name(a), sa_account_disabled(a) ? ", DISABLED" : "");
    } else {
        fprintf(out, s->not_judged ? " (NOT JUDGED: its domain could not be read)"
                                   : " (no computer account found)");
    }
    fputc('\n', out);
    if (r->reach != NULL) {
        const sa_reach *re = &r->reach[s - r->servers];
        if (!re->resolved)
            fprintf(out, "  reachability: does not resolve (%s)\n", re->resolve_error);
        else if (re->connected)
            fprintf(out, "  reachability: %s, TCP %u open\n", re->address, SA_AGENT_PORT);
        else
            fprintf(out, "  reachability: %s, TCP %u closed (%s)\n", re->address, SA_AGENT_PORT,
                    re->connect_error);
    }
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
        const char *spn = idx->refs[i].spn;
        if (!spn_is_for_server(r, &idx->refs[i], s))
            continue;
        fprintf(out, "  %-*s  %-*s  ", (int)spn_w, spn, (int)holder_w, holder_name(a));
        text_ticket(out, ticket_of(r, &idx->refs[i]));
        fputc('\n', out);
        shown++;
    }
    if (shown == 0)
        fprintf(out, "  (no SCOM SPN names this server)\n");
    for (size_t i = 0; i < r->findings->n; i++) {
        const sa_finding *f = &r->findings->items[i];
        if (f->server != NULL && strcasecmp(f->server, s->fqdn) == 0) {
            text_finding(out, r, f, width);
            nf++;
        }
    }
    if (nf == 0 && !s->not_judged) {
        fputs("  ", out);
        text_word(out, r, COLOR_OK, "OK", 8);
        fputs("no findings\n", out);
    }
}

int
sa_report_text(const sa_report *r, FILE *out)
{
    const sa_server **servers = NULL;
    sa_spn_index idx = {NULL, 0};
    size_t other = 0, failures, warnings, infos;
    int ret = -1, width = code_width(r->findings);

    if (!sa_spn_index_build(r->accounts, &idx) || (servers = sorted_servers(r)) == NULL) {
        errno = ENOMEM;
        goto cleanup;
    }
    fprintf(out, "spnaudit %s: audit of %s (realm %s) via %s as %s\n", SPNAUDIT_VERSION,
            r->domain ? r->domain : "?", r->realm ? r->realm : "?", r->uri ? r->uri : "?",
            r->client ? r->client : "?");
    if (r->bind != NULL)
        fprintf(out, "LDAP: %s\n", r->bind);
    if (r->scope != NULL)
        text_scope(out, r->scope);
    for (size_t i = 0; r->also_read != NULL && i < r->also_read->n; i++)
        fprintf(out, "%s %s", i == 0 ? "Also read (for duplicates, or servers there):" : ",",
                r->also_read->items[i]);
    if (r->also_read != NULL && r->also_read->n > 0)
        fputc('\n', out);
    fprintf(out, "%zu accounts hold %zu SCOM SPNs (%zu entries in %zu LDAP pages)", r->accounts->n,
            count_spns(r->accounts), r->stats ? r->stats->entries : 0, r->stats ? r->stats->pages : 0);
    if (r->tickets != NULL)
        fprintf(out, "; %zu service tickets requested, %zu refused", sa_tickets_count_tried(r->tickets),
                sa_tickets_count_refused(r->tickets));
    else
        fprintf(out, "; no service tickets requested");
    fputc('\n', out);
    if (!r->complete) {
        fputc('\n', out);
        text_word(out, r, COLOR_BAD, "INCOMPLETE:", 0);
        fprintf(out, " %s\nThe findings below cover only what was read.\n",
                r->incomplete_reason ? r->incomplete_reason : "the audit did not finish");
    }
    if (r->baseline_file != NULL && r->comparison != NULL) {
        fprintf(out, "\nChanges since baseline %s", r->baseline_file);
        text_changes(out, r->findings, r->comparison);
    }

    for (size_t i = 0; i < r->n_servers; i++)
        text_server(out, r, &idx, servers[i], width);

    for (size_t i = 0; i < r->findings->n; i++)
        other += !of_a_server(r, &r->findings->items[i]);
    fprintf(out, "\nOther accounts holding SCOM SPNs: %zu findings\n", other);
    for (size_t i = 0; i < r->findings->n; i++) {
        if (!of_a_server(r, &r->findings->items[i]))
            text_finding(out, r, &r->findings->items[i], width);
    }

    failures = sa_findings_count(r->findings, SA_SEV_FAILURE);
    warnings = sa_findings_count(r->findings, SA_SEV_WARNING);
    infos = sa_findings_count(r->findings, SA_SEV_INFO);
    fprintf(out, "\nSummary: %zu failure%s, %zu warning%s, %zu info; %s; exit status %d; %.1f s\n", failures,
            failures == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", infos,
            r->complete ? "audit complete" : "audit INCOMPLETE", r->exit_status, r->seconds);
    ret = fflush(out) == 0 && !ferror(out) ? 0 : -1;
cleanup:
    free(servers);
    sa_spn_index_free(&idx);
    return ret;
}

/* ------------------------------------------------------------ JSON */

json_object *
jstr(const char *s)
{
    return s ? json_object_new_string(s) : NULL; /* NULL is JSON null */
}

/* Add to obj; false when a value could not be made. */
bool
jadd(json_object *obj, const char *key, json_object *val, bool nullable)
{
    if (val == NULL && !nullable)
        return false;
    if (json_object_object_add(obj, key, val) != 0) {
        json_object_put(val);
        return false;
    }
    return true;
}

/* o with child added as key, when all went well (ok); else nothing is
 * kept: both are dropped and NULL returned. */
json_object *
finish(json_object *o, bool ok, const char *key, json_object *child)
{
    if (ok && jadd(o, key, child, false))
        return o; /* jadd dropped child if it failed */
    if (!ok)
        json_object_put(child);
    json_object_put(o);
    return NULL;
}

static json_object *
json_ticket(const sa_ticket *t)
{
    json_object *o = json_object_new_object();
    bool ok = o != NULL;

    if (!ok)
        return NULL;
    ok = jadd(o, "tried", json_object_new_boolean(t->tried), false) &&
         jadd(o, "ok", json_object_new_boolean(t->ok), false);
    if (ok && t->ok) {
        ok = jadd(o, "enctype", jstr(t->enctype), true) &&
             jadd(o, "session_enctype", jstr(t->session_enctype), true) &&
             jadd(o, "kvno", json_object_new_int(t->kvno), false) && jadd(o, "realm", jstr(t->realm), true);
    } else if (ok && t->tried) {
        const sa_krb_cause_info *ci = sa_krb_cause_describe(t->cause);
        ok = jadd(o, "error_code", json_object_new_int64(t->code), false) &&
             jadd(o, "error", jstr(t->error), true) && jadd(o, "cause", jstr(ci->finding_code), false);
    }
    if (!ok) {
        json_object_put(o);
        return NULL;
    }
    return o;
}

static json_object *
json_account(const sa_account *a)
{
    json_object *o = json_object_new_object(), *spns = json_object_new_array();
    bool ok = o != NULL && spns != NULL;

    for (size_t i = 0; ok && i < a->spns.n; i++)
        ok = json_object_array_add(spns, json_object_new_string(a->spns.items[i])) == 0;
    ok = ok && jadd(o, "dn", jstr(a->dn), false) && jadd(o, "sam_account_name", jstr(a->sam), true) &&
         jadd(o, "dns_host_name", jstr(a->dns_host), true) &&
         jadd(o, "kind", jstr(sa_account_kind_name(a->kind)), false) &&
         jadd(o, "disabled", json_object_new_boolean(sa_account_disabled(a)), false) &&
         jadd(o, "user_account_control", a->has_uac ? json_object_new_int64(a->uac) : NULL, true) &&
         jadd(o, "supported_encryption_types", a->has_enctypes ? json_object_new_int64(a->enctypes) : NULL,
              true);
    return finish(o, ok, "spns", spns);
}

json_object *
json_finding(const sa_finding *f, const char *why)
{
    json_object *o = json_object_new_object(), *ev = json_object_new_array();
    bool ok = o != NULL && ev != NULL;

    for (size_t i = 0; ok && i < f->n_events; i++)
        ok = json_object_array_add(ev, json_object_new_int(f->events[i])) == 0;
    ok = ok && jadd(o, "code", jstr(f->code), false) &&
         jadd(o, "severity", jstr(sa_severity_name(f->severity)), false) &&
         jadd(o, "subject", jstr(f->subject), false) && jadd(o, "server", jstr(f->server), true) &&
         jadd(o, "message", jstr(f->message), true) && jadd(o, "evidence", jstr(f->evidence), true) &&
         jadd(o, "fix", jstr(f->fix), true) &&
         (f->change == NULL || jadd(o, "change", jstr(f->change), false)) &&
         (why == NULL || jadd(o, "why_not_compared", jstr(why), false));
    return finish(o, ok, "events", ev);
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
             jadd(e, "ticket", t ? json_ticket(t) : NULL, t == NULL) && json_object_array_add(spns, e) == 0;
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

/* The document, pretty-printed, then a newline; 0 or -1 (errno set). */
int
write_json(json_object *root, FILE *out)
{
    const char *text = json_object_to_json_string_ext(
        root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);

    if (text == NULL) {
        errno = ENOMEM;
        return -1;
    }
    if (fputs(text, out) < 0 || fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
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
account_item(const sa_report *r, const sa_spn_index *idx, size_t i)
{
    return json_account(&r->accounts->items[i]);
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

/* A JSON array of the strings (empty for NULL). */
json_object *
json_strv(const sa_strv *v)
{
    json_object *arr = json_object_new_array();

    for (size_t i = 0; arr != NULL && v != NULL && i < v->n; i++) {
        if (json_object_array_add(arr, json_object_new_string(v->items[i])) != 0) {
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
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

json_object *
json_tool(void)
{
    json_object *o = json_object_new_object();

    if (o == NULL || !jadd(o, "name", jstr("spnaudit"), false) ||
        !jadd(o, "version", jstr(SPNAUDIT_VERSION), false)) {
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
    json_object *root = json_object_new_object();
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
         add_array(root, "management_servers", r->n_servers, server_item, r, &idx) &&
         add_array(root, "findings", r->findings->n, finding_item, r, &idx) &&
         add_array(root, "accounts", r->accounts->n, account_item, r, &idx);
    if (ok && r->baseline_file != NULL && r->comparison != NULL)
        ok = json_add_changes(root, r->baseline_file, r->baseline_generated, r->findings, r->comparison);
    if (!ok) {
        errno = ENOMEM;
        goto cleanup;
    }
    ret = write_json(root, out);
cleanup:
    json_object_put(root);
    sa_spn_index_free(&idx);
    return ret;
}

/* ------------------------------------------------------------ probe */

int
sa_probe_report_text(const sa_probe_report *r, FILE *out)
{
    size_t tried = sa_tickets_count_tried(r->tickets), refused = sa_tickets_count_refused(r->tickets);

    for (size_t i = 0; i < r->tickets->n; i++) {
        const sa_ticket *t = &r->tickets->items[i];
        const sa_krb_cause_info *ci = sa_krb_cause_describe(t->cause);

        if (!t->tried) {
            fprintf(out, "SKIPPED %s: not requested (the probe stopped)\n", t->spn);
        } else if (t->ok) {
            fprintf(out, "OK      %s: %s, session key %s, kvno %d, realm %s\n", t->spn,
                    t->enctype ? t->enctype : "?", t->session_enctype ? t->session_enctype : "?", t->kvno,
                    t->realm ? t->realm : "?");
        } else {
            fprintf(out, "FAILED  %s: %s\n        %s: %s\n", t->spn, t->error ? t->error : "?",
                    ci->finding_code, ci->summary);
            if (ci->events[0] != 0) {
                fprintf(out, "        OpsMgr events:");
                for (size_t e = 0; e < 4 && ci->events[e] != 0; e++)
                    fprintf(out, "%s %d", e ? "," : "", ci->events[e]);
                fputc('\n', out);
            }
            fprintf(out, "        fix: %s\n", ci->fix);
        }
    }
    if (!r->complete)
        fprintf(out, "INCOMPLETE: %s\n",
                r->incomplete_reason ? r->incomplete_reason : "the probe did not finish");
    fprintf(out,
            "Summary: %zu SPN%s, %zu ticket%s requested, %zu issued, %zu refused as %s in %.2f s; exit "
            "status %d\n",
            r->tickets->n, r->tickets->n == 1 ? "" : "s", tried, tried == 1 ? "" : "s", tried - refused,
            refused, r->client ? r->client : "?", r->seconds, r->exit_status);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

int
sa_probe_report_json(const sa_probe_report *r, FILE *out)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array(),
                *counts = json_object_new_object();
    size_t tried = sa_tickets_count_tried(r->tickets), refused = sa_tickets_count_refused(r->tickets);
    bool ok = root != NULL && arr != NULL && counts != NULL;
    int ret = -1;

    for (size_t i = 0; ok && i < r->tickets->n; i++) {
        const sa_ticket *t = &r->tickets->items[i];
        const sa_krb_cause_info *ci = sa_krb_cause_describe(t->cause);
        json_object *o = json_ticket(t), *ev = json_object_new_array();

        ok = o != NULL && ev != NULL && jadd(o, "spn", jstr(t->spn), false);
        for (size_t e = 0; ok && e < 4 && ci->events[e] != 0 && t->tried && !t->ok; e++)
            ok = json_object_array_add(ev, json_object_new_int(ci->events[e])) == 0;
        if (ok) {
            ok = jadd(o, "events", ev, false);
            ev = NULL;
        }
        json_object_put(ev);
        if (ok && json_object_array_add(arr, o) != 0)
            ok = false;
        if (!ok)
            json_object_put(o);
    }
    ok = ok && jadd(counts, "spns", json_object_new_int64((int64_t)r->tickets->n), false) &&
         jadd(counts, "tickets_requested", json_object_new_int64((int64_t)tried), false) &&
         jadd(counts, "tickets_issued", json_object_new_int64((int64_t)(tried - refused)), false) &&
         jadd(counts, "tickets_refused", json_object_new_int64((int64_t)refused), false);
    ok = ok && jadd(root, "schema_version", json_object_new_int(1), false) &&
         jadd(root, "tool", json_tool(), false) && jadd(root, "client", jstr(r->client), true) &&
         jadd(root, "realm", jstr(r->realm), true) &&
         jadd(root, "complete", json_object_new_boolean(r->complete), false) &&
         jadd(root, "incomplete_reason", r->complete ? NULL : jstr(r->incomplete_reason), true) &&
         jadd(root, "exit_status", json_object_new_int(r->exit_status), false) &&
         jadd(root, "duration_seconds", json_object_new_double(r->seconds), false);
    if (ok) {
        ok = jadd(root, "counts", counts, false); /* jadd drops what it cannot add */
        counts = NULL;
    }
    if (ok) {
        ok = jadd(root, "tickets", arr, false);
        arr = NULL;
    }
    if (!ok) {
        errno = ENOMEM;
        goto cleanup;
    }
    ret = write_json(root, out);
cleanup:
    json_object_put(counts);
    json_object_put(arr);
    json_object_put(root);
    return ret;
}

/* ------------------------------------------------------------ events */

/* text after first (on the first line) or indent (on the others), words
 * wrapped before column 78. */
static void
text_wrapped(FILE *out, const char *first, const char *indent, const char *text)
{
    size_t col = strlen(first);
    bool line_start = true;

    fputs(first, out);
    while (*text != '\0') {
        size_t word = strcspn(text, " ");
        if (!line_start && col + 1 + word > 78) {
            fprintf(out, "\n%s", indent);
            col = strlen(indent);
            line_start = true;
        }
        if (!line_start) {
            fputc(' ', out);
            col++;
        }
        fwrite(text, 1, word, out);
        col += word;
        line_start = false;
        text += word;
        text += strspn(text, " ");
    }
    fputc('\n', out);
}

static int
flushed(FILE *out)
{
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

static void
text_commands(FILE *out, sa_check_source source)
{
    const char *const *cmds = sa_check_source_commands(source);

    for (size_t i = 0; cmds[i] != NULL; i++)
        fprintf(out, "%sspnaudit %s", i == 0 ? "" : ", ", cmds[i]);
}

int
sa_event_explain_text(const sa_event_info *e, FILE *out)
{
    sa_event_checks checks = {NULL, 0, 0};
    int ret = -1;

    if (sa_event_checks_for(e->id, &checks, NULL) != SA_OK) {
        errno = ENOMEM;
        goto cleanup;
    }
    fprintf(out, "Event %d: %s\n\n", e->id, e->title);
    text_wrapped(out, "  ", "  ", e->meaning);
    fprintf(out, "\nUsual causes:\n");
    for (size_t i = 0; e->causes[i] != NULL; i++)
        text_wrapped(out, "  - ", "    ", e->causes[i]);
    if (checks.n == 0)
        fprintf(out, "\nCovered by: no spnaudit check shows this event.\n");
    else
        fprintf(out, "\nCovered by these spnaudit checks:\n");
    for (size_t i = 0; i < checks.n; i++) {
        const sa_event_check *c = &checks.items[i];
        fprintf(out, "  %s (%s, from ", c->code, sa_check_source_name(c->source));
        text_commands(out, c->source);
        fprintf(out, ")\n");
        text_wrapped(out, "      ", "      ", c->summary);
    }
    if (e->beyond != NULL) {
        fprintf(out, "\n%s\n", checks.n == 0 ? "Check by hand:" : "Also check:");
        text_wrapped(out, "  ", "  ", e->beyond);
    }
    ret = flushed(out);
cleanup:
    sa_event_checks_clear(&checks);
    return ret;
}

/* Append item to array a; false (item dropped) when it could not be made
 * or added. */
bool
jappend(json_object *a, json_object *item)
{
    if (item == NULL || json_object_array_add(a, item) != 0) {
        json_object_put(item);
        return false;
    }
    return true;
}

static json_object *
json_commands(sa_check_source source)
{
    const char *const *cmds = sa_check_source_commands(source);
    json_object *a = json_object_new_array();
    bool ok = a != NULL;

    for (size_t i = 0; ok && cmds[i] != NULL; i++)
        ok = jappend(a, jstr(cmds[i]));
    if (!ok) {
        json_object_put(a);
        return NULL;
    }
    return a;
}

static json_object *
json_check(const sa_event_check *c)
{
    json_object *o = json_object_new_object();
    bool ok = o != NULL && jadd(o, "code", jstr(c->code), false) &&
              jadd(o, "source", jstr(sa_check_source_name(c->source)), false) &&
              jadd(o, "summary", jstr(c->summary), false);

    return finish(o, ok, "commands", ok ? json_commands(c->source) : NULL);
}

static json_object *
json_event(const sa_event_info *e, const sa_event_checks *checks)
{
    json_object *o = json_object_new_object(), *causes = json_object_new_array(),
                *covered = json_object_new_array();
    bool ok = o != NULL && causes != NULL && covered != NULL;

    for (size_t i = 0; ok && e->causes[i] != NULL; i++)
        ok = jappend(causes, jstr(e->causes[i]));
    for (size_t i = 0; ok && i < checks->n; i++)
        ok = jappend(covered, json_check(&checks->items[i]));
    ok = ok && jadd(o, "event", json_object_new_int(e->id), false) &&
         jadd(o, "title", jstr(e->title), false) && jadd(o, "meaning", jstr(e->meaning), false);
    if (ok) {
        ok = jadd(o, "causes", causes, false); /* which drops it on failure */
        causes = NULL;
    }
    json_object_put(causes);
    ok = ok && jadd(o, "covered", json_object_new_boolean(checks->n > 0), false) &&
         jadd(o, "also_check", jstr(e->beyond), true);
    return finish(o, ok, "covered_by", covered);
}

int
sa_event_explain_json(const sa_event_info *e, FILE *out)
{
    sa_event_checks checks = {NULL, 0, 0};
    json_object *root = NULL;
    int ret = -1;

    if (sa_event_checks_for(e->id, &checks, NULL) != SA_OK || (root = json_event(e, &checks)) == NULL) {
        errno = ENOMEM;
        goto cleanup;
    }
    ret = write_json(root, out);
cleanup:
    json_object_put(root);
    sa_event_checks_clear(&checks);
    return ret;
}

/* How many checks cover each known event, in table order, in a malloc'd
 * array; NULL on out of memory. */
static size_t *
count_checks(const sa_event_info *table, size_t n)
{
    size_t *counts = calloc(n ? n : 1, sizeof(*counts));
    bool ok = counts != NULL;

    for (size_t i = 0; ok && i < n; i++) {
        sa_event_checks checks = {NULL, 0, 0};
        ok = sa_event_checks_for(table[i].id, &checks, NULL) == SA_OK;
        counts[i] = checks.n;
        sa_event_checks_clear(&checks);
    }
    if (!ok) {
        free(counts);
        return NULL;
    }
    return counts;
}

int
sa_event_list_text(FILE *out)
{
    size_t n;
    const sa_event_info *table = sa_event_table(&n);
    size_t *counts = count_checks(table, n);
    int ret = -1;

    if (counts == NULL) {
        errno = ENOMEM;
        goto cleanup;
    }
    fprintf(out, "EVENT  CHECKS  TITLE\n");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%-5d  %6zu  %s\n", table[i].id, counts[i], table[i].title);
    fprintf(out, "\n'spnaudit explain EVENT' tells what an event means, its usual causes and the\n"
                 "checks that show it.\n");
    ret = flushed(out);
cleanup:
    free(counts);
    return ret;
}

int
sa_event_list_json(FILE *out)
{
    size_t n;
    const sa_event_info *table = sa_event_table(&n);
    size_t *counts = count_checks(table, n);
    json_object *root = json_object_new_object(), *arr = json_object_new_array();
    bool ok = counts != NULL && root != NULL && arr != NULL;
    int ret = -1;

    for (size_t i = 0; ok && i < n; i++) {
        json_object *o = json_object_new_object();
        ok = o != NULL && jadd(o, "event", json_object_new_int(table[i].id), false) &&
             jadd(o, "title", jstr(table[i].title), false) &&
             jadd(o, "checks", json_object_new_int((int)counts[i]), false);
        if (ok)
            ok = jappend(arr, o);
        else
            json_object_put(o);
    }
    ok = ok && jadd(root, "tool", json_tool(), false);
    root = finish(root, ok, "events", arr);
    if (root == NULL) {
        errno = ENOMEM;
        goto cleanup;
    }
    ret = write_json(root, out);
cleanup:
    json_object_put(root);
    free(counts);
    return ret;
}
