#!/bin/sh
# spnaudit-nightly.sh: a nightly SCOM SPN audit for cron.
#
#   15 2 * * *  svc-spnaudit  /usr/local/bin/spnaudit-nightly.sh
#
# Logs in with a keytab (nothing on the command line but its path), keeps the
# JSON report of every night, and prints (so cron mails) only when the audit
# is not clean.  Exit status is spnaudit's: 0 clean, 1 warnings, 2 failures,
# 3 the audit could not be completed.
set -u

DOMAIN=contoso.com
SERVER=dc1.contoso.com
KEYTAB=/etc/spnaudit/spnaudit.keytab
PRINCIPAL=svc-spnaudit@CONTOSO.COM
REPORTS=/var/lib/spnaudit
MANAGEMENT_SERVERS="ms01.contoso.com ms02.contoso.com"

ms_args=""
for ms in $MANAGEMENT_SERVERS; do ms_args="$ms_args --ms $ms"; done

mkdir -p "$REPORTS"
day=$(date +%Y-%m-%d)
tmp=$(mktemp "$REPORTS/.report-$day.XXXXXX") || exit 3

# shellcheck disable=SC2086  # ms_args is a list of options
spnaudit audit --domain "$DOMAIN" --server "$SERVER" --keytab "$KEYTAB" \
    --principal "$PRINCIPAL" $ms_args --format json > "$tmp" 2> "$tmp.err"
status=$?

# Keep the report only when it is complete JSON; never replace the last good
# one with a half-written file.
if [ -s "$tmp" ]; then
    mv "$tmp" "$REPORTS/report-$day.json"
else
    rm -f "$tmp"
fi

if [ "$status" != 0 ]; then
    echo "spnaudit: status $status for $DOMAIN (0 clean, 1 warnings, 2 failures, 3 incomplete)"
    cat "$tmp.err"
    spnaudit audit --domain "$DOMAIN" --server "$SERVER" --keytab "$KEYTAB" \
        --principal "$PRINCIPAL" $ms_args --format text 2>/dev/null
fi
rm -f "$tmp.err"
exit "$status"
