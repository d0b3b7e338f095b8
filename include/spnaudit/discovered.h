/* discovered.h - the servers an audit suggests when none was named: the
 * hosts the service connection points of SCOM's Active Directory
 * integration name (CN=OperationsManager,<domain>: a container per
 * management group, serviceConnectionPoint objects whose serviceDNSName
 * is a management server), and the hosts of MSOMSdkSvc SPNs.  Only
 * suggestions: never judged as servers given.  Pure functions on plain
 * data; the directory read is sa_dir_read_scom_scps (directory.h). */
#ifndef SPNAUDIT_DISCOVERED_H
#define SPNAUDIT_DISCOVERED_H

#include <stdbool.h>

#include "spnaudit/account.h"
#include "spnaudit/strv.h"

typedef struct sa_discovered {
    sa_strv scp_hosts; /* serviceDNSName of the SCPs under CN=OperationsManager */
    sa_strv sdk_hosts; /* hosts of MSOMSdkSvc/<FQDN> SPNs */
    char *scp_error;   /* why the SCPs could not be read, or NULL */
    bool searched;     /* the directory was asked: else nothing can be said */
} sa_discovered;

/* The hosts of the accounts' MSOMSdkSvc SPNs in FQDN form (the NetBIOS
 * form names no domain), each once (ASCII case-insensitively), in order,
 * appended to out; false on out of memory. */
bool sa_discovered_sdk_hosts(const sa_accounts *accounts, sa_strv *out);

/* Is s a plain DNS name: letters, digits, '-' and '.', not starting with
 * '-' or '.', at most 253 characters?  Such a name reads as itself in a
 * POSIX shell, cmd.exe and PowerShell. */
bool sa_plain_dns_name(const char *s);

/* The hosts of both lists, the SCPs' first, each once, into out. */
bool sa_discovered_hosts(const sa_discovered *d, sa_strv *out);

/* "spnaudit audit --server DC --ms HOST..." for the hosts that are plain
 * DNS names, malloc'd; dc_uri is the DC asked (ldap://host[:port]), left
 * out when its host is not plain.  NULL when no host is plain, or on out
 * of memory (*nomem set). */
char *sa_discovered_command(const char *dc_uri, const sa_strv *hosts, bool *nomem);

void sa_discovered_clear(sa_discovered *d);

#endif
