/* cert_dir.c - "spnaudit cert" on the directory: for each host, the
 * certificates published on its computer object (userCertificate), each
 * read and checked like a certificate file without its key.  A host whose
 * object is not found, is claimed by two objects, or holds no
 * certificate is said in run->unread (not checked), never a finding. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cert_internal.h"
#include "spnaudit/cert.h"
#include "spnaudit/display.h"
#include "spnaudit/domains.h"

/* "HOST: why" into run->unread, host and why into unread_hosts and
 * unread_why; SA_OK unless out of memory. */
static sa_status
not_checked(sa_cert_run *run, sa_error *err, const char *host, const char *why)
{
    char *line = sa_strdup_printf("%s: %s", host, why);
    bool ok = line != NULL && sa_strv_add(&run->unread, line) && sa_strv_add(&run->unread_hosts, host) &&
              sa_strv_add(&run->unread_why, why);

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

/* A published certificate's source, as its findings' subject: the object
 * and its serial number, which stay the same from run to run (the order
 * of the values may not). */
static sa_status
name_by_serial(sa_cert *c, const char *dn, sa_error *err)
{
    char *source = sa_strdup_printf("userCertificate of %s, serial %s", dn, c->serial);

    if (source == NULL)
        return sa_error_nomem(err);
    free(c->source);
    c->source = source;
    return SA_OK;
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
        else
            ret = name_by_serial(&run->certs.items[run->certs.n - 1], hc->dn, err);
    }
    if (ret == SA_OK && left != NULL)
        ret = not_checked(run, err, host, left);
    free(source);
    free(left);
    return ret;
}

/* One host, as its domain's DC answered (hc) or why it could not (read). */
static sa_status
judge_host(const sa_cert_store *store, const char *host, const char *domain, sa_status read, const char *why,
           const sa_host_certs *hc, sa_cert_run *run, sa_error *err)
{
    char *text = NULL;
    sa_status ret;

    if (read != SA_OK) {
        text = sa_strdup_printf("its domain %s could not be read: %s", domain, why);
        ret = not_checked(run, err, host, text ? text : "its domain could not be read");
    } else if (hc->holders == 0) {
        text =
            sa_strdup_printf("no computer object of %s has this dNSHostName (a host outside the domain has "
                             "none: check its certificate file, spnaudit cert FILE --host HOST)",
                             domain);
        ret = not_checked(run, err, host, text ? text : "no computer object has this dNSHostName");
    } else if (hc->holders > 1) {
        ret = not_checked(run, err, host,
                          "two or more computer objects claim this dNSHostName: which is the host's is not "
                          "known, none is judged (spnaudit audit reports the look-alikes)");
    } else if (hc->n == 0 && hc->too_big == 0 && hc->too_many == 0) {
        text =
            sa_strdup_printf("its computer object %s holds no certificate (userCertificate): only templates "
                             "that publish to Active Directory put one there; check the certificate file "
                             "(spnaudit cert FILE --host HOST)",
                             hc->dn);
        ret = not_checked(run, err, host, text ? text : "its computer object holds no certificate");
    } else {
        ret = read_values(store, host, hc, run, err);
    }
    free(text);
    return ret;
}

/* The hosts (once each) in the order given, and the domain of each. */
typedef struct host_plan {
    sa_strv hosts, domains;
    sa_host_certs *certs; /* [i]: what hosts[i]'s domain said */
    sa_status *read;      /* [i]: whether it could be read */
    char **why;           /* [i]: why not, malloc'd */
} host_plan;

static void
plan_clear(host_plan *p)
{
    for (size_t i = 0; i < p->hosts.n; i++) {
        if (p->certs)
            sa_host_certs_clear(&p->certs[i]);
        if (p->why)
            free(p->why[i]);
    }
    free(p->certs);
    free(p->read);
    free(p->why);
    sa_strv_clear(&p->hosts);
    sa_strv_clear(&p->domains);
}

/* qsort_r: indices into the strings of ctx (an sa_strv), by the string
 * without regard to case, then by index: equal strings stay in order. */
static int
by_string_then_index(const void *a, const void *b, void *ctx)
{
    const sa_strv *v = ctx;
    size_t i = *(const size_t *)a, k = *(const size_t *)b;
    int c = strcasecmp(v->items[i], v->items[k]);

    return c != 0 ? c : (i > k) - (i < k);
}

/* 0..n-1 sorted by v's strings; NULL when out of memory. */
static size_t *
sorted_indices(const sa_strv *v)
{
    size_t *order = calloc(v->n + 1, sizeof(*order));

    if (order == NULL)
        return NULL;
    for (size_t i = 0; i < v->n; i++)
        order[i] = i;
    qsort_r(order, v->n, sizeof(*order), by_string_then_index, (void *)v);
    return order;
}

static bool
plan_make(const sa_cert_dir_config *cfg, host_plan *p)
{
    size_t *order = sorted_indices(cfg->hosts);
    bool *dup = calloc(cfg->hosts->n + 1, sizeof(*dup)), ok = order != NULL && dup != NULL;

    /* a host named again (in any case) is read once, where first named */
    for (size_t j = 1; ok && j < cfg->hosts->n; j++)
        dup[order[j]] = strcasecmp(cfg->hosts->items[order[j]], cfg->hosts->items[order[j - 1]]) == 0;
    for (size_t i = 0; ok && i < cfg->hosts->n; i++) {
        const char *h = cfg->hosts->items[i];
        ok = dup[i] ||
             (sa_strv_add(&p->hosts, h) && sa_strv_add(&p->domains, domain_of_host(cfg->domains, h)));
    }
    free(order);
    free(dup);
    if (!ok)
        return false;
    p->certs = calloc(p->hosts.n + 1, sizeof(*p->certs));
    p->read = calloc(p->hosts.n + 1, sizeof(*p->read));
    p->why = calloc(p->hosts.n + 1, sizeof(*p->why));
    return p->certs && p->read && p->why;
}

/* The n hosts index[] of one domain: one connection, a few searches.
 * Only out of memory is an error. */
static sa_status
read_domain(const sa_cert_dir_config *cfg, host_plan *p, const size_t *index, size_t n, sa_error *err)
{
    const char *domain = p->domains.items[index[0]];
    const char **names = calloc(n, sizeof(*names));
    sa_host_certs *got = NULL;
    sa_error why = {SA_OK, ""};
    sa_dir *dir = NULL;
    sa_status st, ret = SA_OK;

    if (names == NULL || (got = calloc(n, sizeof(*got))) == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    for (size_t k = 0; k < n; k++)
        names[k] = p->hosts.items[index[k]];
    st = cfg->dir_for(cfg->dir_ctx, domain, &dir, &why);
    if (st == SA_OK)
        st = sa_dir_hosts_certs(dir, names, n, got, &why);
    if (st == SA_ERR_SYSTEM && strcmp(why.message, "out of memory") == 0) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    for (size_t k = 0; k < n; k++) {
        p->read[index[k]] = st;
        p->certs[index[k]] = got[k];
        memset(&got[k], 0, sizeof(got[k]));
        if (st != SA_OK && (p->why[index[k]] = strdup(why.message)) == NULL)
            ret = sa_error_nomem(err);
    }
cleanup:
    free(got);
    free(names);
    return ret;
}

/* qsort: runs of byd (start, length) by the first host of each. */
static int
by_first_host(const void *a, const void *b)
{
    const size_t *x = a, *y = b;

    return (x[2] > y[2]) - (x[2] < y[2]);
}

/* Each domain once, all its hosts together, the domains in the order
 * their first hosts were named. */
static sa_status
read_domains(const sa_cert_dir_config *cfg, host_plan *p, sa_error *err)
{
    size_t *byd = sorted_indices(&p->domains), (*runs)[3] = calloc(p->hosts.n + 1, sizeof(*runs)), n = 0;
    sa_status st = SA_OK;

    if (byd == NULL || runs == NULL)
        st = sa_error_nomem(err);
    for (size_t j = 0; st == SA_OK && j < p->hosts.n; j++) {
        if (j == 0 || strcasecmp(p->domains.items[byd[j]], p->domains.items[byd[j - 1]]) != 0) {
            /* a new domain; byd keeps each domain's hosts in order: the first is its first */
            runs[n][0] = j;
            runs[n][1] = 0;
            runs[n++][2] = byd[j];
        }
        runs[n - 1][1]++;
    }
    if (st == SA_OK)
        qsort(runs, n, sizeof(*runs), by_first_host);
    for (size_t r = 0; st == SA_OK && r < n; r++)
        st = read_domain(cfg, p, byd + runs[r][0], runs[r][1], err);
    free(runs);
    free(byd);
    return st;
}

/* The forest's templates, from the first domain's DC, each checked; a
 * directory that cannot give them is said in run->unread. */
static sa_status
read_templates(const sa_cert_dir_config *cfg, sa_cert_run *run, sa_error *err)
{
    sa_error why = {SA_OK, ""};
    sa_dir *dir = NULL;
    sa_status st = cfg->dir_for(cfg->dir_ctx, NULL, &dir, &why);

    if (st == SA_OK)
        st = sa_dir_read_templates(dir, &run->templates, &run->templates_left_out, &why);
    if (st == SA_ERR_SYSTEM && strcmp(why.message, "out of memory") == 0)
        return sa_error_nomem(err);
    if (st != SA_OK) {
        sa_cert_templates_clear(&run->templates);
        return not_checked(run, err, "the certificate templates", why.message);
    }
    run->templates_read = true;
    for (size_t i = 0; i < run->templates.n; i++) {
        if (!sa_cert_template_check(&run->templates.items[i], &run->findings))
            return sa_error_nomem(err);
    }
    if (run->templates_left_out > 0) {
        char *text = sa_strdup_printf("%zu beyond the first %d not read", run->templates_left_out,
                                      SA_DIR_TEMPLATES_MAX);
        sa_status ret = not_checked(run, err, "the certificate templates", text ? text : "some not read");
        free(text);
        return ret;
    }
    return SA_OK;
}

sa_status
sa_cert_run_directory(const sa_cert_dir_config *cfg, sa_cert_run *run, sa_error *err)
{
    sa_cert_store *store = NULL;
    host_plan p;
    sa_status st;

    memset(&p, 0, sizeof(p));
    if ((st = sa_cert_store_open(cfg->trust, &store, err)) != SA_OK)
        return st;
    if (!plan_make(cfg, &p))
        st = sa_error_nomem(err);
    if (st == SA_OK)
        st = read_domains(cfg, &p, err);
    for (size_t i = 0; st == SA_OK && i < p.hosts.n; i++)
        st = judge_host(store, p.hosts.items[i], p.domains.items[i], p.read[i], p.why[i], &p.certs[i], run,
                        err);
    if (st == SA_OK)
        st = sa_cert_run_check(run, cfg->now, cfg->expiry_days, err);
    if (st == SA_OK && cfg->templates)
        st = read_templates(cfg, run, err);
    plan_clear(&p);
    sa_cert_store_close(store);
    if (st == SA_OK)
        sa_cert_run_finish(run);
    return st;
}
