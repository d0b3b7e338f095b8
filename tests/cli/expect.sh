# shellcheck shell=bash
# expect.sh: sourced by the cli checks.
# expect WHAT CONDITION...: the condition (a command) must succeed; a failure
# is counted in $bad and the check goes on.
bad=0
out=""
err=""
rc=0

# run ARGS...: runs "$tool" (set by the sourcing check) ARGS; sets out,
# err and rc, which the checks read
# shellcheck disable=SC2034,SC2154
run() {
    local errfile
    errfile=$(mktemp)
    out=$("$tool" "$@" 2>"$errfile")
    rc=$?
    err=$(cat "$errfile")
    rm -f "$errfile"
}

# has TEXT WORDS: TEXT holds WORDS
has() { grep -qF -- "$2" <<<"$1"; }
expect() {
    local what=$1
    shift
    if "$@"; then
        echo "ok: $what"
    else
        echo "FAIL: $what"
        bad=$((bad + 1))
    fi
}
