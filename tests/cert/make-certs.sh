#!/bin/bash
# make-certs.sh OUTDIR: the certificates `spnaudit cert` is tested on, made
# at test time with the openssl command line (OpenSSL 3.0) alone: no
# faketime, no network. OUTDIR is created (it must not hold files yet) and
# receives
#   root.pem, inter.pem       a root CA and the issuing CA it signed
#   other-root.pem            a root that issued nothing of the above
#   pfx-password              the throwaway password of every .pfx
#   MANIFEST                  "FILE HOST FAULT" per fixture, FAULT "none"
#                             for the good ones
# and the fixtures: each is good.pfx (a leaf for ms01.contoso.test issued
# by inter.pem, with its key and inter.pem, the Microsoft bag attributes of
# the legacy CSP with AT_KEYEXCHANGE) but for the ONE fault its name says.
# Exit 0 when done, 2 for a wrong OUTDIR, 1 when openssl failed (its output
# then on stderr).
set -euo pipefail

usage() {
    echo "usage: make-certs.sh OUTDIR (created; it must not hold files yet)" >&2
    exit 2
}
if [ $# != 1 ] || [ -z "$1" ]; then usage; fi
out=$1
if [ -e "$out" ] && [ ! -d "$out" ]; then
    echo "make-certs.sh: $out exists and is not a directory" >&2
    exit 2
fi
if [ -d "$out" ] && [ -n "$(ls -A "$out")" ]; then
    echo "make-certs.sh: $out already holds files: give a new or empty directory" >&2
    exit 2
fi
mkdir -p "$out"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

HOST=ms01.contoso.test
LEGACY_CSP="Microsoft Enhanced RSA and AES Cryptographic Provider"
KSP="Microsoft Software Key Storage Provider"
# private, as spnaudit wants a password file (it refuses one others can read)
(umask 077 && printf 'Test-Pfx-Pw1\n' >"$out/pfx-password")

# Our own configuration, so that the system's openssl.cnf (its policies,
# default extensions, security level) changes nothing here.
export OPENSSL_CONF="$work/openssl.cnf"
mkdir "$work/newcerts"
: >"$work/index.txt"
echo 1000 >"$work/serial"
cat >"$OPENSSL_CONF" <<EOF
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder
[ ca ]
default_ca = test_ca
[ test_ca ]
database = $work/index.txt
new_certs_dir = $work/newcerts
serial = $work/serial
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
# -subj's order kept as given
preserve = yes
[ policy_any ]
commonName = optional
organizationName = optional
EOF

# run CMD...: openssl's chatter ("Signature ok", the CA's questions) stays
# out of sight unless it failed.
run() {
    local log="$work/log.$BASHPID" # its own, for the keys made side by side
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        echo "make-certs.sh: failed: $*" >&2
        exit 1
    fi
}

# Times as openssl ca takes them, from date -u (GNU date's relative dates).
when() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
yesterday=$(when '1 day ago')
in_a_year=$(when '1 day ago + 1 year')
ca_start=20190101000000Z # before the expired leaf, so only the leaf is off
ca_end=$(when '20 years')

# Keys, each made once: RSA generation is where the time goes. All leaves
# share ms01's key but for the faults about the key; the second key is
# ms02's and the wrong one of key-mismatch.pem.
genrsa() { run openssl genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$work/$1.key"; }
# Two at a time, for two cores; a bare `wait` would hide a failure.
pids=()
genrsa root 2048 &
pids+=($!)
genrsa inter 2048 &
pids+=($!)
genrsa other-root 2048 &
pids+=($!)
genrsa leaf 2048 &
pids+=($!)
genrsa leaf2 2048 &
pids+=($!)
genrsa rsa1024 1024 &
pids+=($!)
for p in "${pids[@]}"; do
    wait "$p" || exit 1
done
run openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ec.key"
for k in root inter other-root leaf leaf2 rsa1024 ec; do
    # -subj of openssl ca replaces the request's subject: one request per key
    run openssl req -new -key "$work/$k.key" -out "$work/$k.csr"
done

# sign NAME KEY SIGNER START END MD SUBJECT EXTENSION-LINE...: certificate
# $work/NAME.pem for KEY's request, signed by SIGNER's key and certificate
# (SIGNER "self": self-signed).
sign() {
    local name=$1 key=$2 signer=$3 start=$4 end=$5 md=$6 subj=$7
    shift 7
    printf '[ ext ]\n' >"$work/$name.ext"
    printf '%s\n' "$@" >>"$work/$name.ext"
    local by=(-keyfile "$work/$signer.key" -cert "$work/$signer.pem")
    [ "$signer" = self ] && by=(-keyfile "$work/$key.key" -selfsign)
    run openssl ca -batch -notext -in "$work/$key.csr" -out "$work/$name.pem" "${by[@]}" \
        -subj "$subj" -startdate "$start" -enddate "$end" -md "$md" \
        -extfile "$work/$name.ext" -extensions ext
}

sign root root self "$ca_start" "$ca_end" sha256 "/CN=spnaudit Test Root CA" \
    "basicConstraints = critical, CA:TRUE" "keyUsage = critical, keyCertSign, cRLSign" \
    "subjectKeyIdentifier = hash"
sign other-root other-root self "$ca_start" "$ca_end" sha256 "/CN=spnaudit Other Root CA" \
    "basicConstraints = critical, CA:TRUE" "keyUsage = critical, keyCertSign, cRLSign" \
    "subjectKeyIdentifier = hash"
sign inter inter root "$ca_start" "$ca_end" sha256 "/CN=spnaudit Test Issuing CA" \
    "basicConstraints = critical, CA:TRUE, pathlen:0" "keyUsage = critical, keyCertSign, cRLSign" \
    "subjectKeyIdentifier = hash" "authorityKeyIdentifier = keyid"
cp "$work/root.pem" "$work/inter.pem" "$work/other-root.pem" "$out/"

# leaf NAME [KEY=leaf] [SIGNER=inter] [START] [END] [MD] [SUBJECT] [SAN]
#      [EKU] [KU]: a leaf as good.pfx's but for what is given ("-" for the
# default; EKU "none" leaves the extension out).
leaf() {
    local name=$1 key=${2:--} signer=${3:--} start=${4:--} end=${5:--} md=${6:--}
    local subj=${7:--} san=${8:--} eku=${9:--} ku=${10:--}
    [ "$key" = - ] && key=leaf
    [ "$signer" = - ] && signer=inter
    [ "$start" = - ] && start=$yesterday
    [ "$end" = - ] && end=$in_a_year
    [ "$md" = - ] && md=sha256
    [ "$subj" = - ] && subj="/CN=$HOST"
    [ "$san" = - ] && san="DNS:$HOST"
    [ "$eku" = - ] && eku="serverAuth, clientAuth"
    [ "$ku" = - ] && ku="digitalSignature, keyEncipherment"
    local ext=("basicConstraints = CA:FALSE" "keyUsage = critical, $ku" "subjectAltName = $san"
        "subjectKeyIdentifier = hash" "authorityKeyIdentifier = keyid")
    [ "$eku" = none ] || ext+=("extendedKeyUsage = $eku")
    sign "$name" "$key" "$signer" "$start" "$end" "$md" "$subj" "${ext[@]}"
}

# pfx NAME CERT KEY [CHAIN=inter|none] [OPTION...]: NAME.pfx of CERT, KEY
# ("none": -nokeys) and the chain, with the legacy CSP's name and
# AT_KEYEXCHANGE unless OPTIONs say otherwise. OpenSSL 3's defaults
# (AES-256-CBC, PBKDF2, a SHA-256 MAC): Windows reads them since Server 2019.
pfx() {
    local name=$1 cert=$2 key=$3 chain=${4:-inter}
    shift $(($# < 4 ? $# : 4))
    local args=(-export -in "$work/$cert.pem" -passout "file:$out/pfx-password" -out "$out/$name.pfx")
    if [ "$key" = none ]; then args+=(-nokeys); else args+=(-inkey "$work/$key.key"); fi
    [ "$chain" = none ] || args+=(-certfile "$work/$chain.pem")
    if [ $# = 0 ]; then set -- -CSP "$LEGACY_CSP" -keyex; fi
    [ "$1" = -nocsp ] && shift
    run openssl pkcs12 "${args[@]}" "$@"
}

manifest=()
fixture() { manifest+=("$1 $2 $3"); }

leaf good
leaf ms02 leaf2 - - - - "/CN=ms02.contoso.test" "DNS:ms02.contoso.test"
leaf eku-server-only - - - - - - - "serverAuth"
leaf no-eku - - - - - - - none
leaf no-cn - - - - - "/O=Contoso"
leaf san-first-other - - - - - - "DNS:www.contoso.test, DNS:$HOST"
leaf expired - - 20200101000000Z 20210101000000Z
leaf not-yet-valid - - 20350101000000Z 20360101000000Z
leaf expiring - - "$(when '30 days ago')" "$(when '10 days')"
leaf other-ca - other-root
leaf rsa1024 rsa1024
leaf sha1 - - - - sha1
leaf ku-sign-only - - - - - - - - digitalSignature
leaf ec ec

pfx good good leaf
fixture good.pfx "$HOST" none
cat "$work/good.pem" "$work/leaf.key" "$work/inter.pem" >"$out/good.pem"
fixture good.pem "$HOST" none
run openssl x509 -in "$work/good.pem" -outform DER -out "$out/good.cer"
fixture good.cer "$HOST" none
cp "$work/good.pem" "$out/good-leaf.pem"
fixture good-leaf.pem "$HOST" none

# The faults of the certificate itself.
for f in eku-server-only no-eku no-cn san-first-other expired not-yet-valid expiring \
    sha1 ku-sign-only; do
    pfx "$f" "$f" leaf
    fixture "$f.pfx" "$HOST" "$f"
done
# With its own issuer as the chain, as good.pfx has its own.
pfx other-ca other-ca leaf other-root
fixture other-ca.pfx "$HOST" other-ca
pfx wrong-cn ms02 leaf2
fixture wrong-cn.pfx "$HOST" wrong-cn
pfx rsa1024 rsa1024 rsa1024
fixture rsa1024.pfx "$HOST" rsa1024
# An EC key in the legacy CSP's attributes too: only the key differs.
pfx ec ec ec
fixture ec.pfx "$HOST" ec

# The faults of the packaging.
pfx no-key good none
fixture no-key.pfx "$HOST" no-key
cat "$work/good.pem" "$work/leaf2.key" "$work/inter.pem" >"$out/key-mismatch.pem"
fixture key-mismatch.pem "$HOST" key-mismatch
pfx ksp good leaf inter -CSP "$KSP" -keyex
fixture ksp.pfx "$HOST" ksp
pfx keysig good leaf inter -CSP "$LEGACY_CSP" -keysig
fixture keysig.pfx "$HOST" keysig
pfx no-csp good leaf inter -nocsp
fixture no-csp.pfx "$HOST" no-csp
pfx missing-intermediate good leaf none
fixture missing-intermediate.pfx "$HOST" missing-intermediate

# Several certificates in one file: each leaf followed by its key, then the
# issuing CA both share.
cat "$work/good.pem" "$work/leaf.key" "$work/ms02.pem" "$work/leaf2.key" "$work/inter.pem" \
    >"$out/two-certs.pem"
fixture two-certs.pem "$HOST" two-certs

# DER copies for the test domain, which publishes them on computer objects
# (userCertificate): beside good.cer, ms01's expired one and ms02's own.
for f in expired ms02; do
    run openssl x509 -in "$work/$f.pem" -outform DER -out "$out/$f.cer"
done
cat "$work/root.pem" "$work/inter.pem" >"$out/chain.pem"

printf '%s\n' "${manifest[@]}" >"$out/MANIFEST"
