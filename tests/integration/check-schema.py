#!/usr/bin/python3
"""check-schema.py SPNAUDIT SCHEMA: real reports of "spnaudit audit --format
json" against the test domain validate against the published JSON Schema
(examples/spnaudit-report.schema.json): a normal audit, one without tickets
and reachability, one whose domain controller does not answer, and audits
with a baseline.  Every member a
report holds must be described by the schema (checked with a strict copy
that allows no other members), and the validator must reject broken
reports, so that a wrong schema or a wrong report fails here.

Run inside the test domain (tests/lab/testdomain.sh exec), with Debian's
python3 (python3-jsonschema)."""

import copy
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

DC = os.environ.get("LAB_DC", "dc1.contoso.test")
SERVERS = ["ms01.contoso.test", "ms02.contoso.test", "ms03.contoso.test", "ms07.contoso.test"]

failures = 0


def expect(what, cond):
    global failures
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures += 1
    return cond


def strict(schema):
    """A copy of schema in which every object with described members allows
    no others: a report member the schema does not describe is an error."""
    s = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if "properties" in node and node.get("type") == "object":
                node["additionalProperties"] = False
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(s)
    return s


def errors(validator, doc):
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def audit(tool, *args, output=None):
    """Run spnaudit audit --format json; (exit status, document or None, stderr)."""
    cmd = [tool, "audit", "--format", "json", *args]
    if output:
        cmd += ["--output", output]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    text = p.stdout
    if output:
        expect(f"--output: nothing on stdout ({' '.join(args)})", text == "")
        text = open(output, encoding="utf-8").read() if os.path.exists(output) else ""
    try:
        doc = json.loads(text)
    except ValueError as e:
        print(f"not JSON ({e}): {text[:200]!r}; stderr: {p.stderr}")
        doc = None
    return p.returncode, doc, p.stderr


def ps_line(c):
    """A command as PowerShell gets it: the program's option as is, every
    value in single quotes with ' written twice."""
    option = 0 if c["program"] == "setspn" else 1
    return " ".join([c["program"]] + [a if i == option else "'" + a.replace("'", "''") + "'"
                                      for i, a in enumerate(c["args"])])


def validates(name, loose, tight, doc):
    if not expect(f"{name}: a JSON document", doc is not None):
        return
    for label, v in (("schema", loose), ("strict schema (no undescribed member)", tight)):
        errs = errors(v, doc)
        for e in errs[:10]:
            print(f"    {e}")
        expect(f"{name}: valid against the {label}", not errs)


def main():
    if len(sys.argv) != 3:
        print("usage: check-schema.py SPNAUDIT SCHEMA", file=sys.stderr)
        return 64
    tool, schema_file = sys.argv[1], sys.argv[2]
    with open(schema_file, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    loose = cls(schema)
    tight = cls(strict(schema))
    ms = [a for s in SERVERS for a in ("--ms", s)]

    with tempfile.TemporaryDirectory(prefix="spnaudit-schema.") as tmp:
        first = os.path.join(tmp, "first.json")

        # A normal audit: ms03 has no SPN and no DNS name, so failures (2).
        rc, doc, err = audit(tool, "--server", DC, *ms, output=first)
        expect(f"normal audit exits 2 (got {rc}; {err.strip()})", rc == 2)
        validates("normal audit", loose, tight, doc)
        if doc is not None:
            expect("normal audit: complete", doc.get("complete") is True)
            expect("normal audit: schema_version 1", doc.get("schema_version") == 1)
            expect("normal audit: the four servers", [s.get("fqdn") for s in doc.get("management_servers", [])] == SERVERS)
            expect("normal audit: SPN_MISSING for ms03",
                   any(f.get("code") == "SPN_MISSING" and f.get("server") == "ms03.contoso.test"
                       for f in doc.get("findings", [])))
            expect("normal audit: tickets were requested", doc.get("counts", {}).get("tickets_requested", 0) > 0)
            expect("normal audit: no baseline member", "baseline" not in doc and "fixed" not in doc)
            expect("normal audit: its scope", doc.get("scope", {}).get("servers") == SERVERS
                   and doc["scope"].get("domains") == ["contoso.test"] and doc["scope"].get("tickets") == "servers"
                   and doc["scope"].get("reachability") is True and doc.get("checks_not_run") == [])

            commands = [(f, c) for f in doc.get("findings", []) for c in (f.get("fix_data") or {}).get("commands", [])]
            expect("normal audit: fixes as data", len(commands) > 0)
            expect("normal audit: SPN_MISSING of ms03 registers MSOMHSvc/ms03.contoso.test with setspn -S",
                   any(f.get("code") == "SPN_MISSING" and f.get("server") == "ms03.contoso.test"
                       and c["program"] == "setspn" and c["args"][:2] == ["-S", "MSOMHSvc/ms03.contoso.test"]
                       for f, c in commands))
            expect("normal audit: each cmd.exe line is in the finding's fix",
                   all(c["cmd"] is None or c["cmd"] in f["fix"] for f, c in commands))
            expect("normal audit: each PowerShell line is the program, the option and the values in single quotes",
                   all(c["powershell"] is None or c["powershell"] == ps_line(c) for f, c in commands))

        # No tickets, no reachability: tickets null, no reachability member.
        rc, ndoc, err = audit(tool, "--server", DC, *ms, "--no-tickets", "--no-reachability")
        expect(f"audit without tickets exits 2 (got {rc}; {err.strip()})", rc == 2)
        validates("audit without tickets", loose, tight, ndoc)
        if ndoc is not None:
            spns = [e for s in ndoc.get("management_servers", []) for e in s.get("spns", [])]
            expect("without tickets: every ticket null", spns and all(e.get("ticket", 0) is None for e in spns))
            expect("without reachability: no reachability member",
                   all("reachability" not in s for s in ndoc.get("management_servers", [])))
            expect("without tickets and reachability: the scope says so",
                   ndoc.get("scope", {}).get("tickets") == "none" and ndoc["scope"].get("reachability") is False)

        # The domain controller does not answer: exit 3, the report still written.
        down = os.path.join(tmp, "down.json")
        rc, ddoc, err = audit(tool, "--server", DC + ":1389", *ms, output=down)
        expect(f"unanswering DC exits 3 (got {rc})", rc == 3)
        expect("unanswering DC: stderr names it", DC + ":1389" in err)
        validates("unanswering DC", loose, tight, ddoc)
        if ddoc is not None:
            expect("unanswering DC: incomplete", ddoc.get("complete") is False)
            expect("unanswering DC: the reason names the DC", DC + ":1389" in (ddoc.get("incomplete_reason") or ""))
            expect("unanswering DC: exit_status 3", ddoc.get("exit_status") == 3)

        if doc is None:
            return 1

        # Against the first report: nothing new, nothing fixed.
        rc, bdoc, err = audit(tool, "--server", DC, *ms, "--baseline", first)
        expect(f"audit with baseline exits 2 (got {rc}; {err.strip()})", rc == 2)
        validates("audit with baseline", loose, tight, bdoc)
        if bdoc is not None:
            base = bdoc.get("baseline", {})
            expect("with baseline: baseline.file is the file given", base.get("file") == first)
            expect("with baseline: nothing new", base.get("new") == 0)
            expect("with baseline: all persisting", base.get("persisting") == len(bdoc.get("findings", [])) > 0)
            expect("with baseline: fixed is empty", bdoc.get("fixed") == [] and base.get("fixed") == 0)
            expect("with baseline: every finding is persisting",
                   all(f.get("change") == "persisting" for f in bdoc.get("findings", [])))

        # Against an edited baseline: one finding dropped (new now), one
        # invented for a server audited in both (fixed now).
        edited = copy.deepcopy(doc)
        dropped = edited["findings"].pop(0)
        invented = dict(dropped, code="SPN_MISSING", subject="MSOMHSvc/ms01.contoso.test", server="ms01.contoso.test")
        edited["findings"].append(invented)
        edited_file = os.path.join(tmp, "edited.json")
        with open(edited_file, "w", encoding="utf-8") as f:
            json.dump(edited, f)
        rc, edoc, err = audit(tool, "--server", DC, *ms, "--baseline", edited_file, "--baseline-status", "new")
        expect(f"edited baseline, --baseline-status new: exit 2 for the new failure (got {rc}; {err.strip()})",
               rc == 2)
        validates("audit with an edited baseline", loose, tight, edoc)
        if edoc is not None:
            base = edoc.get("baseline", {})
            expect("edited baseline: one new", base.get("new") == 1)
            expect("edited baseline: one fixed", base.get("fixed") == 1 and len(edoc.get("fixed", [])) == 1)
            news = [f for f in edoc.get("findings", []) if f.get("change") == "new"]
            expect("edited baseline: the dropped finding is the new one",
                   len(news) == 1 and (news[0].get("code"), news[0].get("subject")) ==
                   (dropped["code"], dropped["subject"]))
            expect("edited baseline: the invented finding is the fixed one",
                   [f.get("subject") for f in edoc.get("fixed", [])] == [invented["subject"]])
            expect("edited baseline: fixed findings carry no change", all("change" not in f for f in edoc.get("fixed", [])))

        # Without ms07 against the first report: ms07's findings not compared,
        # nothing fixed, the scope's change said.
        rc, sdoc, err = audit(tool, "--server", DC, *ms[:-2], "--baseline", first, "--baseline-status", "new")
        expect(f"without ms07 against the first report: exit 0, nothing new (got {rc}; {err.strip()})", rc == 0)
        validates("audit with a smaller scope than its baseline", loose, tight, sdoc)
        if sdoc is not None:
            base = sdoc.get("baseline", {})
            expect("smaller scope: nothing new or fixed", base.get("new") == 0 and base.get("fixed") == 0)
            expect("smaller scope: ms07's findings not compared",
                   base.get("not_compared", 0) > 0 and len(sdoc.get("not_compared", [])) == base["not_compared"]
                   and all(f.get("server") == "ms07.contoso.test" and
                           f.get("why_not_compared") == "ms07.contoso.test: not audited now"
                           for f in sdoc["not_compared"]))
            expect("smaller scope: the change of servers",
                   base.get("scope_changes") == [{"what": "servers", "removed": ["ms07.contoso.test"], "added": []}])
            expect("smaller scope: scope known", base.get("scope_known") is True)

        # A report of an older spnaudit (no scope) as the baseline.
        old = copy.deepcopy(doc)
        del old["scope"], old["checks_not_run"]
        old_file = os.path.join(tmp, "old.json")
        with open(old_file, "w", encoding="utf-8") as f:
            json.dump(old, f)
        expect("a report without scope is valid", not errors(loose, old) and not errors(tight, old))
        rc, odoc, err = audit(tool, "--server", DC, *ms, "--baseline", old_file)
        validates("audit against a baseline without scope", loose, tight, odoc)
        if odoc is not None:
            expect("baseline without scope: scope_known false, all persisting",
                   odoc.get("baseline", {}).get("scope_known") is False and odoc["baseline"].get("new") == 0
                   and odoc["baseline"].get("scope_changes") == [])

        # The validator rejects what the schema forbids, so the checks above
        # can fail.
        finding = next(i for i, f in enumerate(doc["findings"]) if f["server"] is not None)
        broken = {}
        b = copy.deepcopy(doc)
        b["findings"][finding]["severity"] = 7
        broken["a finding of severity 7"] = b
        b = copy.deepcopy(doc)
        b["findings"][finding]["severity"] = "fatal"
        broken["a finding of severity \"fatal\""] = b
        b = copy.deepcopy(doc)
        del b["complete"]
        broken["no \"complete\""] = b
        b = copy.deepcopy(doc)
        del b["findings"][finding]["events"]
        broken["a finding without events"] = b
        b = copy.deepcopy(doc)
        b["schema_version"] = 2
        broken["schema_version 2"] = b
        b = copy.deepcopy(doc)
        b["domain"] = 42
        broken["a number as domain"] = b
        b = copy.deepcopy(doc)
        b["findings"][finding]["change"] = "new"
        broken["a change mark without a baseline"] = b
        b = copy.deepcopy(doc)
        b["complete"] = False
        broken["incomplete without a reason"] = b
        b = copy.deepcopy(bdoc) if bdoc is not None else {}
        b.pop("fixed", None)
        broken["a baseline without fixed"] = b
        b = copy.deepcopy(doc)
        b["scope"]["tickets"] = "some"
        broken["scope with tickets \"some\""] = b
        b = copy.deepcopy(doc)
        del b["scope"]["servers"]
        broken["scope without servers"] = b
        b = copy.deepcopy(doc)
        b["checks_not_run"] = [{"check": "SPN_SELF_WRITE_DENIED", "server": None}]
        broken["a check not run without why"] = b
        b = copy.deepcopy(sdoc) if sdoc is not None else {}
        if b.get("not_compared"):
            del b["not_compared"][0]["why_not_compared"]
        broken["a finding not compared without why"] = b
        b = copy.deepcopy(bdoc) if bdoc is not None else {}
        if b.get("findings"):
            b["findings"][0]["change"] = "not_compared"
        broken["a finding of now not compared without why"] = b
        b = copy.deepcopy(doc)
        b["not_compared"] = []
        broken["not_compared without a baseline"] = b
        b = copy.deepcopy(doc)
        ticket = next(e["ticket"] for s in b["management_servers"] for e in s["spns"] if e["ticket"] and e["ticket"]["ok"])
        del ticket["kvno"]
        broken["an issued ticket without kvno"] = b
        fixed = next(i for i, f in enumerate(doc["findings"]) if f.get("fix_data") and f["fix_data"]["commands"])
        b = copy.deepcopy(doc)
        del b["findings"][fixed]["fix_data"]["commands"][0]["args"]
        broken["a fix command without args"] = b
        b = copy.deepcopy(doc)
        b["findings"][fixed]["fix_data"]["commands"][0]["program"] = "format"
        broken["a fix command of another program"] = b
        b = copy.deepcopy(doc)
        b["findings"][fixed]["fix_data"]["commands"][0]["powershell"] = None
        b["findings"][fixed]["fix_data"]["commands"][0]["refused"] = {}
        broken["a fix command without a PowerShell line or why"] = b
        b = copy.deepcopy(doc)
        b["findings"][fixed]["fix_data"] = "setspn -S x y"
        broken["fix_data as a string"] = b
        for what, bad in broken.items():
            expect(f"the schema rejects {what}", bool(errors(loose, bad)))
        b = copy.deepcopy(doc)
        b["findings"][finding]["colour"] = "red"
        expect("the schema accepts an unknown member (added later, same version)", not errors(loose, b))
        expect("the strict schema rejects it", bool(errors(tight, b)))

    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
