/* kerberos.c - our credentials (caller's ccache or a keytab) in a private
 * in-memory ccache, and the service ticket probe. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "spnaudit/kerberos.h"
#include "spnaudit/strv.h"

struct sa_krb {
    krb5_context ctx;
    krb5_ccache mem; /* private copy: TGTs only */
    krb5_principal client;
    char *client_name;
    char *client_realm;
    char *ccache_name; /* full name of mem */
};

/* "<krb5 message> while <doing what>" into err. */
static sa_status krb_failure(sa_error *err, sa_status status, krb5_context ctx, krb5_error_code code,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static sa_status
krb_failure(sa_error *err, sa_status status, krb5_context ctx, krb5_error_code code, const char *fmt, ...)
{
    const char *msg = ctx ? krb5_get_error_message(ctx, code) : NULL;
    char doing[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(doing, sizeof(doing), fmt, ap);
    va_end(ap);
    sa_error_set(err, status, "%s while %s", msg ? msg : "Kerberos error", doing);
    if (msg != NULL)
        krb5_free_error_message(ctx, msg);
    return status;
}

static bool
is_tgt(krb5_context ctx, krb5_const_principal server)
{
    return krb5_princ_size(ctx, server) == 2 && server->data[0].length == 6 &&
           memcmp(server->data[0].data, "krbtgt", 6) == 0;
}

/* Copy the TGTs (local and cross-realm) of src into dst, so that every
 * service ticket is asked of the KDC afresh and the caller's ccache is
 * never written.  Fails when there is no valid TGT for the client's realm. */
static sa_status
copy_tgts(sa_krb *k, krb5_ccache src, const char *src_name, sa_error *err)
{
    krb5_cc_cursor cur = NULL;
    krb5_creds creds;
    krb5_error_code code;
    sa_status ret = SA_ERR_CREDENTIALS;
    bool have_tgt = false, expired = false;
    time_t now = time(NULL);

    code = krb5_cc_start_seq_get(k->ctx, src, &cur);
    if (code != 0)
        return krb_failure(err, SA_ERR_CREDENTIALS, k->ctx, code, "reading the credentials cache %s",
                           src_name);
    while ((code = krb5_cc_next_cred(k->ctx, src, &cur, &creds)) == 0) {
        if (is_tgt(k->ctx, creds.server) && !krb5_is_config_principal(k->ctx, creds.server)) {
            if ((time_t)creds.times.endtime <= now) {
                expired = true;
            } else {
                if (krb5_realm_compare(k->ctx, creds.server, k->client))
                    have_tgt = true;
                code = krb5_cc_store_cred(k->ctx, k->mem, &creds);
            }
        }
        krb5_free_cred_contents(k->ctx, &creds);
        if (code != 0) {
            krb_failure(err, SA_ERR_KERBEROS, k->ctx, code, "copying credentials to a memory cache");
            ret = SA_ERR_KERBEROS;
            goto cleanup;
        }
    }
    if (code != KRB5_CC_END) {
        krb_failure(err, SA_ERR_CREDENTIALS, k->ctx, code, "reading the credentials cache %s", src_name);
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
    krb5_cc_end_seq_get(k->ctx, src, &cur);
    return ret;
}

static sa_status
login_ccache(sa_krb *k, sa_error *err)
{
    krb5_ccache src = NULL;
    krb5_error_code code;
    char *name = NULL;
    sa_status ret = SA_ERR_CREDENTIALS;

    code = krb5_cc_default(k->ctx, &src);
    if (code != 0) {
        krb_failure(err, SA_ERR_CREDENTIALS, k->ctx, code, "opening the default credentials cache");
        goto cleanup;
    }
    code = krb5_cc_get_full_name(k->ctx, src, &name);
    if (code != 0) {
        krb_failure(err, SA_ERR_KERBEROS, k->ctx, code, "naming the default credentials cache");
        ret = SA_ERR_KERBEROS;
        goto cleanup;
    }
    code = krb5_cc_get_principal(k->ctx, src, &k->client);
    if (code != 0) {
        sa_error_set(err, SA_ERR_CREDENTIALS,
                     "no Kerberos credentials in %s: run 'kinit user@REALM' first, or give "
                     "--keytab and --principal",
                     name);
        goto cleanup;
    }
    code = krb5_unparse_name(k->ctx, k->client, &k->client_name);
    if (code == 0)
        code = krb5_cc_initialize(k->ctx, k->mem, k->client);
    if (code != 0) {
        krb_failure(err, SA_ERR_KERBEROS, k->ctx, code, "initialising a memory credentials cache");
        ret = SA_ERR_KERBEROS;
        goto cleanup;
    }
    ret = copy_tgts(k, src, name, err);
cleanup:
    krb5_free_string(k->ctx, name);
    if (src != NULL)
        krb5_cc_close(k->ctx, src);
    return ret;
}

static sa_status
login_keytab(sa_krb *k, const char *keytab, const char *principal, sa_error *err)
{
    krb5_keytab kt = NULL;
    krb5_get_init_creds_opt *opt = NULL;
    krb5_creds creds;
    krb5_error_code code;
    sa_status ret = SA_ERR_CREDENTIALS;
    bool have_creds = false;

    memset(&creds, 0, sizeof(creds));
    code = krb5_kt_resolve(k->ctx, keytab, &kt);
    if (code != 0) {
        krb_failure(err, SA_ERR_USAGE, k->ctx, code, "opening keytab %s", keytab);
        ret = SA_ERR_USAGE;
        goto cleanup;
    }
    code = krb5_parse_name(k->ctx, principal, &k->client);
    if (code != 0) {
        krb_failure(err, SA_ERR_USAGE, k->ctx, code, "parsing principal name \"%s\"", principal);
        ret = SA_ERR_USAGE;
        goto cleanup;
    }
    code = krb5_unparse_name(k->ctx, k->client, &k->client_name);
    if (code == 0)
        code = krb5_get_init_creds_opt_alloc(k->ctx, &opt);
    if (code == 0)
        code = krb5_get_init_creds_opt_set_out_ccache(k->ctx, opt, k->mem);
    if (code != 0) {
        krb_failure(err, SA_ERR_KERBEROS, k->ctx, code, "preparing the keytab login");
        ret = SA_ERR_KERBEROS;
        goto cleanup;
    }
    code = krb5_get_init_creds_keytab(k->ctx, &creds, k->client, kt, 0, NULL, opt);
    if (code != 0) {
        krb_failure(err, code == KRB5_KDC_UNREACH ? SA_ERR_DIRECTORY : SA_ERR_CREDENTIALS, k->ctx, code,
                    "getting initial credentials for %s from keytab %s", k->client_name, keytab);
        ret = code == KRB5_KDC_UNREACH ? SA_ERR_DIRECTORY : SA_ERR_CREDENTIALS;
        goto cleanup;
    }
    have_creds = true;
    ret = SA_OK;
cleanup:
    if (have_creds)
        krb5_free_cred_contents(k->ctx, &creds);
    krb5_get_init_creds_opt_free(k->ctx, opt);
    if (kt != NULL)
        krb5_kt_close(k->ctx, kt);
    return ret;
}

sa_status
sa_krb_open(const sa_krb_options *opts, sa_krb **out, sa_error *err)
{
    sa_krb *k = NULL;
    krb5_error_code code;
    sa_status ret = SA_ERR_KERBEROS;

    if ((opts->keytab == NULL) != (opts->principal == NULL))
        return sa_error_set(err, SA_ERR_USAGE, "--keytab and --principal go together");
    k = calloc(1, sizeof(*k));
    if (k == NULL)
        return sa_error_nomem(err);
    code = krb5_init_context(&k->ctx);
    if (code != 0) {
        sa_error_set(err, SA_ERR_KERBEROS, "cannot initialise Kerberos (error %ld): check KRB5_CONFIG",
                     (long)code);
        goto cleanup;
    }
    code = krb5_cc_new_unique(k->ctx, "MEMORY", NULL, &k->mem);
    if (code == 0)
        code = krb5_cc_get_full_name(k->ctx, k->mem, &k->ccache_name);
    if (code != 0) {
        krb_failure(err, SA_ERR_KERBEROS, k->ctx, code, "creating a memory credentials cache");
        goto cleanup;
    }
    ret = opts->keytab ? login_keytab(k, opts->keytab, opts->principal, err) : login_ccache(k, err);
    if (ret != SA_OK)
        goto cleanup;
    k->client_realm = strndup(k->client->realm.data, k->client->realm.length);
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
    if (k->ctx != NULL) {
        if (k->mem != NULL)
            krb5_cc_destroy(k->ctx, k->mem);
        krb5_free_string(k->ctx, k->ccache_name);
        krb5_free_unparsed_name(k->ctx, k->client_name);
        krb5_free_principal(k->ctx, k->client);
        krb5_free_context(k->ctx);
    }
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

static char *
enctype_name(krb5_enctype e)
{
    char buf[128];

    if (krb5_enctype_to_name(e, FALSE, buf, sizeof(buf)) != 0)
        snprintf(buf, sizeof(buf), "enctype-%d", (int)e);
    return strdup(buf);
}

sa_status
sa_krb_probe(sa_krb *k, const char *realm, sa_ticket *t, sa_error *err)
{
    krb5_principal server = NULL;
    krb5_creds in, *creds = NULL;
    krb5_ticket *tkt = NULL;
    krb5_error_code code;
    char *name = NULL;
    const char *msg = NULL;
    sa_status ret = SA_ERR_SYSTEM;

    memset(&in, 0, sizeof(in));
    name = sa_strdup_printf("%s@%s", t->spn, realm);
    if (name == NULL)
        return sa_error_nomem(err);
    code = krb5_parse_name(k->ctx, name, &server);
    if (code == 0) {
        server->type = KRB5_NT_SRV_INST;
        in.client = k->client;
        in.server = server;
        /* Never from or into a cache: each ticket is the KDC's answer now. */
        code = krb5_get_credentials(k->ctx, KRB5_GC_NO_STORE, k->mem, &in, &creds);
    }
    t->code = code;
    t->cause = sa_krb_classify(code);
    if (code != 0) {
        msg = krb5_get_error_message(k->ctx, code);
        t->ok = false;
        t->error = strdup(msg ? msg : "unknown Kerberos error");
        if (t->error == NULL)
            goto nomem;
        if (sa_krb_cause_is_fatal(t->cause)) {
            ret = sa_error_set(err, SA_ERR_CREDENTIALS,
                               "%s while requesting a service ticket for %s as %s: renew the "
                               "credentials (kinit) or check the keytab",
                               t->error, name, k->client_name);
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
        krb5_free_error_message(k->ctx, msg);
    krb5_free_ticket(k->ctx, tkt);
    krb5_free_creds(k->ctx, creds);
    krb5_free_principal(k->ctx, server);
    free(name);
    return ret;
}
