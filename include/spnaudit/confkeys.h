/* confkeys.h - the sections and keys of spnaudit.conf(5), and what to say
 * about a name that is none of them. */
#ifndef SPNAUDIT_CONFKEYS_H
#define SPNAUDIT_CONFKEYS_H

#include <stddef.h>

/* Into buf, why key "name" in [section] ("" before any section) is not
 * read: a section that does not exist, a key of another section, a key
 * outside any section, or an unknown key; with the nearest known name and
 * a pointer to spnaudit.conf(5). */
void sa_conf_unknown_key(const char *section, const char *name, char *buf, size_t size);

/* For a "[name" line without its "]": "; write [domain]" when name is, or
 * is near, a section's name; else "".  line is the line (no line ending). */
const char *sa_conf_section_hint(const char *line, size_t len, char *buf, size_t size);

#endif
