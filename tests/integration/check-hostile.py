#!/usr/bin/python3
"""check-hostile.py SPNAUDIT HOSTILE_TSV: every output of every command, read
byte by byte, while the directory serves hostile values.

The test domain's NORTHWIND holds computer accounts whose SCOM SPNs and
dNSHostName carry terminal escapes, forged report lines, shell
metacharacters, look-alikes and invalid UTF-8 (tests/lab/hostile.tsv, the
same table the lab wrote them from).  For audit (text, json, csv, nagios,
prometheus, html, and --output, --html), spn, trusts (text, json, html),
probe and diff (text and json):
- the output is valid UTF-8 with no control byte but the line feed (and CSV's
  CR LF), no invisible or bidi character raw in what people read;
- no line a value tried to forge starts a line;
- JSON parses, and the values come back exactly as the directory holds them;
- CSV, Prometheus and Nagios still parse as such;
- HTML (read with Python's html.parser) holds only the report's own
  elements and attributes: no script, no event handler, no link, nothing
  a value injected; the values are its text;
- every setspn line splits, under cmd.exe and the Microsoft C runtime's
  rules, into setspn, a switch and arguments the directory really holds.

Run inside the test domain (tests/lab/testdomain.sh exec)."""

import ast
import csv
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import tempfile

SPNAUDIT, TSV = sys.argv[1], sys.argv[2]
DC = os.environ["LAB_DC_NORTHWIND"]
REALM = os.environ["LAB_REALM_NORTHWIND"]
DOMAIN = DC.split(".", 1)[1]
MS = "agent01." + DOMAIN

failures = 0
checks = 0


def expect(what, cond):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL: " + what)
    return cond


def hostile_values():
    """(account, attribute, bytes) of the fixture."""
    rows = []
    with open(TSV, encoding="ascii") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            account, attr, literal = line.rstrip("\n").split("\t")
            rows.append((account, attr, ast.literal_eval(literal)))
    return rows


HOSTILE = hostile_values()
SPNS = [v for _, a, v in HOSTILE if a == "servicePrincipalName"]
# what a value tried to make a line of its own: the text after each line break
FORGED = [part.strip() for _, _, v in HOSTILE for part in re.split(rb"[\r\n]+", v)[1:] if part.strip()]
INVISIBLE = re.compile("[\u0080-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def run(args, ok=(0, 1, 2)):
    p = subprocess.run([SPNAUDIT] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    expect("%s: exit status %d in %s (stderr: %r)" % (" ".join(args[:1]), p.returncode, ok, p.stderr[-300:]),
           p.returncode in ok)
    return p.stdout, p.stderr


def check_bytes(name, data, human, crlf=False):
    """Valid UTF-8, no control byte but \\n (\\r\\n for CSV), nothing invisible
    raw where people read it, no forged line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        expect("%s: valid UTF-8 (%s)" % (name, e), False)
        return ""
    body = text.replace("\r\n", "\n") if crlf else text
    bad = [c for c in body if (ord(c) < 0x20 and c != "\n") or ord(c) == 0x7f]
    expect("%s: no raw control character (found %r)" % (name, bad[:5]), not bad)
    if human:
        inv = INVISIBLE.findall(body)
        expect("%s: no raw invisible or bidi character (found %r)" % (name, inv[:5]), not inv)
    for line in body.split("\n"):
        for forged in FORGED:
            expect("%s: no line starts with the forged %r: %r" % (name, forged, line),
                   not line.lstrip().encode().startswith(forged))
    return body


# ---------------------------------------------------------------- fix lines
CMD_SPECIAL = set('&|<>^()')


def split_cmd_line(line):
    """The argv setspn.exe gets from line typed at cmd.exe: None when cmd.exe
    would do more than run it (a metacharacter outside quotes, % or !
    anywhere), else the Microsoft C runtime's split (2008 rules)."""
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch in "%!" or (ch in CMD_SPECIAL and not quoted):
            return None
    args, cur, have, i, quoted = [], [], False, 0, False
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            n = 0
            while i < len(line) and line[i] == "\\":
                n += 1
                i += 1
            if i < len(line) and line[i] == '"':
                cur.append("\\" * (n // 2))
                if n % 2:
                    cur.append('"')
                    i += 1
            else:
                cur.append("\\" * n)
            have = True
            continue
        if ch == '"':
            if quoted and i + 1 < len(line) and line[i + 1] == '"':
                cur.append('"')
                i += 2
                continue
            quoted = not quoted
            have = True
        elif ch in " \t" and not quoted:
            if have:
                args.append("".join(cur))
            cur, have = [], False
        else:
            cur.append(ch)
            have = True
        i += 1
    if have:
        args.append("".join(cur))
    return args


def split_ps_line(line):
    """The words of a PowerShell line of bare words and single-quoted
    strings ('' inside is one '); None for anything else."""
    args, i = [], 0
    while i < len(line):
        if line[i] == " ":
            i += 1
            continue
        if line[i] == "'":
            cur, i = [], i + 1
            while True:
                j = line.find("'", i)
                if j < 0:
                    return None
                cur.append(line[i:j])
                if line[j + 1:j + 2] == "'":
                    cur.append("'")
                    i = j + 2
                    continue
                i = j + 1
                break
            args.append("".join(cur))
        else:
            m = re.match(r"[A-Za-z0-9._/\\$:@-]+", line[i:])
            if not m or (i + m.end() < len(line) and line[i + m.end()] != " "):
                return None
            args.append(m.group(0))
            i += m.end()
    return args


def check_fix_data(name, findings, known_spns):
    """Every command line of fix_data splits back into exactly its program
    and arguments, for cmd.exe and PowerShell; a value from the directory
    is one it holds.  Returns the argument vectors."""
    argvs = []
    for f in findings:
        for c in (f.get("fix_data") or {}).get("commands", []):
            argv = [c["program"]] + c["args"]
            argvs.append(argv)
            if c["program"] == "setspn" and c["args"][0] == "-D":
                expect("%s: setspn -D names an SPN the directory holds: %r" % (name, argv), c["args"][1] in known_spns)
            if c.get("cmd") is not None:
                expect("%s: the cmd.exe line %r splits back into %r" % (name, c["cmd"], argv),
                       split_cmd_line(c["cmd"]) == argv)
            if c.get("powershell") is not None:
                expect("%s: the PowerShell line %r splits back into %r" % (name, c["powershell"], argv),
                       split_ps_line(c["powershell"]) == argv)
            expect("%s: a command with no line says why for each shell: %r" % (name, c),
                   all(c.get(sh) is not None or sh in c.get("refused", {}) for sh in ("cmd", "powershell")))
    return argvs


def check_fix_lines(name, lines, argvs):
    """Every setspn/dsacls line a person may paste (text, diff) runs only
    that program under cmd.exe, with exactly the arguments of a fix."""
    for line in lines:
        line = line.strip()
        m = re.match(r"(?:fix(?: \([^)]*\))?:\s*)?((?:setspn|dsacls)\s.*)$", line)
        if not m:
            continue
        argv = split_cmd_line(m.group(1))
        if expect("%s: the fix line %r runs only its program under cmd.exe" % (name, line), argv is not None):
            expect("%s: the fix line %r is a fix's command exactly (%r)" % (name, line, argv),
                   argvs is None or argv in argvs)


# ---------------------------------------------------------------- formats
def check_json(name, data):
    body = check_bytes(name, data, human=False)
    try:
        return json.loads(body)
    except ValueError as e:
        expect("%s: parses as JSON (%s)" % (name, e), False)
        return None


def check_csv(name, data):
    body = check_bytes(name, data, human=True, crlf=True)
    rows = list(csv.reader(io.StringIO(body)))
    expect("%s: has a header and rows" % name, len(rows) > 1)
    if rows:
        widths = {len(r) for r in rows}
        expect("%s: every row has the header's %d columns (%s)" % (name, len(rows[0]), widths),
               widths == {len(rows[0])})
    return rows


PROM_LINE = re.compile(r'^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|'
                       r'[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? '
                       r'[-+0-9.eE]+|NaN|[+-]Inf)$')


def check_prometheus(name, data):
    body = check_bytes(name, data, human=True)
    for line in body.rstrip("\n").split("\n"):
        expect("%s: a valid exposition line: %r" % (name, line), PROM_LINE.match(line) is not None)


def check_nagios(name, data):
    body = check_bytes(name, data, human=True)
    lines = body.rstrip("\n").split("\n")
    expect("%s: the status line: %r" % (name, lines[0]),
           re.match(r"^SPNAUDIT (OK|WARNING|CRITICAL|UNKNOWN) - [^|]*\|", lines[0]) is not None)
    for line in lines[1:]:
        expect("%s: no '|' after the status line (it starts performance data): %r" % (name, line), "|" not in line)


# The elements and attributes of the HTML reports (report_html*.c, html_doc.c):
# anything else was injected.
HTML_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "section", "div", "table",
             "tr", "th", "td", "span", "code", "pre", "ul", "li", "br", "figure", "figcaption"}
HTML_ATTRS = {"class", "id", "lang", "charset", "name", "content"}
# The trust map's drawing (html_svg.c's allow-list): only an <svg> inside
# <figure class="map">.
SVG_TAGS = {"svg", "g", "title", "desc", "text", "tspan", "path", "polygon", "ellipse", "circle", "rect", "line",
            "polyline", "defs"}
SVG_ATTRS = {"id", "class", "transform", "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray",
             "stroke-opacity", "stroke-linecap", "stroke-linejoin", "opacity", "points", "d", "x", "y", "dx", "dy",
             "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "viewbox",
             "preserveaspectratio", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
             "text-decoration"}
# needs no escape when shown (display.h): printable, no backslash
PLAIN = re.compile("^[^\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\\\\]*$")


class Page(html.parser.HTMLParser):
    """The elements, attributes and text of a page; fix lines apart."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text, self.fix_lines, self.stack = [], [], [], [], []
        self.drawing, self.drawn_outside = [], []

    def handle_starttag(self, tag, attrs):
        in_map = ("figure", "map") in self.stack and (tag == "svg" or any(t == "svg" for t, _ in self.stack))
        (self.drawing if in_map else self.tags).append(tag)
        if not in_map and tag in SVG_TAGS and tag != "title":
            self.drawn_outside.append(tag)
        self.attrs.extend((tag, k, v, in_map) for k, v in attrs)
        if tag not in ("meta", "br"):
            self.stack.append((tag, dict(attrs).get("class") or ""))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1] == ("pre", "fix-lines"):
            self.fix_lines.extend(data.split("\n"))


def check_html(name, data, subjects=(), argvs=None):
    """A page of the report's own markup only; the subjects that need no
    escape in its text, as they are; its fix lines a fix's commands."""
    body = check_bytes(name, data, human=True)
    expect("%s: starts with <!DOCTYPE html>" % name, body.startswith("<!DOCTYPE html>"))
    page = Page()
    page.feed(body)
    page.close()
    extra = sorted(set(page.tags) - HTML_TAGS)
    expect("%s: only the report's own elements (found %r)" % (name, extra), not extra)
    extra = sorted(set(page.drawing) - SVG_TAGS)
    expect("%s: only the trust map's drawing elements in it (found %r)" % (name, extra), not extra)
    expect("%s: no drawing outside the trust map (found %r)" % (name, page.drawn_outside), not page.drawn_outside)
    attrs = [(t, k) for t, k, _, in_map in page.attrs if k not in (SVG_ATTRS if in_map else HTML_ATTRS)]
    expect("%s: only the report's own attributes (found %r)" % (name, attrs[:5]), not attrs)
    expect("%s: one inline stylesheet, no script" % name, page.tags.count("style") == 1 and "script" not in page.tags)
    text = "".join(page.text)
    for s in subjects:
        if PLAIN.match(s):
            expect("%s: the value %r is text of the page" % (name, s), s in text)
    check_fix_lines(name, page.fix_lines, argvs)
    return page


def main():
    known = set(v.decode("utf-8", "replace") for v in SPNS)
    base = ["--server", DC]
    audit = ["audit"] + base + ["--ms", MS, "--no-reachability"]

    # spn: the values come back exactly (JSON), shown safely (text)
    out, err = run(["spn"] + base + ["-f", "json"], ok=(0,))
    check_bytes("spn stderr", err, human=True)
    listed = check_json("spn json", out)
    if listed is not None:
        got = {s["spn"] for s in listed["spns"]}
        known |= got
        for v in SPNS:
            expect("spn json: %r comes back exactly" % v, v.decode("utf-8") in got)
    out, err = run(["spn"] + base, ok=(0,))
    check_bytes("spn text", out, human=True)

    # audit, every format
    out, err = run(audit + ["-f", "json"])
    check_bytes("audit stderr", err, human=True)
    report = check_json("audit json", out)
    if report is not None:
        subjects = {f["subject"] for f in report["findings"]}
        for v in SPNS:
            s = v.decode("utf-8")
            if "\n" in s or "\x1b" in s or "&" in s or '"' in s:
                expect("audit json: the finding on %r names it exactly" % v, s in subjects)
        argvs = check_fix_data("audit json", report["findings"], known)
        expect("audit json: some fixes are commands", len(argvs) > 0)
        fixes = [f["fix"] for f in report["findings"] if isinstance(f.get("fix"), str)]
        check_fix_lines("audit json", [l for fx in fixes for l in fx.split("\n")], argvs)
        hosts = [a.get("dns_host_name") or a.get("dns_host") for a in report.get("accounts", [])
                 if (a.get("sam_account_name") or "").startswith("evil7")]
        for h in hosts:
            expect("audit json: evil7's invalid dNSHostName is replaced, not dropped: %r" % h,
                   h is None or "\ufffd" in h)
    text, err = run(audit)
    body = check_bytes("audit text", text, human=True)
    check_fix_lines("audit text", body.split("\n"), argvs if report is not None else None)
    check_csv("audit csv", run(audit + ["-f", "csv"])[0])
    check_nagios("audit nagios", run(audit + ["-f", "nagios"])[0])
    check_prometheus("audit prometheus", run(audit + ["-f", "prometheus"])[0])
    subjects = sorted({f["subject"] for f in report["findings"]}) if report is not None else []
    page = check_html("audit html", run(audit + ["-f", "html"])[0], subjects, argvs if report is not None else None)
    expect("audit html: the fix lines are there", len([l for l in page.fix_lines if l.strip()]) > 0)

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.json")
        run(audit + ["-f", "json", "--output", path])
        with open(path, "rb") as f:
            check_json("audit --output", f.read())
        expect("audit --output: only the report is left in its directory", os.listdir(tmp) == ["report.json"])
        page = os.path.join(tmp, "report.html")
        run(audit + ["-f", "json", "--output", path, "--html", page])
        with open(page, "rb") as f:
            check_html("audit --html", f.read(), subjects)
        expect("audit --html: the two reports only", sorted(os.listdir(tmp)) == ["report.html", "report.json"])
        os.unlink(page)
        # diff: every finding new (against a report without findings), then every one fixed
        if report is not None:
            empty = dict(report, findings=[])
            old = os.path.join(tmp, "empty.json")
            with open(old, "w") as f:
                json.dump(empty, f)
            for fmt in ("text", "json"):
                for a, b, what in ((old, path, "new"), (path, old, "fixed")):
                    out, err = run(["diff", "-f", fmt, a, b], ok=(0, 1, 2))
                    name = "diff %s (%s)" % (fmt, what)
                    check_bytes(name + " stderr", err, human=True)
                    if fmt == "json":
                        check_json(name, out)
                    else:
                        check_fix_lines(name, check_bytes(name, out, human=True).split("\n"),
                                        argvs if report is not None else None)
        # probe: the values as a list file (an untrusted file, one SPN per line): a line that is
        # no SPN is refused, named escaped; the others are asked for
        lst = os.path.join(tmp, "spns.txt")
        with open(lst, "wb") as f:
            f.write(b"".join(v + b"\n" for v in SPNS if b"\n" not in v and b"\r" not in v))
        out, err = run(["probe", "-r", REALM, "-i", lst], ok=(64,))
        check_bytes("probe (a line that is no SPN) stderr", err, human=True)
        expect("probe: the refused line is named, escaped: %r" % err, b"\\x1b[2J" in err)
        with open(lst, "wb") as f:
            f.write(b"".join(v + b"\n" for v in SPNS if not re.search(rb"[\x00-\x20\x7f]", v)))
        for fmt in ("text", "json"):
            out, err = run(["probe", "-r", REALM, "-i", lst, "-f", fmt], ok=(0, 1, 2, 3))
            check_bytes("probe %s stderr" % fmt, err, human=True)
            if fmt == "json":
                check_json("probe json", out)
            else:
                check_bytes("probe text", out, human=True)

    # trusts as NORTHWIND sees them, and as the servers' domain does (which confirms its
    # verdict for NORTHWIND's agents with a ticket for one of NORTHWIND's SPNs)
    for where, fmt in (("NORTHWIND", "text"), ("NORTHWIND", "json"), ("NORTHWIND", "html"),
                       ("the servers' domain", "json"), ("NORTHWIND", "dot")):
        server = DC if where == "NORTHWIND" else os.environ["LAB_DC"]
        out, err = run(["trusts", "--server", server, "-f", fmt], ok=(0, 1, 2, 3))
        check_bytes("trusts %s stderr" % fmt, err, human=True)
        if fmt == "json":
            trusts = check_json("trusts json from " + where, out)
            # the trusts are confirmed with an agent's real SPN, never with a planted value
            seen = json.dumps(trusts, ensure_ascii=False) if trusts is not None else ""
            for v in SPNS:
                s = v.decode("utf-8", "replace")
                expect("trusts json: no confirmation ticket for the planted %r" % v, s not in seen)
        elif fmt == "html":
            check_html("trusts html", out)
        elif fmt == "dot":
            # the trust map: libcgraph indents with tabs, its only control byte
            check_bytes("trusts dot", out.replace(b"\t", b"    "), human=True)
        else:
            check_bytes("trusts text", out, human=True)

    print("%d passed, %d failed" % (checks - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
