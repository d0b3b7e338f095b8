/* ticket.h - the result of asking the KDC for a service ticket for one SPN. */
#ifndef SPNAUDIT_TICKET_H
#define SPNAUDIT_TICKET_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/krbcause.h"

typedef struct sa_ticket {
    char *spn;  /* as requested */
    bool tried; /* false when the probe stopped before it */
    bool ok;
    long code;             /* krb5_error_code when !ok */
    sa_krb_cause cause;    /* SA_KC_NONE when ok */
    char *error;           /* Kerberos error text when !ok */
    char *enctype;         /* ticket enctype name, when ok */
    char *session_enctype; /* session key enctype name, when ok */
    int kvno;
    char *realm; /* realm of the service, when ok */
} sa_ticket;

typedef struct sa_tickets {
    sa_ticket *items; /* sorted by SPN, case-insensitively */
    size_t n;
    size_t cap;
} sa_tickets;

sa_ticket *sa_tickets_add(sa_tickets *list, const char *spn);
/* Forget the outcome (before asking again); the SPN stays. */
void sa_ticket_reset(sa_ticket *t);
void sa_tickets_clear(sa_tickets *list);
/* Sort by SPN so that sa_tickets_find can bisect. */
void sa_tickets_sort(sa_tickets *list);
const sa_ticket *sa_tickets_find(const sa_tickets *list, const char *spn);
/* How many were requested, and how many of those refused (0 for NULL). */
size_t sa_tickets_count_tried(const sa_tickets *list);
size_t sa_tickets_count_refused(const sa_tickets *list);

#endif
