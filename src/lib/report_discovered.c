/* report_discovered.c - an audit with no server named: say that no
 * server could be checked for missing SPNs, and suggest the servers the
 * directory names, with a command line to audit them. */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* One host found, where, and whether it is plain, on a line (the tool's
 * words in the format: they may wrap). */
static void
text_found(FILE *out, const sa_discovered *d, const char *host, int name_w, size_t width)
{
    bool scp = sa_strv_contains_ci(&d->scp_hosts, host), sdk = sa_strv_contains_ci(&d->sdk_hosts, host);
    bool plain = sa_plain_dns_name(host);

    if (scp && sdk)
        text_wrapf(out, 0, 4, width, "  %-*s  service connection point, MSOMSdkSvc SPN", name_w, host);
    else if (scp)
        text_wrapf(out, 0, 4, width, "  %-*s  service connection point", name_w, host);
    else
        text_wrapf(out, 0, 4, width, "  %-*s  MSOMSdkSvc SPN", name_w, host);
    if (!plain)
        text_wrapf(out, 0, 4, width, "    (not a plain DNS name: left out of the command line)");
}

/* The hosts found, one a line, and the command that audits them. */
static void
text_suggestion(FILE *out, const sa_report *r, const sa_strv *hosts)
{
    size_t width = text_width(r), name_w = 0, odd = 0;
    char *cmd;
    bool nomem = false;

    for (size_t i = 0; i < hosts->n; i++) {
        char *shown = sa_shown_dup(hosts->items[i]);
        size_t cols = shown ? text_columns(shown, strlen(shown)) : 0;
        name_w = cols > name_w ? cols : name_w;
        free(shown);
    }
    text_wrapf(out, 0, 2, width,
               "Found in the directory (discovered, not given: check that they are this "
               "management group's):");
    for (size_t i = 0; i < hosts->n; i++) {
        text_found(out, r->discovered, hosts->items[i], (int)name_w, width);
        odd += !sa_plain_dns_name(hosts->items[i]);
    }
    cmd = sa_discovered_command(r->uri, hosts, &nomem);
    if (cmd != NULL) {
        text_wrapf(out, 0, 2, width, "To audit %s:", odd > 0 ? "those that are plain DNS names" : "them");
        fprintf(out, "  %s\n", cmd); /* plain DNS names only: never wrapped, pasted as it is */
    }
    if (odd == 1)
        text_wrapf(
            out, 0, 2, width,
            "1 name is left out of the command line: it is not a plain DNS name, which a shell could read "
            "otherwise; check it and give it with --ms yourself");
    else if (odd > 1)
        text_wrapf(out, 0, 2, width,
                   "%zu names are left out of the command line: they are not plain DNS names, which a shell "
                   "could read otherwise; check them and give them with --ms yourself",
                   odd);
    free(cmd);
}

void
text_no_servers(FILE *out, const sa_report *r, bool in_report)
{
    sa_strv hosts = {NULL, 0, 0};
    size_t width = text_width(r);

    if (in_report)
        fputc('\n', out);
    if (in_report) /* the tool's words in the format: they may wrap (text_wrapf) */
        text_wrapf(out, 0, 2, width,
                   "No management server or gateway named (--ms, --gateway or -c FILE): no server could be "
                   "checked for missing SPNs, only the accounts holding SCOM SPNs (below).");
    else
        text_wrapf(out, 0, 2, width,
                   "No management server or gateway named (--ms, --gateway or -c FILE): no server could be "
                   "checked for missing SPNs, only the accounts holding SCOM SPNs.");
    if (r->discovered == NULL)
        return;
    if (r->discovered->scp_error != NULL)
        text_wrapf(out, 0, 2, width, "The service connection points could not be read: %s",
                   r->discovered->scp_error);
    if (!sa_discovered_hosts(r->discovered, &hosts))
        fputs("(out of memory)\n", out);
    else if (hosts.n == 0 && r->discovered->scp_error != NULL)
        text_wrapf(out, 0, 2, width, "No MSOMSdkSvc SPN names a management server either.");
    else if (hosts.n == 0)
        text_wrapf(out, 0, 2, width,
                   "Nothing in the directory names a management server: no service connection point under "
                   "CN=OperationsManager, no MSOMSdkSvc SPN.");
    else
        text_suggestion(out, r, &hosts);
    sa_strv_clear(&hosts);
}

int
sa_report_no_servers_text(const sa_report *r, FILE *out)
{
    text_no_servers(out, r, false);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

static json_object *
json_found(const sa_discovered *d, const char *host)
{
    json_object *o = json_object_new_object();

    if (o != NULL && !(jadd(o, "host", jstr(host), false) &&
                       jadd(o, "service_connection_point",
                            json_object_new_boolean(sa_strv_contains_ci(&d->scp_hosts, host)), false) &&
                       jadd(o, "msomsdksvc_spn", json_object_new_boolean(sa_strv_contains_ci(&d->sdk_hosts, host)),
                            false) &&
                       jadd(o, "plain_dns_name", json_object_new_boolean(sa_plain_dns_name(host)), false))) {
        json_object_put(o);
        o = NULL;
    }
    return o;
}

json_object *
json_discovered(const sa_report *r)
{
    sa_strv hosts = {NULL, 0, 0};
    json_object *o = json_object_new_object(), *arr = json_object_new_array(), *ret = NULL;
    char *cmd = NULL;
    bool nomem = false, ok = o != NULL && arr != NULL && sa_discovered_hosts(r->discovered, &hosts);

    for (size_t i = 0; ok && i < hosts.n; i++) {
        json_object *found = json_found(r->discovered, hosts.items[i]);
        if (!(ok = found != NULL && json_object_array_add(arr, found) == 0))
            json_object_put(found);
    }
    if (ok)
        cmd = sa_discovered_command(r->uri, &hosts, &nomem);
    if (ok && !nomem) {
        ok = jadd(o, "hosts", arr, false);
        arr = NULL; /* o holds it, or jadd dropped it */
    }
    ok = ok && !nomem && jadd(o, "service_connection_points_error", jstr(r->discovered->scp_error), true) &&
         jadd(o, "command", jstr(cmd), true);
    if (ok) {
        ret = o;
        o = NULL;
    }
    json_object_put(arr);
    json_object_put(o);
    free(cmd);
    sa_strv_clear(&hosts);
    return ret;
}
