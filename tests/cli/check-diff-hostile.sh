#!/bin/bash
# check-diff-hostile.sh SPNAUDIT SAMPLE_JSON: "spnaudit diff" of a report
# whose finding subject carries terminal escapes, CR/LF, a bidi control and
# invalid UTF-8: the text shows them escaped (no raw control byte, no
# forged line) and the JSON stays valid UTF-8.
set -uo pipefail
tool=$1
sample=$2
# shellcheck source=tests/cli/expect.sh
. "$(dirname "$0")/expect.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT


# The sample with its first finding's subject made hostile (raw 0xFF 0xFE
# written into the JSON string, which JSON readers take as they are).
python3 - "$sample" "$dir/hostile.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["findings"][0]["subject"] += "@@\x1b]52;c;ZXZpbA==\x07\r\n  OK      no findings\u202e"
data = json.dumps(r).encode().replace(b"@@", b"\xff\xfe", 1)
open(sys.argv[2], "wb").write(data)
PY

"$tool" diff "$sample" "$dir/hostile.json" >"$dir/diff.txt" 2>"$dir/err.txt"
expect "diff text runs (exit 0 or 1)" test $? -le 1
expect "diff text has no control byte but line feeds" \
    python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); sys.exit(any(b < 32 and b != 10 or b == 127 for b in d))' "$dir/diff.txt"
expect "diff text is valid UTF-8" python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$dir/diff.txt"
expect "diff text shows the escapes" grep -qF '\xff\xfe\x1b]52;c;ZXZpbA==\x07\x0d\x0a  OK      no findings\u{202e}' "$dir/diff.txt"
expect "diff text forges no line" bash -c '! grep -q "^  OK      no findings" "$1"' _ "$dir/diff.txt"

"$tool" diff --format json "$sample" "$dir/hostile.json" >"$dir/diff.json" 2>"$dir/err.txt"
expect "diff json runs (exit 0 or 1)" test $? -le 1
expect "diff json is valid UTF-8 JSON with U+FFFD for the invalid bytes" python3 -c '
import json, sys
d = open(sys.argv[1], "rb").read().decode("utf-8")
def strings(v):
    if isinstance(v, str):
        yield v
    for w in v.values() if isinstance(v, dict) else v if isinstance(v, list) else []:
        yield from strings(w)
sys.exit(not any("\ufffd\ufffd\x1b]52;c;" in s for s in strings(json.loads(d))))
' "$dir/diff.json"

[ "$bad" -eq 0 ] || echo "$bad check(s) failed"
exit $((bad > 0))
