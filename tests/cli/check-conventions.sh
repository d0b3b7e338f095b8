#!/bin/bash
# check-conventions.sh SPNAUDIT SAMPLE.json: what every command shares, no
# domain needed: help and version answer for themselves, mistyped commands
# and options get the nearest name, --version names the libraries run
# with, the same options have the same names and letters everywhere,
# --keytab needs no --principal, and no help line is wider than 80 columns.
set -uo pipefail
tool=$1
sample=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli/expect.sh
. "$(dirname "$0")/expect.sh"

is() { [ "$1" = "$2" ]; }

# help and version answer for themselves
run version --help
expect "version --help exits 0" is "$rc" 0
expect "version --help is version's usage" has "$out" "Usage: spnaudit version (or spnaudit --version)"
run help version
expect "help version exits 0" is "$rc" 0
expect "help version is version's usage" has "$out" "Usage: spnaudit version (or spnaudit --version)"
for args in "help --help" "help -h" "help help" "--help"; do
    # shellcheck disable=SC2086
    run $args
    expect "$args exits 0" is "$rc" 0
    expect "$args is the usage" has "$out" "Usage: spnaudit COMMAND [OPTIONS]"
    expect "$args says nothing on stderr" test -z "$err"
done

# did you mean
run audti
expect "audti exits 64" is "$rc" 64
expect "audti: did you mean audit" is "$err" "spnaudit: unknown command 'audti'; did you mean 'audit'?
Try 'spnaudit --help'."
run help trust
expect "help trust: did you mean trusts" has "$err" "spnaudit: unknown command 'trust'; did you mean 'trusts'?"
run nosuch
expect "nosuch: no suggestion" is "$err" "spnaudit: unknown command 'nosuch'
Try 'spnaudit --help'."
run spn --acount=ms01
expect "spn --acount exits 64" is "$rc" 64
expect "spn --acount: did you mean --account" is "$err" "spnaudit spn: unknown option '--acount=ms01'; did you mean '--account'?
Try 'spnaudit spn --help'."
run audit --no-colour
expect "audit --no-colour: did you mean --no-color" has "$err" \
    "spnaudit audit: unknown option '--no-colour'; did you mean '--no-color'?"
run probe --keytabb x
expect "probe --keytabb: did you mean --keytab" has "$err" \
    "spnaudit probe: unknown option '--keytabb'; did you mean '--keytab'?"
run explain --frobnicate
expect "explain --frobnicate: no suggestion" is "$err" "spnaudit explain: unknown option '--frobnicate'
Try 'spnaudit explain --help'."

# the versions of the libraries run with, and where each comes from
run --version
expect "--version exits 0" is "$rc" 0
expect "--version: spnaudit first" grep -qE '^spnaudit [0-9]+\.[0-9]+\.[0-9]+$' <<<"$out"
expect "--version: libldap at run time" grep -qE '^  libldap      [0-9]+\.[0-9]+\.[0-9]+ \(OpenLDAP, run time\)$' <<<"$out"
expect "--version: Cyrus SASL at run time" grep -qE '^  libsasl2     [0-9.]+ \(Cyrus SASL, run time\)$' <<<"$out"
expect "--version: json-c at run time" grep -qE '^  json-c       [0-9.]+ \(run time\)$' <<<"$out"
expect "--version: libkrb5 as built with" grep -qE \
    '^  libkrb5      [0-9.]+ \(built with: MIT krb5 has no run-time version query\)$' <<<"$out"
expect "--version: libkrb5's file" grep -qE '^               loaded from /.*libkrb5\.so' <<<"$out"
expect "--version: libinih as built with" grep -qE \
    '^  libinih      [0-9.]+ \(built with: libinih has no run-time version query\)$' <<<"$out"
version_out=$out
run version
expect "version is --version" is "$out" "$version_out"

# the same options, with the same names and letters, wherever they mean
# something: output options on every command that writes a report, -c on
# every command that takes settings from the configuration file
for cmd in audit probe spn trusts plan diff; do
    run "$cmd" --help
    expect "$cmd has -o, --output FILE" grep -q '^  -o, --output FILE ' <<<"$out"
    expect "$cmd has -q, --quiet" grep -q '^  -q, --quiet ' <<<"$out"
    expect "$cmd has --no-color" grep -q '^      --no-color ' <<<"$out"
    expect "$cmd has -f, --format" grep -q '^  -f, --format ' <<<"$out"
done
for cmd in audit probe spn trusts plan; do
    run "$cmd" --help
    expect "$cmd has -c, --config FILE" grep -q '^  -c, --config FILE ' <<<"$out"
done

# probe reads [kerberos] from -c; --keytab alone is no usage error
printf '[kerberos]\nkeytab = %s/nosuch.keytab\n' "$tmp" >"$tmp/k.conf"
chmod 600 "$tmp/k.conf"
run probe -c "$tmp/k.conf" MSOMHSvc/ms01.contoso.test
expect "probe -c takes the keytab of [kerberos]" is "$err" \
    "spnaudit probe: the keytab $tmp/nosuch.keytab does not exist (No such file or directory): check the path given with --keytab"
run probe --keytab "$tmp/nosuch.keytab" MSOMHSvc/ms01.contoso.test
expect "probe --keytab without --principal opens the keytab" is "$err" \
    "spnaudit probe: the keytab $tmp/nosuch.keytab does not exist (No such file or directory): check the path given with --keytab"

# --output and --quiet on diff, as on audit
run diff "$sample" "$sample"
expect "diff of a report with itself exits 0" is "$rc" 0
plain=$out
run diff --quiet "$sample" "$sample"
expect "diff --quiet: nothing when nothing is new" is "$out" ""
expect "diff --quiet exits 0" is "$rc" 0
run diff -o "$tmp/diff.txt" "$sample" "$sample"
expect "diff -o: nothing on standard output" is "$out" ""
expect "diff -o writes the comparison" is "$(cat "$tmp/diff.txt")" "$plain"
run diff --output "$tmp/nosuchdir/diff.txt" "$sample" "$sample"
expect "diff --output into no directory exits 64, before any work" is "$rc" 64
expect "diff --output into no directory says so" is "$err" \
    "spnaudit diff: cannot write the report to $tmp/nosuchdir/diff.txt: the directory $tmp/nosuchdir does not exist; create it or name a file in an existing directory"

# no help line wider than 80 columns, in any command
for cmd in "" audit probe spn plan trusts explain diff version help; do
    # shellcheck disable=SC2086
    run $cmd --help
    expect "'$cmd --help' exits 0" is "$rc" 0
    wide=$(awk 'length > 80' <<<"$out")
    expect "'$cmd --help' has no line over 80 columns" test -z "$wide"
    [ -z "$wide" ] || printf '%s\n' "$wide"
done
run version
expect "version: no line over 80 columns" test -z "$(awk 'length > 80' <<<"$out")"

[ "$bad" = 0 ]
