/* scope.c - what an audit covered, and what two reports both covered. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/display.h"
#include "spnaudit/scope.h"
#include "spnaudit/spn.h"

/* fmt with ap as kept (shown false), or as the text report shows it
 * (shown: escaped, the spaces of the values glued); malloc'd, NULL on out
 * of memory. */
static char *
vformat(bool shown, const char *fmt, va_list ap)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m;

    if (!shown)
        return vasprintf(&text, fmt, ap) < 0 ? NULL : text;
    if ((m = open_memstream(&text, &len)) == NULL)
        return NULL;
    sa_show_vprintf_glued(m, SA_SHOW_GLUE, fmt, ap);
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static char *format(bool shown, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *
format(bool shown, const char *fmt, ...)
{
    va_list ap;
    char *text;

    va_start(ap, fmt);
    text = vformat(shown, fmt, ap);
    va_end(ap);
    return text;
}

/* Both forms of a reason into why; on out of memory neither. */
static void why_set(sa_why *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
why_set(sa_why *why, const char *fmt, ...)
{
    va_list ap, copy;

    va_start(ap, fmt);
    va_copy(copy, ap);
    why->text = vformat(false, fmt, ap);
    why->shown = vformat(true, fmt, copy);
    va_end(copy);
    va_end(ap);
    if (why->text == NULL || why->shown == NULL)
        sa_why_clear(why);
}

void
sa_why_clear(sa_why *why)
{
    free(why->text);
    free(why->shown);
    why->text = why->shown = NULL;
}

/* ------------------------------------------------------------ the scope */

bool
sa_checks_not_run_add(sa_checks_not_run *list, const char *check, const char *server, const char *why)
{
    sa_check_not_run *grown = sa_grow(list->items, &list->cap, list->n, sizeof(*grown), 4), *c;

    if (grown == NULL)
        return false;
    list->items = grown;
    c = &list->items[list->n];
    memset(c, 0, sizeof(*c));
    c->check = strdup(check);
    c->server = server ? strdup(server) : NULL;
    c->why = strdup(why ? why : "");
    if (c->check == NULL || c->why == NULL || (server != NULL && c->server == NULL)) {
        free(c->check);
        free(c->server);
        free(c->why);
        return false;
    }
    list->n++;
    return true;
}

static bool
already_noted(const sa_checks_not_run *list, const char *check, size_t len, const char *server)
{
    for (size_t i = 0; i < list->n; i++) {
        const sa_check_not_run *c = &list->items[i];
        if (strlen(c->check) == len && strncmp(c->check, check, len) == 0 &&
            ((c->server == NULL && server == NULL) ||
             (c->server != NULL && server != NULL && strcasecmp(c->server, server) == 0)))
            return true;
    }
    return false;
}

bool
sa_checks_not_run_note(sa_checks_not_run *list, const char *checks, const char *server, const char *why)
{
    for (const char *p = checks; *p != '\0';) {
        size_t len = strcspn(p, " ");
        char *one;
        bool ok;

        if (len > 0 && !already_noted(list, p, len, server)) {
            if ((one = strndup(p, len)) == NULL)
                return false;
            ok = sa_checks_not_run_add(list, one, server, why);
            free(one);
            if (!ok)
                return false;
        }
        p += len + (p[len] == ' ');
    }
    return true;
}

void
sa_checks_not_run_clear(sa_checks_not_run *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].check);
        free(list->items[i].server);
        free(list->items[i].why);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}

void
sa_report_scope_clear(sa_report_scope *s)
{
    sa_strv_clear(&s->domains);
    sa_strv_clear(&s->other_domains);
    sa_strv_clear(&s->servers);
    sa_strv_clear(&s->gateways);
    sa_strv_clear(&s->service_classes);
    sa_checks_not_run_clear(&s->checks_not_run);
    memset(s, 0, sizeof(*s));
}

static const char *const ticket_names[] = {"none", "servers", "all"};

const char *
sa_scope_tickets_name(sa_scope_tickets t)
{
    return (size_t)t < sizeof(ticket_names) / sizeof(ticket_names[0]) ? ticket_names[t] : "none";
}

bool
sa_scope_tickets_parse(const char *name, sa_scope_tickets *out)
{
    for (size_t i = 0; name != NULL && i < sizeof(ticket_names) / sizeof(ticket_names[0]); i++) {
        if (strcmp(name, ticket_names[i]) == 0) {
            *out = (sa_scope_tickets)i;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------ coverage */

/* The first item of a not in b or in c (ignoring case), or NULL. */
static const char *
first_missing(const sa_strv *a, const sa_strv *b, const sa_strv *c)
{
    for (size_t i = 0; i < a->n; i++) {
        if (!sa_strv_contains_ci(b, a->items[i]) && (c == NULL || !sa_strv_contains_ci(c, a->items[i])))
            return a->items[i];
    }
    return NULL;
}

/* As ruled_out_by_scope, for the domains read.  Findings of no server
 * come from the accounts of the audited domains; duplicates also from
 * the domains read for them. */
static bool
ruled_out_by_domains(const sa_report_scope *s, const sa_report_scope *from, const sa_finding *f,
                     const char *when, sa_why *why)
{
    const char *name;

    if (f->server == NULL && (name = first_missing(&from->domains, &s->domains, NULL)) != NULL)
        why_set(why, "domain %s: not audited %s", name, when);
    else if (strcmp(f->code, "SPN_DUPLICATE") != 0)
        return false;
    else if ((name = first_missing(&from->domains, &s->domains, &s->other_domains)) != NULL ||
             (name = first_missing(&from->other_domains, &s->domains, &s->other_domains)) != NULL)
        why_set(why, "domain %s: not read %s", name, when);
    else if (from->forest && !s->forest)
        why_set(why, "the forest (Global Catalog): not read %s", when);
    else
        return false;
    return true;
}

/* Is f's subject an SPN (parsed into *parsed) of a class from looked at
 * and s did not? */
static bool
class_missing(const sa_report_scope *s, const sa_report_scope *from, const sa_finding *f, sa_spn *parsed)
{
    const char *why;

    return sa_spn_parse(f->subject, parsed, &why) &&
           sa_strv_contains_ci(&from->service_classes, parsed->service_class) &&
           !sa_strv_contains_ci(&s->service_classes, parsed->service_class);
}

static bool
is_reachability(const char *code)
{
    return strcmp(code, "DNS_RESOLUTION_FAILED") == 0 || strcmp(code, "TCP_CONNECT_FAILED") == 0;
}

static bool
is_certificate(const char *code)
{
    return strncmp(code, "CERT_", 5) == 0;
}

/* Is code one of check's: the same, or check ends in '*' and code starts
 * with what is before it ("*" every code, "TICKET_*" the tickets'). */
static bool
check_gives(const char *check, const char *code)
{
    size_t len = strlen(check);

    return len > 0 && check[len - 1] == '*' ? strncmp(check, code, len - 1) == 0 : strcmp(check, code) == 0;
}

/* The check of s that could not run and would have given f, or NULL. */
static const sa_check_not_run *
check_not_run(const sa_report_scope *s, const sa_finding *f)
{
    for (size_t i = 0; i < s->checks_not_run.n; i++) {
        const sa_check_not_run *c = &s->checks_not_run.items[i];
        if (check_gives(c->check, f->code) &&
            (c->server == NULL || (f->server != NULL && strcasecmp(c->server, f->server) == 0)))
            return c;
    }
    return NULL;
}

/* The rules that need only s: true when one rules f out (*why set to
 * the reason, NULL on out of memory). */
static bool
ruled_out_by_scope(const sa_report_scope *s, const sa_finding *f, const char *when, sa_why *why)
{
    bool ticket = strncmp(f->code, "TICKET_", 7) == 0;

    if (f->server != NULL && !sa_strv_contains_ci(&s->servers, f->server) &&
        !sa_strv_contains_ci(&s->gateways, f->server))
        why_set(why, "%s: not audited %s", f->server, when);
    else if (ticket && s->tickets == SA_SCOPE_TICKETS_NONE)
        why_set(why, "tickets: not requested %s", when);
    else if (ticket && s->tickets == SA_SCOPE_TICKETS_SERVERS && f->server == NULL)
        why_set(why, "tickets: requested for the servers' SPNs only %s", when);
    else if (is_reachability(f->code) && !s->reachability)
        why_set(why, "reachability: not checked %s", when);
    else if (is_certificate(f->code) && !s->certificates)
        why_set(why, "certificates: not checked %s", when);
    else
        return false;
    return true;
}

/* The rules that need from too (known): as ruled_out_by_scope. */
static bool
ruled_out_by_both(const sa_report_scope *s, const sa_report_scope *from, const sa_finding *f,
                  const char *when, sa_why *why)
{
    sa_spn parsed;

    if (!class_missing(s, from, f, &parsed))
        return ruled_out_by_domains(s, from, f, when, why);
    why_set(why, "service class %s: not looked at %s", parsed.service_class, when);
    return true;
}

bool
sa_scope_covers(const sa_report_scope *s, bool complete, const sa_report_scope *from, const sa_finding *f,
                const char *when, sa_why *why)
{
    const sa_check_not_run *c = check_not_run(s, f);
    bool ruled_out = true;

    why->text = why->shown = NULL;
    if (!complete)
        why_set(why, "the audit: incomplete %s", when);
    else if (c != NULL)
        why_set(why, "check %s%s%s: could not run %s (%s)", c->check, c->server ? " for " : "",
                c->server ? c->server : "", when, c->why);
    else
        ruled_out = s->known && (ruled_out_by_scope(s, f, when, why) ||
                                 (from != NULL && from->known && ruled_out_by_both(s, from, f, when, why)));
    return !ruled_out || why->text != NULL; /* ruled out without a reason: out of memory */
}

/* ------------------------------------------------------------ changes */

static sa_scope_change *
add_change(sa_scope_changes *out, const char *what)
{
    sa_scope_change *grown = sa_grow(out->items, &out->cap, out->n, sizeof(*grown), 8);

    if (grown == NULL)
        return NULL;
    out->items = grown;
    memset(&grown[out->n], 0, sizeof(grown[0]));
    grown[out->n].what = what;
    return &grown[out->n++];
}

/* The items of a not in b, into to. */
static bool
only_in(const sa_strv *a, const sa_strv *b, sa_strv *to)
{
    for (size_t i = 0; i < a->n; i++) {
        if (!sa_strv_contains_ci(b, a->items[i]) && !sa_strv_add(to, a->items[i]))
            return false;
    }
    return true;
}

static bool
list_change(sa_scope_changes *out, const char *what, const sa_strv *was, const sa_strv *now)
{
    sa_scope_change *c;

    if (first_missing(was, now, NULL) == NULL && first_missing(now, was, NULL) == NULL)
        return true;
    return (c = add_change(out, what)) != NULL && only_in(was, now, &c->removed) &&
           only_in(now, was, &c->added);
}

static bool
value_change(sa_scope_changes *out, const char *what, const char *was, const char *now)
{
    sa_scope_change *c;

    if (strcmp(was, now) == 0)
        return true;
    if ((c = add_change(out, what)) == NULL)
        return false;
    c->was = was;
    c->now = now;
    return true;
}

bool
sa_scope_diff(const sa_report_scope *was, const sa_report_scope *now, sa_scope_changes *out)
{
    return list_change(out, "domains", &was->domains, &now->domains) &&
           list_change(out, "other_domains", &was->other_domains, &now->other_domains) &&
           value_change(out, "forest", was->forest ? "read" : "not read",
                        now->forest ? "read" : "not read") &&
           list_change(out, "servers", &was->servers, &now->servers) &&
           list_change(out, "gateways", &was->gateways, &now->gateways) &&
           list_change(out, "service_classes", &was->service_classes, &now->service_classes) &&
           value_change(out, "tickets", sa_scope_tickets_name(was->tickets),
                        sa_scope_tickets_name(now->tickets)) &&
           value_change(out, "reachability", was->reachability ? "checked" : "not checked",
                        now->reachability ? "checked" : "not checked") &&
           value_change(out, "certificates", was->certificates ? "checked" : "not checked",
                        now->certificates ? "checked" : "not checked");
}

void
sa_scope_changes_clear(sa_scope_changes *c)
{
    for (size_t i = 0; i < c->n; i++) {
        sa_strv_clear(&c->items[i].removed);
        sa_strv_clear(&c->items[i].added);
    }
    free(c->items);
    memset(c, 0, sizeof(*c));
}

/* What a change is called for people: the lists' words for removed and
 * added, the values' name. */
static const struct {
    const char *what, *removed, *added;
} change_words[] = {
    {"domains", "domains no longer audited", "domains newly audited"},
    {"other_domains", "domains no longer read for duplicates", "domains newly read for duplicates"},
    {"forest", "the forest (Global Catalog)", NULL},
    {"servers", "servers no longer audited", "servers newly audited"},
    {"gateways", "gateways no longer audited", "gateways newly audited"},
    {"service_classes", "service classes no longer looked at", "service classes newly looked at"},
    {"tickets", "tickets", NULL},
    {"reachability", "reachability", NULL},
    {"certificates", "the servers' certificates", NULL},
};

/* The items of list joined by ", " (shown: each escaped, its spaces glued). */
static char *
joined_list(const sa_strv *list, bool shown)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m;

    if (!shown)
        return sa_strv_join(list, ", ");
    if ((m = open_memstream(&text, &len)) == NULL)
        return NULL;
    for (size_t i = 0; i < list->n; i++) {
        char *item = format(true, "%s", list->items[i]);
        fprintf(m, "%s%s", i ? ", " : "", item ? item : "(out of memory)");
        free(item);
    }
    if (fclose(m) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

char *
sa_scope_change_text(const sa_scope_change *c, int part, bool shown)
{
    const sa_strv *list = part == 0 ? &c->removed : &c->added;
    char *joined, *line;
    size_t k = 0;

    while (k + 1 < sizeof(change_words) / sizeof(change_words[0]) &&
           strcmp(change_words[k].what, c->what) != 0)
        k++;
    if (c->was != NULL)
        return part == 0
                   ? format(shown, "%s: %s in the baseline, %s now", change_words[k].removed, c->was, c->now)
                   : NULL;
    if (list->n == 0 || (joined = joined_list(list, shown)) == NULL)
        return NULL;
    /* the list is already in its final form: only the words are formatted */
    line = sa_strdup_printf("%s: %s", part == 0 ? change_words[k].removed : change_words[k].added, joined);
    free(joined);
    return line;
}
