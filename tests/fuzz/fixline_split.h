/* fixline_split.h - fix lines split back into their arguments, by
 * splitters written from each shell's documented rules (not from
 * fixline.c's code), and the oracle of what must be refused.  Shared by
 * the unit test test_fixline and the harness fuzz_fixline. */
#ifndef SPNAUDIT_FIXLINE_SPLIT_H
#define SPNAUDIT_FIXLINE_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "spnaudit/fixline.h"

#define MAX_SPLIT 16
#define ARG_MAX_LEN 256

typedef char split_t[MAX_SPLIT][ARG_MAX_LEN];

/* cmd.exe's view of a line: nothing it would act on outside quotes. */
bool cmd_safe(const char *line);
/* The Microsoft C runtime's argv of line; the count, or -1. */
int crt_split(const char *line, split_t out);
/* A single-quote character at p (' or U+2018-U+201B): its length, or 0. */
size_t ps_squote(const char *p);
/* A double-quote character at p (" or U+201C-U+201E)? */
bool ps_dquote(const char *p);
/* PowerShell's words of a native command line of the forms a fix line may
 * take; the count, or -1. */
int ps_split(const char *line, split_t out);
/* The command line PowerShell builds for a native program from
 * args[1..n) into buf (legacy: 5.1 and 7.0-7.2); false when buf is short. */
bool ps_native_line(split_t args, int n, bool legacy, char *buf, size_t size);
/* What no shell may be given. */
bool refused_by_all(const char *v);
/* Must value v be refused for shell? */
bool must_refuse(const char *v, sa_shell shell);

#endif
