#!/bin/bash
# check-inputs.sh SPNAUDIT: the files a user names are read only when they
# are regular files within their limit; anything else is refused at once
# with a message naming it (no domain needed: the refusal comes before
# any connection).
set -uo pipefail
tool=$1
bad=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkfifo "$scratch/fifo"
truncate -s 300M "$scratch/huge.json"
truncate -s 2M "$scratch/huge.conf"

# refused RC TEXT ARGS...: spnaudit ARGS exits RC within 10 s, says TEXT on
# stderr and nothing on stdout.
refused() {
    local want_rc=$1 text=$2 out rc
    shift 2
    out=$(timeout 10 "$tool" "$@" </dev/null 2>"$scratch/stderr")
    rc=$?
    if [ "$rc" = "$want_rc" ] && [ -z "$out" ] && grep -qF -- "$text" "$scratch/stderr"; then
        echo "ok: spnaudit $* exits $rc: $text"
    else
        echo "FAIL: spnaudit $*: exit $rc (want $want_rc), stdout '$out', stderr: $(cat "$scratch/stderr")"
        bad=$((bad + 1))
    fi
}

refused 64 "cannot read the configuration file /dev/zero: it is a character device, not a regular file" \
    audit -c /dev/zero
refused 64 "cannot read the configuration file $scratch: it is a directory, not a regular file" \
    audit -c "$scratch"
refused 64 "cannot read the configuration file $scratch/fifo: it is a FIFO, not a regular file" \
    spn -c "$scratch/fifo"
refused 64 "$scratch/huge.conf is 2 MB, more than the 1 MB limit for a configuration file" \
    trusts -c "$scratch/huge.conf"
refused 3 "cannot read the report /dev/zero: it is a character device, not a regular file" \
    diff /dev/zero /dev/zero
refused 3 "$scratch/huge.json is 300 MB, more than the 256 MB limit for a report" \
    diff "$scratch/huge.json" "$scratch/huge.json"
refused 64 "cannot read the probe list /dev/zero: it is a character device, not a regular file" \
    probe -i /dev/zero
refused 64 "cannot read the CA file /dev/zero: it is a character device, not a regular file" \
    spn --ldaps --ca-file /dev/zero

# audit's HTML page never replaces the report of --output (by name, or
# another name of the same file)
refused 64 "--html $scratch/r.json is also the --output file: name another" \
    audit --format json --output "$scratch/r.json" --html "$scratch/r.json"
touch "$scratch/r.json"
refused 64 "--html $scratch/../${scratch##*/}/r.json is also the --output file: name another" \
    audit --format json --output "$scratch/r.json" --html "$scratch/../${scratch##*/}/r.json"

# standard input is a probe list's only, and bounded by the same limit
out=$(head -c 70000000 /dev/zero | timeout 10 "$tool" probe -i - 2>&1)
rc=$?
if [ "$rc" = 64 ] && grep -qF "standard input is more than the 64 MB limit for a probe list" <<<"$out"; then
    echo "ok: probe -i - stops at the limit"
else
    echo "FAIL: probe -i - with 70 MB on standard input: exit $rc: $out"
    bad=$((bad + 1))
fi

[ "$bad" = 0 ] || { echo "$bad failed"; exit 1; }
