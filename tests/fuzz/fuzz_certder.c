/* fuzz_certder.c - libFuzzer harness for a certificate as the directory
 * serves it (a userCertificate value: anyone who controls a computer
 * account writes it): any bytes are read as one DER certificate or
 * refused with a reason, never read past; a certificate read has every
 * field its report needs, its registry serial the byte reversal of its
 * serial, its checks give findings with a code and a message, and both
 * reports are written; abort() otherwise.  Run as
 *   build-fuzz/tests/fuzz/fuzz_certder -max_total_time=300 NEWDIR tests/fuzz/corpus/certder */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spnaudit/cert.h"
#include "spnaudit/report_cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
broken(const char *what, const char *detail)
{
    fprintf(stderr, "certificate reader invariant broken: %s (%s)\n", what, detail ? detail : "");
    abort();
}

/* Is reg the serial's bytes (hex pairs) in reverse order? */
static bool
reversed(const char *serial, const char *reg)
{
    size_t n = strlen(serial);

    if (n != strlen(reg) || n % 2 != 0)
        return false;
    for (size_t i = 0; i < n; i += 2) {
        if (serial[i] != reg[n - 2 - i] || serial[i + 1] != reg[n - 1 - i])
            return false;
    }
    return true;
}

static void
check_cert(const sa_cert *c)
{
    if (c->source == NULL || c->subject == NULL || c->issuer == NULL || c->serial == NULL ||
        c->serial_registry == NULL || c->thumbprint == NULL || c->host == NULL)
        broken("a field of the report missing", c->source);
    if (strcmp(c->host, "ms01.contoso.test") != 0 || !c->host_given)
        broken("the host asked for not kept", c->host);
    if (!reversed(c->serial, c->serial_registry))
        broken("the registry serial is not the serial reversed", c->serial_registry);
    if (strlen(c->thumbprint) != 40)
        broken("a SHA-1 thumbprint not of 40 hex digits", c->thumbprint);
    if (c->key != SA_CERT_KEY_NOT_IN_FILE || c->pkcs12)
        broken("a DER value said to hold a key or PKCS#12 attributes", c->source);
    if (c->chain == SA_CERT_CHAIN_NOT_CHECKED || (c->chain == SA_CERT_CHAIN_FAILED && c->chain_error == NULL))
        broken("the chain not checked, or its failure not said", c->source);
}

static void
write_reports(const sa_certs *certs, const sa_findings *findings)
{
    static FILE *null;
    sa_strv unread = {NULL, 0, 0};
    sa_cert_report r = {certs, findings, &unread, "fuzz", 1764633600, 30, 0.0, 0, 80, SA_SHELL_CMD, true};

    if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
        abort();
    if (sa_cert_report_text(&r, null) != 0 || sa_cert_report_json(&r, null) != 0 ||
        sa_cert_report_nagios(&r, null) != 0 || sa_cert_report_prometheus(&r, null) != 0)
        broken("a report not written", NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sa_cert_store *store;
    unsigned char *der = malloc(size ? size : 1);
    sa_error err = {SA_OK, ""};
    sa_certs certs = {NULL, 0, 0};
    sa_findings findings;
    sa_cert_request req = {"userCertificate of CN=fuzz", NULL, "ms01.contoso.test", NULL};
    sa_status st;

    memset(&findings, 0, sizeof(findings));
    if (der == NULL || (store == NULL && sa_cert_store_open(NULL, &store, &err) != SA_OK))
        abort();
    req.store = store;
    memcpy(der, data, size); /* exactly size bytes: a read past them is caught */
    st = sa_cert_read_der(&req, der, size, &certs, &err);
    if (st != SA_OK && (certs.n != 0 || err.message[0] == '\0'))
        broken("a refused value left certificates or no reason", err.message);
    if (st == SA_OK && certs.n != 1)
        broken("one DER value read as other than one certificate", NULL);
    for (size_t i = 0; i < certs.n; i++) {
        check_cert(&certs.items[i]);
        if (!sa_cert_check(&certs.items[i], 1764633600, 30, &findings))
            abort();
    }
    for (size_t i = 0; i < findings.n; i++) {
        if (findings.items[i].code == NULL || findings.items[i].message == NULL ||
            findings.items[i].message[0] == '\0')
            broken("a finding without its code or message", findings.items[i].code);
    }
    write_reports(&certs, &findings);
    sa_findings_clear(&findings);
    sa_certs_clear(&certs);
    free(der);
    return 0;
}
