/* groupconf.c - the management group's configuration file. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/confkeys.h"
#include "spnaudit/conflines.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/infile.h"
#include "spnaudit/scope.h"

bool
sa_valid_fqdn(const char *s)
{
    size_t label = 0;
    bool dot = false;

    if (*s == '\0' || *s == '.' || strlen(s) > 253)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (label == 0)
                return false;
            label = 0;
            dot = true;
        } else if (isalnum((unsigned char)*p) || *p == '-' || *p == '_') {
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return dot && label > 0;
}

bool
sa_identity_is_local_system(const char *identity)
{
    return strcasecmp(identity, "localsystem") == 0 || strcasecmp(identity, "local system") == 0 ||
           strcasecmp(identity, "system") == 0;
}

const char *
sa_identity_account(const char *identity, char *buf, size_t size)
{
    const char *slash = strchr(identity, '\\'), *at = strchr(identity, '@');
    const char *start = slash ? slash + 1 : identity;
    size_t len = at && at > start ? (size_t)(at - start) : strlen(start);

    if (len >= size)
        len = size - 1;
    memcpy(buf, start, len);
    buf[len] = '\0';
    return buf;
}

typedef struct parse_state {
    sa_groupconf *conf;
    bool tls_set;
    char error[512]; /* the first error's: libinih reads on after it */
} parse_state;

/* A key given a second time (or an indented line, which libinih reads as
 * more of the key above it): lists grow, a single value is an error. */
static int
twice(parse_state *st, const char *key)
{
    snprintf(st->error, sizeof(st->error),
             "%s is given twice (an indented line continues the key above it; only lists may go on)", key);
    return 0;
}

static int
set_string(parse_state *st, char **field, const char *value, const char *key)
{
    char *copy;

    if (*field != NULL)
        return twice(st, key);
    if ((copy = strdup(value)) == NULL)
        return 0;
    *field = copy;
    return 1;
}

/* A space- or comma-separated list, added to what earlier lines gave;
 * hosts checked when hosts is true. */
static int
set_list(parse_state *st, sa_strv *list, const char *value, bool hosts, const char *key)
{
    char *copy = strdup(value), *save = NULL;

    if (copy == NULL)
        return 0;
    for (char *w = strtok_r(copy, " ,\t", &save); w != NULL; w = strtok_r(NULL, " ,\t", &save)) {
        if (hosts && !sa_valid_fqdn(w)) {
            snprintf(st->error, sizeof(st->error), "%s: \"%s\" is not a fully qualified host name", key, w);
            free(copy);
            return 0;
        }
        if (!sa_strv_add_unique_ci(list, w)) {
            free(copy);
            return 0;
        }
    }
    free(copy);
    return 1;
}

static int
set_int(parse_state *st, int *field, const char *value, long min, long max, const char *key)
{
    char *end = NULL;
    long v;

    if (*field != SA_UNSET)
        return twice(st, key);
    errno = 0;
    v = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || v < min || v > max) {
        snprintf(st->error, sizeof(st->error), "%s wants a number from %ld to %ld, not \"%s\"", key, min, max,
                 value);
        return 0;
    }
    *field = (int)v;
    return 1;
}

static int
set_bool(parse_state *st, int *field, const char *value, const char *key)
{
    if (*field != SA_UNSET)
        return twice(st, key);
    if (strcasecmp(value, "yes") == 0 || strcasecmp(value, "true") == 0 || strcmp(value, "1") == 0)
        *field = 1;
    else if (strcasecmp(value, "no") == 0 || strcasecmp(value, "false") == 0 || strcmp(value, "0") == 0)
        *field = 0;
    else {
        snprintf(st->error, sizeof(st->error), "%s wants yes or no, not \"%s\"", key, value);
        return 0;
    }
    return 1;
}

/* all, servers or none (an sa_scope_tickets); yes and no, of older
 * files, are all and none. */
static int
set_tickets(parse_state *st, int *field, const char *value, const char *key)
{
    sa_scope_tickets t;

    if (*field != SA_UNSET)
        return twice(st, key);
    if (sa_scope_tickets_parse(value, &t))
        *field = (int)t;
    else if (set_bool(st, field, value, key))
        *field = *field ? SA_SCOPE_TICKETS_ALL : SA_SCOPE_TICKETS_NONE;
    else {
        snprintf(st->error, sizeof(st->error), "%s wants all, servers or none, not \"%s\"", key, value);
        return 0;
    }
    return 1;
}

static int
set_identity(parse_state *st, char **field, const char *value, const char *key)
{
    char buf[256];

    if (!sa_identity_is_local_system(value) && *sa_identity_account(value, buf, sizeof(buf)) == '\0') {
        snprintf(st->error, sizeof(st->error), "%s wants localsystem or DOMAIN\\\\account, not \"%s\"", key,
                 value);
        return 0;
    }
    return set_string(st, field, value, key);
}

#define IS(s, k) (strcasecmp(section, s) == 0 && strcasecmp(name, k) == 0)

static int
handler(void *user, const char *section, const char *name, const char *value)
{
    parse_state *st = user;
    sa_groupconf *c = st->conf;

    if (st->error[0] != '\0')
        return 0; /* only the first error is reported, with its line */

    if (IS("domain", "name")) {
        if (!sa_valid_fqdn(value)) {
            snprintf(st->error, sizeof(st->error), "name wants a DNS domain name, not \"%s\"", value);
            return 0;
        }
        return set_string(st, &c->domain, value, name);
    }
    if (IS("domain", "servers"))
        return set_list(st, &c->dcs, value, false, name);
    if (IS("domain", "uri")) {
        if (strncmp(value, "ldap://", 7) != 0 && strncmp(value, "ldaps://", 8) != 0) {
            snprintf(st->error, sizeof(st->error), "uri wants ldap:// or ldaps://, not \"%s\"", value);
            return 0;
        }
        return set_string(st, &c->uri, value, name);
    }
    if (IS("domain", "tls")) {
        if (st->tls_set)
            return twice(st, name);
        st->tls_set = true;
        if (strcasecmp(value, "none") == 0)
            c->tls = SA_TLS_NONE;
        else if (strcasecmp(value, "starttls") == 0)
            c->tls = SA_TLS_STARTTLS;
        else if (strcasecmp(value, "ldaps") == 0)
            c->tls = SA_TLS_LDAPS;
        else {
            snprintf(st->error, sizeof(st->error), "tls wants none, starttls or ldaps, not \"%s\"", value);
            return 0;
        }
        return 1;
    }
    if (IS("domain", "ca_file"))
        return set_string(st, &c->ca_file, value, name);
    if (IS("domain", "bind_user"))
        return set_string(st, &c->bind_user, value, name);
    if (IS("domain", "password_file"))
        return set_string(st, &c->password_file, value, name);
    if (IS("management_group", "management_servers"))
        return set_list(st, &c->management_servers, value, true, name);
    if (IS("management_group", "gateways"))
        return set_list(st, &c->gateways, value, true, name);
    if (IS("management_group", "health_service"))
        return set_identity(st, &c->health_service, value, name);
    if (IS("management_group", "sdk_service"))
        return set_identity(st, &c->sdk_service, value, name);
    if (IS("kerberos", "keytab"))
        return set_string(st, &c->keytab, value, name);
    if (IS("kerberos", "principal"))
        return set_string(st, &c->principal, value, name);
    if (IS("kerberos", "jobs"))
        return set_int(st, &c->jobs, value, 1, 64, name);
    if (IS("kerberos", "kdc_timeout"))
        return set_int(st, &c->kdc_timeout, value, 1, 600, name);
    if (IS("audit", "page_size"))
        return set_int(st, &c->page_size, value, 0, 1000000, name);
    if (IS("audit", "timeout"))
        return set_int(st, &c->timeout, value, 1, 3600, name);
    if (IS("audit", "connect_timeout"))
        return set_int(st, &c->connect_timeout, value, 1, 600, name);
    if (IS("audit", "reachability"))
        return set_bool(st, &c->reachability, value, name);
    if (IS("audit", "tickets"))
        return set_tickets(st, &c->tickets, value, name);
    if (IS("audit", "service_classes"))
        return set_list(st, &c->service_classes, value, false, name);
    if (IS("plan", "agent_domains"))
        return set_list(st, &c->agent_domains, value, true, name);
    sa_conf_unknown_key(section, name, st->error, sizeof(st->error));
    return 0;
}

/* What to add to the syntax error of line number line of text: the
 * section meant by a "[name" without "]", and where the syntax is told. */
static const char *
syntax_hint(const char *text, size_t len, size_t line, char *buf, size_t size)
{
    const char *p = text, *end = text + len, *nl;
    char hint[64];

    for (size_t i = 1; i < line && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; i++)
        p = nl + 1;
    nl = memchr(p, '\n', (size_t)(end - p));
    sa_conf_section_hint(p, (size_t)((nl ? nl : end) - p), hint, sizeof(hint));
    snprintf(buf, size, "%s (see spnaudit.conf(5))", hint);
    return buf;
}

sa_status
sa_groupconf_parse(const char *text, size_t len, const char *name, sa_groupconf *out, sa_error *err)
{
    parse_state st;
    const char *why = NULL;
    char hint[96] = "";
    size_t line;
    int rc = 0;

    memset(out, 0, sizeof(*out));
    out->jobs = out->kdc_timeout = out->page_size = out->timeout = SA_UNSET;
    out->connect_timeout = out->reachability = out->tickets = SA_UNSET;
    memset(&st, 0, sizeof(st));
    st.conf = out;
    /* libinih's own syntax errors cannot happen past the check: its first
     * error is the handler's, whose message st holds */
    if ((line = sa_conf_lines_check(text, len, &why)) == 0 &&
        (rc = ini_parse_string(text, handler, &st)) != 0)
        line = rc > 0 ? (size_t)rc : 0;
    if (line != 0 || rc < 0) {
        sa_groupconf_clear(out);
        return sa_error_set(err, SA_ERR_USAGE, "%s:%zu: %s%s", name, line,
                            why != NULL   ? why
                            : st.error[0] ? st.error
                                          : "out of memory",
                            why != NULL ? syntax_hint(text, len, line, hint, sizeof(hint)) : "");
    }
    return SA_OK;
}

sa_status
sa_groupconf_load(const char *path, sa_groupconf *out, sa_error *err)
{
    char *text = NULL;
    size_t len = 0;
    sa_status ret;

    memset(out, 0, sizeof(*out));
    if ((ret = sa_infile_read(path, SA_INFILE_CONFIG, &text, &len, err)) == SA_OK)
        ret = sa_groupconf_parse(text, len, path, out, err);
    free(text);
    return ret;
}

void
sa_groupconf_clear(sa_groupconf *c)
{
    free(c->domain);
    free(c->uri);
    free(c->ca_file);
    free(c->bind_user);
    free(c->password_file);
    free(c->health_service);
    free(c->sdk_service);
    free(c->keytab);
    free(c->principal);
    sa_strv_clear(&c->dcs);
    sa_strv_clear(&c->management_servers);
    sa_strv_clear(&c->gateways);
    sa_strv_clear(&c->service_classes);
    sa_strv_clear(&c->agent_domains);
    memset(c, 0, sizeof(*c));
}
