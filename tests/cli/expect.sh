# expect.sh: sourced by the cli checks.
# expect WHAT CONDITION...: the condition (a command) must succeed; a failure
# is counted in $bad and the check goes on.
bad=0
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
