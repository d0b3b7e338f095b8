/* report_trusts.h - "spnaudit trusts" and "spnaudit plan" for people
 * (text) and programs (JSON). */
#ifndef SPNAUDIT_REPORT_TRUSTS_H
#define SPNAUDIT_REPORT_TRUSTS_H

#include <stdio.h>

#include "spnaudit/fixline.h"
#include "spnaudit/trustaudit.h"

/* The trusts like nltest /domain_trusts, then the verdict for the agents
 * of each domain, its commands written for shell.  0 on success, -1 when
 * writing failed (errno set). */
int sa_trust_report_text(const sa_trust_run *r, sa_shell shell, FILE *out);
int sa_trust_report_json(const sa_trust_run *r, FILE *out);

/* The design for each agent domain of a planned topology. */
int sa_plan_report_text(const sa_plan *p, sa_shell shell, FILE *out);
int sa_plan_report_json(const sa_plan *p, FILE *out);

#endif
