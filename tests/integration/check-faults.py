#!/usr/bin/python3
"""check-faults.py SPNAUDIT: the audit against the test domain when things
go wrong mid-run, each time: a clear message, the right exit status, a
report that says it is incomplete, no failure drawn from data that was not
read, and the previous report left intact.

- the DC freezes mid-search, or closes the connection mid-search: a relay
  between spnaudit and the real DC forwards the first bytes of the DC's
  answers, then stops forwarding (or closes); the search was under way;
- SIGTERM, SIGINT, SIGHUP while the run waits on a frozen DC, with --output
  over an earlier report (and without one);
- --output into a full file system and into a read-only one.

Run inside the test domain (tests/lab/testdomain.sh exec), as root (the file
system faults mount a small tmpfs in the test's own mount namespace)."""

import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SPNAUDIT = sys.argv[1]
DC = os.environ["LAB_DC"]
LAB = os.environ["SPNAUDIT_LAB_DIR"]
MS = "ms01." + DC.split(".", 1)[1]   # a healthy server: any failure about it is made up
AUDIT = ["--ms", MS, "--no-reachability", "--no-tickets", "-f", "json"]
OLD = b'{"old": "report"}\n'

failures = 0
checks = 0


def expect(what, cond):
    global failures, checks
    checks += 1
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures += 1
    return cond


def samba_pid():
    with open(os.path.join(LAB, "contoso", "run", "samba.pid")) as f:
        return int(f.read().strip())


class Relay:
    """127.0.0.1:PORT -> the DC's port 389: forwards both ways until the DC
    has sent `budget` bytes, then stops forwarding them ('freeze') or closes
    both connections ('close')."""

    def __init__(self, mode, budget):
        self.mode, self.budget, self.sent = mode, budget, 0
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.stop = False
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while not self.stop:
            try:
                r, _, _ = select.select([self.listener], [], [], 0.2)
                client, _ = self.listener.accept() if r else (None, None)
            except (OSError, ValueError):   # closed by close()
                return
            if client is not None:
                threading.Thread(target=self.pump, args=(client,), daemon=True).start()

    def pump(self, client):
        dc = socket.create_connection((socket.gethostbyname(DC), 389))
        frozen = False
        try:
            while not self.stop:
                r, _, _ = select.select([client, dc], [], [], 0.2)
                for s in r:
                    data = s.recv(65536)
                    if not data:
                        return
                    if s is client:
                        dc.sendall(data)
                        continue
                    if frozen:
                        continue
                    room = self.budget - self.sent
                    client.sendall(data[:max(room, 0)])
                    self.sent += min(len(data), max(room, 0))
                    if self.sent >= self.budget:
                        if self.mode == "close":
                            return
                        frozen = True   # holds the connection open and says nothing more
        finally:
            client.close()
            dc.close()

    def close(self):
        self.stop = True
        self.listener.close()


def run(args, timeout=60):
    try:
        p = subprocess.run([SPNAUDIT] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, b"", "still running after %d s: killed" % timeout
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def judge_incomplete(name, rc, out, err):
    """exit 3, an incomplete report that says why, and no failure about the
    healthy server drawn from what was not read."""
    expect("%s: exit status 3 (got %d; stderr %r)" % (name, rc, err[-300:]), rc == 3)
    try:
        report = json.loads(out)
    except ValueError:
        expect("%s: a JSON report on standard output" % name, False)
        return None
    expect("%s: the report says it is incomplete" % name, report.get("complete") is False)
    expect("%s: and why: %r" % (name, report.get("incomplete_reason")), bool(report.get("incomplete_reason")))
    bad = [f["code"] for f in report.get("findings", []) if f.get("server") == MS]
    expect("%s: no finding about the healthy %s from data not read (got %s)" % (name, MS, bad), not bad)
    return report


def dc_faults():
    for mode in ("freeze", "close"):
        relay = Relay(mode, 24 * 1024)   # the bind and the first pages; 1,250 agents are more
        try:
            t0 = time.monotonic()
            rc, out, err = run(["audit", "--uri", "ldap://%s:%d" % (DC, relay.port), "--timeout", "3",
                                "--page-size", "20"] + AUDIT)
            took = time.monotonic() - t0
        finally:
            relay.close()
        name = "DC that %ss mid-search" % mode
        expect("%s: the relay passed %d bytes, so the search was under way" % (name, relay.sent),
               relay.sent >= 24 * 1024)
        report = judge_incomplete(name, rc, out, err)
        if report is not None:
            expect("%s: pages were read before the fault (%r)" % (name, report.get("search")),
                   (report.get("search") or {}).get("pages", 0) >= 1)
        expect("%s: the message names the DC: %r" % (name, err[-300:]), str(relay.port) in err or DC in err)
        # one --timeout: the later steps do not wait on the silent DC again
        expect("%s: bounded by one --timeout of 3 s (took %.1f s)" % (name, took), took < 6)


def signal_while_frozen(sig, with_old):
    name = "%s while the DC is frozen%s" % (signal.Signals(sig).name, ", over an earlier report" if with_old else "")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.json")
        if with_old:
            with open(path, "wb") as f:
                f.write(OLD)
        pid = samba_pid()
        os.kill(pid, signal.SIGSTOP)
        try:
            p = subprocess.Popen([SPNAUDIT, "audit", "--server", DC, "--timeout", "60", "--output", path] + AUDIT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(1.5)
            p.send_signal(sig)
            out, err = p.communicate(timeout=20)
        finally:
            os.kill(pid, signal.SIGCONT)
        err = err.decode("utf-8", "replace")
        expect("%s: exit status %d (got %d)" % (name, 128 + sig, p.returncode), p.returncode == 128 + sig)
        said = "left as it was" if with_old else "not written"
        expect("%s: the message says so: %r" % (name, err), "interrupted by %s" % signal.Signals(sig).name in err
               and said in err)
        if with_old:
            with open(path, "rb") as f:
                expect("%s: the earlier report is intact" % name, f.read() == OLD)
        expect("%s: nothing else left in the directory: %s" % (name, os.listdir(tmp)),
               os.listdir(tmp) == (["report.json"] if with_old else []))


def output_faults():
    with tempfile.TemporaryDirectory() as tmp:
        mnt = os.path.join(tmp, "fs")
        os.mkdir(mnt)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt], check=True)
        try:
            path = os.path.join(mnt, "report.json")
            with open(path, "wb") as f:
                f.write(OLD)
            for what, remount, says in (("a full file system", None, "No space left on device"),
                                        ("a read-only file system", "remount,ro", "Read-only file system")):
                if remount:
                    subprocess.run(["mount", "-o", remount, mnt], check=True)
                rc, out, err = run(["audit", "--server", DC, "--output", path] + AUDIT)
                name = "--output into " + what
                expect("%s: exit status 3 (got %d)" % (name, rc), rc == 3)
                expect("%s: the message says why and names the file: %r" % (name, err[-300:]),
                       says in err and path in err)
                with open(path, "rb") as f:
                    expect("%s: the earlier report is intact" % name, f.read() == OLD)
                expect("%s: no temporary file left: %s" % (name, os.listdir(mnt)), os.listdir(mnt) == ["report.json"])
        finally:
            subprocess.run(["umount", mnt])


def main():
    dc_faults()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal_while_frozen(sig, True)
    signal_while_frozen(signal.SIGTERM, False)
    output_faults()
    print("%d passed, %d failed" % (checks - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
