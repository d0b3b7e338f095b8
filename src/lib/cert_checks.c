/* cert_checks.c - what OpsMgr needs of a certificate, checked on what was
 * read of it (sa_cert): pure functions, each problem a finding with its
 * events and fix.  A property the file could not tell (no private key in
 * a .cer, no chain checked) gives no finding: the report says it was not
 * checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "spnaudit/cert.h"

#define DAY 86400
#define RSA_MIN_BITS 2048
/* How a new certificate reaches the Health Service: the end of most fixes. */
#define REISSUE                                                                                              \
    "request a new certificate from a template with Server Authentication and Client Authentication, "       \
    "an exportable RSA key of 2048 bits or more in a legacy CryptoAPI provider (Microsoft Enhanced RSA "     \
    "and AES Cryptographic Provider) for key exchange, and the host's FQDN as subject CN and first DNS "     \
    "name; then import it with MOMCertImport.exe on the host and restart the Health Service "                \
    "(net stop healthservice, net start healthservice)"

bool
sa_cert_name_is(const char *name, const char *host)
{
    size_t n, h;

    if (name == NULL || host == NULL)
        return false;
    n = strlen(name);
    h = strlen(host);
    n -= n > 0 && name[n - 1] == '.';
    h -= h > 0 && host[h - 1] == '.';
    return n == h && n > 0 && strncasecmp(name, host, n) == 0;
}

long
sa_cert_days_left(const sa_cert *c, int64_t now)
{
    int64_t left = c->not_after - now;

    return (long)(left >= 0 ? left / DAY : -((-left + DAY - 1) / DAY));
}

/* The fix common to certificates that must be issued again. */
static bool
reissue(sa_finding *f)
{
    return f != NULL && sa_finding_fix(f, REISSUE);
}

static bool
check_eku(const sa_cert *c, sa_findings *out)
{
    sa_finding *f;

    if (c->has_eku && c->eku_server_auth && c->eku_client_auth)
        return true;
    f = sa_findings_add(out, SA_F_CERT_EKU_MISSING, c->source, c->host);
    return f != NULL &&
           sa_finding_message(f,
                              "the enhanced key usage %s: OpsMgr needs Server Authentication "
                              "(1.3.6.1.5.5.7.3.1) and Client Authentication (1.3.6.1.5.5.7.3.2)",
                              !c->has_eku                                  ? "is absent"
                              : !c->eku_server_auth && !c->eku_client_auth ? "lacks both"
                              : !c->eku_server_auth                        ? "lacks Server Authentication"
                                                                           : "lacks Client Authentication") &&
           reissue(f);
}

static bool
check_private_key(const sa_cert *c, sa_findings *out)
{
    sa_finding *f;

    if (c->key == SA_CERT_KEY_ABSENT) {
        f = sa_findings_add(out, SA_F_CERT_KEY_MISSING, c->source, c->host);
        return f != NULL &&
               sa_finding_message(f, "the PKCS#12 file holds the certificate but not its private key: "
                                     "the Health Service cannot use it") &&
               sa_finding_fix(f, "export the certificate again with its private key (certutil -exportPFX "
                                 "my SERIAL FILE.pfx, or the Certificates snap-in with \"Yes, export the "
                                 "private key\"), then import that file with MOMCertImport.exe");
    }
    if (c->key == SA_CERT_KEY_MISMATCH) {
        f = sa_findings_add(out, SA_F_CERT_KEY_MISMATCH, c->source, c->host);
        return f != NULL &&
               sa_finding_message(f, "the private key in the file does not belong to the certificate") &&
               sa_finding_fix(f, "export the certificate together with its own key (certutil -exportPFX "
                                 "my SERIAL FILE.pfx) and import that file with MOMCertImport.exe");
    }
    return true;
}

/* The CSP name of a CNG key storage provider (Microsoft's are all named
 * "... Key Storage Provider"). */
static bool
is_ksp(const char *csp)
{
    return csp != NULL && strcasestr(csp, "Key Storage Provider") != NULL;
}

static bool
check_provider(const sa_cert *c, sa_findings *out)
{
    sa_finding *f;

    if (is_ksp(c->csp)) {
        f = sa_findings_add(out, SA_F_CERT_KEY_CNG, c->source, c->host);
        if (f == NULL ||
            !sa_finding_message(f,
                                "the key is for the CNG provider %s: OpsMgr needs a key in a "
                                "legacy CryptoAPI CSP",
                                c->csp) ||
            !reissue(f))
            return false;
    }
    if (c->key_spec == SA_CERT_KEY_SPEC_SIGNATURE) {
        f = sa_findings_add(out, SA_F_CERT_KEY_SPEC_SIGNATURE, c->source, c->host);
        if (f == NULL ||
            !sa_finding_message(f, "the key is for signatures only (KEY_SPEC AT_SIGNATURE, 2): OpsMgr needs "
                                   "a key exchange key (AT_KEYEXCHANGE, 1)") ||
            !reissue(f))
            return false;
    }
    return true;
}

static bool
check_key(const sa_cert *c, sa_findings *out)
{
    sa_finding *f = NULL;

    if (c->key_type != NULL && strcmp(c->key_type, "RSA") != 0) {
        f = sa_findings_add(out, SA_F_CERT_KEY_NOT_RSA, c->source, c->host);
        if (f == NULL || !sa_finding_message(f,
                                             "the key is %s, not RSA: a legacy CryptoAPI CSP holds RSA "
                                             "keys only",
                                             c->key_type))
            return false;
    } else if (c->key_type != NULL && c->key_bits < RSA_MIN_BITS) {
        f = sa_findings_add(out, SA_F_CERT_KEY_TOO_SMALL, c->source, c->host);
        if (f == NULL ||
            !sa_finding_message(f, "the RSA key has %d bits, fewer than %d", c->key_bits, RSA_MIN_BITS))
            return false;
    }
    if (f != NULL && !reissue(f))
        return false;
    if (c->has_key_usage && (!c->ku_digital_signature || !c->ku_key_encipherment)) {
        f = sa_findings_add(out, SA_F_CERT_KEY_USAGE, c->source, c->host);
        if (f == NULL ||
            !sa_finding_message(f, "the key usage lacks %s",
                                !c->ku_digital_signature && !c->ku_key_encipherment
                                    ? "digitalSignature and keyEncipherment"
                                : !c->ku_digital_signature ? "digitalSignature"
                                                           : "keyEncipherment") ||
            !reissue(f))
            return false;
    }
    return true;
}

static bool
check_signature(const sa_cert *c, sa_findings *out)
{
    sa_finding *f;

    if (!c->signature_weak)
        return true;
    f = sa_findings_add(out, SA_F_CERT_SIGNATURE_WEAK, c->source, c->host);
    return f != NULL && sa_finding_message(f, "signed with %s: Windows may refuse it", c->signature) &&
           sa_finding_fix(f, "have the CA issue it again with SHA-256 or stronger");
}

/* The subject's CN and the SAN's first DNS name against the host (when
 * known: --host, else the certificate's own CN or first DNS name). */
static bool
check_names(const sa_cert *c, sa_findings *out)
{
    const char *first = c->san_dns.n > 0 ? c->san_dns.items[0] : NULL;
    sa_finding *f;

    if (c->subject_cn == NULL) {
        f = sa_findings_add(out, SA_F_CERT_SUBJECT_CN_MISSING, c->source, c->host);
        if (f == NULL ||
            !sa_finding_message(f,
                                "the subject (%s) has no common name (CN): OpsMgr reads the "
                                "host's name there",
                                c->subject ? c->subject : "empty") ||
            !reissue(f))
            return false;
    } else if (c->host != NULL && !sa_cert_name_is(c->subject_cn, c->host)) {
        f = sa_findings_add(out, SA_F_CERT_NAME_MISMATCH, c->source, c->host);
        if (f == NULL || !sa_finding_message(f, "the subject's CN is %s, not %s", c->subject_cn, c->host) ||
            !reissue(f))
            return false;
    }
    if (first != NULL && c->host != NULL && !sa_cert_name_is(first, c->host)) {
        f = sa_findings_add(out, SA_F_CERT_SAN_MISMATCH, c->source, c->host);
        if (f == NULL ||
            !sa_finding_message(f,
                                "the first DNS name of the subject alternative name is %s, "
                                "not %s",
                                first, c->host) ||
            !reissue(f))
            return false;
    }
    return true;
}

/* t as "2026-12-02 14:05 UTC" into buf. */
static const char *
utc(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        snprintf(buf, size, "%lld (seconds since 1970)", (long long)t);
    return buf;
}

static bool
check_validity(const sa_cert *c, int64_t now, int expiry_days, sa_findings *out)
{
    long days = sa_cert_days_left(c, now);
    char when[48];
    sa_finding *f;

    if (!c->dates_read)
        return true; /* the report says so */
    if (now < c->not_before) {
        f = sa_findings_add(out, SA_F_CERT_NOT_YET_VALID, c->source, c->host);
        return f != NULL &&
               sa_finding_message(f, "valid only from %s: the other side refuses it until then",
                                  utc(c->not_before, when, sizeof(when))) &&
               sa_finding_fix(f, "check the clocks of the CA and of this host, or wait for the start of "
                                 "validity");
    }
    if (now >= c->not_after) {
        f = sa_findings_add(out, SA_F_CERT_EXPIRED, c->source, c->host);
        return f != NULL &&
               sa_finding_message(f, "expired on %s, %ld day%s ago", utc(c->not_after, when, sizeof(when)),
                                  -days, days == -1 ? "" : "s") &&
               sa_finding_fix(f,
                              "renew it (certreq -enroll -machine -cert %s renew, or the Certificates "
                              "snap-in of the computer account), then import the new certificate with "
                              "MOMCertImport.exe and restart the Health Service",
                              c->serial ? c->serial : "SERIAL");
    }
    if (days < expiry_days) {
        f = sa_findings_add(out, SA_F_CERT_EXPIRING, c->source, c->host);
        return f != NULL &&
               sa_finding_message(f, "expires on %s, in %ld day%s", utc(c->not_after, when, sizeof(when)),
                                  days, days == 1 ? "" : "s") &&
               sa_finding_fix(f,
                              "renew it before then (certreq -enroll -machine -cert %s renew, or the "
                              "Certificates snap-in of the computer account), import the new one with "
                              "MOMCertImport.exe and restart the Health Service",
                              c->serial ? c->serial : "SERIAL");
    }
    return true;
}

static bool
check_chain(const sa_cert *c, sa_findings *out)
{
    sa_finding *f;

    if (c->chain != SA_CERT_CHAIN_FAILED)
        return true;
    f = sa_findings_add(out, SA_F_CERT_CHAIN_UNTRUSTED, c->source, c->host);
    if (f == NULL)
        return false;
    if (c->chain_missing != NULL &&
        !sa_finding_message(f, "the chain does not build to a trusted root: the issuer %s was not found (%s)",
                            c->chain_missing, c->chain_error ? c->chain_error : "no reason given"))
        return false;
    if (c->chain_missing == NULL && !sa_finding_message(f, "the chain does not build to a trusted root (%s)",
                                                        c->chain_error ? c->chain_error : "no reason given"))
        return false;
    return sa_finding_fix(
        f, "import the issuing CA's chain (root to issuer) into the Trusted Root "
           "Certification Authorities store of the computer account on both sides, or "
           "give the missing CA certificates with --ca-file; certutil -verify shows the chain");
}

bool
sa_cert_check(const sa_cert *c, int64_t now, int expiry_days, sa_findings *out)
{
    return check_eku(c, out) && check_private_key(c, out) && check_provider(c, out) && check_key(c, out) &&
           check_signature(c, out) && check_names(c, out) && check_validity(c, now, expiry_days, out) &&
           check_chain(c, out);
}

void
sa_certs_clear(sa_certs *list)
{
    for (size_t i = 0; i < list->n; i++) {
        sa_cert *c = &list->items[i];
        free(c->source);
        free(c->host);
        free(c->subject);
        free(c->issuer);
        free(c->subject_cn);
        sa_strv_clear(&c->san_dns);
        free(c->key_type);
        free(c->signature);
        free(c->serial);
        free(c->serial_registry);
        free(c->thumbprint);
        free(c->csp);
        free(c->chain_error);
        free(c->chain_missing);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}
