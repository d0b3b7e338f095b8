/* report_explain.c - what an OpsMgr event means and which checks show it
 * (spnaudit explain), what one check (a finding code or ticket cause) is,
 * and the list of known events, as text and JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

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

/* root with child added as key, written to out and dropped; -1 (errno
 * ENOMEM) when !ok or either could not be made. */
static int
finish_and_write(json_object *root, bool ok, const char *key, json_object *child, FILE *out)
{
    int ret;

    if ((root = finish(root, ok, key, child)) == NULL) {
        errno = ENOMEM;
        return -1;
    }
    ret = write_json(root, out);
    json_object_put(root);
    return ret;
}

int
sa_check_explain_text(const sa_check_info *c, FILE *out)
{
    fprintf(out, "%s: a %s code (from ", c->code, sa_check_source_name(c->source));
    text_commands(out, c->source);
    fprintf(out, "), severity %s\n\n", sa_severity_name(c->severity));
    text_wrapped(out, "  ", "  ", c->summary);
    if (c->fix != NULL) {
        fprintf(out, "\nWhat to do:\n");
        text_wrapped(out, "  ", "  ", c->fix);
    }
    if (c->n_events == 0)
        fprintf(out, "\nOpsMgr events: none that it leads to directly.\n");
    else
        fprintf(out, "\nOpsMgr events it leads to:\n");
    for (size_t i = 0; i < c->n_events; i++) {
        const sa_event_info *e = sa_event_lookup(c->events[i]);
        fprintf(out, "  %-5d  %s\n", c->events[i], e != NULL ? e->title : "");
    }
    fprintf(out, "\nThe FINDINGS section of spnaudit(1) says more; 'spnaudit explain EVENT' tells\n"
                 "what an event means.\n");
    return flushed(out);
}

int
sa_check_explain_json(const sa_check_info *c, FILE *out)
{
    json_object *root = json_object_new_object(), *events = json_object_new_array();
    bool ok = root != NULL && events != NULL && jadd(root, "code", jstr(c->code), false) &&
              jadd(root, "source", jstr(sa_check_source_name(c->source)), false) &&
              jadd(root, "severity", jstr(sa_severity_name(c->severity)), false) &&
              jadd(root, "summary", jstr(c->summary), false) && jadd(root, "fix", jstr(c->fix), true) &&
              jadd(root, "commands", json_commands(c->source), false);

    for (size_t i = 0; ok && i < c->n_events; i++) {
        const sa_event_info *e = sa_event_lookup(c->events[i]);
        json_object *o = json_object_new_object();
        ok = o != NULL && jadd(o, "event", json_object_new_int(c->events[i]), false) &&
             jadd(o, "title", jstr(e != NULL ? e->title : NULL), true);
        if (ok)
            ok = jappend(events, o);
        else
            json_object_put(o);
    }
    return finish_and_write(root, ok, "events", events, out);
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
    free(counts);
    return finish_and_write(root, ok, "events", arr, out);
}
