/* events.h - the OpsMgr (SCOM) Connector events this tool links findings
 * to: what each means, its usual causes, and which checks of this tool
 * can show it. */
#ifndef SPNAUDIT_EVENTS_H
#define SPNAUDIT_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/error.h"
#include "spnaudit/finding.h"

#define SA_EVENT_MAX_CAUSES 4

typedef struct sa_event_info {
    int id;
    const char *title;                           /* one line */
    const char *meaning;                         /* what it means */
    const char *causes[SA_EVENT_MAX_CAUSES + 1]; /* the usual causes, NULL-terminated */
    const char *beyond;                          /* what to look at that no check of this tool
                                                    covers, or NULL */
} sa_event_info;

/* NULL for an id this tool does not know. */
const sa_event_info *sa_event_lookup(int id);
/* All known events, in ascending id order. */
const sa_event_info *sa_event_table(size_t *count);

/* Where a check's result shows. */
typedef enum sa_check_source {
    SA_CHECK_FINDING,  /* a finding of the audit */
    SA_CHECK_TICKET,   /* a refused service ticket, by cause (audit, probe) */
    SA_CHECK_VERDICT,  /* a trust verdict (trusts, plan) */
    SA_CHECK_CERT,     /* a finding of the certificate checks (cert) */
    SA_CHECK_TEMPLATE, /* a finding of the certificate template checks (cert_template.h) */
} sa_check_source;

typedef struct sa_event_check {
    sa_check_source source;
    const char *code;    /* the finding code, or the verdict's name */
    const char *summary; /* what the check found, one line */
} sa_event_check;

typedef struct sa_event_checks {
    sa_event_check *items;
    size_t n;
    size_t cap;
} sa_event_checks;

/* The checks whose OpsMgr events include id, appended to out: the finding
 * kinds (in finding.c's order), the ticket causes, then the trust
 * verdicts.  None for an event no check covers.  Only out of memory fails. */
sa_status sa_event_checks_for(int id, sa_event_checks *out, sa_error *err);
void sa_event_checks_clear(sa_event_checks *list);

/* One check by its code: a finding kind or a ticket cause. */
typedef struct sa_check_info {
    sa_check_source source; /* SA_CHECK_TICKET, or that of a finding kind */
    const char *code;
    const char *summary;  /* what the check found, one line */
    sa_severity severity; /* its default severity */
    const int *events;    /* the OpsMgr events it leads to, n_events of them */
    size_t n_events;
    const char *fix; /* a ticket cause's advice; NULL for a finding kind */
} sa_check_info;

/* The finding kind or ticket cause whose code is code (in any case);
 * false when there is none. */
bool sa_check_lookup(const char *code, sa_check_info *out);

/* "finding", "ticket", "verdict", "certificate", "template". */
const char *sa_check_source_name(sa_check_source source);
/* The commands that report the check ("audit"; "audit", "probe";
 * "trusts", "plan"), NULL-terminated. */
const char *const *sa_check_source_commands(sa_check_source source);

#endif
