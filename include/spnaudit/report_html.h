/* report_html.h - the reports for people as one self-contained HTML page
 * (no script, no stylesheet, font or image to fetch; readable printed):
 * the audit, the trusts and the plan.  Every value read from the
 * directory or the KDC is shown escaped (display.h) in a text node built
 * by libxml2, never as markup. */
#ifndef SPNAUDIT_REPORT_HTML_H
#define SPNAUDIT_REPORT_HTML_H

#include <stdio.h>

#include "spnaudit/fixline.h"
#include "spnaudit/report.h"
#include "spnaudit/trustaudit.h"

/* The audit: an overview (a row per management server and gateway: its
 * verdict, SPNs, tickets and findings), the findings by server with their
 * OpsMgr events and fix lines (for r->fix_shell), the changes since the
 * baseline when there is one, and the scope: what was checked and what
 * was not.  0 on success, -1 when writing failed (errno set). */
int sa_report_html(const sa_report *r, FILE *out);

/* The trust map in both: map_svg, an SVG drawing of the trusts (SVG
 * text), is shown inline, sanitised (only drawing elements and their
 * presentation kept: nothing runs, fetches or links); NULL: the page says
 * the map was not drawn, and map_why (or NULL) why. */

/* "spnaudit trusts": the trusts read, the trust map, and the verdict for
 * the agents of each domain with its commands written for shell. */
int sa_trust_report_html(const sa_trust_run *r, sa_shell shell, const char *map_svg, const char *map_why,
                         FILE *out);
/* "spnaudit plan": the design for each agent domain, the same way. */
int sa_plan_report_html(const sa_plan *p, sa_shell shell, const char *map_svg, const char *map_why,
                        FILE *out);

#endif
