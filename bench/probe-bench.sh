#!/bin/bash
# probe-bench.sh: service tickets for the 5,000 agent SPNs of the test domain,
# in one run, four ways, against the same KDC:
#   1. sequential kvno, one process per SPN (how it is scripted by hand), with
#      one ccache, and with each process from a TGT-only ccache
#   2. sequential kvno, one process for the whole list
#   3. N parallel kvno processes, N = 2, 4, 8 (the KDC's saturation throughput:
#      the best of them)
#   4. spnaudit probe (--jobs 8, the default, and --jobs 4)
# Every run starts from a ccache holding only a TGT (kvno would otherwise
# answer from tickets cached by an earlier run). Prints tickets per second,
# the ratios, and spnaudit's peak memory.
#
# The DC runs Samba's prefork process model for the run (4 KDC processes; the
# tests use the single-process model) and is put back as it was afterwards.
# Needs root and a built tree: scripts/build first.
set -euo pipefail
cd "$(dirname "$0")/.."
LAB=tests/lab/testdomain.sh
TOOL=$PWD/build/src/spnaudit
[ -x "$TOOL" ] || { echo "probe-bench: build first (scripts/build)" >&2; exit 1; }

echo "probe-bench: restarting the test domain with the prefork process model" >&2
SPNAUDIT_LAB_KEEP=1 $LAB down >/dev/null 2>&1 || true
SPNAUDIT_LAB_MODEL=prefork $LAB up >/dev/null 2>&1
trap 'SPNAUDIT_LAB_KEEP=1 $LAB down >/dev/null 2>&1; $LAB up >/dev/null 2>&1' EXIT

work=$(mktemp -d)
$LAB exec bash -s "$TOOL" "$work" <<'INNER'
set -euo pipefail
TOOL=$1 W=$2
# 5,000 SPNs: MSOMHSvc and HOST, FQDN and NetBIOS forms, of every agent
for i in $(seq 1 "$LAB_AGENTS"); do
  n=$(printf %04d "$i")
  printf 'MSOMHSvc/agent%s.contoso.test\nMSOMHSvc/AGENT%s\nHOST/agent%s.contoso.test\nHOST/AGENT%s\n' "$n" "$n" "$n" "$n"
done > "$W/spns"
N=$(wc -l < "$W/spns")
export KRB5CCNAME=FILE:$W/tgt
kinit -k -t "$LAB_KEYTAB" "$LAB_KEYTAB_PRINCIPAL"
fresh() { cp "$W/tgt" "$W/cc.$1"; export KRB5CCNAME=FILE:$W/cc.$1; }
now() { date +%s.%N; }
rate() { echo "$N / ($2 - $1)" | bc -l; }
ratio() { echo "$1 / $2" | bc -l; }
fmt() { printf '%.1f' "$1"; }

fresh seq1; t0=$(now)
while read -r s; do kvno -q "$s" > /dev/null || echo "kvno failed: $s" >&2; done < "$W/spns"
r_seq1=$(rate "$t0" "$(now)")
# the same, each process from a TGT-only ccache: no ccache growing with
# every ticket stored (the fastest sequential kvno can be)
t0=$(now)
while read -r s; do
  cp "$W/tgt" "$W/cc.one"; KRB5CCNAME=FILE:$W/cc.one kvno -q "$s" > /dev/null || echo "kvno failed: $s" >&2
done < "$W/spns"
r_seqfresh=$(rate "$t0" "$(now)")
fresh seqall; t0=$(now)
xargs -a "$W/spns" kvno -q > /dev/null
r_seqall=$(rate "$t0" "$(now)")
best=0 bestn=0
for p in 2 4 8; do
  t0=$(now)
  # each batch of 50 gets its own copy of the TGT-only ccache
  xargs -a "$W/spns" -P "$p" -n 50 sh -c 'cc=$(mktemp); cp "$0/tgt" "$cc"; KRB5CCNAME=FILE:$cc kvno -q "$@" > /dev/null; rm -f "$cc"' "$W"
  r=$(rate "$t0" "$(now)")
  echo "kvno, $p parallel processes:              $(fmt "$r") tickets/s"
  if (( $(echo "$r > $best" | bc -l) )); then best=$r; bestn=$p; fi
done
for j in 8 4; do
  fresh "tool$j"
  /usr/bin/time -f "%M" -o "$W/mem$j" "$TOOL" probe --jobs "$j" --format json -i "$W/spns" > "$W/out$j.json"
  issued=$(grep -c '"ok": true' "$W/out$j.json")
  secs=$(sed -n 's/.*"duration_seconds": \([0-9.]*\).*/\1/p' "$W/out$j.json")
  [ "$issued" = "$N" ] || echo "spnaudit --jobs $j: only $issued of $N tickets issued" >&2
  declare "r_tool$j=$(echo "$N / $secs" | bc -l)"
done
seq_best=$r_seqfresh
for r in "$r_seq1" "$r_seqall"; do (( $(echo "$r > $seq_best" | bc -l) )) && seq_best=$r; done
echo "kvno, one process per SPN, one ccache:    $(fmt "$r_seq1") tickets/s"
echo "kvno, one process per SPN, fresh ccache:  $(fmt "$r_seqfresh") tickets/s"
echo "kvno, one process for the list:           $(fmt "$r_seqall") tickets/s"
echo "kvno saturation (best: $bestn processes):      $(fmt "$best") tickets/s"
echo "spnaudit probe --jobs 8 (default):        $(fmt "$r_tool8") tickets/s, peak RSS $(cat "$W/mem8") KiB"
echo "spnaudit probe --jobs 4:                  $(fmt "$r_tool4") tickets/s, peak RSS $(cat "$W/mem4") KiB"
echo "ratio spnaudit(8) / best sequential kvno: $(fmt "$(ratio "$r_tool8" "$seq_best")")x   (target >= 5)"
echo "ratio spnaudit(8) / kvno saturation:      $(fmt "$(ratio "$r_tool8" "$best")")x   (target >= 0.8)"
echo "SPNs: $N; KDC: Samba $(samba -V | cut -d' ' -f2) prefork, $(nproc) cores shared with the clients"
INNER
rm -rf "$work"
