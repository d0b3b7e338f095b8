/* directory.c - LDAP access to Active Directory: connect, SASL GSSAPI bind,
 * rootDSE, paged searches that stream entries and never truncate silently. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <ldap.h>
#include <sasl/sasl.h>

#include "spnaudit/directory.h"
#include "spnaudit/net.h"
#include "spnaudit/spn.h"
#include "spnaudit/trust.h"

struct sa_dir {
    LDAP *ld;
    char *uri;
    char *base_dn;
    char *dns_domain;
    char *netbios;
    char *config_nc; /* configurationNamingContext, or NULL */
    char *bind;      /* how we are bound, for reports */
    bool gc;         /* a Global Catalog connection */
    int ssf;
    bool have_skew;
    long skew; /* DC clock minus ours, seconds */
    int page_size;
    int size_limit;
    int timeout;
};

static const char *account_attrs[] = {
    "sAMAccountName",
    "dNSHostName",
    "objectClass",
    "userAccountControl",
    "msDS-SupportedEncryptionTypes",
    "servicePrincipalName",
    NULL,
};

/* The server's diagnostic message of the last operation, or "". */
static char *
diagnostic(LDAP *ld)
{
    char *msg = NULL;

    if (ld == NULL || ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &msg) != LDAP_OPT_SUCCESS)
        return NULL;
    /* libldap's placeholder after a failed TLS handshake says nothing */
    if (msg != NULL && (*msg == '\0' || strcmp(msg, "(unknown error code)") == 0)) {
        ldap_memfree(msg);
        msg = NULL;
    }
    return msg;
}

static sa_status
ldap_failure(sa_error *err, sa_status status, LDAP *ld, int rc, const char *uri, const char *doing,
             const char *server_diag)
{
    char *diag = server_diag ? NULL : diagnostic(ld);
    const char *text = server_diag ? server_diag : diag;

    sa_error_set(err, status, "%s: %s while %s%s%s%s", uri, ldap_err2string(rc), doing,
                 text ? " (server said: " : "", text ? text : "", text ? ")" : "");
    ldap_memfree(diag);
    return status;
}

char *
sa_dn_to_dns_domain(const char *dn)
{
    char *out = NULL, *p;
    const char *s = dn;
    size_t len = 0;

    if (dn == NULL)
        return NULL;
    out = calloc(1, strlen(dn) + 1);
    if (out == NULL)
        return NULL;
    p = out;
    while (*s) {
        const char *end = strchr(s, ',');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        while (*s == ' ')
            s++, n--;
        if (n > 3 && strncasecmp(s, "DC=", 3) == 0) {
            if (len > 0)
                *p++ = '.';
            memcpy(p, s + 3, n - 3);
            p += n - 3;
            len++;
        } else {
            free(out);
            return NULL;
        }
        s = end ? end + 1 : s + n;
    }
    *p = '\0';
    if (len == 0) {
        free(out);
        return NULL;
    }
    return out;
}

char *
sa_dn_domain_of(const char *dn)
{
    const char *p = dn;

    if (dn == NULL)
        return NULL;
    /* the first RDN that starts the run of DC= parts up to the end */
    while (p != NULL && *p) {
        if (strncasecmp(p, "DC=", 3) == 0) {
            char *domain = sa_dn_to_dns_domain(p);
            if (domain != NULL)
                return domain;
        }
        /* the next RDN: after an unescaped comma */
        while (*p && *p != ',') {
            if (*p == '\\' && p[1] != '\0')
                p++;
            p++;
        }
        if (*p == ',')
            p++;
        while (*p == ' ')
            p++;
    }
    return NULL;
}

bool
sa_referral_is_infrastructure(const char *url)
{
    static const char *const prefixes[] = {
        "CN=Configuration,",
        "CN=Schema,",
        "DC=DomainDnsZones,",
        "DC=ForestDnsZones,",
    };
    const char *dn = strstr(url, "://");

    dn = dn ? strchr(dn + 3, '/') : NULL;
    if (dn == NULL)
        return false;
    dn++;
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        if (strncasecmp(dn, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    }
    return false;
}

/* contoso.test -> DC=contoso,DC=test */
static char *
dns_domain_to_dn(const char *domain)
{
    size_t labels = 1;
    char *out, *p;

    for (const char *s = domain; *s; s++)
        labels += *s == '.';
    out = malloc(strlen(domain) + labels * 4 + 1);
    if (out == NULL)
        return NULL;
    p = out;
    p += sprintf(p, "DC=");
    for (const char *s = domain; *s; s++) {
        if (*s == '.')
            p += sprintf(p, ",DC=");
        else
            *p++ = *s;
    }
    *p = '\0';
    return out;
}

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

static bool first_value(LDAP *ld, LDAPMessage *e, const char *attr, char **out);

/* value escaped for an LDAP search filter (RFC 4515), malloc'd; NULL on
 * failure. */
static char *
filter_value(const char *value)
{
    struct berval in = {0, NULL}, esc = {0, NULL};
    char *out;

    in.bv_val = (char *)value;
    in.bv_len = strlen(value);
    if (ldap_bv2escaped_filter_value(&in, &esc) != 0)
        return NULL;
    out = strdup(esc.bv_val);
    ber_memfree(esc.bv_val);
    return out;
}

/* The host part of an LDAP URI, for messages ("" when it has none). */
static void
uri_host(const char *uri, char *host, size_t size)
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
    d->base_dn = domain != NULL ? dns_domain_to_dn(domain) : strdup(default_nc);
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
        uri_host(d->uri, host, sizeof(host));
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
    esc = filter_value(d->base_dn);
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
    else if (!first_value(d->ld, e, "nETBIOSName", &d->netbios))
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
        ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, "reading the rootDSE", NULL);
        goto cleanup;
    }
    e = ldap_first_entry(d->ld, res);
    if (e == NULL) {
        sa_error_set(err, SA_ERR_DIRECTORY, "%s: the rootDSE is empty: not an Active Directory DC?", d->uri);
        goto cleanup;
    }
    if (!first_value(d->ld, e, "defaultNamingContext", &default_nc) ||
        !first_value(d->ld, e, "configurationNamingContext", &d->config_nc) ||
        !first_value(d->ld, e, "currentTime", &now)) {
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
        char *diag = diagnostic(d->ld);
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
    char host[300] = "";
    LDAPURLDesc *lud = NULL;

    if (!opts->tls_no_verify && tls_works_unverified(d->uri, opts, d->timeout)) {
        if (ldap_url_parse(d->uri, &lud) == LDAP_SUCCESS && lud->lud_host != NULL)
            snprintf(host, sizeof(host), "%s", lud->lud_host);
        ldap_free_urldesc(lud);
        return sa_error_set(
            err, SA_ERR_DIRECTORY,
            "%s: the domain controller's TLS certificate does not verify: it is not signed by "
            "a CA in %s%s, or it is not issued to the name \"%s\" used to connect (the DC "
            "answers TLS when the certificate is not checked; nothing was sent to it)",
            d->uri, opts->ca_file ? "the CA file " : "the system's CA certificates",
            opts->ca_file ? opts->ca_file : "", host);
    }
    *unreachable = rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR;
    return ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri,
                        uri_is_ldaps(d->uri) ? "connecting to the domain controller over LDAPS"
                                             : "starting TLS (StartTLS) with the domain controller",
                        NULL);
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

/* Connect and bind to one DC.  *unreachable tells a DC that did not
 * answer (worth trying the next) from one that refused us. */
static sa_status
connect_one(const sa_dir_options *opts, const char *uri, sa_dir **out, bool *unreachable, sa_error *err)
{
    sa_dir *d = NULL;
    struct timeval tv;
    sa_status ret = SA_ERR_DIRECTORY;
    int version = LDAP_VERSION3, rc;
    ber_len_t ssf = 0;
    bool ldaps = uri_is_ldaps(uri), tls = ldaps || opts->tls == SA_TLS_STARTTLS;
    const char *doing = NULL;
    char *doing_buf = NULL;

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
    rc = ldap_initialize(&d->ld, d->uri);
    if (rc != LDAP_SUCCESS) {
        ret = ldap_failure(err, SA_ERR_USAGE, NULL, rc, d->uri, "parsing the LDAP URI", NULL);
        goto cleanup;
    }
    tv.tv_sec = d->timeout;
    tv.tv_usec = 0;
    if (ldap_set_option(d->ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
        ldap_set_option(d->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
        ldap_set_option(d->ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
        ldap_set_option(d->ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
        /* Ask for ldap/<the name given>, not for what reverse DNS says. */
        ldap_set_option(d->ld, LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON) != LDAP_OPT_SUCCESS ||
        /* Without TLS, signing at least: never a bind whose traffic can be
         * altered.  Over TLS, AD refuses a SASL security layer on top. */
        ldap_set_option(d->ld, LDAP_OPT_X_SASL_SECPROPS, tls ? "maxssf=0" : "minssf=1") != LDAP_OPT_SUCCESS) {
        ret = sa_error_set(err, SA_ERR_SYSTEM, "%s: cannot set LDAP options", d->uri);
        goto cleanup;
    }
    if (tls) {
        ret = set_tls_options(d, opts, err);
        if (ret != SA_OK)
            goto cleanup;
        ret = SA_ERR_DIRECTORY;
    }
    if (opts->tls == SA_TLS_STARTTLS && !ldaps) {
        rc = ldap_start_tls_s(d->ld, NULL, NULL);
        if (rc != LDAP_SUCCESS) {
            if (rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR)
                tls_failure(d, opts, rc, unreachable, err);
            else /* e.g. the DC does not offer StartTLS */
                ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, "starting TLS (StartTLS)", NULL);
            goto cleanup;
        }
    }
    if (opts->bind_user != NULL) {
        struct berval cred = {0, NULL};

        if (opts->bind_password == NULL || opts->bind_password[0] == '\0') {
            /* AD takes a simple bind with an empty password as anonymous. */
            ret = sa_error_set(err, SA_ERR_USAGE,
                               "%s: an empty password would make the simple bind anonymous", d->uri);
            goto cleanup;
        }
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
        (rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT)) {
        tls_failure(d, opts, rc, unreachable, err);
        goto cleanup;
    }
    if (rc != LDAP_SUCCESS) {
        char *diag = diagnostic(d->ld);
        const char *meaning = opts->bind_user != NULL ? sa_ad_bind_data_text(diag) : NULL;

        *unreachable = rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR;
        if (*unreachable)
            doing = "connecting to the domain controller";
        ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, doing, diag);
        if (meaning != NULL) {
            size_t len = strlen(err->message);
            snprintf(err->message + len, sizeof(err->message) - len, ": %s", meaning);
        }
        ldap_memfree(diag);
        goto cleanup;
    }
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
    free(doing_buf);
    sa_dir_close(d);
    return ret;
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
    snprintf(qname, sizeof(qname), opts->global_catalog ? "_gc._tcp.%s" : "_ldap._tcp.dc._msdcs.%s",
             opts->domain);
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
        else
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

void
sa_search_stats_clear(sa_search_stats *stats)
{
    sa_strv_clear(&stats->referrals);
    memset(stats, 0, sizeof(*stats));
}

/* ------------------------------------------------------------ searching */

typedef sa_status (*entry_fn)(sa_dir *d, LDAPMessage *entry, void *data, sa_error *err);

static sa_status
add_referrals(sa_search_stats *stats, char **urls)
{
    for (size_t i = 0; urls != NULL && urls[i] != NULL; i++) {
        if (!sa_strv_add_unique_ci(&stats->referrals, urls[i]))
            return SA_ERR_SYSTEM;
    }
    return SA_OK;
}

/* Run one search, page by page when paging is on, handing each entry to
 * fn as it arrives.  A cut-short search is SA_ERR_INCOMPLETE. */
static sa_status
paged_search(sa_dir *d, const char *base, int scope, const char *filter, char **attrs, entry_fn fn,
             void *data, sa_search_stats *stats, const char *what, sa_error *err)
{
    struct berval *cookie = NULL;
    LDAPControl *page = NULL, **resp_ctrls = NULL;
    LDAPMessage *msg = NULL;
    char *matched = NULL, *diag = NULL, **refs = NULL, *doing = NULL;
    sa_status ret = SA_ERR_DIRECTORY;
    int rc, msgid, result;

    doing = sa_strdup_printf("searching %s under %s", what, base);
    if (doing == NULL)
        return sa_error_nomem(err);
    for (;;) {
        LDAPControl *ctrls[2] = {NULL, NULL};
        struct timeval tv = {d->timeout, 0};
        bool done = false;

        if (d->page_size > 0) {
            rc = ldap_create_page_control(d->ld, (ber_int_t)d->page_size, cookie, 1, &page);
            if (rc != LDAP_SUCCESS) {
                ldap_failure(err, SA_ERR_SYSTEM, d->ld, rc, d->uri, "creating the paged results control",
                             NULL);
                ret = SA_ERR_SYSTEM;
                goto cleanup;
            }
            ctrls[0] = page;
        }
        rc = ldap_search_ext(d->ld, base, scope, filter, attrs, 0, ctrls[0] ? ctrls : NULL, NULL, &tv,
                             d->size_limit, &msgid);
        ldap_control_free(page);
        page = NULL;
        if (rc != LDAP_SUCCESS) {
            ret = ldap_failure(err, rc == LDAP_SERVER_DOWN ? SA_ERR_INCOMPLETE : SA_ERR_DIRECTORY, d->ld, rc,
                               d->uri, doing, NULL);
            goto cleanup;
        }
        stats->pages++;
        while (!done) {
            tv.tv_sec = d->timeout;
            tv.tv_usec = 0;
            result = ldap_result(d->ld, msgid, LDAP_MSG_ONE, &tv, &msg);
            if (result == 0) {
                ldap_abandon_ext(d->ld, msgid, NULL, NULL);
                ret = sa_error_set(err, SA_ERR_INCOMPLETE,
                                   "%s: no answer within %d s while %s (after %zu entries)", d->uri,
                                   d->timeout, doing, stats->entries);
                goto cleanup;
            }
            if (result < 0) {
                int lerr = LDAP_OTHER;
                ldap_get_option(d->ld, LDAP_OPT_RESULT_CODE, &lerr);
                ret = ldap_failure(err, SA_ERR_INCOMPLETE, d->ld, lerr, d->uri, doing, NULL);
                goto cleanup;
            }
            switch (result) {
            case LDAP_RES_SEARCH_ENTRY:
                if (d->size_limit > 0 && stats->entries >= (size_t)d->size_limit) {
                    /* Some servers (Samba) ignore the size limit: enforce it
                     * here, with the answer a server that honours it gives. */
                    ldap_abandon_ext(d->ld, msgid, NULL, NULL);
                    ret = sa_error_set(err, SA_ERR_INCOMPLETE,
                                       "%s: %s while %s; the search was cut short after %zu entries "
                                       "(--size-limit %d)",
                                       d->uri, ldap_err2string(LDAP_SIZELIMIT_EXCEEDED), doing,
                                       stats->entries, d->size_limit);
                    goto cleanup;
                }
                ret = fn(d, msg, data, err);
                if (ret != SA_OK)
                    goto cleanup;
                stats->entries++;
                break;
            case LDAP_RES_SEARCH_REFERENCE:
                if (ldap_parse_reference(d->ld, msg, &refs, NULL, 0) == LDAP_SUCCESS &&
                    add_referrals(stats, refs) != SA_OK) {
                    ret = sa_error_nomem(err);
                    goto cleanup;
                }
                ber_memvfree((void **)refs);
                refs = NULL;
                break;
            case LDAP_RES_SEARCH_RESULT: {
                int code = LDAP_OTHER;
                rc = ldap_parse_result(d->ld, msg, &code, &matched, &diag, &refs, &resp_ctrls, 0);
                if (rc != LDAP_SUCCESS) {
                    ret = ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, doing, NULL);
                    goto cleanup;
                }
                if (code == LDAP_SIZELIMIT_EXCEEDED || code == LDAP_TIMELIMIT_EXCEEDED ||
                    code == LDAP_ADMINLIMIT_EXCEEDED) {
                    char *after = sa_strdup_printf("%s; the search was cut short after %zu entries", doing,
                                                   stats->entries);
                    ret = ldap_failure(err, SA_ERR_INCOMPLETE, d->ld, code, d->uri, after ? after : doing,
                                       diag);
                    free(after);
                    goto cleanup;
                }
                if (code == LDAP_REFERRAL) {
                    add_referrals(stats, refs);
                    ret = ldap_failure(err, SA_ERR_DIRECTORY, d->ld, code, d->uri, doing,
                                       refs && refs[0] ? refs[0] : diag);
                    goto cleanup;
                }
                if (code != LDAP_SUCCESS) {
                    ret = ldap_failure(err, SA_ERR_DIRECTORY, d->ld, code, d->uri, doing, diag);
                    goto cleanup;
                }
                ber_bvfree(cookie);
                cookie = NULL;
                if (d->page_size > 0) {
                    LDAPControl *pr = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, resp_ctrls, NULL);
                    ber_int_t estimate = 0;
                    struct berval c = {0, NULL};
                    if (pr == NULL) {
                        /* The server ignored paging and sent everything. */
                    } else if (ldap_parse_pageresponse_control(d->ld, pr, &estimate, &c) != LDAP_SUCCESS) {
                        ret = sa_error_set(err, SA_ERR_DIRECTORY,
                                           "%s: malformed paged results control while %s", d->uri, doing);
                        goto cleanup;
                    } else if (c.bv_len > 0) {
                        cookie = ber_bvdup(&c);
                        ber_memfree(c.bv_val);
                        if (cookie == NULL) {
                            ret = sa_error_nomem(err);
                            goto cleanup;
                        }
                    } else {
                        ber_memfree(c.bv_val);
                    }
                }
                ldap_controls_free(resp_ctrls);
                resp_ctrls = NULL;
                ber_memvfree((void **)refs);
                refs = NULL;
                ldap_memfree(matched);
                ldap_memfree(diag);
                matched = diag = NULL;
                done = true;
                break;
            }
            default:
                break;
            }
            ldap_msgfree(msg);
            msg = NULL;
        }
        if (cookie == NULL)
            break;
    }
    ret = SA_OK;
cleanup:
    ldap_msgfree(msg);
    ldap_control_free(page);
    ldap_controls_free(resp_ctrls);
    ber_memvfree((void **)refs);
    ldap_memfree(matched);
    ldap_memfree(diag);
    ber_bvfree(cookie);
    free(doing);
    return ret;
}

typedef struct holder_ctx {
    const sa_strv *classes;
    sa_accounts *out;
    bool skip_known; /* do not add accounts whose DN is already listed */
} holder_ctx;

static bool
wanted_spn(const sa_strv *classes, const char *spn)
{
    for (size_t i = 0; i < classes->n; i++) {
        if (sa_spn_has_class(spn, classes->items[i]))
            return true;
    }
    return false;
}

static bool
first_value(LDAP *ld, LDAPMessage *e, const char *attr, char **out)
{
    struct berval **vals = ldap_get_values_len(ld, e, attr);
    bool ok = true;

    *out = NULL;
    if (vals != NULL && vals[0] != NULL) {
        *out = strndup(vals[0]->bv_val, vals[0]->bv_len);
        ok = *out != NULL;
    }
    ldap_value_free_len(vals);
    return ok;
}

static bool
int_value(LDAP *ld, LDAPMessage *e, const char *attr, bool *has, unsigned *value)
{
    char *s = NULL, *end = NULL;
    long long v;

    *has = false;
    if (!first_value(ld, e, attr, &s))
        return false;
    if (s != NULL) {
        errno = 0;
        v = strtoll(s, &end, 10);
        /* AD stores these as signed 32-bit integers. */
        if (errno == 0 && end != s && *end == '\0' && v >= INT32_MIN && v <= UINT32_MAX) {
            *value = (unsigned)(uint32_t)v;
            *has = true;
        }
        free(s);
    }
    return true;
}

/* Add the SPN values of attribute attr of entry e to a. */
static bool
add_spn_values(LDAP *ld, LDAPMessage *e, const char *attr, const sa_strv *classes, sa_account *a)
{
    struct berval **vals = ldap_get_values_len(ld, e, attr);
    bool ok = true;

    for (size_t i = 0; ok && vals != NULL && vals[i] != NULL; i++) {
        char *v = strndup(vals[i]->bv_val, vals[i]->bv_len);
        if (v == NULL)
            ok = false;
        else if (wanted_spn(classes, v))
            ok = sa_strv_add(&a->spns, v);
        free(v);
    }
    ldap_value_free_len(vals);
    return ok;
}

static sa_status fetch_spn_range(sa_dir *d, const char *dn, unsigned long next, const sa_strv *classes,
                                 sa_account *a, sa_error *err);

/* An account with more values than the DC returns at once (1500 on
 * Windows) comes back as "servicePrincipalName;range=0-1499": fetch the
 * rest.  Returns the next start, or 0 when complete. */
static bool
spn_attrs(sa_dir *d, LDAPMessage *e, const sa_strv *classes, sa_account *a, unsigned long *next)
{
    BerElement *ber = NULL;
    bool ok = true;

    *next = 0;
    for (char *attr = ldap_first_attribute(d->ld, e, &ber); attr != NULL && ok;
         attr = ldap_next_attribute(d->ld, e, ber)) {
        if (strcasecmp(attr, "servicePrincipalName") == 0) {
            ok = add_spn_values(d->ld, e, attr, classes, a);
        } else if (strncasecmp(attr, "servicePrincipalName;range=", 27) == 0) {
            const char *dash = strchr(attr + 27, '-');
            ok = add_spn_values(d->ld, e, attr, classes, a);
            if (dash != NULL && dash[1] != '*')
                *next = strtoul(dash + 1, NULL, 10) + 1;
        }
        ldap_memfree(attr);
    }
    ber_free(ber, 0);
    return ok;
}

static sa_status
fetch_spn_range(sa_dir *d, const char *dn, unsigned long start, const sa_strv *classes, sa_account *a,
                sa_error *err)
{
    struct timeval tv = {d->timeout, 0};
    LDAPMessage *res = NULL, *e;
    char attr[64];
    char *attrs[] = {attr, NULL};
    sa_status ret = SA_ERR_DIRECTORY;
    int rc;

    while (start > 0) {
        unsigned long next = 0;
        snprintf(attr, sizeof(attr), "servicePrincipalName;range=%lu-*", start);
        rc = ldap_search_ext_s(d->ld, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL, &tv, 0,
                               &res);
        if (rc != LDAP_SUCCESS) {
            ret = ldap_failure(err, SA_ERR_INCOMPLETE, d->ld, rc, d->uri,
                               "reading the remaining servicePrincipalName values", NULL);
            goto cleanup;
        }
        e = ldap_first_entry(d->ld, res);
        if (e == NULL || !spn_attrs(d, e, classes, a, &next)) {
            ret = e == NULL ? sa_error_set(err, SA_ERR_INCOMPLETE, "%s: %s vanished while reading its SPNs",
                                           d->uri, dn)
                            : sa_error_nomem(err);
            goto cleanup;
        }
        ldap_msgfree(res);
        res = NULL;
        start = next;
    }
    ret = SA_OK;
cleanup:
    ldap_msgfree(res);
    return ret;
}

static sa_status
add_account(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    holder_ctx *hc = data;
    struct berval **classes = NULL;
    const char **names = NULL;
    char *dn = NULL;
    sa_account *a = NULL;
    unsigned long next = 0;
    sa_status ret = SA_ERR_SYSTEM;
    size_t n = 0;

    dn = ldap_get_dn(d->ld, e);
    if (dn == NULL)
        return sa_error_set(err, SA_ERR_DIRECTORY, "%s: an entry without a DN", d->uri);
    if (hc->skip_known && sa_accounts_find_dn(hc->out, dn) >= 0) {
        ldap_memfree(dn);
        return SA_OK;
    }
    a = sa_accounts_add(hc->out);
    if (a == NULL)
        goto cleanup;
    a->dn = strdup(dn);
    if (a->dn == NULL || !first_value(d->ld, e, "sAMAccountName", &a->sam) ||
        !first_value(d->ld, e, "dNSHostName", &a->dns_host) ||
        !int_value(d->ld, e, "userAccountControl", &a->has_uac, &a->uac) ||
        !int_value(d->ld, e, "msDS-SupportedEncryptionTypes", &a->has_enctypes, &a->enctypes))
        goto cleanup;
    classes = ldap_get_values_len(d->ld, e, "objectClass");
    while (classes != NULL && classes[n] != NULL)
        n++;
    names = calloc(n + 1, sizeof(*names));
    if (names == NULL)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        names[i] = classes[i]->bv_val; /* values are NUL-terminated by liblber */
    a->kind = sa_account_kind_from_classes(names, n);
    if (!spn_attrs(d, e, hc->classes, a, &next))
        goto cleanup;
    if (next > 0 && (ret = fetch_spn_range(d, dn, next, hc->classes, a, err)) != SA_OK)
        goto cleanup_keep_err;
    ret = SA_OK;
cleanup:
    if (ret != SA_OK)
        sa_error_nomem(err);
cleanup_keep_err:
    if (ret != SA_OK && a != NULL)
        sa_accounts_drop_last(hc->out);
    free(names);
    ldap_value_free_len(classes);
    ldap_memfree(dn);
    return ret;
}

static char *
class_filter(const sa_strv *classes)
{
    char *filter = strdup("(|"), *next;

    for (size_t i = 0; filter != NULL && i < classes->n; i++) {
        struct berval in, esc = {0, NULL};
        in.bv_val = classes->items[i];
        in.bv_len = strlen(classes->items[i]);
        if (ldap_bv2escaped_filter_value(&in, &esc) != 0) {
            free(filter);
            return NULL;
        }
        next = sa_strdup_printf("%s(servicePrincipalName=%s/*)", filter, esc.bv_val);
        ber_memfree(esc.bv_val);
        free(filter);
        filter = next;
    }
    if (filter == NULL)
        return NULL;
    next = sa_strdup_printf("%s)", filter);
    free(filter);
    return next;
}

sa_status
sa_dir_find_spn_holders(sa_dir *d, const sa_strv *classes, sa_accounts *out, sa_search_stats *stats,
                        sa_error *err)
{
    holder_ctx hc = {classes, out, false};
    char *filter = NULL;
    sa_status ret;

    if (classes->n == 0)
        return sa_error_set(err, SA_ERR_USAGE, "no service classes to look for");
    filter = class_filter(classes);
    if (filter == NULL)
        return sa_error_nomem(err);
    /* The Global Catalog searched from the root covers every domain. */
    ret = paged_search(d, d->gc ? "" : d->base_dn, LDAP_SCOPE_SUBTREE, filter, (char **)account_attrs,
                       add_account, &hc, stats,
                       d->gc ? "the accounts holding SCOM SPNs in the forest (Global Catalog)"
                             : "the accounts holding SCOM SPNs",
                       err);
    free(filter);
    return ret;
}

sa_status
sa_dir_find_computers(sa_dir *d, const char *const *fqdns, size_t n, const sa_strv *classes, sa_accounts *out,
                      sa_search_stats *stats, sa_error *err)
{
    holder_ctx hc = {classes, out, true};
    char *filter = NULL, *next = NULL, *sam = NULL;
    sa_status ret = SA_OK;
    const size_t batch = 100;

    for (size_t start = 0; start < n && ret == SA_OK; start += batch) {
        filter = strdup("(&(objectClass=computer)(|");
        for (size_t i = start; filter != NULL && i < n && i < start + batch; i++) {
            struct berval in, e1 = {0, NULL}, e2 = {0, NULL};
            char nb[16];
            sa_netbios_from_fqdn(fqdns[i], nb, sizeof(nb));
            sam = sa_strdup_printf("%s$", nb);
            in.bv_val = (char *)fqdns[i];
            in.bv_len = strlen(fqdns[i]);
            if (sam == NULL || ldap_bv2escaped_filter_value(&in, &e1) != 0) {
                free(filter);
                filter = NULL;
                break;
            }
            in.bv_val = sam;
            in.bv_len = strlen(sam);
            if (ldap_bv2escaped_filter_value(&in, &e2) != 0) {
                ber_memfree(e1.bv_val);
                free(filter);
                filter = NULL;
                break;
            }
            next = sa_strdup_printf("%s(dNSHostName=%s)(sAMAccountName=%s)", filter, e1.bv_val, e2.bv_val);
            ber_memfree(e1.bv_val);
            ber_memfree(e2.bv_val);
            free(sam);
            sam = NULL;
            free(filter);
            filter = next;
        }
        next = filter ? sa_strdup_printf("%s))", filter) : NULL;
        free(filter);
        filter = next;
        if (filter == NULL) {
            free(sam);
            return sa_error_nomem(err);
        }
        ret = paged_search(d, d->base_dn, LDAP_SCOPE_SUBTREE, filter, (char **)account_attrs, add_account,
                           &hc, stats, "the management servers' computer accounts", err);
        free(filter);
        filter = NULL;
    }
    return ret;
}

sa_status
sa_dir_read_dacl(sa_dir *d, const char *dn, unsigned char **sd, size_t *sd_len, unsigned char **sid,
                 size_t *sid_len, sa_error *err)
{
    /* LDAP_SERVER_SD_FLAGS_OID with DACL_SECURITY_INFORMATION (4): the DACL
     * only, which authenticated users may read, unlike the SACL. */
    static char flags_value[] = {0x30, 0x03, 0x02, 0x01, 0x04};
    LDAPControl flags = {"1.2.840.113556.1.4.801", {sizeof(flags_value), flags_value}, 1};
    LDAPControl *ctrls[] = {&flags, NULL};
    char *attrs[] = {"nTSecurityDescriptor", "objectSid", NULL};
    struct timeval tv = {d->timeout, 0};
    LDAPMessage *res = NULL, *e;
    struct berval **vals = NULL;
    unsigned char *sd_out = NULL, *sid_out = NULL;
    size_t sd_n = 0, sid_n = 0;
    sa_status ret = SA_ERR_DIRECTORY;
    int rc;

    rc =
        ldap_search_ext_s(d->ld, dn, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, ctrls, NULL, &tv, 0, &res);
    if (rc != LDAP_SUCCESS) {
        char doing[600];
        snprintf(doing, sizeof(doing), "reading the security descriptor of %s", dn);
        ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, doing, NULL);
        goto cleanup;
    }
    e = ldap_first_entry(d->ld, res);
    if (e == NULL || (vals = ldap_get_values_len(d->ld, e, "nTSecurityDescriptor")) == NULL ||
        vals[0] == NULL) {
        sa_error_set(err, SA_ERR_DIRECTORY, "%s: no security descriptor readable on %s", d->uri, dn);
        goto cleanup;
    }
    sd_n = vals[0]->bv_len;
    sd_out = malloc(sd_n ? sd_n : 1);
    if (sd_out == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    memcpy(sd_out, vals[0]->bv_val, sd_n);
    ldap_value_free_len(vals);
    vals = ldap_get_values_len(d->ld, e, "objectSid");
    if (vals != NULL && vals[0] != NULL && vals[0]->bv_len > 0) {
        sid_n = vals[0]->bv_len;
        sid_out = malloc(sid_n);
        if (sid_out == NULL) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
        memcpy(sid_out, vals[0]->bv_val, sid_n);
    }
    *sd = sd_out;
    *sd_len = sd_n;
    *sid = sid_out;
    *sid_len = sid_n;
    sd_out = sid_out = NULL;
    ret = SA_OK;
cleanup:
    free(sd_out);
    free(sid_out);
    ldap_value_free_len(vals);
    ldap_msgfree(res);
    return ret;
}

/* ------------------------------------------------------------ the forest's domains */

static sa_status
add_forest_domain(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    sa_strv *out = data;
    char *root = NULL, *enabled = NULL;
    bool has_flags = false, ok;
    unsigned flags = 0;
    sa_status ret = SA_OK;

    ok = first_value(d->ld, e, "dnsRoot", &root) && first_value(d->ld, e, "enabled", &enabled) &&
         int_value(d->ld, e, "systemFlags", &has_flags, &flags);
    if (!ok)
        ret = sa_error_nomem(err);
    else if (root != NULL && has_flags && sa_crossref_is_forest_domain(flags, enabled) &&
             !sa_strv_add_unique_ci(out, root))
        ret = sa_error_nomem(err);
    free(root);
    free(enabled);
    return ret;
}

sa_status
sa_dir_read_forest_domains(sa_dir *d, sa_strv *out, sa_search_stats *stats, sa_error *err)
{
    static const char *attrs[] = {"dnsRoot", "systemFlags", "enabled", NULL};
    char *base = NULL;
    sa_status ret;

    if (d->config_nc == NULL)
        return sa_error_set(err, SA_ERR_DIRECTORY,
                            "%s: the rootDSE names no configurationNamingContext: cannot list the domains "
                            "of the forest",
                            d->uri);
    if ((base = sa_strdup_printf("CN=Partitions,%s", d->config_nc)) == NULL)
        return sa_error_nomem(err);
    ret = paged_search(d, base, LDAP_SCOPE_ONELEVEL, "(objectClass=crossRef)", (char **)attrs,
                       add_forest_domain, out, stats,
                       "the domains of the forest (crossRef objects of the Partitions container)", err);
    free(base);
    return ret;
}

/* ------------------------------------------------------------ trusts */

static sa_status
add_trust(sa_dir *d, LDAPMessage *e, void *data, sa_error *err)
{
    sa_trusts *out = data;
    sa_trust *t = sa_trusts_add(out);
    struct berval **sid = NULL;
    bool has = false, ok;
    unsigned v = 0;
    char text[200];

    if (t == NULL)
        return sa_error_nomem(err);
    t->domain = strdup(d->dns_domain);
    ok = t->domain != NULL && first_value(d->ld, e, "trustPartner", &t->partner) &&
         first_value(d->ld, e, "flatName", &t->flat);
    if (ok && t->partner == NULL) {
        /* a trustedDomain object without its partner: its name is the partner */
        char *dn = ldap_get_dn(d->ld, e);
        size_t n = dn ? strcspn(dn + (strncasecmp(dn, "CN=", 3) == 0 ? 3 : 0), ",") : 0;
        t->partner = dn ? strndup(dn + (strncasecmp(dn, "CN=", 3) == 0 ? 3 : 0), n) : NULL;
        ldap_memfree(dn);
        ok = t->partner != NULL;
    }
    ok = ok && int_value(d->ld, e, "trustType", &has, &v);
    t->type = has ? (int)v : 0;
    ok = ok && int_value(d->ld, e, "trustDirection", &has, &v);
    t->direction = has ? (int)v : 0;
    ok = ok && int_value(d->ld, e, "trustAttributes", &has, &v);
    t->attributes = has ? v : 0;
    ok = ok && int_value(d->ld, e, "msDS-SupportedEncryptionTypes", &t->has_enctypes, &t->enctypes);
    if (ok && (sid = ldap_get_values_len(d->ld, e, "securityIdentifier")) != NULL && sid[0] != NULL &&
        sa_sid_to_text((const unsigned char *)sid[0]->bv_val, sid[0]->bv_len, text, sizeof(text)))
        ok = (t->sid = strdup(text)) != NULL;
    ldap_value_free_len(sid);
    if (!ok) {
        free(t->domain);
        free(t->partner);
        free(t->flat);
        free(t->sid);
        out->n--;
        return sa_error_nomem(err);
    }
    return SA_OK;
}

sa_status
sa_dir_read_trusts(sa_dir *d, sa_trusts *out, sa_search_stats *stats, sa_error *err)
{
    static const char *attrs[] = {"trustPartner",
                                  "flatName",
                                  "securityIdentifier",
                                  "trustType",
                                  "trustDirection",
                                  "trustAttributes",
                                  "msDS-SupportedEncryptionTypes",
                                  NULL};
    char *base = sa_strdup_printf("CN=System,%s", d->base_dn);
    sa_status ret;

    if (base == NULL)
        return sa_error_nomem(err);
    ret = paged_search(d, base, LDAP_SCOPE_ONELEVEL, "(objectClass=trustedDomain)", (char **)attrs, add_trust,
                       out, stats, "the domain's trusts (trustedDomain objects)", err);
    free(base);
    return ret;
}

/* Does the SPN name a host of this domain (FQDN under it)?  An SPN of
 * another domain's host held here would be asked of the wrong realm. */
static bool
spn_in_domain(const char *spn, const char *domain)
{
    sa_spn parsed;
    const char *why;
    size_t h, n = strlen(domain);

    if (!sa_spn_parse(spn, &parsed, &why))
        return false;
    h = strlen(parsed.host);
    return h > n && parsed.host[h - n - 1] == '.' && strcasecmp(parsed.host + h - n, domain) == 0;
}

sa_status
sa_dir_first_spn(sa_dir *d, const char *cls, char **spn, sa_error *err)
{
    char *attrs[] = {"servicePrincipalName", NULL};
    char *filter = NULL, *found = NULL;
    struct timeval tv = {d->timeout, 0};
    struct berval **vals = NULL;
    LDAPMessage *msg = NULL;
    sa_status ret = SA_ERR_DIRECTORY;
    int msgid = -1, rc;

    filter = sa_strdup_printf("(servicePrincipalName=%s/*)", cls);
    if (filter == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    /* A size limit of 1, which AD honours; Samba does not, so the search is
     * abandoned after the first entry either way. */
    rc = ldap_search_ext(d->ld, d->base_dn, LDAP_SCOPE_SUBTREE, filter, attrs, 0, NULL, NULL, &tv, 1, &msgid);
    if (rc != LDAP_SUCCESS) {
        ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc, d->uri, "looking for an SPN", NULL);
        goto cleanup;
    }
    for (;;) {
        rc = ldap_result(d->ld, msgid, LDAP_MSG_ONE, &tv, &msg);
        if (rc <= 0) {
            ldap_failure(err, SA_ERR_DIRECTORY, d->ld, rc == 0 ? LDAP_TIMEOUT : rc, d->uri,
                         "looking for an SPN", NULL);
            goto cleanup;
        }
        if (rc == LDAP_RES_SEARCH_ENTRY) {
            vals = ldap_get_values_len(d->ld, msg, "servicePrincipalName");
            for (size_t i = 0; found == NULL && vals != NULL && vals[i] != NULL; i++) {
                char *v = strndup(vals[i]->bv_val, vals[i]->bv_len);
                if (v == NULL) {
                    ret = sa_error_nomem(err);
                    goto cleanup;
                }
                if (sa_spn_has_class(v, cls) && spn_in_domain(v, d->dns_domain))
                    found = v;
                else
                    free(v);
            }
            ldap_value_free_len(vals);
            vals = NULL;
            if (found != NULL)
                break;
        } else if (rc == LDAP_RES_SEARCH_RESULT) {
            msgid = -1; /* finished: nothing to abandon */
            break;
        }
        ldap_msgfree(msg);
        msg = NULL;
    }
    *spn = found;
    found = NULL;
    ret = SA_OK;
cleanup:
    if (msgid >= 0 && ret == SA_OK)
        ldap_abandon_ext(d->ld, msgid, NULL, NULL);
    ldap_value_free_len(vals);
    ldap_msgfree(msg);
    free(found);
    free(filter);
    return ret;
}
