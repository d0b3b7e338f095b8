#!/bin/bash
# cert-bench.sh [N]: the time and memory of "spnaudit cert" on N
# certificates (default 1,000), each for its own host, signed by a test CA:
# once as N PKCS#12 files (key, chain, Microsoft
# attributes, password: the costly form, PBKDF2 for the MAC and the key),
# once as N DER files (.cer, the certificate alone), and once as one PEM
# file holding all N. Prints the wall time, CPU time and peak RSS of each
# run, per certificate, and checks that every certificate was read and
# found clean (exit 1 otherwise).
# Needs openssl, GNU time (/usr/bin/time) and a built tree (or --tool PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
TOOL=$PWD/build/src/spnaudit
N=1000
while [ $# -gt 0 ]; do
    case $1 in
        --tool) TOOL=${2:?--tool PATH}; shift 2 ;;
        [0-9]*) N=$1; shift ;;
        *) echo "usage: bench/cert-bench.sh [--tool PATH] [N]" >&2; exit 2 ;;
    esac
done
[ -x "$TOOL" ] || { echo "cert-bench: no $TOOL (build first, or --tool PATH)" >&2; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# A CA and one key for every leaf (key generation is not what is measured).
t0=$(date +%s.%N)
mkdir "$W/pfx" "$W/der"
(umask 077 && echo 'Bench-Pfx-Pw1' >"$W/pfx-password")
openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$W/ca.key" -out "$W/ca.pem" -days 30 \
    -subj "/CN=spnaudit Bench CA" 2>/dev/null
openssl genrsa -out "$W/leaf.key" 2048 2>/dev/null
cat >"$W/openssl.cnf" <<'EOF'
[ca]
default_ca = bench
[bench]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
[leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:${ENV::HOST}
EOF
(
    cd "$W"
    : >index.txt
    echo 1000 >serial
    for i in $(seq 1 "$N"); do
        host=$(printf 'agent%05d.contoso.test' "$i")
        openssl req -new -key leaf.key -subj "/CN=$host" -out req.pem 2>/dev/null
        HOST=$host openssl ca -batch -config openssl.cnf -extensions leaf -cert ca.pem -keyfile ca.key \
            -days 365 -in req.pem -out leaf.pem -notext 2>/dev/null
        openssl x509 -in leaf.pem -outform der -out "der/$host.cer"
        openssl pkcs12 -export -in leaf.pem -inkey leaf.key -certfile ca.pem -passout "file:pfx-password" \
            -CSP "Microsoft Enhanced RSA and AES Cryptographic Provider" -keyex -out "pfx/$host.pfx"
        cat leaf.pem >>all.pem
    done
)
echo "cert-bench: $N certificates made in $(echo "$(date +%s.%N) - $t0" | bc) s"

# run NAME FILES...: spnaudit cert on FILES (all clean: exit 0), timed
run() {
    local name=$1 status
    shift
    set +e
    /usr/bin/time -f '%e %U %S %M' -o "$W/$name.time" "$TOOL" cert --password-file "$W/pfx-password" \
        --ca-file "$W/ca.pem" --expiry-warning 0 -f json "$@" >"$W/$name.json" 2>"$W/$name.err"
    status=$?
    set -e
    read -r wall user sys rss <"$W/$name.time"
    count=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["certificates"]), len(r["findings"]))' \
        "$W/$name.json")
    printf '%-28s %8.2f s wall %7.2f s CPU %8d KiB peak   %6.2f ms per certificate   %s certificates, %s findings, exit %d\n' \
        "$name" "$wall" "$(echo "$user + $sys" | bc)" "$rss" "$(echo "scale=2; $wall * 1000 / $N" | bc)" \
        ${count% *} ${count#* } "$status"
    [ "$status" = 0 ] && [ "${count% *}" = "$N" ] && [ "${count#* }" = 0 ]
}

ok=0
run "$N PKCS#12 files" "$W"/pfx/*.pfx || ok=1
run "$N DER files" "$W"/der/*.cer || ok=1
run "one PEM of $N" "$W/all.pem" || ok=1
[ "$ok" = 0 ] || echo "cert-bench: a run failed or did not find every certificate clean" >&2
exit "$ok"
