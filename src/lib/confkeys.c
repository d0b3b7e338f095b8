/* confkeys.c - the sections and keys of spnaudit.conf(5), and what to say
 * about a name that is none of them (groupconf.c's handler reads them). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/confkeys.h"
#include "spnaudit/nearest.h"

#define SEE " (see spnaudit.conf(5))"

static const char *const sections[] = {"domain", "management_group", "kerberos", "audit", "plan"};
#define N_SECTIONS (sizeof(sections) / sizeof(sections[0]))

/* Each key under the index of its section. */
static const struct {
    size_t section;
    const char *key;
} keys[] = {
    {0, "name"},
    {0, "servers"},
    {0, "uri"},
    {0, "tls"},
    {0, "ca_file"},
    {0, "bind_user"},
    {0, "password_file"},
    {1, "management_servers"},
    {1, "gateways"},
    {1, "health_service"},
    {1, "sdk_service"},
    {2, "keytab"},
    {2, "principal"},
    {2, "jobs"},
    {2, "kdc_timeout"},
    {3, "page_size"},
    {3, "timeout"},
    {3, "connect_timeout"},
    {3, "reachability"},
    {3, "tickets"},
    {3, "service_classes"},
    {4, "agent_domains"},
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

/* The index of section, or N_SECTIONS. */
static size_t
section_index(const char *section)
{
    size_t i = 0;

    while (i < N_SECTIONS && strcasecmp(sections[i], section) != 0)
        i++;
    return i;
}

/* The key named name, in section s (N_SECTIONS: in any), or -1. */
static long
key_index(const char *name, size_t s)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        if ((s == N_SECTIONS || keys[i].section == s) && strcasecmp(keys[i].key, name) == 0)
            return (long)i;
    }
    return -1;
}

/* The key nearest name, in section s (N_SECTIONS: in any), or -1. */
static long
nearest_key(const char *name, size_t s)
{
    const char *names[N_KEYS];
    const char *near;

    for (size_t i = 0; i < N_KEYS; i++)
        names[i] = s == N_SECTIONS || keys[i].section == s ? keys[i].key : NULL;
    near = sa_nearest(name, names, N_KEYS);
    for (size_t i = 0; near != NULL && i < N_KEYS; i++) {
        if (names[i] == near)
            return (long)i;
    }
    return -1;
}

void
sa_conf_unknown_key(const char *section, const char *name, char *buf, size_t size)
{
    size_t s = section_index(section);
    long k = key_index(name, N_SECTIONS), near;
    const char *near_section;

    if (*section == '\0' && k >= 0)
        snprintf(buf, size, "\"%s\" is outside any section: it belongs under [%s]" SEE, name,
                 sections[keys[k].section]);
    else if (*section == '\0')
        snprintf(buf, size, "\"%s\" is outside any section, and no section has such a key" SEE, name);
    else if (s == N_SECTIONS && (near_section = sa_nearest(section, sections, N_SECTIONS)) != NULL)
        snprintf(buf, size, "unknown section [%s]: did you mean [%s]?" SEE, section, near_section);
    else if (s == N_SECTIONS)
        snprintf(buf, size,
                 "unknown section [%s]: the sections are [domain], [management_group], [kerberos], "
                 "[audit] and [plan]" SEE,
                 section);
    else if (k >= 0)
        snprintf(buf, size, "\"%s\" belongs under [%s], not [%s]" SEE, name, sections[keys[k].section],
                 sections[s]);
    else if ((near = nearest_key(name, s)) >= 0)
        snprintf(buf, size, "unknown key \"%s\" in section [%s]: did you mean \"%s\"?" SEE, name, section,
                 keys[near].key);
    else
        snprintf(buf, size, "unknown key \"%s\" in section [%s]" SEE, name, section);
}

const char *
sa_conf_section_hint(const char *line, size_t len, char *buf, size_t size)
{
    char word[64];
    size_t i = 0, n = 0;
    const char *near;

    buf[0] = '\0';
    while (i < len && isspace((unsigned char)line[i]))
        i++;
    if (i == len || line[i++] != '[')
        return buf;
    while (i < len && isspace((unsigned char)line[i]))
        i++;
    while (i < len && n + 1 < sizeof(word) && (isalnum((unsigned char)line[i]) || line[i] == '_'))
        word[n++] = line[i++];
    word[n] = '\0';
    if (section_index(word) < N_SECTIONS)
        snprintf(buf, size, ": write [%s]", sections[section_index(word)]);
    else if (n > 0 && (near = sa_nearest(word, sections, N_SECTIONS)) != NULL)
        snprintf(buf, size, ": write [%s]", near);
    return buf;
}
