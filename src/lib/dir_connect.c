/* dir_connect.c - connecting to a DC: the candidates (URI, servers, DNS
 * SRV), TLS, the SASL GSSAPI or simple bind, the rootDSE and the domain's
 * crossRef. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <sasl/sasl.h>

#include "dir_internal.h"
#include "spnaudit/dns.h"
#include "spnaudit/hints.h"
#include "spnaudit/net.h"

static int
sasl_interact(LDAP *ld, unsigned flags, void *defaults, void *in)
{
    sasl_interact_t *it = in;

    /* GSSAPI needs no secrets from us: answer every prompt with its
     * default (the authorization identity stays empty). */
    for (; it->id != SASL_CB_LIST_END; it++) {
        it->result = it->defresult ? it->defresult : "";
        it->len = (unsigned)strlen(it->result);
    }
    return LDAP_SUCCESS;
}

void
sa_uri_host(const char *uri, char *host, size_t size)
{
    LDAPURLDesc *lud = NULL;

    host[0] = '\0';
    if (ldap_url_parse(uri, &lud) == LDAP_SUCCESS && lud->lud_host != NULL)
        snprintf(host, size, "%s", lud->lud_host);
    ldap_free_urldesc(lud);
}

/* The base DN and DNS domain name: the domain asked for, else the DC's
 * own (defaultNamingContext, default_nc). */
static sa_status
set_domain(sa_dir *d, const char *domain, const char *default_nc, sa_error *err)
{
    if (domain == NULL && default_nc == NULL)
        return sa_error_set(err, SA_ERR_DIRECTORY,
                            "%s: the rootDSE has no defaultNamingContext: "
                            "not an Active Directory DC? (name the domain with --domain)",
                            d->uri);
    d->base_dn = domain != NULL ? sa_dns_domain_to_dn(domain) : strdup(default_nc);
    if (d->base_dn == NULL)
        return sa_error_nomem(err);
    d->dns_domain = sa_dn_to_dns_domain(d->base_dn);
    if (d->dns_domain == NULL)
        return sa_error_set(err, SA_ERR_DIRECTORY, "%s: naming context \"%s\" is not a domain", d->uri,
                            d->base_dn);
    return SA_OK;
}

/* No crossRef names the domain asked for: the DC's forest does not hold
 * it.  Unless it is the DC's own domain, the user named a wrong pair. */
static sa_status
foreign_domain(sa_dir *d, const char *default_nc, sa_error *err)
{
    char host[300];
    char *own = sa_dn_to_dns_domain(default_nc);
    sa_status ret = SA_OK;

    if (own == NULL || strcasecmp(own, d->dns_domain) != 0) {
        sa_uri_host(d->uri, host, sizeof(host));
        ret = sa_error_set(err, SA_ERR_USAGE,
                           "%s serves %s, not %s: %s is no domain of its forest (name a domain "
                           "controller of %s with --server, or leave --server out to find one in DNS)",
                           host[0] ? host : d->uri, own ? own : "another domain", d->dns_domain,
                           d->dns_domain, d->dns_domain);
    }
    free(own);
    return ret;
}

/* The domain's crossRef in the forest's Partitions container: its
 * NetBIOS name, for fix commands (optional: a failed search leaves it
 * unknown).  A search that finds no crossRef means that the DC's forest
 * holds no such domain: the DC serves another one. */
static sa_status
read_crossref(sa_dir *d, const char *default_nc, sa_error *err)
{
    char *attrs[] = {"nETBIOSName", NULL};
    struct timeval tv = {d->timeout, 0};
    char *base = NULL, *filter = NULL, *esc = NULL;
    LDAPMessage *res = NULL, *e;
    sa_status ret = SA_ERR_SYSTEM;
    int rc;

    base = sa_strdup_printf("CN=Partitions,%s", d->config_nc);
    esc = sa_ldap_filter_value(d->base_dn);
    filter = esc ? sa_strdup_printf("(&(objectClass=crossRef)(nCName=%s))", esc) : NULL;
    if (base == NULL || filter == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    rc = ldap_search_ext_s(d->ld, base, LDAP_SCOPE_ONELEVEL, filter, attrs, 0, NULL, NULL, &tv, 0, &res);
    if (rc != LDAP_SUCCESS) {
        ret = SA_OK;
        goto cleanup;
    }
    e = ldap_first_entry(d->ld, res);
    if (e == NULL)
        ret = foreign_domain(d, default_nc, err);
    else if (!sa_ldap_first_value(d->ld, e, "nETBIOSName", &d->netbios))
        ret = sa_error_nomem(err);
    else
        ret = SA_OK;
cleanup:
    ldap_msgfree(res);
    free(filter);
    free(esc);
    free(base);
    return ret;
}

static sa_status
read_root_dse(sa_dir *d, const char *domain, sa_error *err)
{
    char *attrs[] = {"defaultNamingContext", "configurationNamingContext", "currentTime", NULL};
    struct timeval tv = {d->timeout, 0};
    LDAPMessage *res = NULL, *e;
    char *default_nc = NULL, *now = NULL;
    sa_status ret = SA_ERR_DIRECTORY;
    int rc;

    rc = ldap_search_ext_s(d->ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL, &tv, 0, &res);
    if (rc != LDAP_SUCCESS) {
        sa_ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, "reading the rootDSE", NULL);
        goto cleanup;
    }
    e = ldap_first_entry(d->ld, res);
    if (e == NULL) {
        sa_error_set(err, SA_ERR_DIRECTORY, "%s: the rootDSE is empty: not an Active Directory DC?", d->uri);
        goto cleanup;
    }
    if (!sa_ldap_first_value(d->ld, e, "defaultNamingContext", &default_nc) ||
        !sa_ldap_first_value(d->ld, e, "configurationNamingContext", &d->config_nc) ||
        !sa_ldap_first_value(d->ld, e, "currentTime", &now)) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    /* The DC's clock, which its KDC uses: Kerberos breaks beyond 5 minutes. */
    d->have_skew = now != NULL && sa_parse_generalized_time(now, &d->skew);
    if (d->have_skew)
        d->skew -= (long)time(NULL);
    ret = set_domain(d, domain, default_nc, err);
    if (ret == SA_OK && d->config_nc != NULL)
        ret = read_crossref(d, default_nc, err);
cleanup:
    free(now);
    free(default_nc);
    ldap_msgfree(res);
    return ret;
}

static bool
uri_is_ldaps(const char *uri)
{
    return strncasecmp(uri, "ldaps://", 8) == 0;
}

bool
sa_dir_cleartext_bind(const sa_dir_options *opts)
{
    return opts->bind_user != NULL && opts->tls == SA_TLS_NONE &&
           (opts->uri == NULL || !uri_is_ldaps(opts->uri));
}

/* What AD's "data NNN" in a failed simple bind's diagnostic means
 * (the Win32 error of the logon), or NULL. */
const char *
sa_ad_bind_data_text(const char *diagnostic)
{
    static const struct {
        const char *code, *text;
    } table[] = {
        {"525", "no such user"},
        {"52e", "wrong password (or no such user)"},
        {"530", "logon not permitted at this time"},
        {"531", "logon not permitted from this workstation"},
        {"532", "the password has expired"},
        {"533", "the account is disabled"},
        {"568", "too many security IDs (token size)"},
        {"701", "the account has expired"},
        {"773", "the password must be changed first"},
        {"775", "the account is locked out"},
    };
    const char *p;

    if (diagnostic == NULL || (p = strstr(diagnostic, ", data ")) == NULL)
        return NULL;
    p += 7;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        size_t n = strlen(table[i].code);
        if (strncasecmp(p, table[i].code, n) == 0 && (p[n] == ',' || p[n] == '\0' || p[n] == ' '))
            return table[i].text;
    }
    return NULL;
}

static sa_status
set_tls_options(sa_dir *d, const sa_dir_options *opts, sa_error *err)
{
    int require = opts->tls_no_verify ? LDAP_OPT_X_TLS_NEVER : LDAP_OPT_X_TLS_DEMAND, newctx = 0;

    if (ldap_set_option(d->ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &require) != LDAP_OPT_SUCCESS ||
        (opts->ca_file != NULL &&
         ldap_set_option(d->ld, LDAP_OPT_X_TLS_CACERTFILE, opts->ca_file) != LDAP_OPT_SUCCESS))
        return sa_error_set(err, SA_ERR_SYSTEM, "%s: cannot set the TLS options", d->uri);
    /* The options above take effect in a new TLS context. */
    if (ldap_set_option(d->ld, LDAP_OPT_X_TLS_NEWCTX, &newctx) != LDAP_OPT_SUCCESS) {
        char *diag = sa_ldap_diagnostic(d->ld);
        sa_error_set(err, SA_ERR_USAGE, "%s: cannot set up TLS%s%s%s%s", d->uri,
                     opts->ca_file ? " with the CA file " : "", opts->ca_file ? opts->ca_file : "",
                     diag ? ": " : "", diag ? diag : "");
        ldap_memfree(diag);
        return SA_ERR_USAGE;
    }
    return SA_OK;
}

/* After a TLS connection failed: would it work without verifying the
 * certificate?  Only the rootDSE is read, anonymously: no credentials
 * ever go over an unverified connection. */
static bool
tls_works_unverified(const char *uri, const sa_dir_options *opts, int timeout)
{
    sa_dir_options loose = *opts;
    sa_dir probe;
    struct timeval tv = {timeout, 0};
    LDAPMessage *res = NULL;
    char *attrs[] = {"defaultNamingContext", NULL};
    int version = LDAP_VERSION3;
    bool works = false;

    memset(&probe, 0, sizeof(probe));
    probe.uri = (char *)uri;
    loose.tls_no_verify = true;
    loose.ca_file = NULL;
    if (ldap_initialize(&probe.ld, uri) != LDAP_SUCCESS)
        goto cleanup;
    if (ldap_set_option(probe.ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
        ldap_set_option(probe.ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
        ldap_set_option(probe.ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
        set_tls_options(&probe, &loose, NULL) != SA_OK)
        goto cleanup;
    if (!uri_is_ldaps(uri) && ldap_start_tls_s(probe.ld, NULL, NULL) != LDAP_SUCCESS)
        goto cleanup;
    works = ldap_search_ext_s(probe.ld, "", LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL, &tv, 0,
                              &res) == LDAP_SUCCESS;
cleanup:
    ldap_msgfree(res);
    if (probe.ld != NULL)
        ldap_unbind_ext_s(probe.ld, NULL, NULL);
    return works;
}

/* A TLS connection to uri failed with rc: say whether the certificate is
 * to blame (the DC answers TLS without verification), else whether the
 * DC is unreachable. */
static sa_status
tls_failure(sa_dir *d, const sa_dir_options *opts, int rc, bool *unreachable, sa_error *err)
{
    char host[300];

    if (!opts->tls_no_verify && tls_works_unverified(d->uri, opts, d->timeout)) {
        sa_uri_host(d->uri, host, sizeof(host));
        return sa_error_set(
            err, SA_ERR_DIRECTORY,
            "%s: the domain controller's TLS certificate does not verify: it is not signed by "
            "a CA in %s%s, or it is not issued to the name \"%s\" used to connect (the DC "
            "answers TLS when the certificate is not checked; nothing was sent to it)",
            d->uri, opts->ca_file ? "the CA file " : "the system's CA certificates",
            opts->ca_file ? opts->ca_file : "", host);
    }
    *unreachable = rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR;
    sa_ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri,
                    uri_is_ldaps(d->uri) ? "connecting to the domain controller over LDAPS"
                                         : "starting TLS (StartTLS) with the domain controller",
                    NULL);
    if (*unreachable)
        sa_dir_hint_unreachable(d->uri, err);
    return SA_ERR_DIRECTORY;
}

static sa_status
describe_bind(sa_dir *d, const sa_dir_options *opts, bool ldaps, bool tls)
{
    const char *over = ldaps ? " over LDAPS" : tls ? " over StartTLS" : "";
    const char *check = tls && opts->tls_no_verify ? ", certificate NOT verified" : "";

    if (opts->bind_user != NULL)
        d->bind = sa_strdup_printf("simple bind as %s%s%s", opts->bind_user, over, check);
    else if (tls)
        d->bind = sa_strdup_printf("SASL GSSAPI (Kerberos)%s%s", over, check);
    else
        d->bind =
            sa_strdup_printf("SASL GSSAPI (Kerberos), %s (SSF %d)", d->ssf > 1 ? "sealed" : "signed", d->ssf);
    return d->bind != NULL ? SA_OK : SA_ERR_SYSTEM;
}

/* Every connection of a handle gets its operation timeout as the socket's
 * receive and send timeout.  ldap_result's timeout covers only the wait for
 * a message to begin: a DC that sends part of a message (or of a SASL
 * buffer) and stops would otherwise hold a blocking read forever. */
static int
bound_socket(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr, struct ldap_conncb *ctx)
{
    struct timeval *tv = NULL;
    ber_socket_t fd;

    (void)srv, (void)addr, (void)ctx;
    if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) == 1 &&
        ldap_get_option(ld, LDAP_OPT_TIMEOUT, &tv) == LDAP_OPT_SUCCESS && tv != NULL) {
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, sizeof(*tv));
        (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, tv, sizeof(*tv));
    }
    ldap_memfree(tv);
    return 0;
}

static void
unbound_socket(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
    (void)ld, (void)sb, (void)ctx;
}

static const ldap_conncb socket_timeouts = {bound_socket, unbound_socket, NULL};

/* A new LDAP handle for d->uri, with the options every connection has. */
static sa_status
open_ld(sa_dir *d, bool tls, sa_error *err)
{
    struct timeval tv = {d->timeout, 0};
    int version = LDAP_VERSION3, rc;

    rc = ldap_initialize(&d->ld, d->uri);
    if (rc != LDAP_SUCCESS)
        return sa_ldap_failure(err, SA_ERR_USAGE, NULL, rc, d->uri, "parsing the LDAP URI", NULL);
    if (ldap_set_option(d->ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
        ldap_set_option(d->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
        ldap_set_option(d->ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
        ldap_set_option(d->ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
        ldap_set_option(d->ld, LDAP_OPT_CONNECT_CB, &socket_timeouts) != LDAP_OPT_SUCCESS ||
        /* Ask for ldap/<the name given>, not for what reverse DNS says. */
        ldap_set_option(d->ld, LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON) != LDAP_OPT_SUCCESS ||
        /* Without TLS, signing at least: never a bind whose traffic can be
         * altered.  Over TLS, AD refuses a SASL security layer on top. */
        ldap_set_option(d->ld, LDAP_OPT_X_SASL_SECPROPS, tls ? "maxssf=0" : "minssf=1") != LDAP_OPT_SUCCESS)
        return sa_error_set(err, SA_ERR_SYSTEM, "%s: cannot set LDAP options", d->uri);
    return SA_OK;
}

/* The StartTLS operation on the plain connection. */
static sa_status
start_tls(sa_dir *d, const sa_dir_options *opts, bool *unreachable, sa_error *err)
{
    int rc = ldap_start_tls_s(d->ld, NULL, NULL);

    if (rc == LDAP_SUCCESS)
        return SA_OK;
    if (rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR)
        tls_failure(d, opts, rc, unreachable, err);
    else /* e.g. the DC does not offer StartTLS */
        sa_ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, "starting TLS (StartTLS)", NULL);
    return SA_ERR_DIRECTORY;
}

/* A failed bind (rc): why, with what AD's diagnostic means. */
static sa_status
bind_failure(sa_dir *d, const sa_dir_options *opts, int rc, const char *doing, bool *unreachable,
             sa_error *err)
{
    char *diag = sa_ldap_diagnostic(d->ld);
    const char *meaning = opts->bind_user != NULL ? sa_ad_bind_data_text(diag) : NULL;

    *unreachable = rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR;
    if (*unreachable)
        doing = "connecting to the domain controller";
    sa_ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, doing, diag);
    if (meaning != NULL) {
        size_t len = strlen(err->message);
        snprintf(err->message + len, sizeof(err->message) - len, ": %s", meaning);
    } else if (*unreachable) {
        sa_dir_hint_unreachable(d->uri, err);
    } else if (opts->bind_user == NULL) {
        sa_dir_hint_gssapi(d, diag, err);
    }
    ldap_memfree(diag);
    return SA_ERR_DIRECTORY;
}

/* Bind: a simple bind as opts->bind_user, else SASL GSSAPI. */
static sa_status
bind_dc(sa_dir *d, const sa_dir_options *opts, bool ldaps, bool *unreachable, sa_error *err)
{
    struct berval cred = {0, NULL};
    const char *doing = NULL;
    char *doing_buf = NULL;
    sa_status ret = SA_OK;
    int rc;

    if (opts->bind_user != NULL) {
        if (opts->bind_password == NULL || opts->bind_password[0] == '\0')
            /* AD takes a simple bind with an empty password as anonymous. */
            return sa_error_set(err, SA_ERR_USAGE,
                                "%s: an empty password would make the simple bind anonymous", d->uri);
        cred.bv_val = (char *)opts->bind_password;
        cred.bv_len = strlen(opts->bind_password);
        rc = ldap_sasl_bind_s(d->ld, opts->bind_user, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
        doing_buf = sa_strdup_printf("binding as %s (simple bind%s)", opts->bind_user,
                                     ldaps ? " over LDAPS" : " over StartTLS");
        doing = doing_buf != NULL ? doing_buf : "binding (simple bind)";
    } else {
        rc = ldap_sasl_interactive_bind_s(d->ld, NULL, "GSSAPI", NULL, NULL, LDAP_SASL_QUIET, sasl_interact,
                                          NULL);
        doing = "binding with SASL GSSAPI (Kerberos)";
    }
    if (rc != LDAP_SUCCESS && ldaps &&
        (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT))
        ret = tls_failure(d, opts, rc, unreachable, err);
    else if (rc != LDAP_SUCCESS)
        ret = bind_failure(d, opts, rc, doing, unreachable, err);
    free(doing_buf);
    return ret;
}

/* Connect and bind to one DC.  *unreachable tells a DC that did not
 * answer (worth trying the next) from one that refused us. */
static sa_status
connect_one(const sa_dir_options *opts, const char *uri, sa_dir **out, bool *unreachable, sa_error *err)
{
    sa_dir *d = NULL;
    sa_status ret = SA_ERR_SYSTEM;
    ber_len_t ssf = 0;
    bool ldaps = uri_is_ldaps(uri), tls = ldaps || opts->tls == SA_TLS_STARTTLS;

    *unreachable = false;
    if (opts->bind_user != NULL && !tls)
        return sa_error_set(err, SA_ERR_USAGE,
                            "%s: refusing a simple bind without TLS: the password would cross the network "
                            "in clear text (use LDAPS or StartTLS, or a Kerberos bind)",
                            uri);
    d = calloc(1, sizeof(*d));
    if (d == NULL)
        return sa_error_nomem(err);
    d->page_size = opts->page_size;
    d->size_limit = opts->size_limit;
    d->gc = opts->global_catalog;
    d->timeout = opts->timeout > 0 ? opts->timeout : 30;
    d->uri = strdup(uri);
    if (d->uri == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    ret = open_ld(d, tls, err);
    if (ret == SA_OK && tls)
        ret = set_tls_options(d, opts, err);
    if (ret == SA_OK && opts->tls == SA_TLS_STARTTLS && !ldaps)
        ret = start_tls(d, opts, unreachable, err);
    if (ret == SA_OK)
        ret = bind_dc(d, opts, ldaps, unreachable, err);
    if (ret != SA_OK)
        goto cleanup;
    if (ldap_get_option(d->ld, LDAP_OPT_X_SASL_SSF, &ssf) == LDAP_OPT_SUCCESS)
        d->ssf = ssf > INT_MAX ? INT_MAX : (int)ssf;
    if (describe_bind(d, opts, ldaps, tls) != SA_OK) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    ret = read_root_dse(d, opts->domain, err);
    if (ret != SA_OK)
        goto cleanup;
    *out = d;
    d = NULL;
cleanup:
    sa_dir_close(d);
    return ret;
}

/* The DNS SRV record that lists the domain's DCs (or Global Catalogs). */
static void
srv_name(const sa_dir_options *opts, char *qname, size_t size)
{
    snprintf(qname, size, opts->global_catalog ? "_gc._tcp.%s" : "_ldap._tcp.dc._msdcs.%s", opts->domain);
}

/* The DCs to try, in order: the URI; the servers named; or the DCs that
 * DNS lists for the domain (_ldap._tcp.dc._msdcs.DOMAIN), else the
 * domain name itself (its A records are its DCs). */
static sa_status
candidates(const sa_dir_options *opts, sa_strv *uris, bool *from_dns, sa_error *err)
{
    sa_srv *records = NULL;
    size_t n = 0;
    char qname[1100], *uri = NULL;
    bool ok = true;
    const char *scheme = opts->tls == SA_TLS_LDAPS ? "ldaps" : "ldap";
    /* The Global Catalog answers on 3268, and 3269 with TLS. */
    const char *gc_port = !opts->global_catalog ? "" : opts->tls == SA_TLS_LDAPS ? ":3269" : ":3268";

    *from_dns = false;
    if (opts->uri != NULL)
        return sa_strv_add(uris, opts->uri) ? SA_OK : sa_error_nomem(err);
    for (size_t i = 0; i < opts->n_servers; i++) {
        /* a server named with its port keeps it */
        uri = sa_strdup_printf("%s://%s%s", scheme, opts->servers[i],
                               strchr(opts->servers[i], ':') ? "" : gc_port);
        ok = uri != NULL && sa_strv_add(uris, uri);
        free(uri);
        if (!ok)
            return sa_error_nomem(err);
    }
    if (opts->n_servers > 0)
        return SA_OK;
    if (opts->domain == NULL)
        return sa_error_set(err, SA_ERR_USAGE,
                            "no domain controller to ask: give --domain, --server or --uri");
    srv_name(opts, qname, sizeof(qname));
    if (!sa_dns_srv(qname, &records, &n))
        return sa_error_nomem(err);
    for (size_t i = 0; ok && i < n; i++) {
        /* The records give the LDAP port; LDAPS is on 636 by convention. */
        if (opts->tls == SA_TLS_LDAPS)
            uri = sa_strdup_printf("ldaps://%s%s", records[i].target, gc_port);
        else if (records[i].port == 389 && !opts->global_catalog)
            uri = sa_strdup_printf("ldap://%s", records[i].target);
        else
            uri = sa_strdup_printf("ldap://%s:%u", records[i].target, records[i].port);
        ok = uri != NULL && sa_strv_add_unique_ci(uris, uri);
        free(uri);
    }
    free(records);
    *from_dns = n > 0;
    if (ok && n == 0) {
        uri = sa_strdup_printf("%s://%s%s", scheme, opts->domain, gc_port);
        ok = uri != NULL && sa_strv_add(uris, uri);
        free(uri);
    }
    return ok ? SA_OK : sa_error_nomem(err);
}

/* No SRV record named a DC, and the domain's own name did not answer. */
static void
no_srv(const sa_dir_options *opts, sa_error *err)
{
    char qname[1100], hint[1400];

    srv_name(opts, qname, sizeof(qname));
    sa_hint_no_srv(opts->domain, qname, hint, sizeof(hint));
    sa_hint_prepend(err->message, sizeof(err->message), NULL, hint);
}

sa_status
sa_dir_connect(const sa_dir_options *opts, sa_dir **out, sa_strv *unreachable, sa_error *err)
{
    sa_strv uris = {NULL, 0, 0};
    sa_error one = {SA_OK, ""};
    bool from_dns = false, down = false;
    sa_status ret;

    ret = candidates(opts, &uris, &from_dns, err);
    if (ret != SA_OK)
        goto cleanup;
    for (size_t i = 0; i < uris.n; i++) {
        ret = connect_one(opts, uris.items[i], out, &down, &one);
        if (ret == SA_OK)
            break;
        if (!down) {
            *err = one; /* it refused us: another DC would too */
            break;
        }
        if (!sa_strv_add(unreachable, one.message)) {
            ret = sa_error_nomem(err);
            break;
        }
        if (i + 1 < uris.n)
            continue;
        if (uris.n == 1)
            *err = one;
        if (uris.n == 1 && opts->uri == NULL && opts->n_servers == 0 && !from_dns)
            no_srv(opts, err); /* the domain's name, tried for want of SRV records */
        else if (uris.n > 1)
            sa_error_set(err, SA_ERR_DIRECTORY,
                         "none of the %zu domain controllers %s answered; the last: %s", uris.n,
                         from_dns ? "listed in DNS" : "named", one.message);
    }
cleanup:
    sa_strv_clear(&uris);
    return ret;
}

void
sa_dir_close(sa_dir *d)
{
    if (d == NULL)
        return;
    if (d->ld != NULL)
        ldap_unbind_ext_s(d->ld, NULL, NULL);
    free(d->uri);
    free(d->base_dn);
    free(d->dns_domain);
    free(d->netbios);
    free(d->config_nc);
    free(d->bind);
    free(d);
}

const char *
sa_dir_uri(const sa_dir *d)
{
    return d->uri;
}

const char *
sa_dir_base_dn(const sa_dir *d)
{
    return d->base_dn;
}

const char *
sa_dir_dns_domain(const sa_dir *d)
{
    return d->dns_domain;
}

const char *
sa_dir_netbios_domain(const sa_dir *d)
{
    return d->netbios;
}

bool
sa_dir_clock_skew(const sa_dir *d, long *seconds)
{
    if (d->have_skew)
        *seconds = d->skew;
    return d->have_skew;
}

bool
sa_parse_generalized_time(const char *s, long *epoch)
{
    struct tm tm;
    const char *p;
    time_t t;

    /* YYYYMMDDHHMMSS[.fraction]Z, as AD writes it */
    memset(&tm, 0, sizeof(tm));
    p = strptime(s, "%Y%m%d%H%M%S", &tm);
    if (p == NULL)
        return false;
    if (*p == '.' || *p == ',') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (strcmp(p, "Z") != 0)
        return false;
    t = timegm(&tm);
    if (t == (time_t)-1)
        return false;
    *epoch = (long)t;
    return true;
}

int
sa_dir_ssf(const sa_dir *d)
{
    return d->ssf;
}

const char *
sa_dir_bind_description(const sa_dir *d)
{
    return d->bind;
}
