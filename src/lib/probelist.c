/* probelist.c - the SPNs "spnaudit probe" is asked for, checked, each
 * once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spnaudit/finding.h"
#include "spnaudit/probelist.h"
#include "spnaudit/spn.h"

sa_status
sa_probe_list_add(sa_tickets *list, const char *text, const char *where, sa_error *err)
{
    char spn_part[SA_SPN_MAX + 256];
    const char *at = strchr(text, '@'), *why = NULL;
    sa_spn parsed;
    size_t len = at ? (size_t)(at - text) : strlen(text);

    if (len >= sizeof(spn_part))
        return sa_error_set(err, SA_ERR_USAGE, "%s: SPN too long", where);
    memcpy(spn_part, text, len);
    spn_part[len] = '\0';
    if (!sa_spn_parse(spn_part, &parsed, &why))
        return sa_error_set(err, SA_ERR_USAGE, "%s: \"%s\" is not an SPN: %s", where, text, why);
    if (at != NULL && (at[1] == '\0' || strpbrk(at + 1, "@/ \t") != NULL))
        return sa_error_set(err, SA_ERR_USAGE, "%s: \"%s\" has a malformed realm", where, text);
    for (size_t i = 0; i < list->n; i++) {
        if (strcasecmp(list->items[i].spn, text) == 0)
            return SA_OK; /* asked once */
    }
    return sa_tickets_add(list, text) != NULL ? SA_OK : sa_error_nomem(err);
}

/* line without the blanks around it, in place. */
static char *
trim(char *line)
{
    char *s = line, *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

sa_status
sa_probe_list_read(sa_tickets *list, const char *path, sa_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "r");
    char *line = NULL, where[512];
    size_t cap = 0, lineno = 0;
    sa_status ret = SA_OK;

    if (f == NULL)
        return sa_error_set(err, SA_ERR_USAGE, "cannot open %s: %s", path, strerror(errno));
    while (ret == SA_OK && getline(&line, &cap, f) >= 0) {
        char *s = trim(line);

        lineno++;
        if (*s == '\0' || *s == '#')
            continue;
        snprintf(where, sizeof(where), "%s:%zu", is_stdin ? "standard input" : path, lineno);
        ret = sa_probe_list_add(list, s, where, err);
    }
    if (ret == SA_OK && ferror(f))
        ret = sa_error_set(err, SA_ERR_USAGE, "cannot read %s: %s", path, strerror(errno));
    free(line);
    if (!is_stdin)
        fclose(f);
    return ret;
}

int
sa_probe_exit_status(const sa_tickets *list, bool complete)
{
    if (!complete)
        return SA_EXIT_INCOMPLETE;
    return sa_tickets_count_refused(list) > 0 ? SA_EXIT_FAILURE : SA_EXIT_OK;
}
