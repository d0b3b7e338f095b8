#!/bin/bash
# testdomain.sh: a real Samba 4.17 AD DC for the realm CONTOSO.TEST, for spnaudit's
# integration tests (LDAP + Kerberos against a real KDC, with deliberate SCOM SPN faults).
#
#   testdomain.sh up       provision (first time), populate, start the DC and the management
#                          servers' port 5723 listener, wait ready, kinit (idempotent)
#   testdomain.sh down     stop only what this script started, remove the netns and the state
#   testdomain.sh status   exit 0 if the DC runs and answers and the listener runs, 1 otherwise
#   testdomain.sh env      print the client environment (export lines)
#   testdomain.sh exec CMD [ARGS...]   run CMD inside the lab's netns with that environment
#
# Env knobs: SPNAUDIT_LAB_DIR (state, default /tmp/spnaudit-lab), SPNAUDIT_LAB_AGENTS (number
# of agent computer accounts, default 1250 = 5,000 agent SPNs, read at provisioning),
# SPNAUDIT_LAB_NS (network namespace name, default spnaudit-lab; a second instance, e.g.
# a benchmark, needs its own NS and DIR), SPNAUDIT_LAB_KEEP=1 (down keeps the state so the next up only starts),
# SPNAUDIT_LAB_LOG_LEVEL (samba, default 1).
#
# Why it is built this way (the non-obvious parts):
# - Network: ONE network namespace (spnaudit-lab) with only its loopback up. The DC binds
#   127.0.0.1 in there, so nothing is reachable from (or collides with) the host, and no
#   private address range is used. Every client runs in the same namespace ("exec").
#   `ip netns exec` bind-mounts /etc/netns/spnaudit-lab/{hosts,resolv.conf} over /etc, which
#   gives clients dc1.contoso.test and Samba's own DNS without touching the host's /etc.
# - Mounts: `ip netns exec` also unshares the mount namespace, and samba is started there with
#   a private /run/samba (bind mount of $LAB/contoso/rs). smbd on an AD DC reaches winbindd only
#   at the compiled-in /run/samba/winbindd, so that directory cannot be moved by smb.conf and
#   must not be shared with another DC (or a host samba).
# - Several DCs: everything per DC comes from the table below (REALM/NB/HOSTN/IP). A second DC
#   (e.g. for trusts) is one more row with IP 127.0.0.2 (added to lo in the netns) plus a
#   populate_<name> function; only contoso is built today.
# - Populate OFFLINE, before the first start, in ONE python process with SamDB opened with the
#   system session (the full dsdb module stack: RIDs, password hashing, Kerberos keys). That is
#   far faster than samba-tool per object (each samba-tool run costs ~1 s of python start-up and
#   schema load). TDB_NO_FSYNC=1 during provision/populate skips fsync (the work is redone
#   from scratch if interrupted: .provisioned is written last). The 1250 agents' Kerberos keys
#   are derived with OpenSSL in worker processes instead of Samba's slow built-in PBKDF2 (see
#   POPULATE_PY): ~7 s instead of ~28 s.
# - Passwords: computer accounts created without unicodePwd have no Kerberos keys and the KDC
#   then refuses tickets ("KDC has no support for encryption type"), so every account gets one.
# - The duplicate SPN (ms07 / ms07old) cannot be written through LDAP or SamDB (samldb refuses
#   duplicates), so it is written with ldbmodify straight into the domain partition's tdb, below
#   the module stack, while samba is stopped.
# - `dns forwarder` is copied by provisioning from resolv.conf (here 127.0.0.1 = itself); it is
#   deleted so Samba's DNS never forwards (or loops).
# - samba runs with `-M single` (one process, ~130 MiB) instead of the prefork default (~58
#   processes).
# - Management servers (the audit's reachability check: DNS, then TCP 5723, the SCOM agent
#   port): each of ms01..ms07 is in one of three classes, exported to clients as LAB_MS_*.
#   Names resolve through the netns hosts file only, at 127.0.0.2x (the whole 127.0.0.0/8 is
#   local on lo, so nothing is added to lo to bind or reach them). ms03 has no line and no
#   Samba DNS record either: provisioning makes none for computer accounts (nor any A record
#   for a 127.x DC, which is why dc1 is in the hosts file too), so it does not resolve at all.
#   ms01/ms02 get a stand-in Health Service: ONE python process listening on both addresses
#   that accepts and closes (a real connect is all the audit needs); ms04..ms07 resolve but
#   refuse. The listener is started with nsenter (network only; its pid is $!, as nsenter
#   execs), leaves the script's session, writes its pid file itself once it listens (the
#   readiness signal), and has stdio on /dev/null and its log, and fd 9 closed: the flock
#   belongs to the open file, so a daemon inheriting fd 9 would hold the lock for ever and the
#   next up/down would hang (samba is started with 9<&- for the same reason); it also closes
#   any other inherited fd (a caller's pipe would otherwise never see EOF). It is checked by
#   its pid file, its netns and its argv (which names the pid file), and so is stopped.
set -euo pipefail

PROG=testdomain
SELF=$(readlink -f "${BASH_SOURCE[0]}")
LAB=${SPNAUDIT_LAB_DIR:-/tmp/spnaudit-lab}
CL=$LAB/client
NS=${SPNAUDIT_LAB_NS:-spnaudit-lab} # network namespace (one per lab instance)
PASS='Passw0rd!23'                 # throwaway lab password (administrator and the users)
LOGLEVEL=${SPNAUDIT_LAB_LOG_LEVEL:-1}
PY=/usr/bin/python3                # the distribution python that has the samba module
READY_TIMEOUT=60                   # seconds
MODEL=${SPNAUDIT_LAB_MODEL:-single} # samba process model: single, or prefork (benchmarks)
AGENTS_DEFAULT=1250                # agents x 4 SPNs (MSOMHSvc and HOST, FQDN and NetBIOS)

# ---------------------------------------------------------------- the DC table
DOMAINS="contoso"                  # add e.g. "fabrikam" here plus a row in each array
PRIMARY=contoso                    # the domain the client environment points at
declare -A REALM=([contoso]=CONTOSO.TEST)
declare -A NB=([contoso]=CONTOSO)
declare -A HOSTN=([contoso]=dc1)
declare -A IP=([contoso]=127.0.0.1)

dir_of()    { echo "$LAB/$1"; }
conf_of()   { echo "$LAB/$1/etc/smb.conf"; }
dom_of()    { echo "${REALM[$1],,}"; }
fqdn_of()   { echo "${HOSTN[$1]}.$(dom_of "$1")"; }
basedn_of() { local r; r=$(dom_of "$1"); echo "DC=${r//./,DC=}"; }

# ---------------------------------------------------------------- the management servers
# (of the primary domain) name -> address in the netns hosts file; no entry = no DNS at all.
# MS_LISTEN: a listener on MS_PORT stands in for their Health Service; the others refuse.
MS_NAMES="ms01 ms02 ms03 ms04 ms05 ms06 ms07"
declare -A MS_IP=([ms01]=127.0.0.21 [ms02]=127.0.0.22 [ms04]=127.0.0.24 [ms05]=127.0.0.25
                  [ms06]=127.0.0.26 [ms07]=127.0.0.27)
MS_LISTEN="ms01 ms02"
MS_PORT=5723
MSD=$LAB/ms                        # the listener's pid file and log

ms_fqdn()    { echo "$1.$(dom_of "$PRIMARY")"; }
ms_listens() { [[ " $MS_LISTEN " == *" $1 "* ]]; }
ms_class() { # listening|no-dns|no-listener
  if [ -z "${MS_IP[$1]:-}" ]; then echo no-dns
  elif ms_listens "$1"; then echo listening
  else echo no-listener; fi
}
ms_list() { # class: the FQDNs of the management servers in that class, space separated
  local n out=()
  for n in $MS_NAMES; do
    if [ "$(ms_class "$n")" = "$1" ]; then out+=("$(ms_fqdn "$n")"); fi
  done
  echo "${out[*]}"
}

log()   { echo "[$PROG] $*" >&2; }
die()   { echo "[$PROG] ERROR: $*" >&2; exit 1; }
now()   { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- processes
dc_pid() { # prints the samba master pid if it is alive AND lives in our netns
  local f p
  f=$(dir_of "$1")/run/samba.pid
  [ -s "$f" ] || return 1
  p=$(tr -dc 0-9 < "$f")
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
  [ "$(ip netns identify "$p" 2>/dev/null)" = "$NS" ] || return 1
  echo "$p"
}
netns_exists() { [ -e "/run/netns/$NS" ]; }
in_net() { nsenter --net="/run/netns/$NS" -- "$@"; }    # network only: cheap, for polling
tcp_open() { in_net timeout 1 bash -c "</dev/tcp/$1/$2" 2>/dev/null; }

# the client environment, as NAME=value words (for env(1)) ...
client_env() {
  local d=$PRIMARY
  printf '%s\n' \
    "KRB5_CONFIG=$CL/krb5.conf" \
    "KRB5CCNAME=FILE:$CL/ccache" \
    "LDAPSASL_NOCANON=on" \
    "SPNAUDIT_LAB_DIR=$LAB" \
    "SPNAUDIT_LAB_NS=$NS" \
    "LAB_REALM=${REALM[$d]}" \
    "LAB_DOMAIN=$(dom_of $d)" \
    "LAB_DC=$(fqdn_of $d)" \
    "LAB_BASEDN=$(basedn_of $d)" \
    "LAB_PASSWORD=$PASS" \
    "LAB_KEYTAB=$CL/spnaudit-svc.keytab" \
    "LAB_KEYTAB_PRINCIPAL=spnaudit-svc@${REALM[$d]}" \
    "LAB_AGENTS=$(agents_count)" \
    "LAB_MS_LISTENING=$(ms_list listening)" \
    "LAB_MS_NO_DNS=$(ms_list no-dns)" \
    "LAB_MS_NO_LISTENER=$(ms_list no-listener)"
}
# ... and as shell export lines
env_text() {
  local kv q="'" v
  while IFS= read -r kv; do
    v=${kv#*=}; printf "export %s='%s'\n" "${kv%%=*}" "${v//$q/$q\\$q$q}"
  done < <(client_env)
}
agents_count() { # what was provisioned; before that, what would be
  local f; f=$(dir_of "$PRIMARY")/.agents
  if [ -s "$f" ]; then cat "$f"; else echo "${SPNAUDIT_LAB_AGENTS:-$AGENTS_DEFAULT}"; fi
}
# run a command inside the netns (and its own mount ns) with the client environment
in_lab() {
  local e; mapfile -t e < <(client_env)
  ip netns exec "$NS" env "${e[@]}" "$@"
}

# ---------------------------------------------------------------- namespace + /etc/netns
hosts_text() {
  local d n
  echo "127.0.0.1 localhost"
  for d in $DOMAINS; do echo "${IP[$d]} $(fqdn_of "$d") ${HOSTN[$d]}"; done
  for n in $MS_NAMES; do
    if [ -n "${MS_IP[$n]:-}" ]; then echo "${MS_IP[$n]} $(ms_fqdn "$n") $n"; fi
  done
}
resolv_text() { echo "nameserver ${IP[$PRIMARY]}"; }
# what up would write is what is there (an older lab is brought up to date by up)
etc_current() {
  [ "$(hosts_text)" = "$(cat "/etc/netns/$NS/hosts" 2>/dev/null)" ] &&
    [ "$(resolv_text)" = "$(cat "/etc/netns/$NS/resolv.conf" 2>/dev/null)" ] &&
    [ "$(env_text)" = "$(cat "$CL/env.sh" 2>/dev/null)" ]
}

netns_up() {
  netns_exists || ip netns add "$NS"
  ip -n "$NS" link set lo up
  local d
  for d in $DOMAINS; do   # 127.0.0.1/8 is on lo already; other loopback addresses are explicit
    [ "${IP[$d]}" = 127.0.0.1 ] && continue
    ip -n "$NS" -4 addr show dev lo | grep -q " ${IP[$d]}/" || ip -n "$NS" addr add "${IP[$d]}/8" dev lo
  done
  mkdir -p "/etc/netns/$NS"
  hosts_text > "/etc/netns/$NS/hosts"
  resolv_text > "/etc/netns/$NS/resolv.conf"
}

# ---------------------------------------------------------------- provisioning (offline)
# "samba-tool domain provision" with argv as given, the administrator password on stdin, and
# only the English (409) display specifiers instead of all 25 locales' (1,400 entries that only
# MMC's UI reads): provisioning then takes ~30 % less CPU, which four DCs on two cores feel.
PROVISION_PY='
import re, sys
import samba.provision as P
read = P.read_ms_ldif   # used for the display specifiers only
def english_only(path):
    return "\n\n".join(e for e in read(path).split("\n\n") if not re.search(
        r"^dn: .*CN=(?!409,)[0-9A-Fa-f]+,CN=DisplaySpecifiers,", e, re.M))
P.read_ms_ldif = english_only
from samba.netcmd.main import cmd_sambatool
pw = sys.stdin.readline().rstrip("\n")
sys.exit(cmd_sambatool()._run("samba-tool", "domain", "provision", "--adminpass=" + pw,
                              *sys.argv[1:]) or 0)
'
provision() {
  local d=$1 D; D=$(dir_of "$1")
  rm -rf "$D"; mkdir -p "$D"/{run,log,rs}
  TDB_NO_FSYNC=1 ip netns exec "$NS" "$PY" -c "$PROVISION_PY" --targetdir="$D" \
    --realm="${REALM[$d]}" --domain="${NB[$d]}" --server-role=dc --dns-backend=SAMBA_INTERNAL \
    --host-ip="${IP[$d]}" --host-name="${HOSTN[$d]}" \
    --option="interfaces = ${IP[$d]}" --option="bind interfaces only = yes" \
    --option="pid directory = $D/run" --option="ncalrpc dir = $D/ncalrpc" \
    --option="ntp signd socket directory = $D/ntp_signd" \
    --option="log file = $D/log/samba.log" --option="log level = $LOGLEVEL" \
    --option="max log size = 20000" <<<"$PASS" > "$D/provision.log" 2>&1 \
    || { tail -20 "$D/provision.log" >&2; die "provisioning $d failed (see $D/provision.log)"; }
  sed -i '/^[[:space:]]*dns forwarder[[:space:]]*=/d' "$(conf_of "$d")"
}

# Offline population with the dsdb module stack, in one process and one transaction.
# argv: smb.conf, number of agents. Named objects on stdin, one per line:
#   computer <name> <userAccountControl> <enctypes|-> <password> [spn...]   (in CN=Computers)
#   user     <name> <userAccountControl> <password> [spn...]                (in CN=Users)
# Computers always get dNSHostName <name>.<domain> and HOST/<fqdn>, HOST/<NAME>; the agents
# agentNNNN (OU=Agents) also MSOMHSvc/<fqdn>, MSOMHSvc/<NAME> and enctypes 24 (AES only).
#
# Why the agents take a different road: Samba derives each account's AES keys with Heimdal's
# own (slow) SHA-1 in PBKDF2, ~22 ms per password, i.e. ~28 s for 1250 accounts on one core.
# So, when python3-cryptography is there, the agents' keys are derived here with OpenSSL
# (hashlib PBKDF2 + AES, RFC 3962: identical keys, checked against Samba's) in worker
# processes, and written with DSDB_CONTROL_BYPASS_PASSWORD_HASH (unicodePwd = NT hash,
# supplementalCredentials built as password_hash.c does: Kerberos-Newer-Keys, Kerberos,
# Packages). The blob format insists on two DES slots; DES is disabled in Samba's KDC and in
# MIT clients, so they hold random bytes. Without python3-cryptography the agents get
# unicodePwd like everyone else (correct, just slower).
# shellcheck disable=SC2016
POPULATE_PY='
import sys, os, time, hashlib, binascii, multiprocessing
from samba import dsdb, unix2nttime
from samba.samdb import SamDB
from samba.param import LoadParm
from samba.auth import system_session
from samba.crypto import md4_hash_blob
from samba.dcerpc import drsblobs
from samba.ndr import ndr_pack
try:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    FAST = True
except ImportError:
    FAST = False

lp = LoadParm(); lp.load(sys.argv[1]); nagents = int(sys.argv[2])
realm = lp.get("realm").upper(); dom = realm.lower()
utf16pw = lambda s: ("\"%s\"" % s).encode("utf-16-le")
agent_name = lambda i: "agent%04d" % i
agent_pw = lambda i: "%s-Machine-Pw!9" % agent_name(i).capitalize()

KERBEROS_NFOLD = bytes.fromhex("6b65726265726f737b9b5b2b93132b93")  # n-fold("kerberos", 128)
def aes_keys(password, salt):   # RFC 3962 string-to-key, 4096 iterations (AD default)
    t = hashlib.pbkdf2_hmac("sha1", password.encode(), salt.encode(), 4096, 32)
    def dk(tkey, n):
        enc, out, blk = Cipher(algorithms.AES(tkey), modes.ECB()).encryptor(), b"", KERBEROS_NFOLD
        while len(out) < n:
            blk = enc.update(blk); out += blk
        return out[:n]
    return dk(t, 32), dk(t[:16], 16)   # PBKDF2 block 1 is the AES128 seed too

def package(name, blob, reserved=1):
    p = drsblobs.supplementalCredentialsPackage()
    p.name, p.reserved, p.data = name, reserved, binascii.hexlify(blob).upper().decode()
    return p

def kerberos_key(cls, etype, value):
    k = cls(); k.keytype, k.value, k.value_len = etype, value, len(value)
    if cls is drsblobs.package_PrimaryKerberosKey4: k.iteration_count = 4096
    return k

def supplemental_credentials(salt, aes256, aes128):
    des = os.urandom(8)                                   # unusable placeholder, see above
    K4, K3 = drsblobs.package_PrimaryKerberosKey4, drsblobs.package_PrimaryKerberosKey3
    c4 = drsblobs.package_PrimaryKerberosCtr4()
    c4.salt = drsblobs.package_PrimaryKerberosString(); c4.salt.string = salt
    c4.default_iteration_count = 4096
    c4.keys = [kerberos_key(K4, 18, aes256), kerberos_key(K4, 17, aes128),
               kerberos_key(K4, 3, des), kerberos_key(K4, 1, des)]
    c4.num_keys, c4.num_old_keys, c4.num_older_keys, c4.num_service_keys = 4, 0, 0, 0
    b4 = drsblobs.package_PrimaryKerberosBlob(); b4.version, b4.ctr = 4, c4
    c3 = drsblobs.package_PrimaryKerberosCtr3()
    c3.salt = drsblobs.package_PrimaryKerberosString(); c3.salt.string = salt
    c3.keys = [kerberos_key(K3, 3, des), kerberos_key(K3, 1, des)]
    c3.num_keys, c3.num_old_keys = 2, 0
    b3 = drsblobs.package_PrimaryKerberosBlob(); b3.version, b3.ctr = 3, c3
    names = "\0".join(["Kerberos-Newer-Keys", "Kerberos"]).encode("utf-16-le")
    sub = drsblobs.supplementalCredentialsSubBlob()
    sub.packages = [package("Primary:Kerberos-Newer-Keys", ndr_pack(b4)),
                    package("Primary:Kerberos", ndr_pack(b3)), package("Packages", names, 2)]
    sub.num_packages = 3
    blob = drsblobs.supplementalCredentialsBlob(); blob.sub = sub
    return ndr_pack(blob)

def agent_secrets(i):   # runs in a worker process
    n = agent_name(i); salt = "%shost%s.%s" % (realm, n, dom)   # computer salt, as Samba makes it
    return i, md4_hash_blob(agent_pw(i).encode("utf-16-le")), \
        supplemental_credentials(salt, *aes_keys(agent_pw(i), salt))

# fork the workers before the database is opened
pool = multiprocessing.get_context("fork").Pool(2) if FAST and nagents else None
db = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
base = str(db.domain_dn())

def computer(name, container, uac, enctypes, spns):
    fqdn = "%s.%s" % (name, dom)
    m = {"dn": "CN=%s,%s,%s" % (name, container, base), "objectClass": "computer",
         "sAMAccountName": name + "$", "userAccountControl": str(uac), "dNSHostName": fqdn,
         "servicePrincipalName": ["HOST/" + fqdn, "HOST/" + name.upper()] + list(spns)}
    if enctypes != "-": m["msDS-SupportedEncryptionTypes"] = str(enctypes)
    return m

db.transaction_start()
try:
    for line in sys.stdin:
        f = line.split()
        if not f: continue
        if f[0] == "computer":
            m = computer(f[1], "CN=Computers", f[2], f[3], f[5:]); m["unicodePwd"] = utf16pw(f[4])
        elif f[0] == "user":
            m = {"dn": "CN=%s,CN=Users,%s" % (f[1], base), "objectClass": "user",
                 "sAMAccountName": f[1], "userPrincipalName": "%s@%s" % (f[1], realm),
                 "userAccountControl": f[2], "unicodePwd": utf16pw(f[3])}
            if f[4:]: m["servicePrincipalName"] = f[4:]
        else:
            raise SystemExit("populate: bad line: " + line)
        db.add(m)
    t0 = time.time()
    if nagents:
        db.add({"dn": "OU=Agents," + base, "objectClass": "organizationalUnit",
                "description": "SCOM agents (testdomain.sh)"})
    spns = lambda n: ["MSOMHSvc/%s.%s" % (n, dom), "MSOMHSvc/" + n.upper()]
    if pool:
        bypass = ["local_oid:%s:0" % dsdb.DSDB_CONTROL_BYPASS_PASSWORD_HASH_OID]
        now = str(unix2nttime(int(time.time())))   # the bypass leaves pwdLastSet to us
        for i, nt, sc in pool.imap(agent_secrets, range(1, nagents + 1), chunksize=20):
            m = computer(agent_name(i), "OU=Agents", 4096, 24, spns(agent_name(i)))
            m.update({"unicodePwd": nt, "supplementalCredentials": sc, "pwdLastSet": now})
            db.add(m, controls=bypass)
        pool.close(); pool.join()
    else:
        for i in range(1, nagents + 1):
            m = computer(agent_name(i), "OU=Agents", 4096, 24, spns(agent_name(i)))
            m["unicodePwd"] = utf16pw(agent_pw(i))
            db.add(m)
    sys.stderr.write("[testdomain] %d agents added in %.1f s (%s key derivation)\n"
                     % (nagents, time.time() - t0, "OpenSSL" if pool else "Samba"))
except BaseException:
    db.transaction_cancel(); raise
db.transaction_commit()
'

ldif_raw_partition() { # domain ; LDIF on stdin written into the domain partition file itself
  local d=$1 f; f="$(dir_of "$d")/private/sam.ldb.d/$(basedn_of "$d" | tr '[:lower:]' '[:upper:]').ldb"
  [ -f "$f" ] || die "domain partition file not found: $f"
  TDB_NO_FSYNC=1 ldbmodify -H "tdb://$f" >/dev/null
}

populate_contoso() {
  local d=contoso N
  N=${SPNAUDIT_LAB_AGENTS:-$AGENTS_DEFAULT}
  [[ $N =~ ^[0-9]+$ ]] || die "SPNAUDIT_LAB_AGENTS must be a number"
  # userAccountControl: 4096 workstation trust, 4098 = that + disabled,
  # 66048 = normal user + password never expires. Enctypes 24 = AES only.
  TDB_NO_FSYNC=1 "$PY" -c "$POPULATE_PY" "$(conf_of $d)" "$N" <<EOF
computer ms01 4096 24 Ms01-Machine-Pw!1 MSOMHSvc/ms01.contoso.test MSOMHSvc/MS01
computer ms02 4096 -  Ms02-Machine-Pw!2 MSOMHSvc/ms02.contoso.test MSOMHSvc/MS02
user svc-scom 66048 $PASS MSOMSdkSvc/ms01.contoso.test MSOMSdkSvc/MS01 MSOMSdkSvc/ms02.contoso.test MSOMSdkSvc/MS02
computer ms03 4096 -  Ms03-Machine-Pw!3
computer ms04 4096 -  Ms04-Machine-Pw!4 MSOMHSvc/ms04.contoso.test
computer ms05 4096 -  Ms05-Machine-Pw!5
user svc-ms05 66048 $PASS MSOMHSvc/ms05.contoso.test MSOMHSvc/MS05
computer ms06 4098 -  Ms06-Machine-Pw!6 MSOMHSvc/ms06.contoso.test MSOMHSvc/MS06
computer ms07 4096 -  Ms07-Machine-Pw!7 MSOMHSvc/ms07.contoso.test MSOMHSvc/MS07
computer ms07old 4096 - Ms07old-Machine-Pw!8
computer ms08 4096 4 Ms08-Machine-Pw!9 MSOMHSvc/ms08.contoso.test MSOMHSvc/MS08
computer legacy01 4096 - Legacy01-Machine-Pw!10 MSOMHSvc/oldagent.contoso.test
user spnaudit-svc 66048 $PASS
EOF
  # faults: ms03 has no MSOMHSvc SPN; ms04 lacks the NetBIOS form; ms05's SPNs sit on the
  # user svc-ms05; ms06 is disabled; ms07's FQDN SPN is duplicated on ms07old, written below
  # the module stack (see header) since samldb refuses duplicates; ms08 is RC4-only
  # (msDS-SupportedEncryptionTypes 4); legacy01 holds a stale SPN for oldagent, a host that
  # has no computer account.
  printf '%s\n' "dn: CN=ms07old,CN=Computers,$(basedn_of $d)" "changetype: modify" \
    "add: servicePrincipalName" "servicePrincipalName: MSOMHSvc/ms07.contoso.test" \
    | ldif_raw_partition $d
  echo "$N" > "$(dir_of $d)/.agents"
}

# ---------------------------------------------------------------- start / readiness
start_dc() {
  local d=$1 D p i; D=$(dir_of "$1")
  rm -f "$D/run/samba.pid"
  mkdir -p "$D/rs" /run/samba      # /run/samba is only the mount point, in our mount ns
  if tcp_open "${IP[$d]}" 389; then  # e.g. a samba whose state dir was deleted under it
    die "something already listens on ${IP[$d]}:389 in netns $NS; run: $0 down"
  fi
  # shellcheck disable=SC2016  # $1/$2 are expanded by that inner sh
  ip netns exec "$NS" sh -c 'mount --bind "$1" /run/samba && exec samba -s "$2" -M "$3"' \
    sh "$D/rs" "$(conf_of "$d")" "$MODEL" 9<&- || die "samba for $d failed to start (see $D/log/samba.log)"
  for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
    if p=$(dc_pid "$d"); then
      if tcp_open "${IP[$d]}" 88 && tcp_open "${IP[$d]}" 389 &&
         in_net env LDAPNOINIT=1 ldapsearch -x -H "ldap://${IP[$d]}" -s base -b '' \
           -o nettimeout=2 defaultNamingContext >/dev/null 2>&1; then
        return 0
      fi
    elif ((i > 30)); then   # the daemon writes its pid file at once; gone => it died
      tail -15 "$D/log/samba.log" >&2 2>/dev/null || true
      die "samba for $d exited during start-up (see $D/log/samba.log)"
    fi
    sleep 0.1
  done
  die "samba for $d not ready after ${READY_TIMEOUT} s (see $D/log/samba.log)"
}

# ---------------------------------------------------------------- the port 5723 listener
# argv: pid file, port, address... Listens on every address, then writes its pid file (the
# readiness signal); accepts and closes each connection. See the header for how it is run.
LISTENER_PY='
import os, selectors, socket, sys
pidfile, port, addrs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
os.closerange(3, os.sysconf("SC_OPEN_MAX"))   # nothing inherited but stdio (fd 9, pipes)
try:
    os.setsid()                  # out of the starting script session (terminal, Ctrl-C)
except OSError:
    pass
sel = selectors.DefaultSelector()
for a in addrs:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a, port)); s.listen(128); sel.register(s, selectors.EVENT_READ)
with open(pidfile + ".tmp", "w") as f:
    f.write("%d\n" % os.getpid())
os.rename(pidfile + ".tmp", pidfile)
sys.stderr.write("[testdomain] listener %d on %s port %d\n" % (os.getpid(), " ".join(addrs), port))
sys.stderr.flush()
while True:
    for key, _ in sel.select():
        try:
            key.fileobj.accept()[0].close()
        except OSError:
            pass
'

ms_listener_pid() { # prints the listener's pid if it is alive, in our netns, and ours (argv)
  local f=$MSD/listener.pid p
  [ -s "$f" ] || return 1
  p=$(tr -dc 0-9 < "$f")
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
  [ "$(ip netns identify "$p" 2>/dev/null)" = "$NS" ] || return 1
  grep -qzxF -- "$f" "/proc/$p/cmdline" 2>/dev/null || return 1
  echo "$p"
}
ms_listen_addrs() { local n; for n in $MS_LISTEN; do echo "${MS_IP[$n]}"; done; }

ms_listener_up() { # starts the listener unless it runs
  local f=$MSD/listener.pid a p i addrs
  ms_listener_pid >/dev/null && return 0
  mapfile -t addrs < <(ms_listen_addrs)
  mkdir -p "$MSD"; rm -f "$f" "$f.tmp"
  for a in "${addrs[@]}"; do
    if tcp_open "$a" "$MS_PORT"; then
      die "something already listens on $a:$MS_PORT in netns $NS; run: $0 down"
    fi
  done
  nsenter --net="/run/netns/$NS" -- "$PY" -c "$LISTENER_PY" "$f" "$MS_PORT" "${addrs[@]}" \
    </dev/null >/dev/null 2>>"$MSD/listener.log" 9<&- &
  p=$!
  for ((i = 0; i < 50; i++)); do
    if [ "$(ms_listener_pid)" = "$p" ]; then break; fi
    if ! kill -0 "$p" 2>/dev/null; then
      tail -5 "$MSD/listener.log" >&2 2>/dev/null || true
      die "the port $MS_PORT listener exited during start-up (see $MSD/listener.log)"
    fi
    sleep 0.1
  done
  [ "$(ms_listener_pid)" = "$p" ] || die "the port $MS_PORT listener did not start (see $MSD/listener.log)"
  for a in "${addrs[@]}"; do
    tcp_open "$a" "$MS_PORT" || die "the port $MS_PORT listener does not answer on $a"
  done
}

stop_ms_listener() { # signals the listener (if it is ours) and prints its pid
  local p
  if p=$(ms_listener_pid); then kill -TERM "$p" 2>/dev/null || true; echo "$p"; fi
  rm -f "$MSD/listener.pid"
}

# every management server in its class, as clients see it (hosts file, Samba DNS, TCP)
selfcheck_ms() {
  local n a
  tcp_open "${IP[$PRIMARY]}" 53 || die "Samba's DNS does not listen on ${IP[$PRIMARY]}:53"
  for n in $MS_NAMES; do
    a=$(in_lab getent hosts "$(ms_fqdn "$n")" | awk '{ print $1; exit }' || true)
    case $(ms_class "$n") in
      no-dns)
        [ -z "$a" ] || die "management server check: $(ms_fqdn "$n") resolves to $a" ;;
      listening)
        [ "$a" = "${MS_IP[$n]}" ] || die "management server check: $(ms_fqdn "$n") resolves to '$a'"
        tcp_open "$a" "$MS_PORT" || die "management server check: $a:$MS_PORT does not answer" ;;
      no-listener)
        [ "$a" = "${MS_IP[$n]}" ] || die "management server check: $(ms_fqdn "$n") resolves to '$a'"
        if tcp_open "$a" "$MS_PORT"; then die "management server check: $a:$MS_PORT answers"; fi ;;
    esac
  done
}

# ---------------------------------------------------------------- client files
krb5_conf() {
  printf '%s\n' "[libdefaults]" "    default_realm = ${REALM[$PRIMARY]}" \
    "    dns_lookup_kdc = false" "    dns_lookup_realm = false" "    rdns = false" \
    "    dns_canonicalize_hostname = false" "    udp_preference_limit = 0" "" "[realms]"
  local d
  for d in $DOMAINS; do printf '    %s = {\n        kdc = %s\n    }\n' "${REALM[$d]}" "${IP[$d]}"; done
  printf '\n[domain_realm]\n'
  for d in $DOMAINS; do
    printf '    .%s = %s\n    %s = %s\n' "$(dom_of "$d")" "${REALM[$d]}" "$(dom_of "$d")" "${REALM[$d]}"
  done
}

client_up() {
  local d=$PRIMARY
  mkdir -p "$CL"; chmod 0700 "$CL"
  krb5_conf > "$CL/krb5.conf"
  env_text > "$CL/env.sh"
  if [ ! -s "$CL/spnaudit-svc.keytab" ]; then
    rm -f "$CL/spnaudit-svc.keytab"
    (umask 077; samba-tool domain exportkeytab "$CL/spnaudit-svc.keytab" \
       --principal="spnaudit-svc@${REALM[$d]}" -s "$(conf_of $d)" > "$CL/exportkeytab.log" 2>&1) \
      || { cat "$CL/exportkeytab.log" >&2; die "exporting the spnaudit-svc keytab failed"; }
    rm -f "$CL/exportkeytab.log"
    chmod 0600 "$CL/spnaudit-svc.keytab"
  fi
}

kinit_admin() { # password on stdin, never in argv
  local i
  for i in 1 2 3 4 5; do   # the KDC socket can be open a moment before it answers
    in_lab kinit "administrator@${REALM[$PRIMARY]}" <<<"$PASS" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  in_lab kinit "administrator@${REALM[$PRIMARY]}" <<<"$PASS" >/dev/null || die "kinit administrator failed"
}

online_contoso() { # what only a running DC can do; once (marker file)
  local D; D=$(dir_of contoso)
  [ -f "$D/.online" ] && return 0
  # ms03's computer account may not write its own SPN: a deny ACE for SELF on the
  # "Validated write to service principal name" right, ahead of the default allow
  # (the Health Service then cannot register MSOMHSvc: OpsMgr event 21035)
  in_lab samba-tool dsacl set --objectdn="CN=ms03,CN=Computers,$(basedn_of contoso)" \
    --sddl='(OD;;SW;f3a64788-5306-11d1-a9c5-0000f80367c1;;PS)' \
    -H "ldap://$(fqdn_of contoso)" --use-kerberos=required >"$D/online.log" 2>&1 \
    || { tail -5 "$D/online.log" >&2; die "setting ms03's ACL failed"; }
  touch "$D/.online"
}

selfcheck_contoso() { # the duplicate SPN must be visible in LDAP and break the KDC lookup
  local n
  n=$(in_lab ldapsearch -LLL -Q -Y GSSAPI -H "ldap://$(fqdn_of contoso)" -b "$(basedn_of contoso)" \
        '(servicePrincipalName=MSOMHSvc/ms07.contoso.test)' dn | grep -c '^dn:' || true)
  [ "$n" = 2 ] || die "duplicate SPN check: expected 2 holders of MSOMHSvc/ms07.contoso.test, LDAP shows $n"
  if in_lab kvno MSOMHSvc/ms07.contoso.test >/dev/null 2>&1; then
    die "duplicate SPN check: kvno MSOMHSvc/ms07.contoso.test unexpectedly succeeded"
  fi
}

pss_kb() { # PSS of all processes in the netns
  local p v t=0
  for p in $(ip netns pids "$NS" 2>/dev/null); do
    v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true); t=$((t + ${v:-0}))
  done
  echo "$t"
}

# ---------------------------------------------------------------- commands
cmd_up() {
  local c d D T0 t fresh=0 tprov="-" tpop="-" tstart="-" tlisten="-"
  for c in samba samba-tool ip nsenter ldbmodify kinit kvno klist ldapsearch timeout awk grep \
           getent "$PY"; do
    command -v "$c" >/dev/null || die "missing $c"
  done
  T0=$(now)
  d=$PRIMARY; D=$(dir_of $d)
  if dc_pid $d >/dev/null && ms_listener_pid >/dev/null && etc_current; then
    log "already running (pid $(dc_pid $d), listener pid $(ms_listener_pid)); nothing to do"
    return 0
  fi
  netns_up
  if dc_pid $d >/dev/null; then   # only the listener or a file was missing
    log "${REALM[$d]} already running (pid $(dc_pid $d))"
  else
    if [ ! -f "$D/.provisioned" ]; then
      fresh=1
      t=$(now); provision $d; tprov=$(since "$t")
      t=$(now); "populate_$d"; tpop=$(since "$t")
      touch "$D/.provisioned"
    fi
    t=$(now); start_dc $d; tstart=$(since "$t")
  fi
  if ! ms_listener_pid >/dev/null; then t=$(now); ms_listener_up; tlisten=$(since "$t"); fi
  client_up
  kinit_admin
  "online_$d"
  if [ $fresh = 1 ]; then selfcheck_$d; fi
  selfcheck_ms
  log "${REALM[$d]} up: $(fqdn_of $d) ${IP[$d]} in netns $NS, pid $(dc_pid $d), $(agents_count) agents"
  log "port $MS_PORT listener pid $(ms_listener_pid) on $(ms_listen_addrs | tr '\n' ' ')($MS_LISTEN)"
  log "timings: provision ${tprov} s, populate ${tpop} s, start-to-ready ${tstart} s," \
      "listener ${tlisten} s, total $(since "$T0") s"
}

stop_dc() { # signals the DC's samba (if it is ours) and prints its pid
  local p
  if p=$(dc_pid "$1"); then kill -TERM "$p" 2>/dev/null || true; echo "$p"; fi
}

cmd_down() {
  local d p i masters=()
  for d in $DOMAINS; do
    p=$(stop_dc "$d"); [ -z "$p" ] || masters+=("$p")   # empty: not running (or not ours)
  done
  p=$(stop_ms_listener); [ -z "$p" ] || masters+=("$p")
  if netns_exists; then
    for ((i = 0; i < 100; i++)); do [ -z "$(ip netns pids "$NS")" ] && break; sleep 0.1; done
    # leftovers of OUR namespace only, by pid (e.g. a stuck child or an exec'd client)
    for p in $(ip netns pids "$NS"); do kill -TERM "$p" 2>/dev/null || true; done
    for ((i = 0; i < 30; i++)); do [ -z "$(ip netns pids "$NS")" ] && break; sleep 0.1; done
    for p in $(ip netns pids "$NS"); do kill -KILL "$p" 2>/dev/null || true; done
    ip netns del "$NS"
  fi
  # the daemonised samba (and the listener) is a child of init, which reaps it a moment later;
  # wait for that so that no <defunct> is left when we return (only waiting, never signalling)
  for p in "${masters[@]}"; do
    for ((i = 0; i < 30; i++)); do [ -e "/proc/$p" ] || break; sleep 0.1; done
  done
  rm -rf "/etc/netns/$NS"
  rmdir /etc/netns 2>/dev/null || true    # only if empty (it did not exist before us)
  if [ "${SPNAUDIT_LAB_KEEP:-0}" = 1 ]; then
    log "down (state kept in $LAB)"
  else
    rm -rf "$LAB"; log "down"
  fi
}

cmd_status() {
  local d=$PRIMARY p a rc=0 up=()
  if ! p=$(dc_pid $d); then echo "$PROG: ${REALM[$d]} not running"; return 1; fi
  echo "$PROG: ${REALM[$d]} pid $p, $(ip netns pids "$NS" | wc -w) process(es) in netns $NS," \
       "PSS $(( $(pss_kb) / 1024 )) MiB, $(fqdn_of $d) ${IP[$d]}, $(agents_count) agents"
  if in_net env LDAPNOINIT=1 ldapsearch -x -H "ldap://${IP[$d]}" -s base -b '' -o nettimeout=2 \
       defaultNamingContext >/dev/null 2>&1; then
    echo "$PROG: answering (LDAP rootDSE)"
  else
    echo "$PROG: NOT answering (see $(dir_of $d)/log/samba.log)"; rc=1
  fi
  if p=$(ms_listener_pid); then
    for a in $(ms_listen_addrs); do
      if tcp_open "$a" "$MS_PORT"; then up+=("$a:$MS_PORT")
      else up+=("$a:$MS_PORT(NOT answering)"); rc=1; fi
    done
    echo "$PROG: port $MS_PORT listener pid $p on ${up[*]} ($MS_LISTEN)"
  else
    echo "$PROG: port $MS_PORT listener ($MS_LISTEN) NOT running; run: $0 up"; rc=1
  fi
  return $rc
}

cmd_exec() {
  [ $# -gt 0 ] || usage
  if ! dc_pid "$PRIMARY" >/dev/null; then
    echo "$PROG: the test domain is not running; start it with: tests/lab/testdomain.sh up" >&2
    exit 3
  fi
  if ! in_lab klist -s 2>/dev/null; then kinit_admin; fi
  local e; mapfile -t e < <(client_env)
  exec ip netns exec "$NS" env "${e[@]}" "$@"
}

cmd_env() {
  [ -d "$CL" ] && env_text > "$CL/env.sh"
  env_text
}

usage() {
  echo "usage: ${0##*/} up|down|status|env|exec CMD [ARGS...]" >&2
  exit 2
}

case ${1:-} in
  up|down|status|env|exec) ;;
  *) usage ;;
esac
[ "$(id -u)" = 0 ] || die "must run as root (it creates a network namespace and runs samba)"
cmd=$1; shift
case $cmd in
  up|down) mkdir -p /run/lock; exec 9>"/run/lock/testdomain-$NS.lock"; flock 9; "cmd_$cmd" ;;   # serialise concurrent up/down
  status) cmd_status ;;
  env) cmd_env ;;
  exec) cmd_exec "$@" ;;
esac
