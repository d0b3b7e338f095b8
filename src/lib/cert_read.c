/* cert_read.c - certificate files as OpsMgr's admins have them: PKCS#12
 * (.pfx, .p12: with the key, its Microsoft attributes and the chain), PEM
 * (certificates and keys, any order) and DER (.cer, .crt), told apart by
 * their content.  Each end-entity certificate becomes an sa_cert, with its
 * private key's state and its chain checked against the trust anchors. */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert_internal.h"
#include "spnaudit/display.h"
#include "spnaudit/infile.h"
#include "spnaudit/strv.h"

#define MAX_KEYS 64 /* keys read from one file; more are ignored */

/* What one file held. */
typedef struct content {
    STACK_OF(X509) * leaves; /* end-entity certificates */
    STACK_OF(X509) * cas;    /* CA certificates: the intermediates of the chains */
    EVP_PKEY *keys[MAX_KEYS];
    size_t n_keys;
    bool pkcs12;
    char *csp;                 /* PKCS#12: the key's Microsoft CSP name */
    sa_cert_key_spec key_spec; /* PKCS#12: from the key's key usage attribute */
} content;

static void
content_clear(content *ct)
{
    sk_X509_pop_free(ct->leaves, X509_free);
    sk_X509_pop_free(ct->cas, X509_free);
    for (size_t i = 0; i < ct->n_keys; i++)
        EVP_PKEY_free(ct->keys[i]);
    free(ct->csp);
    memset(ct, 0, sizeof(*ct));
}

/* The last OpenSSL error as text (the queue emptied), for "what failed". */
static const char *
ssl_reason(char *buf, size_t size)
{
    unsigned long e = ERR_peek_last_error();

    if (e == 0)
        snprintf(buf, size, "no reason given");
    else
        ERR_error_string_n(e, buf, size);
    ERR_clear_error();
    return buf;
}

/* Take x (a reference of ours) into leaves or cas; false on no memory. */
static bool
take_cert(content *ct, X509 *x)
{
    STACK_OF(X509) *to = X509_check_ca(x) ? ct->cas : ct->leaves;

    if (sk_X509_push(to, x) > 0)
        return true;
    X509_free(x);
    return false;
}

static void
take_key(content *ct, EVP_PKEY *k)
{
    if (ct->n_keys < MAX_KEYS)
        ct->keys[ct->n_keys++] = k;
    else
        EVP_PKEY_free(k);
}

/* A PEM key's password: the one given, else none (an encrypted key is
 * then not read). */
static int
pem_password(char *buf, int size, int rwflag, void *u)
{
    const char *pass = u;
    size_t len = pass ? strlen(pass) : 0;

    (void)rwflag;
    if (pass == NULL || len >= (size_t)size)
        return -1;
    memcpy(buf, pass, len);
    return (int)len;
}

static sa_status
read_pem(const char *path, const char *data, size_t len, const char *password, content *ct, sa_error *err)
{
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    STACK_OF(X509_INFO) *infos =
        bio ? PEM_X509_INFO_read_bio(bio, NULL, pem_password, (void *)password) : NULL;
    char why[256];
    sa_status ret = SA_OK;

    if (infos == NULL) {
        ret = sa_error_set(err, SA_ERR_USAGE, "%s: not a PEM certificate file that can be read (%s)", path,
                           ssl_reason(why, sizeof(why)));
        goto cleanup;
    }
    for (int i = 0; ret == SA_OK && i < sk_X509_INFO_num(infos); i++) {
        X509_INFO *info = sk_X509_INFO_value(infos, i);
        if (info->x509 != NULL && X509_up_ref(info->x509) && !take_cert(ct, info->x509))
            ret = sa_error_nomem(err);
        if (info->x_pkey != NULL && info->x_pkey->dec_pkey != NULL && EVP_PKEY_up_ref(info->x_pkey->dec_pkey))
            take_key(ct, info->x_pkey->dec_pkey);
    }
cleanup:
    sk_X509_INFO_pop_free(infos, X509_INFO_free);
    BIO_free(bio);
    return ret;
}

static sa_status
read_der(const char *path, const char *what, const unsigned char *data, size_t len, content *ct,
         sa_error *err)
{
    const unsigned char *p = data;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    char why[256];

    if (x == NULL || p != data + len) {
        X509_free(x);
        return sa_error_set(err, SA_ERR_USAGE, "%s: not %s that can be read (%s)", path, what,
                            ssl_reason(why, sizeof(why)));
    }
    return take_cert(ct, x) ? SA_OK : sa_error_nomem(err);
}

/* The password that opens p12 into *pass: the one given, else the empty
 * one or none (a file exported without a password); false when none
 * does. */
static bool
p12_open(PKCS12 *p12, const char *given, const char **pass)
{
    bool ok;

    *pass = given;
    if (!PKCS12_mac_present(p12))
        ok = true; /* nothing to check a password against: tried when parsed */
    else if (given != NULL)
        ok = PKCS12_verify_mac(p12, given, -1) == 1;
    else if ((ok = PKCS12_verify_mac(p12, "", 0) == 1))
        *pass = "";
    else
        ok = PKCS12_verify_mac(p12, NULL, 0) == 1;
    ERR_clear_error();
    return ok;
}

/* KEY_SPEC from a key usage attribute (one byte: 0x10 key exchange, 0x80
 * signature, as openssl pkcs12 -keyex/-keysig and Windows write it). */
static sa_cert_key_spec
key_spec_of(const STACK_OF(X509_ATTRIBUTE) * attrs)
{
    int i = attrs ? X509at_get_attr_by_NID(attrs, NID_key_usage, -1) : -1;
    X509_ATTRIBUTE *a = i >= 0 ? X509at_get_attr(attrs, i) : NULL;
    ASN1_TYPE *t = a ? X509_ATTRIBUTE_get0_type(a, 0) : NULL;
    unsigned char b;

    if (t == NULL || t->type != V_ASN1_BIT_STRING || ASN1_STRING_length(t->value.bit_string) < 1)
        return SA_CERT_KEY_SPEC_NOT_SAID;
    b = ASN1_STRING_get0_data(t->value.bit_string)[0];
    return (b & KEY_EX)    ? SA_CERT_KEY_SPEC_EXCHANGE
           : (b & KEY_SIG) ? SA_CERT_KEY_SPEC_SIGNATURE
                           : SA_CERT_KEY_SPEC_NOT_SAID;
}

/* The Microsoft attributes of the first key bag: its CSP name (a bag
 * attribute) and its key usage (on the bag, or inside the key). */
static void
bag_attributes(const PKCS12_SAFEBAG *bag, const char *pass, content *ct)
{
    int type = PKCS12_SAFEBAG_get_nid(bag);
    const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs(bag);
    ASN1_TYPE *csp = PKCS12_get_attr_gen(attrs, NID_ms_csp_name);
    PKCS8_PRIV_KEY_INFO *p8 = NULL;
    unsigned char *utf8 = NULL;
    int len;

    if ((type != NID_keyBag && type != NID_pkcs8ShroudedKeyBag) || ct->csp != NULL ||
        ct->key_spec != SA_CERT_KEY_SPEC_NOT_SAID)
        return;
    if (csp != NULL && csp->type == V_ASN1_BMPSTRING &&
        (len = ASN1_STRING_to_UTF8(&utf8, csp->value.bmpstring)) >= 0)
        ct->csp = sa_text_from_bytes(utf8, (size_t)len);
    ct->key_spec = key_spec_of(attrs);
    if (ct->key_spec == SA_CERT_KEY_SPEC_NOT_SAID && type == NID_pkcs8ShroudedKeyBag &&
        (p8 = PKCS12_decrypt_skey(bag, pass, -1)) != NULL)
        ct->key_spec = key_spec_of(PKCS8_pkey_get0_attrs(p8));
    else if (ct->key_spec == SA_CERT_KEY_SPEC_NOT_SAID && type == NID_keyBag)
        ct->key_spec = key_spec_of(PKCS8_pkey_get0_attrs(PKCS12_SAFEBAG_get0_p8inf(bag)));
    PKCS8_PRIV_KEY_INFO_free(p8);
    OPENSSL_free(utf8);
    ERR_clear_error();
}

static void
key_attributes(PKCS12 *p12, const char *pass, content *ct)
{
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);

    for (int i = 0; safes != NULL && i < sk_PKCS7_num(safes); i++) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        int nid = OBJ_obj2nid(p7->type);
        STACK_OF(PKCS12_SAFEBAG) *bags = nid == NID_pkcs7_data        ? PKCS12_unpack_p7data(p7)
                                         : nid == NID_pkcs7_encrypted ? PKCS12_unpack_p7encdata(p7, pass, -1)
                                                                      : NULL;
        for (int k = 0; bags != NULL && k < sk_PKCS12_SAFEBAG_num(bags); k++)
            bag_attributes(sk_PKCS12_SAFEBAG_value(bags, k), pass, ct);
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);
    ERR_clear_error();
}

static sa_status
read_pkcs12(const char *path, PKCS12 *p12, const char *given, content *ct, sa_error *err)
{
    const char *pass;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL, *x;
    STACK_OF(X509) *ca = NULL;
    char why[256];
    sa_status ret = SA_OK;

    if (!p12_open(p12, given, &pass))
        return given ? sa_error_set(err, SA_ERR_USAGE,
                                    "%s: the password given does not open this PKCS#12 file", path)
                     : sa_error_set(err, SA_ERR_CREDENTIALS,
                                    "%s: a PKCS#12 file protected by a password, and none was given", path);
    if (!PKCS12_parse(p12, pass, &key, &cert, &ca))
        return sa_error_set(err, SA_ERR_USAGE, "%s: the PKCS#12 file cannot be read (%s)", path,
                            ssl_reason(why, sizeof(why)));
    ct->pkcs12 = true;
    if (key != NULL)
        take_key(ct, key);
    if (cert != NULL && !take_cert(ct, cert))
        ret = sa_error_nomem(err);
    while (ret == SA_OK && (x = sk_X509_shift(ca)) != NULL) {
        if (!take_cert(ct, x))
            ret = sa_error_nomem(err);
    }
    sk_X509_pop_free(ca, X509_free);
    if (ret == SA_OK)
        key_attributes(p12, pass, ct);
    return ret;
}

/* The state of x's private key among the keys of the file. */
static sa_cert_key
key_state(const content *ct, X509 *x)
{
    bool found = false;

    if (ct->n_keys == 0)
        return ct->pkcs12 ? SA_CERT_KEY_ABSENT : SA_CERT_KEY_NOT_IN_FILE;
    for (size_t k = 0; !found && k < ct->n_keys; k++)
        found = X509_check_private_key(x, ct->keys[k]) == 1;
    ERR_clear_error();
    return found ? SA_CERT_KEY_MATCHES : SA_CERT_KEY_MISMATCH;
}

struct sa_cert_store {
    X509_STORE *x509;
};

/* trust's file and directory, else the system's store. */
sa_status
sa_cert_store_open(const sa_cert_trust *trust, sa_cert_store **out, sa_error *err)
{
    sa_cert_store *s = calloc(1, sizeof(*s));
    bool own = trust != NULL && (trust->ca_file != NULL || trust->ca_dir != NULL);
    char why[256];

    if (s == NULL || (s->x509 = X509_STORE_new()) == NULL) {
        free(s);
        return sa_error_nomem(err);
    }
    /* a missing or unreadable file said as such, not as OpenSSL's "system lib" */
    for (int i = 0; own && i < 2; i++) {
        const char *path = i == 0 ? trust->ca_file : trust->ca_dir;
        if (path != NULL && access(path, R_OK) != 0) {
            sa_error_set(err, SA_ERR_USAGE, "the trust anchors %s cannot be read: %s", path, strerror(errno));
            sa_cert_store_close(s);
            return err->status;
        }
    }
    if (own ? (trust->ca_file == NULL || X509_STORE_load_file(s->x509, trust->ca_file) == 1) &&
                  (trust->ca_dir == NULL || X509_STORE_load_path(s->x509, trust->ca_dir) == 1)
            : X509_STORE_set_default_paths(s->x509) == 1) {
        *out = s;
        return SA_OK;
    }
    sa_error_set(err, SA_ERR_USAGE, "the trust anchors (%s%s%s) cannot be read: %s",
                 own && trust->ca_file ? trust->ca_file : "",
                 own && trust->ca_file && trust->ca_dir ? ", " : "",
                 !own            ? "the system's store"
                 : trust->ca_dir ? trust->ca_dir
                                 : "",
                 ssl_reason(why, sizeof(why)));
    sa_cert_store_close(s);
    return err->status;
}

void
sa_cert_store_close(sa_cert_store *store)
{
    if (store == NULL)
        return;
    X509_STORE_free(store->x509);
    free(store);
}

/* Does x build to a trust anchor, through the file's CA certificates?
 * Time is not checked here (validity is a check of its own). */
static sa_status
verify_chain(X509 *x, STACK_OF(X509) * cas, const sa_cert_store *store, sa_cert *c, sa_error *err)
{
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    sa_status ret = SA_OK;
    int e;

    if (ctx == NULL || X509_STORE_CTX_init(ctx, store->x509, x, cas) != 1) {
        ret = sa_error_nomem(err);
        goto cleanup;
    }
    X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx), X509_V_FLAG_NO_CHECK_TIME);
    c->chain = X509_verify_cert(ctx) == 1 ? SA_CERT_CHAIN_OK : SA_CERT_CHAIN_FAILED;
    if (c->chain == SA_CERT_CHAIN_FAILED) {
        e = X509_STORE_CTX_get_error(ctx);
        c->chain_error = strdup(X509_verify_cert_error_string(e));
        if ((e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
             e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) &&
            X509_STORE_CTX_get_current_cert(ctx) != NULL)
            c->chain_missing = sa_x509_name_line(X509_get_issuer_name(X509_STORE_CTX_get_current_cert(ctx)));
        if (c->chain_error == NULL)
            ret = sa_error_nomem(err);
    }
cleanup:
    ERR_clear_error();
    X509_STORE_CTX_free(ctx);
    return ret;
}

/* leaves[i] of the file as a new certificate of got. */
static sa_status
add_cert(const sa_cert_request *req, content *ct, int i, sa_certs *got, sa_error *err)
{
    X509 *x = sk_X509_value(ct->leaves, i);
    int n = sk_X509_num(ct->leaves);
    sa_cert *items = sa_grow(got->items, &got->cap, got->n, sizeof(*got->items), 4), *c;
    const char *own;

    if (items == NULL)
        return sa_error_nomem(err);
    got->items = items;
    c = &items[got->n++];
    memset(c, 0, sizeof(*c));
    c->source =
        n > 1 ? sa_strdup_printf("%s (certificate %d of %d)", req->path, i + 1, n) : strdup(req->path);
    if (c->source == NULL || !sa_cert_from_x509(x, c))
        return sa_error_nomem(err);
    c->key = key_state(ct, x);
    c->pkcs12 = ct->pkcs12;
    c->key_spec = ct->key_spec;
    c->host_given = req->host != NULL;
    own = c->subject_cn ? c->subject_cn : c->san_dns.n > 0 ? c->san_dns.items[0] : NULL;
    if ((ct->csp != NULL && (c->csp = strdup(ct->csp)) == NULL) ||
        ((req->host || own) && (c->host = strdup(req->host ? req->host : own)) == NULL))
        return sa_error_nomem(err);
    return verify_chain(x, ct->cas, req->store, c, err);
}

/* The file's content by its form: PEM (text), PKCS#12, else DER. */
static sa_status
read_content(const sa_cert_request *req, const char *data, size_t len, content *ct, sa_error *err)
{
    const unsigned char *p = (const unsigned char *)data;
    PKCS12 *p12;
    sa_status ret;

    if (memmem(data, len, "-----BEGIN ", 11) != NULL)
        return read_pem(req->path, data, len, req->password, ct, err);
    if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) != NULL) {
        ret = read_pkcs12(req->path, p12, req->password, ct, err);
        PKCS12_free(p12);
        return ret;
    }
    ERR_clear_error();
    return read_der(req->path, "a certificate file (PEM, DER or PKCS#12)", (const unsigned char *)data, len,
                    ct, err);
}

/* The end-entity certificates of ct into out (all or none). */
static sa_status
certs_of_content(const sa_cert_request *req, content *ct, sa_certs *out, sa_error *err)
{
    sa_certs got = {NULL, 0, 0};
    sa_cert *items;
    sa_status ret = SA_OK;

    if (sk_X509_num(ct->leaves) == 0)
        ret =
            sa_error_set(err, SA_ERR_USAGE, "%s: no end-entity certificate in the file (%d CA certificate%s)",
                         req->path, sk_X509_num(ct->cas), sk_X509_num(ct->cas) == 1 ? "" : "s");
    for (int i = 0; ret == SA_OK && i < sk_X509_num(ct->leaves); i++)
        ret = add_cert(req, ct, i, &got, err);
    for (size_t k = 0; ret == SA_OK && k < got.n; k++) { /* moved to out, each then zeroed in got */
        if ((items = sa_grow(out->items, &out->cap, out->n, sizeof(*items), 4)) == NULL) {
            ret = sa_error_nomem(err);
        } else {
            out->items = items;
            items[out->n++] = got.items[k];
            memset(&got.items[k], 0, sizeof(got.items[k]));
        }
    }
    sa_certs_clear(&got);
    return ret;
}

sa_status
sa_cert_read_file(const sa_cert_request *req, sa_certs *out, sa_error *err)
{
    char *data = NULL;
    size_t len = 0;
    content ct;
    sa_status ret;

    memset(&ct, 0, sizeof(ct));
    ct.leaves = sk_X509_new_null();
    ct.cas = sk_X509_new_null();
    ret = ct.leaves && ct.cas ? sa_infile_read(req->path, SA_INFILE_CERT, &data, &len, err)
                              : sa_error_nomem(err);
    if (ret == SA_OK)
        ret = read_content(req, data, len, &ct, err);
    if (ret == SA_OK)
        ret = certs_of_content(req, &ct, out, err);
    content_clear(&ct);
    if (data != NULL)
        OPENSSL_cleanse(data, len); /* it may hold a private key */
    free(data);
    return ret;
}

sa_status
sa_cert_read_der(const sa_cert_request *req, const unsigned char *der, size_t len, sa_certs *out,
                 sa_error *err)
{
    content ct;
    sa_status ret;

    memset(&ct, 0, sizeof(ct));
    ct.leaves = sk_X509_new_null();
    ct.cas = sk_X509_new_null();
    ret = ct.leaves && ct.cas ? read_der(req->path, "a DER certificate", der, len, &ct, err)
                              : sa_error_nomem(err);
    if (ret == SA_OK)
        ret = certs_of_content(req, &ct, out, err);
    content_clear(&ct);
    return ret;
}
