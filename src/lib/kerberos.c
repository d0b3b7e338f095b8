/* kerberos.c - our credentials (caller's ccache, keytab or password) in a
 * private in-memory ccache, KDC traffic through our own bounded transport,
 * and the service ticket request for one SPN. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "krb_internal.h"
#include "spnaudit/display.h"
#include "spnaudit/principal.h"
#include "spnaudit/secret.h"
#include "spnaudit/strv.h"

#define DEFAULT_KDC_TIMEOUT_MS 10000

/* "<krb5 message> while <doing what>" into err. */
static sa_status krb_failure(sa_error *err, sa_status status, krb5_context ctx, krb5_error_code code,
                             const transport *tp, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static sa_status
krb_failure(sa_error *err, sa_status status, krb5_context ctx, krb5_error_code code, const transport *tp,
            const char *fmt, ...)
{
    const char *msg = ctx ? krb5_get_error_message(ctx, code) : NULL;
    char doing[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(doing, sizeof(doing), fmt, ap);
    va_end(ap);
    if (tp != NULL && tp->last_error[0] != '\0' &&
        (code == KRB5_KDC_UNREACH || code == KRB5_REALM_CANT_RESOLVE || code == KRB5_REALM_UNKNOWN))
        sa_error_set(err, status, "%s (%s) while %s", msg ? msg : "Kerberos error", tp->last_error, doing);
    else
        sa_error_set(err, status, "%s while %s", msg ? msg : "Kerberos error", doing);
    if (msg != NULL)
        krb5_free_error_message(ctx, msg);
    return status;
}

/* ------------------------------------------------------------ transport */

/* The KDCs of realm, located on first use; NULL with why set when the
 * realm's KDCs cannot be found. */
static const sa_kdcs *
kdcs_for(kdc_cache *cache, krb5_context ctx, const char *realm, char *why, size_t why_size)
{
    kdc_entry *e = NULL, **items;
    sa_error err = {SA_OK, ""};
    const sa_kdcs *ret = NULL;

    pthread_mutex_lock(&cache->lock);
    for (size_t i = 0; i < cache->n; i++) {
        if (strcmp(cache->items[i]->realm, realm) == 0)
            e = cache->items[i];
    }
    if (e == NULL) {
        items = sa_grow(cache->items, &cache->cap, cache->n, sizeof(*cache->items), 4);
        e = calloc(1, sizeof(*e));
        if (items == NULL || e == NULL || (e->realm = strdup(realm)) == NULL) {
            if (items != NULL)
                cache->items = items;
            free(e);
            snprintf(why, why_size, "out of memory");
            goto cleanup;
        }
        cache->items = items;
        e->status = sa_kdc_locate(ctx, realm, &e->kdcs, &err);
        snprintf(e->error, sizeof(e->error), "%s", err.message);
        cache->items[cache->n++] = e;
    }
    if (e->status != SA_OK)
        snprintf(why, why_size, "%s", e->error);
    else
        ret = &e->kdcs;
cleanup:
    pthread_mutex_unlock(&cache->lock);
    return ret;
}

static krb5_error_code KRB5_CALLCONV
send_hook(krb5_context ctx, void *data, const krb5_data *realm, const krb5_data *message,
          krb5_data **new_message_out, krb5_data **new_reply_out)
{
    transport *tp = data;
    const sa_kdcs *kdcs;
    char realm_name[256];
    void *reply = NULL;
    size_t reply_len = 0;
    krb5_data d;
    krb5_error_code code;

    snprintf(realm_name, sizeof(realm_name), "%.*s", (int)realm->length, realm->data);
    kdcs = kdcs_for(tp->cache, ctx, realm_name, tp->last_error, sizeof(tp->last_error));
    if (kdcs == NULL)
        return KRB5_REALM_CANT_RESOLVE;
    switch (sa_kdc_exchange(kdcs, message->data, message->length, tp->cache->timeout_ms, &reply, &reply_len,
                            tp->last_error, sizeof(tp->last_error))) {
    case SA_KDC_OK:
        break;
    case SA_KDC_NOMEM:
        return ENOMEM;
    default:
        return KRB5_KDC_UNREACH;
    }
    d.magic = KV5M_DATA;
    d.data = reply;
    d.length = (unsigned)reply_len;
    code = krb5_copy_data(ctx, &d, new_reply_out);
    free(reply);
    return code;
}

/* krb5_init_context failed with code: most often krb5.conf cannot be
 * read or parsed. */
static sa_status
krb_config_failure(krb5_error_code code, sa_error *err)
{
    const char *msg = krb5_get_error_message(NULL, code);

    sa_error_set(err, SA_ERR_KERBEROS,
                 "%s while reading the Kerberos configuration %s: make it readable by this account and "
                 "correct, or name another with KRB5_CONFIG",
                 msg ? msg : "Kerberos error", sa_krb5_conf_name());
    krb5_free_error_message(NULL, msg);
    return SA_ERR_KERBEROS;
}

static sa_status
session_init(session *s, kdc_cache *cache, sa_error *err)
{
    krb5_error_code code;

    memset(s, 0, sizeof(*s));
    s->tp.cache = cache;
    code = krb5_init_context(&s->ctx);
    if (code != 0) {
        s->ctx = NULL;
        return krb_config_failure(code, err);
    }
    krb5_set_kdc_send_hook(s->ctx, send_hook, &s->tp);
    code = krb5_cc_new_unique(s->ctx, "MEMORY", NULL, &s->cc);
    if (code != 0)
        return krb_failure(err, SA_ERR_KERBEROS, s->ctx, code, NULL, "creating a memory credentials cache");
    return SA_OK;
}

void
session_close(session *s)
{
    if (s->ctx == NULL)
        return;
    if (s->cc != NULL)
        krb5_cc_destroy(s->ctx, s->cc);
    krb5_free_principal(s->ctx, s->client);
    krb5_free_context(s->ctx);
    memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------ logins */

static bool
is_tgt(krb5_context ctx, krb5_const_principal server)
{
    return krb5_princ_size(ctx, server) == 2 && server->data[0].length == 6 &&
           memcmp(server->data[0].data, "krbtgt", 6) == 0;
}

static sa_status
keep_tgt(sa_krb *k, const krb5_creds *creds, sa_error *err)
{
    krb5_creds *items, *copy = NULL;

    /* grow by one each time: a ccache holds few TGTs */
    items = realloc(k->tgts, (k->n_tgts + 1) * sizeof(*k->tgts));
    if (items == NULL)
        return sa_error_nomem(err);
    k->tgts = items;
    if (krb5_copy_creds(k->main.ctx, creds, &copy) != 0)
        return sa_error_nomem(err);
    k->tgts[k->n_tgts++] = *copy;
    free(copy); /* the contents now belong to k->tgts */
    return SA_OK;
}

/* Keep the TGTs (local and cross-realm) of src: in our memory ccache, so
 * every service ticket is asked of the KDC afresh and the caller's ccache
 * is never written, and as copies for the worker sessions.  Fails when
 * there is no valid TGT for the client's realm. */
static sa_status
copy_tgts(sa_krb *k, krb5_ccache src, const char *src_name, sa_error *err)
{
    krb5_context ctx = k->main.ctx;
    krb5_cc_cursor cur = NULL;
    krb5_creds creds;
    krb5_error_code code;
    sa_status ret = SA_ERR_CREDENTIALS;
    bool have_tgt = false, expired = false, started = false;
    time_t now = time(NULL);

    code = krb5_cc_start_seq_get(ctx, src, &cur);
    if (code != 0)
        return krb_failure(err, SA_ERR_CREDENTIALS, ctx, code, NULL, "reading the credentials cache %s",
                           src_name);
    started = true;
    while ((code = krb5_cc_next_cred(ctx, src, &cur, &creds)) == 0) {
        sa_status st = SA_OK;
        if (is_tgt(ctx, creds.server) && !krb5_is_config_principal(ctx, creds.server)) {
            if ((time_t)creds.times.endtime <= now) {
                expired = true;
            } else {
                if (krb5_realm_compare(ctx, creds.server, k->main.client))
                    have_tgt = true;
                code = krb5_cc_store_cred(ctx, k->main.cc, &creds);
                if (code == 0)
                    st = keep_tgt(k, &creds, err);
            }
        }
        krb5_free_cred_contents(ctx, &creds);
        if (code != 0) {
            ret = krb_failure(err, SA_ERR_KERBEROS, ctx, code, NULL, "copying credentials to a memory cache");
            goto cleanup;
        }
        if (st != SA_OK) {
            ret = st;
            goto cleanup;
        }
    }
    if (code != KRB5_CC_END) {
        krb_failure(err, SA_ERR_CREDENTIALS, ctx, code, NULL, "reading the credentials cache %s", src_name);
        goto cleanup;
    }
    if (!have_tgt) {
        sa_error_set(err, SA_ERR_CREDENTIALS,
                     "%s credentials in %s for %s: run 'kinit %s' (or give --keytab and --principal)",
                     expired ? "expired" : "no ticket-granting ticket among the", src_name, k->client_name,
                     k->client_name);
        goto cleanup;
    }
    ret = SA_OK;
cleanup:
    if (started)
        krb5_cc_end_seq_get(ctx, src, &cur);
    return ret;
}

static sa_status
login_ccache(sa_krb *k, sa_error *err)
{
    krb5_context ctx = k->main.ctx;
    krb5_ccache src = NULL;
    krb5_error_code code;
    char *name = NULL;
    sa_status ret = SA_ERR_CREDENTIALS;

    code = krb5_cc_default(ctx, &src);
    if (code != 0) {
        krb_failure(err, SA_ERR_CREDENTIALS, ctx, code, NULL, "opening the default credentials cache");
        goto cleanup;
    }
    code = krb5_cc_get_full_name(ctx, src, &name);
    if (code != 0) {
        ret = krb_failure(err, SA_ERR_KERBEROS, ctx, code, NULL, "naming the default credentials cache");
        goto cleanup;
    }
    code = krb5_cc_get_principal(ctx, src, &k->main.client);
    if (code != 0) {
        sa_error_set(err, SA_ERR_CREDENTIALS,
                     "no Kerberos credentials in %s: run 'kinit user@REALM' first, or give "
                     "--keytab and --principal",
                     name);
        goto cleanup;
    }
    code = krb5_unparse_name(ctx, k->main.client, &k->client_name);
    if (code == 0)
        code = krb5_cc_initialize(ctx, k->main.cc, k->main.client);
    if (code != 0) {
        ret = krb_failure(err, SA_ERR_KERBEROS, ctx, code, NULL, "initialising a memory credentials cache");
        goto cleanup;
    }
    ret = copy_tgts(k, src, name, err);
cleanup:
    krb5_free_string(ctx, name);
    if (src != NULL)
        krb5_cc_close(ctx, src);
    return ret;
}

/* Ask for a password: see sa_secret_prompt. */
static krb5_error_code KRB5_CALLCONV
prompter(krb5_context ctx, void *data, const char *name, const char *banner, int num_prompts,
         krb5_prompt prompts[])
{
    krb5_error_code ret = 0;
    char *line = NULL;
    size_t len;

    if (banner != NULL && *banner != '\0')
        sa_show_printf(stderr, "%s\n", banner); /* the KDC's text */
    for (int i = 0; i < num_prompts && ret == 0; i++) {
        if (sa_secret_prompt(prompts[i].prompt, prompts[i].hidden != 0, &line, NULL) != SA_OK) {
            ret = KRB5_LIBOS_CANTREADPWD;
            break;
        }
        len = strlen(line);
        if (len >= prompts[i].reply->length) {
            ret = KRB5_LIBOS_PWDINTR;
        } else {
            memcpy(prompts[i].reply->data, line, len);
            prompts[i].reply->length = (unsigned)len;
        }
        sa_secret_free(line);
        line = NULL;
    }
    return ret;
}

/* Why the KDCs of our client's realm cannot be found, into tp's error. */
static void
why_no_kdc(sa_krb *k, transport *tp)
{
    char realm[256];

    snprintf(realm, sizeof(realm), "%.*s", (int)k->main.client->realm.length, k->main.client->realm.data);
    (void)kdcs_for(&k->kdcs, k->main.ctx, realm, tp->last_error, sizeof(tp->last_error));
}

/* --principal's name (sa_principal_from_option) as our client. */
static sa_status
parse_principal(sa_krb *k, const char *given, sa_error *err)
{
    krb5_context ctx = k->main.ctx;
    char *default_realm = NULL, *name = NULL;
    krb5_error_code code;
    sa_status ret;

    if (krb5_get_default_realm(ctx, &default_realm) != 0)
        default_realm = NULL;
    ret = sa_principal_from_option(given, default_realm, &name, err);
    if (ret != SA_OK)
        goto cleanup;
    code = krb5_parse_name(ctx, name, &k->main.client);
    if (code != 0)
        ret = krb_failure(err, SA_ERR_USAGE, ctx, code, NULL, "parsing principal name \"%s\"", name);
cleanup:
    free(name);
    krb5_free_default_realm(ctx, default_realm);
    return ret;
}

/* The principal of kt's first entry, as kinit -k would take a keytab's
 * own principal, into *client. */
static sa_status
keytab_first_principal(krb5_context ctx, krb5_keytab kt, const char *keytab, krb5_principal *client,
                       sa_error *err)
{
    krb5_kt_cursor cursor;
    krb5_keytab_entry entry;
    krb5_error_code code;
    sa_status ret = SA_OK;

    if ((code = krb5_kt_start_seq_get(ctx, kt, &cursor)) != 0)
        return krb_failure(err, SA_ERR_CREDENTIALS, ctx, code, NULL, "reading keytab %s", keytab);
    code = krb5_kt_next_entry(ctx, kt, &entry, &cursor);
    if (code == KRB5_KT_END)
        ret = sa_error_set(err, SA_ERR_CREDENTIALS,
                           "the keytab %s holds no key: give another, or --principal", keytab);
    else if (code != 0)
        ret = krb_failure(err, SA_ERR_CREDENTIALS, ctx, code, NULL, "reading keytab %s", keytab);
    else {
        if ((code = krb5_copy_principal(ctx, entry.principal, client)) != 0)
            ret = krb_failure(err, SA_ERR_KERBEROS, ctx, code, NULL, "copying keytab %s's principal", keytab);
        krb5_free_keytab_entry_contents(ctx, &entry);
    }
    krb5_kt_end_seq_get(ctx, kt, &cursor);
    return ret;
}

/* Initial credentials for principal (NULL with a keytab: its first
 * principal), from a keytab or a password read without echo, into our
 * memory ccache. */
static sa_status
login_initial(sa_krb *k, const char *keytab, const char *principal, sa_error *err)
{
    krb5_context ctx = k->main.ctx;
    krb5_keytab kt = NULL;
    krb5_get_init_creds_opt *opt = NULL;
    krb5_creds creds;
    krb5_error_code code;
    sa_status ret = SA_ERR_CREDENTIALS;
    bool have_creds = false;

    memset(&creds, 0, sizeof(creds));
    if (keytab != NULL && (ret = sa_secret_check_keytab(keytab, err)) != SA_OK)
        goto cleanup;
    ret = SA_ERR_CREDENTIALS;
    if (keytab != NULL && (code = krb5_kt_resolve(ctx, keytab, &kt)) != 0) {
        ret = krb_failure(err, SA_ERR_USAGE, ctx, code, NULL, "opening keytab %s", keytab);
        goto cleanup;
    }
    if (principal == NULL) {
        if ((ret = keytab_first_principal(ctx, kt, keytab, &k->main.client, err)) != SA_OK)
            goto cleanup;
        k->principal_from_keytab = true;
    } else if ((ret = parse_principal(k, principal, err)) != SA_OK)
        goto cleanup;
    code = krb5_unparse_name(ctx, k->main.client, &k->client_name);
    if (code == 0)
        code = krb5_get_init_creds_opt_alloc(ctx, &opt);
    if (code == 0)
        code = krb5_get_init_creds_opt_set_out_ccache(ctx, opt, k->main.cc);
    if (code != 0) {
        ret = krb_failure(err, SA_ERR_KERBEROS, ctx, code, NULL, "preparing the login");
        goto cleanup;
    }
    if (kt != NULL)
        code = krb5_get_init_creds_keytab(ctx, &creds, k->main.client, kt, 0, NULL, opt);
    else
        code = krb5_get_init_creds_password(ctx, &creds, k->main.client, NULL, prompter, NULL, 0, NULL, opt);
    if (code == KRB5_REALM_UNKNOWN && k->main.tp.last_error[0] == '\0')
        why_no_kdc(k, &k->main.tp); /* libkrb5 gave up before our transport */
    if (code != 0) {
        ret = code == KRB5_KDC_UNREACH || code == KRB5_REALM_CANT_RESOLVE || code == KRB5_REALM_UNKNOWN
                  ? SA_ERR_DIRECTORY
                  : SA_ERR_CREDENTIALS;
        if (kt != NULL)
            krb_failure(err, ret, ctx, code, &k->main.tp, "getting initial credentials for %s from keytab %s",
                        k->client_name, keytab);
        else
            krb_failure(err, ret, ctx, code, &k->main.tp,
                        "getting initial credentials for %s with a password", k->client_name);
        goto cleanup;
    }
    have_creds = true;
    ret = keep_tgt(k, &creds, err);
cleanup:
    if (have_creds)
        krb5_free_cred_contents(ctx, &creds);
    krb5_get_init_creds_opt_free(ctx, opt);
    if (kt != NULL)
        krb5_kt_close(ctx, kt);
    return ret;
}

sa_status
sa_krb_open(const sa_krb_options *opts, sa_krb **out, sa_error *err)
{
    sa_krb *k = NULL;
    krb5_error_code code;
    sa_status ret = SA_ERR_KERBEROS;

    k = calloc(1, sizeof(*k));
    if (k == NULL)
        return sa_error_nomem(err);
    pthread_mutex_init(&k->kdcs.lock, NULL);
    k->kdcs.timeout_ms = opts->kdc_timeout_ms > 0 ? opts->kdc_timeout_ms : DEFAULT_KDC_TIMEOUT_MS;
    ret = session_init(&k->main, &k->kdcs, err);
    if (ret != SA_OK)
        goto cleanup;
    code = krb5_cc_get_full_name(k->main.ctx, k->main.cc, &k->ccache_name);
    if (code != 0) {
        ret = krb_failure(err, SA_ERR_KERBEROS, k->main.ctx, code, NULL, "naming a memory credentials cache");
        goto cleanup;
    }
    ret = opts->principal || opts->keytab ? login_initial(k, opts->keytab, opts->principal, err)
                                          : login_ccache(k, err);
    if (ret != SA_OK)
        goto cleanup;
    k->client_realm = strndup(k->main.client->realm.data, k->main.client->realm.length);
    if (k->client_realm == NULL) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    *out = k;
    k = NULL;
cleanup:
    sa_krb_close(k);
    return ret;
}

void
sa_krb_close(sa_krb *k)
{
    if (k == NULL)
        return;
    if (k->main.ctx != NULL) {
        for (size_t i = 0; i < k->n_tgts; i++)
            krb5_free_cred_contents(k->main.ctx, &k->tgts[i]);
        krb5_free_string(k->main.ctx, k->ccache_name);
        krb5_free_unparsed_name(k->main.ctx, k->client_name);
    }
    free(k->tgts);
    session_close(&k->main);
    for (size_t i = 0; i < k->kdcs.n; i++) {
        sa_kdcs_clear(&k->kdcs.items[i]->kdcs);
        free(k->kdcs.items[i]->realm);
        free(k->kdcs.items[i]);
    }
    free(k->kdcs.items);
    pthread_mutex_destroy(&k->kdcs.lock);
    free(k->client_realm);
    free(k);
}

const char *
sa_krb_ccache_name(const sa_krb *k)
{
    return k->ccache_name;
}

const char *
sa_krb_client(const sa_krb *k)
{
    return k->client_name;
}

bool
sa_krb_principal_from_keytab(const sa_krb *k)
{
    return k->principal_from_keytab;
}

const char *
sa_krb_client_realm(const sa_krb *k)
{
    return k->client_realm;
}

sa_status
sa_krb_use_for_gssapi(const sa_krb *k, sa_error *err)
{
    OM_uint32 minor = 0;

    if (gss_krb5_ccache_name(&minor, k->ccache_name, NULL) != GSS_S_COMPLETE)
        return sa_error_set(err, SA_ERR_KERBEROS,
                            "cannot point GSSAPI at the credentials cache %s (minor %u)", k->ccache_name,
                            (unsigned)minor);
    return SA_OK;
}

sa_status
session_open_worker(sa_krb *k, session *s, sa_error *err)
{
    krb5_error_code code;
    sa_status ret = session_init(s, &k->kdcs, err);

    if (ret != SA_OK)
        return ret;
    code = krb5_copy_principal(s->ctx, k->main.client, &s->client);
    if (code == 0)
        code = krb5_cc_initialize(s->ctx, s->cc, s->client);
    for (size_t i = 0; code == 0 && i < k->n_tgts; i++)
        code = krb5_cc_store_cred(s->ctx, s->cc, &k->tgts[i]);
    if (code != 0)
        return krb_failure(err, SA_ERR_KERBEROS, s->ctx, code, NULL,
                           "preparing a worker's credentials cache");
    return SA_OK;
}

/* ------------------------------------------------------------ probe */

static char *
enctype_name(krb5_enctype e)
{
    char buf[128];

    if (krb5_enctype_to_name(e, FALSE, buf, sizeof(buf)) != 0)
        snprintf(buf, sizeof(buf), "enctype-%d", (int)e);
    return strdup(buf);
}

/* Can we get a cross-realm TGT krbtgt/REMOTE@CLIENT_REALM for server's
 * realm?  Only asked after a refusal, to tell "no such SPN there" from
 * "no way there". */
static bool
have_realm_path(session *s, krb5_const_principal server)
{
    krb5_principal tgs = NULL;
    krb5_creds in, *out = NULL;
    krb5_error_code code;

    memset(&in, 0, sizeof(in));
    code = krb5_build_principal_ext(s->ctx, &tgs, (unsigned)s->client->realm.length, s->client->realm.data, 6,
                                    "krbtgt", (unsigned)server->realm.length, server->realm.data, 0);
    if (code != 0)
        return true; /* cannot tell: keep the KDC's word */
    in.client = s->client;
    in.server = tgs;
    code = krb5_get_credentials(s->ctx, KRB5_GC_NO_STORE, s->cc, &in, &out);
    krb5_free_creds(s->ctx, out);
    krb5_free_principal(s->ctx, tgs);
    return code != KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN;
}

/* After a refusal that reads like our own credentials failing (revoked,
 * key expired...): do our credentials still get a ticket?  A KDC may use
 * the same codes for a disabled or expired *service* account. */
static bool
own_credentials_work(session *s)
{
    krb5_principal tgs = NULL;
    krb5_creds in, *out = NULL;
    krb5_error_code code;

    memset(&in, 0, sizeof(in));
    code = krb5_build_principal_ext(s->ctx, &tgs, (unsigned)s->client->realm.length, s->client->realm.data, 6,
                                    "krbtgt", (unsigned)s->client->realm.length, s->client->realm.data, 0);
    if (code != 0)
        return false;
    in.client = s->client;
    in.server = tgs;
    /* A later end time than the cached TGT has: not answered from the
     * cache, but by a TGS request with our TGT. */
    in.times.endtime = (krb5_timestamp)(time(NULL) + 7 * 24 * 3600);
    code = krb5_get_credentials(s->ctx, KRB5_GC_NO_STORE, s->cc, &in, &out);
    krb5_free_creds(s->ctx, out);
    krb5_free_principal(s->ctx, tgs);
    return code == 0;
}

sa_status
session_probe(session *s, const char *client_name, const char *realm, sa_ticket *t, sa_error *err)
{
    krb5_principal server = NULL;
    krb5_creds in, *creds = NULL;
    krb5_ticket *tkt = NULL;
    krb5_error_code code;
    char *name = NULL;
    const char *msg = NULL;
    sa_status ret = SA_ERR_SYSTEM;

    memset(&in, 0, sizeof(in));
    s->tp.last_error[0] = '\0';
    t->tried = true;
    /* "SPN@REALM" names its realm; a bare SPN is in realm. */
    name = strchr(t->spn, '@') ? strdup(t->spn) : sa_strdup_printf("%s@%s", t->spn, realm);
    if (name == NULL)
        return sa_error_nomem(err);
    code = krb5_parse_name(s->ctx, name, &server);
    if (code == 0) {
        server->type = KRB5_NT_SRV_INST;
        in.client = s->client;
        in.server = server;
        /* Never from or into a cache: each ticket is the KDC's answer now. */
        code = krb5_get_credentials(s->ctx, KRB5_GC_NO_STORE, s->cc, &in, &creds);
    }
    t->code = code;
    t->cause = sa_krb_classify(code);
    if (code == KRB5_REALM_UNKNOWN && server != NULL && krb5_realm_compare(s->ctx, server, s->client))
        t->cause = SA_KC_KDC_UNREACHABLE; /* no KDC known for our own realm */
    if (t->cause == SA_KC_CREDENTIALS && code != KRB5KRB_AP_ERR_TKT_EXPIRED && code != KRB5_FCC_NOFILE &&
        code != KRB5_CC_NOTFOUND && own_credentials_work(s)) {
        /* Our credentials are fine: the refusal concerns the SPN's account
         * (disabled, expired, locked out). */
        t->cause = SA_KC_POLICY;
    }
    if (t->cause == SA_KC_SPN_UNKNOWN && server != NULL && !krb5_realm_compare(s->ctx, server, s->client) &&
        !have_realm_path(s, server)) {
        /* "unknown" for an SPN of another realm: the KDC does not know the
         * cross-realm TGT, i.e. there is no trust path to that realm. */
        t->cause = SA_KC_NO_REALM_PATH;
    }
    if (code != 0) {
        msg = krb5_get_error_message(s->ctx, code);
        t->ok = false;
        if (s->tp.last_error[0] != '\0' && (code == KRB5_KDC_UNREACH || code == KRB5_REALM_CANT_RESOLVE))
            t->error = sa_strdup_printf("%s (%s)", msg ? msg : "Kerberos error", s->tp.last_error);
        else
            t->error = strdup(msg ? msg : "unknown Kerberos error");
        if (t->error == NULL)
            goto nomem;
        if (sa_krb_cause_is_fatal(t->cause)) {
            ret = sa_error_set(err, SA_ERR_CREDENTIALS,
                               "%s while requesting a service ticket for %s as %s: renew the "
                               "credentials (kinit) or check the keytab",
                               t->error, name, client_name);
            goto cleanup;
        }
        ret = SA_OK;
        goto cleanup;
    }
    t->ok = true;
    t->session_enctype = enctype_name(creds->keyblock.enctype);
    t->realm = strndup(creds->server->realm.data, creds->server->realm.length);
    if (t->session_enctype == NULL || t->realm == NULL)
        goto nomem;
    if (krb5_decode_ticket(&creds->ticket, &tkt) == 0) {
        t->enctype = enctype_name(tkt->enc_part.enctype);
        t->kvno = (int)tkt->enc_part.kvno;
        if (t->enctype == NULL)
            goto nomem;
    }
    ret = SA_OK;
    goto cleanup;
nomem:
    ret = sa_error_nomem(err);
cleanup:
    if (msg != NULL)
        krb5_free_error_message(s->ctx, msg);
    krb5_free_ticket(s->ctx, tkt);
    krb5_free_creds(s->ctx, creds);
    krb5_free_principal(s->ctx, server);
    free(name);
    return ret;
}

sa_status
sa_krb_probe(sa_krb *k, const char *realm, sa_ticket *t, sa_error *err)
{
    return session_probe(&k->main, k->client_name, realm, t, err);
}
