/* report.h - the audit report, for people (text) and programs (JSON, CSV,
 * Prometheus, Nagios). */
#ifndef SPNAUDIT_REPORT_H
#define SPNAUDIT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "spnaudit/account.h"
#include "spnaudit/analysis.h"
#include "spnaudit/baseline.h"
#include "spnaudit/directory.h"
#include "spnaudit/discovered.h"
#include "spnaudit/events.h"
#include "spnaudit/finding.h"
#include "spnaudit/fixline.h"
#include "spnaudit/reach.h"
#include "spnaudit/scope.h"
#include "spnaudit/ticket.h"

typedef struct sa_report {
    const char *domain; /* DNS domain audited */
    const char *realm;
    const char *uri;    /* the DC asked */
    const char *bind;   /* how we were bound (sa_dir_bind_description) */
    const char *client; /* Kerberos principal used */
    const sa_accounts *accounts;
    const sa_server *servers;
    const sa_reach *reach; /* per server, or NULL */
    size_t n_servers;
    const sa_tickets *tickets; /* NULL when not requested */
    const sa_findings *findings;
    const sa_search_stats *stats;
    const sa_strv *also_read; /* other domains / forests read for duplicates, or NULL */
    /* What the audit covered and the checks that could not run; NULL:
     * not said (no "scope" in JSON, no "Scope:" in text). */
    const sa_report_scope *scope;
    const sa_domain_view *other_domains; /* the servers' domains besides home */
    size_t n_other_domains;
    bool complete;
    const char *incomplete_reason; /* when !complete */
    double seconds;
    int exit_status;
    /* With a baseline (baseline_file and comparison not NULL): each
     * finding carries its change; comparison (sa_baseline_compare) holds
     * the baseline's findings fixed and not compared, the reasons, and
     * the scope's changes. */
    const char *baseline_file;
    const char *baseline_generated; /* or NULL */
    const sa_comparison *comparison;
    double timestamp;   /* when the run ended, seconds since the epoch */
    bool color;         /* text: severity words in ANSI colours (the caller decides) */
    sa_shell fix_shell; /* text and CSV: the shell fix commands are written for */
    int width;          /* text: the columns lines are fitted to (sa_output_width); 0: 80 */
    /* With no server named: the servers the directory suggests (their
     * service connection points, MSOMSdkSvc SPNs), or NULL. */
    const sa_discovered *discovered;
} sa_report;

/* 0 on success, -1 when writing failed (errno set). */
int sa_report_text(const sa_report *r, FILE *out);
/* What the text report says when no server was named (r->n_servers 0):
 * that none could be checked for missing SPNs, and r->discovered as a
 * suggestion; for the other formats, on standard error.  0 or -1. */
int sa_report_no_servers_text(const sa_report *r, FILE *out);
int sa_report_json(const sa_report *r, FILE *out);

/* "spnaudit diff": the findings of a report (each with its change) against
 * those of an older one. */
typedef struct sa_diff_report {
    const char *old_file, *old_generated; /* generated: or NULL */
    const char *new_file, *new_generated;
    const sa_findings *findings;     /* the newer report's */
    const sa_comparison *comparison; /* the older report's fixed and not compared, the scope's changes */
    int width;                       /* of the text's lines; 0: 80 */
    sa_shell fix_shell;              /* text: the new findings' fix commands are written for it */
} sa_diff_report;

int sa_diff_report_text(const sa_diff_report *d, FILE *out);
int sa_diff_report_json(const sa_diff_report *d, FILE *out);
/* RFC 4180 CSV: a header row, then one row per finding in the report's
 * order, CRLF line ends; columns severity, code, server, subject, events
 * (space-separated IDs), message, evidence, fix, change. */
int sa_report_csv(const sa_report *r, FILE *out);
/* The Prometheus text exposition format (for node_exporter's textfile
 * collector): findings by code and severity, totals by severity, tickets,
 * duration, completeness, exit status and timestamps, each labelled with
 * the domain. */
int sa_report_prometheus(const sa_report *r, FILE *out);
/* A monitoring plugin's output: "SPNAUDIT <STATUS> - summary | perfdata",
 * then one line per finding, worst first. */
int sa_report_nagios(const sa_report *r, FILE *out);
/* The plugin status word of an exit status: OK, WARNING, CRITICAL, or
 * UNKNOWN (3 and anything else). */
const char *sa_nagios_status(int exit_status);

/* "spnaudit probe": tickets for a list of SPNs, in the order given. */
typedef struct sa_probe_report {
    const char *client;
    const char *realm;         /* for SPNs without @REALM */
    const sa_tickets *tickets; /* in input order */
    bool complete;
    const char *incomplete_reason;
    double seconds;
    int exit_status;
} sa_probe_report;

int sa_probe_report_text(const sa_probe_report *r, FILE *out);
int sa_probe_report_json(const sa_probe_report *r, FILE *out);

/* "spnaudit explain": one OpsMgr event, what it means, its usual causes
 * and the checks that show it (sa_event_checks_for). */
int sa_event_explain_text(const sa_event_info *e, FILE *out);
int sa_event_explain_json(const sa_event_info *e, FILE *out);
/* "spnaudit explain CODE": one finding kind or ticket cause, its
 * severity, what it finds, the OpsMgr events it leads to (with their
 * titles) and the commands that report it. */
int sa_check_explain_text(const sa_check_info *c, FILE *out);
int sa_check_explain_json(const sa_check_info *c, FILE *out);
/* Every known event: its id, title and how many checks show it. */
int sa_event_list_text(FILE *out);
int sa_event_list_json(FILE *out);

#endif
