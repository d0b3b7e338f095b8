/* fix_json.h - a finding's fix in a JSON report, written and read back;
 * not part of the library's interface. */
#ifndef SPNAUDIT_FIX_JSON_H
#define SPNAUDIT_FIX_JSON_H

#include <json-c/json.h>

#include "spnaudit/error.h"
#include "spnaudit/fix.h"

/* A finding's "fix_data": {"commands": [{"program", "args", "cmd",
 * "powershell", "refused"}...], "text"}: each command's line for each
 * shell, or null and why in refused (keyed by shell); NULL (JSON null) for
 * an empty fix.  (Its "fix" is sa_fix_render for cmd.exe, as before.) */
json_object *json_fix(const sa_fix *fix);

/* A finding's fix read back into out (empty): from data (the object
 * json_fix writes: programs and arguments only, the lines are written
 * again when shown) when not NULL, else from text (the "fix" string of
 * reports without fix_data, kept as steps in words).  SA_OK, SA_ERR_USAGE
 * when data is no such object (nothing said), SA_ERR_SYSTEM on out of
 * memory; out is empty unless SA_OK. */
sa_status sa_fix_from_json(json_object *data, const char *text, sa_fix *out);

#endif
