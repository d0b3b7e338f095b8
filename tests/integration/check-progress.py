#!/usr/bin/python3
"""check-progress.py SPNAUDIT: the progress bar of the ticket requests, on
standard error when it is a terminal (a pseudo-terminal here), and never
when it is a pipe or a file.  For "probe" (agent SPNs from a file) and for
"audit" (the servers' tickets).  The report on standard output is the same
either way.

Run inside the test domain (tests/lab/testdomain.sh exec)."""

import fcntl
import os
import pty
import struct
import subprocess
import sys
import tempfile
import termios

DC = os.environ.get("LAB_DC", "dc1.contoso.test")
AGENTS = int(os.environ.get("LAB_AGENTS", "1250"))
PROBED = min(AGENTS, 300)

failures = 0


def expect(what, cond, detail=""):
    global failures
    print(("ok: " if cond else "FAIL: ") + what + ("" if cond else f" ({detail!r:.400})"))
    if not cond:
        failures += 1


def on_pty(argv, columns=80):
    """Run argv with standard error on a pseudo-terminal of columns columns
    (standard output a pipe): (status, stdout, what the terminal got)."""
    master, slave = pty.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out = p.stdout.read()
    p.wait()
    os.close(master)
    return p.returncode, out, seen


def on_pipe(argv):
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def check(name, argv, total):
    status, out, seen = on_pty(argv)
    text = seen.decode("utf-8", "replace")
    expect(f"{name}: exit status on a terminal ({status})", status in (0, 1, 2), text)
    expect(f"{name}: the bar is drawn on the terminal", f"/{total} [" in text and "\rtickets " in text, text)
    expect(f"{name}: the bar gives rate and time left", "/s, " in text and " left" in text, text)
    # the bar is cleared at the end: spaces over the last line, the cursor back
    last = text.rstrip("\r").rsplit("\r", 1)[-1]
    expect(f"{name}: the terminal ends with the line cleared", text.endswith("\r") and last.strip() == "",
           text[-200:])
    lines = [seg for seg in text.split("\r") if seg.startswith("tickets ")]
    expect(f"{name}: every line fits in 79 columns", lines and all(len(s) <= 79 for s in lines), lines[:3])
    pstatus, pout, perr = on_pipe(argv)
    expect(f"{name}: same exit status on a pipe", pstatus == status, (pstatus, status))
    expect(f"{name}: no bar on a pipe", b"tickets " not in perr and b"\r" not in perr, perr)
    return out, pout


def main():
    tool = sys.argv[1]
    with tempfile.NamedTemporaryFile("w", prefix="spnaudit-progress-", suffix=".txt") as f:
        for i in range(1, PROBED + 1):
            f.write(f"MSOMHSvc/agent{i:04d}.contoso.test\n")
        f.flush()
        out, pout = check("probe", [tool, "probe", "--jobs", "2", "--file", f.name], PROBED)
        expect("probe: the report is the same", out.split(b"\n")[:3] == pout.split(b"\n")[:3], (out[:200], pout[:200]))
        # standard error to a file: no bar either
        with tempfile.TemporaryFile() as err:
            subprocess.run([tool, "probe", "--file", f.name], stdout=subprocess.DEVNULL, stderr=err)
            err.seek(0)
            expect("probe: no bar into a file", err.read() == b"")
    check("audit", [tool, "audit", "--server", DC, "--ms", "ms01.contoso.test", "--no-reachability"], 4)
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
