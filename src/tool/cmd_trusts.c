/* cmd_trusts.c - "spnaudit trusts": the trusts of the management servers'
 * domain, decoded like nltest /domain_trusts, each with the verdict for
 * agents on the other side: Kerberos mutual authentication, or
 * certificates.  "spnaudit plan": the same verdicts for an intended
 * topology (management servers, gateways, agent domains), before any
 * agent is installed. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/analysis.h"
#include "spnaudit/finding.h"
#include "spnaudit/groupconf.h"
#include "spnaudit/secdesc.h"
#include "spnaudit/trust.h"

/* The DACL of a server's computer object, read once per run whatever the
 * number of agent domains judged against it. */
typedef struct server_sd {
    char *server;
    char *dn; /* its computer object, or NULL when not found */
    unsigned char *sd;
    size_t sd_len;
    bool read;              /* sd holds the DACL */
    char why[SA_ERROR_MAX]; /* why it was not read */
} server_sd;

typedef struct sd_cache {
    server_sd *items;
    size_t n, cap;
} sd_cache;

typedef struct trusts_opts {
    dir_args d;
    sa_krb_options krb;
    sa_strv agents; /* --agent-domain: more agent domains to judge */
    bool json;
    bool tickets;  /* confirm verdicts with real tickets */
    bool partners; /* read each partner's side of the trusts too */
    int jobs;
    /* plan: the topology, from -c FILE and the command line */
    sa_groupconf conf;
    sa_strv ms, gateways;
    bool cli_ms, cli_gateways, cli_agents;
    sd_cache sds; /* the servers' DACLs read so far */
} trusts_opts;

/* What one server's computer object grants the agents of a domain. */
typedef struct server_acl {
    char *server;
    char *dn;  /* its computer object, or NULL when not found */
    bool read; /* the DACL was read */
    int grant; /* sa_auth_grant */
    char why[SA_ERROR_MAX];
} server_acl;

/* The servers checked for a selective verdict. */
typedef struct server_acls {
    server_acl *items;
    size_t n;
} server_acls;

/* One agent domain, its verdict, and what the KDCs did. */
typedef struct row {
    const char *agent; /* owned by the names list */
    sa_verdict v;
    server_acls acls;  /* for a selective trust: "Allowed to Authenticate" per server */
    long tgt, service; /* indices in the probes list, or -1 */
    char *observed;    /* what the tickets showed, or NULL */
    bool differs;      /* ... against the verdict's rule */
} row;

static void
trusts_help(void)
{
    printf("Usage: spnaudit trusts [OPTIONS]\n"
           "List the trusts of the management servers' domain (the first --domain) like\n"
           "nltest /domain_trusts, and say for the agents of each trusted domain whether\n"
           "OpsMgr's Kerberos mutual authentication with the servers will work, by which\n"
           "chain of trusts, or why certificates are needed. Each trusted domain's side of\n"
           "the trust is read too where the run can, and the domains of more --domain; and\n"
           "every domain of each forest read (its Partitions container) is judged too.\n\n" DIR_HELP
           "What to judge:\n"
           "  -c, --config FILE         the management group's configuration (spnaudit.conf(5)):\n"
           "                            its servers and gateways, and directory defaults\n"
           "  -m, --ms FQDN             a management server (repeatable): across a trust with\n"
           "                            selective authentication, its computer object is read\n"
           "                            for \"Allowed to Authenticate\"\n"
           "  -g, --gateway FQDN        a gateway server of the domain, likewise (repeatable)\n"
           "      --agent-domain DOMAIN an agent domain to judge too, trusted or not\n"
           "                            (repeatable)\n"
           "      --no-tickets          do not confirm the verdicts with a cross-realm TGT\n"
           "                            and an MSOMHSvc ticket across each trust\n"
           "      --no-partners         read only the domains named, not every trusted\n"
           "                            domain's side of its trust\n" KRB_HELP
           "  -f, --format text|json    output format (default text)\n"
           "  -h, --help                this help\n\n"
           "Exit status: 0 Kerberos everywhere, 1 selective authentication not settled\n"
           "somewhere, 2 certificates needed or Allowed to Authenticate missing somewhere,\n"
           "3 incomplete, 64 bad usage.\n");
}

/* The DNS domain of a host: what follows its first label. */
static const char *
host_domain(const char *fqdn)
{
    const char *dot = strchr(fqdn, '.');

    return dot != NULL ? dot + 1 : fqdn;
}

static bool
replace_list(sa_strv *list, bool *given, const char *value)
{
    if (!*given)
        sa_strv_clear(list);
    *given = true;
    return sa_strv_add_unique_ci(list, value);
}

/* -c FILE: the directory defaults, the servers, gateways and agent
 * domains of the configuration, which the command line then overrides.
 * -1 fine, or the usage exit status. */
static int
load_topology(const char *command, int argc, char **argv, trusts_opts *o)
{
    const char *path = config_path(argc, argv);
    sa_error err = {SA_OK, ""};
    int c;

    if (path == NULL)
        return -1;
    if (sa_groupconf_load(path, &o->conf, &err) != SA_OK)
        return usage_error(command, "%s", err.message);
    if ((c = dir_args_from_config(command, &o->conf, &o->d, &o->krb)) >= 0)
        return c;
    for (size_t i = 0; i < o->conf.management_servers.n; i++) {
        if (!sa_strv_add_unique_ci(&o->ms, o->conf.management_servers.items[i]))
            return usage_error(command, "out of memory");
    }
    for (size_t i = 0; i < o->conf.gateways.n; i++) {
        if (!sa_strv_add_unique_ci(&o->gateways, o->conf.gateways.items[i]))
            return usage_error(command, "out of memory");
    }
    for (size_t i = 0; i < o->conf.agent_domains.n; i++) {
        if (!sa_strv_add_unique_ci(&o->agents, o->conf.agent_domains.items[i]))
            return usage_error(command, "out of memory");
    }
    return -1;
}

/* --ms and --gateway: -1 fine, or the usage exit status. */
static int
server_option(const char *command, int c, const char *arg, trusts_opts *o)
{
    if (!sa_valid_fqdn(arg))
        return usage_error(command, "%s wants a fully qualified host name, not '%s'",
                           c == 'm' ? "--ms" : "--gateway", arg);
    if (!(c == 'm' ? replace_list(&o->ms, &o->cli_ms, arg)
                   : replace_list(&o->gateways, &o->cli_gateways, arg)))
        return usage_error(command, "out of memory");
    return -1;
}

static int
parse(int argc, char **argv, trusts_opts *o)
{
    static const struct option longopts[] = {
        DIR_LONG_OPTIONS,
        {"agent-domain", required_argument, NULL, 'G'},
        {"no-tickets", no_argument, NULL, 'N'},
        {"no-partners", no_argument, NULL, 'Q'},
        {"config", required_argument, NULL, 'c'},
        {"ms", required_argument, NULL, 'm'},
        {"gateway", required_argument, NULL, 'g'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        KRB_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c, handled;

    if ((c = load_topology("trusts", argc, argv, o)) >= 0)
        return c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" DIR_SHORT_OPTIONS "c:m:g:f:h" KRB_SHORT_OPTIONS, longopts,
                            NULL)) != -1) {
        if ((handled = dir_option("trusts", c, optarg, &o->d)) == 0)
            handled = krb_option("trusts", c, optarg, &o->krb, &o->jobs);
        if (handled > 1)
            return handled;
        if (handled == 1)
            continue;
        switch (c) {
        case 'G':
            if (!sa_valid_fqdn(optarg))
                return usage_error("trusts", "--agent-domain wants a DNS domain name, not '%s'", optarg);
            if (!sa_strv_add_unique_ci(&o->agents, optarg))
                return usage_error("trusts", "out of memory");
            break;
        case 'N':
            o->tickets = false;
            break;
        case 'Q':
            o->partners = false;
            break;
        case 'c':
            break; /* read first */
        case 'm':
        case 'g':
            if ((c = server_option("trusts", c, optarg, o)) >= 0)
                return c;
            break;
        case 'f':
            if ((c = json_option("trusts", optarg, &o->json)) >= 0)
                return c;
            break;
        case 'h':
            trusts_help();
            return 0;
        default:
            return bad_option("trusts", c, argv);
        }
    }
    if (optind < argc)
        return usage_error("trusts", "unexpected argument '%s'", argv[optind]);
    if ((c = krb_options_check("trusts", &o->krb)) >= 0)
        return c;
    if ((c = dir_args_finish("trusts", &o->d)) >= 0)
        return c;
    if (o->d.dir.global_catalog)
        return usage_error("trusts", "--forest: the trusts are read from each domain's DCs; name the domains "
                                     "with --domain");
    return -1;
}

/* Read the trusts of domain i into trusts; its DNS name into *name; when
 * forest is not NULL, the domains of its forest appended to it (a
 * failure there is said on stderr: the trusts were read). */
static sa_status
read_domain_trusts(trusts_opts *o, size_t i, sa_trusts *trusts, char **name, char **uri, char **agent_spn,
                   sa_strv *forest, sa_error *err)
{
    sa_strv unreachable = {NULL, 0, 0};
    sa_search_stats stats;
    sa_dir *dir = NULL;
    sa_status ret;

    memset(&stats, 0, sizeof(stats));
    ret = connect_domain(&o->d, i, false, &dir, &unreachable, err);
    if (ret != SA_OK)
        goto cleanup;
    for (size_t k = 0; k < unreachable.n; k++)
        fprintf(stderr, "spnaudit trusts: skipped: %s\n", unreachable.items[k]);
    ret = sa_dir_read_trusts(dir, trusts, &stats, err);
    if (ret == SA_OK &&
        ((*name = strdup(sa_dir_dns_domain(dir))) == NULL || (*uri = strdup(sa_dir_uri(dir))) == NULL))
        ret = sa_error_nomem(err);
    /* an agent's SPN there, to ask a ticket for across the trust */
    if (ret == SA_OK && agent_spn != NULL)
        ret = sa_dir_first_spn(dir, SA_CLASS_HEALTH, agent_spn, err);
    if (ret == SA_OK && forest != NULL) {
        sa_error e = {SA_OK, ""};
        if (sa_dir_read_forest_domains(dir, forest, &stats, &e) != SA_OK) {
            if (e.status == SA_ERR_SYSTEM)
                ret = sa_error_nomem(err);
            else
                fprintf(stderr, "spnaudit: cannot list the domains of the forest of %s: %s\n", *name,
                        e.message);
        }
    }
cleanup:
    sa_search_stats_clear(&stats);
    sa_strv_clear(&unreachable);
    sa_dir_close(dir);
    return ret;
}

static const char *
yes_no(bool b)
{
    return b ? "yes" : "no";
}

static void
server_acls_clear(server_acls *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->items[i].server);
        free(a->items[i].dn);
    }
    free(a->items);
    a->items = NULL;
    a->n = 0;
}

/* The index of domain name in o->d.domains, or -1. */
static long
domain_index(const trusts_opts *o, const char *name)
{
    for (size_t i = 0; i < o->d.domains.n; i++) {
        if (strcasecmp(o->d.domains.items[i], name) == 0)
            return (long)i;
    }
    return -1;
}

/* What the trusts read say of a domain: its SID and NetBIOS name (from
 * any trustedDomain object naming it), or NULL. */
static void
partner_identity(const sa_trusts *trusts, const char *domain, const char **sid, const char **netbios)
{
    *sid = *netbios = NULL;
    for (size_t i = 0; i < trusts->n; i++) {
        const sa_trust *t = &trusts->items[i];
        if (strcasecmp(t->partner, domain) != 0)
            continue;
        if (*sid == NULL)
            *sid = t->sid;
        if (*netbios == NULL)
            *netbios = t->flat;
    }
}

static void
sd_cache_clear(sd_cache *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->items[i].server);
        free(c->items[i].dn);
        free(c->items[i].sd);
    }
    free(c->items);
    memset(c, 0, sizeof(*c));
}

static const server_sd *
sd_cache_find(const sd_cache *c, const char *server)
{
    for (size_t i = 0; i < c->n; i++) {
        if (strcasecmp(c->items[i].server, server) == 0)
            return &c->items[i];
    }
    return NULL;
}

/* Read into the cache the DACLs of those of servers (all of server_domain)
 * it does not hold yet, over one connection to that domain; a server that
 * cannot be read is cached with why. */
static sa_status
sd_cache_load(trusts_opts *o, const char *server_domain, const sa_strv *servers, sa_error *err)
{
    sa_strv unreachable = {NULL, 0, 0}, missing = {NULL, 0, 0};
    sa_accounts accounts = {NULL, 0, 0};
    sa_search_stats stats;
    sa_dir *dir = NULL;
    sa_error e = {SA_OK, ""};
    long di = domain_index(o, server_domain);
    sa_status ret = SA_OK, got = SA_ERR_DIRECTORY;

    memset(&stats, 0, sizeof(stats));
    for (size_t i = 0; i < servers->n; i++) {
        if (sd_cache_find(&o->sds, servers->items[i]) == NULL && !sa_strv_add(&missing, servers->items[i])) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
    }
    if (missing.n == 0)
        goto cleanup;
    if (di < 0)
        snprintf(e.message, sizeof(e.message), "the domain %s was not read", server_domain);
    else if ((got = connect_domain(&o->d, (size_t)di, false, &dir, &unreachable, &e)) == SA_OK)
        got = sa_dir_find_computers(dir, (const char *const *)missing.items, missing.n, &o->d.classes,
                                    &accounts, &stats, &e);
    for (size_t i = 0; i < missing.n; i++) {
        server_sd *c = sa_grow(o->sds.items, &o->sds.cap, o->sds.n, sizeof(*o->sds.items), 8);
        unsigned char *sid = NULL;
        size_t sid_len = 0;
        long k = -1;

        if (c == NULL) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
        o->sds.items = c;
        c = &o->sds.items[o->sds.n];
        memset(c, 0, sizeof(*c));
        if ((c->server = strdup(missing.items[i])) == NULL) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
        o->sds.n++;
        for (size_t j = 0; got == SA_OK && j < accounts.n && k < 0; j++) {
            if (sa_account_is_machine(&accounts.items[j]) &&
                sa_account_matches_host(&accounts.items[j], c->server))
                k = (long)j;
        }
        if (got != SA_OK) {
            snprintf(c->why, sizeof(c->why), "not read: %s", e.message);
        } else if (k < 0) {
            snprintf(c->why, sizeof(c->why), "no computer account found in %s", server_domain);
        } else if ((c->dn = strdup(accounts.items[k].dn)) == NULL) {
            ret = sa_error_nomem(err);
            goto cleanup;
        } else {
            sa_error de = {SA_OK, ""};
            c->read = sa_dir_read_dacl(dir, c->dn, &c->sd, &c->sd_len, &sid, &sid_len, &de) == SA_OK;
            if (!c->read)
                snprintf(c->why, sizeof(c->why), "DACL not read: %s", de.message);
            free(sid);
        }
    }
cleanup:
    sa_dir_close(dir);
    sa_accounts_clear(&accounts);
    sa_search_stats_clear(&stats);
    sa_strv_clear(&unreachable);
    sa_strv_clear(&missing);
    return ret;
}

/* Across a selective trust: "Allowed to Authenticate" for the agents of
 * agent on the computer objects of those of servers (management servers,
 * gateways) that lie in server_domain, into acls (their DACLs read once
 * per run), and the verdict settled with it. */
static sa_status
settle_selective(trusts_opts *o, const sa_trusts *trusts, const char *agent, const char *server_domain,
                 const sa_strv *servers, sa_verdict *v, server_acls *acls, sa_error *err)
{
    sa_strv mine = {NULL, 0, 0};
    sa_server_grant *grants = NULL;
    const char *sid, *netbios;
    sa_status ret = SA_OK;

    if (v->kind != SA_VERDICT_SELECTIVE)
        goto cleanup;
    for (size_t i = 0; i < servers->n; i++) {
        if (strcasecmp(host_domain(servers->items[i]), server_domain) == 0 &&
            !sa_strv_add_unique_ci(&mine, servers->items[i])) {
            ret = sa_error_nomem(err);
            goto cleanup;
        }
    }
    if (mine.n == 0)
        goto cleanup;
    if ((ret = sd_cache_load(o, server_domain, &mine, err)) != SA_OK)
        goto cleanup;
    if ((acls->items = calloc(mine.n, sizeof(*acls->items))) == NULL ||
        (grants = calloc(mine.n, sizeof(*grants))) == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    partner_identity(trusts, agent, &sid, &netbios);
    for (size_t i = 0; i < mine.n; i++) {
        const server_sd *c = sd_cache_find(&o->sds, mine.items[i]);
        server_acl *a = &acls->items[acls->n];

        if ((a->server = strdup(c->server)) == NULL || (c->dn != NULL && (a->dn = strdup(c->dn)) == NULL)) {
            free(a->server);
            ret = sa_error_nomem(err);
            goto cleanup;
        }
        acls->n++;
        a->read = c->read;
        if (c->read)
            a->grant = sa_sd_allowed_to_authenticate(c->sd, c->sd_len, sid, a->why, sizeof(a->why));
        else
            snprintf(a->why, sizeof(a->why), "%s", c->why);
        grants[i] = (sa_server_grant){a->server, a->dn, a->grant, a->read, a->why};
    }
    ret = sa_verdict_apply_grants(v, agent, netbios, grants, acls->n, err);
cleanup:
    free(grants);
    sa_strv_clear(&mine);
    return ret;
}

/* The management servers and gateways, in one list. */
static bool
all_servers(const trusts_opts *o, sa_strv *out)
{
    for (size_t i = 0; i < o->ms.n + o->gateways.n; i++) {
        if (!sa_strv_add_unique_ci(out, i < o->ms.n ? o->ms.items[i] : o->gateways.items[i - o->ms.n]))
            return false;
    }
    return true;
}

static const char *
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

static int
print_text(const char *home, const char *uri, const sa_trusts *trusts, size_t n_home, const sa_strv *forest,
           const row *rows, size_t n_rows, const sa_strv *not_read)
{
    printf("Trusts of %s (read from %s)\n", home, uri);
    if (n_home == 0)
        printf("  none\n");
    else
        printf("  %-22s %-10s %-22s %-9s %-10s %s\n", "PARTNER", "NETBIOS", "KIND", "DIRECTION", "TRANSITIVE",
               "ATTRIBUTES");
    for (size_t i = 0; i < n_home; i++) {
        const sa_trust *t = &trusts->items[i];
        char *attrs = sa_trust_attributes_text(t->attributes);
        printf("  %-22s %-10s %-22s %-9s %-10s %s\n", t->partner, t->flat ? t->flat : "-",
               sa_trust_kind_name(sa_trust_classify(t)), sa_trust_direction_name(t->direction),
               yes_no(sa_trust_transitive(t)), attrs ? attrs : "?");
        free(attrs);
    }
    for (size_t i = n_home; i < trusts->n; i++) {
        const sa_trust *t = &trusts->items[i];
        if (i == n_home || strcasecmp(t->domain, trusts->items[i - 1].domain) != 0)
            printf("Trusts of %s, as it sees them\n", t->domain);
        printf("  %-22s %-10s %-22s %-9s %s\n", t->partner, t->flat ? t->flat : "-",
               sa_trust_kind_name(sa_trust_classify(t)), sa_trust_direction_name(t->direction),
               yes_no(sa_trust_transitive(t)));
    }
    for (size_t i = 0; i < not_read->n; i++)
        printf("Not read: %s\n", not_read->items[i]);
    printf("Domains of the forests read (Partitions):");
    for (size_t i = 0; i < forest->n; i++)
        printf(" %s", forest->items[i]);
    printf("%s\n", forest->n ? "" : " none");
    printf("\nAgents of each domain -> management servers and gateways of %s:\n", home);
    for (size_t i = 0; i < n_rows; i++) {
        const sa_verdict *v = &rows[i].v;
        printf("  %-22s %s", rows[i].agent, verdict_text(v->kind));
        for (size_t k = 0; k < v->n_events; k++)
            printf("%s%d", k == 0 ? "  (events " : ", ", v->events[k]);
        printf("%s\n", v->n_events ? ")" : "");
        if (*v->path)
            printf("      path: %s\n", v->path);
        printf("      why:  %s\n", v->why);
        for (size_t k = 0; k < rows[i].acls.n; k++) {
            const server_acl *a = &rows[i].acls.items[k];
            printf("      %s %s: %s\n", k == 0 ? "acl: " : "     ", a->server,
                   a->read ? sa_auth_grant_name(a->grant) : "not read");
        }
        if (*v->recommend)
            printf("      do:   %s\n", v->recommend);
        if (rows[i].observed != NULL)
            printf("      seen: %s%s\n", rows[i].differs ? "DIFFERS FROM THE RULE: " : "", rows[i].observed);
    }
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
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
    json_object_object_add(o, "domain", json_object_new_string(t->domain));
    json_object_object_add(o, "partner", json_object_new_string(t->partner));
    json_object_object_add(o, "netbios", t->flat ? json_object_new_string(t->flat) : NULL);
    json_object_object_add(o, "sid", t->sid ? json_object_new_string(t->sid) : NULL);
    json_object_object_add(o, "kind", json_object_new_string(sa_trust_kind_name(sa_trust_classify(t))));
    json_object_object_add(o, "direction", json_object_new_string(sa_trust_direction_name(t->direction)));
    json_object_object_add(o, "transitive", json_object_new_boolean(sa_trust_transitive(t)));
    json_object_object_add(o, "selective_authentication",
                           json_object_new_boolean((t->attributes & SA_TRUST_CROSS_ORGANIZATION) != 0));
    json_object_object_add(o, "sid_filtering",
                           json_object_new_boolean((t->attributes & SA_TRUST_QUARANTINED_DOMAIN) != 0));
    json_object_object_add(o, "attributes", json_object_new_string(attrs));
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
    json_object_object_add(o, "principal", json_object_new_string(t->spn));
    json_object_object_add(o, "issued", json_object_new_boolean(t->ok));
    json_object_object_add(o, "error", t->ok || t->error == NULL ? NULL : json_object_new_string(t->error));
    json_object_object_add(o, "enctype", t->ok && t->enctype ? json_object_new_string(t->enctype) : NULL);
    return o;
}

/* What the KDCs did, or null when not asked. */
static json_object *
json_observed(const row *r, const sa_tickets *probes)
{
    json_object *o;

    if (r->observed == NULL || (o = json_object_new_object()) == NULL)
        return NULL;
    json_object_object_add(o, "cross_realm_tgt", json_ticket(probes, r->tgt));
    json_object_object_add(o, "service_ticket", json_ticket(probes, r->service));
    json_object_object_add(o, "differs_from_rule", json_object_new_boolean(r->differs));
    json_object_object_add(o, "note", json_object_new_string(r->observed));
    return o;
}

/* The servers checked for "Allowed to Authenticate", or null. */
static json_object *
json_acls(const server_acls *acls)
{
    json_object *arr;

    if (acls->n == 0 || (arr = json_object_new_array()) == NULL)
        return NULL;
    for (size_t i = 0; i < acls->n; i++) {
        const server_acl *a = &acls->items[i];
        json_object *o = json_object_new_object();
        if (o == NULL)
            continue;
        json_object_object_add(o, "server", json_object_new_string(a->server));
        json_object_object_add(o, "dn", a->dn ? json_object_new_string(a->dn) : NULL);
        json_object_object_add(o, "allowed_to_authenticate",
                               json_object_new_string(a->read ? sa_auth_grant_name(a->grant) : "not read"));
        json_object_object_add(o, "why", json_object_new_string(a->why));
        json_object_array_add(arr, o);
    }
    return arr;
}

static int
print_json(const char *home, const char *uri, const sa_trusts *trusts, const sa_strv *forest, const row *rows,
           size_t n_rows, const sa_strv *not_read, const sa_tickets *probes, int status)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array(),
                *verdicts = json_object_new_array(), *nr = json_object_new_array(),
                *fd = json_object_new_array();
    int ret = -1;

    if (root == NULL || arr == NULL || verdicts == NULL || nr == NULL || fd == NULL) {
        json_object_put(arr);
        json_object_put(verdicts);
        json_object_put(nr);
        json_object_put(fd);
        goto cleanup;
    }
    for (size_t i = 0; i < forest->n; i++)
        json_object_array_add(fd, json_object_new_string(forest->items[i]));
    for (size_t i = 0; i < trusts->n; i++)
        json_object_array_add(arr, json_trust(&trusts->items[i]));
    for (size_t i = 0; i < n_rows; i++) {
        const sa_verdict *v = &rows[i].v;
        json_object *o = json_object_new_object(), *ev = json_object_new_array();
        if (o == NULL || ev == NULL) {
            json_object_put(o);
            json_object_put(ev);
            continue;
        }
        for (size_t k = 0; k < v->n_events; k++)
            json_object_array_add(ev, json_object_new_int(v->events[k]));
        json_object_object_add(o, "agent_domain", json_object_new_string(rows[i].agent));
        json_object_object_add(o, "server_domain", json_object_new_string(home));
        json_object_object_add(o, "verdict", json_object_new_string(sa_verdict_kind_name(v->kind)));
        json_object_object_add(o, "path", json_object_new_string(v->path));
        json_object_object_add(o, "why", json_object_new_string(v->why));
        json_object_object_add(o, "recommendation", json_object_new_string(v->recommend));
        json_object_object_add(o, "events", ev);
        json_object_object_add(o, "servers_checked", json_acls(&rows[i].acls));
        json_object_object_add(o, "observed", json_observed(&rows[i], probes));
        json_object_array_add(verdicts, o);
    }
    for (size_t i = 0; i < not_read->n; i++)
        json_object_array_add(nr, json_object_new_string(not_read->items[i]));
    json_object_object_add(root, "schema_version", json_object_new_int(1));
    json_object_object_add(root, "domain", json_object_new_string(home));
    json_object_object_add(root, "server", json_object_new_string(uri));
    json_object_object_add(root, "exit_status", json_object_new_int(status));
    json_object_object_add(root, "trusts", arr);
    json_object_object_add(root, "not_read", nr);
    json_object_object_add(root, "forest_domains", fd);
    json_object_object_add(root, "verdicts", verdicts);
    if (puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
        goto cleanup;
    ret = fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
cleanup:
    json_object_put(root);
    return ret;
}

/* Ask for the ticket spn in realm; index in probes, or -1 on no memory.
 * A failure of our own credentials is recorded like any refusal. */
static long
probe_one(sa_krb *krb, const char *realm, const char *spn, sa_tickets *probes)
{
    sa_error err = {SA_OK, ""};
    sa_ticket *t = sa_tickets_add(probes, spn);

    if (t == NULL)
        return -1;
    if (sa_krb_probe(krb, realm, t, &err) != SA_OK && !t->tried) {
        t->tried = true;
        t->ok = false;
        t->error = strdup(err.message);
    }
    return (long)(probes->n - 1);
}

/* What the tickets showed against what the rule says. */
static bool
observe(row *r, const sa_tickets *probes, const char *home_realm, const char *realm)
{
    const sa_ticket *tgt = &probes->items[r->tgt];
    const sa_ticket *svc = r->service >= 0 ? &probes->items[r->service] : NULL;
    bool kerberos_seen = tgt->ok && (svc == NULL || svc->ok);

    if (r->v.kind == SA_VERDICT_CERTIFICATES && kerberos_seen) {
        r->differs = true;
        r->observed = sa_strdup_printf(
            "the KDCs do issue a cross-realm TGT (krbtgt/%s@%s)%s%s%s, but OpsMgr's rule still needs "
            "certificates here: it does not use Kerberos across this trust",
            realm, home_realm, svc ? " and a ticket for " : "", svc ? svc->spn : "", svc ? "" : "");
    } else if (r->v.kind != SA_VERDICT_CERTIFICATES && !kerberos_seen) {
        r->differs = true;
        r->observed = sa_strdup_printf(
            "the trust should carry Kerberos, but the KDC refused %s: %s", !tgt->ok ? tgt->spn : svc->spn,
            !tgt->ok ? (tgt->error ? tgt->error : "?") : (svc->error ? svc->error : "?"));
    } else if (kerberos_seen) {
        r->observed = sa_strdup_printf("confirmed: a cross-realm TGT (krbtgt/%s@%s)%s%s", realm, home_realm,
                                       svc ? " and a ticket for " : "", svc ? svc->spn : "");
    } else {
        r->observed =
            sa_strdup_printf("confirmed: no Kerberos from here: %s: %s", !tgt->ok ? tgt->spn : svc->spn,
                             !tgt->ok ? (tgt->error ? tgt->error : "?") : (svc->error ? svc->error : "?"));
    }
    return r->observed != NULL;
}

/* Confirm each verdict with real tickets, from the caller's realm: a
 * cross-realm TGT for the agent domain's realm, and a ticket for an
 * MSOMHSvc SPN found there (when its directory could be read).  0, or -1
 * on no memory. */
static int
confirm(sa_krb *krb, const char *home, row *rows, size_t n_rows, const sa_strv *spn_domains,
        const sa_strv *spns, sa_tickets *probes)
{
    char *home_realm = sa_strdup_upper(home), *realm = NULL, *krbtgt = NULL;
    int ret = -1;

    if (home_realm == NULL)
        goto cleanup;
    for (size_t i = 0; i < n_rows; i++) {
        row *r = &rows[i];
        if (strcasecmp(r->agent, home) == 0)
            continue;
        free(realm);
        free(krbtgt);
        krbtgt = NULL;
        if ((realm = sa_strdup_upper(r->agent)) == NULL ||
            (krbtgt = sa_strdup_printf("krbtgt/%s", realm)) == NULL)
            goto cleanup;
        if ((r->tgt = probe_one(krb, home_realm, krbtgt, probes)) < 0)
            goto cleanup;
        for (size_t k = 0; k < spn_domains->n && probes->items[r->tgt].ok; k++) {
            if (strcasecmp(spn_domains->items[k], r->agent) == 0 &&
                (r->service = probe_one(krb, realm, spns->items[k], probes)) < 0)
                goto cleanup;
        }
        if (!observe(r, probes, home_realm, realm))
            goto cleanup;
    }
    ret = 0;
cleanup:
    free(home_realm);
    free(realm);
    free(krbtgt);
    return ret;
}

static int
out_of_memory(void)
{
    fprintf(stderr, "spnaudit trusts: out of memory\n");
    return SA_EXIT_INCOMPLETE;
}

int
cmd_trusts(int argc, char **argv)
{
    trusts_opts o;
    sa_error err = {SA_OK, ""};
    sa_krb *krb = NULL;
    sa_trusts trusts = {NULL, 0, 0};
    sa_strv agents = {NULL, 0, 0}, not_read = {NULL, 0, 0}, spn_domains = {NULL, 0, 0}, spns = {NULL, 0, 0};
    sa_strv forest = {NULL, 0, 0}, servers = {NULL, 0, 0};
    sa_tickets probes = {NULL, 0, 0};
    row *rows = NULL;
    sa_trust_graph *graph = NULL;
    char *home = NULL, *uri = NULL, *default_domain = NULL;
    size_t n_home = 0, n_rows = 0;
    int status = SA_EXIT_INCOMPLETE, rc;
    sa_status st;

    memset(&o, 0, sizeof(o));
    dir_args_init(&o.d);
    o.jobs = 8;
    o.tickets = true;
    o.partners = true;
    rc = parse(argc, argv, &o);
    if (rc >= 0) {
        status = rc;
        goto cleanup;
    }
    st = open_credentials(&o.krb, &o.d, false, &krb, &default_domain, &err);
    if (st == SA_OK)
        st = read_domain_trusts(&o, 0, &trusts, &home, &uri, NULL, &forest, &err);
    if (st != SA_OK) {
        fprintf(stderr, "spnaudit trusts: %s\n", err.message);
        status = st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        goto cleanup;
    }
    n_home = trusts.n;
    /* The other side of each trust, where the run can read it: the
     * domains named, and (unless told not to) every uplevel partner. */
    if (o.d.domains.n == 0 && !sa_strv_add(&o.d.domains, home)) {
        status = out_of_memory();
        goto cleanup;
    }
    /* the other domains of the servers' forest: their trusts count too
     * (a forest trust lives in the forest root's domain) */
    for (size_t i = 0; i < forest.n; i++) {
        if (!sa_strv_add_unique_ci(&o.d.domains, forest.items[i])) {
            status = out_of_memory();
            goto cleanup;
        }
    }
    for (size_t i = 0; o.partners && i < n_home; i++) {
        if (trusts.items[i].type == SA_TRUST_TYPE_UPLEVEL &&
            !sa_strv_add_unique_ci(&o.d.domains, trusts.items[i].partner)) {
            status = out_of_memory();
            goto cleanup;
        }
    }
    for (size_t i = 1; i < dir_domain_count(&o.d); i++) {
        char *name = NULL, *u = NULL, *spn = NULL;
        sa_error e = {SA_OK, ""};
        sa_status got = read_domain_trusts(&o, i, &trusts, &name, &u, &spn, o.partners ? &forest : NULL, &e);
        bool oom =
            (got == SA_OK && spn != NULL && (!sa_strv_add(&spn_domains, name) || !sa_strv_add(&spns, spn))) ||
            (got != SA_OK && !sa_strv_add(&not_read, e.message));

        if (got != SA_OK)
            fprintf(stderr, "spnaudit trusts: cannot read the trusts of %s: %s\n", o.d.domains.items[i],
                    e.message);
        free(name);
        free(u);
        free(spn);
        if (oom) {
            status = out_of_memory();
            goto cleanup;
        }
    }
    /* Agents of every trusted domain, of every other domain named, and of
     * those asked about. */
    for (size_t i = 0; i < n_home; i++) {
        if (!sa_strv_add_unique_ci(&agents, trusts.items[i].partner)) {
            status = out_of_memory();
            goto cleanup;
        }
    }
    for (size_t i = 1; i < o.d.domains.n; i++) {
        if (!sa_strv_add_unique_ci(&agents, o.d.domains.items[i])) {
            status = out_of_memory();
            goto cleanup;
        }
    }
    /* every domain of the forests read (their partitions) */
    for (size_t i = 0; i < forest.n; i++) {
        if (!sa_strv_add_unique_ci(&agents, forest.items[i])) {
            status = out_of_memory();
            goto cleanup;
        }
    }
    for (size_t i = 0; i < o.agents.n; i++) {
        if (!sa_strv_add_unique_ci(&agents, o.agents.items[i])) {
            status = out_of_memory();
            goto cleanup;
        }
    }
    if (agents.n > 0 && (rows = calloc(agents.n, sizeof(*rows))) == NULL) {
        status = out_of_memory();
        goto cleanup;
    }
    if ((graph = sa_trust_graph_new(&trusts)) == NULL || !all_servers(&o, &servers)) {
        status = out_of_memory();
        goto cleanup;
    }
    status = SA_EXIT_OK;
    for (size_t i = 0; i < agents.n; i++) {
        rows[i].agent = agents.items[i];
        rows[i].tgt = rows[i].service = -1;
        if (sa_trust_graph_verdict(graph, agents.items[i], home, &rows[i].v, &err) != SA_OK) {
            status = out_of_memory();
            goto cleanup;
        }
        n_rows++;
        if (settle_selective(&o, &trusts, agents.items[i], home, &servers, &rows[i].v, &rows[i].acls, &err) !=
            SA_OK) {
            status = out_of_memory();
            goto cleanup;
        }
        if (rows[i].v.kind == SA_VERDICT_CERTIFICATES || rows[i].v.kind == SA_VERDICT_NOT_ALLOWED)
            status = SA_EXIT_FAILURE;
        else if (rows[i].v.kind == SA_VERDICT_SELECTIVE && status == SA_EXIT_OK)
            status = SA_EXIT_WARNING;
    }
    if (o.tickets && krb != NULL && confirm(krb, home, rows, n_rows, &spn_domains, &spns, &probes) != 0) {
        status = out_of_memory();
        goto cleanup;
    }
    for (size_t i = 0; i < n_rows; i++) {
        if (rows[i].differs && rows[i].v.kind == SA_VERDICT_KERBEROS)
            status = SA_EXIT_FAILURE; /* the rule says Kerberos, the KDC says no */
    }
    rc = o.json ? print_json(home, uri, &trusts, &forest, rows, n_rows, &not_read, &probes, status)
                : print_text(home, uri, &trusts, n_home, &forest, rows, n_rows, &not_read);
    if (rc != 0) {
        fprintf(stderr, "spnaudit trusts: cannot write the report: %s\n", strerror(errno));
        status = SA_EXIT_INCOMPLETE;
    }
cleanup:
    for (size_t i = 0; i < n_rows; i++) {
        sa_verdict_clear(&rows[i].v);
        server_acls_clear(&rows[i].acls);
        free(rows[i].observed);
    }
    free(rows);
    sa_trust_graph_free(graph);
    sa_trusts_clear(&trusts);
    sa_strv_clear(&forest);
    sa_strv_clear(&servers);
    sd_cache_clear(&o.sds);
    sa_strv_clear(&o.ms);
    sa_strv_clear(&o.gateways);
    sa_groupconf_clear(&o.conf);
    sa_strv_clear(&agents);
    sa_strv_clear(&not_read);
    sa_strv_clear(&spn_domains);
    sa_strv_clear(&spns);
    sa_tickets_clear(&probes);
    sa_strv_clear(&o.agents);
    dir_args_clear(&o.d);
    sa_krb_close(krb);
    free(home);
    free(uri);
    free(default_domain);
    return status;
}

/* ------------------------------------------------------------ plan */

static void
plan_help(void)
{
    printf("Usage: spnaudit plan [-c FILE] [OPTIONS]\n"
           "Before deploying: for each agent domain of the intended topology (agent_domains in\n"
           "[plan] of the configuration file, or --agent-domain), say whether its agents can\n"
           "reach the management servers (or a gateway) with Kerberos, the OpsMgr events a\n"
           "deployment as is would raise, and the design to build instead. The trusts are\n"
           "read from the servers' and gateways' domains (and the agent domains, where the\n"
           "run can); agent domains need not exist yet.\n\n" DIR_HELP "Topology (override the file):\n"
           "  -c, --config FILE         the management group's configuration (spnaudit.conf(5))\n"
           "  -m, --ms FQDN             a management server (repeatable)\n"
           "  -g, --gateway FQDN        a gateway server (repeatable)\n"
           "      --agent-domain DOMAIN a domain whose agents are to report (repeatable)\n" KRB_HELP
           "  -f, --format text|json    output format (default text)\n"
           "  -h, --help                this help\n\n"
           "Exit status: 0 Kerberos for every agent domain, 1 selective authentication or\n"
           "certificates on gateways only, 2 agents that would need certificates as\n"
           "deployed, 3 incomplete, 64 bad usage.\n");
}

static int
plan_parse(int argc, char **argv, trusts_opts *o)
{
    static const struct option longopts[] = {
        DIR_LONG_OPTIONS,
        {"config", required_argument, NULL, 'c'},
        {"ms", required_argument, NULL, 'm'},
        {"gateway", required_argument, NULL, 'g'},
        {"agent-domain", required_argument, NULL, 'G'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        KRB_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c, handled;

    if ((c = load_topology("plan", argc, argv, o)) >= 0)
        return c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":" DIR_SHORT_OPTIONS "c:m:g:f:h" KRB_SHORT_OPTIONS, longopts,
                            NULL)) != -1) {
        if ((handled = dir_option("plan", c, optarg, &o->d)) == 0)
            handled = krb_option("plan", c, optarg, &o->krb, &o->jobs);
        if (handled > 1)
            return handled;
        if (handled == 1)
            continue;
        switch (c) {
        case 'c':
            break; /* read first */
        case 'm':
        case 'g':
            if ((c = server_option("plan", c, optarg, o)) >= 0)
                return c;
            break;
        case 'G':
            if (!sa_valid_fqdn(optarg))
                return usage_error("plan", "--agent-domain wants a DNS domain name, not '%s'", optarg);
            if (!replace_list(&o->agents, &o->cli_agents, optarg))
                return usage_error("plan", "out of memory");
            break;
        case 'f':
            if ((c = json_option("plan", optarg, &o->json)) >= 0)
                return c;
            break;
        case 'h':
            plan_help();
            return 0;
        default:
            return bad_option("plan", c, argv);
        }
    }
    if (optind < argc)
        return usage_error("plan", "unexpected argument '%s'", argv[optind]);
    if (o->ms.n == 0)
        return usage_error("plan",
                           "no management server: give --ms or management_servers in the configuration");
    if (o->agents.n == 0)
        return usage_error("plan", "no agent domain: give --agent-domain or agent_domains in [plan]");
    if ((c = krb_options_check("plan", &o->krb)) >= 0)
        return c;
    if (o->d.dir.global_catalog)
        return usage_error("plan", "--forest: the trusts are read from each domain's DCs");
    /* The domains to read: the servers', the gateways', the agents'. */
    for (size_t i = 0; i < o->ms.n + o->gateways.n + o->agents.n; i++) {
        const char *dom = i < o->ms.n                   ? host_domain(o->ms.items[i])
                          : i < o->ms.n + o->gateways.n ? host_domain(o->gateways.items[i - o->ms.n])
                                                        : o->agents.items[i - o->ms.n - o->gateways.n];
        if (!sa_strv_add_unique_ci(&o->d.domains, dom))
            return usage_error("plan", "out of memory");
    }
    return dir_args_finish("plan", &o->d);
}

/* How one agent domain will authenticate in the planned topology. */
typedef struct plan_row {
    const char *agent;
    sa_verdict direct;                 /* agents -> the management servers */
    long gateway;                      /* the gateway chosen, or -1 */
    sa_verdict via;                    /* agents -> that gateway */
    sa_verdict onward;                 /* that gateway -> the management servers */
    server_acls direct_acls, via_acls; /* across selective trusts */
    int outcome;                       /* exit-status weight: 0, 1, 2 */
    char *design;
} plan_row;

static void
plan_row_clear(plan_row *r)
{
    sa_verdict_clear(&r->direct);
    sa_verdict_clear(&r->via);
    sa_verdict_clear(&r->onward);
    server_acls_clear(&r->direct_acls);
    server_acls_clear(&r->via_acls);
    free(r->design);
}

static bool
plan_one(sa_trust_graph *g, trusts_opts *o, const sa_trusts *trusts, plan_row *r, sa_error *err)
{
    const char *ms_domain = host_domain(o->ms.items[0]);

    r->gateway = -1;
    if (sa_trust_graph_verdict(g, r->agent, ms_domain, &r->direct, err) != SA_OK ||
        settle_selective(o, trusts, r->agent, ms_domain, &o->ms, &r->direct, &r->direct_acls, err) != SA_OK)
        return false;
    if (r->direct.kind == SA_VERDICT_KERBEROS) {
        r->outcome = 0;
        r->design = sa_strdup_printf("agents report to the management servers directly, with Kerberos");
        return r->design != NULL;
    }
    /* A gateway the agents can reach with Kerberos? */
    for (size_t i = 0; i < o->gateways.n && r->gateway < 0; i++) {
        const char *gw = o->gateways.items[i];
        sa_strv one = {(char **)&gw, 1, 1};
        sa_verdict v;
        if (sa_trust_graph_verdict(g, r->agent, host_domain(gw), &v, err) != SA_OK)
            return false;
        if (settle_selective(o, trusts, r->agent, host_domain(gw), &one, &v, &r->via_acls, err) != SA_OK) {
            sa_verdict_clear(&v);
            return false;
        }
        if (v.kind == SA_VERDICT_KERBEROS) {
            r->gateway = (long)i;
            r->via = v;
        } else {
            sa_verdict_clear(&v);
            server_acls_clear(&r->via_acls);
        }
    }
    if (r->gateway >= 0) {
        const char *gw = o->gateways.items[r->gateway];
        if (sa_trust_graph_verdict(g, host_domain(gw), ms_domain, &r->onward, err) != SA_OK)
            return false;
        r->outcome = 1;
        r->design =
            r->onward.kind == SA_VERDICT_KERBEROS
                ? sa_strdup_printf("agents report to the gateway %s with Kerberos; the gateway reaches the "
                                   "management servers with Kerberos too",
                                   gw)
                : sa_strdup_printf("agents report to the gateway %s with Kerberos; the gateway and the "
                                   "management servers authenticate each other with certificates "
                                   "(import them with MOMCertImport on %s and on each management "
                                   "server)",
                                   gw, gw);
        if (r->onward.kind == SA_VERDICT_KERBEROS)
            r->outcome = 0;
        return r->design != NULL;
    }
    r->outcome = r->direct.kind == SA_VERDICT_SELECTIVE ? 1 : 2; /* not-allowed, certificates: 2 */
    r->design = strdup(r->direct.recommend);
    return r->design != NULL;
}

static const char *
kind_text(sa_verdict_kind k)
{
    return k == SA_VERDICT_KERBEROS      ? "Kerberos"
           : k == SA_VERDICT_SELECTIVE   ? "Kerberos if Allowed to Authenticate"
           : k == SA_VERDICT_NOT_ALLOWED ? "Kerberos refused: not Allowed to Authenticate"
                                         : "certificates";
}

static void
print_events(const sa_verdict *v)
{
    for (size_t k = 0; k < v->n_events; k++)
        printf("%s%d", k == 0 ? "" : ", ", v->events[k]);
    printf("%s", v->n_events ? "" : "none");
}

static int
plan_text(const trusts_opts *o, const plan_row *rows, size_t n, const sa_strv *not_read)
{
    printf("Plan: management servers %s (%s)", o->ms.items[0], host_domain(o->ms.items[0]));
    for (size_t i = 1; i < o->ms.n; i++)
        printf(", %s", o->ms.items[i]);
    for (size_t i = 0; i < o->gateways.n; i++)
        printf("%s%s", i == 0 ? "; gateways " : ", ", o->gateways.items[i]);
    printf("\n");
    for (size_t i = 0; i < not_read->n; i++)
        printf("Not read: %s\n", not_read->items[i]);
    for (size_t i = 0; i < n; i++) {
        const plan_row *r = &rows[i];
        printf("\nAgents of %s: %s\n", r->agent,
               r->gateway >= 0 ? "through a gateway" : kind_text(r->direct.kind));
        printf("  to the management servers: %s", kind_text(r->direct.kind));
        if (*r->direct.path)
            printf(" (%s)", r->direct.path);
        printf("\n    %s\n", r->direct.why);
        for (size_t k = 0; k < r->direct_acls.n; k++) {
            const server_acl *a = &r->direct_acls.items[k];
            printf("%s %s %s", k == 0 ? "  Allowed to Authenticate on" : ";", a->server,
                   a->read ? sa_auth_grant_name(a->grant) : "not read");
        }
        if (r->direct_acls.n > 0)
            printf("\n");
        printf("  events if deployed as is: ");
        print_events(&r->direct);
        printf("\n");
        if (r->gateway >= 0)
            printf("  to the gateway %s: %s (%s); gateway to the management servers: %s\n",
                   o->gateways.items[r->gateway], kind_text(r->via.kind), r->via.path,
                   kind_text(r->onward.kind));
        printf("  design: %s\n", r->design);
    }
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
}

static json_object *
json_verdict(const sa_verdict *v)
{
    json_object *o = json_object_new_object(), *ev = json_object_new_array();

    if (o == NULL || ev == NULL) {
        json_object_put(o);
        json_object_put(ev);
        return NULL;
    }
    for (size_t k = 0; k < v->n_events; k++)
        json_object_array_add(ev, json_object_new_int(v->events[k]));
    json_object_object_add(o, "verdict", json_object_new_string(sa_verdict_kind_name(v->kind)));
    json_object_object_add(o, "path", json_object_new_string(v->path));
    json_object_object_add(o, "why", json_object_new_string(v->why));
    json_object_object_add(o, "events", ev);
    return o;
}

static int
plan_json(const trusts_opts *o, const plan_row *rows, size_t n, const sa_strv *not_read, int status)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array(),
                *ms = json_object_new_array(), *gws = json_object_new_array(), *nr = json_object_new_array();
    int ret = -1;

    if (root == NULL || arr == NULL || ms == NULL || gws == NULL || nr == NULL) {
        json_object_put(arr);
        json_object_put(ms);
        json_object_put(gws);
        json_object_put(nr);
        goto cleanup;
    }
    for (size_t i = 0; i < o->ms.n; i++)
        json_object_array_add(ms, json_object_new_string(o->ms.items[i]));
    for (size_t i = 0; i < o->gateways.n; i++)
        json_object_array_add(gws, json_object_new_string(o->gateways.items[i]));
    for (size_t i = 0; i < not_read->n; i++)
        json_object_array_add(nr, json_object_new_string(not_read->items[i]));
    for (size_t i = 0; i < n; i++) {
        const plan_row *r = &rows[i];
        json_object *e = json_object_new_object();
        if (e == NULL)
            continue;
        json_object_object_add(e, "agent_domain", json_object_new_string(r->agent));
        json_object_object_add(e, "to_management_servers", json_verdict(&r->direct));
        json_object_object_add(e, "servers_checked", json_acls(&r->direct_acls));
        json_object_object_add(
            e, "gateway", r->gateway >= 0 ? json_object_new_string(o->gateways.items[r->gateway]) : NULL);
        json_object_object_add(e, "to_gateway", r->gateway >= 0 ? json_verdict(&r->via) : NULL);
        json_object_object_add(e, "gateway_to_management_servers",
                               r->gateway >= 0 ? json_verdict(&r->onward) : NULL);
        json_object_object_add(e, "design", json_object_new_string(r->design));
        json_object_array_add(arr, e);
    }
    json_object_object_add(root, "schema_version", json_object_new_int(1));
    json_object_object_add(root, "management_servers", ms);
    json_object_object_add(root, "gateways", gws);
    json_object_object_add(root, "not_read", nr);
    json_object_object_add(root, "exit_status", json_object_new_int(status));
    json_object_object_add(root, "agent_domains", arr);
    if (puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
        goto cleanup;
    ret = fflush(stdout) == 0 && !ferror(stdout) ? 0 : -1;
cleanup:
    json_object_put(root);
    return ret;
}

int
cmd_plan(int argc, char **argv)
{
    trusts_opts o;
    sa_error err = {SA_OK, ""};
    sa_krb *krb = NULL;
    sa_trusts trusts = {NULL, 0, 0};
    sa_strv not_read = {NULL, 0, 0};
    sa_trust_graph *graph = NULL;
    plan_row *rows = NULL;
    char *default_domain = NULL;
    size_t n_rows = 0;
    int status = SA_EXIT_INCOMPLETE, rc;
    sa_status st;

    memset(&o, 0, sizeof(o));
    dir_args_init(&o.d);
    o.jobs = 8;
    rc = plan_parse(argc, argv, &o);
    if (rc >= 0) {
        status = rc;
        goto cleanup;
    }
    st = open_credentials(&o.krb, &o.d, false, &krb, &default_domain, &err);
    if (st != SA_OK) {
        fprintf(stderr, "spnaudit plan: %s\n", err.message);
        status = st == SA_ERR_USAGE ? SA_EXIT_USAGE : SA_EXIT_INCOMPLETE;
        goto cleanup;
    }
    /* Every domain's side of its trusts; the management servers' domain
     * (the first) must be read, the others where the run can. */
    for (size_t i = 0; i < o.d.domains.n; i++) {
        char *name = NULL, *u = NULL;
        sa_error e = {SA_OK, ""};
        sa_strv forest = {NULL, 0, 0};
        sa_status got = read_domain_trusts(&o, i, &trusts, &name, &u, NULL, &forest, &e);
        bool oom = false;

        /* the other domains of its forest are read too: a forest trust
         * lives in the forest root's domain */
        for (size_t k = 0; k < forest.n && !oom; k++)
            oom = !sa_strv_add_unique_ci(&o.d.domains, forest.items[k]);
        sa_strv_clear(&forest);
        free(name);
        free(u);
        if (oom) {
            status = out_of_memory();
            goto cleanup;
        }
        if (got == SA_OK)
            continue;
        if (i == 0) {
            fprintf(stderr,
                    "spnaudit plan: cannot read the trusts of the management servers' domain %s: %s\n",
                    o.d.domains.items[0], e.message);
            goto cleanup;
        }
        if (!sa_strv_add(&not_read, e.message)) {
            status = out_of_memory();
            goto cleanup;
        }
    }
    if ((graph = sa_trust_graph_new(&trusts)) == NULL || (rows = calloc(o.agents.n, sizeof(*rows))) == NULL) {
        status = out_of_memory();
        goto cleanup;
    }
    status = SA_EXIT_OK;
    for (size_t i = 0; i < o.agents.n; i++) {
        rows[i].agent = o.agents.items[i];
        n_rows++;
        if (!plan_one(graph, &o, &trusts, &rows[i], &err)) {
            status = out_of_memory();
            goto cleanup;
        }
        if (rows[i].outcome > status)
            status = rows[i].outcome;
    }
    rc = o.json ? plan_json(&o, rows, n_rows, &not_read, status) : plan_text(&o, rows, n_rows, &not_read);
    if (rc != 0) {
        fprintf(stderr, "spnaudit plan: cannot write the plan: %s\n", strerror(errno));
        status = SA_EXIT_INCOMPLETE;
    }
cleanup:
    for (size_t i = 0; i < n_rows; i++)
        plan_row_clear(&rows[i]);
    free(rows);
    sa_trust_graph_free(graph);
    sa_trusts_clear(&trusts);
    sa_strv_clear(&not_read);
    sa_strv_clear(&o.agents);
    sa_strv_clear(&o.ms);
    sa_strv_clear(&o.gateways);
    sa_groupconf_clear(&o.conf);
    sd_cache_clear(&o.sds);
    dir_args_clear(&o.d);
    sa_krb_close(krb);
    free(default_domain);
    return status;
}
