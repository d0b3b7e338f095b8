/* options.c - option parsing and set-up shared by the commands. */
#include <ctype.h>
#include <errno.h>
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
