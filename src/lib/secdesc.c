/* secdesc.c - walking a DACL for the right to write one's own SPN. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/secdesc.h"
#include "spnaudit/trust.h"

#define SE_DACL_PRESENT 0x0004
#define ACE_ALLOWED 0x00
#define ACE_DENIED 0x01
#define ACE_ALLOWED_OBJECT 0x05
#define ACE_DENIED_OBJECT 0x06
#define ACE_INHERIT_ONLY 0x08
#define ACE_INHERITED 0x10
#define OBJECT_TYPE_PRESENT 0x1
#define INHERITED_OBJECT_TYPE_PRESENT 0x2

#define RIGHT_DS_SELF 0x00000008u           /* validated write */
#define RIGHT_DS_WRITE_PROP 0x00000020u     /* write property */
#define RIGHT_DS_CONTROL_ACCESS 0x00000100u /* extended rights */
#define RIGHT_GENERIC_ALL 0x10000000u
#define RIGHT_GENERIC_WRITE 0x40000000u

/* f3a64788-5306-11d1-a9c5-0000f80367c1: the Validated-SPN right and the
 * servicePrincipalName attribute, as stored (first three fields little-endian). */
static const unsigned char spn_guid[16] = {0x88, 0x47, 0xa6, 0xf3, 0x06, 0x53, 0xd1, 0x11,
                                           0xa9, 0xc5, 0x00, 0x00, 0xf8, 0x03, 0x67, 0xc1};

/* 68b1d179-0d15-4d4f-ab71-46152e79a7bc: the "Allowed to Authenticate"
 * control access right, as stored. */
static const unsigned char ata_guid[16] = {0x79, 0xd1, 0xb1, 0x68, 0x15, 0x0d, 0x4f, 0x4d,
                                           0xab, 0x71, 0x46, 0x15, 0x2e, 0x79, 0xa7, 0xbc};

/* S-1-5-10 SELF, S-1-1-0 Everyone, S-1-5-11 Authenticated Users */
static const unsigned char sid_self[] = {1, 1, 0, 0, 0, 0, 0, 5, 10, 0, 0, 0};
static const unsigned char sid_everyone[] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
static const unsigned char sid_auth_users[] = {1, 1, 0, 0, 0, 0, 0, 5, 11, 0, 0, 0};

static uint16_t
le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t
le32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Length of the SID at p (within avail bytes), or 0 if malformed. */
static size_t
sid_len(const unsigned char *p, size_t avail)
{
    size_t n;

    if (avail < 8 || p[0] != 1)
        return 0;
    n = 8 + 4 * (size_t)p[1];
    return p[1] <= 15 && n <= avail ? n : 0;
}

static const char *
trustee(const unsigned char *sid, size_t len, const unsigned char *own, size_t own_len)
{
    if (len == sizeof(sid_self) && memcmp(sid, sid_self, len) == 0)
        return "SELF";
    if (len == sizeof(sid_everyone) && memcmp(sid, sid_everyone, len) == 0)
        return "Everyone";
    if (len == sizeof(sid_auth_users) && memcmp(sid, sid_auth_users, len) == 0)
        return "Authenticated Users";
    if (own != NULL && len == own_len && memcmp(sid, own, len) == 0)
        return "the account itself";
    return NULL;
}

const char *
sa_spn_write_name(sa_spn_write w)
{
    switch (w) {
    case SA_SPN_WRITE_ALLOWED:
        return "allowed";
    case SA_SPN_WRITE_DENIED:
        return "denied";
    case SA_SPN_WRITE_NOT_GRANTED:
        return "not granted";
    case SA_SPN_WRITE_MALFORMED:
        return "malformed";
    }
    return "unknown";
}

/* ------------------------------------------------------------ the DACL walk */

/* One access-allowed or access-denied ACE that applies to the object
 * itself (inherit-only ones are skipped), as the walk hands it out. */
typedef struct ace_view {
    unsigned index; /* 1-based, among all the DACL's ACEs */
    bool deny;
    bool inherited;
    uint32_t mask;
    const unsigned char *object_type; /* 16 bytes, or NULL */
    const unsigned char *sid;
    size_t sid_len;
} ace_view;

typedef struct dacl_walk {
    const unsigned char *sd;
    size_t pos, end;
    unsigned count, i;
} dacl_walk;

static int dacl_next(dacl_walk *w, ace_view *a, char *why, size_t why_size);

/* 1: the walk is ready; 0: the descriptor has no DACL (everything is
 * allowed); -1: malformed, why says how. */
static int
dacl_open(dacl_walk *w, const unsigned char *sd, size_t len, char *why, size_t why_size)
{
    uint32_t dacl_off;
    uint16_t control, acl_size;
    dacl_walk check;
    ace_view a;
    int rc;

    memset(w, 0, sizeof(*w));
    if (sd == NULL || len < 20 || sd[0] != 1) {
        snprintf(why, why_size, "not a self-relative security descriptor");
        return -1;
    }
    control = le16(sd + 2);
    dacl_off = le32(sd + 16);
    if (!(control & SE_DACL_PRESENT) || dacl_off == 0)
        return 0;
    if (dacl_off > len || len - dacl_off < 8) {
        snprintf(why, why_size, "the DACL lies outside the descriptor");
        return -1;
    }
    acl_size = le16(sd + dacl_off + 2);
    if (acl_size < 8 || acl_size > len - dacl_off) {
        snprintf(why, why_size, "the DACL size is out of bounds");
        return -1;
    }
    w->sd = sd;
    w->count = le16(sd + dacl_off + 4);
    w->pos = dacl_off + 8;
    w->end = dacl_off + acl_size;
    /* every ACE is checked before any decides: a verdict never comes
     * from a DACL that is malformed further on */
    check = *w;
    while ((rc = dacl_next(&check, &a, why, why_size)) > 0)
        ;
    return rc < 0 ? -1 : 1;
}

/* The next ACE that takes part in an access decision: 1 (in *a), 0 at the
 * end, -1 malformed (why says which ACE). */
static int
dacl_next(dacl_walk *w, ace_view *a, char *why, size_t why_size)
{
    while (w->i < w->count) {
        const unsigned char *ace = w->sd + w->pos;
        size_t ace_size, body = 8, slen;
        uint8_t type, flags;
        uint32_t oflags;

        w->i++;
        if (w->pos + 4 > w->end || (ace_size = le16(ace + 2)) < 8 || w->pos + ace_size > w->end) {
            snprintf(why, why_size, "ACE %u is out of bounds", w->i);
            return -1;
        }
        type = ace[0];
        flags = ace[1];
        w->pos += ace_size;
        if (type != ACE_ALLOWED && type != ACE_DENIED && type != ACE_ALLOWED_OBJECT &&
            type != ACE_DENIED_OBJECT)
            continue; /* audit, callback...: not part of an access decision here */
        if (flags & ACE_INHERIT_ONLY)
            continue;
        memset(a, 0, sizeof(*a));
        a->index = w->i;
        a->deny = type == ACE_DENIED || type == ACE_DENIED_OBJECT;
        a->inherited = (flags & ACE_INHERITED) != 0;
        a->mask = le32(ace + 4);
        if (type == ACE_ALLOWED_OBJECT || type == ACE_DENIED_OBJECT) {
            if (ace_size < 12)
                goto malformed;
            oflags = le32(ace + 8);
            body = 12;
            if (oflags & OBJECT_TYPE_PRESENT) {
                if (ace_size < body + 16)
                    goto malformed;
                a->object_type = ace + body;
                body += 16;
            }
            if (oflags & INHERITED_OBJECT_TYPE_PRESENT) {
                if (ace_size < body + 16)
                    goto malformed;
                body += 16;
            }
        }
        slen = sid_len(ace + body, ace_size - body);
        if (slen == 0)
            goto malformed;
        a->sid = ace + body;
        a->sid_len = slen;
        return 1;
    malformed:
        snprintf(why, why_size, "ACE %u is malformed", w->i);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ SELF may write its SPN */

sa_spn_write
sa_sd_self_spn_write(const unsigned char *sd, size_t len, const unsigned char *own_sid, size_t own_len,
                     char *why, size_t why_size)
{
    dacl_walk w;
    ace_view a;
    int rc = dacl_open(&w, sd, len, why, why_size);

    if (rc == 0) {
        snprintf(why, why_size, "no DACL: everyone may write");
        return SA_SPN_WRITE_ALLOWED;
    }
    while (rc > 0 && (rc = dacl_next(&w, &a, why, why_size)) > 0) {
        bool typed = a.object_type != NULL;
        const char *who;

        if (typed && memcmp(a.object_type, spn_guid, 16) != 0)
            continue; /* another property or right */
        who = trustee(a.sid, a.sid_len, own_sid, own_len);
        if (who == NULL)
            continue;
        if ((a.mask & (RIGHT_GENERIC_ALL | RIGHT_GENERIC_WRITE | RIGHT_DS_SELF | RIGHT_DS_WRITE_PROP)) == 0)
            continue;
        snprintf(why, why_size, "ACE %u %s %s %s%s", a.index, a.deny ? "denies" : "allows", who,
                 typed ? (a.mask & RIGHT_DS_SELF ? "the validated write to servicePrincipalName"
                                                 : "writing servicePrincipalName")
                       : "writing every property",
                 a.inherited ? " (inherited)" : "");
        return a.deny ? SA_SPN_WRITE_DENIED : SA_SPN_WRITE_ALLOWED;
    }
    if (rc < 0)
        return SA_SPN_WRITE_MALFORMED;
    snprintf(why, why_size, "none of the %u ACEs grants SELF the validated write to servicePrincipalName",
             w.count);
    return SA_SPN_WRITE_NOT_GRANTED;
}

/* ------------------------------------------------------------ Allowed to Authenticate */

const char *
sa_auth_grant_name(sa_auth_grant g)
{
    switch (g) {
    case SA_AUTH_GRANTED:
        return "granted";
    case SA_AUTH_DENIED:
        return "denied";
    case SA_AUTH_NOT_GRANTED:
        return "not granted";
    case SA_AUTH_UNVERIFIED:
        return "unverified";
    case SA_AUTH_MALFORMED:
        return "malformed";
    }
    return "unknown";
}

/* What well-known relative identifiers of a domain are called. */
static const char *
rid_name(unsigned long rid)
{
    switch (rid) {
    case 512:
        return "Domain Admins";
    case 513:
        return "Domain Users";
    case 515:
        return "Domain Computers";
    case 516:
        return "Domain Controllers";
    default:
        return NULL;
    }
}

/* The trustees whose grant lets every account of a trusted forest
 * through: Everyone, Authenticated Users, and Other Organization (which a
 * selective trust puts into the tokens that cross it). */
static const char *
broad_trustee(const char *sid)
{
    if (strcmp(sid, "S-1-1-0") == 0)
        return "Everyone";
    if (strcmp(sid, "S-1-5-11") == 0)
        return "Authenticated Users";
    if (strcmp(sid, "S-1-5-1000") == 0)
        return "Other Organization";
    return NULL;
}

/* The last sub-authority of a SID as text. */
static unsigned long
rid_of(const char *sid)
{
    const char *dash = strrchr(sid, '-');

    return dash != NULL ? strtoul(dash + 1, NULL, 10) : 0;
}

/* Is sid an account or group of the domain whose SID is domain (one more
 * sub-authority)?  *rid gets that sub-authority. */
static bool
sid_in_domain(const char *sid, const char *domain, unsigned long *rid)
{
    size_t n = strlen(domain);
    char *end;

    if (domain[0] == '\0' || strncasecmp(sid, domain, n) != 0 || sid[n] != '-' || sid[n + 1] == '\0')
        return false;
    *rid = strtoul(sid + n + 1, &end, 10);
    return *end == '\0';
}

sa_auth_grant
sa_sd_allowed_to_authenticate(const unsigned char *sd, size_t len, const char *agent_domain_sid, char *why,
                              size_t why_size)
{
    dacl_walk w;
    ace_view a;
    char other[SA_SID_TEXT_MAX] = "";
    unsigned other_ace = 0;
    int rc = dacl_open(&w, sd, len, why, why_size);

    if (rc == 0) {
        snprintf(why, why_size, "no DACL: everyone may authenticate");
        return SA_AUTH_GRANTED;
    }
    while (rc > 0 && (rc = dacl_next(&w, &a, why, why_size)) > 0) {
        char sid[SA_SID_TEXT_MAX], name[SA_SID_TEXT_MAX + 64];
        const char *broad, *rn;
        unsigned long rid = 0;

        if (a.object_type != NULL && memcmp(a.object_type, ata_guid, 16) != 0)
            continue; /* another extended right or property */
        if ((a.mask & (RIGHT_GENERIC_ALL | RIGHT_DS_CONTROL_ACCESS)) == 0)
            continue;
        if (!sa_sid_to_text(a.sid, a.sid_len, sid, sizeof(sid)))
            continue;
        broad = broad_trustee(sid);
        if (broad != NULL) {
            snprintf(name, sizeof(name), "%s", broad);
        } else if (agent_domain_sid != NULL && sid_in_domain(sid, agent_domain_sid, &rid)) {
            rn = rid_name(rid);
            snprintf(name, sizeof(name), "%s (%s%sof the agents' domain)", sid, rn ? rn : "", rn ? " " : "");
        } else {
            /* a group created in another domain (e.g. a domain local group
             * of the servers' domain holding the agents as foreign
             * security principals), or an account: its members are not
             * read.  The well-known groups of a domain (RID below 1000:
             * Domain Admins, Enterprise Admins... which every default DACL
             * names) do not hold the agents of another domain; with the
             * agents' domain unknown, any domain's group may be theirs. */
            if (!a.deny && other_ace == 0 && strncmp(sid, "S-1-5-21-", 9) == 0 &&
                (agent_domain_sid == NULL || rid_of(sid) >= 1000)) {
                snprintf(other, sizeof(other), "%s", sid);
                other_ace = a.index;
            }
            continue;
        }
        snprintf(why, why_size, "ACE %u %s \"Allowed to Authenticate\" to %s%s%s", a.index,
                 a.deny ? "denies" : "grants", name,
                 a.object_type != NULL               ? ""
                 : (a.mask & RIGHT_GENERIC_ALL) != 0 ? " (full control)"
                                                     : " (all extended rights)",
                 a.inherited ? " (inherited)" : "");
        return a.deny ? SA_AUTH_DENIED : SA_AUTH_GRANTED;
    }
    if (rc < 0)
        return SA_AUTH_MALFORMED;
    if (other_ace != 0) {
        snprintf(why, why_size,
                 "ACE %u grants \"Allowed to Authenticate\" only to %s, not a group of the agents' domain: "
                 "whether the agents are among its members was not checked",
                 other_ace, other);
        return SA_AUTH_UNVERIFIED;
    }
    snprintf(why, why_size, "none of the %u ACEs grants the agents' domain \"Allowed to Authenticate\"",
             w.count);
    return SA_AUTH_NOT_GRANTED;
}
