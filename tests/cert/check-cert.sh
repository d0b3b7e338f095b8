#!/bin/bash
# check-cert.sh SPNAUDIT: "spnaudit cert" on the fixtures make-certs.sh
# generates (one fault each): every fixture gives exactly the findings of
# its fault, the good ones none; several certificates in one file, the
# serial number as MOMCertImport writes it, and the files it cannot read.
set -uo pipefail
case $1 in /*) tool=$1 ;; *) tool=$PWD/$1 ;; esac # used from other directories too
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/cli/expect.sh
. "$here/../cli/expect.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fx=$dir/fx
"$here/make-certs.sh" "$fx" || { echo "FAIL: make-certs.sh"; exit 1; }
cat "$fx/root.pem" "$fx/inter.pem" >"$dir/root-and-inter.pem"
# one line per fact, whatever the terminal
export COLUMNS=1000
common=(--host ms01.contoso.test --password-file "$fx/pfx-password" --ca-file "$fx/root.pem")

# codes JSON: the findings' codes of a cert report, sorted, one line
codes() {
    python3 -c 'import json, sys
print(" ".join(sorted(f["code"] for f in json.loads(sys.argv[1])["findings"])))' "$1"
}

# fixture FILE WANT [OPTIONS...]: FILE is read and checked (exit 0, 1 or
# 2, a JSON report), and its findings are exactly WANT
fixture() {
    local file=$1 want=$2 got
    shift 2
    run cert "${common[@]}" "$@" -f json "$fx/$file"
    if ! got=$(codes "$out" 2>/dev/null) || [ "$rc" -gt 2 ]; then
        expect "$file: checked (exit $rc: $err)" false
        return
    fi
    expect "$file: findings '$want' (got '$got', exit $rc)" test "$got" = "$want"
}

fixture good.pfx ""
fixture good.pem ""
fixture no-csp.pfx ""
fixture good.cer "" --ca-file "$dir/root-and-inter.pem"
fixture good-leaf.pem "" --ca-file "$dir/root-and-inter.pem"
fixture eku-server-only.pfx "CERT_EKU_MISSING"
fixture no-eku.pfx "CERT_EKU_MISSING"
fixture no-key.pfx "CERT_KEY_MISSING"
fixture key-mismatch.pem "CERT_KEY_MISMATCH"
fixture ksp.pfx "CERT_KEY_CNG"
fixture keysig.pfx "CERT_KEY_SPEC_SIGNATURE"
fixture no-cn.pfx "CERT_SUBJECT_CN_MISSING"
fixture wrong-cn.pfx "CERT_NAME_MISMATCH CERT_SAN_MISMATCH"
fixture san-first-other.pfx "CERT_SAN_MISMATCH"
fixture expired.pfx "CERT_EXPIRED"
fixture not-yet-valid.pfx "CERT_NOT_YET_VALID"
fixture expiring.pfx "CERT_EXPIRING"
fixture expiring.pfx "" --expiry-warning 5
fixture missing-intermediate.pfx "CERT_CHAIN_UNTRUSTED"
fixture other-ca.pfx "CERT_CHAIN_UNTRUSTED"
fixture rsa1024.pfx "CERT_KEY_TOO_SMALL"
fixture sha1.pfx "CERT_SIGNATURE_WEAK"
fixture ku-sign-only.pfx "CERT_KEY_USAGE"
fixture ec.pfx "CERT_KEY_NOT_RSA"

# Without the system's store holding the test root, the good one does not build.
run cert --host ms01.contoso.test --password-file "$fx/pfx-password" -f json "$fx/good.pfx"
expect "good.pfx against the system's store: untrusted" test "$(codes "$out")" = "CERT_CHAIN_UNTRUSTED"

# The exit status follows the worst finding.
run cert "${common[@]}" "$fx/good.pfx"
expect "good.pfx: exit 0" test "$rc" = 0
expect "good.pfx: no findings in the text" has "$out" "  OK      no findings"
expect "good.pfx: the private key found" has "$out" "private key present, the certificate's"
expect "good.pfx: the provider shown" has "$out" "provider: Microsoft Enhanced RSA and AES Cryptographic Provider; key spec: key exchange (AT_KEYEXCHANGE)"
run cert "${common[@]}" "$fx/expiring.pfx"
expect "expiring.pfx: exit 1 (a warning)" test "$rc" = 1
run cert "${common[@]}" "$fx/ksp.pfx"
expect "ksp.pfx: exit 2 (a failure)" test "$rc" = 2
expect "ksp.pfx: the event" has "$out" "OpsMgr event: 20069"

# The missing link is named.
run cert "${common[@]}" "$fx/missing-intermediate.pfx"
expect "missing-intermediate.pfx: the issuer not found is named" has "$out" "the issuer CN=spnaudit Test Issuing CA was not found"

# The serial number as certutil shows it, and reversed for the registry.
serial=$(openssl x509 -in "$fx/good-leaf.pem" -noout -serial | sed 's/^serial=//')
reversed=$(sed 's/../& /g' <<<"$serial" | tr ' ' '\n' | grep . | tac | tr -d '\n')
run cert "${common[@]}" -f json "$fx/good-leaf.pem"
expect "serial as openssl shows it" has "$out" "\"serial\": \"$serial\""
expect "serial reversed for the registry ($reversed)" has "$out" "\"serial_registry\": \"$reversed\""

# Two certificates in one file, each for its own name unless --host says.
run cert --password-file "$fx/pfx-password" --ca-file "$fx/root.pem" -f json "$fx/two-certs.pem"
expect "two-certs.pem, own names: no findings (got '$(codes "$out")')" test "$(codes "$out")" = ""
expect "two-certs.pem: both certificates named" has "$out" "two-certs.pem (certificate 2 of 2)"
fixture two-certs.pem "CERT_NAME_MISMATCH CERT_SAN_MISMATCH"

# One --host per file, in order.
run cert --password-file "$fx/pfx-password" --ca-file "$fx/root.pem" -f json \
    --host ms01.contoso.test --host ms02.contoso.test "$fx/good.pfx" "$fx/wrong-cn.pfx"
expect "a --host per file: no findings (got '$(codes "$out")')" test "$(codes "$out")" = ""
run cert --host a.test --host b.test --host c.test "$fx/good.pfx" "$fx/wrong-cn.pfx"
expect "three --host for two files: exit 64" test "$rc" = 64
expect "three --host for two files: said" has "$err" "3 --host for 2 files"

# What cannot be read is said, not a finding, and the others are checked.
printf 'not a certificate\n' >"$dir/junk.crt"
run cert "${common[@]}" -f json "$fx/good.pfx" "$dir/junk.crt" "$dir/none.pfx"
expect "unreadable files: exit 3" test "$rc" = 3
expect "unreadable files: the good one checked" test "$(codes "$out")" = ""
expect "junk.crt: said why" has "$err" "junk.crt: not a certificate file (PEM, DER or PKCS#12)"
expect "none.pfx: said why" has "$err" "none.pfx"
expect "the JSON says incomplete" has "$out" '"complete": false'
printf 'wrong-password\n' >"$dir/wrong"
chmod 600 "$dir/wrong"
run cert --password-file "$dir/wrong" --ca-file "$fx/root.pem" "$fx/good.pfx"
expect "a wrong password: exit 3" test "$rc" = 3
expect "a wrong password: said" has "$err" "the password given does not open this PKCS#12 file"
run cert --ca-file "$fx/root.pem" "$fx/good.pfx" </dev/null
expect "no password and none typed: exit 3" test "$rc" = 3

# The JSON reports match examples/spnaudit-cert.schema.json (where
# python3-jsonschema is).
py=$(command -v /usr/bin/python3 || command -v python3)
if "$py" -c 'import jsonschema' 2>/dev/null; then
    i=0
    for args in "good.pfx ksp.pfx expired.pfx" "no-key.pfx good.cer" "two-certs.pem" "good.pfx none.pfx"; do
        i=$((i + 1))
        # shellcheck disable=SC2086 # the words are the files
        (cd "$fx" && "$tool" cert --password-file pfx-password --ca-file root.pem -f json $args) \
            >"$dir/report-$i.json" 2>/dev/null
    done
    expect "the reports match the schema" "$py" "$here/check-cert-schema.py" \
        "$here/../../examples/spnaudit-cert.schema.json" "$here/../../examples/spnaudit-report.schema.json" \
        "$dir"/report-*.json
fi

# For monitoring: days to expiry per certificate, and a plugin's status.
run cert "${common[@]}" -f prometheus "$fx/good.pfx" "$fx/expired.pfx" "$fx/expiring.pfx"
expect "prometheus: exit 2" test "$rc" = 2
expect "prometheus: days left of the expiring one" grep -qE '^spnaudit_cert_days_left\{host="ms01.contoso.test",source="[^"]*expiring.pfx",serial="[0-9A-F]+"\} (9|10)$' <<<"$out"
expect "prometheus: the expired one negative" grep -qE '^spnaudit_cert_days_left\{[^}]*expired.pfx[^}]*\} -[0-9]+$' <<<"$out"
expect "prometheus: CERT_EXPIRED counted" has "$out" 'spnaudit_cert_findings{code="CERT_EXPIRED",severity="failure"} 1'
expect "prometheus: CERT_KEY_CNG at 0" has "$out" 'spnaudit_cert_findings{code="CERT_KEY_CNG",severity="failure"} 0'
run cert "${common[@]}" -f nagios "$fx/good.pfx" "$fx/expiring.pfx"
expect "nagios: exit 1, WARNING" test "$rc" = 1 -a "${out%% -*}" = "SPNAUDIT-CERT WARNING"
expect "nagios: the first to end" grep -qE '^SPNAUDIT-CERT WARNING - 0 failures, 1 warning in 2 certificates; the first ends in (9|10) days' <<<"$out"
expect "nagios: perfdata" grep -qE '\| failures=0;;; warnings=1;;; certificates=2;;; time=[0-9.]+s;;; min_days_left=(9|10);;;$' <<<"$out"
run cert "${common[@]}" -f nagios "$fx/expired.pfx"
expect "nagios: expired is CRITICAL, exit 2" test "$rc" = 2 -a "${out%% -*}" = "SPNAUDIT-CERT CRITICAL"
run cert "${common[@]}" -f nagios "$fx/good.pfx" "$dir/none.pfx"
expect "nagios: a file not read is UNKNOWN, exit 3" test "$rc" = 3 -a "${out%% -*}" = "SPNAUDIT-CERT UNKNOWN"
run cert -f csv "$fx/good.pfx"
expect "-f csv: exit 64" test "$rc" = 64

# Usage errors.
run cert
expect "no file: exit 64" test "$rc" = 64
run cert "$fx/good.pfx" "$fx/good.pfx"
expect "a file named twice: exit 64" test "$rc" = 64
run cert --expiry-warning 9999 "$fx/good.pfx"
expect "--expiry-warning 9999: exit 64" test "$rc" = 64
run cert --ca-file "$dir/none.pem" "$fx/good.pem"
expect "an unreadable --ca-file: exit 64" test "$rc" = 64
run cert --password-file "$fx/pfx-password" --password-env X "$fx/good.pfx"
expect "two password sources: exit 64" test "$rc" = 64

echo "$bad problem(s)"
[ "$bad" = 0 ]
