/* audit_certs.c - audit --cert-ca-file: the certificates published on the
 * management servers' and gateways' computer objects, read over the
 * audit's own connections and checked as "spnaudit cert" checks them;
 * their findings join the audit's, and a server whose certificates could
 * not be checked is a check not run for it, never a finding. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audit_internal.h"
#include "spnaudit/cert.h"
#include "spnaudit/display.h"

/* sa_cert_dir_fn over the audit's connections (ctx: the audit). */
static sa_status
audit_dir(void *ctx, const char *domain, sa_dir **dir, sa_error *err)
{
    sa_audit *a = ctx;

    if (domain == NULL || strcasecmp(domain, sa_dir_dns_domain(a->home)) == 0) {
        *dir = a->home;
        return SA_OK;
    }
    for (size_t k = 0; k < a->n_others; k++) {
        if (strcasecmp(domain, a->others[k].dns) != 0)
            continue;
        if ((*dir = a->others[k].dir) != NULL)
            return SA_OK;
        return sa_error_set(err, SA_ERR_DIRECTORY, "its domain %s could not be read by this audit", domain);
    }
    return sa_error_set(err, SA_ERR_DIRECTORY, "its domain %s is not one this audit reads", domain);
}

/* Each host of the run that could not be checked, a check not run for
 * that server. */
static bool
note_unchecked(sa_audit *a, const sa_cert_run *run)
{
    for (size_t i = 0; i < run->unread_hosts.n; i++) {
        if (!sa_checks_not_run_note(&a->scope.checks_not_run, "CERT_*", run->unread_hosts.items[i],
                                    run->unread_why.items[i]))
            return false;
    }
    return true;
}

sa_status
sa_audit_certs(const sa_audit_config *cfg, sa_audit *a, sa_error *err)
{
    sa_strv domains = {NULL, 0, 0};
    sa_cert_run run;
    sa_status st = SA_OK;

    memset(&run, 0, sizeof(run));
    if (!sa_strv_add(&domains, sa_dir_dns_domain(a->home)))
        st = sa_error_nomem(err);
    for (size_t k = 0; st == SA_OK && k < a->n_others; k++) {
        if (!sa_strv_add(&domains, a->others[k].dns))
            st = sa_error_nomem(err);
    }
    if (st == SA_OK)
        st = sa_cert_run_directory(&(sa_cert_dir_config){&a->names, &domains, audit_dir, a, cfg->cert_trust,
                                                         (int64_t)time(NULL), cfg->cert_expiry_days, false},
                                   &run, err);
    if (st == SA_OK && (!sa_findings_take_all(&a->findings, &run.findings) || !note_unchecked(a, &run)))
        st = sa_error_nomem(err);
    if (st == SA_OK)
        sa_findings_sort(&a->findings);
    sa_cert_run_clear(&run);
    sa_strv_clear(&domains);
    return st;
}
