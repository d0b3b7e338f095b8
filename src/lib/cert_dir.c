/* cert_dir.c - "spnaudit cert" on the directory: for each host, the
 * certificates published on its computer object (userCertificate), each
 * read and checked like a certificate file without its key.  A host whose
 * object is not found, is claimed by two objects, or holds no
 * certificate is said in run->unread (not checked), never a finding. */
#include <stdlib.h>
#include <string.h>

#include "spnaudit/cert.h"
#include "spnaudit/display.h"
#include "spnaudit/domains.h"

/* "HOST: why" into run->unread; SA_OK unless out of memory. */
static sa_status
not_checked(sa_cert_run *run, sa_error *err, const char *host, const char *why)
{
    char *line = sa_strdup_printf("%s: %s", host, why);
    bool ok = line != NULL && sa_strv_add(&run->unread, line);

    free(line);
    return ok ? SA_OK : sa_error_nomem(err);
}

/* The domain whose DCs hold host's computer object: the longest of the
 * domains read that it lies under, else its DNS suffix. */
static const char *
domain_of_host(const sa_strv *domains, const char *host)
{
    long i = sa_domain_index_of(domains, host);

    return i >= 0 ? domains->items[i] : sa_host_domain_of(host);
}

/* Why the values found are not all there, or NULL. */
static char *
values_left_out(const sa_host_certs *hc)
{
    if (hc->too_big == 0 && hc->too_many == 0)
        return NULL;
    return sa_strdup_printf("%zu userCertificate value%s of %s not checked: %zu empty or over %d bytes, "
                            "%zu beyond the first %d",
                            hc->too_big + hc->too_many, hc->too_big + hc->too_many == 1 ? "" : "s", hc->dn,
                            hc->too_big, SA_DIR_CERT_MAX_BYTES, hc->too_many, SA_DIR_CERTS_MAX_VALUES);
}

/* The certificates of hc, each into run->certs (or run->unread). */
static sa_status
read_values(const sa_cert_store *store, const char *host, const sa_host_certs *hc, sa_cert_run *run,
            sa_error *err)
{
    char *left = values_left_out(hc), *source = NULL;
    sa_status ret = SA_OK;

    for (size_t i = 0; ret == SA_OK && i < hc->n; i++) {
        sa_error why = {SA_OK, ""};
        sa_cert_request req = {NULL, NULL, host, store};

        free(source);
        source = hc->n > 1 ? sa_strdup_printf("userCertificate of %s (%zu of %zu)", hc->dn, i + 1, hc->n)
                           : sa_strdup_printf("userCertificate of %s", hc->dn);
        if ((req.path = source) == NULL) {
            ret = sa_error_nomem(err);
            break;
        }
        ret = sa_cert_read_der(&req, hc->values[i].data, hc->values[i].len, &run->certs, &why);
        if (ret == SA_ERR_SYSTEM && strcmp(why.message, "out of memory") == 0)
            ret = sa_error_nomem(err);
        else if (ret != SA_OK)
            ret = not_checked(run, err, host, why.message);
    }
    if (ret == SA_OK && left != NULL)
        ret = not_checked(run, err, host, left);
    free(source);
    free(left);
    return ret;
}

/* One host: its object found in its domain, its certificates read. */
static sa_status
read_host(const sa_cert_dir_config *cfg, const sa_cert_store *store, const char *host, sa_cert_run *run,
          sa_error *err)
{
    const char *domain = domain_of_host(cfg->domains, host);
    sa_host_certs hc;
    sa_error why = {SA_OK, ""};
    sa_dir *dir = NULL;
    char *text = NULL;
    sa_status ret;

    memset(&hc, 0, sizeof(hc));
    ret = cfg->dir_for(cfg->dir_ctx, domain, &dir, &why);
    if (ret == SA_OK)
        ret = sa_dir_host_certs(dir, host, &hc, &why);
    if (ret != SA_OK) {
        text = sa_strdup_printf("its domain %s could not be read: %s", domain, why.message);
        ret = ret == SA_ERR_SYSTEM && strcmp(why.message, "out of memory") == 0
                  ? sa_error_nomem(err)
                  : not_checked(run, err, host, text);
    } else if (hc.holders == 0) {
        text =
            sa_strdup_printf("no computer object of %s has this dNSHostName (a host outside the domain has "
                             "none: check its certificate file, spnaudit cert FILE --host HOST)",
                             sa_dir_dns_domain(dir));
        ret = not_checked(run, err, host, text ? text : "no computer object has this dNSHostName");
    } else if (hc.holders > 1) {
        ret = not_checked(run, err, host,
                          "two or more computer objects claim this dNSHostName: which is the host's is not "
                          "known, none is judged (spnaudit audit reports the look-alikes)");
    } else if (hc.n == 0 && hc.too_big == 0 && hc.too_many == 0) {
        text =
            sa_strdup_printf("its computer object %s holds no certificate (userCertificate): only templates "
                             "that publish to Active Directory put one there; check the certificate file "
                             "(spnaudit cert FILE --host HOST)",
                             hc.dn);
        ret = not_checked(run, err, host, text ? text : "its computer object holds no certificate");
    } else {
        ret = read_values(store, host, &hc, run, err);
    }
    free(text);
    sa_host_certs_clear(&hc);
    return ret;
}

sa_status
sa_cert_run_directory(const sa_cert_dir_config *cfg, sa_cert_run *run, sa_error *err)
{
    sa_cert_store *store = NULL;
    sa_status st;

    if ((st = sa_cert_store_open(cfg->trust, &store, err)) != SA_OK)
        return st;
    for (size_t i = 0; st == SA_OK && i < cfg->hosts->n; i++)
        st = read_host(cfg, store, cfg->hosts->items[i], run, err);
    for (size_t i = 0; st == SA_OK && i < run->certs.n; i++) {
        if (!sa_cert_check(&run->certs.items[i], cfg->now, cfg->expiry_days, &run->findings))
            st = sa_error_nomem(err);
    }
    sa_cert_store_close(store);
    if (st != SA_OK)
        return st;
    sa_findings_sort(&run->findings);
    run->exit_status = sa_findings_exit_status(&run->findings, run->unread.n == 0);
    return SA_OK;
}
