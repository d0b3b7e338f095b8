#!/bin/bash
# The test domain comes back after its processes were killed (a reboot or a crash leaves the
# state behind): every DC is started again from that state, answers, and hands out tickets.
# Run with the lab up; leaves it up. Exit 0 = it came back.
set -euo pipefail
cd "$(dirname "$0")"
NS=${SPNAUDIT_LAB_NS:-spnaudit-lab}

./testdomain.sh status >/dev/null || { echo "check-restart: the lab is not up" >&2; exit 1; }
for p in $(ip netns pids "$NS"); do kill -KILL "$p" 2>/dev/null || true; done
for _ in $(seq 50); do [ -z "$(ip netns pids "$NS")" ] && break; sleep 0.1; done
if ! out=$(./testdomain.sh up 2>&1); then
  printf '%s\n' "$out" >&2; echo "check-restart: FAIL: up did not bring the lab back" >&2; exit 1
fi
sleep 2   # a DC that fails does so a moment after it answers
./testdomain.sh status >/dev/null || { echo "check-restart: FAIL: a DC is not answering after up" >&2; exit 1; }
# shellcheck disable=SC2016  # $LAB_DC is the lab's, expanded inside it
./testdomain.sh exec sh -c 'kvno -q "ldap/$LAB_DC" >/dev/null' ||
  { echo "check-restart: FAIL: no service ticket after the restart" >&2; exit 1; }
echo "check-restart: the lab came back after its processes were killed"
