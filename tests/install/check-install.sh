#!/bin/bash
# check-install.sh BUILDDIR EXPECTED UNITDIR: 'meson install' into a
# DESTDIR, as a user or a package build does: exactly the files of
# EXPECTED (the list with this build's directories), the binary stripped,
# the completion scripts what the binary writes, and the systemd units
# passing 'systemd-analyze verify' and 'security' (exposure at most 1.5).
set -uo pipefail
build=$1 expected=$2 unitdir=$3
# shellcheck source=../cli/expect.sh
. "$(dirname "$0")/../cli/expect.sh"

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
if ! meson install -C "$build" --destdir "$dest" --no-rebuild --strip >"$dest.log" 2>&1; then
    cat "$dest.log"
    rm -f "$dest.log"
    echo "FAIL: meson install"
    exit 1
fi
rm -f "$dest.log"

installed=$(cd "$dest" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort)
wanted=$(sed '/^$/d' "$expected" | sort)
expect "the installed files are the expected ones" test "$installed" = "$wanted"
[ "$installed" = "$wanted" ] || diff <(echo "$wanted") <(echo "$installed") | sed 's/^/    /'

bin=$dest$(grep '/bin/spnaudit$' "$expected")
expect "the binary is installed" test -x "$bin"
expect "the binary is stripped" test -z "$(readelf -S "$bin" | grep -w symtab)"
expect "the installed binary runs" "$bin" version
bash_comp=$dest$(grep '/spnaudit$' "$expected" | grep completion)
zsh_comp=$dest$(grep '/_spnaudit$' "$expected")
expect "bash completion is what 'spnaudit completion bash' writes" \
    cmp -s "$bash_comp" <("$bin" completion bash)
expect "zsh completion is what 'spnaudit completion zsh' writes" \
    cmp -s "$zsh_comp" <("$bin" completion zsh)
nightly=$dest$(grep '/spnaudit-nightly$' "$expected")
expect "the nightly job is a program" test -x "$nightly"
expect "the nightly job is the example's script" \
    cmp -s "$nightly" "$(dirname "$0")/../../examples/spnaudit-nightly.sh"
for f in $(grep -E '/man/|/doc/' "$expected"); do
    [ -f "$dest$f" ] && [ -r "$dest$f" ] || { expect "$f readable" false; }
done

# The units, as systemd would read them under that root: it needs the
# standard targets the units are ordered against.
if command -v systemd-analyze >/dev/null; then
    service=$unitdir/spnaudit-nightly.service
    cp -P /lib/systemd/system/*.target "$dest$unitdir/" 2>/dev/null
    expect "the service names the installed nightly job" \
        grep -qx "ExecStart=$(grep '/spnaudit-nightly$' "$expected")" "$dest$service"
    expect "systemd-analyze verify: the units" \
        systemd-analyze verify --man=no --root="$dest" "$dest$service" "$dest$unitdir/spnaudit-nightly.timer"
    score=$(systemd-analyze security --offline=true --root="$dest" "$dest$service" 2>&1 |
        sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    echo "systemd-analyze security: exposure $score"
    expect "systemd-analyze security: exposure at most 1.5" \
        systemd-analyze security --offline=true --root="$dest" --threshold=15 "$dest$service"
    for line in OnCalendar=daily Persistent=true RandomizedDelaySec=1h; do
        expect "the timer has $line" grep -qx "$line" "$dest$unitdir/spnaudit-nightly.timer"
    done
else
    expect "systemd-analyze is installed" false
fi

echo "install: $bad failed"
[ "$bad" = 0 ]
