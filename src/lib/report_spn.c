/* report_spn.c - the listing of "spnaudit spn" as text and as JSON. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "report_internal.h"
#include "spnaudit/directory.h"
#include "spnaudit/spnlist.h"

static const char *
plural(size_t n)
{
    return n == 1 ? "" : "s";
}

int
sa_spn_report_text(const sa_spn_listing *l, FILE *out)
{
    for (size_t r = 0; r < l->n_rows; r++) {
        const sa_spn_row *row = &l->rows[r];

        sa_show_printf(out, "%-44s", l->idx.refs[row->first].spn);
        for (size_t k = row->first; k < row->first + row->count; k++) {
            const sa_account *a = &l->accounts.items[l->idx.refs[k].account];
            char *name = sa_account_display(a, NULL);

            sa_show_printf(out, "%s%s (%s%s)", k == row->first ? " " : ", ", name ? name : a->dn,
                           sa_account_kind_name(a->kind), sa_account_disabled(a) ? ", disabled" : "");
            free(name);
        }
        sa_show_printf(out, "%s\n", row->duplicate ? "  DUPLICATE" : "");
    }
    sa_show_printf(
        out,
        "%zu SPN%s listed; %zu account%s in %s hold SPNs of these classes; %zu SPN%s on several accounts\n",
        l->n_rows, plural(l->n_rows), l->accounts.n, plural(l->accounts.n), l->where, l->n_duplicates,
        l->n_duplicates == 1 ? " is" : "s are");
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

static json_object *
json_holder(const sa_account *a)
{
    json_object *h = json_object_new_object();
    char *dom = sa_dn_domain_of(a->dn);
    bool ok = h != NULL && jadd(h, "dn", jstr(a->dn), false) && jadd(h, "domain", jstr(dom), true) &&
              jadd(h, "sam_account_name", jstr(a->sam), true) &&
              jadd(h, "kind", jstr(sa_account_kind_name(a->kind)), false) &&
              jadd(h, "disabled", json_object_new_boolean(sa_account_disabled(a)), false);

    free(dom);
    if (!ok) {
        json_object_put(h);
        return NULL;
    }
    return h;
}

static json_object *
json_row(const sa_spn_listing *l, const sa_spn_row *row)
{
    json_object *e = json_object_new_object(), *holders = json_object_new_array();
    bool ok = e != NULL && holders != NULL && jadd(e, "spn", jstr(l->idx.refs[row->first].spn), false) &&
              jadd(e, "duplicate", json_object_new_boolean(row->duplicate), false);

    for (size_t k = row->first; ok && k < row->first + row->count; k++)
        ok = jappend(holders, json_holder(&l->accounts.items[l->idx.refs[k].account]));
    return finish(e, ok, "holders", holders);
}

static json_object *
json_counts(const sa_spn_listing *l)
{
    json_object *c = json_object_new_object();

    if (c != NULL && jadd(c, "listed", json_object_new_int64((int64_t)l->n_rows), false) &&
        jadd(c, "accounts", json_object_new_int64((int64_t)l->accounts.n), false) &&
        jadd(c, "duplicates", json_object_new_int64((int64_t)l->n_duplicates), false))
        return c;
    json_object_put(c);
    return NULL;
}

static json_object *
row_item(const void *data, size_t r)
{
    const sa_spn_listing *l = data;

    return json_row(l, &l->rows[r]);
}

/* Streamed: 40,000 SPNs built as one document took 137 MiB. */
int
sa_spn_report_json(const sa_spn_listing *l, FILE *out)
{
    json_object *head = json_object_new_object();
    bool ok = head != NULL && jadd(head, "schema_version", json_object_new_int(1), false) &&
              jadd(head, "domain", jstr(l->where), false) && jadd(head, "counts", json_counts(l), false) &&
              jadd(head, "referrals_not_followed", json_strv(&l->referrals), false);
    int ret = -1;

    if (ok)
        ret = write_json_streamed(head, "spns", l->n_rows, row_item, l, NULL, out);
    else
        errno = ENOMEM;
    json_object_put(head);
    return ret;
}
