#!/bin/bash
# check-completion.sh SPNAUDIT: the bash and zsh completion scripts that
# 'spnaudit completion' writes, called as the shells call them: every
# command completes, every command completes exactly the options its
# --help lists, every listed value (formats, shells...) is one the command
# accepts, and files and directories complete where a file is wanted.
set -uo pipefail
tool=$1
# shellcheck source=expect.sh
. "$(dirname "$0")/expect.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tool" completion bash >"$work/spnaudit.bash" || { echo "FAIL: completion bash"; exit 1; }
"$tool" completion zsh >"$work/_spnaudit" || { echo "FAIL: completion zsh"; exit 1; }
mkdir "$work/dir" && touch "$work/dir/report.json" "$work/dir/other.txt" && mkdir "$work/dir/certs"

# bash_complete WORDS...: what bash's completion offers for the last word
bash_complete() {
    (cd "$work/dir" && bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _spnaudit
        printf "%s\n" "${COMPREPLY[@]}"' _ "$work/spnaudit.bash" "$@") | sort -u | sed '/^$/d'
}
# zsh_complete WORDS...: the same through zsh's function, with compadd,
# _describe, _files and _directories replaced by functions printing what
# they would offer for the word being completed ($PREFIX, as zsh's
# completion system filters them)
zsh_complete() {
    (cd "$work/dir" && zsh -f -c '
        offer() { local w; for w in "$@"; do [[ $w == "$PREFIX"* ]] && print -r -- "$w"; done }
        compadd() { [[ $1 == -- ]] && shift; offer "$@" }
        _describe() { local -a l; l=("${(@P)4}"); offer "${l[@]%%:*}" }
        _files() { offer *(N) }
        _directories() { offer *(N/) }
        _message() { }
        compset() { [[ $1 == -P ]] && PREFIX=${PREFIX#*=} }
        . "$1" >/dev/null; shift
        words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}; _spnaudit' _ "$work/_spnaudit" "$@") | sort -u | sed '/^$/d'
}
lines() { printf '%s\n' "$@" | sort -u; }

commands=$("$tool" help | awk '/^Commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }' | sort -u)
expect "the usage lists commands" test "$(wc -l <<<"$commands")" -ge 10
for shell in bash zsh; do
    complete=${shell}_complete
    expect "$shell: every command completes" test "$($complete spnaudit '')" = "$commands"
    expect "$shell: a prefix completes its commands" test "$($complete spnaudit t)" = "trusts"
    expect "$shell: help completes commands" test "$($complete spnaudit help '')" = "$commands"
    expect "$shell: completion completes its shells" test "$($complete spnaudit completion '')" = "$(lines bash zsh)"
    for c in $commands; do
        helped=$("$tool" "$c" --help | grep -o -- '--[a-z][a-z0-9-]*' | grep -vx -- '--version' | sort -u)
        offered=$($complete spnaudit "$c" --)
        expect "$shell: $c completes every option its --help lists" \
            test -z "$(comm -23 <(echo "$helped") <(echo "$offered"))"
        expect "$shell: $c completes no option its --help does not list" \
            test -z "$(comm -13 <(echo "$helped") <(echo "$offered") | grep -vx -- '--help')"
    done
    expect "$shell: audit's --format values" \
        test "$($complete spnaudit audit --format '')" = "$(lines text json csv prometheus nagios html)"
    expect "$shell: a file for --config" test "$($complete spnaudit audit --config '')" = "$(lines certs other.txt report.json)"
    expect "$shell: a directory for --cert-dir" test "$($complete spnaudit trusts --cert-dir '')" = "certs"
    expect "$shell: nothing guessed for a host" test -z "$($complete spnaudit audit --ms '')"
    expect "$shell: files after diff's options" test "$($complete spnaudit diff --quiet '')" = "$(lines certs other.txt report.json)"
    expect "$shell: no options where a value is wanted" test -z "$($complete spnaudit spn --domain --)"
done
expect "bash: --format=VALUE" test "$(bash_complete spnaudit audit --format = pro)" = "prometheus"
expect "zsh: --format=VALUE" test "$(zsh_complete spnaudit audit --format=pro)" = "prometheus"

# Every value offered is one the command accepts (and a made-up one is not):
# spnaudit CMD --OPTION VALUE --help stops at --help only after VALUE passed.
while read -r c opt; do
    for v in $(bash_complete spnaudit "$c" "$opt" ''); do
        "$tool" "$c" "$opt" "$v" --help >/dev/null 2>&1
        expect "$c $opt $v is accepted" test $? = 0
    done
    [ "$opt" = --service-class ] && continue # any class may be named: these are suggestions
    "$tool" "$c" "$opt" no-such-value --help >/dev/null 2>&1
    expect "$c $opt no-such-value is refused" test $? = 64
done < <(sed -n "s/^    '\([a-z]*\) \(--[a-z-]*\)') echo 'words .*/\1 \2/p" "$work/spnaudit.bash")
expect "values of several options were checked" \
    test "$(grep -c "') echo 'words " "$work/spnaudit.bash")" -ge 10

run completion fish
expect "an unknown shell is refused" test "$rc" = 64
expect "... saying which shells there are" has "$err" "bash or zsh, not 'fish'"
run completion
expect "no shell is refused" test "$rc" = 64

echo "completion: $bad failed"
[ "$bad" = 0 ]
