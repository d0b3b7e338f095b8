#!/bin/bash
# check-explain.sh SPNAUDIT: "spnaudit explain" as a user runs it, no
# domain needed: the output of known events, the list, and the refusals.
set -uo pipefail
tool=$1
# shellcheck source=tests/cli/expect.sh
. "$(dirname "$0")/expect.sh"

# expect_json WHAT: the last output is JSON (checked where python3 is)
expect_json() {
    command -v python3 >/dev/null || return 0
    expect "$1" python3 -c 'import json, sys; json.loads(sys.argv[1])' "$out"
}

run explain 21035
expect "explain 21035 exits 0" test "$rc" = 0
expect "explain 21035 names the event" has "$out" "Event 21035: SPN registration failed"
expect "explain 21035 has usual causes" has "$out" "Usual causes:"
expect "explain 21035 is covered by SPN_MISSING" has "$out" "SPN_MISSING (finding, from spnaudit audit)"
expect "explain 21035 is covered by SPN_SELF_WRITE_DENIED" has "$out" "SPN_SELF_WRITE_DENIED"
expect "explain 21035 writes nothing on stderr" test -z "$err"

run explain 20070
expect "explain 20070 exits 0" test "$rc" = 0
expect "explain 20070 says no check covers it" has "$out" "no spnaudit check shows this event"

run explain 20068
expect "explain 20068 exits 0" test "$rc" = 0
expect "explain 20068 is covered by CERT_KEY_MISSING" has "$out" "CERT_KEY_MISSING (certificate, from spnaudit cert)"
expect "explain 20068 points to spnaudit cert" has "$out" "spnaudit cert checks the certificate file"

run explain 21007 --format json
expect "explain 21007 --format json exits 0" test "$rc" = 0
expect "explain 21007 JSON names the event" has "$out" '"event": 21007'
expect "explain 21007 JSON has the trust verdict" has "$out" '"source": "verdict"'
expect_json "explain 21007 JSON parses"

run explain SPN_VALUE_SUSPICIOUS
expect "explain SPN_VALUE_SUSPICIOUS exits 0" test "$rc" = 0
expect "explain SPN_VALUE_SUSPICIOUS names the code" has "$out" "SPN_VALUE_SUSPICIOUS: a finding code (from spnaudit audit), severity warning"
expect "explain SPN_VALUE_SUSPICIOUS says what it finds" has "$out" "look-alike of a management server"
expect "explain SPN_VALUE_SUSPICIOUS leads to no event" has "$out" "OpsMgr events: none"
expect "explain SPN_VALUE_SUSPICIOUS writes nothing on stderr" test -z "$err"

run explain spn_duplicate
expect "explain spn_duplicate (any case) exits 0" test "$rc" = 0
expect "explain spn_duplicate lists 21016 with its title" grep -qE "^  21016 +Unable to set up" <<<"$out"

run explain TICKET_WRONG_KEY --format json
expect "explain TICKET_WRONG_KEY --format json exits 0" test "$rc" = 0
expect "explain TICKET_WRONG_KEY JSON is a ticket cause" has "$out" '"source": "ticket"'
expect "explain TICKET_WRONG_KEY JSON has its advice" has "$out" '"fix": "register the SPN'
expect_json "explain TICKET_WRONG_KEY JSON parses"

run explain NO_SUCH_CODE
expect "explain NO_SUCH_CODE exits 64" test "$rc" = 64
expect "explain NO_SUCH_CODE says it is not a code" has "$err" "nor a finding code"

run explain
expect "explain (no event) exits 0" test "$rc" = 0
for id in 20050 20057 20068 20069 20070 20072 20075 20076 20077 \
    21001 21005 21006 21007 21008 21016 21035 21036; do
    expect "explain lists $id" grep -qE "^$id +[0-9]+ +[A-Z]" <<<"$out"
done

run explain --format json
expect "explain --format json exits 0" test "$rc" = 0
expect "explain --format json lists events" has "$out" '"events": ['

run explain 99999
expect "explain 99999 exits 64" test "$rc" = 64
expect "explain 99999 prints nothing on stdout" test -z "$out"
expect "explain 99999 says the event is unknown" has "$err" "unknown event 99999"
expect "explain 99999 names the known events" has "$err" "20050, 20057"
expect "explain 99999 points at the list" has "$err" "try 'spnaudit explain' for the list"

run explain abc
expect "explain abc exits 64" test "$rc" = 64
expect "explain abc says it is not an event ID" has "$err" "'abc' is not an event ID"

run explain 21035x
expect "explain 21035x exits 64" test "$rc" = 64

run explain 21035 21001
expect "explain with two events exits 64" test "$rc" = 64

run explain --format csv 21035
expect "explain --format csv exits 64" test "$rc" = 64

run explain --bogus
expect "explain --bogus exits 64" test "$rc" = 64

run help explain
expect "help explain exits 0" test "$rc" = 0
expect "help explain shows the usage" has "$out" "Usage: spnaudit explain"

run --help
expect "--help lists explain" grep -qE '^  explain ' <<<"$out"

echo "$bad problem(s)"
[ "$bad" = 0 ]
