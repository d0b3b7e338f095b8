/* report_trusts.c - the trusts and their verdicts, and the plan, as text
 * and as JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "fix_json.h"
#include "report_internal.h"
#include "spnaudit/report_trusts.h"
#include "spnaudit/secdesc.h"

static const char *
yes_no(bool b)
{
    return b ? "yes" : "no";
}

static int
finish_text(FILE *out)
{
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* The document (write_json), then freed; 0 or -1 (errno set). */
static int
finish_json(json_object *root, FILE *out)
{
    int ret = write_json(root, out);

    json_object_put(root);
    return ret;
}

/* ------------------------------------------------------------ trusts */

const char *
verdict_text(sa_verdict_kind k)
{
    switch (k) {
    case SA_VERDICT_KERBEROS:
        return "KERBEROS";
    case SA_VERDICT_SELECTIVE:
        return "KERBEROS IF ALLOWED TO AUTHENTICATE";
    case SA_VERDICT_NOT_ALLOWED:
        return "KERBEROS REFUSED: NOT ALLOWED TO AUTHENTICATE";
    case SA_VERDICT_CERTIFICATES:
        break;
    }
    return "CERTIFICATES REQUIRED";
}

/* The trusts of the servers' domain, then the other sides read. */
static void
trusts_text(const sa_trust_run *r, FILE *out)
{
    const sa_trusts *trusts = &r->trusts;

    sa_show_printf(out, "Trusts of %s (read from %s)\n", r->home, r->uri);
    if (r->n_home == 0)
        sa_show_printf(out, "  none\n");
    else
        sa_show_printf(out, "  %-22s %-10s %-22s %-9s %-10s %s\n", "PARTNER", "NETBIOS", "KIND", "DIRECTION",
                       "TRANSITIVE", "ATTRIBUTES");
    for (size_t i = 0; i < r->n_home; i++) {
        const sa_trust *t = &trusts->items[i];
        char *attrs = sa_trust_attributes_text(t->attributes);
        sa_show_printf(out, "  %-22s %-10s %-22s %-9s %-10s %s\n", t->partner, t->flat ? t->flat : "-",
                       sa_trust_kind_name(sa_trust_classify(t)), sa_trust_direction_name(t->direction),
                       yes_no(sa_trust_transitive(t)), attrs ? attrs : "?");
        free(attrs);
    }
    for (size_t i = r->n_home; i < trusts->n; i++) {
        const sa_trust *t = &trusts->items[i];
        if (i == r->n_home || strcasecmp(t->domain, trusts->items[i - 1].domain) != 0)
            sa_show_printf(out, "Trusts of %s, as it sees them\n", t->domain);
        sa_show_printf(out, "  %-22s %-10s %-22s %-9s %s\n", t->partner, t->flat ? t->flat : "-",
                       sa_trust_kind_name(sa_trust_classify(t)), sa_trust_direction_name(t->direction),
                       yes_no(sa_trust_transitive(t)));
    }
    for (size_t i = 0; i < r->not_read.n; i++)
        sa_show_printf(out, "Not read: %s\n", r->not_read.items[i]);
    sa_show_printf(out, "Domains of the forests read (Partitions):");
    for (size_t i = 0; i < r->forest.n; i++)
        sa_show_printf(out, " %s", r->forest.items[i]);
    sa_show_printf(out, "%s\n", r->forest.n ? "" : " none");
}

/* The certificate work of a certificates verdict, one item a line, then
 * what --cert-dir found for each side. */
static void
cert_work_text(const sa_strv *work, const sa_strv *checked, const char *margin, FILE *out)
{
    if (work->n > 0)
        sa_show_printf(out, "%scertificates needed:\n", margin);
    for (size_t k = 0; k < work->n; k++)
        sa_show_printf(out, "%s  - %s\n", margin, work->items[k]);
    if (checked->n > 0)
        sa_show_printf(out, "%scertificates found (--cert-dir):\n", margin);
    for (size_t k = 0; k < checked->n; k++)
        sa_show_printf(out, "%s  - %s\n", margin, checked->items[k]);
}

static void
row_text(const sa_trust_row *row, sa_shell shell, FILE *out)
{
    const sa_verdict *v = &row->v;

    sa_show_printf(out, "  %-22s %s", row->agent, verdict_text(v->kind));
    for (size_t k = 0; k < v->n_events; k++)
        sa_show_printf(out, "%s%d", k == 0 ? "  (events " : ", ", v->events[k]);
    sa_show_printf(out, "%s\n", v->n_events ? ")" : "");
    if (*v->path)
        sa_show_printf(out, "      path: %s\n", v->path);
    sa_show_printf(out, "      why:  %s\n", v->why);
    for (size_t k = 0; k < row->acls.n; k++) {
        const sa_server_acl *a = &row->acls.items[k];
        sa_show_printf(out, "      %s %s: %s\n", k == 0 ? "acl: " : "     ", a->server,
                       a->read ? sa_auth_grant_name(a->grant) : "not read");
    }
    if (v->fix.n > 0) /* commands: written for the shell, one a line */
        text_fix(out, "      ", "do", &v->fix, shell);
    else if (*v->recommend)
        sa_show_printf(out, "      do:   %s\n", v->recommend);
    if (row->observed != NULL)
        sa_show_printf(out, "      seen: %s%s\n", row->differs ? "DIFFERS FROM THE RULE: " : "",
                       row->observed);
    cert_work_text(&row->cert_work, &row->cert_checked, "      ", out);
}

int
sa_trust_report_text(const sa_trust_run *r, sa_shell shell, FILE *out)
{
    trusts_text(r, out);
    sa_show_printf(out, "\nAgents of each domain -> management servers and gateways of %s:\n", r->home);
    for (size_t i = 0; i < r->n_rows; i++)
        row_text(&r->rows[i], shell, out);
    return finish_text(out);
}

static json_object *
json_trust(const sa_trust *t)
{
    json_object *o = json_object_new_object();
    char *attrs = sa_trust_attributes_text(t->attributes);

    if (o == NULL || attrs == NULL) {
        json_object_put(o);
        free(attrs);
        return NULL;
    }
    json_object_object_add(o, "domain", jstr(t->domain));
    json_object_object_add(o, "partner", jstr(t->partner));
    json_object_object_add(o, "netbios", t->flat ? jstr(t->flat) : NULL);
    json_object_object_add(o, "sid", t->sid ? jstr(t->sid) : NULL);
    json_object_object_add(o, "kind", jstr(sa_trust_kind_name(sa_trust_classify(t))));
    json_object_object_add(o, "direction", jstr(sa_trust_direction_name(t->direction)));
    json_object_object_add(o, "transitive", json_object_new_boolean(sa_trust_transitive(t)));
    json_object_object_add(o, "selective_authentication",
                           json_object_new_boolean((t->attributes & SA_TRUST_CROSS_ORGANIZATION) != 0));
    json_object_object_add(o, "sid_filtering",
                           json_object_new_boolean((t->attributes & SA_TRUST_QUARANTINED_DOMAIN) != 0));
    json_object_object_add(o, "attributes", jstr(attrs));
    json_object_object_add(o, "trust_type", json_object_new_int(t->type));
    json_object_object_add(o, "trust_direction", json_object_new_int(t->direction));
    json_object_object_add(o, "trust_attributes", json_object_new_int64(t->attributes));
    json_object_object_add(o, "supported_encryption_types",
                           t->has_enctypes ? json_object_new_int64(t->enctypes) : NULL);
    free(attrs);
    return o;
}

static json_object *
json_ticket(const sa_tickets *probes, long i)
{
    json_object *o;
    const sa_ticket *t;

    if (i < 0)
        return NULL;
    t = &probes->items[i];
    o = json_object_new_object();
    if (o == NULL)
        return NULL;
    json_object_object_add(o, "principal", jstr(t->spn));
    json_object_object_add(o, "issued", json_object_new_boolean(t->ok));
    json_object_object_add(o, "error", t->ok || t->error == NULL ? NULL : jstr(t->error));
    json_object_object_add(o, "enctype", t->ok && t->enctype ? jstr(t->enctype) : NULL);
    return o;
}

/* What the KDCs did, or null when not asked. */
static json_object *
json_observed(const sa_trust_row *r, const sa_tickets *probes)
{
    json_object *o;

    if (r->observed == NULL || (o = json_object_new_object()) == NULL)
        return NULL;
    json_object_object_add(o, "cross_realm_tgt", json_ticket(probes, r->tgt));
    json_object_object_add(o, "service_ticket", json_ticket(probes, r->service));
    json_object_object_add(o, "differs_from_rule", json_object_new_boolean(r->differs));
    json_object_object_add(o, "note", jstr(r->observed));
    return o;
}

/* The servers checked for "Allowed to Authenticate", or null. */
static json_object *
json_acls(const sa_server_acls *acls)
{
    json_object *arr;

    if (acls->n == 0 || (arr = json_object_new_array()) == NULL)
        return NULL;
    for (size_t i = 0; i < acls->n; i++) {
        const sa_server_acl *a = &acls->items[i];
        json_object *o = json_object_new_object();
        if (o == NULL)
            continue;
        json_object_object_add(o, "server", jstr(a->server));
        json_object_object_add(o, "dn", a->dn ? jstr(a->dn) : NULL);
        json_object_object_add(o, "allowed_to_authenticate",
                               jstr(a->read ? sa_auth_grant_name(a->grant) : "not read"));
        json_object_object_add(o, "why", jstr(a->why));
        json_object_array_add(arr, o);
    }
    return arr;
}

static json_object *
json_events(const sa_verdict *v)
{
    json_object *ev = json_object_new_array();

    for (size_t k = 0; ev != NULL && k < v->n_events; k++)
        json_object_array_add(ev, json_object_new_int(v->events[k]));
    return ev;
}

static json_object *
json_row(const sa_trust_run *r, const sa_trust_row *row)
{
    const sa_verdict *v = &row->v;
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "agent_domain", jstr(row->agent));
    json_object_object_add(o, "server_domain", jstr(r->home));
    json_object_object_add(o, "verdict", jstr(sa_verdict_kind_name(v->kind)));
    json_object_object_add(o, "path", jstr(v->path));
    json_object_object_add(o, "why", jstr(v->why));
    json_object_object_add(o, "recommendation", jstr(v->recommend));
    json_object_object_add(o, "fix_data", json_fix(&v->fix));
    json_object_object_add(o, "events", json_events(v));
    json_object_object_add(o, "servers_checked", json_acls(&row->acls));
    json_object_object_add(o, "observed", json_observed(row, &r->probes));
    json_object_object_add(o, "certificate_work", json_strv(&row->cert_work));
    json_object_object_add(o, "certificate_check", json_strv(&row->cert_checked));
    return o;
}

int
sa_trust_report_json(const sa_trust_run *r, FILE *out)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array(),
                *verdicts = json_object_new_array();

    if (root == NULL || arr == NULL || verdicts == NULL) {
        json_object_put(root);
        json_object_put(arr);
        json_object_put(verdicts);
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < r->trusts.n; i++)
        json_object_array_add(arr, json_trust(&r->trusts.items[i]));
    for (size_t i = 0; i < r->n_rows; i++)
        json_object_array_add(verdicts, json_row(r, &r->rows[i]));
    json_object_object_add(root, "schema_version", json_object_new_int(1));
    json_object_object_add(root, "domain", jstr(r->home));
    json_object_object_add(root, "server", jstr(r->uri));
    json_object_object_add(root, "exit_status", json_object_new_int(r->status));
    json_object_object_add(root, "trusts", arr);
    json_object_object_add(root, "not_read", json_strv(&r->not_read));
    json_object_object_add(root, "forest_domains", json_strv(&r->forest));
    json_object_object_add(root, "verdicts", verdicts);
    return finish_json(root, out);
}

/* ------------------------------------------------------------ plan */

const char *
kind_text(sa_verdict_kind k)
{
    return k == SA_VERDICT_KERBEROS      ? "Kerberos"
           : k == SA_VERDICT_SELECTIVE   ? "Kerberos if Allowed to Authenticate"
           : k == SA_VERDICT_NOT_ALLOWED ? "Kerberos refused: not Allowed to Authenticate"
                                         : "certificates";
}

static void
plan_row_text(const sa_plan *p, const sa_plan_row *r, sa_shell shell, FILE *out)
{
    sa_show_printf(out, "\nAgents of %s: %s\n", r->agent,
                   r->gateway >= 0 ? "through a gateway" : kind_text(r->direct.kind));
    sa_show_printf(out, "  to the management servers: %s", kind_text(r->direct.kind));
    if (*r->direct.path)
        sa_show_printf(out, " (%s)", r->direct.path);
    sa_show_printf(out, "\n    %s\n", r->direct.why);
    for (size_t k = 0; k < r->direct_acls.n; k++) {
        const sa_server_acl *a = &r->direct_acls.items[k];
        sa_show_printf(out, "%s %s %s", k == 0 ? "  Allowed to Authenticate on" : ";", a->server,
                       a->read ? sa_auth_grant_name(a->grant) : "not read");
    }
    if (r->direct_acls.n > 0)
        sa_show_printf(out, "\n");
    sa_show_printf(out, "  events if deployed as is: ");
    for (size_t k = 0; k < r->direct.n_events; k++)
        sa_show_printf(out, "%s%d", k == 0 ? "" : ", ", r->direct.events[k]);
    sa_show_printf(out, "%s\n", r->direct.n_events ? "" : "none");
    if (r->gateway >= 0)
        sa_show_printf(out, "  to the gateway %s: %s (%s); gateway to the management servers: %s\n",
                       p->gateways->items[r->gateway], kind_text(r->via.kind), r->via.path,
                       kind_text(r->onward.kind));
    sa_show_printf(out, "  design: %s\n", r->design);
    if (r->gateway < 0 && r->direct.fix.n > 0) /* commands: written for the shell, one a line */
        text_fix(out, "  ", "do", &r->direct.fix, shell);
    cert_work_text(&r->cert_work, &r->cert_checked, "  ", out);
}

int
sa_plan_report_text(const sa_plan *p, sa_shell shell, FILE *out)
{
    sa_show_printf(out, "Plan: management servers %s (%s)", p->ms->items[0], p->ms_domain);
    for (size_t i = 1; i < p->ms->n; i++)
        sa_show_printf(out, ", %s", p->ms->items[i]);
    for (size_t i = 0; p->gateways != NULL && i < p->gateways->n; i++)
        sa_show_printf(out, "%s%s", i == 0 ? "; gateways " : ", ", p->gateways->items[i]);
    sa_show_printf(out, "\n");
    for (size_t i = 0; i < p->not_read.n; i++)
        sa_show_printf(out, "Not read: %s\n", p->not_read.items[i]);
    for (size_t i = 0; i < p->n_rows; i++)
        plan_row_text(p, &p->rows[i], shell, out);
    return finish_text(out);
}

static json_object *
json_verdict(const sa_verdict *v)
{
    json_object *o = json_object_new_object();

    if (o == NULL)
        return NULL;
    json_object_object_add(o, "verdict", jstr(sa_verdict_kind_name(v->kind)));
    json_object_object_add(o, "path", jstr(v->path));
    json_object_object_add(o, "why", jstr(v->why));
    json_object_object_add(o, "fix_data", json_fix(&v->fix));
    json_object_object_add(o, "events", json_events(v));
    return o;
}

static json_object *
json_plan_row(const sa_plan *p, const sa_plan_row *r)
{
    json_object *e = json_object_new_object();
    bool gw = r->gateway >= 0;

    if (e == NULL)
        return NULL;
    json_object_object_add(e, "agent_domain", jstr(r->agent));
    json_object_object_add(e, "to_management_servers", json_verdict(&r->direct));
    json_object_object_add(e, "servers_checked", json_acls(&r->direct_acls));
    json_object_object_add(e, "gateway", gw ? jstr(p->gateways->items[r->gateway]) : NULL);
    json_object_object_add(e, "to_gateway", gw ? json_verdict(&r->via) : NULL);
    json_object_object_add(e, "gateway_to_management_servers", gw ? json_verdict(&r->onward) : NULL);
    json_object_object_add(e, "design", jstr(r->design));
    json_object_object_add(e, "certificate_work", json_strv(&r->cert_work));
    json_object_object_add(e, "certificate_check", json_strv(&r->cert_checked));
    return e;
}

int
sa_plan_report_json(const sa_plan *p, FILE *out)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array();

    if (root == NULL || arr == NULL) {
        json_object_put(root);
        json_object_put(arr);
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < p->n_rows; i++)
        json_object_array_add(arr, json_plan_row(p, &p->rows[i]));
    json_object_object_add(root, "schema_version", json_object_new_int(1));
    json_object_object_add(root, "management_servers", json_strv(p->ms));
    json_object_object_add(root, "gateways", json_strv(p->gateways));
    json_object_object_add(root, "not_read", json_strv(&p->not_read));
    json_object_object_add(root, "exit_status", json_object_new_int(p->status));
    json_object_object_add(root, "agent_domains", arr);
    return finish_json(root, out);
}
