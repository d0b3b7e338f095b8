/* cert_x509.c - what the checks need of an X.509 certificate, read with
 * OpenSSL into plain data (sa_cert): names, key usages, validity, key,
 * signature, serial number and thumbprint.  Every string is untrusted
 * text (a NUL inside becomes U+FFFD). */
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cert_internal.h"
#include "spnaudit/display.h"

char *
sa_x509_name_line(const X509_NAME *name)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL, *line = NULL;
    long len;

    if (bio == NULL)
        return NULL;
    if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
        (len = BIO_get_mem_data(bio, &data)) >= 0)
        line = sa_text_from_bytes(data, (size_t)len);
    BIO_free(bio);
    return line;
}

/* An ASN.1 string as UTF-8 text; NULL on out of memory or a string that
 * does not convert. */
static char *
asn1_text(const ASN1_STRING *s)
{
    unsigned char *utf8 = NULL;
    int len = ASN1_STRING_to_UTF8(&utf8, s);
    char *text = len >= 0 ? sa_text_from_bytes(utf8, (size_t)len) : NULL;

    OPENSSL_free(utf8);
    return text;
}

/* The last CN of name (the most specific one), or NULL: *ok false on out
 * of memory. */
static char *
last_cn(const X509_NAME *name, bool *ok)
{
    int i = -1, last = -1;
    char *cn;

    while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0)
        last = i;
    if (last < 0)
        return NULL;
    cn = asn1_text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last)));
    *ok = cn != NULL;
    return cn;
}

static bool
read_san(X509 *x, sa_strv *out)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    bool ok = true;

    for (int i = 0; names != NULL && ok && i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        char *dns;
        if (g->type != GEN_DNS)
            continue;
        dns =
            sa_text_from_bytes(ASN1_STRING_get0_data(g->d.dNSName), (size_t)ASN1_STRING_length(g->d.dNSName));
        ok = dns != NULL && sa_strv_add(out, dns);
        free(dns);
    }
    GENERAL_NAMES_free(names);
    return ok;
}

static void
read_usages(X509 *x, sa_cert *c)
{
    uint32_t flags = X509_get_extension_flags(x);

    c->has_eku = (flags & EXFLAG_XKUSAGE) != 0;
    c->eku_server_auth = c->has_eku && (X509_get_extended_key_usage(x) & XKU_SSL_SERVER) != 0;
    c->eku_client_auth = c->has_eku && (X509_get_extended_key_usage(x) & XKU_SSL_CLIENT) != 0;
    c->has_key_usage = (flags & EXFLAG_KUSAGE) != 0;
    c->ku_digital_signature = c->has_key_usage && (X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE) != 0;
    c->ku_key_encipherment = c->has_key_usage && (X509_get_key_usage(x) & KU_KEY_ENCIPHERMENT) != 0;
}

static bool
time_of(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;

    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
        return false;
    *out = (int64_t)timegm(&tm);
    return true;
}

/* The key's type and size, and the signature's algorithm and strength. */
static bool
read_algorithms(X509 *x, sa_cert *c)
{
    EVP_PKEY *key = X509_get0_pubkey(x);
    int sig = X509_get_signature_nid(x), md = NID_undef;
    const char *type;

    if (key != NULL) {
        type = EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA  ? "RSA"
               : EVP_PKEY_get_base_id(key) == EVP_PKEY_EC ? "EC"
                                                          : OBJ_nid2sn(EVP_PKEY_get_base_id(key));
        c->key_type = strdup(type ? type : "unknown");
        c->key_bits = EVP_PKEY_get_bits(key);
        if (c->key_type == NULL)
            return false;
    }
    c->signature = strdup(sig != NID_undef && OBJ_nid2ln(sig) ? OBJ_nid2ln(sig) : "unknown");
    if (OBJ_find_sigid_algs(sig, &md, NULL))
        c->signature_weak = md == NID_sha1 || md == NID_md5 || md == NID_md4 || md == NID_md2;
    return c->signature != NULL;
}

/* bytes[0..n) as upper-case hex, in order or reversed. */
static char *
hex(const unsigned char *bytes, size_t n, bool reversed)
{
    static const char digits[] = "0123456789ABCDEF";
    char *out = malloc(2 * n + 1);

    for (size_t i = 0; out != NULL && i < n; i++) {
        unsigned char b = bytes[reversed ? n - 1 - i : i];
        out[2 * i] = digits[b >> 4];
        out[2 * i + 1] = digits[b & 15];
    }
    if (out != NULL)
        out[2 * n] = '\0';
    return out;
}

static bool
read_serial_and_thumbprint(X509 *x, sa_cert *c)
{
    const ASN1_INTEGER *serial = X509_get0_serialNumber(x);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    size_t n = (size_t)ASN1_STRING_length(serial);

    c->serial = hex(ASN1_STRING_get0_data(serial), n, false);
    c->serial_registry = hex(ASN1_STRING_get0_data(serial), n, true);
    if (X509_digest(x, EVP_sha1(), md, &md_len) == 1)
        c->thumbprint = hex(md, md_len, false);
    return c->serial != NULL && c->serial_registry != NULL && c->thumbprint != NULL;
}

bool
sa_cert_from_x509(X509 *x, sa_cert *c)
{
    bool ok = true;

    c->subject = sa_x509_name_line(X509_get_subject_name(x));
    c->issuer = sa_x509_name_line(X509_get_issuer_name(x));
    c->subject_cn = last_cn(X509_get_subject_name(x), &ok);
    read_usages(x, c);
    c->dates_read =
        time_of(X509_get0_notBefore(x), &c->not_before) && time_of(X509_get0_notAfter(x), &c->not_after);
    return ok && c->subject != NULL && c->issuer != NULL && read_san(x, &c->san_dns) &&
           read_algorithms(x, c) && read_serial_and_thumbprint(x, c);
}
