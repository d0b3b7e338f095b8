/* krbcause.c - Kerberos error -> cause -> OpsMgr events. */
#include <krb5.h>

#include "spnaudit/krbcause.h"

static const sa_krb_cause_info causes[] = {
    {SA_KC_NONE, "TICKET_OK", "a service ticket was issued", "", {0}},
    {SA_KC_SPN_UNKNOWN,
     "TICKET_SPN_UNKNOWN",
     "the KDC knows no account holding this SPN",
     "register the SPN on the account the service runs as (setspn -S)",
     {20057, 21001, 0}},
    {SA_KC_SPN_NOT_UNIQUE,
     "TICKET_SPN_NOT_UNIQUE",
     "several accounts hold this SPN, so the KDC cannot pick one",
     "remove the SPN from every account but the one the service runs as (setspn -D)",
     {21001, 21016, 0}},
    {SA_KC_ETYPE,
     "TICKET_ETYPE_UNSUPPORTED",
     "the KDC and the account share no encryption type (or the account has no keys)",
     "give the account AES keys (reset its password; msDS-SupportedEncryptionTypes 0x18) "
     "or allow an encryption type both sides support",
     {20057, 21001, 0}},
    {SA_KC_CLOCK_SKEW,
     "TICKET_CLOCK_SKEW",
     "the clocks differ by more than the allowed skew (5 minutes by default)",
     "synchronise the clocks with the domain's time source (w32tm /resync, chrony)",
     {20057, 21001, 0}},
    {SA_KC_POLICY,
     "TICKET_POLICY_REFUSED",
     "the KDC's policy refuses this ticket (e.g. selective authentication, account restrictions)",
     "grant \"Allowed to Authenticate\" on the server's computer object, or lift the restriction",
     {21001, 0}},
    {SA_KC_NO_REALM_PATH,
     "TICKET_NO_REALM_PATH",
     "there is no usable cross-realm path to the SPN's realm",
     "create a two-way forest trust (or use certificates and a gateway)",
     {21008, 21001, 0}},
    {SA_KC_KDC_UNREACHABLE,
     "TICKET_KDC_UNREACHABLE",
     "no KDC of the realm could be contacted",
     "open TCP/UDP 88 to the domain controllers and check DNS for the realm",
     {21008, 20057, 0}},
    {SA_KC_WRONG_KEY,
     "TICKET_WRONG_KEY",
     "the ticket is encrypted with another account's key than the service's "
     "(KRB_AP_ERR_MODIFIED on the agent)",
     "register the SPN on the account the service runs as only",
     {20057, 21001, 0}},
    {SA_KC_CREDENTIALS,
     "TICKET_CREDENTIALS",
     "our own Kerberos credentials are missing, expired or refused",
     "renew the credentials (kinit) or give a keytab",
     {0}},
    {SA_KC_OTHER,
     "TICKET_FAILED",
     "the KDC refused the ticket for another reason",
     "see the Kerberos error text",
     {20057, 21001, 0}},
};

sa_krb_cause
sa_krb_classify(long code)
{
    switch (code) {
    case 0:
        return SA_KC_NONE;
    case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
    case KRB5_LNAME_NOTRANS:
        return SA_KC_SPN_UNKNOWN;
    case KRB5KDC_ERR_PRINCIPAL_NOT_UNIQUE:
        return SA_KC_SPN_NOT_UNIQUE;
    case KRB5KDC_ERR_ETYPE_NOSUPP:
    case KRB5_PROG_ETYPE_NOSUPP:
    case KRB5KDC_ERR_NULL_KEY:
        return SA_KC_ETYPE;
    case KRB5KRB_AP_ERR_SKEW:
        return SA_KC_CLOCK_SKEW;
    case KRB5KDC_ERR_POLICY:
    case KRB5KDC_ERR_BADOPTION:
    case KRB5KDC_ERR_SERVICE_REVOKED:
    case KRB5KDC_ERR_SERVICE_NOTYET:
    case KRB5KDC_ERR_SERVICE_EXP:
    case KRB5KDC_ERR_MUST_USE_USER2USER:
        return SA_KC_POLICY;
    case KRB5KDC_ERR_WRONG_REALM:
    case KRB5_REALM_UNKNOWN:
    case KRB5_KDCREP_MODIFIED:
    case KRB5_ERR_HOST_REALM_UNKNOWN:
    case KRB5_NO_TKT_IN_RLM:
        return SA_KC_NO_REALM_PATH;
    case KRB5_KDC_UNREACH:
    case KRB5_REALM_CANT_RESOLVE:
        return SA_KC_KDC_UNREACHABLE;
    case KRB5KRB_AP_ERR_MODIFIED:
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
        return SA_KC_WRONG_KEY;
    case KRB5KRB_AP_ERR_TKT_EXPIRED:
    case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
    case KRB5KDC_ERR_CLIENT_REVOKED:
    case KRB5KDC_ERR_KEY_EXP:
    case KRB5KDC_ERR_TGT_REVOKED:
    case KRB5_CC_NOTFOUND:
    case KRB5_FCC_NOFILE:
    case KRB5_CC_END:
    case KRB5_NO_TKT_SUPPLIED:
        return SA_KC_CREDENTIALS;
    default:
        return SA_KC_OTHER;
    }
}

sa_krb_cause
sa_krb_refine(sa_krb_cause cause, unsigned ldap_holders)
{
    if (cause == SA_KC_SPN_UNKNOWN && ldap_holders > 1)
        return SA_KC_SPN_NOT_UNIQUE;
    return cause;
}

const sa_krb_cause_info *
sa_krb_cause_describe(sa_krb_cause cause)
{
    for (size_t i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
        if (causes[i].cause == cause)
            return &causes[i];
    }
    return &causes[sizeof(causes) / sizeof(causes[0]) - 1];
}

bool
sa_krb_cause_is_fatal(sa_krb_cause cause)
{
    return cause == SA_KC_CREDENTIALS;
}

bool
sa_krb_cause_is_ours(sa_krb_cause cause)
{
    return cause == SA_KC_CREDENTIALS || cause == SA_KC_CLOCK_SKEW || cause == SA_KC_KDC_UNREACHABLE;
}
