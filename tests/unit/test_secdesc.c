/* Unit tests: may SELF write its SPN, and may the agents of a trusted
 * domain authenticate to a server ("Allowed to Authenticate"), from
 * hand-built security descriptors. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "spnaudit/secdesc.h"

/* f3a64788-5306-11d1-a9c5-0000f80367c1 as stored */
static const unsigned char SPN_GUID[16] = {0x88, 0x47, 0xa6, 0xf3, 0x06, 0x53, 0xd1, 0x11,
                                           0xa9, 0xc5, 0x00, 0x00, 0xf8, 0x03, 0x67, 0xc1};
/* some other property GUID */
static const unsigned char OTHER_GUID[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const unsigned char SELF[] = {1, 1, 0, 0, 0, 0, 0, 5, 10, 0, 0, 0};
static const unsigned char EVERYONE[] = {1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
static const unsigned char AUTH_USERS[] = {1, 1, 0, 0, 0, 0, 0, 5, 11, 0, 0, 0};
static const unsigned char ADMINS[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0};
static const unsigned char OWN[] = {1, 4, 0, 0, 0, 0, 0, 5, 21,   0,    0, 0,
                                    1, 0, 0, 0, 2, 0, 0, 0, 0x51, 0x04, 0, 0};

typedef struct sd_builder {
    unsigned char buf[1024];
    size_t len;
    size_t acl_at;
    unsigned aces;
} sd_builder;

static void
put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void
sd_begin(sd_builder *b)
{
    memset(b, 0, sizeof(*b));
    b->buf[0] = 1;             /* revision */
    put16(b->buf + 2, 0x8004); /* self-relative, DACL present */
    put32(b->buf + 16, 20);    /* DACL offset */
    b->acl_at = 20;
    b->buf[20] = 4; /* ACL revision (DS) */
    b->len = 28;
}

/* type 0/1 plain, 5/6 object; guid NULL for none */
static void
ace(sd_builder *b, unsigned char type, unsigned char flags, uint32_t mask, const unsigned char *guid,
    const unsigned char *sid, size_t sid_len)
{
    unsigned char *p = b->buf + b->len;
    size_t n = 8;

    p[0] = type;
    p[1] = flags;
    put32(p + 4, mask);
    if (type == 5 || type == 6) {
        put32(p + 8, guid ? 1 : 0);
        n = 12;
        if (guid) {
            memcpy(p + n, guid, 16);
            n += 16;
        }
    }
    memcpy(p + n, sid, sid_len);
    n += sid_len;
    put16(p + 2, (unsigned)n);
    b->len += n;
    b->aces++;
}

static void
sd_end(sd_builder *b)
{
    put16(b->buf + b->acl_at + 2, (unsigned)(b->len - b->acl_at));
    put16(b->buf + b->acl_at + 4, b->aces);
}

static sa_spn_write
check(sd_builder *b, char *why)
{
    sd_end(b);
    return sa_sd_self_spn_write(b->buf, b->len, OWN, sizeof(OWN), why, 256);
}

START_TEST(default_computer_acl_allows)
{
    sd_builder b;
    char why[256];

    sd_begin(&b);
    ace(&b, 0, 0, 0x000F01FF, NULL, ADMINS, sizeof(ADMINS)); /* full control, admins */
    ace(&b, 5, 0, 0x20, OTHER_GUID, SELF, sizeof(SELF));     /* SELF: write another property */
    ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));       /* SELF: validated write SPN */
    ck_assert_int_eq(check(&b, why), SA_SPN_WRITE_ALLOWED);
    ck_assert_ptr_nonnull(strstr(why, "ACE 3 allows SELF the validated write"));
}
END_TEST

START_TEST(deny_before_allow_denies)
{
    sd_builder b;
    char why[256];

    sd_begin(&b);
    ace(&b, 6, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
    ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
    ck_assert_int_eq(check(&b, why), SA_SPN_WRITE_DENIED);
    ck_assert_ptr_nonnull(strstr(why, "ACE 1 denies SELF"));
}
END_TEST

START_TEST(nothing_granted)
{
    sd_builder b;
    char why[256];

    sd_begin(&b);
    ace(&b, 0, 0, 0x000F01FF, NULL, ADMINS, sizeof(ADMINS)); /* not a trustee of ours */
    ace(&b, 5, 0, 0x08, OTHER_GUID, SELF, sizeof(SELF));     /* another validated write */
    ace(&b, 0, 0, 0x00020094, NULL, SELF, sizeof(SELF));     /* read rights only */
    ck_assert_int_eq(check(&b, why), SA_SPN_WRITE_NOT_GRANTED);
    ck_assert_ptr_nonnull(strstr(why, "none of the 3 ACEs"));
}
END_TEST

START_TEST(inherit_only_is_skipped)
{
    sd_builder b;
    char why[256];

    sd_begin(&b);
    ace(&b, 6, 0x08, 0x08, SPN_GUID, SELF, sizeof(SELF)); /* applies to children only */
    ace(&b, 5, 0x10, 0x08, SPN_GUID, SELF, sizeof(SELF)); /* inherited allow */
    ck_assert_int_eq(check(&b, why), SA_SPN_WRITE_ALLOWED);
    ck_assert_ptr_nonnull(strstr(why, "ACE 2 allows SELF"));
    ck_assert_ptr_nonnull(strstr(why, "(inherited)"));
}
END_TEST

START_TEST(broad_rights_and_other_trustees_count)
{
    sd_builder b;
    char why[256];

    sd_begin(&b);
    ace(&b, 0, 0, 0x10000000, NULL, EVERYONE, sizeof(EVERYONE)); /* GENERIC_ALL to Everyone */
    ck_assert_int_eq(check(&b, why), SA_SPN_WRITE_ALLOWED);
    ck_assert_ptr_nonnull(strstr(why, "Everyone"));
    sd_begin(&b);
    ace(&b, 5, 0, 0x20, SPN_GUID, OWN, sizeof(OWN)); /* write property, own SID */
    ck_assert_int_eq(check(&b, why), SA_SPN_WRITE_ALLOWED);
    ck_assert_ptr_nonnull(strstr(why, "the account itself"));
    ck_assert_ptr_nonnull(strstr(why, "writing servicePrincipalName"));
    sd_begin(&b);
    ace(&b, 1, 0, 0x20, NULL, SELF, sizeof(SELF)); /* deny all property writes */
    ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
    ck_assert_int_eq(check(&b, why), SA_SPN_WRITE_DENIED);
    ck_assert_ptr_nonnull(strstr(why, "writing every property"));
}
END_TEST

START_TEST(no_dacl_allows)
{
    unsigned char sd[20] = {1, 0, 0x00, 0x80}; /* self-relative, no DACL */
    char why[256];

    ck_assert_int_eq(sa_sd_self_spn_write(sd, sizeof(sd), NULL, 0, why, sizeof(why)), SA_SPN_WRITE_ALLOWED);
}
END_TEST

START_TEST(malformed_is_reported_not_crashed)
{
    sd_builder b;
    char why[256];

    ck_assert_int_eq(sa_sd_self_spn_write(NULL, 0, NULL, 0, why, sizeof(why)), SA_SPN_WRITE_MALFORMED);
    sd_begin(&b);
    ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
    sd_end(&b);
    /* every truncation of a valid descriptor is malformed, never read past the end */
    for (size_t cut = 0; cut < b.len; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, b.buf, cut);
        ck_assert_int_ne(sa_sd_self_spn_write(copy, cut, NULL, 0, why, sizeof(why)), SA_SPN_WRITE_ALLOWED);
        free(copy);
    }
    /* an ACE claiming more than the ACL holds */
    put16(b.buf + 28 + 2, 500);
    ck_assert_int_eq(sa_sd_self_spn_write(b.buf, b.len, NULL, 0, why, sizeof(why)), SA_SPN_WRITE_MALFORMED);
    /* a DACL offset past the end */
    sd_begin(&b);
    put32(b.buf + 16, 5000);
    ck_assert_int_eq(sa_sd_self_spn_write(b.buf, b.len, NULL, 0, why, sizeof(why)), SA_SPN_WRITE_MALFORMED);
}
END_TEST

/* Both walks on an exact-size heap copy (so that a sanitizer sees any read
 * past the end); the SELF verdict. */
static sa_spn_write
both_walks(const unsigned char *sd, size_t len)
{
    unsigned char *copy = malloc(len ? len : 1);
    char why[256];
    sa_spn_write w;

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, sd, len);
    w = sa_sd_self_spn_write(copy, len, OWN, sizeof(OWN), why, sizeof(why));
    sa_sd_allowed_to_authenticate(copy, len, "S-1-5-21-1-2-3", why, sizeof(why));
    free(copy);
    return w;
}

START_TEST(hostile_offsets_and_lengths)
{
    static const uint32_t offsets[] = {0xffffffffu, 0xfffffff8u, 0x80000000u, 68, 61};
    sd_builder b;

    /* DACL offsets that overflow or point past the end */
    for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
        sd_begin(&b);
        ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
        sd_end(&b);
        ck_assert_uint_eq(b.len, 68);
        put32(b.buf + 16, offsets[i]);
        ck_assert_int_eq(both_walks(b.buf, b.len), SA_SPN_WRITE_MALFORMED);
    }
    /* an ACL size larger than the descriptor, or smaller than its header */
    sd_begin(&b);
    ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
    sd_end(&b);
    put16(b.buf + 22, 0xffff);
    ck_assert_int_eq(both_walks(b.buf, b.len), SA_SPN_WRITE_MALFORMED);
    put16(b.buf + 22, 4);
    ck_assert_int_eq(both_walks(b.buf, b.len), SA_SPN_WRITE_MALFORMED);
    /* the ACL says it is empty, the count says 1: the granting ACE after
     * the ACL is not read */
    put16(b.buf + 22, 8);
    ck_assert_int_eq(both_walks(b.buf, b.len), SA_SPN_WRITE_MALFORMED);
    /* 65535 ACEs claimed, one there */
    sd_end(&b);
    put16(b.buf + 24, 0xffff);
    ck_assert_int_eq(both_walks(b.buf, b.len), SA_SPN_WRITE_MALFORMED);
    /* ACE sizes of 0 and 4: no endless loop, no overlap */
    for (unsigned size = 0; size < 8; size += 4) {
        sd_begin(&b);
        ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
        sd_end(&b);
        put16(b.buf + 28 + 2, size);
        ck_assert_int_eq(both_walks(b.buf, b.len), SA_SPN_WRITE_MALFORMED);
    }
    /* a SID claiming 15 and 255 sub-authorities inside a short ACE */
    sd_begin(&b);
    ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
    sd_end(&b);
    b.buf[28 + 12 + 16 + 1] = 15;
    ck_assert_int_eq(both_walks(b.buf, b.len), SA_SPN_WRITE_MALFORMED);
    b.buf[28 + 12 + 16 + 1] = 255;
    ck_assert_int_eq(both_walks(b.buf, b.len), SA_SPN_WRITE_MALFORMED);
    /* an object ACE saying both GUIDs follow, with room for one */
    sd_begin(&b);
    ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
    sd_end(&b);
    put32(b.buf + 28 + 8, 3);
    ck_assert_int_eq(both_walks(b.buf, b.len), SA_SPN_WRITE_MALFORMED);
}
END_TEST

START_TEST(random_garbage_stays_in_bounds)
{
    sd_builder b;
    uint32_t x = 12345;
    unsigned char junk[300];

    /* random bytes, and a valid descriptor with random bytes changed: any
     * verdict, but no read past the buffer (run under ASan/valgrind) */
    for (int i = 0; i < 20000; i++) {
        size_t len;
        for (size_t k = 0; k < sizeof(junk); k++) {
            x = x * 1103515245u + 12345u;
            junk[k] = (unsigned char)(x >> 16);
        }
        junk[0] = 1; /* past the revision check */
        len = junk[1] % sizeof(junk);
        both_walks(junk, len);
        sd_begin(&b);
        ace(&b, 0, 0, 0x000F01FF, NULL, ADMINS, sizeof(ADMINS));
        ace(&b, 5, 0, 0x08, SPN_GUID, SELF, sizeof(SELF));
        ace(&b, 5, 0, 0x100, SPN_GUID, EVERYONE, sizeof(EVERYONE));
        sd_end(&b);
        for (int k = 0; k < 3; k++)
            b.buf[junk[2 + k] % b.len] = junk[10 + k];
        both_walks(b.buf, b.len - junk[20] % 4);
    }
    ck_assert_int_eq(both_walks(junk, 0), SA_SPN_WRITE_MALFORMED);
}
END_TEST

/* 68b1d179-0d15-4d4f-ab71-46152e79a7bc as stored */
static const unsigned char ATA_GUID[16] = {0x79, 0xd1, 0xb1, 0x68, 0x15, 0x0d, 0x4f, 0x4d,
                                           0xab, 0x71, 0x46, 0x15, 0x2e, 0x79, 0xa7, 0xbc};
/* the agents' domain: S-1-5-21-1-2-3; its Domain Computers (515), and a
 * group of another domain (S-1-5-21-9-9-9-1105) */
#define AGENT_DOMAIN "S-1-5-21-1-2-3"
static const unsigned char AGENT_DC[] = {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0,    0,    1, 0,
                                         0, 0, 2, 0, 0, 0, 3, 0, 0,  0, 0x03, 0x02, 0, 0};
static const unsigned char OTHER_GROUP[] = {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0,    0,    9, 0,
                                            0, 0, 9, 0, 0, 0, 9, 0, 0,  0, 0x51, 0x04, 0, 0};
/* a SID of a domain whose SID starts like the agents' (S-1-5-21-1-2-33) */
static const unsigned char PREFIX_DOMAIN[] = {1, 5, 0, 0, 0, 0, 0,  5, 21, 0, 0,    0,    1, 0,
                                              0, 0, 2, 0, 0, 0, 33, 0, 0,  0, 0x03, 0x02, 0, 0};
/* Domain Admins of another domain: S-1-5-21-9-9-9-512 */
static const unsigned char OTHER_ADMINS[] = {1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 9, 0,
                                             0, 0, 9, 0, 0, 0, 9, 0, 0,  0, 0, 2, 0, 0};
static const unsigned char OTHER_ORG[] = {1, 1, 0, 0, 0, 0, 0, 5, 0xe8, 0x03, 0, 0};

static sa_auth_grant
ata(sd_builder *b, char *why)
{
    sd_end(b);
    return sa_sd_allowed_to_authenticate(b->buf, b->len, AGENT_DOMAIN, why, 256);
}

START_TEST(ata_granted_to_agents_domain_computers)
{
    sd_builder b;
    char why[256];

    sd_begin(&b);
    ace(&b, 0, 0, 0x000F01FF, NULL, ADMINS, sizeof(ADMINS));      /* full control, but not to them */
    ace(&b, 5, 0, 0x100, OTHER_GUID, AGENT_DC, sizeof(AGENT_DC)); /* another extended right */
    ace(&b, 5, 0, 0x100, ATA_GUID, AGENT_DC, sizeof(AGENT_DC));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_GRANTED);
    ck_assert_str_eq(why, "ACE 3 grants \"Allowed to Authenticate\" to S-1-5-21-1-2-3-515 (Domain Computers "
                          "of the agents' domain)");
    ck_assert_str_eq(sa_auth_grant_name(SA_AUTH_GRANTED), "granted");
}
END_TEST

START_TEST(ata_not_granted_names_the_count)
{
    sd_builder b;
    char why[256];

    sd_begin(&b);
    ace(&b, 0, 0, 0x000F01FF, NULL, ADMINS, sizeof(ADMINS));
    ace(&b, 5, 0, 0x100, ATA_GUID, PREFIX_DOMAIN, sizeof(PREFIX_DOMAIN)); /* S-1-5-21-1-2-33-515 */
    ace(&b, 5, 0, 0x20, ATA_GUID, AGENT_DC, sizeof(AGENT_DC));            /* write property: not the right */
    ace(&b, 5, 0x08, 0x100, ATA_GUID, AGENT_DC, sizeof(AGENT_DC));        /* inherit only */
    /* the prefix domain is another domain, and its Domain Computers cannot hold the agents */
    ck_assert_int_eq(ata(&b, why), SA_AUTH_NOT_GRANTED);
    /* a default computer DACL: full control for the well-known admin groups of the
     * servers' domain (RID < 1000), which do not hold the agents */
    sd_begin(&b);
    ace(&b, 0, 0, 0x000F01FF, NULL, OTHER_ADMINS, sizeof(OTHER_ADMINS));
    ace(&b, 0, 0x10, 0x10000000, NULL, OTHER_ADMINS, sizeof(OTHER_ADMINS));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_NOT_GRANTED);
    sd_begin(&b);
    ace(&b, 0, 0, 0x000F01FF, NULL, ADMINS, sizeof(ADMINS));
    ace(&b, 5, 0, 0x20, ATA_GUID, AGENT_DC, sizeof(AGENT_DC));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_NOT_GRANTED);
    ck_assert_str_eq(why, "none of the 2 ACEs grants the agents' domain \"Allowed to Authenticate\"");
}
END_TEST

START_TEST(ata_broad_grants_and_denials)
{
    sd_builder b;
    char why[256];

    /* all extended rights (no object type) to Authenticated Users */
    sd_begin(&b);
    ace(&b, 0, 0, 0x100, NULL, AUTH_USERS, sizeof(AUTH_USERS));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_GRANTED);
    ck_assert_ptr_nonnull(strstr(why, "Authenticated Users"));
    ck_assert_ptr_nonnull(strstr(why, "(all extended rights)"));
    /* full control to Everyone, inherited */
    sd_begin(&b);
    ace(&b, 0, 0x10, 0x10000000, NULL, EVERYONE, sizeof(EVERYONE));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_GRANTED);
    ck_assert_ptr_nonnull(strstr(why, "(full control) (inherited)"));
    /* Other Organization, the SID a selective trust adds */
    sd_begin(&b);
    ace(&b, 5, 0, 0x100, ATA_GUID, OTHER_ORG, sizeof(OTHER_ORG));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_GRANTED);
    ck_assert_ptr_nonnull(strstr(why, "Other Organization"));
    /* a deny before the grant wins */
    sd_begin(&b);
    ace(&b, 6, 0, 0x100, ATA_GUID, AGENT_DC, sizeof(AGENT_DC));
    ace(&b, 5, 0, 0x100, ATA_GUID, EVERYONE, sizeof(EVERYONE));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_DENIED);
    ck_assert_ptr_nonnull(strstr(why, "ACE 1 denies \"Allowed to Authenticate\" to S-1-5-21-1-2-3-515"));
    /* a grant before a deny wins (DACL order) */
    sd_begin(&b);
    ace(&b, 5, 0, 0x100, ATA_GUID, EVERYONE, sizeof(EVERYONE));
    ace(&b, 6, 0, 0x100, ATA_GUID, AGENT_DC, sizeof(AGENT_DC));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_GRANTED);
}
END_TEST

START_TEST(ata_group_of_another_domain_is_unverified)
{
    sd_builder b;
    char why[256];

    sd_begin(&b);
    ace(&b, 5, 0, 0x100, ATA_GUID, OTHER_GROUP, sizeof(OTHER_GROUP));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_UNVERIFIED);
    ck_assert_ptr_nonnull(
        strstr(why, "ACE 1 grants \"Allowed to Authenticate\" only to S-1-5-21-9-9-9-1105"));
    /* the agents' domain unknown: its own SIDs cannot be told from others */
    sd_begin(&b);
    ace(&b, 5, 0, 0x100, ATA_GUID, AGENT_DC, sizeof(AGENT_DC));
    sd_end(&b);
    ck_assert_int_eq(sa_sd_allowed_to_authenticate(b.buf, b.len, NULL, why, sizeof(why)), SA_AUTH_UNVERIFIED);
    /* a later definite grant wins over the unverified one */
    sd_begin(&b);
    ace(&b, 5, 0, 0x100, ATA_GUID, OTHER_GROUP, sizeof(OTHER_GROUP));
    ace(&b, 5, 0, 0x100, ATA_GUID, AGENT_DC, sizeof(AGENT_DC));
    ck_assert_int_eq(ata(&b, why), SA_AUTH_GRANTED);
}
END_TEST

START_TEST(ata_malformed_and_no_dacl)
{
    unsigned char sd[20] = {1, 0, 0x00, 0x80};
    sd_builder b;
    char why[256];

    ck_assert_int_eq(sa_sd_allowed_to_authenticate(sd, sizeof(sd), AGENT_DOMAIN, why, sizeof(why)),
                     SA_AUTH_GRANTED);
    ck_assert_int_eq(sa_sd_allowed_to_authenticate(NULL, 0, AGENT_DOMAIN, why, sizeof(why)),
                     SA_AUTH_MALFORMED);
    sd_begin(&b);
    ace(&b, 5, 0, 0x100, ATA_GUID, AGENT_DC, sizeof(AGENT_DC));
    sd_end(&b);
    for (size_t cut = 0; cut < b.len; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);
        memcpy(copy, b.buf, cut);
        ck_assert_int_ne(sa_sd_allowed_to_authenticate(copy, cut, AGENT_DOMAIN, why, sizeof(why)),
                         SA_AUTH_GRANTED);
        free(copy);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("secdesc");
    TCase *tc = tcase_create("self-spn-write");

    tcase_add_test(tc, default_computer_acl_allows);
    tcase_add_test(tc, deny_before_allow_denies);
    tcase_add_test(tc, nothing_granted);
    tcase_add_test(tc, inherit_only_is_skipped);
    tcase_add_test(tc, broad_rights_and_other_trustees_count);
    tcase_add_test(tc, no_dacl_allows);
    tcase_add_test(tc, malformed_is_reported_not_crashed);
    tcase_add_test(tc, hostile_offsets_and_lengths);
    tcase_add_test(tc, random_garbage_stays_in_bounds);
    suite_add_tcase(s, tc);
    tc = tcase_create("allowed-to-authenticate");
    tcase_add_test(tc, ata_granted_to_agents_domain_computers);
    tcase_add_test(tc, ata_not_granted_names_the_count);
    tcase_add_test(tc, ata_broad_grants_and_denials);
    tcase_add_test(tc, ata_group_of_another_domain_is_unverified);
    tcase_add_test(tc, ata_malformed_and_no_dacl);
    suite_add_tcase(s, tc);
    return check_run(s);
}
