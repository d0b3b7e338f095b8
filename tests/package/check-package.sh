#!/bin/bash
# check-package.sh DEBDIR: the Debian package as an admin uses it, on this
# machine (root, the test domain up): apt-get install ./spnaudit_*.deb, the
# installed spnaudit's version and an audit of the test domain, the system
# user, the units, the completion; then apt-get purge, leaving nothing.
set -uo pipefail
debdir=$(realpath "$1")
cd "$(dirname "$0")/../.."
# shellcheck source=../cli/expect.sh
. tests/cli/expect.sh

debs=("$debdir"/spnaudit_*.deb)
[ -f "${debs[0]}" ] || { echo "FAIL: no spnaudit_*.deb in $debdir"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q "${debs[0]}" >/tmp/check-package.$$ 2>&1; then
    tail -20 /tmp/check-package.$$
    rm -f /tmp/check-package.$$
    echo "FAIL: apt-get install ${debs[0]}"
    exit 1
fi
rm -f /tmp/check-package.$$
echo "ok: apt-get install ${debs[0]##*/}"

expect "spnaudit is /usr/bin/spnaudit" test "$(command -v spnaudit)" = /usr/bin/spnaudit
run_installed() { out=$(/usr/bin/spnaudit "$@" 2>&1); rc=$?; }
run_installed version
expect "spnaudit version runs" test "$rc" = 0
expect "... and says the package's version" has "$out" "spnaudit $(dpkg-query -W -f='${Version}' spnaudit)"
echo "$out" | head -3 | sed 's/^/    /'

# The audit of the test domain by the installed binary: its seeded faults
# make it exit 2, with findings on the management servers.
report=$(mktemp)
trap 'rm -f "$report"' EXIT
tests/lab/testdomain.sh exec /usr/bin/spnaudit audit --server dc1.contoso.test \
    --ms ms01.contoso.test --ms ms02.contoso.test --format json --output "$report" 2>/dev/null
rc=$?
expect "the installed spnaudit audits the test domain (exit 2: seeded failures)" test "$rc" = 2
expect "... a JSON report of both servers" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
names = sorted(s["fqdn"] for s in r["management_servers"])
sys.exit(0 if names == ["ms01.contoso.test", "ms02.contoso.test"] and r["findings"] else 1)' "$report"

# The trusts page of the installed binary, its trust map drawn by dot.
tests/lab/testdomain.sh exec /usr/bin/spnaudit trusts --server dc1.contoso.test --ms ms01.contoso.test \
    --format html --output "$report" 2>/dev/null
expect "the installed spnaudit writes the trusts page with its map" grep -q '<figure class="map"><svg' "$report"

expect "the system user _spnaudit exists" getent passwd _spnaudit
expect "the man page is installed" test -f /usr/share/man/man1/spnaudit.1.gz
expect "bash completion is installed" test -f /usr/share/bash-completion/completions/spnaudit
expect "zsh completion is installed" test -f /usr/share/zsh/vendor-completions/_spnaudit
expect "the nightly job is installed" test -x /usr/libexec/spnaudit/spnaudit-nightly
expect "systemd-analyze verify: the installed units" \
    systemd-analyze verify --man=no /lib/systemd/system/spnaudit-nightly.service /lib/systemd/system/spnaudit-nightly.timer

if apt-get purge -y -q spnaudit >/dev/null 2>&1; then echo "ok: apt-get purge spnaudit"; else expect "apt-get purge spnaudit" false; fi
expect "nothing of the package is left" test -z "$(ls /usr/bin/spnaudit /usr/libexec/spnaudit /lib/systemd/system/spnaudit-nightly.service 2>/dev/null)"
expect "dpkg knows it no more" test -z "$(dpkg-query -W -f='${Status}' spnaudit 2>/dev/null | grep installed)"

echo "package: $bad failed"
[ "$bad" = 0 ]
