/* options.c - option parsing and set-up shared by the commands. */
#include <ctype.h>
#include <strings.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "options.h"
#include "spnaudit/display.h"
#include "spnaudit/domains.h"
#include "spnaudit/finding.h"
#include "spnaudit/infile.h"
#include "spnaudit/nearest.h"
#include "spnaudit/output.h"
#include "spnaudit/secret.h"
#include "spnaudit/strv.h"

bool
parse_int(const char *s, long min, long max, int *out)
{
    char *end = NULL;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

int
krb_option(const char *command, int c, const char *arg, sa_krb_options *krb, int *jobs)
{
    int seconds;

    switch (c) {
    case 'k':
        krb->keytab = arg;
        return 1;
    case 'p':
        if (*arg == '\0')
            return usage_error(command, "--principal wants a name like user@REALM");
        krb->principal = arg;
        return 1;
    case 'j':
        if (!parse_int(arg, 1, 64, jobs))
            return usage_error(command, "--jobs wants a number from 1 to 64, not '%s'", arg);
        return 1;
    case 'K':
        if (!parse_int(arg, 1, 600, &seconds))
            return usage_error(command, "--kdc-timeout wants seconds from 1 to 600, not '%s'", arg);
        krb->kdc_timeout_ms = seconds * 1000;
        return 1;
    default:
        return 0;
    }
}

sa_status
krb_login(const char *command, const sa_krb_options *opts, sa_krb **krb, sa_error *err)
{
    sa_status st = sa_krb_open(opts, krb, err);

    if (st == SA_OK && sa_krb_principal_from_keytab(*krb))
        sa_show_printf(stderr, "spnaudit %s: logged in as %s, the first principal of the keytab %s\n",
                       command, sa_krb_client(*krb), opts->keytab);
    return st;
}

static double
clock_seconds(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
monotonic_seconds(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

double
epoch_seconds(void)
{
    return clock_seconds(CLOCK_REALTIME);
}

/* The simple bind's password: from the file, the variable, or asked for. */
static sa_status
read_password(dir_args *d, sa_error *err)
{
    char prompt[600];

    if (d->password_file != NULL)
        return sa_secret_from_file(d->password_file, &d->password, err);
    if (d->password_env != NULL)
        return sa_secret_from_env(d->password_env, &d->password, err);
    snprintf(prompt, sizeof(prompt), "LDAP password for %s", d->dir.bind_user);
    return sa_secret_prompt(prompt, true, &d->password, err);
}

sa_status
open_credentials(const char *command, sa_krb_options *krb_opts, dir_args *d, bool need_krb, sa_krb **krb,
                 char **default_domain, sa_error *err)
{
    sa_dir_options *dir_opts = &d->dir;
    sa_status st;

    *default_domain = NULL;
    if (need_krb || dir_opts->bind_user == NULL) {
        st = krb_login(command, krb_opts, krb, err);
        if (st == SA_OK)
            st = sa_krb_use_for_gssapi(*krb, err);
        if (st != SA_OK)
            return st;
        dir_opts->gss_ccache = sa_krb_ccache_name(*krb);
    }
    if (dir_opts->domain == NULL && dir_opts->n_servers == 0 && dir_opts->uri == NULL) {
        /* Nothing named: the domain of our own realm. */
        if (*krb == NULL)
            return sa_error_set(err, SA_ERR_USAGE,
                                "no domain controller to ask: give --domain, --server or --uri");
        *default_domain = sa_strdup_lower(sa_krb_client_realm(*krb));
        if (*default_domain == NULL)
            return sa_error_nomem(err);
        dir_opts->domain = *default_domain;
    }
    if (dir_opts->bind_user != NULL && d->password == NULL) {
        st = read_password(d, err);
        if (st != SA_OK)
            return st;
        dir_opts->bind_password = d->password;
    }
    if (dir_opts->tls_no_verify)
        fprintf(stderr,
                "spnaudit: WARNING: --insecure-skip-tls-verify: the domain controller's certificate is "
                "NOT verified; whoever sits on the path can read what is sent, the password too\n");
    return SA_OK;
}

void
dir_args_init(dir_args *d)
{
    memset(d, 0, sizeof(*d));
    d->dir.page_size = 1000;
    d->dir.timeout = 30;
    d->name_ca_file = "--ca-file";
    d->name_password_file = "--password-file";
    d->name_password_env = "--password-env";
}

/* Add to a list given on the command line: the first addition replaces
 * what a configuration file put there. */
static bool
add_given(sa_strv *list, bool *given, const char *value, bool unique)
{
    if (!*given)
        sa_strv_clear(list);
    *given = true;
    return unique ? sa_strv_add_unique_ci(list, value) : sa_strv_add(list, value);
}

int
dir_option(const char *command, int c, const char *arg, dir_args *d)
{
    const char *p;

    switch (c) {
    case 'd':
        if (!sa_valid_fqdn(arg))
            return usage_error(command, "--domain wants a DNS domain name like contoso.com, not '%s'", arg);
        return add_given(&d->domains, &d->domains_given, arg, true) ? 1
                                                                    : usage_error(command, "out of memory");
    case 'F':
        d->dir.global_catalog = true;
        return 1;
    case 's':
        if (*arg == '\0')
            return usage_error(command, "--server wants a host name");
        return add_given(&d->dcs, &d->dcs_given, arg, false) ? 1 : usage_error(command, "out of memory");
    case 'H':
        if (strncmp(arg, "ldap://", 7) != 0 && strncmp(arg, "ldaps://", 8) != 0)
            return usage_error(command, "--uri wants an ldap:// or ldaps:// URI, not '%s'", arg);
        d->dir.uri = arg;
        return 1;
    case 'P':
        if (!parse_int(arg, 0, 1000000, &d->dir.page_size))
            return usage_error(command, "--page-size wants a number from 0 to 1000000, not '%s'", arg);
        return 1;
    case 'Z':
        if (!parse_int(arg, 0, INT_MAX, &d->dir.size_limit))
            return usage_error(command, "--size-limit wants a number of entries, not '%s'", arg);
        return 1;
    case 'T':
        if (!parse_int(arg, 1, 3600, &d->dir.timeout))
            return usage_error(command, "--timeout wants seconds from 1 to 3600, not '%s'", arg);
        return 1;
    case 'C':
        for (p = arg; *p && (isalnum((unsigned char)*p) || *p == '-' || *p == '_'); p++)
            ;
        if (*arg == '\0' || *p != '\0')
            return usage_error(command, "--service-class wants a name like MSOMHSvc, not '%s'", arg);
        return add_given(&d->classes, &d->classes_given, arg, true) ? 1
                                                                    : usage_error(command, "out of memory");
    case 'L':
        d->ldaps_and_starttls |= d->tls_given && d->dir.tls == SA_TLS_STARTTLS;
        d->dir.tls = SA_TLS_LDAPS;
        d->tls_given = true;
        return 1;
    case 'S':
        d->ldaps_and_starttls |= d->tls_given && d->dir.tls == SA_TLS_LDAPS;
        d->dir.tls = SA_TLS_STARTTLS;
        d->tls_given = true;
        return 1;
    case 'A':
        if (*arg == '\0')
            return usage_error(command, "%s wants a file of PEM certificates", d->name_ca_file);
        d->dir.ca_file = arg;
        return 1;
    case 'I':
        d->dir.tls_no_verify = true;
        return 1;
    case 'U':
        if (*arg == '\0')
            return usage_error(command, "--bind-user wants a user: a DN, user@domain or DOMAIN\\user");
        d->dir.bind_user = arg;
        return 1;
    case 'W':
        d->password_file = arg;
        return 1;
    case 'E':
        if (*arg == '\0' || strchr(arg, '=') != NULL)
            return usage_error(command, "%s wants the name of an environment variable, not '%s'",
                               d->name_password_env, arg);
        d->password_env = arg;
        return 1;
    default:
        return 0;
    }
}

/* The domain (of those given) a server's name lies under, longest
 * first; an IP address or a short name is the first domain's; -1 for a
 * full name under none. */
static long
server_domain(const dir_args *d, const char *server)
{
    return sa_server_is_bare(server) ? 0 : sa_domain_index_of(&d->domains, server);
}

/* Does path, a CA file within its limit, hold a PEM certificate?  If not,
 * why in err. */
static bool
holds_pem_certificate(const char *path, sa_error *err)
{
    static const char begin[] = "-----BEGIN CERTIFICATE-----";
    char *text = NULL;
    size_t len = 0;
    bool found = false;

    if (sa_infile_read(path, SA_INFILE_CA_FILE, &text, &len, err) != SA_OK)
        return false;
    found = strncmp(text, begin, strlen(begin)) == 0 || strstr(text, "\n-----BEGIN CERTIFICATE-----") != NULL;
    if (!found)
        sa_error_set(err, SA_ERR_USAGE, "the CA file %s: no PEM certificate in it (%s)", path, begin);
    free(text);
    return found;
}

int
dir_args_finish(const char *command, dir_args *d)
{
    sa_error err = {SA_OK, ""};
    sa_dir_options *o = &d->dir;
    bool uri_ldaps = o->uri != NULL && strncmp(o->uri, "ldaps://", 8) == 0;

    if (d->ldaps_and_starttls)
        return usage_error(command, "--ldaps and --starttls exclude each other");
    if (o->uri != NULL && o->tls == SA_TLS_LDAPS && !uri_ldaps)
        return usage_error(command, "--ldaps contradicts the ldap:// URI %s (write ldaps://)", o->uri);
    if (uri_ldaps && o->tls == SA_TLS_STARTTLS)
        return usage_error(command, "--starttls is for ldap:// URIs; %s is LDAPS already", o->uri);
    if (uri_ldaps)
        o->tls = SA_TLS_LDAPS;
    if (o->tls == SA_TLS_NONE && (o->ca_file != NULL || o->tls_no_verify))
        return usage_error(command, "%s is for TLS: add --ldaps or --starttls",
                           o->ca_file != NULL ? d->name_ca_file : "--insecure-skip-tls-verify");
    if (o->ca_file != NULL && o->tls_no_verify)
        return usage_error(command, "%s and --insecure-skip-tls-verify exclude each other", d->name_ca_file);
    if (o->ca_file != NULL && !holds_pem_certificate(o->ca_file, &err))
        return usage_error(command, "%s", err.message);
    if (d->password_file != NULL && d->password_env != NULL)
        return usage_error(command, "%s and %s exclude each other", d->name_password_file,
                           d->name_password_env);
    if ((d->password_file != NULL || d->password_env != NULL) && o->bind_user == NULL)
        return usage_error(command, "%s is for a simple bind: add --bind-user",
                           d->password_file != NULL ? d->name_password_file : d->name_password_env);
    if (sa_dir_cleartext_bind(o))
        return usage_error(command,
                           "refusing a simple bind without TLS: the password would cross the network "
                           "in clear text; add --ldaps or --starttls (or use Kerberos)");
    if (d->classes.n == 0 &&
        (!sa_strv_add(&d->classes, SA_CLASS_HEALTH) || !sa_strv_add(&d->classes, SA_CLASS_SDK)))
        return usage_error(command, "out of memory");
    d->dir.servers = (const char *const *)d->dcs.items;
    d->dir.n_servers = d->dcs.n;
    if (d->domains.n > 0)
        d->dir.domain = d->domains.items[0];
    if (d->domains.n > 1) {
        /* each server goes to the domain its name is under */
        for (size_t k = 0; k < d->dcs.n; k++) {
            if (server_domain(d, d->dcs.items[k]) < 0)
                return usage_error(command,
                                   "--server %s: its name is under none of the domains given; with several "
                                   "--domain, name each domain's DCs by their full names",
                                   d->dcs.items[k]);
        }
    }
    return -1;
}

void
dir_domain_set(const dir_args *d, sa_domain_set *ds)
{
    ds->base = d->dir;
    ds->dcs = &d->dcs;
    ds->domains = &d->domains;
}

void
dir_args_clear(dir_args *d)
{
    sa_secret_free(d->password);
    d->password = NULL;
    d->dir.bind_password = NULL;
    sa_strv_clear(&d->dcs);
    sa_strv_clear(&d->classes);
    sa_strv_clear(&d->domains);
}

/* The -c/--config FILE among the arguments, or NULL. */
const char *
config_path(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc)
            return argv[i + 1];
        if (strncmp(argv[i], "--config=", 9) == 0)
            return argv[i] + 9;
        if (strncmp(argv[i], "-c", 2) == 0 && argv[i][2] != '\0')
            return argv[i] + 2;
    }
    return NULL;
}

int
out_file_checked(const char *command, const char *arg, const char **path)
{
    sa_error err = {SA_OK, ""};

    if (sa_output_check(arg, &err) != SA_OK) {
        sa_show_printf(stderr, "spnaudit %s: %s\n", command, err.message);
        return SA_EXIT_USAGE;
    }
    *path = arg;
    return 1;
}

int
out_option(const char *command, int c, const char *arg, out_args *o)
{
    switch (c) {
    case 'o':
        if (*arg == '\0')
            return usage_error(command, "--output wants a file name");
        return out_file_checked(command, arg, &o->output);
    case 'q':
        o->quiet = true;
        return 1;
    case 'X':
        o->no_color = true;
        return 1;
    default:
        return 0;
    }
}

bool
out_use_color(const out_args *o)
{
    const char *no_color = getenv("NO_COLOR");

    return o->output == NULL && !o->no_color && (no_color == NULL || *no_color == '\0') &&
           isatty(STDOUT_FILENO);
}

int
out_emit_file(const char *command, const char *path, int (*writer)(FILE *out, void *data), void *data,
              int status)
{
    sa_error err = {SA_OK, ""};

    if (sa_output_write_atomic(path, writer, data, &err) != SA_OK) {
        sa_show_printf(stderr, "spnaudit %s: %s\n", command, err.message);
        return SA_EXIT_INCOMPLETE;
    }
    return status;
}

int
out_emit(const char *command, const out_args *o, int (*writer)(FILE *out, void *data), void *data, int status)
{
    if (o->output != NULL) {
        return out_emit_file(command, o->output, writer, data, status);
    } else if (!(o->quiet && status == SA_EXIT_OK) && writer(stdout, data) != 0) {
        fprintf(stderr, "spnaudit %s: cannot write the report: %s\n", command, strerror(errno));
        return SA_EXIT_INCOMPLETE;
    }
    return status;
}

static const char *const format_names[FMT_COUNT] = {"text", "json", "csv", "prometheus", "nagios", "html", "dot"};

const char *
format_name(out_format f)
{
    return format_names[f];
}

int
format_option(const char *command, const char *arg, unsigned allowed, out_format *format)
{
    const char *const *names = format_names;
    char wanted[128] = "";
    size_t n = 0, left = 0;

    for (int f = 0; f < FMT_COUNT; f++) {
        if ((allowed & FMT_BIT(f)) != 0 && strcmp(arg, names[f]) == 0) {
            *format = (out_format)f;
            return -1;
        }
        left += (allowed & FMT_BIT(f)) != 0;
    }
    for (int f = 0; f < FMT_COUNT; f++) {
        if ((allowed & FMT_BIT(f)) == 0)
            continue;
        left--;
        snprintf(wanted + n, sizeof(wanted) - n, "%s%s", n == 0 ? "" : left == 0 ? " or " : ", ", names[f]);
        n = strlen(wanted);
    }
    return usage_error(command, "--format wants %s, not '%s'", wanted, arg);
}

int
json_option(const char *command, const char *arg, bool *json)
{
    out_format f = FMT_TEXT;
    int rc = format_option(command, arg, FMTS_TEXT_JSON, &f);

    if (rc < 0)
        *json = f == FMT_JSON;
    return rc;
}

int
dir_args_from_config(const char *command, const sa_groupconf *c, dir_args *d, sa_krb_options *krb)
{
    d->dir.domain = c->domain;
    d->dir.uri = c->uri;
    d->dir.tls = c->tls;
    d->dir.ca_file = c->ca_file;
    d->dir.bind_user = c->bind_user;
    d->password_file = c->password_file;
    krb_args_from_config(c, krb, NULL);
    if (c->page_size != SA_UNSET)
        d->dir.page_size = c->page_size;
    if (c->timeout != SA_UNSET)
        d->dir.timeout = c->timeout;
    for (size_t i = 0; i < c->dcs.n; i++) {
        if (!sa_strv_add(&d->dcs, c->dcs.items[i]))
            return usage_error(command, "out of memory");
    }
    for (size_t i = 0; i < c->service_classes.n; i++) {
        if (!sa_strv_add_unique_ci(&d->classes, c->service_classes.items[i]))
            return usage_error(command, "out of memory");
    }
    return -1;
}

void
krb_args_from_config(const sa_groupconf *c, sa_krb_options *krb, int *jobs)
{
    krb->keytab = c->keytab;
    krb->principal = c->principal;
    if (c->kdc_timeout != SA_UNSET)
        krb->kdc_timeout_ms = c->kdc_timeout * 1000;
    if (jobs != NULL && c->jobs != SA_UNSET)
        *jobs = c->jobs;
}

/* -c FILE among the arguments read into conf: 1 read, 0 no -c, or the
 * usage exit status. */
static int
config_read(const char *command, int argc, char **argv, sa_groupconf *conf)
{
    const char *path = config_path(argc, argv);
    sa_error err = {SA_OK, ""};

    if (path == NULL)
        return 0;
    if (sa_groupconf_load(path, conf, &err) != SA_OK)
        return usage_error(command, "%s", err.message);
    return 1;
}

int
krb_config_load(const char *command, int argc, char **argv, sa_groupconf *conf, sa_krb_options *krb,
                int *jobs)
{
    int rc = config_read(command, argc, argv, conf);

    if (rc == 1)
        krb_args_from_config(conf, krb, jobs);
    return rc > 1 ? rc : -1;
}

int
dir_config_load(const char *command, int argc, char **argv, sa_groupconf *conf, dir_args *d,
                sa_krb_options *krb)
{
    int rc = config_read(command, argc, argv, conf);

    if (rc == 1)
        return dir_args_from_config(command, conf, d, krb);
    return rc > 1 ? rc : -1;
}

/* The long option of longopts nearest the mistyped "--name[=value]" arg,
 * or NULL. */
static const char *
nearest_long_option(const char *arg, const struct option *longopts)
{
    const char *names[128];
    char word[64];
    size_t n = 0, len;

    if (strncmp(arg, "--", 2) != 0 || longopts == NULL)
        return NULL;
    len = strcspn(arg + 2, "=");
    if (len >= sizeof(word))
        return NULL;
    memcpy(word, arg + 2, len);
    word[len] = '\0';
    while (n < sizeof(names) / sizeof(names[0]) && longopts[n].name != NULL) {
        names[n] = longopts[n].name;
        n++;
    }
    return sa_nearest(word, names, n);
}

int
bad_option(const char *command, int c, char **argv, const struct option *longopts)
{
    const char *arg = argv[optind - 1], *near;

    if (c == ':')
        return usage_error(command, "option '%s' needs a value", arg);
    if ((near = nearest_long_option(arg, longopts)) != NULL)
        return usage_error(command, "unknown option '%s'; did you mean '--%s'?", arg, near);
    return usage_error(command, "unknown option '%s'", arg);
}
