/* domains.c - which domain a name belongs to, and the directory options
 * for each domain a run reads. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/domains.h"

/* Length of name without a port and a trailing dot. */
static size_t
name_len(const char *name)
{
    size_t n = strcspn(name, ":");

    if (n > 0 && name[n - 1] == '.')
        n--;
    return n;
}

bool
sa_name_under_domain(const char *name, const char *domain)
{
    size_t n, d;

    if (name == NULL || domain == NULL || domain[0] == '.')
        return false;
    n = name_len(name);
    d = strlen(domain);
    if (d > 0 && domain[d - 1] == '.')
        d--;
    return d > 0 && n > d + 1 && name[n - d - 1] == '.' && strncasecmp(name + n - d, domain, d) == 0;
}

long
sa_domain_index_of(const sa_strv *domains, const char *name)
{
    long best = -1;
    size_t best_len = 0;

    for (size_t i = 0; domains != NULL && i < domains->n; i++) {
        size_t len = strlen(domains->items[i]);
        if (sa_name_under_domain(name, domains->items[i]) && len > best_len) {
            best = (long)i;
            best_len = len;
        }
    }
    return best;
}

bool
sa_host_dns_suffix(const char *host, char *buf, size_t size)
{
    const char *dot = strchr(host, '.');
    size_t len;

    if (dot == NULL || dot[1] == '\0')
        return false;
    len = name_len(dot + 1);
    if (len == 0 || len >= size)
        return false;
    memcpy(buf, dot + 1, len);
    buf[len] = '\0';
    return true;
}

const char *
sa_host_domain_of(const char *fqdn)
{
    const char *dot = strchr(fqdn, '.');

    return dot != NULL ? dot + 1 : fqdn;
}

bool
sa_server_is_bare(const char *server)
{
    size_t len = strcspn(server, ":");
    char host[64];
    struct in_addr a;

    if (server[0] == '[' || memchr(server, '.', len) == NULL)
        return true;
    if (len >= sizeof(host))
        return false;
    memcpy(host, server, len);
    host[len] = '\0';
    return inet_pton(AF_INET, host, &a) == 1;
}

/* Does server (a --server value) go to domain (NULL: home)?  Home takes
 * those under it or under none of the listed domains (an address, a short
 * name, a DC named outside its domain); another domain those under it and
 * under no longer listed domain. */
static bool
server_goes_to(const sa_domain_set *ds, const char *server, const char *domain)
{
    long i = sa_domain_index_of(ds->domains, server);

    if (domain == NULL)
        return i <= 0 || sa_server_is_bare(server);
    if (!sa_name_under_domain(server, domain))
        return false;
    return i < 0 || strlen(ds->domains->items[i]) <= strlen(domain);
}

static bool
is_home(const sa_domain_set *ds, const char *domain)
{
    return domain == NULL || (ds->base.domain != NULL && strcasecmp(domain, ds->base.domain) == 0) ||
           (ds->domains != NULL && ds->domains->n > 0 && strcasecmp(domain, ds->domains->items[0]) == 0);
}

bool
sa_domain_options(const sa_domain_set *ds, const char *domain, sa_dir_options *out, sa_strv *servers)
{
    bool home = is_home(ds, domain);

    *out = ds->base;
    out->domain = home ? ds->base.domain : domain;
    out->uri = home ? ds->base.uri : NULL;
    for (size_t k = 0; ds->dcs != NULL && k < ds->dcs->n; k++) {
        if (server_goes_to(ds, ds->dcs->items[k], home ? NULL : domain) &&
            !sa_strv_add(servers, ds->dcs->items[k]))
            return false;
    }
    out->servers = servers->n > 0 ? (const char *const *)servers->items : NULL;
    out->n_servers = servers->n;
    return true;
}

sa_status
sa_domain_connect(const sa_domain_set *ds, const char *domain, bool gc, sa_dir **dir, sa_strv *unreachable,
                  sa_error *err)
{
    sa_dir_options opts;
    sa_strv servers = {NULL, 0, 0};
    sa_status ret;

    if (!sa_domain_options(ds, domain, &opts, &servers)) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    opts.global_catalog = gc;
    ret = sa_dir_connect(&opts, dir, unreachable, err);
cleanup:
    sa_strv_clear(&servers);
    return ret;
}

bool
sa_label_accounts(sa_accounts *accounts, size_t first, const sa_dir *dir)
{
    for (size_t i = first; i < accounts->n; i++) {
        sa_account *a = &accounts->items[i];
        char *dns = sa_dn_domain_of(a->dn), *label = NULL;

        if (dns == NULL)
            return false;
        if (strcasecmp(dns, sa_dir_dns_domain(dir)) == 0 && sa_dir_netbios_domain(dir) != NULL)
            label = strdup(sa_dir_netbios_domain(dir));
        else
            label = strdup(dns);
        if (label == NULL) {
            free(dns);
            return false;
        }
        free(a->dns_domain);
        free(a->domain);
        a->dns_domain = dns;
        a->domain = label;
    }
    return true;
}
