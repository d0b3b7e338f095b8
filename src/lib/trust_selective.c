/* trust_selective.c - a verdict of selective authentication settled with
 * what the servers' computer objects grant the agents ("Allowed to
 * Authenticate"). */
#include <stdlib.h>
#include <string.h>

#include "spnaudit/fixline.h"
#include "spnaudit/secdesc.h"
#include "spnaudit/strv.h"
#include "spnaudit/trust.h"
#include "trust_internal.h"

#define GRANT_BIT(g) (1u << (unsigned)(g))
#define GRANT_UNREAD (1u << 8) /* the DACL was not read */

/* Append "server (why)" for each server whose result is in mask, in the
 * servers' order, to *list ("; " between them). */
static bool
list_servers(char **list, const sa_server_grant *grants, size_t n, unsigned mask)
{
    for (size_t i = 0; i < n; i++) {
        const sa_server_grant *g = &grants[i];
        char *more;
        if ((mask & (g->read ? GRANT_BIT(g->grant) : GRANT_UNREAD)) == 0)
            continue;
        more = sa_strdup_printf("%s%s%s (%s)", *list ? *list : "", *list ? "; " : "", g->server,
                                g->why ? g->why : "?");
        if (more == NULL)
            return false;
        free(*list);
        *list = more;
    }
    return true;
}

/* Append to *fix (a newline between lines) the dsacls line for cmd.exe
 * that grants the agents of domain agent_nb the right on g's computer
 * object, or why no such line can be written safely; and the command to
 * data. */
static bool
add_grant_fix(char **fix, sa_fix *data, const sa_server_grant *g, const char *agent_nb)
{
    char *grant = sa_strdup_printf("%s\\Domain Computers:CA;Allowed to Authenticate", agent_nb);
    char *line = NULL, *more = NULL;
    const char *why = NULL;
    sa_fix_cmd cmd;
    bool ok = false;

    if (grant == NULL)
        goto cleanup;
    cmd = (sa_fix_cmd){"dsacls", {g->dn ? g->dn : g->server, "/G", grant}, 3};
    if (!sa_fix_add(data, &cmd, 1))
        goto cleanup;
    line = sa_fix_line(cmd.program, cmd.args, cmd.n, SA_SHELL_CMD, &why);
    if (line == NULL && (why == NULL || (line = sa_fix_refusal(why)) == NULL))
        goto cleanup;
    more = sa_strdup_printf("%s%s%s%s", *fix ? *fix : "", *fix ? "\n" : "", line,
                            why == NULL && g->grant == SA_AUTH_DENIED ? " (and remove the ACE that denies it)"
                                                                      : "");
    if (more == NULL ||
        (g->grant == SA_AUTH_DENIED &&
         !sa_fix_set_text(data, "and remove the ACE that denies it where the right is denied")))
        goto cleanup;
    free(*fix);
    *fix = more;
    ok = true;
cleanup:
    free(grant);
    free(line);
    return ok;
}

/* The verdict becomes kind, with *why, *recommend and *fix (taken over). */
static void
settle(sa_verdict *v, sa_verdict_kind kind, char **why, char **recommend, sa_fix *fix)
{
    free(v->why);
    free(v->recommend);
    sa_fix_clear(&v->fix);
    v->why = *why;
    v->recommend = *recommend;
    v->fix = *fix;
    *why = *recommend = NULL;
    memset(fix, 0, sizeof(*fix));
    v->kind = kind;
}

sa_status
sa_verdict_apply_grants(sa_verdict *v, const char *agent, const char *agent_netbios,
                        const sa_server_grant *grants, size_t n, sa_error *err)
{
    char *missing = NULL, *granted = NULL, *uncertain = NULL, *why = NULL, *fix = NULL;
    size_t n_granted = 0, n_missing = 0;
    sa_fix data = {NULL, 0, 0, NULL};
    sa_status ret = SA_OK;
    bool ok;

    if (v->kind != SA_VERDICT_SELECTIVE || n == 0)
        return SA_OK;
    for (size_t i = 0; i < n; i++) {
        unsigned bit = grants[i].read ? GRANT_BIT(grants[i].grant) : GRANT_UNREAD;
        n_granted += bit == GRANT_BIT(SA_AUTH_GRANTED);
        n_missing += (bit & (GRANT_BIT(SA_AUTH_DENIED) | GRANT_BIT(SA_AUTH_NOT_GRANTED))) != 0;
    }
    ok = list_servers(&granted, grants, n, GRANT_BIT(SA_AUTH_GRANTED)) &&
         list_servers(&missing, grants, n, GRANT_BIT(SA_AUTH_DENIED) | GRANT_BIT(SA_AUTH_NOT_GRANTED)) &&
         list_servers(&uncertain, grants, n,
                      GRANT_BIT(SA_AUTH_UNVERIFIED) | GRANT_BIT(SA_AUTH_MALFORMED) | GRANT_UNREAD);
    if (!ok)
        goto nomem;
    if (n_missing > 0) {
        why = sa_strdup_printf("%s; the computer objects of %s do not grant the agents of %s that right, so "
                               "their mutual authentication fails there",
                               v->why, missing, agent);
        if (why == NULL)
            goto nomem;
        /* the fix: one dsacls line per server without the right */
        for (size_t i = 0; i < n; i++) {
            const sa_server_grant *g = &grants[i];
            if (!g->read || (g->grant != SA_AUTH_DENIED && g->grant != SA_AUTH_NOT_GRANTED))
                continue;
            if (!add_grant_fix(&fix, &data, g, agent_netbios ? agent_netbios : agent))
                goto nomem;
        }
        settle(v, SA_VERDICT_NOT_ALLOWED, &why, &fix, &data);
        verdict_set_events(v, OUTCOME_NOT_ALLOWED);
    } else if (n_granted == n) {
        why = sa_strdup_printf("%s; every server checked grants it: %s", v->why, granted);
        if (why == NULL || (fix = strdup("")) == NULL)
            goto nomem;
        settle(v, SA_VERDICT_KERBEROS, &why, &fix, &data);
        v->n_events = 0;
    } else {
        why = sa_strdup_printf("%s; not settled for %s%s%s", v->why, uncertain,
                               granted ? "; granted on " : "", granted ? granted : "");
        if (why == NULL)
            goto nomem;
        free(v->why);
        v->why = why;
        why = NULL;
    }
    goto cleanup;
nomem:
    ret = sa_error_nomem(err);
cleanup:
    free(missing);
    free(granted);
    free(uncertain);
    free(why);
    free(fix);
    sa_fix_clear(&data);
    return ret;
}
