/* report_json.c - what every JSON report is built with: strings, objects
 * and arrays that drop what could not be made, a finding, a ticket, the
 * tool's name and version, and the document written out. */
#include <errno.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fix_json.h"
#include "report_internal.h"

json_object *
jstr(const char *s)
{
    char *valid = sa_utf8_valid_dup(s); /* JSON is UTF-8: invalid bytes become U+FFFD */
    json_object *o = valid ? json_object_new_string(valid) : NULL; /* NULL is JSON null */

    free(valid);
    return o;
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

json_object *
json_ticket_result(const sa_ticket *t)
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

json_object *
json_finding(const sa_finding *f, const char *why)
{
    json_object *o = json_object_new_object(), *ev = json_object_new_array();
    char *fix = sa_fix_render(&f->fix, SA_SHELL_CMD);
    bool ok = o != NULL && ev != NULL && (fix != NULL || sa_fix_empty(&f->fix));

    for (size_t i = 0; ok && i < f->n_events; i++)
        ok = json_object_array_add(ev, json_object_new_int(f->events[i])) == 0;
    ok = ok && jadd(o, "code", jstr(f->code), false) &&
         jadd(o, "severity", jstr(sa_severity_name(f->severity)), false) &&
         jadd(o, "subject", jstr(f->subject), false) && jadd(o, "server", jstr(f->server), true) &&
         jadd(o, "message", jstr(f->message), true) && jadd(o, "evidence", jstr(f->evidence), true) &&
         jadd(o, "fix", jstr(fix), true) && jadd(o, "fix_data", json_fix(&f->fix), true) &&
         (f->change == NULL || jadd(o, "change", jstr(f->change), false)) &&
         (why == NULL || jadd(o, "why_not_compared", jstr(why), false));
    free(fix);
    return finish(o, ok, "events", ev);
}

/* text with each DEL written as \u007f: json-c escapes only the controls
 * below 0x20, and a raw DEL may reach a terminal that shows the report.  A
 * DEL byte can only be inside a string, so the result is the same JSON. */
int
put_json_text(const char *text, FILE *out)
{
    for (const char *p = text; *p != '\0';) {
        size_t n = strcspn(p, "\x7f");

        if (fwrite(p, 1, n, out) != n)
            return -1;
        p += n;
        if (*p == '\x7f') {
            if (fputs("\\u007f", out) < 0)
                return -1;
            p++;
        }
    }
    return 0;
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
    if (put_json_text(text, out) != 0 || fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
}

/* A JSON array of the strings (empty for NULL). */
json_object *
json_strv(const sa_strv *v)
{
    json_object *arr = json_object_new_array();

    for (size_t i = 0; arr != NULL && v != NULL && i < v->n; i++) {
        if (json_object_array_add(arr, jstr(v->items[i])) != 0) {
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
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

json_object *
built(json_object *o, bool ok)
{
    if (ok)
        return o;
    json_object_put(o);
    return NULL;
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
