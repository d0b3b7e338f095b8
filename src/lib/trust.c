/* trust.c - trusts decoded (trustedDomain objects, SIDs, crossRefs) and
 * classified: their kind, direction, transitivity and attributes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/strv.h"
#include "spnaudit/trust.h"

sa_trust *
sa_trusts_add(sa_trusts *list)
{
    sa_trust *items = sa_grow(list->items, &list->cap, list->n, sizeof(*list->items), 16);

    if (items == NULL)
        return NULL;
    list->items = items;
    memset(&list->items[list->n], 0, sizeof(list->items[0]));
    return &list->items[list->n++];
}

static void
trust_free(sa_trust *t)
{
    free(t->domain);
    free(t->partner);
    free(t->flat);
    free(t->sid);
}

void
sa_trusts_clear(sa_trusts *list)
{
    for (size_t i = 0; i < list->n; i++)
        trust_free(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

bool
sa_trusts_add_values(sa_trusts *list, const char *domain, const char *partner, const char *flat,
                     const char *sid, int type, int direction, unsigned attributes)
{
    sa_trust *t = sa_trusts_add(list);

    if (t == NULL)
        return false;
    t->domain = strdup(domain);
    t->partner = strdup(partner);
    t->flat = flat ? strdup(flat) : NULL;
    t->sid = sid ? strdup(sid) : NULL;
    t->type = type;
    t->direction = direction;
    t->attributes = attributes;
    if (t->domain == NULL || t->partner == NULL || (flat && t->flat == NULL) || (sid && t->sid == NULL)) {
        trust_free(t);
        list->n--;
        return false;
    }
    return true;
}

bool
sa_sid_to_text(const unsigned char *sid, size_t len, char *buf, size_t size)
{
    unsigned long long authority = 0;
    size_t n, used;
    int w;

    /* revision 1, count of sub-authorities, 48-bit authority (big endian),
     * then the sub-authorities (32-bit little endian) */
    if (len < 8 || sid[0] != 1 || sid[1] > 15 || len != 8 + 4 * (size_t)sid[1])
        return false;
    for (size_t i = 2; i < 8; i++)
        authority = authority << 8 | sid[i];
    w = snprintf(buf, size, "S-1-%llu", authority);
    if (w < 0 || (size_t)w >= size)
        return false;
    used = (size_t)w;
    n = sid[1];
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = sid + 8 + 4 * i;
        unsigned long v = (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
                          (unsigned long)p[3] << 24;
        w = snprintf(buf + used, size - used, "-%lu", v);
        if (w < 0 || (size_t)w >= size - used)
            return false;
        used += (size_t)w;
    }
    return true;
}

bool
sa_crossref_is_forest_domain(unsigned system_flags, const char *enabled)
{
    if ((system_flags & 0x3u) != 0x3u || (system_flags & 0x4u) != 0)
        return false;
    return enabled == NULL || strcasecmp(enabled, "FALSE") != 0;
}

/* Is name equal to, or under, parent (DNS, case-insensitive)? */
static bool
dns_under(const char *name, const char *parent)
{
    size_t n = strlen(name), p = strlen(parent);

    return n > p && name[n - p - 1] == '.' && strcasecmp(name + n - p, parent) == 0;
}

sa_trust_kind
sa_trust_classify(const sa_trust *t)
{
    switch (t->type) {
    case SA_TRUST_TYPE_DOWNLEVEL:
        return SA_TK_DOWNLEVEL;
    case SA_TRUST_TYPE_MIT:
        return SA_TK_REALM;
    case SA_TRUST_TYPE_UPLEVEL:
        if (t->attributes & SA_TRUST_WITHIN_FOREST)
            return dns_under(t->domain, t->partner) || dns_under(t->partner, t->domain) ? SA_TK_PARENT_CHILD
                                                                                        : SA_TK_TREE_ROOT;
        if (t->attributes & SA_TRUST_FOREST_TRANSITIVE)
            return SA_TK_FOREST;
        return SA_TK_EXTERNAL;
    default:
        return SA_TK_OTHER;
    }
}

const char *
sa_trust_kind_name(sa_trust_kind kind)
{
    switch (kind) {
    case SA_TK_PARENT_CHILD:
        return "parent-child";
    case SA_TK_TREE_ROOT:
        return "tree-root";
    case SA_TK_FOREST:
        return "forest";
    case SA_TK_EXTERNAL:
        return "external";
    case SA_TK_REALM:
        return "realm (MIT Kerberos)";
    case SA_TK_DOWNLEVEL:
        return "downlevel (NT4)";
    case SA_TK_OTHER:
        break;
    }
    return "other";
}

const char *
sa_trust_direction_name(int direction)
{
    switch (direction) {
    case SA_TRUST_DIR_DISABLED:
        return "disabled";
    case SA_TRUST_DIR_INBOUND:
        return "inbound";
    case SA_TRUST_DIR_OUTBOUND:
        return "outbound";
    case SA_TRUST_DIR_BOTH:
        return "two-way";
    default:
        return "unknown";
    }
}

int
sa_trust_direction_flip(int direction)
{
    if (direction == SA_TRUST_DIR_INBOUND)
        return SA_TRUST_DIR_OUTBOUND;
    if (direction == SA_TRUST_DIR_OUTBOUND)
        return SA_TRUST_DIR_INBOUND;
    return direction;
}

bool
sa_trust_transitive(const sa_trust *t)
{
    switch (sa_trust_classify(t)) {
    case SA_TK_PARENT_CHILD:
    case SA_TK_TREE_ROOT:
        return true;
    case SA_TK_FOREST:
    case SA_TK_REALM:
        return (t->attributes & SA_TRUST_NON_TRANSITIVE) == 0;
    default:
        return false;
    }
}

char *
sa_trust_attributes_text(unsigned attributes)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {SA_TRUST_NON_TRANSITIVE, "NON_TRANSITIVE"},
        {SA_TRUST_UPLEVEL_ONLY, "UPLEVEL_ONLY"},
        {SA_TRUST_QUARANTINED_DOMAIN, "QUARANTINED_DOMAIN (SID filtering)"},
        {SA_TRUST_FOREST_TRANSITIVE, "FOREST_TRANSITIVE"},
        {SA_TRUST_CROSS_ORGANIZATION, "CROSS_ORGANIZATION (selective authentication)"},
        {SA_TRUST_WITHIN_FOREST, "WITHIN_FOREST"},
        {SA_TRUST_TREAT_AS_EXTERNAL, "TREAT_AS_EXTERNAL"},
        {SA_TRUST_USES_RC4_ENCRYPTION, "USES_RC4_ENCRYPTION"},
        {SA_TRUST_USES_AES_KEYS, "USES_AES_KEYS"},
        {SA_TRUST_CROSS_ORGANIZATION_NO_TGT_DELEGATION, "CROSS_ORGANIZATION_NO_TGT_DELEGATION"},
        {SA_TRUST_PIM_TRUST, "PIM_TRUST"},
        {SA_TRUST_CROSS_ORGANIZATION_ENABLE_TGT_DELEGATION, "CROSS_ORGANIZATION_ENABLE_TGT_DELEGATION"},
    };
    char buf[512] = "";
    size_t len = 0;
    unsigned known = 0;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        known |= names[i].bit;
        if (attributes & names[i].bit)
            len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? ", " : "", names[i].name);
    }
    if (attributes & ~known)
        snprintf(buf + len, sizeof(buf) - len, "%s0x%x", len ? ", " : "", attributes & ~known);
    return strdup(attributes == 0 ? "none" : buf);
}
