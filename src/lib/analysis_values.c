/* analysis_values.c - the rule on the values themselves: an SCOM SPN or a
 * dNSHostName with a character no host name holds (control, shell,
 * invisible, look-alike, invalid UTF-8; suspicious.h) is reported on its
 * own, and one that folds to a management server's name as a look-alike
 * of it.  A look-alike gets no other verdict and counts as no server's
 * SPN; no value reported here gets a command that changes it: a person
 * must look at it first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis_internal.h"
#include "spnaudit/fixline.h"
#include "spnaudit/suspicious.h"

/* The SCOM class a folded SPN has (MSOMHSvc, MSOMSdkSvc), or NULL; *host
 * points at its host in folded, *host_len its length. */
static const char *
scom_class(const char *folded, const char **host, size_t *host_len)
{
    static const char *const classes[] = {SA_CLASS_HEALTH, SA_CLASS_SDK};

    for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
        size_t n = strlen(classes[i]);
        if (strncasecmp(folded, classes[i], n) == 0 && folded[n] == '/') {
            *host = folded + n + 1;
            *host_len = strcspn(*host, ":/");
            return classes[i];
        }
    }
    return NULL;
}

/* The expected server whose FQDN or NetBIOS name the folded host (len
 * bytes) is, or NULL. */
static const sa_server *
lookalike_of(const ctx *c, const char *host, size_t len)
{
    for (size_t i = 0; i < c->in->n_servers; i++) {
        const sa_server *s = &c->in->servers[i];
        if ((strlen(s->fqdn) == len && strncasecmp(s->fqdn, host, len) == 0) ||
            (strlen(s->netbios) == len && strncasecmp(s->netbios, host, len) == 0))
            return s;
    }
    return NULL;
}

bool
an_spn_lookalike(const ctx *c, const char *spn, bool *yes)
{
    sa_suspicion why;
    char *folded = NULL;
    const char *host;
    size_t len;

    *yes = false;
    if (!sa_value_suspicious(spn, SA_VALUE_SPN, &why))
        return true;
    if ((folded = sa_value_fold(spn)) == NULL)
        return false;
    *yes = scom_class(folded, &host, &len) != NULL && lookalike_of(c, host, len) != NULL;
    free(folded);
    return true;
}

/* What of server s host (len bytes) passes for: "CLASS/name, an SPN of"
 * for an SPN (cls not NULL), else "the name of". */
static char *
real_name(const sa_server *s, const char *cls, size_t len)
{
    const char *name = strlen(s->fqdn) == len ? s->fqdn : s->netbios;

    return cls != NULL ? sa_strdup_printf("%s/%s, an SPN of", cls, name) : strdup("the name of");
}

/* The classes seen in why besides the first's, as "; also: invalid
 * UTF-8, shell metacharacter" into buf (empty when none). */
static void
other_classes(const sa_suspicion *why, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int k = SA_SUSP_INVALID_UTF8; k <= SA_SUSP_NON_ASCII && len < size; k++) {
        if (k != (int)why->cls && (why->classes & (1u << k)) != 0)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", len == 0 ? "; also: " : ", ",
                                    sa_susp_class_name((sa_susp_class)k));
    }
}

/* value (attribute attr of account acct) is suspicious (why); folded is
 * what it looks like, cls its SCOM class when an SPN. */
static bool
report_value(ctx *c, size_t acct, const char *attr, const char *value, const sa_suspicion *why,
             const char *folded, const char *cls)
{
    const char *host = folded;
    size_t host_len = strlen(folded);
    const sa_server *like = NULL;
    char *who = NULL, *real = NULL, *owner = NULL, what[128], also[256];
    sa_finding *f;
    bool ok = false;

    if (cls != NULL)
        scom_class(folded, &host, &host_len);
    like = lookalike_of(c, host, host_len);
    sa_suspicion_describe(why, what, sizeof(what));
    other_classes(why, also, sizeof(also));
    TRY(who = an_display(c, acct));
    /* filed under the holder's server: a look-alike changes no verdict of the server it imitates */
    TRY(f = sa_findings_add(c->out, SA_F_SPN_VALUE_SUSPICIOUS, value,
                            an_server_name(an_server_for_account(c, acct))));
    if (like != NULL) {
        TRY(real = real_name(like, cls, host_len));
        TRY(owner = like->account >= 0 ? an_display(c, (size_t)like->account)
                                       : strdup("no computer account was found"));
        TRY(sa_finding_message(f,
                               "the %s %s of %s looks like %s %s %s (account: %s) but is another name: "
                               "Kerberos treats it as a different principal, and people reading a list "
                               "take one for the other",
                               attr, value, who, real, like->gateway ? "gateway" : "management server",
                               like->fqdn, owner));
    } else
        TRY(sa_finding_message(f,
                               "the %s %s of %s holds characters no host name holds: written by hand, by a "
                               "tool gone wrong, or to deceive",
                               attr, value, who));
    TRY(sa_finding_evidence(f, "%s on %s: first %s%s; folded it reads %s", attr,
                            c->in->accounts->items[acct].dn, what, also, folded));
    TRY(sa_fix_add(&f->fix, &(sa_fix_cmd){"setspn", {"-L", who}, 2}, 1));
    TRY(sa_finding_fix(f,
                       "the command lists the account's SPNs; change nothing before a person has looked at "
                       "this value, and at who wrote it (the object named in the evidence)"));
    ok = true;
nomem:
    free(who);
    free(real);
    free(owner);
    return ok;
}

/* One value of account acct: an SCOM SPN (spn) or its dNSHostName. */
static bool
check_value(ctx *c, size_t acct, const char *value, bool spn)
{
    sa_suspicion why;
    char *folded = NULL;
    const char *cls = NULL, *host;
    size_t len;
    bool ok = false;

    if (!sa_value_suspicious(value, spn ? SA_VALUE_SPN : SA_VALUE_HOST, &why))
        return true;
    TRY(folded = sa_value_fold(value));
    if (spn && (cls = scom_class(folded, &host, &len)) == NULL) {
        ok = true; /* not an SCOM SPN */
        goto nomem;
    }
    TRY(report_value(c, acct, spn ? "servicePrincipalName" : "dNSHostName", value, &why, folded, cls));
    ok = true;
nomem:
    free(folded);
    return ok;
}

bool
an_check_values(ctx *c)
{
    const sa_accounts *accts = c->in->accounts;

    for (size_t i = 0; i < accts->n; i++) {
        const sa_account *a = &accts->items[i];

        if (a->dns_host != NULL && !check_value(c, i, a->dns_host, false))
            return false;
        for (size_t j = 0; j < a->spns.n; j++) {
            if (!check_value(c, i, a->spns.items[j], true))
                return false;
        }
    }
    return true;
}
