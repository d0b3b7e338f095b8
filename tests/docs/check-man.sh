#!/bin/bash
# check-man.sh MANPAGE SPNAUDIT: spnaudit(1) and spnaudit.conf(5) render
# without a single warning (man and groff), spnaudit(1) has a section for
# every command "spnaudit --help" lists and documents every long option
# that "spnaudit COMMAND --help" lists, names every event that
# "spnaudit explain" knows, and lists under FINDINGS every finding code of
# the findings table (src/lib/finding.c), each of which "spnaudit explain
# CODE" knows.
set -uo pipefail
man_page=$1
tool=$2
conf_page="${man_page%/*}/spnaudit.conf.5"
bad=0

fail() { echo "FAIL: $*"; bad=$((bad + 1)); }

for page in "$man_page" "$conf_page"; do
    [ -r "$page" ] || { fail "$page cannot be read"; continue; }
    warnings=$(
        LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null
        groff -ww -z -man -Tutf8 "$page" 2>&1
    )
    if [ -n "$warnings" ]; then
        fail "$page renders with warnings:"; echo "$warnings"
    else
        echo "ok: $page renders without warnings"
    fi
    for section in ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
        if grep -qx "\.SH \"\{0,1\}$section\"\{0,1\}" "$page"; then
            echo "ok: $page has $section"
        else
            fail "$page has no $section section"
        fi
    done
done

rendered=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -E UTF-8 -l "$man_page" 2>/dev/null | col -b)
# The section headings: the lines .SH starts, upper case, quotes dropped.
headings=$(sed -n 's/^\.SH  *//p' "$man_page" | tr -d '"')

help=$("$tool" --help) || fail "'$tool --help' failed"
commands=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' <<<"$help")
[ -n "$commands" ] || fail "'$tool --help' lists no commands"
for cmd in $commands; do
    upper=$(tr '[:lower:]' '[:upper:]' <<<"$cmd")
    if grep -qw -- "$upper" <<<"$headings"; then
        echo "ok: command $cmd has a section"
    else
        fail "command $cmd has no section in $man_page (a .SH heading naming $upper)"
    fi
    grep -q -- "spnaudit $cmd" <<<"$rendered" || fail "command $cmd is not in the SYNOPSIS of $man_page"
    # Commands with options describe them in their --help.
    cmd_help=$("$tool" "$cmd" --help 2>/dev/null) || continue
    opts=$(grep -o -- '--[a-z][a-z-]*' <<<"$cmd_help" | sort -u)
    [ -n "$opts" ] || { fail "'$tool $cmd --help' lists no options"; continue; }
    for o in $opts; do
        if grep -q -- "$o" <<<"$rendered"; then
            echo "ok: $cmd $o documented"
        else
            fail "$cmd $o is not in $man_page"
        fi
    done
done

events=$("$tool" explain | sed -n 's/^\([0-9][0-9]*\) .*/\1/p')
[ -n "$events" ] || fail "'$tool explain' lists no events"
for id in $events; do
    if grep -qw -- "$id" <<<"$(sed -n '/^EXPLAIN OPTIONS/,/^[A-Z]/p' <<<"$rendered")"; then
        echo "ok: event $id named under EXPLAIN OPTIONS"
    else
        fail "event $id, which 'spnaudit explain' knows, is not named under EXPLAIN OPTIONS"
    fi
done

table="${man_page%/*}/../src/lib/finding.c"
codes=$(sed -n 's/^ *\[SA_F_[A-Z_]*\] = {"\([A-Z_]*\)".*/\1/p' "$table")
[ -n "$codes" ] || fail "no finding code read from $table"
findings=$(sed -n '/^FINDINGS/,/^[A-Z]/p' <<<"$rendered")
for code in $codes; do
    if grep -qw -- "$code" <<<"$findings"; then
        echo "ok: finding $code listed under FINDINGS"
    else
        fail "finding $code, of $table, is not listed under FINDINGS in $man_page"
    fi
    "$tool" explain "$code" >/dev/null 2>&1 || fail "'$tool explain $code' does not know the finding"
done

# ENVIRONMENT names each variable once.
env_vars=$(sed -n '/^\.SH ENVIRONMENT/,/^\.SH /{/^\.TP/{n;s/^\.B[R]* //;p}}' "$man_page")
twice=$(sort <<<"$env_vars" | uniq -d)
if [ -n "$env_vars" ] && [ -z "$twice" ]; then
    echo "ok: ENVIRONMENT names each variable once"
else
    fail "ENVIRONMENT names these twice (or none): ${twice:-none}"
fi
# Windows commands have no manual page to cite.
for page in "$man_page" "$conf_page"; do
    for win in setspn nltest dsacls; do
        if grep -qE "^\.BR \"?$win\"? \([0-9]\)" "$page"; then
            fail "$page cites $win(N), which has no manual page (a Windows command)"
        fi
    done
done
# One keytab path in every document.
root="${man_page%/*}/.."
paths=$(grep -ohE '/etc/[A-Za-z0-9_/.-]*\.keytab' "$man_page" "$conf_page" "$root/README.md" | sort -u)
if [ "$(wc -l <<<"$paths")" = 1 ]; then
    echo "ok: one keytab path: $paths"
else
    fail "more than one keytab path in the documents: $(tr '\n' ' ' <<<"$paths")"
fi

echo "$bad problem(s)"
[ "$bad" = 0 ]
