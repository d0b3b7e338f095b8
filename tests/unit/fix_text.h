/* fix_text.h - a finding's fix as the text report writes it for cmd.exe,
 * for assertions (in a static buffer: one at a time). */
#ifndef SPNAUDIT_TEST_FIX_TEXT_H
#define SPNAUDIT_TEST_FIX_TEXT_H

#include <stdio.h>
#include <stdlib.h>

#include "spnaudit/finding.h"

static inline const char *
fix_cmd(const sa_finding *f)
{
    static char buf[4096];
    char *text = sa_fix_render(&f->fix, SA_SHELL_CMD);
    bool some = text != NULL;

    snprintf(buf, sizeof(buf), "%s", some ? text : "");
    free(text);
    return some ? buf : NULL;
}

#endif
