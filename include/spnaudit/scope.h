/* scope.h - what an audit covered (the domains read, the servers, the
 * service classes, tickets, reachability, and the checks that could not
 * run), which findings of one report another report's scope covers, and
 * what changed between two scopes.  Pure functions on plain data. */
#ifndef SPNAUDIT_SCOPE_H
#define SPNAUDIT_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/finding.h"
#include "spnaudit/strv.h"

typedef enum sa_scope_tickets {
    SA_SCOPE_TICKETS_NONE,    /* no ticket requested */
    SA_SCOPE_TICKETS_SERVERS, /* for the SPNs of the expected servers only */
    SA_SCOPE_TICKETS_ALL,     /* for every SPN read */
} sa_scope_tickets;

/* A check that could not run, and why.  check is the code of the findings
 * the check gives (e.g. SPN_SELF_WRITE_DENIED), so that a comparison with
 * another report knows which of its findings were not looked for. */
typedef struct sa_check_not_run {
    char *check;
    char *server; /* the server it could not run for, or NULL: for all */
    char *why;
} sa_check_not_run;

typedef struct sa_checks_not_run {
    sa_check_not_run *items;
    size_t n;
    size_t cap;
} sa_checks_not_run;

typedef struct sa_report_scope {
    bool known;              /* false: a report of an older spnaudit, which does not say */
    sa_strv domains;         /* audited: their accounts read and judged */
    sa_strv other_domains;   /* read only to find duplicate SPNs (--domain after the first) */
    bool forest;             /* the forest read through the Global Catalog (--forest) */
    sa_strv servers;         /* the expected management servers */
    sa_strv gateways;        /* the expected gateways */
    sa_strv service_classes; /* the SPN classes looked at */
    sa_scope_tickets tickets;
    bool reachability; /* the servers' names resolved and TCP 5723 tried */
    bool certificates; /* the servers' published certificates checked (audit --cert-ca-file) */
    sa_checks_not_run checks_not_run;
} sa_report_scope;

/* Append a copy (server may be NULL); false on out of memory. */
bool sa_checks_not_run_add(sa_checks_not_run *list, const char *check, const char *server, const char *why);
void sa_checks_not_run_clear(sa_checks_not_run *list);
/* For each code of checks (space-separated finding codes; "*" every
 * check of server, "TICKET_*" every code that starts with TICKET_), add the check for server (NULL: for all)
 * with why, unless the same check for the same server is there.  False on out of memory. */
bool sa_checks_not_run_note(sa_checks_not_run *list, const char *checks, const char *server, const char *why);
/* Frees what the scope owns and zeroes it (known false). */
void sa_report_scope_clear(sa_report_scope *s);

/* "none", "servers", "all"; and back (false for another word). */
const char *sa_scope_tickets_name(sa_scope_tickets t);
bool sa_scope_tickets_parse(const char *name, sa_scope_tickets *out);

/* A reason, as kept (text, for JSON) and as the text report shows it
 * (shown: escaped, the spaces of its values glued with SA_SHOW_GLUE, so
 * that a wrapped line never breaks inside a value); both malloc'd. */
typedef struct sa_why {
    char *text;
    char *shown;
} sa_why;
void sa_why_clear(sa_why *why);

/* Could an audit of scope s (complete or not) have given f, a finding of
 * a report of scope from?  why is empty (NULLs) when it could; else why
 * not, ending in when ("now", "in the baseline"), e.g.
 * "ms07.contoso.test: not audited now".  Only a scope that says what it
 * covered (known) rules findings out by server, class, tickets,
 * reachability or domain; an incomplete audit or a check that could not
 * run rules them out whatever the scope.  The rules on classes and
 * domains need from to be known too.  False on out of memory. */
bool sa_scope_covers(const sa_report_scope *s, bool complete, const sa_report_scope *from,
                     const sa_finding *f, const char *when, sa_why *why);

/* One difference between two scopes: a list (removed: in the older one
 * only, added: in the newer only) or a value (was, now: static words). */
typedef struct sa_scope_change {
    const char *what; /* servers, gateways, domains, other_domains, service_classes,
                         forest, tickets or reachability */
    sa_strv removed, added;
    const char *was, *now; /* NULL for lists */
} sa_scope_change;

typedef struct sa_scope_changes {
    sa_scope_change *items;
    size_t n;
    size_t cap;
} sa_scope_changes;

/* The differences from scope was to scope now (both known), appended to
 * out in a fixed order; names compared ignoring case.  False on out of
 * memory. */
bool sa_scope_diff(const sa_report_scope *was, const sa_report_scope *now, sa_scope_changes *out);
void sa_scope_changes_clear(sa_scope_changes *c);
/* A line for people, e.g. "servers no longer audited: ms07.contoso.test"
 * (lists: one for removed, one for added, each when not empty: part 0 and
 * 1), malloc'd; NULL for an empty part or on out of memory.  shown: as
 * the text report shows it (see sa_why). */
char *sa_scope_change_text(const sa_scope_change *c, int part, bool shown);

#endif
