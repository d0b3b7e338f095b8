/* report_cert.h - "spnaudit cert" for people (text) and programs (JSON). */
#ifndef SPNAUDIT_REPORT_CERT_H
#define SPNAUDIT_REPORT_CERT_H

#include <stdint.h>
#include <stdio.h>

#include "spnaudit/cert.h"
#include "spnaudit/cert_template.h"
#include "spnaudit/finding.h"
#include "spnaudit/fixline.h"
#include "spnaudit/strv.h"

typedef struct sa_cert_report {
    const sa_certs *certs;       /* in the order read */
    const sa_findings *findings; /* of all of them (subject: the certificate's source) */
    const sa_strv *unread;       /* "FILE: why" for each file that could not be read
                                    ("HOST: why" for each host, from the directory) */
    const char *trust;           /* where the trust anchors came from, in words */
    int64_t now;                 /* the checks' time, seconds since 1970 */
    int expiry_days;             /* --expiry-warning */
    double seconds;
    int exit_status;
    int width; /* text: the columns lines are fitted to; 0: 80 */
    sa_shell fix_shell;
    bool from_directory;                /* published certificates of hosts, not files */
    const sa_cert_templates *templates; /* cert --templates: as read; NULL: not asked or not read */
} sa_cert_report;

/* What was not read, in words: "files not read" or "hosts not checked". */
const char *sa_cert_report_unread_words(const sa_cert_report *r);

/* Each certificate: what was read of it (names, validity, key, usages,
 * chain, serial number as certutil shows it and as MOMCertImport writes
 * it to the registry, thumbprint) and its findings; then the files not
 * read and a summary.  0, or -1 when writing failed (errno set). */
int sa_cert_report_text(const sa_cert_report *r, FILE *out);
int sa_cert_report_json(const sa_cert_report *r, FILE *out);
/* For node_exporter's textfile collector: days to expiry per certificate
 * (labelled by host, source and serial), findings by code, counts, exit
 * status and timestamps. */
int sa_cert_report_prometheus(const sa_cert_report *r, FILE *out);
/* A monitoring plugin's output: "SPNAUDIT-CERT <STATUS> - summary |
 * perfdata" (min_days_left), then one line per finding, worst first. */
int sa_cert_report_nagios(const sa_cert_report *r, FILE *out);

/* The certificate templates section (report_template.c): a line with
 * their counts, then each template: its name and display name, its
 * verdict ("OpsMgr can use its certificates", "not for OpsMgr: CODES",
 * or not fully checked), what was read of it, the checks not made, and
 * its findings (those of findings whose code is a TEMPLATE_ one and whose
 * subject is the template's), fixes for shell, fitted to width (0: 80).
 * 0, or -1 when writing failed (errno set). */
int sa_cert_templates_report_text(const sa_cert_templates *list, const sa_findings *findings, sa_shell shell,
                                  int width, FILE *out);
/* {"templates": [...]}: the array cert's JSON report includes
 * (report_internal.h's json_templates), as a document of its own. */
int sa_cert_templates_report_json(const sa_cert_templates *list, const sa_findings *findings, FILE *out);

#endif
