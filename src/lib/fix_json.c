/* fix_json.c - a finding's fix in a JSON report: written with the line
 * for each shell, read back as its commands' programs and arguments. */
#include <stdlib.h>
#include <string.h>

#include "fix_json.h"
#include "report_internal.h"

/* Command i of fix: {"program", "args", "cmd", "powershell", "refused"}:
 * the line for each shell, or null and why in refused (keyed by shell). */
static json_object *
json_fix_command(const sa_fix *fix, size_t i)
{
    const sa_fix_command *c = &fix->commands[i];
    json_object *o = json_object_new_object(), *refused = json_object_new_object(), *args = NULL;
    bool ok = o != NULL && refused != NULL && jadd(o, "program", jstr(c->program), false) &&
              jadd(o, "args", args = json_object_new_array(), false);

    for (size_t k = 0; ok && k < c->n; k++)
        ok = jappend(args, jstr(c->args[k]));
    for (int sh = 0; ok && sh < SA_SHELL_COUNT; sh++) {
        const char *why = NULL;
        char *line = sa_fix_command_line(fix, i, (sa_shell)sh, &why);
        ok = (line != NULL || why != NULL) && jadd(o, sa_shell_key((sa_shell)sh), jstr(line), true) &&
             (why == NULL || jadd(refused, sa_shell_key((sa_shell)sh), jstr(why), false));
        free(line);
    }
    return finish(o, ok, "refused", refused);
}

/* {"commands": [...], "text"}, or null for no fix. */
json_object *
json_fix(const sa_fix *fix)
{
    json_object *o = NULL, *cmds = NULL;
    bool ok;

    if (sa_fix_empty(fix))
        return NULL;
    o = json_object_new_object();
    ok = o != NULL && jadd(o, "commands", cmds = json_object_new_array(), false);
    for (size_t i = 0; ok && i < fix->n; i++)
        ok = jappend(cmds, json_fix_command(fix, i));
    if (ok && jadd(o, "text", jstr(fix->text), true))
        return o;
    json_object_put(o);
    return NULL;
}

/* Command o (an object with "program" and "args", strings) appended to
 * out. */
static sa_status
command_from_json(json_object *o, sa_fix *out)
{
    json_object *program = NULL, *args = NULL;
    sa_fix_cmd cmd = {NULL, {NULL}, 0};

    if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "program", &program) ||
        !json_object_is_type(program, json_type_string) || !json_object_object_get_ex(o, "args", &args) ||
        !json_object_is_type(args, json_type_array) || json_object_array_length(args) > SA_FIX_MAX_ARGS)
        return SA_ERR_USAGE;
    cmd.program = json_object_get_string(program);
    for (; cmd.n < json_object_array_length(args); cmd.n++) {
        json_object *a = json_object_array_get_idx(args, cmd.n);
        if (!json_object_is_type(a, json_type_string))
            return SA_ERR_USAGE;
        cmd.args[cmd.n] = json_object_get_string(a);
    }
    return sa_fix_add(out, &cmd, 1) ? SA_OK : SA_ERR_SYSTEM;
}

/* The object form: "commands" (an array) and "text" (a string or null). */
static sa_status
fix_object(json_object *v, sa_fix *out)
{
    json_object *cmds = NULL, *text = NULL;
    sa_status ret = SA_OK;

    if (!json_object_object_get_ex(v, "commands", &cmds) || !json_object_is_type(cmds, json_type_array) ||
        (json_object_object_get_ex(v, "text", &text) && text != NULL &&
         !json_object_is_type(text, json_type_string)))
        return SA_ERR_USAGE;
    for (size_t i = 0; ret == SA_OK && i < json_object_array_length(cmds); i++)
        ret = command_from_json(json_object_array_get_idx(cmds, i), out);
    if (ret == SA_OK && text != NULL && !sa_fix_set_text(out, json_object_get_string(text)))
        ret = SA_ERR_SYSTEM;
    return ret;
}

sa_status
sa_fix_from_json(json_object *data, const char *text, sa_fix *out)
{
    sa_status ret = SA_OK;

    if (data != NULL)
        ret = json_object_is_type(data, json_type_object) ? fix_object(data, out) : SA_ERR_USAGE;
    else if (text != NULL && !sa_fix_set_text(out, text))
        ret = SA_ERR_SYSTEM;
    if (ret != SA_OK)
        sa_fix_clear(out);
    return ret;
}
