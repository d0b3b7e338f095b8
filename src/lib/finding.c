/* finding.c - findings, their default severities and OpsMgr events. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/display.h"
#include "spnaudit/finding.h"
#include "spnaudit/strv.h"

typedef struct kind_info {
    const char *code;
    const char *summary; /* what the check found, one line */
    sa_severity severity;
    int events[SA_MAX_EVENTS]; /* 0-terminated unless full */
} kind_info;

/* Indexed by sa_finding_kind. */
static const kind_info kinds[SA_F_KIND_COUNT] = {
    [SA_F_SPN_MISSING] = {"SPN_MISSING",
                          "an expected management server has no MSOMHSvc SPN",
                          SA_SEV_FAILURE,
                          {20057, 21001, 21035, 0}},
    [SA_F_SPN_FQDN_MISSING] = {"SPN_FQDN_MISSING",
                               "only the NetBIOS form of a server's MSOMHSvc SPN is registered",
                               SA_SEV_FAILURE,
                               {20057, 21001, 21035, 0}},
    [SA_F_SPN_NETBIOS_MISSING] = {"SPN_NETBIOS_MISSING",
                                  "only the FQDN form of a server's MSOMHSvc SPN is registered",
                                  SA_SEV_WARNING,
                                  {20057, 21001, 0}},
    [SA_F_SPN_DUPLICATE] = {"SPN_DUPLICATE",
                            "the same SPN is held by two or more accounts",
                            SA_SEV_FAILURE,
                            {21001, 21016, 0}},
    [SA_F_SPN_ON_USER_ACCOUNT] = {"SPN_ON_USER_ACCOUNT",
                                  "MSOMHSvc on a user account while the Health Service runs as Local System",
                                  SA_SEV_FAILURE,
                                  {20057, 21001, 0}},
    [SA_F_SPN_WRONG_COMPUTER] = {"SPN_WRONG_COMPUTER",
                                 "an SPN for one host held by another computer's account",
                                 SA_SEV_FAILURE,
                                 {20057, 21001, 0}},
    [SA_F_ACCOUNT_DISABLED] = {"ACCOUNT_DISABLED",
                               "the account holding the SPNs is disabled",
                               SA_SEV_FAILURE,
                               {20057, 21001, 0}},
    [SA_F_SERVER_ACCOUNT_NOT_FOUND] = {"SERVER_ACCOUNT_NOT_FOUND",
                                       "an expected server has no computer account",
                                       SA_SEV_FAILURE,
                                       {20057, 21001, 21035, 0}},
    [SA_F_SDK_SPN_MISSING] = {"SDK_SPN_MISSING",
                              "an expected server has no MSOMSdkSvc SPN",
                              SA_SEV_WARNING,
                              {26371, 0}},
    [SA_F_SPN_MALFORMED] = {"SPN_MALFORMED", "an SPN value that does not parse", SA_SEV_WARNING, {0}},
    [SA_F_REFERRAL_NOT_FOLLOWED] = {"REFERRAL_NOT_FOLLOWED",
                                    "the domain controller referred part of the search elsewhere",
                                    SA_SEV_INFO,
                                    {0}},
    [SA_F_CLOCK_SKEW] = {"CLOCK_SKEW",
                         "the domain controller's clock and this host's differ",
                         SA_SEV_FAILURE,
                         {20057, 21001, 0}},
    [SA_F_DNS_RESOLUTION_FAILED] = {"DNS_RESOLUTION_FAILED",
                                    "a management server's name does not resolve",
                                    SA_SEV_FAILURE,
                                    {21005, 0}},
    [SA_F_TCP_CONNECT_FAILED] = {"TCP_CONNECT_FAILED",
                                 "nothing answers on TCP 5723 of a management server",
                                 SA_SEV_WARNING,
                                 {21006, 0}},
    [SA_F_DC_UNREACHABLE] = {"DC_UNREACHABLE",
                             "a domain controller did not answer",
                             SA_SEV_WARNING,
                             {21008, 0}},
    [SA_F_SPN_STALE] = {"SPN_STALE", "an SPN names a host that has no computer account", SA_SEV_WARNING, {0}},
    [SA_F_ENCTYPES_NO_AES] = {"ENCTYPES_NO_AES",
                              "an account holding SCOM SPNs allows no AES encryption type",
                              SA_SEV_WARNING,
                              {20057, 21001, 0}},
    [SA_F_SPN_SELF_WRITE_DENIED] = {"SPN_SELF_WRITE_DENIED",
                                    "a server's computer account may not write its own SPN",
                                    SA_SEV_FAILURE,
                                    {21035, 0}},
    [SA_F_SDK_SPN_WRONG_ACCOUNT] = {"SDK_SPN_WRONG_ACCOUNT",
                                    "MSOMSdkSvc not on the SDK service's account",
                                    SA_SEV_WARNING,
                                    {26371, 0}},
    [SA_F_SPN_WRONG_ACCOUNT] = {"SPN_WRONG_ACCOUNT",
                                "MSOMHSvc not on the Health Service's domain account",
                                SA_SEV_FAILURE,
                                {20057, 21001, 0}},
    [SA_F_SPN_VALUE_SUSPICIOUS] = {"SPN_VALUE_SUSPICIOUS",
                                   "an SCOM SPN or dNSHostName with characters no host name holds, or a "
                                   "look-alike of a management server's",
                                   SA_SEV_WARNING,
                                   {0}},
    [SA_F_CERT_EKU_MISSING] = {"CERT_EKU_MISSING",
                               "a certificate's enhanced key usage lacks Server or Client Authentication",
                               SA_SEV_FAILURE,
                               {20050, 0}},
    [SA_F_CERT_KEY_MISSING] = {"CERT_KEY_MISSING",
                               "a PKCS#12 file without the certificate's private key",
                               SA_SEV_FAILURE,
                               {20068, 20077, 21036, 0}},
    [SA_F_CERT_KEY_MISMATCH] = {"CERT_KEY_MISMATCH",
                                "the private key in the file is not the certificate's",
                                SA_SEV_FAILURE,
                                {20068, 20077, 21036, 0}},
    [SA_F_CERT_KEY_CNG] = {"CERT_KEY_CNG",
                           "the key is bound to a CNG key storage provider, not a CryptoAPI CSP",
                           SA_SEV_FAILURE,
                           {20069, 0}},
    [SA_F_CERT_KEY_SPEC_SIGNATURE] = {"CERT_KEY_SPEC_SIGNATURE",
                                      "the key is for signatures only (KEY_SPEC AT_SIGNATURE)",
                                      SA_SEV_FAILURE,
                                      {20069, 0}},
    [SA_F_CERT_KEY_NOT_RSA] = {"CERT_KEY_NOT_RSA",
                               "the certificate's key is not an RSA key",
                               SA_SEV_FAILURE,
                               {20069, 0}},
    [SA_F_CERT_KEY_TOO_SMALL] = {"CERT_KEY_TOO_SMALL",
                                 "an RSA key shorter than 2048 bits",
                                 SA_SEV_FAILURE,
                                 {0}},
    [SA_F_CERT_KEY_USAGE] = {"CERT_KEY_USAGE",
                             "the key usage lacks digitalSignature or keyEncipherment",
                             SA_SEV_FAILURE,
                             {20069, 0}},
    [SA_F_CERT_SIGNATURE_WEAK] = {"CERT_SIGNATURE_WEAK",
                                  "the certificate is signed with SHA-1 or MD5",
                                  SA_SEV_WARNING,
                                  {0}},
    [SA_F_CERT_SUBJECT_CN_MISSING] = {"CERT_SUBJECT_CN_MISSING",
                                      "the certificate's subject has no common name",
                                      SA_SEV_FAILURE,
                                      {20075, 20076, 0}},
    [SA_F_CERT_NAME_MISMATCH] = {"CERT_NAME_MISMATCH",
                                 "the subject's common name is not the host's FQDN",
                                 SA_SEV_FAILURE,
                                 {21007, 0}},
    [SA_F_CERT_SAN_MISMATCH] = {"CERT_SAN_MISMATCH",
                                "the first DNS name of the subject alternative name is not the host's FQDN",
                                SA_SEV_FAILURE,
                                {21007, 0}},
    [SA_F_CERT_NOT_YET_VALID] = {"CERT_NOT_YET_VALID",
                                 "the certificate is not valid yet",
                                 SA_SEV_FAILURE,
                                 {20072, 0}},
    [SA_F_CERT_EXPIRED] = {"CERT_EXPIRED", "the certificate has expired", SA_SEV_FAILURE, {20072, 0}},
    [SA_F_CERT_EXPIRING] = {"CERT_EXPIRING", "the certificate expires soon", SA_SEV_WARNING, {20072, 0}},
    [SA_F_CERT_CHAIN_UNTRUSTED] = {"CERT_CHAIN_UNTRUSTED",
                                   "the certificate's chain does not build to a trusted root",
                                   SA_SEV_FAILURE,
                                   {20072, 0}},
    [SA_F_TEMPLATE_EKU] = {"TEMPLATE_EKU",
                           "a certificate template's EKU lacks Server or Client Authentication",
                           SA_SEV_FAILURE,
                           {20050, 0}},
    [SA_F_TEMPLATE_SUBJECT] = {"TEMPLATE_SUBJECT",
                               "a certificate template gives no host FQDN as subject CN",
                               SA_SEV_FAILURE,
                               {20075, 20076, 21007, 0}},
    [SA_F_TEMPLATE_SUBJECT_DOMAIN_ONLY] = {"TEMPLATE_SUBJECT_DOMAIN_ONLY",
                                           "a certificate template builds the subject from the directory: "
                                           "no certificates for hosts outside the forest",
                                           SA_SEV_WARNING,
                                           {21007, 0}},
    [SA_F_TEMPLATE_KSP] = {"TEMPLATE_KSP",
                           "a certificate template puts the key in a CNG key storage provider",
                           SA_SEV_FAILURE,
                           {20069, 0}},
    [SA_F_TEMPLATE_KEY_SPEC] = {"TEMPLATE_KEY_SPEC",
                                "a certificate template makes signature-only keys (AT_SIGNATURE)",
                                SA_SEV_FAILURE,
                                {20069, 0}},
    [SA_F_TEMPLATE_KEY_SIZE] = {"TEMPLATE_KEY_SIZE",
                                "a certificate template allows keys shorter than 2048 bits",
                                SA_SEV_FAILURE,
                                {0}},
    [SA_F_TEMPLATE_NOT_EXPORTABLE] = {"TEMPLATE_NOT_EXPORTABLE",
                                      "a certificate template's private keys cannot be exported",
                                      SA_SEV_WARNING,
                                      {21036, 0}},
};

const char *
sa_finding_kind_code(sa_finding_kind kind)
{
    return kind < SA_F_KIND_COUNT ? kinds[kind].code : "UNKNOWN";
}

sa_severity
sa_finding_kind_severity(sa_finding_kind kind)
{
    return kind < SA_F_KIND_COUNT ? kinds[kind].severity : SA_SEV_INFO;
}

const char *
sa_finding_kind_summary(sa_finding_kind kind)
{
    return kind < SA_F_KIND_COUNT ? kinds[kind].summary : "";
}

size_t
sa_finding_kind_events(sa_finding_kind kind, const int **events)
{
    size_t n = 0;

    *events = kind < SA_F_KIND_COUNT ? kinds[kind].events : NULL;
    while (*events != NULL && n < SA_MAX_EVENTS && (*events)[n] != 0)
        n++;
    return n;
}

const char *
sa_severity_name(sa_severity severity)
{
    switch (severity) {
    case SA_SEV_INFO:
        return "info";
    case SA_SEV_WARNING:
        return "warning";
    case SA_SEV_FAILURE:
        return "failure";
    }
    return "unknown";
}

sa_finding *
sa_findings_add_raw(sa_findings *list, const char *code, sa_severity severity, const int *events,
                    const char *subject, const char *server)
{
    sa_finding f;

    memset(&f, 0, sizeof(f));
    sa_finding *items = sa_grow(list->items, &list->cap, list->n, sizeof(*list->items), 16);

    if (items == NULL)
        return NULL;
    list->items = items;
    f.code = code;
    f.severity = severity;
    for (size_t i = 0; i < SA_MAX_EVENTS && events[i] != 0; i++)
        f.events[f.n_events++] = events[i];
    f.subject = strdup(subject);
    f.server = server ? strdup(server) : NULL;
    if (f.subject == NULL || (server != NULL && f.server == NULL)) {
        free(f.subject);
        free(f.server);
        return NULL;
    }
    list->items[list->n] = f;
    return &list->items[list->n++];
}

sa_finding *
sa_findings_add(sa_findings *list, sa_finding_kind kind, const char *subject, const char *server)
{
    if (kind >= SA_F_KIND_COUNT)
        return NULL;
    return sa_findings_add_raw(list, kinds[kind].code, kinds[kind].severity, kinds[kind].events, subject,
                               server);
}

sa_finding *
sa_findings_add_ticket(sa_findings *list, sa_krb_cause cause, const char *subject, const char *server)
{
    const sa_krb_cause_info *info = sa_krb_cause_describe(cause);

    return sa_findings_add_raw(list, info->finding_code, SA_SEV_FAILURE, info->events, subject, server);
}

static bool set_text(char **field, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static bool
set_text(char **field, const char *fmt, va_list ap)
{
    char *s = NULL;

    if (vasprintf(&s, fmt, ap) < 0)
        return false;
    free(*field);
    *field = s;
    return true;
}

static bool set_shown(char **field, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The text as the text report shows it (see sa_finding). */
static bool
set_shown(char **field, const char *fmt, va_list ap)
{
    char *s = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&s, &len);

    if (m == NULL)
        return false;
    sa_show_vprintf_glued(m, SA_SHOW_GLUE, fmt, ap);
    if (fclose(m) != 0) {
        free(s);
        return false;
    }
    free(*field);
    *field = s;
    return true;
}

#define DEFINE_SETTER(name, field, shown)                                                                    \
    bool name(sa_finding *f, const char *fmt, ...)                                                           \
    {                                                                                                        \
        va_list ap, ap2;                                                                                     \
        bool ok;                                                                                             \
        va_start(ap, fmt);                                                                                   \
        va_copy(ap2, ap);                                                                                    \
        ok = set_text(&f->field, fmt, ap) && set_shown(&f->shown, fmt, ap2);                                 \
        va_end(ap2);                                                                                         \
        va_end(ap);                                                                                          \
        return ok;                                                                                           \
    }
DEFINE_SETTER(sa_finding_message, message, message_shown)
DEFINE_SETTER(sa_finding_evidence, evidence, evidence_shown)
DEFINE_SETTER(sa_finding_fix, fix.text, fix_text_shown)

/* *field with more after it (NULL *field: more alone); false on no memory. */
static bool
append(char **field, const char *more)
{
    char *s = sa_strdup_printf("%s%s", *field ? *field : "", more);

    if (s == NULL)
        return false;
    free(*field);
    *field = s;
    return true;
}

bool
sa_finding_evidence_words(sa_finding *f, const char *words)
{
    char *shown = sa_shown_dup(words);
    bool ok = shown != NULL && append(&f->evidence, words) && append(&f->evidence_shown, shown);

    free(shown);
    return ok;
}

bool
sa_finding_evidence_more(sa_finding *f, const char *fmt, ...)
{
    char *text = NULL, *shown = NULL;
    va_list ap, ap2;
    bool ok;

    va_start(ap, fmt);
    va_copy(ap2, ap);
    ok = set_text(&text, fmt, ap) && set_shown(&shown, fmt, ap2) && append(&f->evidence, text) &&
         append(&f->evidence_shown, shown);
    va_end(ap2);
    va_end(ap);
    free(text);
    free(shown);
    return ok;
}

bool
sa_finding_fix_cmds(sa_finding *f, const sa_fix_cmd *cmds, size_t n, const char *text)
{
    char *shown = text ? sa_shown_dup(text) : NULL; /* the tool's own words: no value in them */

    if (text != NULL && shown == NULL)
        return false;
    free(f->fix_text_shown);
    f->fix_text_shown = shown;
    return sa_fix_add(&f->fix, cmds, n) && sa_fix_set_text(&f->fix, text);
}

bool
sa_findings_take_all(sa_findings *to, sa_findings *from)
{
    sa_finding *items;

    if (from->n == 0)
        return true;
    items = realloc(to->items, (to->n + from->n) * sizeof(*items));
    if (items == NULL)
        return false;
    memcpy(items + to->n, from->items, from->n * sizeof(*items));
    to->items = items;
    to->n += from->n;
    to->cap = to->n;
    free(from->items);
    memset(from, 0, sizeof(*from));
    return true;
}

void
sa_findings_clear(sa_findings *list)
{
    for (size_t i = 0; i < list->n; i++) {
        sa_finding *f = &list->items[i];
        free(f->subject);
        free(f->server);
        free(f->message);
        free(f->evidence);
        free(f->message_shown);
        free(f->evidence_shown);
        free(f->fix_text_shown);
        sa_fix_clear(&f->fix);
    }
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

static int
cmp_null_last(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return (a == NULL) - (b == NULL);
    return strcasecmp(a, b);
}

static int
cmp_finding(const void *pa, const void *pb)
{
    const sa_finding *a = pa, *b = pb;
    int c;

    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    if ((c = cmp_null_last(a->server, b->server)) != 0)
        return c;
    if ((c = strcmp(a->code, b->code)) != 0)
        return c;
    if ((c = strcasecmp(a->subject, b->subject)) != 0)
        return c;
    return cmp_null_last(a->message, b->message);
}

void
sa_findings_sort(sa_findings *list)
{
    if (list->n > 1)
        qsort(list->items, list->n, sizeof(list->items[0]), cmp_finding);
}

size_t
sa_findings_count_marked(const sa_findings *list, int severity, const char *change)
{
    size_t count = 0;

    for (size_t i = 0; list != NULL && i < list->n; i++) {
        const sa_finding *f = &list->items[i];
        count += (severity < 0 || (int)f->severity == severity) &&
                 (change == NULL || (f->change != NULL && strcmp(f->change, change) == 0));
    }
    return count;
}

size_t
sa_findings_count(const sa_findings *list, sa_severity severity)
{
    return sa_findings_count_marked(list, (int)severity, NULL);
}

const sa_finding **
sa_findings_view(const sa_findings *list, int (*cmp)(const void *, const void *))
{
    const sa_finding **v = calloc(list->n + 1, sizeof(*v));

    if (v == NULL)
        return NULL;
    for (size_t i = 0; i < list->n; i++)
        v[i] = &list->items[i];
    if (list->n > 1)
        qsort(v, list->n, sizeof(*v), cmp);
    return v;
}

int
sa_findings_exit_status_marked(const sa_findings *list, bool complete, const char *change)
{
    if (!complete)
        return SA_EXIT_INCOMPLETE;
    if (sa_findings_count_marked(list, SA_SEV_FAILURE, change) > 0)
        return SA_EXIT_FAILURE;
    if (sa_findings_count_marked(list, SA_SEV_WARNING, change) > 0)
        return SA_EXIT_WARNING;
    return SA_EXIT_OK;
}

int
sa_findings_exit_status(const sa_findings *list, bool complete)
{
    return sa_findings_exit_status_marked(list, complete, NULL);
}
