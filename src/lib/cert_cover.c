/* cert_cover.c - plan --cert-dir: for each party a certificates design
 * names (the agents of a domain, a gateway, each management server), the
 * certificates of the directory that are for it and what their checks
 * found, one line each; a party without a certificate free of failures
 * makes its agent domain's outcome a failure. */
#include <stdlib.h>
#include <string.h>

#include "spnaudit/cert.h"
#include "spnaudit/display.h"
#include "spnaudit/domains.h"
#include "spnaudit/trustaudit.h"

#define CODES_SHOWN 3 /* failures named on a line; the rest counted */

/* Is c for the party: its host under the agents' domain, or the host? */
static bool
cert_for(const sa_cert *c, bool agents, const char *name)
{
    return c->host != NULL && (agents ? sa_name_under_domain(c->host, name) : sa_cert_name_is(c->host, name));
}

/* The failures among the findings of certificate c (their subject is
 * its source), the first few of them named into codes. */
static size_t
failures_of(const sa_cert_run *run, const sa_cert *c, sa_strv *codes)
{
    size_t n = 0;

    for (size_t i = 0; i < run->findings.n; i++) {
        const sa_finding *f = &run->findings.items[i];
        if (f->severity != SA_SEV_FAILURE || strcmp(f->subject, c->source) != 0)
            continue;
        if (n++ < CODES_SHOWN && codes != NULL) {
            char *line = sa_strdup_printf("%s (%s)", f->code, c->source);
            if (line == NULL || !sa_strv_add(codes, line))
                n = (size_t)-1; /* out of memory: said by the caller's check of codes */
            free(line);
            if (n == (size_t)-1)
                return 0;
        }
    }
    return n;
}

/* The line of one party into out; *usable: a certificate without
 * failures is there.  False on out of memory. */
static bool
party_line(const sa_cert_run *run, const char *dir, bool agents, const char *name, sa_strv *out, bool *usable)
{
    sa_strv codes = {NULL, 0, 0};
    size_t found = 0, failing = 0;
    char *party = agents ? sa_strdup_printf("the agents of %s", name) : strdup(name), *shown = NULL, *line;
    bool ok;

    for (size_t i = 0; i < run->certs.n; i++) {
        if (!cert_for(&run->certs.items[i], agents, name))
            continue;
        found++;
        failing += failures_of(run, &run->certs.items[i], codes.n < CODES_SHOWN ? &codes : NULL) > 0;
    }
    *usable = found > failing;
    shown = sa_strv_join(&codes, "; ");
    if (found == 0)
        line = sa_strdup_printf("%s: no certificate for %s in %s", party, agents ? "them" : "it", dir);
    else if (failing == 0)
        line = sa_strdup_printf("%s: %zu certificate%s in %s, no failure", party, found,
                                found == 1 ? "" : "s", dir);
    else
        line = sa_strdup_printf("%s: %zu certificate%s in %s, %zu with failures: %s%s (spnaudit cert FILE "
                                "for the fixes)",
                                party, found, found == 1 ? "" : "s", dir, failing, shown ? shown : "",
                                failing > codes.n ? "; ..." : "");
    ok = party != NULL && shown != NULL && line != NULL && sa_strv_add(out, line);
    free(line);
    free(shown);
    free(party);
    sa_strv_clear(&codes);
    return ok;
}

bool
sa_cert_cover(const sa_cert_run *run, const char *dir, sa_cert_work_clients kind, const char *name,
              const sa_strv *servers, sa_strv *out, bool *all_usable)
{
    bool usable = true, ok;

    ok = party_line(run, dir, kind == SA_CERT_WORK_AGENTS, name, out, &usable);
    *all_usable = usable;
    for (size_t i = 0; ok && servers != NULL && i < servers->n; i++) {
        ok = party_line(run, dir, false, servers->items[i], out, &usable);
        *all_usable = *all_usable && usable;
    }
    return ok;
}

/* The files of run not read, as warnings. */
static sa_status
unread_warnings(const sa_cert_run *run, sa_strv *warnings, sa_error *err)
{
    for (size_t i = 0; i < run->unread.n; i++) {
        char *line = sa_strdup_printf("--cert-dir: not read: %s", run->unread.items[i]);
        bool ok = line != NULL && sa_strv_add(warnings, line);
        free(line);
        if (!ok)
            return sa_error_nomem(err);
    }
    return SA_OK;
}

sa_status
sa_trust_check_certs(sa_trust_run *r, const sa_strv *servers, const sa_cert_run *run, const char *dir,
                     sa_error *err)
{
    for (size_t i = 0; i < r->n_rows; i++) {
        bool usable;
        if (r->rows[i].cert_work.n > 0 && !sa_cert_cover(run, dir, SA_CERT_WORK_AGENTS, r->rows[i].agent,
                                                         servers, &r->rows[i].cert_checked, &usable))
            return sa_error_nomem(err);
    }
    return unread_warnings(run, &r->warnings, err);
}

sa_status
sa_plan_check_certs(sa_plan *p, const sa_cert_run *run, const char *dir, sa_error *err)
{
    for (size_t i = 0; i < p->n_rows; i++) {
        sa_plan_row *r = &p->rows[i];
        bool gw = r->gateway >= 0, usable = true;

        if (r->cert_work.n == 0)
            continue;
        if (!sa_cert_cover(run, dir, gw ? SA_CERT_WORK_GATEWAY : SA_CERT_WORK_AGENTS,
                           gw ? p->gateways->items[r->gateway] : r->agent, p->ms, &r->cert_checked, &usable))
            return sa_error_nomem(err);
        if (!usable && r->outcome < 2)
            r->outcome = 2;
        if (r->outcome > p->status)
            p->status = r->outcome;
    }
    return unread_warnings(run, &p->warnings, err);
}
