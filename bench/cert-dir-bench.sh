#!/bin/bash
# cert-dir-bench.sh [N]: the time and memory of "spnaudit cert" reading N
# certificates published on N computer objects (userCertificate) of the
# test domain, one host each (default 1,000; the lab's agents agent0001..).
# Run inside the lab: tests/lab/testdomain.sh exec bench/cert-dir-bench.sh.
# The certificates are published for the run (as the domain's
# administrator, over LDAPS) and removed after it, so the lab is left as it
# was. Prints the wall time, CPU time and peak RSS of the run, per host,
# and checks that every certificate was read and found clean (exit 1
# otherwise). Needs openssl, ldap-utils, GNU time and a built tree.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOL=$PWD/build/src/spnaudit
N=1000
while [ $# -gt 0 ]; do
    case $1 in
        --tool) TOOL=${2:?--tool PATH}; shift 2 ;;
        [0-9]*) N=$1; shift ;;
        *) echo "usage: cert-dir-bench.sh [--tool PATH] [N]" >&2; exit 2 ;;
    esac
done
[ -x "$TOOL" ] || { echo "cert-dir-bench: no $TOOL (build first, or --tool PATH)" >&2; exit 2; }
: "${LAB_DC:?run inside the lab: tests/lab/testdomain.sh exec bench/cert-dir-bench.sh}"
[ "$N" -le "$LAB_AGENTS" ] || { echo "cert-dir-bench: the lab has $LAB_AGENTS agents, fewer than $N" >&2; exit 2; }
W=$(mktemp -d)
(umask 077 && printf '%s' "$LAB_PASSWORD" >"$W/admin-password")
export LDAPTLS_CACERT=$LAB_CA_FILE
admin=(-H "ldaps://$LAB_DC" -x -D "administrator@$LAB_REALM" -y "$W/admin-password")
host_of() { printf 'agent%04d.%s' "$1" "$LAB_DOMAIN"; }
dn_of() { printf 'CN=agent%04d,OU=Agents,%s' "$1" "$LAB_BASEDN"; }

# modify OP: the userCertificate of every host added, or deleted (the lab as it was)
modify() {
    for i in $(seq 1 "$N"); do
        printf 'dn: %s\nchangetype: modify\n%s: userCertificate\n' "$(dn_of "$i")" "$1"
        [ "$1" = delete ] || printf 'userCertificate:< file://%s/der/%d.cer\n' "$W" "$i"
        printf -- '-\n\n'
    done | ldapmodify "${admin[@]}" -c >/dev/null
}
cleanup() {
    modify delete 2>/dev/null || echo "cert-dir-bench: removing the certificates failed" >&2
    rm -rf "$W"
}

# A CA and one key for every leaf (key generation is not what is measured).
t0=$(date +%s.%N)
mkdir "$W/der"
openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$W/ca.key" -out "$W/ca.pem" -days 30 \
    -subj "/CN=spnaudit Bench CA" 2>/dev/null
openssl genrsa -out "$W/leaf.key" 2048 2>/dev/null
openssl req -new -key "$W/leaf.key" -subj "/CN=bench" -out "$W/req.pem" 2>/dev/null
for i in $(seq 1 "$N"); do
    host=$(host_of "$i")
    printf 'basicConstraints = critical, CA:false\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth, clientAuth\nsubjectAltName = DNS:%s\n' \
        "$host" >"$W/ext"
    openssl x509 -req -in "$W/req.pem" -CA "$W/ca.pem" -CAkey "$W/ca.key" -set_serial "$((1000 + i))" \
        -subj "/CN=$host" -days 365 -sha256 -extfile "$W/ext" -outform DER -out "$W/der/$i.cer" 2>/dev/null
done
trap cleanup EXIT
t1=$(date +%s.%N)
modify add
echo "cert-dir-bench: $N certificates made in $(echo "$t1 - $t0" | bc) s, published in $(echo "$(date +%s.%N) - $t1" | bc) s"

hosts=()
for i in $(seq 1 "$N"); do hosts+=(--host "$(host_of "$i")"); done
set +e
/usr/bin/time -f '%e %U %S %M' -o "$W/time" "$TOOL" cert -d "$LAB_DOMAIN" -s "$LAB_DC" --ca-file "$W/ca.pem" \
    --expiry-warning 0 -f json "${hosts[@]}" >"$W/report.json" 2>"$W/err"
status=$?
set -e
read -r wall user sys rss <"$W/time"
count=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["certificates"]), len(r["findings"]), len(r["not_read"]))' \
    "$W/report.json")
read -r certs findings unread <<<"$count"
printf '%-34s %8.2f s wall %7.2f s CPU %8d KiB peak   %6.2f ms per host   %s certificates, %s findings, %s hosts not checked, exit %d\n' \
    "$N published certificates" "$wall" "$(echo "$user + $sys" | bc)" "$rss" "$(echo "scale=2; $wall * 1000 / $N" | bc)" \
    "$certs" "$findings" "$unread" "$status"
if [ "$status" != 0 ] || [ "$certs" != "$N" ] || [ "$findings" != 0 ] || [ "$unread" != 0 ]; then
    echo "cert-dir-bench: the run failed or did not find every certificate clean" >&2
    head -5 "$W/err" >&2
    exit 1
fi
