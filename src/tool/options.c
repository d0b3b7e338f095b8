/* options.c - option parsing and set-up shared by the commands. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "options.h"
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

int
krb_options_check(const char *command, const sa_krb_options *krb)
{
    if (krb->keytab != NULL && krb->principal == NULL)
        return usage_error(command, "--keytab needs --principal");
    return -1;
}

double
monotonic_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

sa_status
open_directory(sa_krb_options *krb_opts, sa_dir_options *dir_opts, sa_krb **krb, sa_dir **dir,
               sa_strv *unreachable, char **default_domain, sa_error *err)
{
    sa_status st;

    *default_domain = NULL;
    st = sa_krb_open(krb_opts, krb, err);
    if (st == SA_OK)
        st = sa_krb_use_for_gssapi(*krb, err);
    if (st != SA_OK)
        return st;
    dir_opts->gss_ccache = sa_krb_ccache_name(*krb);
    if (dir_opts->domain == NULL && dir_opts->n_servers == 0 && dir_opts->uri == NULL) {
        /* Nothing named: the domain of our own realm. */
        *default_domain = sa_strdup_lower(sa_krb_client_realm(*krb));
        if (*default_domain == NULL)
            return sa_error_nomem(err);
        dir_opts->domain = *default_domain;
    }
    return sa_dir_connect(dir_opts, dir, unreachable, err);
}

void
dir_args_init(dir_args *d)
{
    memset(d, 0, sizeof(*d));
    d->dir.page_size = 1000;
    d->dir.timeout = 30;
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
        d->dir.domain = arg;
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
    default:
        return 0;
    }
}

int
dir_args_finish(const char *command, dir_args *d)
{
    if (d->classes.n == 0 &&
        (!sa_strv_add(&d->classes, SA_CLASS_HEALTH) || !sa_strv_add(&d->classes, SA_CLASS_SDK)))
        return usage_error(command, "out of memory");
    d->dir.servers = (const char *const *)d->dcs.items;
    d->dir.n_servers = d->dcs.n;
    return -1;
}

void
dir_args_clear(dir_args *d)
{
    sa_strv_clear(&d->dcs);
    sa_strv_clear(&d->classes);
}

int
bad_option(const char *command, int c, char **argv)
{
    if (c == ':')
        return usage_error(command, "option '%s' needs a value", argv[optind - 1]);
    return usage_error(command, "unknown option '%s'", argv[optind - 1]);
}
