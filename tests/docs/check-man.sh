#!/bin/bash
# check-man.sh MANPAGE SPNAUDIT: the man page renders without warnings and
# documents every long option that "spnaudit COMMAND --help" lists.
set -uo pipefail
man_page=$1
tool=$2
bad=0

for page in "$man_page" "${man_page%/*}/spnaudit.conf.5"; do
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
    if [ -n "$warnings" ]; then
        echo "FAIL: $page renders with warnings:"; echo "$warnings"; bad=$((bad + 1))
    else
        echo "ok: $page renders without warnings"
    fi
done

rendered=$(LC_ALL=C.UTF-8 MANWIDTH=200 man -E UTF-8 -l "$man_page" 2>/dev/null | col -b)
for cmd in audit probe spn trusts plan diff; do
    opts=$("$tool" "$cmd" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
    [ -n "$opts" ] || { echo "FAIL: '$tool $cmd --help' lists no options"; bad=$((bad + 1)); }
    for o in $opts; do
        if grep -q -- "$o" <<<"$rendered"; then
            echo "ok: $cmd $o documented"
        else
            echo "FAIL: $cmd $o is not in $man_page"; bad=$((bad + 1))
        fi
    done
done
echo "$bad problem(s)"
[ "$bad" = 0 ]
