/* report_cert.c - "spnaudit cert": each certificate as read (what an admin
 * compares with certutil and the registry) and its findings, as text for
 * people and JSON for programs. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "report_internal.h"
#include "spnaudit/report_cert.h"

/* t as ISO 8601 UTC ("2026-12-02T14:05:00Z") into buf. */
static const char *
iso_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "?");
    return buf;
}

static const char *
key_state_words(sa_cert_key k)
{
    static const char *const words[] = {
        [SA_CERT_KEY_NOT_IN_FILE] = "not in the file (not checked)",
        [SA_CERT_KEY_ABSENT] = "MISSING from the PKCS#12 file",
        [SA_CERT_KEY_MATCHES] = "present, the certificate's",
        [SA_CERT_KEY_MISMATCH] = "present, but ANOTHER certificate's",
    };
    return words[k];
}

static const char *
key_state_name(sa_cert_key k)
{
    static const char *const names[] = {"not_in_file", "missing", "matches", "mismatch"};
    return names[k];
}

static const char *
key_spec_name(sa_cert_key_spec s)
{
    return s == SA_CERT_KEY_SPEC_EXCHANGE    ? "key exchange (AT_KEYEXCHANGE)"
           : s == SA_CERT_KEY_SPEC_SIGNATURE ? "signature (AT_SIGNATURE)"
                                             : "not said";
}

static const char *
chain_name(sa_cert_chain c)
{
    return c == SA_CERT_CHAIN_OK ? "trusted" : c == SA_CERT_CHAIN_FAILED ? "untrusted" : "not_checked";
}

const char *
sa_cert_report_unread_words(const sa_cert_report *r)
{
    return r->from_directory ? "hosts not checked" : "files not read";
}

/* ------------------------------------------------------------ text */

static void
text_names(FILE *out, const sa_cert *c, size_t width)
{
    char *dns = sa_strv_join(&c->san_dns, ", ");

    text_wrapf(out, 0, 4, width, "  names: CN %s; DNS %s", c->subject_cn ? c->subject_cn : "(none)",
               c->san_dns.n == 0 ? "(no subject alternative name)"
               : dns             ? dns
                                 : "(out of memory)");
    free(dns);
}

static void
text_validity(FILE *out, const sa_cert_report *r, const sa_cert *c, size_t width)
{
    char from[32], to[32];

    if (!c->dates_read) {
        text_wrapf(out, 0, 4, width, "  valid: the dates could not be read (not checked)");
        return;
    }
    text_wrapf(out, 0, 4, width, "  valid: from %s to %s (%ld days left)",
               iso_time(c->not_before, from, sizeof(from)), iso_time(c->not_after, to, sizeof(to)),
               sa_cert_days_left(c, r->now));
}

static void
text_key(FILE *out, const sa_cert *c, size_t width)
{
    text_wrapf(out, 0, 4, width, "  key: %s, %d bits; private key %s; signature %s",
               c->key_type ? c->key_type : "?", c->key_bits, key_state_words(c->key),
               c->signature ? c->signature : "?");
    if (c->pkcs12)
        text_wrapf(out, 0, 4, width, "  provider: %s; key spec: %s", c->csp ? c->csp : "not said in the file",
                   key_spec_name(c->key_spec));
    text_wrapf(out, 0, 4, width, "  enhanced key usage: %s%s%s; key usage: %s%s%s",
               !c->has_eku          ? "(none)"
               : c->eku_server_auth ? "Server Authentication"
                                    : "",
               c->eku_server_auth && c->eku_client_auth ? ", " : "",
               c->has_eku && c->eku_client_auth    ? "Client Authentication"
               : c->has_eku && !c->eku_server_auth ? "neither Server nor Client Authentication"
                                                   : "",
               !c->has_key_usage         ? "(none)"
               : c->ku_digital_signature ? "digitalSignature"
                                         : "",
               c->ku_digital_signature && c->ku_key_encipherment ? ", " : "",
               c->has_key_usage && c->ku_key_encipherment     ? "keyEncipherment"
               : c->has_key_usage && !c->ku_digital_signature ? "neither digitalSignature nor keyEncipherment"
                                                              : "");
}

static void
text_chain(FILE *out, const sa_cert *c, size_t width)
{
    if (c->chain == SA_CERT_CHAIN_OK)
        text_wrapf(out, 0, 4, width, "  chain: builds to a trusted root");
    else if (c->chain == SA_CERT_CHAIN_FAILED && c->chain_missing)
        text_wrapf(out, 0, 4, width, "  chain: UNTRUSTED, the issuer %s was not found (%s)", c->chain_missing,
                   c->chain_error ? c->chain_error : "?");
    else if (c->chain == SA_CERT_CHAIN_FAILED)
        text_wrapf(out, 0, 4, width, "  chain: UNTRUSTED (%s)", c->chain_error ? c->chain_error : "?");
    else
        text_wrapf(out, 0, 4, width, "  chain: not checked");
}

static void
text_cert(FILE *out, const sa_cert_report *r, const sa_cert *c, size_t width)
{
    size_t found = 0;

    fputc('\n', out);
    if (c->host)
        text_wrapf(out, 0, 2, width, "Certificate %s, for %s%s", c->source, c->host,
                   c->host_given ? "" : " (its own name)");
    else
        text_wrapf(out, 0, 2, width, "Certificate %s, for no host (no name in it)", c->source);
    text_wrapf(out, 0, 4, width, "  subject: %s", c->subject);
    text_wrapf(out, 0, 4, width, "  issuer: %s", c->issuer);
    text_names(out, c, width);
    text_validity(out, r, c, width);
    text_key(out, c, width);
    text_chain(out, c, width);
    text_wrapf(out, 0, 4, width,
               "  serial: %s; in the registry (MOMCertImport, ChannelCertificateSerialNumber): %s", c->serial,
               c->serial_registry);
    text_wrapf(out, 0, 4, width, "  thumbprint (SHA-1): %s", c->thumbprint);
    for (size_t i = 0; i < r->findings->n; i++) {
        const sa_finding *f = &r->findings->items[i];
        if (strcmp(f->subject, c->source) == 0 && ++found)
            text_finding_under(out, f, r->fix_shell, width);
    }
    if (found == 0)
        fputs("  OK      no findings\n", out);
}

int
sa_cert_report_text(const sa_cert_report *r, FILE *out)
{
    size_t width = r->width > 0 ? (size_t)r->width : 80;
    size_t fail = sa_findings_count(r->findings, SA_SEV_FAILURE),
           warn = sa_findings_count(r->findings, SA_SEV_WARNING);
    char templates[64] = "", summary[256];

    if (r->templates != NULL)
        snprintf(templates, sizeof(templates), ", %zu template%s", r->templates->n,
                 r->templates->n == 1 ? "" : "s");
    text_wrapf(out, 0, 2, width,
               "spnaudit %s: %zu certificate%s checked as OpsMgr uses them; trust anchors: %s",
               SPNAUDIT_VERSION, r->certs->n, r->certs->n == 1 ? "" : "s", r->trust);
    for (size_t i = 0; i < r->certs->n; i++)
        text_cert(out, r, &r->certs->items[i], width);
    if (r->templates != NULL) {
        fputc('\n', out);
        if (sa_cert_templates_report_text(r->templates, r->findings, r->fix_shell, (int)width, out) != 0)
            return -1;
    }
    if (r->unread->n > 0)
        fputs(r->from_directory ? "\nNot checked:\n" : "\nNot read:\n", out);
    for (size_t i = 0; i < r->unread->n; i++)
        text_wrapf(out, 0, 4, width, "  %s", r->unread->items[i]);
    fputc('\n', out);
    /* the tool's own words only: wrapped at any of their spaces */
    snprintf(summary, sizeof(summary),
             "Summary: %zu failure%s, %zu warning%s; %zu certificate%s%s%s%s; exit status %d", fail,
             fail == 1 ? "" : "s", warn, warn == 1 ? "" : "s", r->certs->n, r->certs->n == 1 ? "" : "s",
             templates, r->unread->n > 0 ? ", some " : "",
             r->unread->n > 0 ? sa_cert_report_unread_words(r) : "", r->exit_status);
    text_wrap(out, summary, 0, 2, width);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

/* ------------------------------------------------------------ JSON */

static json_object *
json_time(int64_t t)
{
    char buf[32];

    return jstr(iso_time(t, buf, sizeof(buf)));
}

/* The key and its usages, added to o (each added whatever happens to
 * the others, so that none leaks). */
static bool
json_cert_key(json_object *o, const sa_cert *c)
{
    json_object *key = json_object_new_object();
    json_object *eku = c->has_eku ? json_object_new_array() : NULL;
    json_object *ku = c->has_key_usage ? json_object_new_array() : NULL;
    bool ok =
        key != NULL && (!c->has_eku || eku != NULL) && (!c->has_key_usage || ku != NULL) &&
        jadd(key, "type", jstr(c->key_type), true) &&
        jadd(key, "bits", json_object_new_int(c->key_bits), false) &&
        jadd(key, "private_key", jstr(key_state_name(c->key)), false) &&
        jadd(key, "csp", c->pkcs12 ? jstr(c->csp) : NULL, true) &&
        jadd(key, "key_spec",
             c->key_spec == SA_CERT_KEY_SPEC_NOT_SAID ? NULL : json_object_new_int((int)c->key_spec), true) &&
        (!c->eku_server_auth || jappend(eku, jstr("1.3.6.1.5.5.7.3.1"))) &&
        (!c->eku_client_auth || jappend(eku, jstr("1.3.6.1.5.5.7.3.2"))) &&
        (!c->ku_digital_signature || jappend(ku, jstr("digitalSignature"))) &&
        (!c->ku_key_encipherment || jappend(ku, jstr("keyEncipherment")));
    bool added_key, added_eku, added_ku;

    if (!ok) {
        json_object_put(key);
        json_object_put(eku);
        json_object_put(ku);
        return false;
    }
    added_key = jadd(o, "key", key, false);
    added_eku = jadd(o, "extended_key_usage", eku, true);
    added_ku = jadd(o, "key_usage", ku, true);
    return added_key && added_eku && added_ku;
}

static json_object *
json_cert(const sa_cert_report *r, const sa_cert *c)
{
    json_object *o = json_object_new_object();
    bool ok = o != NULL && jadd(o, "source", jstr(c->source), false) &&
              jadd(o, "host", jstr(c->host), true) &&
              jadd(o, "host_given", json_object_new_boolean(c->host_given), false) &&
              jadd(o, "subject", jstr(c->subject), false) && jadd(o, "issuer", jstr(c->issuer), false) &&
              jadd(o, "subject_cn", jstr(c->subject_cn), true) &&
              jadd(o, "san_dns", json_strv(&c->san_dns), false) &&
              jadd(o, "not_before", c->dates_read ? json_time(c->not_before) : NULL, true) &&
              jadd(o, "not_after", c->dates_read ? json_time(c->not_after) : NULL, true) &&
              jadd(o, "days_left", c->dates_read ? json_object_new_int64(sa_cert_days_left(c, r->now)) : NULL,
                   true) &&
              json_cert_key(o, c) && jadd(o, "signature", jstr(c->signature), true) &&
              jadd(o, "signature_weak", json_object_new_boolean(c->signature_weak), false) &&
              jadd(o, "chain", jstr(chain_name(c->chain)), false) &&
              jadd(o, "chain_error", jstr(c->chain_error), true) &&
              jadd(o, "chain_missing_issuer", jstr(c->chain_missing), true) &&
              jadd(o, "serial", jstr(c->serial), false) &&
              jadd(o, "serial_registry", jstr(c->serial_registry), false) &&
              jadd(o, "thumbprint", jstr(c->thumbprint), false);

    return built(o, ok);
}

static json_object *
json_certs(const sa_cert_report *r)
{
    json_object *a = json_object_new_array();
    bool ok = a != NULL;

    for (size_t i = 0; ok && i < r->certs->n; i++)
        ok = jappend(a, json_cert(r, &r->certs->items[i]));
    return built(a, ok);
}

int
sa_cert_report_json(const sa_cert_report *r, FILE *out)
{
    json_object *root = json_object_new_object();
    char now[32];
    bool ok =
        root != NULL && jadd(root, "schema_version", json_object_new_int(1), false) &&
        jadd(root, "tool", json_tool(), false) && jadd(root, "command", jstr("cert"), false) &&
        jadd(root, "read_from", jstr(r->from_directory ? "directory" : "files"), false) &&
        jadd(root, "checked_at", jstr(iso_time(r->now, now, sizeof(now))), false) &&
        jadd(root, "expiry_warning_days", json_object_new_int(r->expiry_days), false) &&
        jadd(root, "trust_anchors", jstr(r->trust), false) &&
        jadd(root, "complete", json_object_new_boolean(r->unread->n == 0), false) &&
        jadd(root, "not_read", json_strv(r->unread), false) &&
        jadd(root, "exit_status", json_object_new_int(r->exit_status), false) &&
        jadd(root, "duration_seconds", json_object_new_double(r->seconds), false) &&
        jadd(root, "certificates", json_certs(r), false) &&
        jadd(root, "findings", json_findings(r->findings, NULL, false), false) &&
        (r->templates == NULL || jadd(root, "templates", json_templates(r->templates, r->findings), false));
    int ret = -1;

    if (!ok) {
        errno = ENOMEM;
        goto cleanup;
    }
    ret = write_json(root, out);
cleanup:
    json_object_put(root);
    return ret;
}
