#!/bin/bash
# check-browser.sh SPNAUDIT CHECK_HTML OUTDIR: the test domain's HTML
# reports opened in headless Chromium by tests/browser/check-html.py (run
# inside the lab: testdomain.sh exec). Each page loads with no console
# error and no network request but itself, holds no script or handler, and:
#   - audit: one overview row per server the JSON report of the same run
#     names, and its scope; a full-page screenshot kept in OUTDIR;
#   - audit of NORTHWIND (the hostile fixture): the values shown as text;
#   - trusts: a verdict per agent domain the JSON names, and the trust map
#     drawn (an <svg> with a node per domain the DOT of the run names, and
#     its trusts as edges); a full-page screenshot kept in OUTDIR;
#   - plan: the design for the agent domain asked, and its map.
set -uo pipefail
case $1 in /*) tool=$1 ;; *) tool=$PWD/$1 ;; esac
check_html=$2
out=$3
: "${LAB_DC:?run inside the lab: testdomain.sh exec check-browser.sh SPNAUDIT CHECK_HTML OUTDIR}"
mkdir -p -- "$out" || exit 1
bad=0

# count FILE.json PYTHON-EXPRESSION-OF-d: a number read from a JSON report
count() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# browse NAME CHECK-HTML-ARGS...: one page in the browser
browse() {
    local name=$1
    shift
    echo "== $name"
    /usr/bin/python3 "$check_html" "$@" || bad=$((bad + 1))
}

# The examples' audit: four servers, findings of every kind.
"$tool" audit --server "$LAB_DC" --ms "ms01.$LAB_DOMAIN" --ms "ms03.$LAB_DOMAIN" --ms "ms05.$LAB_DOMAIN" \
    --ms "ms07.$LAB_DOMAIN" --format json --output "$out/audit.json" --html "$out/audit.html"
servers=$(count "$out/audit.json" 'len(d["management_servers"])')
browse "audit ($servers servers)" "$out/audit.html" --count "#overview tr.server=$servers" \
    --count "section.server=$((servers + 1))" --present "section.scope" --present "pre.fix-lines" \
    --text "Scope of the run" --screenshot "$out/audit.png"

# The hostile fixture: rendered, never interpreted.
"$tool" audit --server "$LAB_DC_NORTHWIND" --ms "agent01.${LAB_DC_NORTHWIND#*.}" --no-reachability \
    --format html >"$out/hostile.html"
browse "audit of the hostile fixture" "$out/hostile.html" --count "img=0" --count "a=0" \
    --text 'MSOMHSvc/evil8%PATH%!x!^|<>' --text 'MSOMHSvc/x" & calc.exe & "' \
    --text "MSOMHSvc/'; calc; \$(calc) '" --screenshot "$out/hostile.png"

# trusts: a verdict per agent domain; the map, a node per domain.
"$tool" trusts --format json >"$out/trusts.json"
"$tool" trusts --format dot >"$out/trusts.dot"
"$tool" trusts --format html >"$out/trusts.html"
verdicts=$(count "$out/trusts.json" 'len(d["verdicts"])')
domains=$(grep -cE '^\s*n[0-9]+\s+\[' "$out/trusts.dot")
browse "trusts ($verdicts agent domains, $domains domains on the map)" "$out/trusts.html" \
    --count "table.verdicts tr.agent=$verdicts" --count "div.agent=$verdicts" --count "svg=1" \
    --count "figure.map svg g.node=$domains" --present "figure.map svg g.edge" --screenshot "$out/trusts.png"

# plan: the design for the selective forest's agents.
"$tool" plan --ms "ms01.$LAB_DOMAIN" --ms "ms02.$LAB_DOMAIN" --agent-domain "$LAB_TRUST_SELECTIVE" \
    --format html >"$out/plan.html"
browse "plan" "$out/plan.html" --count "div.agent=1" --present "p.design" --present "pre.fix-lines" \
    --present "figure.map svg g.node"

echo "$bad page(s) failed; screenshots in $out"
[ "$bad" = 0 ]
