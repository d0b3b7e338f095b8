#!/bin/bash
# testdomain.sh: real Samba 4.17 AD DCs for spnaudit's integration tests (LDAP + Kerberos
# against real KDCs): CONTOSO.TEST, the audited domain with deliberate SCOM SPN faults, and
# three trust partners, each its own forest:
#   FABRIKAM.TEST   fdc1 127.0.0.3  two-way forest trust
#   NORTHWIND.TEST  ndc1 127.0.0.4  two-way external trust (tickets are issued when the realm
#                                   is named; OpsMgr still does not use Kerberos across it)
#   ADATUM.TEST     adc1 127.0.0.5  one-way forest trust: CONTOSO trusts ADATUM (ADATUM
#                                   principals get tickets to CONTOSO services, not the reverse)
#   TAILSPIN.TEST   tdc1 127.0.0.6  two-way forest trust with selective authentication
#                                   (CROSS_ORGANIZATION): ms01 grants TAILSPIN's Domain
#                                   Computers "Allowed to Authenticate", ms02 does not
#
#   testdomain.sh up       provision (first time), populate, start the DCs and the management
#                          servers' port 5723 listener, wait ready, kinit, create the trusts
#                          (first time), check them (idempotent)
#   testdomain.sh down     stop only what this script started, remove the netns and the state
#   testdomain.sh status   exit 0 if every DC runs and answers, the trusts are made and the
#                          listener runs, 1 otherwise
#   testdomain.sh env      print the client environment (export lines)
#   testdomain.sh exec CMD [ARGS...]   run CMD inside the lab's netns with that environment
#
# Env knobs: SPNAUDIT_LAB_DIR (state, default /tmp/spnaudit-lab), SPNAUDIT_LAB_AGENTS (number
# of agent computer accounts, default 1250 = 5,000 agent SPNs, read at provisioning),
# SPNAUDIT_LAB_NS (network namespace name, default spnaudit-lab; a second instance, e.g.
# a benchmark, needs its own NS and DIR), SPNAUDIT_LAB_KEEP=1 (down keeps the state so the next up only starts),
# SPNAUDIT_LAB_LOG_LEVEL (samba, default 1), SPNAUDIT_LAB_MODEL (CONTOSO's process model),
# SPNAUDIT_LAB_TRUSTS=0 (CONTOSO alone, no partners: e.g. a benchmark's instance; the
# LAB_TRUST_* variables are then empty).
#
# Why it is built this way (the non-obvious parts):
# - Network: ONE network namespace (spnaudit-lab) with only its loopback up. Each DC binds its
#   own 127.x address in there (all but 127.0.0.1 added to lo), so nothing is reachable from (or
#   collides with) the host, and no private address range is used. Every client runs in the
#   same namespace ("exec").
#   `ip netns exec` bind-mounts /etc/netns/spnaudit-lab/{hosts,resolv.conf} over /etc, which
#   gives clients (and the DCs themselves) every DC's name and CONTOSO's Samba DNS without
#   touching the host's /etc.
# - Mounts: `ip netns exec` also unshares the mount namespace, and each samba is started there
#   with a private /run/samba (bind mount of $LAB/<domain>/rs). smbd on an AD DC reaches
#   winbindd only at the compiled-in /run/samba/winbindd, so that directory cannot be moved by
#   smb.conf and must not be shared with another DC (or a host samba).
# - Several DCs: everything per DC comes from the table below (REALM/NB/HOSTN/IP) plus a
#   populate_<name> function; the trusts from the TRUST_* table. All DCs are provisioned and
#   populated in parallel (CPU bound, independent) and started together. A lab missing one
#   domain (older script, interrupted run) is rebuilt whole, since the trusts tie them.
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
#   the module stack, while samba is stopped. The cross-forest one (FABRIKAM's ms02dup holds
#   CONTOSO's MSOMHSvc/ms02.contoso.test) is an ordinary write: unique within FABRIKAM.
# - DNS: `dns forwarder` is copied by provisioning from resolv.conf (127.0.0.1); it is replaced
#   by a CHAIN: CONTOSO forwards what it is not authoritative for to FABRIKAM, FABRIKAM to
#   NORTHWIND, NORTHWIND to ADATUM, ADATUM nowhere (no loop). So every domain's SRV records
#   (_ldap._tcp.dc._msdcs.fabrikam.test, _kerberos._tcp.FABRIKAM.TEST) resolve through
#   CONTOSO's DNS, which clients and all DCs use (samba-tool's trust commands find the
#   partner's DC by SRV lookup; there is no NetBIOS broadcast on lo). Samba 4.17's
#   internal DNS cannot DELEGATE: NS + glue records for fabrikam.test in a zone of CONTOSO's
#   give NXDOMAIN below the cut (no referral, no recursion), and a list of forwarders does not
#   work either (only the first one's answer counts). Forwarded negative answers come back as
#   an empty NOERROR, not NXDOMAIN; CONTOSO's own names keep their NXDOMAIN.
# - Trusts (online, once, after every DC answers, marker files .trust-<partner>): samba-tool
#   creates both sides from CONTOSO's, in two phases with a wait between them (TRUST_PY says
#   why: a winbindd race, and a one-way forest trust samba-tool cannot validate at creation).
#   "winbind reconnect delay = 2" (default 30 s) keeps a DC that lost that race from calling
#   its new partner unreachable for long. up then checks every trust from a client
#   (selfcheck_trusts: LDAP attributes, tickets in each direction, name routing, DNS) and
#   fails loudly if one does not behave as designed.
#   Selective authentication (trustAttributes 0x10 CROSS_ORGANIZATION) is on TAILSPIN's forest
#   trust only. Samba's KDC does not implement it: it issues no cross-realm TGT at all over such
#   a trust (a Windows KDC would, and the target's DC would then check the right), so what the
#   tests check is what a real DC decides on: "Allowed to Authenticate" (the control access
#   right 68b1d179-...) in the DACL of each management server's computer object, and that the
#   refusal seen is reported against the rule. TAILSPIN's domain SID is fixed at provisioning (DOMSID), so CONTOSO's population,
#   which runs in parallel, can write the ACE granting that right to TAILSPIN's Domain
#   Computers (RID 515) on ms01.
# - samba runs with `-M single` (one process tree, ~130 MiB per DC) instead of the prefork
#   default (~58 processes).
# - Management servers (the audit's reachability check: DNS, then TCP 5723, the SCOM agent
#   port): each of ms01..ms07 is in one of three classes, exported to clients as LAB_MS_*.
#   Names resolve through the netns hosts file only, at 127.0.0.2x (the whole 127.0.0.0/8 is
#   local on lo, so nothing is added to lo to bind or reach them). ms03 has no line and no
#   Samba DNS record either: provisioning makes none for computer accounts (nor any A record
#   for dc1 on 127.0.0.1, which is why the DCs are in the hosts file too), so it does not
#   resolve at all.
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
# One row per DC (one DC per domain, each its own forest). The primary domain is the one the
# client environment and the tests point at; the others are its trust partners.
ALL_DOMAINS="contoso fabrikam northwind adatum tailspin"
PRIMARY=contoso                    # the domain the client environment points at
declare -A REALM=([contoso]=CONTOSO.TEST [fabrikam]=FABRIKAM.TEST [northwind]=NORTHWIND.TEST
                  [adatum]=ADATUM.TEST [tailspin]=TAILSPIN.TEST)
declare -A NB=([contoso]=CONTOSO [fabrikam]=FABRIKAM [northwind]=NORTHWIND [adatum]=ADATUM
               [tailspin]=TAILSPIN)
declare -A HOSTN=([contoso]=dc1 [fabrikam]=fdc1 [northwind]=ndc1 [adatum]=adc1 [tailspin]=tdc1)
declare -A IP=([contoso]=127.0.0.1 [fabrikam]=127.0.0.3 [northwind]=127.0.0.4 [adatum]=127.0.0.5
               [tailspin]=127.0.0.6)
# domain SIDs fixed at provisioning (the others are random)
declare -A DOMSID=([tailspin]=S-1-5-21-1004336348-1177238915-682003330)

# The primary domain's trusts: partner -> samba-tool's --type and --direction (seen from the
# primary: outgoing = the primary trusts the partner, whose principals then get tickets to the
# primary's services, not the reverse), and what LDAP must then show on the primary's side:
# "trustType trustDirection trustAttributes" (2 = uplevel; 1 in, 2 out, 3 both; 0x8 =
# FOREST_TRANSITIVE, 0x4 = QUARANTINED_DOMAIN, samba-tool's default for an external trust).
# TRUST_OPTS: "selective" sets CROSS_ORGANIZATION (0x10, selective authentication) on both
# sides once the trust is made and validated. Not samba-tool's --cross-organisation at creation:
# winbindd leaves such a trust out of its domain list, so it could never be validated (nor its
# forest names fetched); the KDC, which is all the tests need across it, does not mind.
TRUSTS="fabrikam northwind adatum tailspin"
declare -A TRUST_TYPE=([fabrikam]=forest [northwind]=external [adatum]=forest [tailspin]=forest)
declare -A TRUST_DIR=([fabrikam]=both [northwind]=both [adatum]=outgoing [tailspin]=both)
declare -A TRUST_LDAP=([fabrikam]="2 3 8" [northwind]="2 3 4" [adatum]="2 2 8" [tailspin]="2 3 24")
declare -A TRUST_OPTS=([tailspin]=selective)
# Selective authentication: the management server whose computer object grants the selective
# partner's Domain Computers "Allowed to Authenticate" (the others grant it to nobody there).
SELECTIVE=tailspin
SELECTIVE_ALLOWED_MS=ms01
ALLOWED_TO_AUTHENTICATE=68b1d179-0d15-4d4f-ab71-46152e79a7bc   # the control access right
# In each partner: agent01..agent03 (MSOMHSvc SPNs); in FABRIKAM also the gateway gw01 (both
# SPNs right), the gateway gw02 (its NetBIOS SPN missing), the management server ms11 of a
# second domain (both forms of both SPNs, SDK as Local System), and ms02dup, which holds one
# of the primary's management server SPNs too (cross-forest duplicate).
PARTNER_AGENTS="agent01 agent02 agent03"
GATEWAY=gw01.fabrikam.test
GATEWAY_NO_NETBIOS=gw02.fabrikam.test
REMOTE_MS=ms11.fabrikam.test
DUP_CROSS_DOMAIN=fabrikam
DUP_CROSS_ACCOUNT=ms02dup
DUP_CROSS_SPN=MSOMHSvc/ms02.contoso.test
# the domains (and trusts) this run builds: all, or CONTOSO alone (SPNAUDIT_LAB_TRUSTS=0)
DOMAINS=$ALL_DOMAINS
if [ "${SPNAUDIT_LAB_TRUSTS:-1}" = 0 ]; then DOMAINS=$PRIMARY TRUSTS=""; fi

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
    "LAB_CA_FILE=$(dir_of $d)/private/tls/ca.pem" \
    "LAB_CERTS=$(dir_of $d)/certs" \
    "LAB_PASSWORD=$PASS" \
    "LAB_KEYTAB=$CL/spnaudit-svc.keytab" \
    "LAB_KEYTAB_PRINCIPAL=spnaudit-svc@${REALM[$d]}" \
    "LAB_AGENTS=$(agents_count)" \
    "LAB_MS_LISTENING=$(ms_list listening)" \
    "LAB_MS_NO_DNS=$(ms_list no-dns)" \
    "LAB_MS_NO_LISTENER=$(ms_list no-listener)" \
    "LAB_FOREST_DOMAINS=$(for d in $DOMAINS; do dom_of "$d"; done | paste -sd ' ')" \
    "LAB_TRUST_FOREST=$(trust_partner forest both)" \
    "LAB_TRUST_EXTERNAL=$(trust_partner external both)" \
    "LAB_TRUST_ONEWAY=$(trust_partner forest outgoing)" \
    "LAB_TRUST_SELECTIVE=${TRUSTS:+$(dom_of "$SELECTIVE")}" \
    "LAB_SELECTIVE_SID=${TRUSTS:+${DOMSID[$SELECTIVE]}}" \
    "LAB_SELECTIVE_ALLOWED_MS=$(ms_fqdn "$SELECTIVE_ALLOWED_MS")" \
    "LAB_PARTNER_AGENTS=${TRUSTS:+$PARTNER_AGENTS}" \
    "LAB_GATEWAY=${TRUSTS:+$GATEWAY}" \
    "LAB_GATEWAY_NO_NETBIOS=${TRUSTS:+$GATEWAY_NO_NETBIOS}" \
    "LAB_REMOTE_MS=${TRUSTS:+$REMOTE_MS}" \
    "LAB_DUP_CROSS_SPN=${TRUSTS:+$DUP_CROSS_SPN}" \
    "LAB_DUP_CROSS_ACCOUNT=${TRUSTS:+${NB[$DUP_CROSS_DOMAIN]}\\$DUP_CROSS_ACCOUNT\$}"
  for d in $DOMAINS; do
    printf '%s\n' "LAB_REALM_${NB[$d]}=${REALM[$d]}" "LAB_DC_${NB[$d]}=$(fqdn_of "$d")" \
      "LAB_BASEDN_${NB[$d]}=$(basedn_of "$d")"
  done
}
trust_partner() { # type direction: the DNS name of the partner with that trust
  local p
  for p in $TRUSTS; do
    if [ "${TRUST_TYPE[$p]}" = "$1" ] && [ "${TRUST_DIR[$p]}" = "$2" ]; then dom_of "$p"; return; fi
  done
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
# (the words are computed once per run, in the main shell: env_load, again after provisioning)
CLIENT_ENV=()
env_load() { mapfile -t CLIENT_ENV < <(client_env); }
in_lab() {
  [ ${#CLIENT_ENV[@]} -gt 0 ] || env_load
  ip netns exec "$NS" env "${CLIENT_ENV[@]}" "$@"
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
  local d have
  have=$(ip -n "$NS" -4 addr show dev lo)   # (not piped into grep -q: pipefail + SIGPIPE)
  for d in $DOMAINS; do   # 127.0.0.1/8 is on lo already; other loopback addresses are explicit
    [ "${IP[$d]}" = 127.0.0.1 ] && continue
    [[ $have == *" ${IP[$d]}/"* ]] || ip -n "$NS" addr add "${IP[$d]}/8" dev lo
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
  local d=$1 D n; D=$(dir_of "$1")
  rm -rf "$D"; mkdir -p "$D"/{run,log,rs}
  TDB_NO_FSYNC=1 ip netns exec "$NS" "$PY" -c "$PROVISION_PY" --targetdir="$D" \
    --realm="${REALM[$d]}" --domain="${NB[$d]}" --server-role=dc --dns-backend=SAMBA_INTERNAL \
    --host-ip="${IP[$d]}" --host-name="${HOSTN[$d]}" ${DOMSID[$d]:+--domain-sid="${DOMSID[$d]}"} \
    --option="interfaces = ${IP[$d]}" --option="bind interfaces only = yes" \
    --option="pid directory = $D/run" --option="ncalrpc dir = $D/ncalrpc" \
    --option="ntp signd socket directory = $D/ntp_signd" \
    --option="log file = $D/log/samba.log" --option="log level = $LOGLEVEL" \
    --option="max log size = 20000" --option="winbind reconnect delay = 2" \
    <<<"$PASS" > "$D/provision.log" 2>&1 \
    || { tail -20 "$D/provision.log" >&2; die "provisioning $d failed (see $D/provision.log)"; }
  sed -i '/^[[:space:]]*dns forwarder[[:space:]]*=/d' "$(conf_of "$d")"
  n=$(dns_next "$d")
  if [ -n "$n" ]; then sed -i "/^\[global\]/a\\\tdns forwarder = ${IP[$n]}" "$(conf_of "$d")"; fi
}
# the DNS forwarding chain (see header): each DC forwards what it is not authoritative for to
# the next DC of the table; the last forwards nowhere
dns_next() { local d prev=""; for d in $DOMAINS; do [ "$prev" = "$1" ] && { echo "$d"; return; }; prev=$d; done; }

# Offline population with the dsdb module stack, in one process and one transaction.
# argv: smb.conf, number of agents. Named objects on stdin, one per line:
#   computer <name> <userAccountControl> <enctypes|-> <password> [spn...]   (in CN=Computers)
#   user     <name> <userAccountControl> <password> [spn...]                (in CN=Users)
#   ace      <computer name> <ACE in SDDL>       (added to that computer's DACL, in CN=Computers)
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
import sys, os, time, hashlib, binascii, multiprocessing, urllib.parse
import ldb
from samba import dsdb, unix2nttime
from samba.samdb import SamDB
from samba.param import LoadParm
from samba.auth import system_session
from samba.crypto import md4_hash_blob
from samba.dcerpc import drsblobs
from samba.ndr import ndr_pack
from samba.sd_utils import SDUtils
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
        elif f[0] == "ace":
            SDUtils(db).dacl_add_ace("CN=%s,CN=Computers,%s" % (f[1], base), f[2])
            continue
        elif f[0] == "container":   # container RDN,PARENT-RDNS (under the domain)
            m = {"dn": "%s,%s" % (f[1], base), "objectClass": "container"}
        elif f[0] == "scp":   # scp CN PARENT-RDNS serviceDNSName [serviceDNSNameType]
            m = {"dn": "CN=%s,%s,%s" % (f[1], f[2], base), "objectClass": "serviceConnectionPoint",
                 "serviceDNSName": f[3]}
            if f[4:]: m["serviceDNSNameType"] = f[4]
        elif f[0] == "cert":   # cert COMPUTER DER-FILE...: published on its object
            m = ldb.Message(ldb.Dn(db, "CN=%s,CN=Computers,%s" % (f[1], base)))
            m["userCertificate"] = ldb.MessageElement([open(p, "rb").read() for p in f[2:]],
                                                      ldb.FLAG_MOD_ADD, "userCertificate")
            db.modify(m)
            continue
        elif f[0] == "template":   # template CN ATTRIBUTE=VALUE[|VALUE]... (%-encoded)
            m = {"dn": "CN=%s,CN=Certificate Templates,CN=Public Key Services,CN=Services,%s"
                       % (f[1], db.get_config_basedn()), "objectClass": "pKICertificateTemplate"}
            for a in f[2:]:
                k, v = a.split("=", 1)
                m[k] = [urllib.parse.unquote(x) for x in v.split("|")]
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

EKU_SERVER=1.3.6.1.5.5.7.3.1 EKU_CLIENT=1.3.6.1.5.5.7.3.2
populate_contoso() {
  local d=contoso N
  N=${SPNAUDIT_LAB_AGENTS:-$AGENTS_DEFAULT}
  [[ $N =~ ^[0-9]+$ ]] || die "SPNAUDIT_LAB_AGENTS must be a number"
  # userAccountControl: 4096 workstation trust, 4098 = that + disabled,
  # 66048 = normal user + password never expires. Enctypes 24 = AES only.
  local certs; certs="$(dir_of $d)/certs"
  rm -rf "$certs"
  bash "$(dirname "$SELF")/../cert/make-certs.sh" "$certs" >/dev/null
  TDB_NO_FSYNC=1 "$PY" -c "$POPULATE_PY" "$(conf_of $d)" "$N" <<EOF
computer ms01 4096 24 Ms01-Machine-Pw!1 MSOMHSvc/ms01.contoso.test MSOMHSvc/MS01
ace $SELECTIVE_ALLOWED_MS (OA;;CR;$ALLOWED_TO_AUTHENTICATE;;${DOMSID[$SELECTIVE]}-515)
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
container CN=OperationsManager
container CN=CONTOSO-MG,CN=OperationsManager
scp ms01_SCP CN=CONTOSO-MG,CN=OperationsManager ms01.contoso.test
scp ms04_SCP CN=CONTOSO-MG,CN=OperationsManager ms04.contoso.test
scp srv_SCP CN=CONTOSO-MG,CN=OperationsManager _msomhsvc._tcp.contoso.test SRV
cert ms01 $certs/good.cer $certs/expired.cer
cert ms02 $certs/ms02.cer
template OpsMgr displayName=OpsMgr%20Authentication pKIExtendedKeyUsage=$EKU_SERVER|$EKU_CLIENT msPKI-Certificate-Name-Flag=1 msPKI-Private-Key-Flag=16 msPKI-Minimal-Key-Size=2048 msPKI-Template-Schema-Version=2 pKIDefaultKeySpec=1 pKIDefaultCSPs=1,Microsoft%20RSA%20SChannel%20Cryptographic%20Provider
template WebServerCopy displayName=Web%20Server%20Copy pKIExtendedKeyUsage=$EKU_SERVER msPKI-Certificate-Name-Flag=1 msPKI-Private-Key-Flag=16 msPKI-Minimal-Key-Size=2048 msPKI-Template-Schema-Version=2 pKIDefaultKeySpec=1 pKIDefaultCSPs=1,Microsoft%20RSA%20SChannel%20Cryptographic%20Provider
template OpsMgrKSP displayName=OpsMgr%20CNG pKIExtendedKeyUsage=$EKU_SERVER|$EKU_CLIENT msPKI-Certificate-Name-Flag=1 msPKI-Private-Key-Flag=16 msPKI-Minimal-Key-Size=2048 msPKI-Template-Schema-Version=3 pKIDefaultKeySpec=1
template MachineCopy displayName=Machine%20Copy pKIExtendedKeyUsage=$EKU_SERVER|$EKU_CLIENT msPKI-Certificate-Name-Flag=402653184 msPKI-Private-Key-Flag=0 msPKI-Minimal-Key-Size=2048 msPKI-Template-Schema-Version=2 pKIDefaultKeySpec=1 pKIDefaultCSPs=1,Microsoft%20RSA%20SChannel%20Cryptographic%20Provider
EOF
  # Certificates: ms01's computer object publishes its current certificate and an expired one,
  # ms02's its own (tests/cert/make-certs.sh, issued by its test CA); four templates in the
  # Configuration partition: OpsMgr (what OpsMgr needs), WebServerCopy (Server Authentication
  # only), OpsMgrKSP (schema version 3, no CryptoAPI CSP: CNG), MachineCopy (the subject built
  # from the DNS name, the key not exportable).
  # SCOM's AD integration: the management group CONTOSO-MG's service connection points
  # (CN=OperationsManager, a container per group) name ms01 and ms04 (an audit with no
  # server named suggests them, with ms02 from svc-scom's MSOMSdkSvc SPNs); srv_SCP's
  # serviceDNSName is of type SRV, a DNS SRV name and no host: never suggested.
  # faults: ms03 has no MSOMHSvc SPN; ms04 lacks the NetBIOS form; ms05's SPNs sit on the
  # user svc-ms05; ms06 is disabled; ms07's FQDN SPN is duplicated on ms07old, written below
  # the module stack (see header) since samldb refuses duplicates; ms08 is RC4-only
  # (msDS-SupportedEncryptionTypes 4); legacy01 holds a stale SPN for oldagent, a host that
  # has no computer account. ms01 grants TAILSPIN's Domain Computers "Allowed to Authenticate"
  # (for the selective forest trust), no other server does.
  printf '%s\n' "dn: CN=ms07old,CN=Computers,$(basedn_of $d)" "changetype: modify" \
    "add: servicePrincipalName" "servicePrincipalName: MSOMHSvc/ms07.contoso.test" \
    | ldif_raw_partition $d
  echo "$N" > "$(dir_of $d)/.agents"
}

# The trust partners: agent-side accounts only (agent01..agent03, MSOMHSvc in both forms, AES),
# plus in FABRIKAM the gateways gw01 and gw02 (NetBIOS SPN missing), the management server
# ms11, and ms02dup, a second holder of CONTOSO's
# MSOMHSvc/ms02.contoso.test in another forest (for the forest-wide duplicate check). samldb
# accepts it: it is unique within FABRIKAM's database. Extra object lines on stdin.
populate_partner() {
  local d=$1 dom i=0 n; dom=$(dom_of "$1")
  { for n in $PARTNER_AGENTS; do
      i=$((i + 1))
      echo "computer $n 4096 24 ${n^}-${NB[$d]}-Pw!$i MSOMHSvc/$n.$dom MSOMHSvc/${n^^}"
    done
    cat
  } | TDB_NO_FSYNC=1 "$PY" -c "$POPULATE_PY" "$(conf_of "$d")" 0
}
populate_fabrikam() {
  local g=${GATEWAY%%.*} g2=${GATEWAY_NO_NETBIOS%%.*} m=${REMOTE_MS%%.*}
  populate_partner fabrikam <<EOF
computer $g 4096 24 ${g^}-Machine-Pw!1 MSOMHSvc/$GATEWAY MSOMHSvc/${g^^}
computer $g2 4096 24 ${g2^}-Machine-Pw!3 MSOMHSvc/$GATEWAY_NO_NETBIOS
computer $m 4096 24 ${m^}-Machine-Pw!4 MSOMHSvc/$REMOTE_MS MSOMHSvc/${m^^} MSOMSdkSvc/$REMOTE_MS MSOMSdkSvc/${m^^}
computer $DUP_CROSS_ACCOUNT 4096 - ${DUP_CROSS_ACCOUNT^}-Machine-Pw!2 $DUP_CROSS_SPN
EOF
}
# NORTHWIND also holds the hostile fixture (tests/lab/hostile.tsv): computer accounts whose
# SCOM SPNs and dNSHostName carry terminal escapes, forged lines, shell metacharacters,
# look-alikes and invalid UTF-8, written below the module stack as base64 LDIF values.
HOSTILE_TSV=$(dirname "$SELF")/hostile.tsv
HOSTILE_PY='
import ast, base64, sys
base, seen = sys.argv[1], set()
for line in open(sys.argv[2], encoding="ascii"):
    if line.startswith("#") or not line.strip():
        continue
    account, attr, literal = line.rstrip("\n").split("\t")
    value = ast.literal_eval(literal)
    op = "add" if attr == "servicePrincipalName" else "replace"
    print("dn: CN=%s,CN=Computers,%s\nchangetype: modify\n%s: %s\n%s:: %s\n" % (
        account, base, op, attr, attr, base64.b64encode(value).decode()))
'
hostile_accounts() { grep -v '^#' "$HOSTILE_TSV" | cut -f1 | sort -u; }
populate_northwind() {
  local a i=0
  for a in $(hostile_accounts); do
    i=$((i + 1)); echo "computer $a 4096 - ${a^}-Hostile-Pw!$i"
  done | populate_partner northwind
  "$PY" -c "$HOSTILE_PY" "$(basedn_of northwind)" "$HOSTILE_TSV" | ldif_raw_partition northwind
}
populate_adatum()    { populate_partner adatum </dev/null; }
populate_tailspin()  { populate_partner tailspin </dev/null; }

# What a domain's content is made from (its populate function, with the object lines it
# writes, and the names they use): written to .provisioned, so that a lab built from other
# content is rebuilt rather than tested against objects the tests no longer expect.
layout_id() { # domain
  { declare -f "populate_$1" populate_partner
    echo "$PARTNER_AGENTS $GATEWAY $GATEWAY_NO_NETBIOS $REMOTE_MS $DUP_CROSS_ACCOUNT $DUP_CROSS_SPN"
    [ "$1" != northwind ] || cat "$HOSTILE_TSV"
  } | sha256sum | cut -c1-16
}
built_current() { # domain: provisioned from the content this script describes
  [ "$(cat "$(dir_of "$1")/.provisioned" 2>/dev/null)" = "$(layout_id "$1")" ]
}

# provision + populate one DC (a background job of build_offline); its time in .buildtime
build_dc() {
  local d=$1 t; t=$(now)
  provision "$d"
  "populate_$d"
  since "$t" > "$(dir_of "$d")/.buildtime"
  layout_id "$d" > "$(dir_of "$d")/.provisioned"
}
# every DC at once: provisioning is CPU bound and the DCs are independent (2 cores: contoso's
# 1250 agents dominate, the small domains fit beside them)
build_offline() {
  local d pids=() fail=0 i=0
  for d in "$@"; do build_dc "$d" & pids+=($!); done
  for d in "$@"; do wait "${pids[$i]}" || { log "building $d failed"; fail=1; }; i=$((i + 1)); done
  [ $fail = 0 ] || die "provisioning failed (see $LAB/*/provision.log)"
}

# ---------------------------------------------------------------- start / readiness
# Once the trusts exist, a DC starts without winbindd: Samba 4.17's winbindd leaves a selective
# (CROSS_ORGANIZATION) trust out of its domain list, then fails to find that domain and exits,
# and samba ends with it -- so a DC with such a trust could not be started again (after a
# reboot, a crash or "down" with SPNAUDIT_LAB_KEEP=1). Only the trusts' creation needs winbindd;
# LDAP and the KDC, all that the tests use, do not.
services_opts() { if trusts_done; then echo "--option=server services = -winbindd"; fi; }

launch_dc() { # starts samba for a DC (it daemonises at once); wait_dc polls it ready
  local d=$1 D m=single; D=$(dir_of "$1")
  [ "$d" = "$PRIMARY" ] && m=$MODEL   # the process model knob is for the primary's KDC
  rm -f "$D/run/samba.pid"
  mkdir -p "$D/rs" /run/samba      # /run/samba is only the mount point, in our mount ns
  if tcp_open "${IP[$d]}" 389; then  # e.g. a samba whose state dir was deleted under it
    die "something already listens on ${IP[$d]}:389 in netns $NS; run: $0 down"
  fi
  local opts=(); mapfile -t opts < <(services_opts)
  # shellcheck disable=SC2016  # $1 and $@ are expanded by that inner sh
  ip netns exec "$NS" sh -c 'd=$1; shift; mount --bind "$d" /run/samba && exec samba "$@"' \
    sh "$D/rs" -s "$(conf_of "$d")" -M "$m" "${opts[@]}" 9<&- || die "samba for $d failed to start (see $D/log/samba.log)"
}

wait_dc() {
  local d=$1 D p i; D=$(dir_of "$1")
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

still_running() { # a DC can answer LDAP, then end a moment later (e.g. its winbindd exited)
  local d
  for d in "$@"; do
    dc_pid "$d" >/dev/null && continue
    tail -15 "$(dir_of "$d")/log/samba.log" >&2 2>/dev/null || true
    die "samba for $d ended just after start-up (see $(dir_of "$d")/log/samba.log)"
  done
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

# ---------------------------------------------------------------- trusts (online, once)
# argv: phase (create|finish), the primary's smb.conf, DNS name and NetBIOS name, then one
# spec per partner "dns:NETBIOS:type:direction:smb.conf"; the administrators' password on
# stdin (the last field of a spec: TRUST_OPTS). One python process imports samba-tool once and runs each command in a forked child
# (the command objects keep state between runs): ~1 s of start-up saved per command, and the
# password never reaches an argv. Why two phases instead of one "trust create" each:
# - create: both sides' TDOs, unvalidated. The partner's winbindd learns of the new domain
#   when its TDO is written (first) and connects at once; if that beats the primary's TDO, the
#   domain is marked offline for "winbind reconnect delay" (30 s by default, 2 s here), and
#   "trust create" validating at once failed with WERR_NO_LOGON_SERVERS (a load-dependent
#   race). So online_trusts waits until each outbound side's winbindd reaches the other DC.
# - finish: for a forest trust, each outbound side fetches the other forest's names over its
#   own secure channel and stores them enabled (namespaces --refresh=store: what "trust create"
#   does, but samba-tool 4.17 asks the INBOUND side of a one-way trust too, which has no secure
#   channel, and fails with WERR_NO_SUCH_DOMAIN); then "trust validate" checks the outbound
#   side(s) (an inbound side has no secure channel to check: WERR_CANT_ACCESS_DOMAIN_INFO).
# None of the trusts may exist beforehand: a failed run marks the lab for a rebuild (see
# online_trusts), since deleting and re-creating a trust under running DCs fails validation
# with WERR_ACCOUNT_DISABLED (winbindd keeps the old trust's secure channel).
TRUST_PY='
import os, sys
from samba.netcmd.main import cmd_sambatool
import samba.netcmd.domain   # loaded once, before the children fork
phase, pconf, pdns, pnb, specs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
pw = sys.stdin.readline().rstrip("\n")
def tool(conf, *args, quiet=False):   # each command in a forked child: samba-tool keeps state
    shown = " ".join(a if "%" not in a else a.split("%")[0] + "%***" for a in args)
    print("+ samba-tool %s -s %s" % (shown, conf), flush=True)
    pid = os.fork()
    if pid == 0:
        rc = cmd_sambatool()._run("samba-tool", *args, "-s", conf)
        sys.stdout.flush(); sys.stderr.flush()
        os._exit(0 if rc in (None, 0) else 1)
    ok = os.waitpid(pid, 0)[1] == 0
    if not ok and not quiet:
        raise SystemExit("trust: samba-tool %s failed" % shown)
    return ok
cred = lambda nb: "-U%s\\administrator%%%s" % (nb, pw)
def selective(conf, partner):   # CROSS_ORGANIZATION on the TDO for partner in the domain of conf
    import ldb
    from samba.samdb import SamDB
    from samba.param import LoadParm
    from samba.auth import system_session
    lp = LoadParm(); lp.load(conf)
    db = SamDB(url=lp.samdb_url(), session_info=system_session(), lp=lp)
    res = db.search("CN=System," + str(db.domain_dn()), ldb.SCOPE_ONELEVEL,
                    "(&(objectClass=trustedDomain)(trustPartner=%s))" % partner, ["trustAttributes"])
    if len(res) != 1:
        raise SystemExit("trust: %d trustedDomain objects for %s in %s" % (len(res), partner, conf))
    m = ldb.Message(res[0].dn)
    m["trustAttributes"] = ldb.MessageElement(str(int(res[0]["trustAttributes"][0]) | 0x10),
                                              ldb.FLAG_MOD_REPLACE, "trustAttributes")
    db.modify(m)
    print("+ trustAttributes of %s in %s: CROSS_ORGANIZATION set" % (partner, conf), flush=True)
for spec in specs:
    dns, nb, typ, direction, conf, opts = spec.split(":")
    out, inb = direction in ("both", "outgoing"), direction in ("both", "incoming")
    if phase == "create":
        if tool(pconf, "domain", "trust", "show", dns, quiet=True):
            raise SystemExit("trust: a trust with %s exists already (half-made?)" % dns)
        tool(pconf, "domain", "trust", "create", dns, "--type=" + typ, "--direction=" + direction,
             "--create-location=both", "--skip-validation", cred(nb))
        continue
    if typ == "forest" and out:
        tool(pconf, "domain", "trust", "namespaces", dns, "--refresh=store")
    if typ == "forest" and inb:
        tool(conf, "domain", "trust", "namespaces", pdns, "--refresh=store")
    if out:
        tool(pconf, "domain", "trust", "validate", dns,
             "--validate-location=" + ("both" if inb else "local"), cred(nb))
    else:
        tool(conf, "domain", "trust", "validate", pdns, "--validate-location=local", cred(pnb))
    if "selective" in opts.split(","):
        selective(pconf, dns)
        selective(conf, pdns)
'

trust_text() { # partner: the trust in words
  local a=${NB[$PRIMARY]} b=${NB[$1]}
  case ${TRUST_DIR[$1]} in
    both) echo "two-way ${TRUST_TYPE[$1]} trust with $a" ;;
    outgoing) echo "one-way ${TRUST_TYPE[$1]} trust: $a trusts $b" ;;
    incoming) echo "one-way ${TRUST_TYPE[$1]} trust: $b trusts $a" ;;
  esac
}
trust_marker() { echo "$(dir_of "$PRIMARY")/.trust-$1"; }
trusts_done() { local p; for p in $TRUSTS; do [ -f "$(trust_marker "$p")" ] || return 1; done; }

# Creating a trust needs more of each DC than LDAP and the KDC: the partner's netlogon asks its
# own winbindd to reach the other DC over SMB, and a winbindd that fails once marks that domain
# offline for "winbind reconnect delay". So: SMB answers, and winbindd answers a ping of its
# own domain's netlogon (wbinfo inside the DC's mount namespace: its /run/samba).
wait_dc_services() {
  local d=$1 D p i; D=$(dir_of "$1")
  for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
    p=$(dc_pid "$d") || die "samba for $d is gone (see $D/log/samba.log)"
    if tcp_open "${IP[$d]}" 445 && [ -S "$D/rs/winbindd/pipe" ] &&
       nsenter -t "$p" -m -n -- wbinfo --ping-dc >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  die "samba for $d: SMB or winbindd not ready after ${READY_TIMEOUT} s (see $D/log)"
}

online_trusts() { # needs every DC running; samba-tool reaches the partner DCs by name
  local p d specs=() args L; L=$(dir_of "$PRIMARY")/trusts.log
  for p in $TRUSTS; do
    [ -f "$(trust_marker "$p")" ] ||
      specs+=("$(dom_of "$p"):${NB[$p]}:${TRUST_TYPE[$p]}:${TRUST_DIR[$p]}:$(conf_of "$p"):${TRUST_OPTS[$p]:-}")
  done
  [ ${#specs[@]} -gt 0 ] || return 0
  for d in $DOMAINS; do wait_dc_services "$d"; done
  args=("$(conf_of "$PRIMARY")" "$(dom_of "$PRIMARY")" "${NB[$PRIMARY]}" "${specs[@]}")
  : > "$L"
  if ! in_lab "$PY" -c "$TRUST_PY" create "${args[@]}" <<<"$PASS" >>"$L" 2>&1 ||
     ! wait_trusted_domains ||
     ! in_lab "$PY" -c "$TRUST_PY" finish "${args[@]}" <<<"$PASS" >>"$L" 2>&1; then
    tail -25 "$L" >&2
    for d in $DOMAINS; do rm -f "$(dir_of "$d")/.provisioned"; done
    die "creating the trusts failed (see $L); the next up rebuilds the lab"
  fi
  for p in $TRUSTS; do touch "$(trust_marker "$p")"; done
}

# every outbound side's winbindd reaches its new trusted domain's DC over netlogon
wait_trusted_domains() {
  local p
  for p in $TRUSTS; do
    case ${TRUST_DIR[$p]} in both|outgoing) wb_reaches "$PRIMARY" "${NB[$p]}" || return 1 ;; esac
    case ${TRUST_DIR[$p]} in both|incoming) wb_reaches "$p" "${NB[$PRIMARY]}" || return 1 ;; esac
  done
}
wb_reaches() { # dc netbios-domain: polls "wbinfo --ping-dc" in that DC's mount namespace
  local i pid
  for ((i = 0; i < READY_TIMEOUT * 5; i++)); do
    pid=$(dc_pid "$1") || break
    if nsenter -t "$pid" -m -n -- wbinfo --ping-dc --domain="$2" >/dev/null 2>&1; then
      [ "$i" = 0 ] || echo "[$PROG] winbindd of ${NB[$1]} reached $2 after $((i / 5)).$((i % 5 * 2)) s" \
        >> "$(dir_of "$PRIMARY")/trusts.log"
      return 0
    fi
    sleep 0.2
  done
  echo "[$PROG] winbindd of ${NB[$1]} does not reach a DC of the trusted domain $2" >> "$(dir_of "$PRIMARY")/trusts.log"
  return 1
}

# Every trust as designed, from a client in the netns: LDAP on the primary shows each with
# its type, direction and attributes; tickets cross it exactly in its direction(s) (kvno with
# the realm named); a forest trust also routes by name (no realm: the KDC refers), an external
# one does not; and the cross-forest duplicate is seen by LDAP on both sides.
trust_ldap() { # the primary's trustedDomain objects: "partner type direction attributes"
  in_lab ldapsearch -LLL -Q -o ldif-wrap=no -Y GSSAPI -H "ldap://$(fqdn_of "$PRIMARY")" \
    -b "CN=System,$(basedn_of "$PRIMARY")" '(objectClass=trustedDomain)' \
    trustPartner trustType trustDirection trustAttributes |
    awk '/^dn:/ { if (p != "") print p, t, d, a; p = t = d = a = "" }
         /^trustPartner:/ { p = tolower($2) } /^trustType:/ { t = $2 }
         /^trustDirection:/ { d = $2 } /^trustAttributes:/ { a = $2 }
         END { if (p != "") print p, t, d, a }' | sort
}
# one client process runs every ticket check; lines "want ccache who spn why" on stdin, out
# "want got who spn why -- kvno's error"
# shellcheck disable=SC2016
TRUST_KVNO_SH='
while read -r want cc who spn why; do
  if err=$(KRB5CCNAME="FILE:$cc" kvno "$spn" 2>&1 >/dev/null); then got=yes; else got=no; fi
  echo "$want $got $who $spn $why -- $err"
done'
# the partners' DC locator records through the primary's DNS (the forwarding chain); argv
# "domain:REALM:dc-fqdn"...; prints what is wrong, exit status 1 if anything is
DNS_CHECK_PY='
import sys, dns.resolver
bad = 0
for arg in sys.argv[1:]:
    dom, realm, fqdn = arg.split(":")
    for name, port in (("_ldap._tcp.dc._msdcs." + dom, 389), ("_kerberos._tcp." + realm, 88)):
        try:
            got = sorted("%s:%d" % (str(r.target).rstrip(".").lower(), r.port)
                         for r in dns.resolver.resolve(name, "SRV"))
        except Exception as e:
            got = [type(e).__name__]
        if got != ["%s:%d" % (fqdn, port)]:
            print("%s SRV: %s, expected %s:%d" % (name, " ".join(got), fqdn, port)); bad = 1
sys.exit(bad)
'
selfcheck_trusts() {
  local p want got cc P n spn line sel bad=0 checks=()
  want=$(for p in $TRUSTS; do echo "$(dom_of "$p") ${TRUST_LDAP[$p]}"; done | sort)
  got=$(trust_ldap)
  [ "$got" = "$want" ] || die "trust check: LDAP on $(fqdn_of "$PRIMARY") shows (partner type direction attributes):
$got
expected:
$want"
  # shellcheck disable=SC2046  # one word per domain
  got=$(in_lab "$PY" -c "$DNS_CHECK_PY" $(for p in $DOMAINS; do echo "$(dom_of "$p"):${REALM[$p]}:$(fqdn_of "$p")"; done)) \
    || die "DNS check (from a client, through $(fqdn_of "$PRIMARY")'s DNS): $got"
  [ -n "$TRUSTS" ] || return 0
  P=${REALM[$PRIMARY]}
  # shellcheck disable=SC2016,SC2046  # expanded by that inner bash; two words per partner
  in_lab bash -c 'pw=$(cat); while [ $# -gt 0 ]; do
      for i in 1 2 3 4 5 6; do   # (a KDC can be listening a moment before it answers)
        KRB5CCNAME="FILE:$1" kinit "administrator@$2" <<<"$pw" >/dev/null 2>&1 && break
        [ $i = 6 ] && { echo "kinit administrator@$2 failed" >&2; exit 1; }; sleep 0.2
      done; shift 2; done' \
    sh $(for p in $TRUSTS; do echo "$CL/ccache.$p ${REALM[$p]}"; done) <<<"$PASS" \
    || die "trust check: kinit as a partner's administrator failed"
  for p in $TRUSTS; do
    cc=$CL/ccache.$p
    spn=MSOMHSvc/$(echo "$PARTNER_AGENTS" | awk '{ print $1 }').$(dom_of "$p")
    # Samba's KDC issues no cross-realm TGT at all over a trust with CROSS_ORGANIZATION
    # (Windows would, and then check "Allowed to Authenticate" on the target computer)
    sel=no; [[ ,${TRUST_OPTS[$p]:-}, == *,selective,* ]] && sel=yes
    case ${TRUST_DIR[$p]}/$sel in both/no|incoming/no) want=yes ;; *) want=no ;; esac
    checks+=("$want $CL/ccache administrator@$P $spn@${REALM[$p]} ${TRUST_TYPE[$p]}/${TRUST_DIR[$p]}")
    case ${TRUST_DIR[$p]}/$sel in both/no|outgoing/no) want=yes ;; *) want=no ;; esac
    checks+=("$want $cc administrator@${REALM[$p]} MSOMHSvc/$(ms_fqdn ms01)@$P ${TRUST_TYPE[$p]}/${TRUST_DIR[$p]}")
    if [ "${TRUST_DIR[$p]}" = both ]; then   # no realm named: only a forest trust routes the name
      if [ "${TRUST_TYPE[$p]}/$sel" = forest/no ]; then want=yes; else want=no; fi
      checks+=("$want $CL/ccache administrator@$P $spn ${TRUST_TYPE[$p]}/name-routing")
    fi
  done
  n=0
  while read -r want got line; do
    n=$((n + 1))
    if [ "$want" != "$got" ]; then
      log "trust check FAILED: expected $([ "$want" = yes ] && echo a ticket || echo a refusal): $line"
      bad=1
    fi
  done < <(printf '%s\n' "${checks[@]}" | in_lab bash -c "$TRUST_KVNO_SH")
  [ "$n" = ${#checks[@]} ] || die "trust check: $n results for ${#checks[@]} ticket checks"
  [ $bad = 0 ] || die "the trusts do not behave as designed (see above)"
  for p in $PRIMARY $DUP_CROSS_DOMAIN; do   # the second one across the forest trust
    n=$(in_lab ldapsearch -LLL -Q -Y GSSAPI -H "ldap://$(fqdn_of "$p")" -b "$(basedn_of "$p")" \
          "(servicePrincipalName=$DUP_CROSS_SPN)" dn | grep -c '^dn:' || true)
    [ "$n" = 1 ] || die "cross-forest duplicate check: $(fqdn_of "$p") shows $n holders of $DUP_CROSS_SPN, expected 1"
  done
}

pss_kb() { # PSS of all processes in the netns, or of one DC's (the process tree of its samba)
  local p v t=0 pids
  pids=$(ip netns pids "$NS" 2>/dev/null)
  if [ -n "${1:-}" ]; then   # "pid ppid" (after the ")" that ends the name), walked up to $1
    pids=$(for p in $pids; do echo "$p $(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $2 }')"; done |
      awk -v root="$1" '{ par[$1] = $2 }
        END { for (p in par) { q = p; while (q != root && q in par) q = par[q]; if (q == root) print p } }')
  fi
  for p in $pids; do
    v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || true); t=$((t + ${v:-0}))
  done
  echo "$t"
}

# ---------------------------------------------------------------- commands
dcs_running() { local d; for d in $DOMAINS; do dc_pid "$d" >/dev/null || return 1; done; }
layouts_current() { local d; for d in $DOMAINS; do built_current "$d" || return 1; done; }

cmd_up() {
  local c d T0 t fresh=0 missing=() started=() tbuild="-" tstart="-" tlisten="-" ttrust="-"
  for c in samba samba-tool ip nsenter ldbmodify kinit kvno klist ldapsearch timeout awk grep \
           getent "$PY"; do
    command -v "$c" >/dev/null || die "missing $c"
  done
  T0=$(now)
  if dcs_running && ms_listener_pid >/dev/null && etc_current && trusts_done && layouts_current; then
    log "already running ($(for d in $DOMAINS; do printf '%s pid %s, ' "${NB[$d]}" "$(dc_pid "$d")"; done)listener pid $(ms_listener_pid)); nothing to do"
    return 0
  fi
  netns_up
  for d in $DOMAINS; do built_current "$d" || missing+=("$d"); done
  if [ ${#missing[@]} -gt 0 ]; then
    fresh=1
    # the trusts tie the domains together: a lab missing one (e.g. built by an older version
    # of this script, or interrupted) is rebuilt whole, which takes no longer in parallel
    # (DCs left running by a failed up are stopped first: their pid files go with the rebuild)
    if [ "${missing[*]}" != "$DOMAINS" ]; then
      log "not built yet: ${missing[*]}; rebuilding every domain"
    fi
    stop_dcs_wait
    rm -rf "$CL"   # keytab, ccaches: of the domains being replaced
    t=$(now)
    # shellcheck disable=SC2086  # one word per domain
    build_offline $DOMAINS
    tbuild=$(since "$t")
  fi
  env_load   # (LAB_AGENTS is what was provisioned)
  t=$(now)
  for d in $DOMAINS; do dc_pid "$d" >/dev/null || { launch_dc "$d"; started+=("$d"); }; done
  for d in "${started[@]}"; do wait_dc "$d"; done
  [ ${#started[@]} = 0 ] || tstart=$(since "$t")
  if ! ms_listener_pid >/dev/null; then t=$(now); ms_listener_up; tlisten=$(since "$t"); fi
  client_up
  still_running "${started[@]}"
  kinit_admin
  online_contoso
  if ! trusts_done; then t=$(now); online_trusts; ttrust=$(since "$t"); fi
  if [ $fresh = 1 ]; then selfcheck_contoso; fi
  selfcheck_trusts
  selfcheck_ms
  for d in $DOMAINS; do
    log "${REALM[$d]} up: $(fqdn_of "$d") ${IP[$d]} in netns $NS, pid $(dc_pid "$d")$(
      [ "$d" = "$PRIMARY" ] && echo ", $(agents_count) agents")$(
      [ -s "$(dir_of "$d")/.buildtime" ] && [ $fresh = 1 ] && echo ", built in $(cat "$(dir_of "$d")/.buildtime") s")"
  done
  log "port $MS_PORT listener pid $(ms_listener_pid) on $(ms_listen_addrs | tr '\n' ' ')($MS_LISTEN)"
  log "timings: provision+populate (parallel) ${tbuild} s, start-to-ready ${tstart} s," \
      "listener ${tlisten} s, trusts ${ttrust} s, total $(since "$T0") s"
}

stop_dc() { # signals the DC's samba (if it is ours) and prints its pid
  local p
  if p=$(dc_pid "$1"); then kill -TERM "$p" 2>/dev/null || true; echo "$p"; fi
}

stop_dcs_wait() { # stops every running DC of ours and waits until each has exited
  local d p i
  for d in $ALL_DOMAINS; do
    p=$(stop_dc "$d"); [ -n "$p" ] || continue
    for ((i = 0; i < 100; i++)); do [ -e "/proc/$p" ] || break; sleep 0.1; done
    [ ! -e "/proc/$p" ] || die "samba for $d (pid $p) did not stop"
  done
}

cmd_down() {
  local d p i masters=()
  for d in $ALL_DOMAINS; do
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
  local d=$PRIMARY p a rc=0 up=() t
  if ! p=$(dc_pid $d); then echo "$PROG: ${REALM[$d]} not running"; return 1; fi
  echo "$PROG: ${REALM[$d]} pid $p, $(ip netns pids "$NS" | wc -w) process(es) in netns $NS," \
       "PSS $(( $(pss_kb) / 1024 )) MiB in all, $(fqdn_of $d) ${IP[$d]}, $(agents_count) agents"
  for d in $DOMAINS; do
    t=""
    [ "$d" = "$PRIMARY" ] || t=", $(trust_text "$d")"
    if ! p=$(dc_pid "$d"); then
      echo "$PROG: ${REALM[$d]} NOT running$t; run: $0 up"; rc=1
    elif in_net env LDAPNOINIT=1 ldapsearch -x -H "ldap://${IP[$d]}" -s base -b '' -o nettimeout=2 \
         defaultNamingContext >/dev/null 2>&1; then
      echo "$PROG: ${REALM[$d]} answering (LDAP rootDSE): pid $p, PSS $(( $(pss_kb "$p") / 1024 )) MiB," \
           "$(fqdn_of "$d") ${IP[$d]}$t"
    else
      echo "$PROG: ${REALM[$d]} NOT answering (see $(dir_of "$d")/log/samba.log)"; rc=1
    fi
  done
  if ! trusts_done; then echo "$PROG: the trusts are not (all) made yet; run: $0 up"; rc=1; fi
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
