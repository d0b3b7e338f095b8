/* secdesc.c - walking a DACL for the right to write one's own SPN. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "spnaudit/secdesc.h"

#define SE_DACL_PRESENT 0x0004
#define ACE_ALLOWED 0x00
#define ACE_DENIED 0x01
#define ACE_ALLOWED_OBJECT 0x05
#define ACE_DENIED_OBJECT 0x06
#define ACE_INHERIT_ONLY 0x08
#define OBJECT_TYPE_PRESENT 0x1
#define INHERITED_OBJECT_TYPE_PRESENT 0x2

#define RIGHT_DS_SELF 0x00000008u       /* validated write */
#define RIGHT_DS_WRITE_PROP 0x00000020u /* write property */
#define RIGHT_GENERIC_ALL 0x10000000u
#define RIGHT_GENERIC_WRITE 0x40000000u

/* f3a64788-5306-11d1-a9c5-0000f80367c1: the Validated-SPN right and the
 * servicePrincipalName attribute, as stored (first three fields little-endian). */
static const unsigned char spn_guid[16] = {0x88, 0x47, 0xa6, 0xf3, 0x06, 0x53, 0xd1, 0x11,
                                           0xa9, 0xc5, 0x00, 0x00, 0xf8, 0x03, 0x67, 0xc1};

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

sa_spn_write
sa_sd_self_spn_write(const unsigned char *sd, size_t len, const unsigned char *own_sid, size_t own_len,
                     char *why, size_t why_size)
{
    uint32_t dacl_off;
    uint16_t control, acl_size, count;
    size_t pos;

    if (sd == NULL || len < 20 || sd[0] != 1) {
        snprintf(why, why_size, "not a self-relative security descriptor");
        return SA_SPN_WRITE_MALFORMED;
    }
    control = le16(sd + 2);
    dacl_off = le32(sd + 16);
    if (!(control & SE_DACL_PRESENT) || dacl_off == 0) {
        snprintf(why, why_size, "no DACL: everyone may write");
        return SA_SPN_WRITE_ALLOWED;
    }
    if (dacl_off > len || len - dacl_off < 8) {
        snprintf(why, why_size, "the DACL lies outside the descriptor");
        return SA_SPN_WRITE_MALFORMED;
    }
    acl_size = le16(sd + dacl_off + 2);
    count = le16(sd + dacl_off + 4);
    if (acl_size < 8 || acl_size > len - dacl_off) {
        snprintf(why, why_size, "the DACL size is out of bounds");
        return SA_SPN_WRITE_MALFORMED;
    }
    pos = dacl_off + 8;
    for (uint16_t i = 0; i < count; i++) {
        const unsigned char *ace = sd + pos;
        size_t end = dacl_off + acl_size, body, ace_size, slen;
        uint8_t type, flags;
        uint32_t mask, oflags = 0;
        bool typed = false, matches, deny;
        const char *who;

        if (pos + 4 > end || (ace_size = le16(ace + 2)) < 8 || pos + ace_size > end) {
            snprintf(why, why_size, "ACE %u is out of bounds", (unsigned)i + 1);
            return SA_SPN_WRITE_MALFORMED;
        }
        type = ace[0];
        flags = ace[1];
        pos += ace_size;
        if (type != ACE_ALLOWED && type != ACE_DENIED && type != ACE_ALLOWED_OBJECT &&
            type != ACE_DENIED_OBJECT)
            continue; /* audit, callback...: not part of the decision here */
        if (flags & ACE_INHERIT_ONLY)
            continue;
        mask = le32(ace + 4);
        body = 8;
        if (type == ACE_ALLOWED_OBJECT || type == ACE_DENIED_OBJECT) {
            if (ace_size < 12)
                goto malformed;
            oflags = le32(ace + 8);
            body = 12;
            if (oflags & OBJECT_TYPE_PRESENT) {
                if (ace_size < body + 16)
                    goto malformed;
                typed = true;
                matches = memcmp(ace + body, spn_guid, 16) == 0;
                body += 16;
                if (!matches)
                    continue; /* another property or right */
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
        who = trustee(ace + body, slen, own_sid, own_len);
        if (who == NULL)
            continue;
        matches = (mask & (RIGHT_GENERIC_ALL | RIGHT_GENERIC_WRITE)) != 0 ||
                  (mask & (RIGHT_DS_SELF | RIGHT_DS_WRITE_PROP)) != 0;
        if (!matches)
            continue;
        deny = type == ACE_DENIED || type == ACE_DENIED_OBJECT;
        snprintf(why, why_size, "ACE %u %s %s %s%s", (unsigned)i + 1, deny ? "denies" : "allows", who,
                 typed ? (mask & RIGHT_DS_SELF ? "the validated write to servicePrincipalName"
                                               : "writing servicePrincipalName")
                       : "writing every property",
                 flags & 0x10 ? " (inherited)" : "");
        return deny ? SA_SPN_WRITE_DENIED : SA_SPN_WRITE_ALLOWED;
    }
    snprintf(why, why_size, "none of the %u ACEs grants SELF the validated write to servicePrincipalName",
             (unsigned)count);
    return SA_SPN_WRITE_NOT_GRANTED;
malformed:
    snprintf(why, why_size, "an ACE is malformed");
    return SA_SPN_WRITE_MALFORMED;
}
