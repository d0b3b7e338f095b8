#!/bin/bash
# check-nightly.sh SPNAUDIT: examples/spnaudit-nightly.sh as cron runs it,
# against the test domain (run inside the lab: testdomain.sh exec). The
# first night reports and becomes the baseline; a night like the one
# before stays silent; each night's HTML report lies beside its JSON one,
# named in the mail (its path, or a URL under HTML_URL_BASE), the first
# mail with a summary and a later one with the new findings' fixes; a
# change of the certificates' findings mails; a
# second run while one holds the lock does nothing; bad settings stop it
# with exit 3. Nothing is mailed: without MAIL_TO the script prints what
# it would mail, as cron then does.
set -uo pipefail
case $1 in /*) tool=$1 ;; *) tool=$PWD/$1 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
nightly=$here/../../examples/spnaudit-nightly.sh
# shellcheck source=tests/cli/expect.sh
. "$here/../cli/expect.sh"
: "${LAB_DC:?run inside the lab: testdomain.sh exec check-nightly.sh SPNAUDIT}"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/spnaudit.conf" <<CONF
[domain]
name = $LAB_DOMAIN
servers = $LAB_DC
[management_group]
management_servers = ms01.$LAB_DOMAIN ms02.$LAB_DOMAIN
[audit]
reachability = no
CONF
export SPNAUDIT=$tool SPNAUDIT_CONF=$dir/spnaudit.conf KEYTAB=$LAB_KEYTAB PRINCIPAL=$LAB_KEYTAB_PRINCIPAL
export REPORT_DIR=$dir/reports MAIL_TO=""

# night: runs the script; sets out, err and rc
night() {
    out=$(bash "$nightly" 2>"$dir/err")
    rc=$?
    err=$(cat "$dir/err")
}

night
expect "first night: the audit's failures, exit 2 (got $rc: $err)" test "$rc" = 2
expect "first night: says it is the first report" has "$out" "first report (status 2)"
expect "first night: latest.json is the baseline" test -L "$REPORT_DIR/latest.json" -a -s "$REPORT_DIR/latest.json"
expect "first night: reports are the audit account's only" test "$(stat -c %a "$REPORT_DIR")" = 700
first=$(readlink "$REPORT_DIR/latest.json")
first_html=${first%.json}.html
expect "first night: the HTML report beside the JSON one" test -s "$REPORT_DIR/$first_html"
expect "first night: latest.html points to it" test "$(readlink "$REPORT_DIR/latest.html")" = "$first_html"
expect "first night: the HTML report is a page without a script" \
    test "$(head -c 15 "$REPORT_DIR/$first_html")" = "<!DOCTYPE html>" -a -z "$(grep -il '<script' "$REPORT_DIR/$first_html")"
expect "first night: the page has an overview row per server" \
    test "$(grep -c '<tr class="server">' "$REPORT_DIR/$first_html")" = 2
expect "first night: the mail names the HTML report (got: $out)" \
    has "$out" "The report for people: $REPORT_DIR/$first_html"
expect "first night: the mail's summary names the servers" \
    has "$out" "servers audited (2): ms01.$LAB_DOMAIN ms02.$LAB_DOMAIN"
expect "first night: the mail's summary counts the findings by severity" \
    grep -Eq '^  findings: [1-9][0-9]* failures, [0-9]+ warnings, [0-9]+ info$' <<<"$out"

# without PRINCIPAL: the keytab's first principal (as the systemd unit runs it)
PRINCIPAL= night
expect "second night: exit 2" test "$rc" = 2
expect "second night: silent (got: $out)" test -z "$out"
expect "second night: its report the new baseline" test "$(readlink "$REPORT_DIR/latest.json")" != "$first"
expect "second night: two reports kept" test "$(find "$REPORT_DIR" -name 'report-*.json' | wc -l)" = 2
expect "second night: latest.html follows latest.json" \
    test "$(readlink "$REPORT_DIR/latest.html")" = "$(readlink "$REPORT_DIR/latest.json" | sed 's/json$/html/')"

# The certificates: ms01 publishes an expired one besides its current one.
# Checked from tonight on: a change of scope, said, their findings not
# called new against a baseline that did not check them.
export CERT_CA_FILE=$LAB_CERTS/chain.pem PROM_FILE=$dir/spnaudit_cert.prom
night
expect "certificates, first night: exit 2 (got $rc: $err)" test "$rc" = 2
expect "certificates, first night: mailed as a change of scope" has "$out" "scope changed (status 2)"
expect "certificates, first night: the scope change named" has "$out" "certificates"
expect "certificates, first night: checked in tonight's report" \
    grep -q '"certificates": true' "$(readlink -f "$REPORT_DIR/latest.json")"
expect "certificates, first night: the expired one among the findings" \
    grep -q '"code": "CERT_EXPIRED"' "$(readlink -f "$REPORT_DIR/latest.json")"
expect "certificates: days to expiry for node_exporter" grep -q '^spnaudit_cert_days_left{' "$PROM_FILE"
night
expect "certificates, second night: silent (got: $out)" test -z "$out"

# A trust anchor gone: the chains no longer build, new findings, mailed
# with their fixes, the HTML report linked under HTML_URL_BASE.
CERT_CA_FILE=$LAB_CERTS/root.pem HTML_URL_BASE=https://reports.example/spnaudit/ night
expect "an anchor missing: new findings mailed" has "$out" "new findings (status 2)"
expect "an anchor missing: the finding named" has "$out" "CERT_CHAIN_UNTRUSTED"
expect "an anchor missing: the new finding's fix in the mail" \
    grep -Eq '^ +fix( \(cmd\.exe\))?: ' <<<"$(sed -n '/^New:/,/^[A-Z]/p' <<<"$out")"
tonight=$(readlink "$REPORT_DIR/latest.html")
expect "an anchor missing: the HTML report linked under HTML_URL_BASE" \
    has "$out" "For people: https://reports.example/spnaudit/$tonight"
unset CERT_CA_FILE PROM_FILE

# Bad settings stop the script before spnaudit runs.
KEEP_DAYS=soon night
expect "KEEP_DAYS=soon: exit 3 and why" test "$rc" = 3 -a -n "$(has "$err" "KEEP_DAYS must be a number" && echo y)"
CERT_EXPIRY_DAYS=-1 night
expect "CERT_EXPIRY_DAYS=-1: exit 3" test "$rc" = 3
FIX_SHELL=bash night
expect "FIX_SHELL=bash: exit 3" test "$rc" = 3

# A run while another holds the lock: nothing done, exit 0.
if command -v flock >/dev/null; then
    before=$(find "$REPORT_DIR" -name 'report-*.json' | wc -l)
    exec 8>"$REPORT_DIR/.lock"
    flock -n 8
    night
    exec 8>&-
    expect "locked: exit 0, nothing done" test "$rc" = 0 -a \
        "$(find "$REPORT_DIR" -name 'report-*.json' | wc -l)" = "$before"
fi

echo "$bad problem(s)"
[ "$bad" = 0 ]
