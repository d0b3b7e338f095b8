/* events.h - the OpsMgr (SCOM) Connector events this tool links findings to. */
#ifndef SPNAUDIT_EVENTS_H
#define SPNAUDIT_EVENTS_H

#include <stddef.h>

typedef struct sa_event_info {
    int id;
    const char *title;   /* one line */
    const char *meaning; /* what it means and the usual causes */
} sa_event_info;

/* NULL for an id this tool does not know. */
const sa_event_info *sa_event_lookup(int id);
/* All known events, in ascending id order. */
const sa_event_info *sa_event_table(size_t *count);

#endif
