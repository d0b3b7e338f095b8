#!/bin/bash
# check-fixtures.sh: make-certs.sh does what it says. It makes the fixtures
# into a fresh directory and reads every one back with openssl: each
# fixture's properties (names, EKU, key usage, key, digest, dates, chain,
# the certificates and key it holds, the Microsoft attributes of its key)
# are good.pfx's but for the one its fault names, so a test of `spnaudit
# cert` that sees a finding knows which fault caused it. A wrong OUTDIR is
# refused. Prints "N passed, N failed"; exit 1 if any failed.
set -uo pipefail
make=$(dirname "$0")/make-certs.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$dir/out
passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}
# assert WHAT-IF-NOT CMD...: CMD succeeds.
assert() {
    local what=$1
    shift
    if "$@"; then ok; else fail "$what"; fi
}
# expect WHAT WANT GOT
expect() {
    if [ "$2" = "$3" ]; then ok; else fail "$1: want '$2', got '$3'"; fi
}

start=$(date +%s)
if ! "$make" "$out" 2>"$dir/err"; then
    echo "FAIL: make-certs.sh failed: $(cat "$dir/err")"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "make-certs.sh took $(($(date +%s) - start)) s"
expect "make-certs.sh's stderr" "" "$(cat "$dir/err")"
pw=$out/pfx-password
now=$(date +%s)
day=86400

# A directory that holds files, or a file, is refused with exit 2 and
# left as it was.
before=$(find "$out" -printf '%p %s %T@\n' | sort | md5sum)
err=$("$make" "$out" 2>&1)
expect "make-certs.sh into a directory that holds files: exit" 2 "$?"
assert "make-certs.sh into a full directory said: $err" grep -q "already holds files" <<<"$err"
expect "the full directory" "$before" "$(find "$out" -printf '%p %s %T@\n' | sort | md5sum)"
err=$("$make" "$pw" 2>&1)
expect "make-certs.sh into a file: exit" 2 "$?"
assert "make-certs.sh into a file said: $err" grep -q "not a directory" <<<"$err"
"$make" 2>/dev/null
expect "make-certs.sh without OUTDIR: exit" 2 "$?"

expect "pfx-password" "Test-Pfx-Pw1" "$(cat "$pw")"

# The CAs: two roots (self-signed) and the issuing CA under the first.
subject() { openssl x509 -noout -subject -nameopt oneline -in "$1" | sed 's/^subject=//'; }
issuer() { openssl x509 -noout -issuer -nameopt oneline -in "$1" | sed 's/^issuer=//'; }
basic() { openssl x509 -noout -ext basicConstraints -in "$1" | sed -n 2p | sed 's/^ *//'; }
expect "root.pem subject" "CN = spnaudit Test Root CA" "$(subject "$out/root.pem")"
expect "root.pem issuer" "CN = spnaudit Test Root CA" "$(issuer "$out/root.pem")"
expect "root.pem basic constraints" "CA:TRUE" "$(basic "$out/root.pem")"
expect "other-root.pem subject" "CN = spnaudit Other Root CA" "$(subject "$out/other-root.pem")"
expect "other-root.pem issuer" "CN = spnaudit Other Root CA" "$(issuer "$out/other-root.pem")"
expect "inter.pem subject" "CN = spnaudit Test Issuing CA" "$(subject "$out/inter.pem")"
expect "inter.pem issuer" "CN = spnaudit Test Root CA" "$(issuer "$out/inter.pem")"
expect "inter.pem basic constraints" "CA:TRUE, pathlen:0" "$(basic "$out/inter.pem")"
expect "inter.pem under root.pem" "$out/inter.pem: OK" \
    "$(openssl verify -CAfile "$out/root.pem" "$out/inter.pem" 2>&1)"
expect "inter.pem under other-root.pem" "fails" \
    "$(openssl verify -CAfile "$out/other-root.pem" "$out/inter.pem" >/dev/null 2>&1 && echo verifies || echo fails)"

# unpack FILE U: FILE's leaf into U/leaf.pem, its other certificates into
# U/chain.pem, its key (if any) into U/key.pem, their order (PEM files)
# into U/order; a .pfx's key with the bag and key attributes openssl prints
# before it.
unpack() {
    local f=$1 u=$2
    mkdir -p "$u"
    : >"$u/key.pem"
    : >"$u/chain.pem"
    : >"$u/order"
    case $f in
    *.pfx)
        # The leaf is the first certificate bag (-clcerts would pick it by
        # its localKeyID, which a PKCS#12 without the key lacks); the key
        # keeps the attribute lines openssl prints before it.
        openssl pkcs12 -in "$f" -passin "file:$pw" -nodes -out "$u/all.pem" &&
            awk -v u="$u" '
                /^-----BEGIN CERT/ { dest = n++ ? u "/chain.pem" : u "/leaf.pem" }
                /^-----BEGIN PRIVATE KEY/ { dest = u "/key.pem"; printf "%s", pre >> dest }
                dest == "" { pre = pre $0 "\n" }
                dest != "" { print >> dest }
                /^-----END / { dest = ""; pre = "" }' "$u/all.pem"
        ;;
    *.cer) openssl x509 -inform DER -in "$f" -out "$u/leaf.pem" ;;
    *.pem)
        # PEM blocks in order: the first certificate is the leaf, the first
        # key its key, the other certificates its chain.
        awk -v u="$u" '
            /^-----BEGIN / { kind = ($0 ~ /PRIVATE KEY/) ? "key" : "cert"; print kind >> (u "/order")
                             if (kind == "key") { dest = seen_key++ ? "/dev/null" : u "/key.pem" }
                             else { dest = seen_cert++ ? u "/chain.pem" : u "/leaf.pem" } }
            dest != "" { print >> dest }
            /^-----END / { dest = "" }' "$f"
        ;;
    esac
}

# props U: the properties of U's leaf, key and chain, one "name=value" a
# line, as the fixtures differ in them. Read from one `x509 -text`, parsed
# by bash alone: under load every process costs tens of milliseconds.
props() {
    local u=$1 leaf=$1/leaf.pem text line prev="" v nb na
    local -A f=()
    text=$(openssl x509 -noout -text -pubkey -nameopt oneline -in "$leaf")
    # f: "Subject", "Not Before" ... (their first occurrence), each X509v3
    # extension's first value line, "critical NAME" for the critical ones
    while IFS= read -r line; do
        line=${line#"${line%%[! ]*}"}
        if [[ $prev == "X509v3 "*": critical" ]]; then
            f[critical ${prev%%:*}]=1
        fi
        if [[ $prev == "X509v3 "*:* ]]; then
            f[${prev%%:*}]=$line
        fi
        case $line in
        "Subject: "* | "Issuer: "* | "Public Key Algorithm: "* | "Signature Algorithm: "* | \
            "Not Before: "* | "Not After : "* | "ASN1 OID: "* | "Public-Key: "*)
            v=${line%%: *}
            v=${v% }
            [ -n "${f[$v]+set}" ] || f[$v]=${line#*: }
            ;;
        esac
        prev=$line
    done <<<"$text"
    echo "subject=${f[Subject]}"
    echo "issuer=${f[Issuer]}"
    echo "san=${f[X509v3 Subject Alternative Name]-none}"
    echo "eku=${f[X509v3 Extended Key Usage]-none}"
    echo "ku=${f[critical X509v3 Key Usage]+critical: }${f[X509v3 Key Usage]-none}"
    v=${f[Public-Key]//[!0-9]/}
    echo "pubkey=${f[Public Key Algorithm]} $v${f[ASN1 OID]+ curve ${f[ASN1 OID]}}"
    echo "sig=${f[Signature Algorithm]}"
    { read -r nb; read -r na; } < <(printf '%s\n' "${f[Not Before]}" "${f[Not After]}" | date -f - +%s)
    if [ "$now" -lt "$nb" ]; then
        echo "dates=not-yet-valid"
    elif [ "$na" -lt "$now" ]; then
        echo "dates=expired"
    elif [ $((na - now)) -lt $((30 * day)) ]; then
        echo "dates=expiring"
    else
        echo "dates=valid"
    fi
    # Built as a Windows peer would: its own chain, root.pem trusted.
    local untrusted=()
    [ -s "$u/chain.pem" ] && untrusted=(-untrusted "$u/chain.pem")
    v=$(openssl verify -CAfile "$out/root.pem" "${untrusted[@]}" "$leaf" 2>&1)
    if [ "$v" = "$leaf: OK" ]; then
        echo "chain=ok"
    else
        v=${v#*lookup: }
        echo "chain=${v%%$'\n'*}"
    fi
    v=0
    while IFS= read -r line; do
        [ "$line" != "-----BEGIN CERTIFICATE-----" ] || v=$((v + 1))
    done < <(printf '%s\n' "$(<"$leaf")" "$(<"$u/chain.pem")")
    echo "certs=$v"
    v=$(<"$u/key.pem")
    if [[ $v != *"PRIVATE KEY"* ]]; then
        echo "key=none"
    elif [ "-----BEGIN PUBLIC KEY-----${text#*-----BEGIN PUBLIC KEY-----}" = \
        "$(openssl pkey -pubout -in "$u/key.pem")" ]; then
        echo "key=matches"
    else
        echo "key=differs"
    fi
    # The attribute lines openssl prints before the key.
    local csp=none keyspec=none
    while IFS= read -r line; do
        case $line in
        *"Microsoft CSP Name: "*) csp=${line#*: } ;;
        *"X509v3 Key Usage: "*) keyspec=${line#*: } keyspec=${keyspec%% *} ;;
        esac
    done <<<"$v"
    echo "csp=$csp"
    echo "keyspec=$keyspec"
}

# What good.pfx is: each fixture is this but for the overrides its fault
# brings (below).
good="subject=CN = ms01.contoso.test
issuer=CN = spnaudit Test Issuing CA
san=DNS:ms01.contoso.test
eku=TLS Web Server Authentication, TLS Web Client Authentication
ku=critical: Digital Signature, Key Encipherment
pubkey=rsaEncryption 2048
sig=sha256WithRSAEncryption
dates=valid
chain=ok
certs=2
key=matches
csp=Microsoft Enhanced RSA and AES Cryptographic Provider
keyspec=10"
pem_good="csp=none
keyspec=none"
leaf_only="certs=1
key=none
chain=unable to get local issuer certificate
csp=none
keyspec=none"
declare -A differs=(
    [good.pfx]=""
    [good.pem]=$pem_good
    [good.cer]=$leaf_only
    [good-leaf.pem]=$leaf_only
    [eku-server-only.pfx]="eku=TLS Web Server Authentication"
    [no-eku.pfx]="eku=none"
    [no-key.pfx]="key=none
csp=none
keyspec=none"
    [key-mismatch.pem]="key=differs
$pem_good"
    [ksp.pfx]="csp=Microsoft Software Key Storage Provider"
    [keysig.pfx]="keyspec=80"
    [no-csp.pfx]="csp=none
keyspec=none"
    [no-cn.pfx]="subject=O = Contoso"
    [wrong-cn.pfx]="subject=CN = ms02.contoso.test
san=DNS:ms02.contoso.test"
    [san-first-other.pfx]="san=DNS:www.contoso.test, DNS:ms01.contoso.test"
    [expired.pfx]="dates=expired
chain=certificate has expired"
    [not-yet-valid.pfx]="dates=not-yet-valid
chain=certificate is not yet valid"
    [expiring.pfx]="dates=expiring"
    [missing-intermediate.pfx]="certs=1
chain=unable to get local issuer certificate"
    [other-ca.pfx]="issuer=CN = spnaudit Other Root CA
chain=self-signed certificate in certificate chain"
    [rsa1024.pfx]="pubkey=rsaEncryption 1024"
    [sha1.pfx]="sig=sha1WithRSAEncryption"
    [ku-sign-only.pfx]="ku=critical: Digital Signature"
    [ec.pfx]="pubkey=id-ecPublicKey 256 curve prime256v1"
)

# lines_to NAME TEXT: "name=value" lines into the associative array NAME
# (bash alone: thousands of greps would take seconds).
lines_to() {
    local -n into=$1
    local line
    while IFS= read -r line; do
        # shellcheck disable=SC2034 # into is a nameref: the caller's array
        [ -n "$line" ] && into[${line%%=*}]=${line#*=}
    done <<<"$2"
}
# The MANIFEST names every fixture (and nothing else), each with the host
# and a fault that is its name (none for good*).
expect "MANIFEST lines" "$(printf '%s\n' "${!differs[@]}" two-certs.pem | sort)" \
    "$(cut -d' ' -f1 "$out/MANIFEST" | sort)"
while read -r file host fault extra; do
    expect "$file in MANIFEST: host" ms01.contoso.test "$host"
    case $file in good*) want_fault=none ;; *) want_fault=${file%.*} ;; esac
    expect "$file in MANIFEST: fault" "$want_fault" "$fault"
    expect "$file in MANIFEST: fields" "" "$extra"
    assert "$file in MANIFEST is not in OUTDIR" test -f "$out/$file"
done <"$out/MANIFEST"
expect "OUTDIR's files" "$( (cut -d' ' -f1 "$out/MANIFEST"
    printf '%s\n' MANIFEST pfx-password root.pem inter.pem other-root.pem expired.cer ms02.cer \
        chain.pem) | sort)" "$(ls "$out")"

# The test domain's published certificates (DER) and the chain they build with.
expect "expired.cer: ms01's, expired in 2021" "subject=CN = ms01.contoso.test notAfter=Jan  1 00:00:00 2021 GMT" \
    "$(openssl x509 -inform DER -in "$out/expired.cer" -noout -subject -enddate | paste -sd ' ')"
expect "ms02.cer: ms02's" "subject=CN = ms02.contoso.test" \
    "$(openssl x509 -inform DER -in "$out/ms02.cer" -noout -subject)"
expect "chain.pem: the root and the issuing CA" "2" "$(grep -c 'BEGIN CERTIFICATE' "$out/chain.pem")"
assert "ms02.cer builds through chain.pem" openssl verify -CAfile "$out/chain.pem" \
    <(openssl x509 -inform DER -in "$out/ms02.cer")

for file in "${!differs[@]}"; do
    u=$dir/u/$file
    if ! unpack "$out/$file" "$u" 2>"$dir/err"; then
        fail "$file: openssl could not read it: $(cat "$dir/err")"
        continue
    fi
    # What it should be: good.pfx's properties with its fault's in place.
    unset want got
    declare -A want=() got=()
    lines_to want "$good"
    lines_to want "${differs[$file]}"
    lines_to got "$(props "$u")"
    for name in "${!want[@]}"; do
        expect "$file: $name" "${want[$name]}" "${got[$name]-(missing)}"
    done
done

# The PEM files' order: leaf, key, issuing CA.
for file in good.pem key-mismatch.pem; do
    expect "$file: order" "cert key cert" "$(tr '\n' ' ' <"$dir/u/$file/order" | sed 's/ $//')"
done
expect "good-leaf.pem: order" "cert" "$(cat "$dir/u/good-leaf.pem/order")"
# good.cer is DER, and the same leaf as every good file.
expect "good.cer: DER (a SEQUENCE)" 30 "$(head -c1 "$out/good.cer" | od -An -tx1 | tr -d ' ')"
fp() { openssl x509 -noout -fingerprint -sha256 -in "$1"; }
for file in good.pem good.cer good-leaf.pem ksp.pfx keysig.pfx no-csp.pfx no-key.pfx missing-intermediate.pfx \
    key-mismatch.pem; do
    expect "$file: good.pfx's leaf" "$(fp "$dir/u/good.pfx/leaf.pem")" "$(fp "$dir/u/$file/leaf.pem")"
done
# Where there is a key, its localKeyID ties the leaf to it (-clcerts).
for file in good.pfx ksp.pfx keysig.pfx no-csp.pfx missing-intermediate.pfx ec.pfx; do
    expect "$file: the certificate of the key" "$(fp "$dir/u/$file/leaf.pem")" "$(openssl pkcs12 \
        -in "$out/$file" -passin "file:$pw" -nokeys -clcerts | openssl x509 -noout -fingerprint -sha256)"
done
# key-mismatch as the C code may test it: RSA moduli.
expect "key-mismatch.pem: moduli" differ "$(
    [ "$(openssl x509 -noout -modulus -in "$dir/u/key-mismatch.pem/leaf.pem")" = \
        "$(openssl rsa -noout -modulus -in "$dir/u/key-mismatch.pem/key.pem")" ] && echo same || echo differ)"

# The dates themselves.
dates() {
    local v
    v=$(openssl x509 -noout -startdate -enddate -in "$dir/u/$1/leaf.pem")
    echo "$(date -d "$(sed -n 's/notBefore=//p' <<<"$v")" +%s) $(date -d "$(sed -n 's/notAfter=//p' <<<"$v")" +%s)"
}
near() { [ "$1" -ge $(($2 - 3600)) ] && [ "$1" -le $(($2 + 3600)) ]; } # an hour either way
read -r nb na < <(dates good.pfx)
assert "good.pfx: notBefore $(date -ud "@$nb") is not yesterday" near "$nb" $((now - day))
days=$(((na - nb) / day))
assert "good.pfx: valid $days days, not a year" grep -qx '36[56]' <<<"$days"
read -r nb na < <(dates expiring.pfx)
assert "expiring.pfx: notBefore $(date -ud "@$nb") is not 30 days ago" near "$nb" $((now - 30 * day))
assert "expiring.pfx: notAfter $(date -ud "@$na") is not in 10 days" near "$na" $((now + 10 * day))
expect "expired.pfx: dates" "$(date -ud 2020-01-01 +%s) $(date -ud 2021-01-01 +%s)" "$(dates expired.pfx)"
expect "not-yet-valid.pfx: dates" "$(date -ud 2035-01-01 +%s) $(date -ud 2036-01-01 +%s)" \
    "$(dates not-yet-valid.pfx)"
# The fault of other-ca.pfx is only its root: under other-root.pem it builds.
expect "other-ca.pfx under other-root.pem" "$dir/u/other-ca.pfx/leaf.pem: OK" "$(openssl verify \
    -CAfile "$out/other-root.pem" "$dir/u/other-ca.pfx/leaf.pem" 2>&1)"
# OpenSSL 3's PKCS#12 defaults, not -legacy's RC2/3DES.
assert "good.pfx: its key is not under AES-256-CBC" grep -q 'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC' \
    < <(openssl pkcs12 -info -nocerts -nodes -in "$out/good.pfx" -passin "file:$pw" 2>&1)

# two-certs.pem: ms01's leaf and key, ms02's leaf and key, the issuing CA.
u=$dir/u/two-certs.pem
mkdir -p "$u"
awk -v u="$u" '/^-----BEGIN / { n++; printf "%s", ($0 ~ /PRIVATE KEY/ ? "key " : "cert ") >> (u "/order") }
    { print > (u "/" n ".pem") }' "$out/two-certs.pem"
expect "two-certs.pem: order" "cert key cert key cert " "$(cat "$u/order")"
expect "two-certs.pem: first leaf" "CN = ms01.contoso.test" "$(subject "$u/1.pem")"
expect "two-certs.pem: second leaf" "CN = ms02.contoso.test" "$(subject "$u/3.pem")"
expect "two-certs.pem: last" "CN = spnaudit Test Issuing CA" "$(subject "$u/5.pem")"
for pair in 1:2 3:4; do
    expect "two-certs.pem: the key after certificate ${pair%:*}" \
        "$(openssl x509 -noout -pubkey -in "$u/${pair%:*}.pem")" "$(openssl pkey -pubout -in "$u/${pair#*:}.pem")"
done
assert "two-certs.pem: both leaves have the same key" \
    test "$(openssl pkey -pubout -in "$u/2.pem")" != "$(openssl pkey -pubout -in "$u/4.pem")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
