#!/bin/bash
# ldap-bench.sh: enumeration of the SCOM SPN holders of a 20,000-account test
# domain, spnaudit against ldapsearch running the same paged query against
# the same DC, alternately, in one run:
#   - ldapsearch -Y GSSAPI -E pr=N/noprompt, with the base, scope, filter and
#     attributes spnaudit asks for (src/lib/dir_accounts.c: sa_spn_class_filter
#     and account_attrs, read from the source tree at run time), output to a file
#   - spnaudit spn (the headline: the enumeration, as a user runs it)
#   - spnaudit audit --no-tickets --no-reachability (enumeration + analysis)
#   - spnaudit audit --ms ms01 --ms ms02: the default audit end to end, with
#     the tickets of the two servers' SPNs and their reachability (target
#     <= 1.3 x ldapsearch)
# One warm-up of each, then --runs rounds (default 5) with the order rotated
# every round. Prints every run's wall time, CPU time and peak RSS (GNU time
# %M), the medians, the ratios to ldapsearch (target <= 1.2), the entries and
# SPNs each tool saw (they must match: exit 1 otherwise), and the peak RSS of
# an enumeration matching nothing, to show what grows with the directory; then
# the peak RSS of spn and of the default audit in every format, each against
# the same command matching nothing (the fixed base): at most 1 KiB per SPN.
#
# The lab is its own instance (netns spnaudit-bench, state /tmp/spnaudit-bench;
# never the test suite's spnaudit-lab), built with 20,000 agents (4 SPNs each,
# 2 of them MSOMHSvc) in Samba's prefork process model unless it already runs
# with that many. Building it takes long (see the "directory" line); --keep
# leaves it up for the next run, which then starts at once. By default it is
# torn down only if this script brought it up.
#
# Exit status: 0 the runs completed and the counts match (whether or not the
# target is met: the output says "target met" or "target MISSED"), 1 a run
# failed or the counts differ, 2 bad usage or no lab.
# Needs root, a built tree (scripts/build, or --tool), GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
LAB=tests/lab/testdomain.sh   # (a copy of it is run, see below)
TOOL=$PWD/build/src/spnaudit
RUNS=5
PAGE=1000
KEEP=0
AGENTS=20000
export SPNAUDIT_LAB_NS=${SPNAUDIT_LAB_NS:-spnaudit-bench}
export SPNAUDIT_LAB_DIR=${SPNAUDIT_LAB_DIR:-/tmp/spnaudit-bench}
export SPNAUDIT_LAB_MODEL=prefork
export SPNAUDIT_LAB_TRUSTS=0   # CONTOSO alone: the partner forests only cost build time here
export COLUMNS=1000   # the text reports one line per fact, as the counts below are read from them

usage() {
  cat >&2 <<EOF
usage: bench/ldap-bench.sh [--runs N] [--page-size N] [--tool PATH] [--keep]
  --runs N       timed rounds after the warm-up (default $RUNS)
  --page-size N  LDAP page size for both tools (default $PAGE, spnaudit's default)
  --tool PATH    the spnaudit binary (default build/src/spnaudit; a release build
                 gives the figures that count: meson setup -Dbuildtype=release)
  --keep         leave the lab instance running afterwards
Lab instance: SPNAUDIT_LAB_NS=$SPNAUDIT_LAB_NS SPNAUDIT_LAB_DIR=$SPNAUDIT_LAB_DIR;
remove it with: SPNAUDIT_LAB_NS=$SPNAUDIT_LAB_NS SPNAUDIT_LAB_DIR=$SPNAUDIT_LAB_DIR $LAB down
EOF
  exit 2
}
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=${2:-}; shift 2 ;;
    --page-size) PAGE=${2:-}; shift 2 ;;
    --tool) TOOL=$(readlink -f "${2:-}"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage ;;
    *) echo "ldap-bench: unknown argument '$1'" >&2; usage ;;
  esac
done
die() { echo "ldap-bench: $*" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs wants a positive number"
[[ $PAGE =~ ^[1-9][0-9]*$ ]] || die "--page-size wants a positive number"
[ "$(id -u)" = 0 ] || die "run as root (the lab is a network namespace with a Samba DC)"
[ -x "$TOOL" ] || die "no spnaudit binary at $TOOL: build first (scripts/build) or give --tool"
[ -x /usr/bin/time ] || die "GNU time is missing (/usr/bin/time, Debian package 'time')"
command -v ldapsearch >/dev/null || die "ldapsearch is missing (ldap-utils)"
if [ "$SPNAUDIT_LAB_NS" = spnaudit-lab ] || [ "$SPNAUDIT_LAB_DIR" = /tmp/spnaudit-lab ]; then
  die "refusing the test suite's lab instance (spnaudit-lab): use another SPNAUDIT_LAB_NS and _DIR"
fi

# What spnaudit asks for: its attribute list, from the source it was built from.
ATTRS=$(sed -n '/account_attrs\[\] = {/,/};/p' src/lib/dir_accounts.c | grep -o '"[^"]*"' | tr -d '"' | xargs)
[ -n "$ATTRS" ] || die "cannot read spnaudit's attribute list (account_attrs in src/lib/dir_accounts.c)"

lab_agents() { $LAB env | sed -n "s/^export LAB_AGENTS='\([0-9]*\)'$/\1/p"; }
lab_model() { # prefork or single: prefork's samba names its workers "... pre-forked worker(N)"
  local p
  for p in $(ip netns pids "$SPNAUDIT_LAB_NS" 2>/dev/null); do
    if tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q 'pre-forked worker'; then echo prefork; return; fi
  done
  echo single
}

work=$(mktemp -d /tmp/ldap-bench.XXXXXX)
# a private copy of the lab script: bash reads a script as it runs, and an edit
# of testdomain.sh during the long build would break the running one
cp "$LAB" "$work/testdomain.sh"
LAB=$work/testdomain.sh
ours=0 restore_model=""
# shellcheck disable=SC2317  # (run by the EXIT trap)
cleanup() {
  if [ "$ours" = 1 ] && [ "$KEEP" = 0 ]; then
    echo "ldap-bench: tearing down the lab instance it brought up ($SPNAUDIT_LAB_NS)" >&2
    $LAB down >/dev/null 2>&1 || echo "ldap-bench: 'testdomain.sh down' failed" >&2
  elif [ "$ours" = 1 ]; then
    echo "ldap-bench: lab instance kept; remove it with: SPNAUDIT_LAB_NS=$SPNAUDIT_LAB_NS" \
         "SPNAUDIT_LAB_DIR=$SPNAUDIT_LAB_DIR tests/lab/testdomain.sh down" >&2
  elif [ -n "$restore_model" ]; then
    echo "ldap-bench: putting the lab instance back to the $restore_model process model" >&2
    { SPNAUDIT_LAB_KEEP=1 $LAB down && SPNAUDIT_LAB_MODEL=$restore_model $LAB up; } >/dev/null 2>&1 ||
      echo "ldap-bench: restarting the lab failed" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------- the lab
built="reused (it was running with $AGENTS or more agents)"
UP_SECS=0
up() { # the lab's log goes to $work/up.log; UP_SECS: how long it took
  local t0=$EPOCHREALTIME
  if ! SPNAUDIT_LAB_AGENTS=$AGENTS $LAB up >/dev/null 2> "$work/up.log"; then
    tail -20 "$work/up.log" >&2; echo "ldap-bench: bringing up the lab failed" >&2; exit 2
  fi
  UP_SECS=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
}
if $LAB status >/dev/null 2>&1 && [ "$(lab_agents)" -ge $AGENTS ]; then
  if [ "$(lab_model)" != prefork ]; then
    echo "ldap-bench: restarting the lab instance with the prefork process model" >&2
    SPNAUDIT_LAB_KEEP=1 $LAB down >/dev/null 2>&1
    restore_model=single
    up
    built="reused (it was running with $AGENTS or more agents), restarted in the prefork model"
  fi
else
  ours=1
  if [ -f "$SPNAUDIT_LAB_DIR/contoso/.provisioned" ] && [ "$(lab_agents)" -ge $AGENTS ]; then
    echo "ldap-bench: starting the kept lab instance ($(lab_agents) agents)" >&2
    SPNAUDIT_LAB_KEEP=1 $LAB down >/dev/null 2>&1
    up
    built="kept from an earlier run, started in $UP_SECS s"
  else
    echo "ldap-bench: building a test domain with $AGENTS agents (about 20 minutes on 2 cores)" >&2
    $LAB down >/dev/null 2>&1 || true   # whatever is left of a smaller instance
    up
    pop=$(sed -n 's/.*timings: provision \([0-9.]*\) s, populate \([0-9.]*\) s, start-to-ready \([0-9.]*\) s.*/provision \1 s, populate \2 s, start \3 s/p' "$work/up.log")
    agents=$(sed -n 's/.*\] \([0-9]*\) agents added in \([0-9.]*\) s.*/\2/p' "$work/up.log")
    built="built by this run in $UP_SECS s (${pop:-see the lab log}; of the populate, the $AGENTS agents ${agents:-?} s)"
  fi
fi
[ "$(lab_agents)" -ge $AGENTS ] || { echo "ldap-bench: the lab has $(lab_agents) agents, not $AGENTS" >&2; exit 2; }

# ---------------------------------------------------------------- the runs, in the lab
rc=0
$LAB exec bash -s "$TOOL" "$work" "$RUNS" "$PAGE" "$ATTRS" "$built" "$AGENTS" <<'INNER' || rc=$?
set -euo pipefail
TOOL=$1 W=$2 RUNS=$3 PAGE=$4 ATTRS=$5 BUILT=$6 AGENTS=$7
CLASSES="MSOMHSvc MSOMSdkSvc"   # spnaudit's default --service-class
FILTER='(|(servicePrincipalName=MSOMHSvc/*)(servicePrincipalName=MSOMSdkSvc/*))'
NOMATCH='(|(servicePrincipalName=NoSuchSvcBench/*))'
# shellcheck disable=SC2206
ATTRV=($ATTRS)
# same SASL mechanism, no reverse-DNS canonicalisation (-N), same minimum
# security layer as spnaudit (LDAP_OPT_X_SASL_SECPROPS minssf=1)
LDAPSEARCH=(ldapsearch -LLL -Q -N -Y GSSAPI -O minssf=1 -o ldif_wrap=no -H "ldap://$LAB_DC"
            -E "pr=$PAGE/noprompt" -b "$LAB_BASEDN" -s sub)
SPN=("$TOOL" spn --server "$LAB_DC" --domain "$LAB_DOMAIN" --page-size "$PAGE")
AUDIT=("$TOOL" audit --no-tickets --no-reachability --server "$LAB_DC" --domain "$LAB_DOMAIN" --page-size "$PAGE")
# the default audit of two management servers: tickets for their SPNs, reachability
SERVERS=(--ms ms01.contoso.test --ms ms02.contoso.test)
AUDIT2=("$TOOL" audit --server "$LAB_DC" --domain "$LAB_DOMAIN" --page-size "$PAGE" "${SERVERS[@]}")
fail=0

# every run starts from a ccache holding only the TGT of the unprivileged
# service account spnaudit is meant to run as
export KRB5CCNAME=FILE:$W/tgt
kinit -k -t "$LAB_KEYTAB" "$LAB_KEYTAB_PRINCIPAL" </dev/null

# run NAME OKCODES CMD...: stdout to $W/NAME.out; sets WALL CPU RSS; 1 if the
# exit status is not one of OKCODES (space-separated)
run() {
  local name=$1 ok=$2 t0 t1 st=0 last; shift 2
  cp "$W/tgt" "$W/cc"
  t0=$EPOCHREALTIME
  KRB5CCNAME=FILE:$W/cc /usr/bin/time -f '%M %U %S' -o "$W/$name.time" "$@" \
    </dev/null >"$W/$name.out" 2>"$W/$name.err" || st=$?
  t1=$EPOCHREALTIME
  last=$(tail -n 1 "$W/$name.time")
  WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  RSS=${last%% *}
  CPU=$(awk -v l="$last" 'BEGIN { split(l, f, " "); printf "%.2f", f[2] + f[3] }')
  if [[ " $ok " != *" $st "* ]]; then
    echo "ldap-bench: $name exited with status $st:" >&2
    sed 's/^/    /' "$W/$name.err" | tail -5 >&2
    fail=1
    return 1
  fi
  return 0
}

# counts of ldapsearch LDIF: entries, SPN values of the classes, distinct SPNs
# (case-insensitive, as spnaudit compares them), SPNs held by several entries
ldif_counts() {
  awk -v classes="$CLASSES" '
    BEGIN { n = split(tolower(classes), c, " ") }
    /^dn::? / { e++; next }
    /^servicePrincipalName::/ { b64++; next }
    tolower($0) ~ /^serviceprincipalname: / {
      v = tolower(substr($0, 23)); slash = index(v, "/")
      for (i = 1; i <= n; i++) if (slash > 0 && substr(v, 1, slash - 1) == c[i]) {
        vals++; if (!((v, e) in seen)) { seen[v, e] = 1; holders[v]++ }
      }
    }
    END {
      for (s in holders) { d++; if (holders[s] > 1) dup++ }
      printf "%d %d %d %d %d\n", e, vals, d, dup, b64
    }' "$1"
}
# spnaudit spn --format json: accounts, holder entries (= SPN values), SPNs listed, duplicates
json_counts() {
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["counts"]["accounts"], sum(len(s["holders"]) for s in d["spns"]), len(d["spns"]),
      d["counts"]["duplicates"])' "$1"
}
# spnaudit spn text: "N SPNs listed; M accounts in D hold ...; K SPNs are on several accounts"
spn_text_counts() {
  tail -n 1 "$1" | sed -n 's/^\([0-9]*\) SPNs\{0,1\} listed; \([0-9]*\) accounts\{0,1\} in .*; \([0-9]*\) SPNs\{0,1\} \(is\|are\) on several.*/\2 \1 \3/p'
}
# spnaudit audit text: "N accounts hold M SCOM SPNs (E entries in P LDAP pages)"
audit_text_counts() {
  sed -n 's/^\([0-9]*\) accounts hold \([0-9]*\) SCOM SPNs (\([0-9]*\) entries in \([0-9]*\) LDAP pages).*/\1 \2 \3 \4/p' "$1" | head -1
}

fmt() { printf '%.0f' "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }   # 20010 -> 20,010
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minmax() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }

# ------------------------------------------------ warm-up, with the full count check
echo "ldap-bench: warm-up" >&2
run ldap.w 0 "${LDAPSEARCH[@]}" "$FILTER" "${ATTRV[@]}" || exit 1
read -r L_E L_V L_D L_DUP L_B64 < <(ldif_counts "$W/ldap.w.out")
run spnjson.w "0 1" "${SPN[@]}" --format json || exit 1
read -r J_A J_V J_D J_DUP < <(json_counts "$W/spnjson.w.out")
run audit.w "0 1 2" "${AUDIT[@]}" || exit 1
read -r A_A A_V _ A_P < <(audit_text_counts "$W/audit.w.out")
run audit2.w "0 1 2" "${AUDIT2[@]}" || exit 1
read -r A2_A A2_V _ _ < <(audit_text_counts "$W/audit2.w.out")
A2_T=$(sed -n 's/.*; \([0-9]*\) service tickets requested.*/\1/p' "$W/audit2.w.out" | head -1)
# the security layer both negotiated: ldapsearch says it without -Q; the audit report names it
cp "$W/tgt" "$W/ssf.cc"
SSF=$(KRB5CCNAME=FILE:$W/ssf.cc ldapsearch -N -Y GSSAPI -O minssf=1 -H "ldap://$LAB_DC" -b '' -s base 1.1 </dev/null 2>&1 >/dev/null |
      sed -n 's/^SASL SSF: //p')
BIND=$(grep -im1 'bind\|ssf\|sasl' "$W/audit.w.out" | sed 's/^ *//' || true)

if [ "$L_B64" != 0 ]; then
  echo "ldap-bench: $L_B64 base64-encoded servicePrincipalName values in the LDIF: not counted" >&2
fi
check() { # what expected got
  if [ "$2" != "$3" ]; then echo "ldap-bench: COUNT MISMATCH: $1: ldapsearch $2, spnaudit $3" >&2; fail=1; fi
}
check "accounts (spn)" "$L_E" "$J_A"
check "SPN values (spn, holders listed)" "$L_V" "$J_V"
check "distinct SPNs (spn)" "$L_D" "$J_D"
check "SPNs on several accounts (spn)" "$L_DUP" "$J_DUP"
check "SPN values (audit)" "$L_V" "$A_V"
check "SPN values (audit --ms ms01 --ms ms02)" "$L_V" "$A2_V"
# the audit also looks up the computer accounts of SPN hosts held by another
# account (sa_dir_find_computers): more accounts than ldapsearch's entries
if [ -z "$A_A" ] || [ "$A_A" -lt "$L_E" ]; then
  echo "ldap-bench: COUNT MISMATCH: accounts (audit): ldapsearch $L_E, spnaudit audit ${A_A:-?}" >&2; fail=1
fi
if [ "$L_E" -lt "$AGENTS" ] || [ "$L_V" -lt $((2 * AGENTS)) ]; then
  echo "ldap-bench: the directory holds $L_E accounts and $L_V SPNs of the classes, fewer than" \
       "$AGENTS and $((2 * AGENTS))" >&2
  fail=1
fi
[ $fail = 0 ] || exit 1

# ------------------------------------------------ the timed rounds
declare -A walls cpus rsss
NAMES=(ldap spn audit audit2)
ROUNDS=""
for ((r = 1; r <= RUNS; r++)); do
  echo "ldap-bench: round $r of $RUNS" >&2
  line="  round $r:"
  for ((k = 0; k < ${#NAMES[@]}; k++)); do
    n=${NAMES[$(( (k + r - 1) % ${#NAMES[@]} ))]}
    case $n in
      ldap)  run ldap.$r 0 "${LDAPSEARCH[@]}" "$FILTER" "${ATTRV[@]}" || exit 1
             read -r e v _ _ _ < <(ldif_counts "$W/ldap.$r.out")
             check "round $r: ldapsearch entries / SPN values (vs warm-up)" "$L_E $L_V" "$e $v" ;;
      spn)   run spn.$r "0 1" "${SPN[@]}" || exit 1
             check "round $r: spnaudit spn accounts / SPNs / duplicates" "$L_E $L_D $L_DUP" \
                   "$(spn_text_counts "$W/spn.$r.out")" ;;
      audit) run audit.$r "0 1 2" "${AUDIT[@]}" || exit 1
             read -r a v _ _ < <(audit_text_counts "$W/audit.$r.out")
             check "round $r: spnaudit audit accounts / SPN values" "$A_A $L_V" "$a $v" ;;
      audit2) run audit2.$r "0 1 2" "${AUDIT2[@]}" || exit 1
             read -r a v _ _ < <(audit_text_counts "$W/audit2.$r.out")
             check "round $r: spnaudit audit --ms accounts / SPN values" "$A2_A $L_V" "$a $v" ;;
    esac
    walls[$n]+="$WALL " cpus[$n]+="$CPU " rsss[$n]+="$RSS "
    line+=$(printf '  %-6s %6.3f s %5.2f CPU %8s KiB' "$n" "$WALL" "$CPU" "$RSS")
    rm -f "$W/$n.$r.out"
  done
  ROUNDS+="$line"$'\n'
done
[ $fail = 0 ] || exit 1

# ------------------------------------------------ peak RSS of an enumeration matching nothing
run ldap.none 0 "${LDAPSEARCH[@]}" "$NOMATCH" "${ATTRV[@]}" || exit 1
NONE_LDAP=$RSS
run spn.none "0 1" "${SPN[@]}" --service-class NoSuchSvcBench || exit 1
NONE_SPN=$RSS
[ "$(spn_text_counts "$W/spn.none.out" | cut -d' ' -f1)" = 0 ] || { echo "ldap-bench: the empty enumeration found accounts" >&2; exit 1; }

# ------------------------------------------------ peak RSS in every format, against the same matching nothing
echo "ldap-bench: memory in every format" >&2
MEMORY=""
per_spn() { awk -v a="$1" -v b="$2" -v n="$L_V" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }'; }
memory() { # label okcodes cmd...: the command as it is, then matching nothing
  local label=$1 ok=$2 full base b; shift 2
  run mem.full "$ok" "$@" || exit 1
  full=$RSS
  run mem.none "$ok" "$@" --service-class NoSuchSvcBench || exit 1
  base=$RSS
  b=$(per_spn "$full" "$base")
  [ "$b" -le 1024 ] || MEM_MISSED=1
  MEMORY+=$(printf '  %-34s %10s KiB  base %8s KiB  %5s bytes per SPN' "$label" "$(fmt "$full")" "$(fmt "$base")" "$b")$'\n'
}
MEM_MISSED=0
memory "spn (text)" "0 1" "${SPN[@]}"
memory "spn --format json" "0 1" "${SPN[@]}" --format json
for f in text json csv prometheus nagios; do
  memory "audit --ms x2 --format $f" "0 1 2" "${AUDIT2[@]}" --format "$f"
done

# ------------------------------------------------ the figures
m() { tr ' ' '\n' <<<"${1% }" | median; }
mm() { tr ' ' '\n' <<<"${1% }" | minmax; }
ML=$(m "${walls[ldap]}") MS=$(m "${walls[spn]}") MA=$(m "${walls[audit]}") MA2=$(m "${walls[audit2]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" 'BEGIN { print (r <= 1.2 ? "target met" : "target MISSED") }'; }
RS=$(ratio "$MS" "$ML") RA=$(ratio "$MA" "$ML") RA2=$(ratio "$MA2" "$ML")
verdict13() { awk -v r="$1" 'BEGIN { print (r <= 1.3 ? "target met" : "target MISSED") }'; }
row() { # label name
  printf '%-46s %7.3f s  %-13s %7.2f s  %10s KiB\n' "$1" "$(m "${walls[$2]}")" "($(mm "${walls[$2]}"))" \
    "$(m "${cpus[$2]}")" "$(fmt "$(m "${rsss[$2]}")")"
}
echo
echo "directory: ${LAB_DOMAIN^^}, $(fmt "$L_E") accounts hold $(fmt "$L_V") SPNs of $CLASSES" \
     "($(fmt "$L_D") distinct, $L_DUP on several accounts)"
echo "           $BUILT"
echo "DC: Samba $(samba -V | cut -d' ' -f2) prefork on $LAB_DC; $(nproc) cores shared by DC and clients"
echo "query: base $LAB_BASEDN, subtree, $FILTER,"
echo "       attributes $ATTRS, page size $PAGE ($A_P pages), SASL GSSAPI (SSF ${SSF:-?})"
echo "ldapsearch: ${LDAPSEARCH[*]} '$FILTER' $ATTRS > file"
if [ -n "$BIND" ]; then echo "spnaudit:   $BIND"; fi
echo "spnaudit binary: $TOOL"
echo
echo "runs: wall time, user+system CPU, peak RSS (order rotated every round; one warm-up each before):"
printf '%s' "$ROUNDS"
echo
printf '%-46s %9s  %-13s %9s  %14s\n' "median of $RUNS runs:" "wall" "(min-max)" "CPU" "peak RSS"
row "ldapsearch (the same paged query)" ldap
row "spnaudit spn" spn
row "spnaudit audit --no-tickets --no-reachability" audit
row "spnaudit audit --ms ms01 --ms ms02 (default)" audit2
echo
echo "counts: ldapsearch $(fmt "$L_E") entries, $(fmt "$L_V") SPN values; spnaudit spn $(fmt "$J_A") accounts," \
     "$(fmt "$J_V") SPN values (match); audit $(fmt "$A_A") accounts ($((A_A - L_E)) more: computer accounts" \
     "of SPN hosts it looked up), $(fmt "$A_V") SPN values (match)"
echo "memory: peak RSS with $(fmt "$L_E") accounts vs with none matching:" \
     "spnaudit spn $(fmt "$(m "${rsss[spn]}")") vs $(fmt "$NONE_SPN") KiB" \
     "($(awk -v a="$(m "${rsss[spn]}")" -v b="$NONE_SPN" -v n="$L_E" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }') bytes per account);" \
     "ldapsearch $(fmt "$(m "${rsss[ldap]}")") vs $(fmt "$NONE_LDAP") KiB"
echo
echo "ratio spnaudit spn / ldapsearch (headline):   ${RS}x   (target <= 1.2: $(verdict "$RS"))"
echo "ratio spnaudit audit / ldapsearch:            ${RA}x   (target <= 1.2: $(verdict "$RA"))"
echo "ratio default audit of 2 servers / ldapsearch: ${RA2}x   (target <= 1.3: $(verdict13 "$RA2"));" \
     "${A2_T:-?} service tickets requested"
echo
echo "peak RSS in every format, against the same command matching nothing (target <= 1 KiB per SPN" \
     "of the $(fmt "$L_V") read: $([ "$MEM_MISSED" = 0 ] && echo "target met" || echo "target MISSED")):"
printf '%s' "$MEMORY"
INNER
exit $rc
