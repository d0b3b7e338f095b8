/* cert_template.c - what OpsMgr needs of the certificates a template of
 * Active Directory issues, checked on what was read of the template
 * (sa_cert_template): pure functions, each problem a finding with its
 * events and fix.  An attribute that was not read gives no finding: the
 * report names the checks it left out (sa_cert_template_not_checked). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/cert_template.h"
#include "spnaudit/fixline.h"

#define RSA_MIN_BITS 2048
#define CONSOLE "in the Certificate Templates console (certtmpl.msc), open the template's Properties, "
/* What a change of the template does not do: the end of every fix. */
#define AFTERWARDS                                                                                           \
    "; certificates already issued keep what they have: have each host request a new one from the "          \
    "corrected template and import it with MOMCertImport.exe"
/* A version 1 template cannot be changed, only copied. */
#define DUPLICATE                                                                                            \
    "this version 1 template cannot be changed: in the Certificate Templates console (certtmpl.msc), "       \
    "right-click it, Duplicate Template, and in the copy's Properties, "
#define PUBLISH                                                                                              \
    "; then publish the copy on the CA (certsrv.msc, Certificate Templates, New, Certificate Template to "   \
    "Issue)"

const char *
sa_cert_template_subject(const sa_cert_template *t)
{
    return t->name != NULL ? t->name : "(no name)";
}

bool
sa_cert_template_csp_parse(const char *value, int *priority, const char **name)
{
    size_t digits = strspn(value, "0123456789");

    if (strnlen(value, SA_TEMPLATE_CSP_MAX) >= SA_TEMPLATE_CSP_MAX)
        return false;
    if (digits > 0 && digits <= 6 && value[digits] == ',') {
        *priority = atoi(value);
        *name = value + digits + 1;
    } else {
        *priority = -1;
        *name = value;
    }
    return true;
}

/* A CNG key storage provider: Microsoft's are named "... Key Storage
 * Provider", but for the TPM's. */
static bool
is_ksp(const char *name)
{
    return strcasestr(name, "Key Storage Provider") != NULL ||
           strcasecmp(name, "Microsoft Platform Crypto Provider") == 0;
}

/* A CryptoAPI CSP: Microsoft's are named "... Cryptographic Provider[ v1.0]". */
static bool
is_legacy_csp(const char *name)
{
    return strcasestr(name, "Cryptographic Provider") != NULL;
}

typedef enum provider {
    PROVIDER_LEGACY,      /* a CryptoAPI CSP: what OpsMgr needs */
    PROVIDER_KSP_NAMED,   /* a KSP listed in pKIDefaultCSPs */
    PROVIDER_KSP_DEFAULT, /* version 3 or later, no CSP listed, no legacy flag */
    PROVIDER_NO_SCHEMA,   /* none listed; the schema version not read */
    PROVIDER_NO_FLAG,     /* version 3 or later, none listed; the private key flag not read */
} provider;

/* Where t's keys go; *ksp: the KSP named (PROVIDER_KSP_NAMED). */
static provider
key_provider(const sa_cert_template *t, const char **ksp)
{
    bool legacy = false;

    for (size_t i = 0; i < t->csps.n; i++) {
        const char *name = NULL;
        int priority;
        if (!sa_cert_template_csp_parse(t->csps.items[i], &priority, &name))
            continue; /* no provider has such a name: neither kind */
        if (is_ksp(name)) {
            *ksp = name;
            return PROVIDER_KSP_NAMED;
        }
        legacy |= is_legacy_csp(name);
    }
    if (legacy)
        return PROVIDER_LEGACY;
    if (!t->schema_version_read)
        return PROVIDER_NO_SCHEMA;
    if (t->schema_version < 3)
        return PROVIDER_LEGACY; /* versions 1 and 2 know CryptoAPI CSPs only */
    if (!t->private_key_flag_read)
        return PROVIDER_NO_FLAG;
    return (t->private_key_flag & SA_CT_USE_LEGACY_PROVIDER) != 0 ? PROVIDER_LEGACY : PROVIDER_KSP_DEFAULT;
}

static bool
version1(const sa_cert_template *t)
{
    return t->schema_version_read && t->schema_version == 1;
}

/* Why no certutil line can carry t's name in some shell, or NULL. */
static const char *
name_unsafe(const sa_cert_template *t, const sa_fix_cmd *cmd)
{
    const char *why = NULL;

    for (int sh = 0; why == NULL && sh < SA_SHELL_COUNT; sh++)
        why = sa_fix_line_unsafe(cmd->program, cmd->args, cmd->n, (sa_shell)sh);
    return why;
}

/* f's fix: certutil -dstemplate NAME attr value (attr NULL: none; nor for
 * a version 1 template or one without a name), then the console's steps
 * (console: after CONSOLE's "Properties, "), then AFTERWARDS.  A name no
 * shell's quoting carries (fixline.h) gives no command in any shell but a
 * sentence that says why, and the console's steps, which need no name
 * typed. */
static bool
fix(sa_finding *f, const sa_cert_template *t, const char *attr, const char *value, const char *console)
{
    sa_fix_cmd cmd = {"certutil", {"-dstemplate", t->name, attr, value}, 4};
    bool command = attr != NULL && t->name != NULL && !version1(t);
    const char *why = command ? name_unsafe(t, &cmd) : NULL;
    char *text = NULL;
    bool ok;

    if (version1(t))
        text = sa_strdup_printf(DUPLICATE "%s" PUBLISH AFTERWARDS, console);
    else if (why != NULL)
        text = sa_strdup_printf("no certutil command (the template's name %s); " CONSOLE "%s" AFTERWARDS, why,
                                console);
    else
        text = sa_strdup_printf("%s" CONSOLE "%s" AFTERWARDS, command ? "or " : "", console);
    ok = text != NULL && sa_finding_fix_cmds(f, &cmd, command && why == NULL ? 1 : 0, text);
    free(text);
    return ok;
}

static bool
has_oid(const sa_strv *ekus, const char *oid)
{
    for (size_t i = 0; i < ekus->n; i++) {
        if (strcmp(ekus->items[i], oid) == 0)
            return true;
    }
    return false;
}

/* The values of v, ", " between them, into f's evidence after head. */
static bool
evidence_list(sa_finding *f, const char *head, const sa_strv *v)
{
    bool ok = sa_finding_evidence_words(f, head);

    for (size_t i = 0; ok && i < v->n; i++)
        ok = sa_finding_evidence_more(f, "%s%s", i ? ", " : "", v->items[i]);
    return ok && (v->n > 0 || sa_finding_evidence_words(f, "(none)"));
}

#define EKU_NEEDS                                                                                            \
    ": OpsMgr needs Server Authentication (" SA_OID_SERVER_AUTH                                              \
    ") and Client Authentication (" SA_OID_CLIENT_AUTH ")"

/* The message of f, t's TEMPLATE_EKU (formats of the tool's own words
 * only: the report may wrap them anywhere). */
static bool
eku_message(sa_finding *f, const sa_cert_template *t, bool server, bool client)
{
    if (t->ekus.n == 0)
        return sa_finding_message(f, "pKIExtendedKeyUsage is empty, so the certificates get no enhanced key "
                                     "usage" EKU_NEEDS);
    if (!server && !client)
        return sa_finding_message(f, "the enhanced key usage lacks both" EKU_NEEDS);
    if (!server)
        return sa_finding_message(f, "the enhanced key usage lacks Server Authentication" EKU_NEEDS);
    return sa_finding_message(f, "the enhanced key usage lacks Client Authentication" EKU_NEEDS);
}

static bool
check_eku(const sa_cert_template *t, sa_findings *out)
{
    bool server = has_oid(&t->ekus, SA_OID_SERVER_AUTH), client = has_oid(&t->ekus, SA_OID_CLIENT_AUTH);
    sa_finding *f;

    if (server && client)
        return true;
    f = sa_findings_add(out, SA_F_TEMPLATE_EKU, sa_cert_template_subject(t), NULL);
    return f != NULL && eku_message(f, t, server, client) &&
           evidence_list(f, "pKIExtendedKeyUsage: ", &t->ekus) &&
           fix(f, t, NULL, NULL,
               "Extensions tab, Application Policies, Edit, Add: Server Authentication and Client "
               "Authentication");
}

#define CN_NEEDS ": OpsMgr needs the host's FQDN as the subject's CN"

/* The message of f, t's TEMPLATE_SUBJECT: how its subject is built. */
static bool
subject_message(sa_finding *f, uint32_t flags)
{
    if ((flags & SA_CT_SUBJECT_REQUIRE_COMMON_NAME) != 0)
        return sa_finding_message(f, "the CN is the account's common name, the computer's NetBIOS name "
                                     "rather than its FQDN" CN_NEEDS);
    if ((flags & 0x20000000u) != 0) /* CT_FLAG_SUBJECT_REQUIRE_DIRECTORY_PATH */
        return sa_finding_message(f, "the subject is the account's distinguished name, whose CN is not the "
                                     "FQDN" CN_NEEDS);
    return sa_finding_message(f, "the subject has no common name: it is neither supplied in the request nor "
                                 "built with the DNS name as CN" CN_NEEDS);
}

static bool
check_subject(const sa_cert_template *t, sa_findings *out)
{
    sa_finding *f;

    if (!t->name_flag_read || (t->name_flag & SA_CT_ENROLLEE_SUPPLIES_SUBJECT) != 0)
        return true;
    if ((t->name_flag & SA_CT_SUBJECT_REQUIRE_DNS_AS_CN) != 0) {
        f = sa_findings_add(out, SA_F_TEMPLATE_SUBJECT_DOMAIN_ONLY, sa_cert_template_subject(t), NULL);
        return f != NULL &&
               sa_finding_message(f, "the CN is the requesting computer's DNS name from the directory: "
                                     "only computers of the CA's forest get certificates from this "
                                     "template; gateways and agents outside it (workgroup, DMZ, other "
                                     "forests) need one whose subject is supplied in the request") &&
               sa_finding_evidence(f, "msPKI-Certificate-Name-Flag 0x%08x", t->name_flag) &&
               sa_finding_fix_cmds(
                   f, NULL, 0,
                   "for the hosts outside the forest, duplicate the template (certtmpl.msc, right-click, "
                   "Duplicate Template) and on the copy's Subject Name tab choose Supply in the request; "
                   "anyone who may enroll could then name any host: give Enroll on its Security tab only "
                   "to the OpsMgr administrators, or require CA certificate manager approval on its "
                   "Issuance Requirements tab");
    }
    f = sa_findings_add(out, SA_F_TEMPLATE_SUBJECT, sa_cert_template_subject(t), NULL);
    return f != NULL && subject_message(f, t->name_flag) &&
           sa_finding_evidence(f, "msPKI-Certificate-Name-Flag 0x%08x", t->name_flag) &&
           fix(f, t, NULL, NULL,
               "Subject Name tab: Supply in the request (every host, gateways and hosts outside the "
               "forest too; anyone who may enroll could then name any host: give Enroll on the Security "
               "tab only to the OpsMgr administrators, or require CA certificate manager approval on the "
               "Issuance Requirements tab), or Build from this Active Directory information with Subject "
               "name format DNS name (computers of the CA's forest only)");
}

#define PROVIDER_STEPS                                                                                       \
    "Cryptography tab: Provider Category Legacy Cryptographic Service Provider, Requests must use one of "   \
    "the following providers: Microsoft RSA SChannel Cryptographic Provider or Microsoft Enhanced RSA and "  \
    "AES Cryptographic Provider (a Windows Server 2003 template: Request Handling tab, CSPs)"

static bool
check_provider(const sa_cert_template *t, sa_findings *out)
{
    const char *ksp = NULL;
    provider p = key_provider(t, &ksp);
    sa_finding *f;

    if (p != PROVIDER_KSP_NAMED && p != PROVIDER_KSP_DEFAULT)
        return true;
    f = sa_findings_add(out, SA_F_TEMPLATE_KSP, sa_cert_template_subject(t), NULL);
    if (f == NULL)
        return false;
    if (p == PROVIDER_KSP_NAMED &&
        !sa_finding_message(f,
                            "the template lets requests use the CNG key storage provider %s: OpsMgr "
                            "needs the key in a legacy CryptoAPI CSP",
                            ksp))
        return false;
    if (p == PROVIDER_KSP_DEFAULT &&
        !sa_finding_message(f,
                            "a version %d template that lists no legacy CSP, without the legacy provider "
                            "flag, makes keys in a CNG key storage provider: OpsMgr needs a legacy "
                            "CryptoAPI CSP",
                            t->schema_version))
        return false;
    if (!evidence_list(f, "pKIDefaultCSPs: ", &t->csps))
        return false;
    if (t->schema_version_read && !sa_finding_evidence_more(f, "; schema version %d", t->schema_version))
        return false;
    if (t->private_key_flag_read &&
        !sa_finding_evidence_more(f, "; msPKI-Private-Key-Flag 0x%08x", t->private_key_flag))
        return false;
    return fix(f, t, NULL, NULL, PROVIDER_STEPS);
}

static bool
check_key_spec(const sa_cert_template *t, sa_findings *out)
{
    sa_finding *f;

    if (!t->key_spec_read || t->key_spec != 2)
        return true;
    f = sa_findings_add(out, SA_F_TEMPLATE_KEY_SPEC, sa_cert_template_subject(t), NULL);
    return f != NULL &&
           sa_finding_message(f, "the template makes keys for signatures only (pKIDefaultKeySpec 2, "
                                 "AT_SIGNATURE): OpsMgr needs key exchange keys (AT_KEYEXCHANGE, 1)") &&
           sa_finding_evidence(f, "pKIDefaultKeySpec %d", t->key_spec) &&
           fix(f, t, "pKIDefaultKeySpec", "1", "Request Handling tab, Purpose: Signature and encryption");
}

static bool
check_key_size(const sa_cert_template *t, sa_findings *out)
{
    sa_finding *f;

    if (!t->min_key_size_read || t->min_key_size >= RSA_MIN_BITS)
        return true;
    f = sa_findings_add(out, SA_F_TEMPLATE_KEY_SIZE, sa_cert_template_subject(t), NULL);
    return f != NULL &&
           sa_finding_message(f, "the template allows keys of %d bits, fewer than %d", t->min_key_size,
                              RSA_MIN_BITS) &&
           sa_finding_evidence(f, "msPKI-Minimal-Key-Size %d", t->min_key_size) &&
           fix(f, t, "msPKI-Minimal-Key-Size", "2048",
               "Cryptography tab (Request Handling on a Windows Server 2003 template), Minimum key size: "
               "2048");
}

static bool
check_exportable(const sa_cert_template *t, sa_findings *out)
{
    sa_finding *f;

    if (!t->private_key_flag_read || (t->private_key_flag & SA_CT_EXPORTABLE_KEY) != 0)
        return true;
    f = sa_findings_add(out, SA_F_TEMPLATE_NOT_EXPORTABLE, sa_cert_template_subject(t), NULL);
    return f != NULL &&
           sa_finding_message(f, "the private keys cannot be exported: a certificate requested on one "
                                 "computer for a gateway or an agent outside the domain cannot be moved, "
                                 "as a PFX with its key, to the host where MOMCertImport.exe imports it") &&
           sa_finding_evidence(f, "msPKI-Private-Key-Flag 0x%08x", t->private_key_flag) &&
           fix(f, t, "msPKI-Private-Key-Flag", "+0x00000010",
               "Request Handling tab: Allow private key to be exported");
}

bool
sa_cert_template_check(const sa_cert_template *t, sa_findings *out)
{
    return check_eku(t, out) && check_subject(t, out) && check_provider(t, out) && check_key_spec(t, out) &&
           check_key_size(t, out) && check_exportable(t, out);
}

size_t
sa_cert_template_not_checked(const sa_cert_template *t, const char *what[SA_TEMPLATE_CHECKS])
{
    const char *ksp = NULL;
    provider p = key_provider(t, &ksp);
    size_t n = 0;

    if (!t->name_flag_read)
        what[n++] = "the subject name: msPKI-Certificate-Name-Flag not read";
    if (p == PROVIDER_NO_SCHEMA)
        what[n++] = "the key provider: no CSP listed and msPKI-Template-Schema-Version not read";
    if (p == PROVIDER_NO_FLAG)
        what[n++] = "the key provider: no CSP listed and msPKI-Private-Key-Flag not read";
    if (!t->key_spec_read)
        what[n++] = "the key spec: pKIDefaultKeySpec not read";
    if (!t->min_key_size_read)
        what[n++] = "the minimum key size: msPKI-Minimal-Key-Size not read";
    if (!t->private_key_flag_read)
        what[n++] = "the key's export: msPKI-Private-Key-Flag not read";
    return n;
}

sa_template_verdict
sa_cert_template_verdict(const sa_cert_template *t, const sa_findings *findings)
{
    const char *subject = sa_cert_template_subject(t);
    const char *what[SA_TEMPLATE_CHECKS];

    for (size_t i = 0; findings != NULL && i < findings->n; i++) {
        const sa_finding *f = &findings->items[i];
        if (f->severity == SA_SEV_FAILURE && strncmp(f->code, "TEMPLATE_", 9) == 0 &&
            strcmp(f->subject, subject) == 0)
            return SA_TEMPLATE_NOT_USABLE;
    }
    return sa_cert_template_not_checked(t, what) > 0 ? SA_TEMPLATE_NOT_CHECKED : SA_TEMPLATE_USABLE;
}

bool
sa_cert_template_ok(const sa_cert_template *t, const sa_findings *findings)
{
    return sa_cert_template_verdict(t, findings) == SA_TEMPLATE_USABLE;
}

sa_cert_template *
sa_cert_templates_add(sa_cert_templates *list)
{
    sa_cert_template *items = sa_grow(list->items, &list->cap, list->n, sizeof(*list->items), 8);

    if (items == NULL)
        return NULL;
    list->items = items;
    memset(&list->items[list->n], 0, sizeof(list->items[0]));
    return &list->items[list->n++];
}

void
sa_cert_templates_clear(sa_cert_templates *list)
{
    for (size_t i = 0; i < list->n; i++) {
        sa_cert_template *t = &list->items[i];
        free(t->name);
        free(t->display_name);
        sa_strv_clear(&t->ekus);
        sa_strv_clear(&t->csps);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}
