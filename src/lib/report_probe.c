/* report_probe.c - the probe's report: each ticket asked for, and why a
 * refused one was refused, as text for people and JSON for programs. */
#include <errno.h>

#include "report_internal.h"

int
sa_probe_report_text(const sa_probe_report *r, FILE *out)
{
    size_t tried = sa_tickets_count_tried(r->tickets), refused = sa_tickets_count_refused(r->tickets);

    for (size_t i = 0; i < r->tickets->n; i++) {
        const sa_ticket *t = &r->tickets->items[i];
        const sa_krb_cause_info *ci = sa_krb_cause_describe(t->cause);

        if (!t->tried) {
            sa_show_printf(out, "SKIPPED %s: not requested (the probe stopped)\n", t->spn);
        } else if (t->ok) {
            sa_show_printf(out, "OK      %s: %s, session key %s, kvno %d, realm %s\n", t->spn,
                           t->enctype ? t->enctype : "?", t->session_enctype ? t->session_enctype : "?",
                           t->kvno, t->realm ? t->realm : "?");
        } else {
            sa_show_printf(out, "FAILED  %s: %s\n        %s: %s\n", t->spn, t->error ? t->error : "?",
                           ci->finding_code, ci->summary);
            if (ci->events[0] != 0) {
                sa_show_printf(out, "        OpsMgr events:");
                for (size_t e = 0; e < 4 && ci->events[e] != 0; e++)
                    sa_show_printf(out, "%s %d", e ? "," : "", ci->events[e]);
                fputc('\n', out);
            }
            sa_show_printf(out, "        fix: %s\n", ci->fix);
        }
    }
    if (!r->complete)
        sa_show_printf(out, "INCOMPLETE: %s\n",
                       r->incomplete_reason ? r->incomplete_reason : "the probe did not finish");
    sa_show_printf(
        out,
        "Summary: %zu SPN%s, %zu ticket%s requested, %zu issued, %zu refused as %s in %.2f s; exit "
        "status %d\n",
        r->tickets->n, r->tickets->n == 1 ? "" : "s", tried, tried == 1 ? "" : "s", tried - refused, refused,
        r->client ? r->client : "?", r->seconds, r->exit_status);
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
        json_object *o = json_ticket_result(t), *ev = json_object_new_array();

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
