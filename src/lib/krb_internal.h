/* krb_internal.h - what kerberos.c and probe.c share; not installed. */
#ifndef SPNAUDIT_KRB_INTERNAL_H
#define SPNAUDIT_KRB_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include <krb5.h>

#include "spnaudit/kdc.h"
#include "spnaudit/kerberos.h"

/* Realm -> KDC addresses, located once, shared by every session. */
typedef struct kdc_entry {
    char *realm;
    sa_kdcs kdcs;
    sa_status status;         /* of the location */
    char error[SA_ERROR_MAX]; /* when status != SA_OK */
} kdc_entry;

typedef struct kdc_cache {
    pthread_mutex_t lock;
    kdc_entry **items;
    size_t n;
    size_t cap;
    int timeout_ms; /* per KDC request */
} kdc_cache;

/* The pre-send hook's data: one per krb5 context. */
typedef struct transport {
    kdc_cache *cache;
    char last_error[SA_ERROR_MAX]; /* why the last exchange failed */
} transport;

/* A krb5 context with its own private ccache holding copies of our TGTs. */
typedef struct session {
    krb5_context ctx;
    krb5_ccache cc;
    krb5_principal client;
    transport tp;
} session;

struct sa_krb {
    session main;
    char *client_name;
    char *client_realm;
    bool principal_from_keytab; /* --keytab without --principal: its first one */
    char *ccache_name;
    krb5_creds *tgts; /* copies, for the worker sessions */
    size_t n_tgts;
    kdc_cache kdcs;
};

/* A new session sharing k's KDC cache, holding copies of k's TGTs. */
sa_status session_open_worker(sa_krb *k, session *s, sa_error *err);
void session_close(session *s);
/* One ticket request in session s; see sa_krb_probe. */
sa_status session_probe(session *s, const char *client_name, const char *realm, sa_ticket *t, sa_error *err);

#endif
