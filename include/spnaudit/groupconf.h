/* groupconf.h - the management group's configuration file (INI, read
 * by infile.c, checked by conflines.c, parsed by libinih): the domain and its DCs, the management servers and
 * gateways, the identities the services run as, and defaults for the
 * options.  Command-line options override it.  See spnaudit.conf(5). */
#ifndef SPNAUDIT_GROUPCONF_H
#define SPNAUDIT_GROUPCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/directory.h"
#include "spnaudit/error.h"
#include "spnaudit/strv.h"

#define SA_UNSET (-1)

typedef struct sa_groupconf {
    /* [domain] */
    char *domain;
    sa_strv dcs; /* servers = ... */
    char *uri;
    sa_dir_tls tls; /* SA_TLS_NONE unless given */
    char *ca_file;
    char *bind_user;     /* a simple bind (over TLS only) */
    char *password_file; /* its password */
    /* [management_group] */
    sa_strv management_servers;
    sa_strv gateways;
    char *health_service; /* "localsystem" or DOMAIN\account; NULL: unset */
    char *sdk_service;    /* "localsystem" or DOMAIN\account; NULL: unset */
    /* [kerberos] */
    char *keytab;
    char *principal;
    int jobs; /* SA_UNSET when not given */
    int kdc_timeout;
    /* [audit] */
    int page_size;
    int timeout;
    int connect_timeout;
    int reachability; /* 0, 1 or SA_UNSET */
    int tickets;      /* an sa_scope_tickets, or SA_UNSET */
    sa_strv service_classes;
    /* [plan] */
    sa_strv agent_domains; /* the domains whose agents are to report */
} sa_groupconf;

/* Read path into out (zeroed first).  Errors name the file and line:
 * unknown sections or keys, malformed values; SA_ERR_USAGE (as for a file
 * that is not a regular one or is over the limit, see infile.h). */
sa_status sa_groupconf_load(const char *path, sa_groupconf *out, sa_error *err);
/* The same for text in memory (len bytes, text[len] == '\0'); name is
 * used in messages. */
sa_status sa_groupconf_parse(const char *text, size_t len, const char *name, sa_groupconf *out,
                             sa_error *err);
void sa_groupconf_clear(sa_groupconf *conf);

/* "localsystem" (any case, also "Local System", "SYSTEM")? */
bool sa_identity_is_local_system(const char *identity);
/* The sAMAccountName part of DOMAIN\name or name@domain. */
const char *sa_identity_account(const char *identity, char *buf, size_t size);

/* A DNS host name with at least one dot. */
bool sa_valid_fqdn(const char *s);

#endif
