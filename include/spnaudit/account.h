/* account.h - the directory accounts that hold the SPNs we look at. */
#ifndef SPNAUDIT_ACCOUNT_H
#define SPNAUDIT_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/strv.h"

typedef enum sa_account_kind {
    SA_ACCT_OTHER = 0,
    SA_ACCT_USER,
    SA_ACCT_COMPUTER,
    SA_ACCT_GMSA, /* msDS-GroupManagedServiceAccount */
    SA_ACCT_MSA,  /* msDS-ManagedServiceAccount */
} sa_account_kind;

#define SA_UAC_ACCOUNTDISABLE 0x2u

/* msDS-SupportedEncryptionTypes bits */
#define SA_ENC_DES_CBC_CRC 0x1u
#define SA_ENC_DES_CBC_MD5 0x2u
#define SA_ENC_RC4 0x4u
#define SA_ENC_AES128 0x8u
#define SA_ENC_AES256 0x10u

typedef struct sa_account {
    char *dn;
    char *sam;      /* sAMAccountName, or NULL */
    char *dns_host; /* dNSHostName, or NULL */
    sa_account_kind kind;
    bool has_uac;
    unsigned uac; /* userAccountControl */
    bool has_enctypes;
    unsigned enctypes; /* msDS-SupportedEncryptionTypes */
    sa_strv spns;      /* SPNs of the service classes of interest */
    char *domain;      /* its domain's name for display (NetBIOS, else DNS) when
                          it is not the audited domain; NULL: the audited one */
    char *dns_domain;  /* its domain's DNS name, NULL: the audited (home) domain */
} sa_account;

typedef struct sa_accounts {
    sa_account *items;
    size_t n;
    size_t cap;
} sa_accounts;

/* A new zeroed account at the end of the list; NULL on out of memory. */
sa_account *sa_accounts_add(sa_accounts *list);
/* Drop the last account (after a failed fill). */
void sa_accounts_drop_last(sa_accounts *list);
void sa_accounts_clear(sa_accounts *list);

/* Sort by DN and keep one account per DN (case-insensitive): the same
 * account read twice, through two domains of one forest say. */
void sa_accounts_dedupe(sa_accounts *list);

/* Index of the account with this DN (case-insensitive), or -1. */
long sa_accounts_find_dn(const sa_accounts *list, const char *dn);

/* From the values of objectClass. */
sa_account_kind sa_account_kind_from_classes(const char *const *classes, size_t n);
const char *sa_account_kind_name(sa_account_kind kind);
bool sa_account_disabled(const sa_account *a);
/* Is this a computer-type account (computer, gMSA, MSA)? */
bool sa_account_is_machine(const sa_account *a);

/* Does the account represent host (FQDN or NetBIOS name)?  Compares the
 * dNSHostName and the sAMAccountName without its '$'. */
bool sa_account_matches_host(const sa_account *a, const char *host);
/* Whether host is the account's NetBIOS name (sAMAccountName without '$')
 * under domain: the computer's name in its own AD domain, whatever its
 * dNSHostName says (a disjoint namespace). */
bool sa_account_named_in_domain(const sa_account *a, const char *host, const char *domain);

/* "CONTOSO\ms01$" (or just the sAMAccountName without a domain name),
 * into a new string; NULL on out of memory. */
char *sa_account_display(const sa_account *a, const char *netbios_domain);

/* An account as a person names it (account_name.c): "name", "name$",
 * "DOMAIN\name" or "name@domain.dns". */
typedef struct sa_account_name {
    char sam[257];    /* the sAMAccountName asked for ("name" also finds "name$") */
    char domain[256]; /* "" for any domain; a NetBIOS name, or a DNS name */
} sa_account_name;

/* Parse one of the four forms; false when a part is empty or too long,
 * or the name holds a character no sAMAccountName may ("/\[]:;|=,+*?<>@\""). */
bool sa_account_name_parse(const char *in, sa_account_name *out);
/* Is the account of this sAMAccountName, in the domain of this DNS name
 * (NULL: unknown), the one named?  Case is ignored; "name" also matches
 * "name$" (a computer); a NetBIOS domain matches the DNS name's first
 * label, a DNS domain the whole name. */
bool sa_account_name_matches(const sa_account_name *n, const char *sam, const char *dns_domain);
/* Can the domain of this DNS name hold the account named? */
bool sa_account_name_in_domain(const sa_account_name *n, const char *dns_domain);

#endif
