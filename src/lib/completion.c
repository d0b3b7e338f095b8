/* completion.c - the bash and zsh completion scripts, written from the
 * commands' option tables (sa_comp_command) so that they complete exactly
 * the options the commands take.  Only names made of [a-z0-9-] reach the
 * scripts; the summaries are single-quoted. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spnaudit/completion.h"

/* What an option's value is. */
typedef enum value_kind { V_FLAG, V_ANY, V_FILES, V_DIRS, V_FORMATS, V_WORDS } value_kind;

/* The options whose values can be listed or are files, by name. */
static const struct {
    const char *name;
    value_kind kind;
    const char *words; /* V_WORDS: the values, as the commands accept them */
} named_values[] = {
    {"config", V_FILES, NULL},
    {"keytab", V_FILES, NULL},
    {"output", V_FILES, NULL},
    {"baseline", V_FILES, NULL},
    {"html", V_FILES, NULL},
    {"file", V_FILES, NULL},
    {"format", V_FORMATS, NULL},
    {"fix-shell", V_WORDS, "cmd powershell"},
    {"service-class", V_WORDS, "MSOMHSvc MSOMSdkSvc"},
    {"tickets", V_WORDS, "all servers none"},
    {"baseline-status", V_WORDS, "new all"},
    {"baseline-missing", V_WORDS, "error warn"},
};

static bool
ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);

    return n >= t && strcmp(s + n - t, tail) == 0;
}

static value_kind
option_kind(const sa_comp_option *o, const char **words)
{
    *words = NULL;
    if (!o->has_value)
        return V_FLAG;
    for (size_t i = 0; i < sizeof(named_values) / sizeof(named_values[0]); i++) {
        if (strcmp(o->name, named_values[i].name) == 0) {
            *words = named_values[i].words;
            return named_values[i].kind;
        }
    }
    if (ends_with(o->name, "-file"))
        return V_FILES;
    if (ends_with(o->name, "-dir"))
        return V_DIRS;
    return V_ANY;
}

/* [a-z0-9-]+, not starting with '-': safe unquoted in both shells. */
static bool
plain_name(const char *s)
{
    if (s == NULL || *s == '\0' || *s == '-')
        return false;
    for (; *s != '\0'; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    }
    return true;
}

/* plain names separated by single spaces */
static bool
plain_words(const char *s)
{
    char word[64];

    while (s != NULL && *s != '\0') {
        size_t len = strcspn(s, " ");

        if (len == 0 || len >= sizeof(word))
            return false;
        memcpy(word, s, len);
        word[len] = '\0';
        if (!plain_name(word))
            return false;
        s += len + (s[len] == ' ');
    }
    return s != NULL;
}

static bool
printable(const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    }
    return s != NULL;
}

static bool
valid_commands(const sa_comp_command *cmds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!plain_name(cmds[i].name) || !printable(cmds[i].summary))
            return false;
        for (size_t k = 0; k < cmds[i].n_options; k++) {
            if (!plain_name(cmds[i].options[k].name))
                return false;
        }
        for (size_t k = 0; k < cmds[i].n_formats; k++) {
            if (!plain_name(cmds[i].formats[k]))
                return false;
        }
        if (cmds[i].args == SA_COMP_ARGS_WORDS && !plain_words(cmds[i].arg_words))
            return false;
    }
    return true;
}

/* The case arms of NAME_value COMMAND OPTION: what the value is, as
 * "files", "dirs", "any" or "words W...".  Options without a value have
 * no arm (status 1). */
static void
put_value_function(FILE *out, const sa_comp_command *cmds, size_t n)
{
    fputs("# What the value of option $2 of command $1 is: files, dirs, words W..., or\n"
          "# any (free text); status 1 for an option that takes no value.\n"
          "_spnaudit_value() {\n    case \"$1 $2\" in\n",
          out);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < cmds[i].n_options; k++) {
            const char *words;
            value_kind kind = option_kind(&cmds[i].options[k], &words);

            if (kind == V_FLAG)
                continue;
            fprintf(out, "    '%s --%s') echo '", cmds[i].name, cmds[i].options[k].name);
            if (kind == V_FILES)
                fputs("files", out);
            else if (kind == V_DIRS)
                fputs("dirs", out);
            else if (kind == V_ANY)
                fputs("any", out);
            else if (kind == V_WORDS)
                fprintf(out, "words %s", words);
            else {
                fputs("words", out);
                for (size_t f = 0; f < cmds[i].n_formats; f++)
                    fprintf(out, " %s", cmds[i].formats[f]);
            }
            fputs("' ;;\n", out);
        }
    }
    fputs("    *) return 1 ;;\n    esac\n}\n\n", out);
}

/* NAME_options COMMAND: its long options; NAME_args COMMAND: what it takes
 * after them (files, commands or nothing). */
static void
put_command_functions(FILE *out, const sa_comp_command *cmds, size_t n)
{

    fputs("# The long options of command $1.\n_spnaudit_options() {\n    case $1 in\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "    %s) echo '", cmds[i].name);
        for (size_t k = 0; k < cmds[i].n_options; k++)
            fprintf(out, "%s--%s", k ? " " : "", cmds[i].options[k].name);
        fputs("' ;;\n", out);
    }
    fputs("    esac\n}\n\n# What command $1 takes after its options: files, commands or none.\n"
          "_spnaudit_args() {\n    case $1 in\n",
          out);
    for (size_t i = 0; i < n; i++) {
        static const char *const args[] = {"none", "files", "commands", "words"};

        fprintf(out, "    %s) echo '%s%s%s' ;;\n", cmds[i].name, args[cmds[i].args],
                cmds[i].args == SA_COMP_ARGS_WORDS ? " " : "",
                cmds[i].args == SA_COMP_ARGS_WORDS ? cmds[i].arg_words : "");
    }
    fputs("    *) echo none ;;\n    esac\n}\n\n", out);
}

static void
put_command_names(FILE *out, const sa_comp_command *cmds, size_t n)
{
    fputs("_spnaudit_commands='", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? " " : "", cmds[i].name);
    fputs("'\n\n", out);
}

static const char bash_main[] =
    "_spnaudit() {\n"
    "    local cur=${COMP_WORDS[COMP_CWORD]} opt= cmd kind\n"
    "    COMPREPLY=()\n"
    "    if [ \"$COMP_CWORD\" -le 1 ]; then\n"
    "        mapfile -t COMPREPLY < <(compgen -W \"$_spnaudit_commands\" -- \"$cur\")\n"
    "        return 0\n"
    "    fi\n"
    "    cmd=${COMP_WORDS[1]}\n"
    "    # --option VALUE, --option=VALUE (bash splits at '=')\n"
    "    if [ \"$cur\" = = ]; then\n"
    "        opt=${COMP_WORDS[COMP_CWORD-1]} cur=\n"
    "    elif [ \"$COMP_CWORD\" -ge 4 ] && [ \"${COMP_WORDS[COMP_CWORD-1]}\" = = ]; then\n"
    "        opt=${COMP_WORDS[COMP_CWORD-2]}\n"
    "    elif [ \"$COMP_CWORD\" -ge 3 ]; then\n"
    "        opt=${COMP_WORDS[COMP_CWORD-1]}\n"
    "    fi\n"
    "    if [ -n \"$opt\" ] && kind=$(_spnaudit_value \"$cmd\" \"$opt\"); then\n"
    "        case $kind in\n"
    "        files) compopt -o filenames 2>/dev/null\n"
    "            mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
    "        dirs) compopt -o filenames 2>/dev/null\n"
    "            mapfile -t COMPREPLY < <(compgen -d -- \"$cur\") ;;\n"
    "        words\\ *) mapfile -t COMPREPLY < <(compgen -W \"${kind#words }\" -- \"$cur\") ;;\n"
    "        esac\n"
    "        return 0\n"
    "    fi\n"
    "    if [[ $cur == -* ]]; then\n"
    "        mapfile -t COMPREPLY < <(compgen -W \"$(_spnaudit_options \"$cmd\")\" -- \"$cur\")\n"
    "        return 0\n"
    "    fi\n"
    "    case $(_spnaudit_args \"$cmd\") in\n"
    "    files) compopt -o filenames 2>/dev/null\n"
    "        mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
    "    commands) mapfile -t COMPREPLY < <(compgen -W \"$_spnaudit_commands\" -- \"$cur\") ;;\n"
    "    words\\ *) kind=$(_spnaudit_args \"$cmd\")\n"
    "        mapfile -t COMPREPLY < <(compgen -W \"${kind#words }\" -- \"$cur\") ;;\n"
    "    esac\n"
    "    return 0\n"
    "}\n"
    "complete -F _spnaudit spnaudit\n";

/* zsh: the same functions, with compadd, _files and _directories; the
 * commands described by their summaries. */
static const char zsh_main[] =
    "_spnaudit() {\n"
    "    local cur=${words[CURRENT]} opt= cmd kind\n"
    "    local -a list\n"
    "    if (( CURRENT <= 2 )); then\n"
    "        list=(\"${_spnaudit_described[@]}\")\n"
    "        _describe -t commands 'spnaudit command' list\n"
    "        return\n"
    "    fi\n"
    "    cmd=${words[2]}\n"
    "    if [[ $cur == --*=* ]]; then\n"
    "        opt=${cur%%=*}\n"
    "        compset -P '*='\n"
    "    elif (( CURRENT >= 4 )); then\n"
    "        opt=${words[CURRENT-1]}\n"
    "    fi\n"
    "    if [[ -n $opt ]] && kind=$(_spnaudit_value \"$cmd\" \"$opt\"); then\n"
    "        case $kind in\n"
    "        files) _files ;;\n"
    "        dirs) _directories ;;\n"
    "        words\\ *) list=(${=kind#words }); compadd -- \"${list[@]}\" ;;\n"
    "        *) _message 'value' ;;\n"
    "        esac\n"
    "        return\n"
    "    fi\n"
    "    if [[ $cur == -* ]]; then\n"
    "        list=(${=$(_spnaudit_options \"$cmd\")})\n"
    "        compadd -- \"${list[@]}\"\n"
    "        return\n"
    "    fi\n"
    "    case $(_spnaudit_args \"$cmd\") in\n"
    "    files) _files ;;\n"
    "    commands) list=(${=_spnaudit_commands}); compadd -- \"${list[@]}\" ;;\n"
    "    words\\ *) kind=$(_spnaudit_args \"$cmd\"); list=(${=kind#words }); compadd -- \"${list[@]}\" ;;\n"
    "    esac\n"
    "}\n";

/* _describe's list: 'NAME:SUMMARY', the summary's colons escaped for
 * _describe and its single quotes for the shell. */
static void
put_zsh_described(FILE *out, const sa_comp_command *cmds, size_t n)
{
    fputs("_spnaudit_described=(\n", out);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "    '%s:", cmds[i].name);
        for (const char *p = cmds[i].summary; *p != '\0'; p++) {
            if (*p == ':')
                fputs("\\:", out);
            else if (*p == '\'')
                fputs("'\\''", out);
            else
                fputc(*p, out);
        }
        fputs("'\n", out);
    }
    fputs(")\n\n", out);
}

int
sa_completion_write(FILE *out, sa_comp_shell shell, const sa_comp_command *cmds, size_t n)
{
    if (!valid_commands(cmds, n)) {
        errno = EINVAL;
        return -1;
    }
    if (shell == SA_COMP_ZSH)
        fputs("#compdef spnaudit\n", out);
    fprintf(out,
            "# %s completion for spnaudit.\n"
            "# Written by 'spnaudit completion %s' from the commands' option tables:\n"
            "# regenerate it rather than edit it.\n\n",
            shell == SA_COMP_ZSH ? "zsh" : "bash", shell == SA_COMP_ZSH ? "zsh" : "bash");
    put_command_names(out, cmds, n);
    if (shell == SA_COMP_ZSH)
        put_zsh_described(out, cmds, n);
    put_value_function(out, cmds, n);
    put_command_functions(out, cmds, n);
    fputs(shell == SA_COMP_ZSH ? zsh_main : bash_main, out);
    if (shell == SA_COMP_ZSH)
        fputs("\n_spnaudit \"$@\"\n", out);
    return ferror(out) ? -1 : 0;
}

bool
sa_comp_shell_parse(const char *name, sa_comp_shell *shell)
{
    if (strcmp(name, "bash") == 0)
        *shell = SA_COMP_BASH;
    else if (strcmp(name, "zsh") == 0)
        *shell = SA_COMP_ZSH;
    else
        return false;
    return true;
}
