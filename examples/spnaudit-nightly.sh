#!/bin/bash
# spnaudit-nightly.sh: a nightly SCOM SPN audit for cron.
#
#   15 2 * * *  svc-spnaudit  /usr/libexec/spnaudit/spnaudit-nightly
#
# or, installed by the package or 'meson install', spnaudit-nightly.timer
# (systemctl enable --now spnaudit-nightly.timer; README "Schedule").
#
# Each night:
#   - logs in with a keytab (nothing secret on the command line, only its
#     path; spnaudit keeps the credentials in a private in-memory cache);
#   - writes the JSON report with --output into a dated file under
#     REPORT_DIR, compared with the previous report (--baseline), and the
#     HTML report for people beside it (--html, the same name in .html);
#   - keeps that report as the next night's baseline: the symlink
#     REPORT_DIR/latest.json is replaced atomically, and only by a complete
#     report, so an audit that could not finish never becomes the baseline;
#     REPORT_DIR/latest.html points to its HTML report the same way;
#   - removes reports older than KEEP_DAYS days (never the baseline);
#   - with CERT_CA_FILE, the audit also checks the certificates published
#     on the management servers' and gateways' computer objects (audit
#     --cert-ca-file: their findings are the audit's, compared like the
#     others), and, with PROM_FILE, their days to expiry are written for
#     node_exporter's textfile collector (spnaudit cert --format prometheus);
#   - mails (or, without MAIL_TO, prints, so that cron mails it) only when
#     something changed: new findings, fixed findings, a change of what was
#     audited (servers, domains, checks), or an audit that
#     could not be completed.  A night like the one before stays silent.
#     The mail names the HTML report (its path, or HTML_URL_BASE/FILE when
#     a web server publishes REPORT_DIR there), gives the fix commands of
#     the new findings (for the shell FIX_SHELL: cmd or powershell), and,
#     the first night, a summary: the servers and the findings by severity.
#
# Settings: the variables below, or the same names in the environment
# (e.g. in the crontab: KEEP_DAYS=90).  The management group itself is
# described in SPNAUDIT_CONF (spnaudit.conf(5)).
#
# Exit status: spnaudit's for the audit (0 clean, 1 warnings, 2 failures,
# 3 the audit could not be completed, 64 a bad configuration), or 3 when
# this script could not do its part (report directory, baseline).
set -euo pipefail

SPNAUDIT=${SPNAUDIT:-spnaudit}
SPNAUDIT_CONF=${SPNAUDIT_CONF:-/etc/spnaudit/spnaudit.conf}
KEYTAB=${KEYTAB:-/etc/spnaudit/spnaudit.keytab}
# empty: the configuration's [kerberos] principal, else the keytab's first
PRINCIPAL=${PRINCIPAL:-}
REPORT_DIR=${REPORT_DIR:-/var/lib/spnaudit}
KEEP_DAYS=${KEEP_DAYS:-30}
MAIL_TO=${MAIL_TO:-}
MAIL_SUBJECT_PREFIX=${MAIL_SUBJECT_PREFIX:-spnaudit}
# The certificates: their trusted root and issuing CAs (PEM; empty: not
# checked), the warning before expiry, and where their metrics go.
CERT_CA_FILE=${CERT_CA_FILE:-}
CERT_EXPIRY_DAYS=${CERT_EXPIRY_DAYS:-30}
PROM_FILE=${PROM_FILE:-}
# The shell the fix commands are written for (mail, HTML report), and the
# address under which REPORT_DIR is published (empty: the mail names the
# HTML report by its path).
FIX_SHELL=${FIX_SHELL:-cmd}
HTML_URL_BASE=${HTML_URL_BASE:-}

prog=${0##*/}

die() {
    echo "$prog: $*" >&2
    exit 3
}

case $KEEP_DAYS in
'' | *[!0-9]*) die "KEEP_DAYS must be a number of days, not '$KEEP_DAYS'" ;;
esac
case $CERT_EXPIRY_DAYS in
'' | *[!0-9]*) die "CERT_EXPIRY_DAYS must be a number of days, not '$CERT_EXPIRY_DAYS'" ;;
esac
case $FIX_SHELL in
cmd | powershell) ;;
*) die "FIX_SHELL must be cmd or powershell, not '$FIX_SHELL'" ;;
esac

# Reports name accounts and servers: for the audit account only.
umask 077
mkdir -p -- "$REPORT_DIR" || die "cannot create the report directory $REPORT_DIR"

# One run at a time: a second one (a slow night, a manual run) stops here.
exec 9>"$REPORT_DIR/.lock"
if command -v flock >/dev/null && ! flock -n 9; then
    echo "$prog: another run holds $REPORT_DIR/.lock; nothing done" >&2
    exit 0
fi

latest="$REPORT_DIR/latest.json"
stamp=$(date +%Y-%m-%dT%H%M%S)
report="$REPORT_DIR/report-$stamp.json"
# Two runs in one second (a manual run after cron's) must not overwrite the
# report the first one made the baseline.
if [ -e "$report" ]; then
    report="$REPORT_DIR/report-$stamp-$$.json"
fi
html=${report%.json}.html
latest_html="$REPORT_DIR/latest.html"
body=$(mktemp "$REPORT_DIR/.mail.XXXXXX")
errors=$(mktemp "$REPORT_DIR/.stderr.XXXXXX")
trap 'rm -f -- "$body" "$errors" "$REPORT_DIR/.latest.$$" "$REPORT_DIR/.latest-html.$$"' EXIT

# send SUBJECT: the body to MAIL_TO, or on standard output for cron.
send() {
    if [ -n "$MAIL_TO" ] && command -v mail >/dev/null; then
        mail -s "$MAIL_SUBJECT_PREFIX: $1" -- "$MAIL_TO" <"$body"
    else
        printf '%s\n\n' "$1"
        cat -- "$body"
    fi
}

# The HTML report FILE as the mail names it: under HTML_URL_BASE when
# REPORT_DIR is published there, else its path.
html_link() {
    if [ -n "$HTML_URL_BASE" ]; then
        printf '%s/%s\n' "${HTML_URL_BASE%/}" "${1##*/}"
    else
        printf '%s\n' "$1"
    fi
}

# A report's summary for the first mail: its servers and its findings by
# severity, from the JSON spnaudit writes (one member a line; the
# servers' names are host names, as --ms and the configuration want).
summary() {
    local servers n failures warnings infos
    servers=$(sed -n 's/^ *"fqdn": "\([A-Za-z0-9.-]*\)",\{0,1\}$/\1/p' -- "$1")
    n=$(printf '%s' "$servers" | grep -c .)
    failures=$(sed -n 's/^ *"failures": \([0-9]*\),\{0,1\}$/\1/p' -- "$1" | head -n 1)
    warnings=$(sed -n 's/^ *"warnings": \([0-9]*\),\{0,1\}$/\1/p' -- "$1" | head -n 1)
    infos=$(sed -n 's/^ *"infos": \([0-9]*\),\{0,1\}$/\1/p' -- "$1" | head -n 1)
    echo "Summary:"
    echo "  servers audited ($n): $(printf '%s' "$servers" | paste -s -d ' ' -)"
    echo "  findings: ${failures:-?} failures, ${warnings:-?} warnings, ${infos:-?} info"
}

# The previous report, when there is one to compare with: the file
# latest.json points to now, named as such (latest.json itself points to
# tonight's report by the time the mail is read).
previous=""
baseline_args=()
if [ -L "$latest" ] || [ -e "$latest" ]; then
    previous=$(readlink -f -- "$latest") || previous=$latest
    baseline_args=(--baseline "$previous" --baseline-missing warn)
fi

principal_args=()
if [ -n "$PRINCIPAL" ]; then
    principal_args=(--principal "$PRINCIPAL")
fi
cert_args=()
if [ -n "$CERT_CA_FILE" ]; then
    cert_args=(--cert-ca-file "$CERT_CA_FILE" --cert-expiry-warning "$CERT_EXPIRY_DAYS")
fi

status=0
"$SPNAUDIT" audit --config "$SPNAUDIT_CONF" --keytab "$KEYTAB" "${principal_args[@]}" \
    --format json --output "$report" --html "$html" --fix-shell "$FIX_SHELL" \
    "${baseline_args[@]}" "${cert_args[@]}" 2>"$errors" || status=$?

# The servers' certificates' days to expiry, for node_exporter (PROM_FILE).
if [ -n "$CERT_CA_FILE" ] && [ -n "$PROM_FILE" ]; then
    "$SPNAUDIT" cert --config "$SPNAUDIT_CONF" --keytab "$KEYTAB" "${principal_args[@]}" \
        --ca-file "$CERT_CA_FILE" --expiry-warning "$CERT_EXPIRY_DAYS" --format prometheus \
        --output "$PROM_FILE" 2>>"$errors" || true
fi

if [ "$status" -gt 2 ]; then
    {
        echo "The audit could not be completed (exit status $status);"
        echo "the baseline stays $(readlink -- "$latest" 2>/dev/null || echo 'unset')."
        echo
        cat -- "$errors"
        if [ -s "$report" ]; then
            printf '\nThe partial report: %s\n' "$report"
        fi
        if [ -s "$html" ]; then
            printf 'For people: %s\n' "$(html_link "$html")"
        fi
    } >"$body"
    send "audit incomplete (status $status)"
    exit "$status"
fi
[ -s "$report" ] || die "spnaudit exited $status but wrote no report to $report"

changed=""
if [ "${#baseline_args[@]}" -eq 0 ]; then
    changed="first report"
    {
        echo "The first report is $report (exit status $status);"
        echo "it is the baseline of the next run."
        echo
        summary "$report"
        echo
        echo "The report for people: $(html_link "$html")"
    } >"$body"
else
    # New findings: in tonight's report, not in the baseline; fixed ones:
    # the other way round.  diff exits 0 (nothing new), 1 (new), 3 (a file
    # unreadable or corrupt).
    new=0
    fixed=0
    "$SPNAUDIT" diff --format text --fix-shell "$FIX_SHELL" "$previous" "$report" >"$body" 2>>"$errors" ||
        new=$?
    "$SPNAUDIT" diff --format text "$report" "$previous" >/dev/null 2>>"$errors" || fixed=$?
    if [ "$new" -gt 1 ] || [ "$fixed" -gt 1 ]; then
        changed="baseline unusable"
        {
            echo "The baseline $previous could not be compared; tonight's report replaces it."
            echo
            cat -- "$errors"
        } >"$body"
    elif [ "$new" = 1 ] && [ "$fixed" = 1 ]; then
        changed="new and fixed findings"
    elif [ "$new" = 1 ]; then
        changed="new findings"
    elif [ "$fixed" = 1 ]; then
        changed="fixed findings"
    elif grep -q '^Scope changed:' -- "$body"; then
        # the servers, domains or checks audited changed: what only one
        # of the two reports covered was not compared, and says so
        changed="scope changed"
    fi
    if [ -n "$changed" ]; then
        {
            echo
            echo "Exit status $status (0 clean, 1 warnings, 2 failures)."
            echo "Tonight's report: $report"
            echo "For people: $(html_link "$html")"
        } >>"$body"
    fi
fi

# Tonight's complete report becomes the baseline: a new symlink renamed
# over the old one, so latest.json is never missing or half-written.
ln -s -- "${report##*/}" "$REPORT_DIR/.latest.$$" || die "cannot create a symlink in $REPORT_DIR"
mv -f -T -- "$REPORT_DIR/.latest.$$" "$latest" || die "cannot replace $latest"
if [ -s "$html" ]; then
    ln -s -- "${html##*/}" "$REPORT_DIR/.latest-html.$$" || die "cannot create a symlink in $REPORT_DIR"
    mv -f -T -- "$REPORT_DIR/.latest-html.$$" "$latest_html" || die "cannot replace $latest_html"
fi

# Rotation: reports older than KEEP_DAYS days, except the baseline.
find "$REPORT_DIR" -maxdepth 1 -type f \( -name 'report-*.json' -o -name 'report-*.html' \) \
    -mtime +"$KEEP_DAYS" ! -name "${report##*/}" ! -name "${html##*/}" -delete

if [ -n "$changed" ]; then
    send "$changed (status $status)"
fi
exit "$status"
