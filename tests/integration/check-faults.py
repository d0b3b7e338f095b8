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
- --output into a full file system and into a read-only one;
- the KDC: frozen mid-probe (a relay in front of the real KDC answers the
  first requests, then holds the next ones unanswered), down at the start
  (a closed port), with the GSSAPI bind and with a simple bind over LDAPS
  (which needs no KDC, so the tickets are what fails);
- an expired ticket-granting ticket, this host's clock 10 minutes ahead
  (libfaketime), a DC certificate that the CA file given (FABRIKAM's) does
  not sign, a DC name that does not resolve.
Each run that ends incomplete writes its report atomically over an earlier
one with --output: the file then holds the new, incomplete report (never
part of one, never the old one passed off as current).

Run inside the test domain (tests/lab/testdomain.sh exec), as root (the file
system faults mount a small tmpfs in the test's own mount namespace)."""

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import jsonschema

SPNAUDIT = sys.argv[1]
DC = os.environ["LAB_DC"]
LAB = os.environ["SPNAUDIT_LAB_DIR"]
MS = "ms01." + DC.split(".", 1)[1]   # a healthy server: any failure about it is made up
AUDIT = ["--ms", MS, "--no-reachability", "--no-tickets", "-f", "json"]
OLD = b'{"old": "report"}\n'
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples",
                       "spnaudit-report.schema.json")) as schema_file:
    SCHEMA = json.load(schema_file)
# only the SDK service's SPNs: four tickets, so each ticket fault is quick
CHECKS = ["--service-class", "MSOMSdkSvc", "-f", "json", "--timeout", "5", "--kdc-timeout", "2", "--jobs", "1"]
KRB_AUDIT = ["audit", "--server", DC, "--ms", MS, "--no-reachability"] + CHECKS
SIMPLE_BIND = ["--ldaps", "--ca-file", os.environ["LAB_CA_FILE"], "--bind-user", "administrator@" + DC.split(".", 1)[1],
               "--password-env", "LAB_PASSWORD"]
FAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"

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


class Listener:
    """127.0.0.1:PORT, each connection handed to take(client) (subclasses
    set what they need before __init__, which starts accepting); relay()
    forwards one to the DC's port, the DC's answers through reply()."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
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
                self.take(client)

    def relay(self, client, port):
        threading.Thread(target=self.pump, args=(client, port), daemon=True).start()

    def pump(self, client, port):
        dc = socket.create_connection((socket.gethostbyname(DC), port))
        try:
            while not self.stop:
                r, _, _ = select.select([client, dc], [], [], 0.2)
                for s in r:
                    data = s.recv(65536)
                    if not data:
                        return
                    if s is client:
                        dc.sendall(data)
                    elif not self.reply(client, data):
                        return
        finally:
            client.close()
            dc.close()

    def reply(self, client, data):
        """Pass the DC's data on; False closes both connections."""
        client.sendall(data)
        return True

    def close(self):
        self.stop = True
        self.listener.close()


class Relay(Listener):
    """127.0.0.1:PORT -> the DC's port 389: forwards both ways until the DC
    has sent `budget` bytes, then stops forwarding them ('freeze') or closes
    both connections ('close')."""

    def __init__(self, mode, budget):
        self.mode, self.budget, self.sent = mode, budget, 0
        super().__init__()

    def take(self, client):
        self.relay(client, 389)

    def reply(self, client, data):
        room = max(self.budget - self.sent, 0)
        client.sendall(data[:room])
        self.sent += min(len(data), room)
        # past the budget: 'freeze' holds the connection and says nothing more
        return self.sent < self.budget or self.mode != "close"


def run(args, timeout=60, env=None):
    try:
        p = subprocess.run([SPNAUDIT] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                           env=None if env is None else dict(os.environ, **env))
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
    errors = [e.message for e in jsonschema.validators.validator_for(SCHEMA)(SCHEMA).iter_errors(report)]
    expect("%s: the report follows the JSON Schema (%s)" % (name, errors[:3]), not errors)
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


def default_signals():
    """As a run started normally: one started ignoring a signal (nohup)
    keeps ignoring it, by design."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


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
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=default_signals)
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
            # a directory that cannot be written to is refused before any
            # work (exit 64); a full one is found when writing (exit 3)
            for what, remount, says, status in (("a full file system", None, "No space left on device", 3),
                                                ("a read-only file system", "remount,ro", "Read-only file system",
                                                 64)):
                if remount:
                    subprocess.run(["mount", "-o", remount, mnt], check=True)
                rc, out, err = run(["audit", "--server", DC, "--output", path] + AUDIT)
                name = "--output into " + what
                expect("%s: exit status %d (got %d)" % (name, status, rc), rc == status)
                expect("%s: the message says why and names the file: %r" % (name, err[-300:]),
                       says in err and path in err)
                with open(path, "rb") as f:
                    expect("%s: the earlier report is intact" % name, f.read() == OLD)
                expect("%s: no temporary file left: %s" % (name, os.listdir(mnt)), os.listdir(mnt) == ["report.json"])
        finally:
            subprocess.run(["umount", mnt])


class KdcRelay(Listener):
    """127.0.0.1:PORT -> the real KDC (TCP 88): the first `budget`
    connections are relayed both ways; later ones are accepted and held,
    and nothing is ever sent back on them (a KDC frozen mid-probe)."""

    def __init__(self, budget):
        self.budget, self.accepted, self.held = budget, 0, []
        super().__init__()

    def take(self, client):
        self.accepted += 1
        if self.accepted > self.budget:
            self.held.append(client)   # read by nobody, answered never
        else:
            self.relay(client, 88)

    def close(self):
        super().close()
        for c in self.held:
            c.close()


def krb5_conf(tmp, kdc):
    """The lab's krb5.conf with the audited realm's KDC replaced by kdc
    (host:port); its path."""
    with open(os.environ["KRB5_CONFIG"]) as f:
        text = f.read()
    realm = os.environ["LAB_REALM"]
    text, n = re.subn(r"(%s = \{\s*kdc = )\S+" % re.escape(realm), lambda m: m.group(1) + kdc, text)
    assert n == 1, "no kdc line for %s in %s" % (realm, os.environ["KRB5_CONFIG"])
    path = os.path.join(tmp, "krb5.conf")
    with open(path, "w") as f:
        f.write(text)
    return path


def closed_port():
    """A port of 127.0.0.1 nothing listens on (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


HEALTHY = None   # the failures of a healthy run of KRB_AUDIT: (code, subject)


def healthy_failures():
    global HEALTHY
    if HEALTHY is None:
        rc, out, err = run(KRB_AUDIT)
        report = json.loads(out) if out else {}
        expect("the healthy run of the ticket faults is complete (exit %d; %r)" % (rc, err[-300:]),
               report.get("complete") is True)
        HEALTHY = {(f["code"], f["subject"]) for f in report.get("findings", []) if f["severity"] == "failure"}
    return HEALTHY


def judge_fault(name, rc, out, err, says, allowed=()):
    """judge_incomplete, and: stderr is the line says (or has each of the
    parts of a tuple), word for word, the reason is that message, and no
    failure a healthy run does not have (but the codes in allowed)."""
    report = judge_incomplete(name, rc, out, err)
    if isinstance(says, str):
        expect("%s: the message is %r (got %r)" % (name, says, err), err == "spnaudit audit: " + says + "\n")
    for part in says if isinstance(says, tuple) else ():
        expect("%s: the message says %r: %r" % (name, part, err[-600:]), part in err)
    if report is None:
        return None
    reason = report.get("incomplete_reason") or ""
    expect("%s: the reason is the message: %r" % (name, reason), reason != "" and reason in err)
    made_up = [(f["code"], f["subject"]) for f in report.get("findings", []) if f["severity"] == "failure" and
               (f["code"], f["subject"]) not in healthy_failures() and f["code"] not in allowed]
    expect("%s: no failure drawn from what was not read (got %s)" % (name, made_up), not made_up)
    return report


def tickets_not_checked(name, report):
    """The server's tickets are listed as not checked, none is a finding."""
    not_run = [c for c in report.get("checks_not_run", []) if c["check"] == "TICKET_*" and c["server"] == MS]
    expect("%s: the tickets of %s are listed as not checked: %s" % (name, MS, report.get("checks_not_run")),
           len(not_run) == 1 and not_run[0]["why"] != "")
    ticket_findings = [f["code"] for f in report.get("findings", []) if f["code"].startswith("TICKET_")]
    expect("%s: no ticket finding (got %s)" % (name, ticket_findings), not ticket_findings)


def ticket_outcomes(report):
    """(issued, refused, not tried) among the server's SPNs."""
    spns = [s for m in report.get("management_servers", []) for s in m.get("spns", [])]
    tickets = [s.get("ticket") or {} for s in spns]
    return (sum(1 for t in tickets if t.get("ok")), sum(1 for t in tickets if t.get("tried") and not t.get("ok")),
            sum(1 for t in tickets if not t.get("tried")))


def kdc_frozen_mid_probe():
    name = "KDC frozen mid-probe"
    # the GSSAPI bind's ticket and the first SPN's pass; the second hangs
    relay = KdcRelay(2)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.json")
        with open(path, "wb") as f:
            f.write(OLD)
        try:
            t0 = time.monotonic()
            rc, out, err = run(KRB_AUDIT + ["--output", path], env={"KRB5_CONFIG": krb5_conf(tmp, "127.0.0.1:%d" % relay.port)})
            took = time.monotonic() - t0
        finally:
            relay.close()
        expect("%s: the relay was asked past its budget (%d connections)" % (name, relay.accepted), relay.accepted > 2)
        expect("%s: nothing on standard output with --output (%r)" % (name, out[:200]), out == b"")
        with open(path, "rb") as f:
            out = f.read()
        expect("%s: nothing else left in the directory: %s" % (name, os.listdir(tmp)),
               sorted(os.listdir(tmp)) == ["krb5.conf", "report.json"])
    realm = os.environ["LAB_REALM"]
    report = judge_fault(name + " (--output over an earlier report: replaced by the incomplete one)", rc, out, err,
                         "Cannot contact any KDC for requested realm (127.0.0.1:%d: no answer (request timeout "
                         "2000 ms)) while requesting a service ticket for MSOMSdkSvc/%s@%s: the KDCs of %s cannot be "
                         "reached, so the remaining tickets were not checked" % (relay.port, MS, realm, realm))
    if report is not None:
        issued, refused, untried = ticket_outcomes(report)
        expect("%s: tickets issued before the freeze, none after (issued %d, refused %d, not tried %d)"
               % (name, issued, refused, untried), issued >= 1 and issued + refused + untried == 2)
        tickets_not_checked(name, report)
    # one --kdc-timeout, and one more try: the KDC had answered in this run
    expect("%s: bounded by two --kdc-timeout of 2 s (took %.1f s)" % (name, took), took < 8)


def kdc_down_at_start():
    with tempfile.TemporaryDirectory() as tmp:
        port = closed_port()
        env = {"KRB5_CONFIG": krb5_conf(tmp, "127.0.0.1:%d" % port)}
        name = "KDC down at the start, GSSAPI bind"
        rc, out, err = run(KRB_AUDIT, env=env)
        realm = os.environ["LAB_REALM"]
        judge_fault(name, rc, out, err,
                    "ldap://%s: no KDC could be reached for the ticket to ldap/%s: check the realm's kdc entries in "
                    "krb5.conf, or its DNS SRV records _kerberos._tcp (Local error while binding with SASL GSSAPI "
                    "(Kerberos) (server said: SASL(-1): generic failure: GSSAPI Error: Unspecified GSS failure.  "
                    "Minor code may provide more information (Cannot contact any KDC for realm '%s')))"
                    % (DC, DC, realm))
        name = "KDC down at the start, simple bind over LDAPS"
        rc, out, err = run(KRB_AUDIT + SIMPLE_BIND, env=env)
        report = judge_fault(name, rc, out, err,
                             "Cannot contact any KDC for requested realm (127.0.0.1:%d: Connection refused) while "
                             "requesting a service ticket for MSOMSdkSvc/%s@%s: the KDCs of %s cannot be reached, so "
                             "the remaining tickets were not checked" % (port, MS.split(".")[0].upper(), realm, realm))
        if report is not None:
            tickets_not_checked(name, report)


def expired_tgt():
    name = "expired TGT"
    with tempfile.TemporaryDirectory() as tmp:
        cc = "FILE:" + os.path.join(tmp, "ccache")
        user = "administrator@" + os.environ["LAB_REALM"]
        k = subprocess.run(["kinit", "-l", "2s", user], input=(os.environ["LAB_PASSWORD"] + "\n").encode(),
                           env=dict(os.environ, KRB5CCNAME=cc), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        expect("%s: kinit for 2 s (%r)" % (name, k.stdout[-200:]), k.returncode == 0)
        time.sleep(3)
        rc, out, err = run(KRB_AUDIT, env={"KRB5CCNAME": cc})
    judge_fault(name, rc, out, err, "expired credentials in %s for %s: run 'kinit %s' (or give --keytab and "
                                    "--principal)" % (cc, user, user))


def clock_skew():
    faked = {"LD_PRELOAD": FAKETIME, "FAKETIME": "+10m", "DONT_FAKE_MONOTONIC": "1",
             # an AddressSanitizer build refuses a preloaded library ahead of
             # its runtime; libfaketime only wraps the clock calls
             "ASAN_OPTIONS": ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"),
                                                    "verify_asan_link_order=0"]))}
    if not expect("clock skew: libfaketime is installed (%s; scripts/install-deps)" % FAKETIME, os.path.exists(FAKETIME)):
        return
    name = "clock 10 minutes ahead, GSSAPI bind"
    rc, out, err = run(KRB_AUDIT, env=faked)
    judge_fault(name, rc, out, err, "ldap://%s: our clock and the KDC's differ by more than Kerberos allows (5 "
                                    "minutes by default): synchronise this host's clock with the domain's (chrony, "
                                    "w32tm /resync on the DC) (Local error while binding with SASL GSSAPI (Kerberos) "
                                    "(server said: SASL(-1): generic failure: GSSAPI Error: Unspecified GSS failure.  "
                                    "Minor code may provide more information (Clock skew too great)))" % DC)
    name = "clock 10 minutes ahead, simple bind over LDAPS"
    rc, out, err = run(KRB_AUDIT + SIMPLE_BIND, env=faked)
    # CLOCK_SKEW is read (the DC's currentTime): a finding of the DC's, true
    report = judge_fault(name, rc, out, err, "Clock skew too great while requesting a service ticket for MSOMSdkSvc/%s: "
                                             "this host's clock and the KDC's differ by more than Kerberos allows (5 "
                                             "minutes by default), so the remaining tickets were not checked: "
                                             "synchronise this host's clock" % MS.split(".")[0].upper(),
                         allowed=("CLOCK_SKEW",))
    if report is not None:
        tickets_not_checked(name, report)


def untrusted_certificate():
    # another domain's CA of the lab: a real CA, not the one of the DC's certificate
    ca = os.path.join(LAB, "fabrikam", "private", "tls", "ca.pem")
    if not expect("a certificate the CA file does not sign: FABRIKAM's CA is there (%s)" % ca, os.path.exists(ca)):
        return
    for how in ("--ldaps", "--starttls"):
        name = "a certificate the CA file does not sign (%s)" % how
        rc, out, err = run(KRB_AUDIT + [how, "--ca-file", ca])
        scheme = "ldaps" if how == "--ldaps" else "ldap"
        judge_fault(name, rc, out, err,
                    "%s://%s: the domain controller's TLS certificate does not verify: it is not signed by a CA in "
                    "the CA file %s, or it is not issued to the name \"%s\" used to connect (the DC answers TLS "
                    "when the certificate is not checked; nothing was sent to it)" % (scheme, DC, ca, DC))


def unresolvable_names():
    name = "a DC name that does not resolve"
    rc, out, err = run(["audit", "--server", "nosuch.invalid", "--ms", MS, "--no-reachability"] + CHECKS)
    # the resolver's words vary (EAI_NONAME, EAI_NODATA): around them
    judge_fault(name, rc, out, err, ("spnaudit audit: ldap://nosuch.invalid: the name nosuch.invalid does not "
                                     "resolve (", "): check its spelling, and that this host asks the domain's DNS "
                                     "servers (Can't contact LDAP server while connecting to the domain controller)\n"))
    # a server that does not resolve is a finding of what DNS answered,
    # not a fault of the run: complete, and said as such
    name = "an --ms that does not resolve"
    ghost = "nosuch." + DC.split(".", 1)[1]
    rc, out, err = run(["audit", "--server", DC, "--ms", ghost, "--connect-timeout", "2"] + CHECKS)
    report = json.loads(out) if out else {}
    codes = sorted(f["code"] for f in report.get("findings", []) if f.get("server") == ghost)
    expect("%s: complete, exit 2, DNS_RESOLUTION_FAILED and SERVER_ACCOUNT_NOT_FOUND (exit %d, %s, %r)"
           % (name, rc, codes, err[-300:]), rc == 2 and report.get("complete") is True and
           codes == ["DNS_RESOLUTION_FAILED", "SERVER_ACCOUNT_NOT_FOUND"])
    # the resolver does not answer (a nameserver where nothing listens, in
    # a mount namespace of the run's own): no verdict on the name
    name = "an --ms the resolver gives no answer for"
    with tempfile.TemporaryDirectory() as tmp:
        conf = os.path.join(tmp, "resolv.conf")
        with open(conf, "w") as f:
            f.write("nameserver 127.0.0.99\n")
        p = subprocess.run(["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/resolv.conf && exec "$@"', conf,
                            SPNAUDIT, "audit", "--server", DC, "--ms", ghost, "--connect-timeout", "2"] + CHECKS,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    err = p.stderr.decode("utf-8", "replace")
    report = judge_fault(name, p.returncode, p.stdout, err,
                         "%s: the name could not be looked up (Temporary failure in name resolution), so its "
                         "reachability was not checked" % ghost, allowed=("SERVER_ACCOUNT_NOT_FOUND",))
    if report is not None:
        codes = sorted(f["code"] for f in report.get("findings", []) if f.get("server") == ghost)
        expect("%s: the account lookup, which LDAP answered, still counts (%s)" % (name, codes),
               codes == ["SERVER_ACCOUNT_NOT_FOUND"])
        not_run = sorted(c["check"] for c in report.get("checks_not_run", []) if c["server"] == ghost)
        expect("%s: its reachability is listed as not checked (%s)" % (name, not_run),
               not_run == ["DNS_RESOLUTION_FAILED", "TCP_CONNECT_FAILED"])


def signals():
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal_while_frozen(sig, True)
    signal_while_frozen(signal.SIGTERM, False)


ALL = (kdc_frozen_mid_probe, kdc_down_at_start, expired_tgt, clock_skew, untrusted_certificate, unresolvable_names,
       dc_faults, signals, output_faults)


def main():
    """All the faults, or those named after SPNAUDIT (by function name)."""
    for fault in ALL:
        if len(sys.argv) < 3 or fault.__name__ in sys.argv[2:]:
            fault()
    print("%d passed, %d failed" % (checks - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
