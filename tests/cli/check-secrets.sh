#!/bin/bash
# check-secrets.sh SPNAUDIT: the binary's secrets and signals, no domain
# needed: password files and keytabs that group or others may read, or
# others write, refused with their mode named (exit 64, before any
# connection); a run waiting at the password prompt has core dumps off, and
# SIGINT, SIGTERM and SIGHUP end it with 130, 143 and 129 and one line; the
# value of --password-env's variable is gone from /proc/PID/environ.
set -uo pipefail
set -m # background jobs keep SIGINT (without job control bash ignores it there)
tool=$1
bad=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

ok() { echo "ok: $*"; }
fail() {
    echo "FAIL: $*"
    bad=$((bad + 1))
}

printf 'not-the-password\n' >"$dir/pw"
printf '\005\002' >"$dir/k.keytab"
for mode in 0640 0604 0602 0620; do
    chmod "$mode" "$dir/pw" "$dir/k.keytab"
    err=$("$tool" spn --ldaps --server dc.invalid --bind-user a@b.test --password-file "$dir/pw" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" = 64 ] && grep -q "$dir/pw has mode $mode: a password file must not be" <<<"$err"; then
        ok "password file of mode $mode refused"
    else
        fail "password file of mode $mode: exit $rc: $err"
    fi
    err=$("$tool" probe --keytab "$dir/k.keytab" --principal x@B.TEST MSOMHSvc/a.b.test 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" = 64 ] && grep -q "$dir/k.keytab has mode $mode: a keytab must not be" <<<"$err"; then
        ok "keytab of mode $mode refused"
    else
        fail "keytab of mode $mode: exit $rc: $err"
    fi
done

# The tool waits at the password prompt (standard input a FIFO kept open).
# It is started with the three signals at their defaults: a signal ignored
# when it starts (nohup, an asynchronous job) stays ignored, by design.
for pair in INT:130 TERM:143 HUP:129; do
    sig=${pair%:*} want=${pair#*:}
    rm -f "$dir/in" "$dir/err"
    mkfifo "$dir/in"
    env --default-signal=INT,TERM,HUP "$tool" spn --ldaps --server dc.invalid --bind-user a@b.test \
        <"$dir/in" 2>"$dir/err" &
    pid=$!
    exec 3>"$dir/in"
    for _ in $(seq 100); do
        grep -q "LDAP password for" "$dir/err" 2>/dev/null && break
        sleep 0.1
    done
    if grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits"; then
        ok "SIG$sig: no core dump while the password is asked for"
    else
        fail "SIG$sig: core dumps on: $(grep core "/proc/$pid/limits")"
    fi
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    exec 3>&-
    if [ "$rc" = "$want" ] && grep -qx "spnaudit: interrupted by SIG$sig" "$dir/err"; then
        ok "SIG$sig at the prompt: exit $rc and a message"
    else
        fail "SIG$sig at the prompt: exit $rc (want $want): $(cat "$dir/err")"
    fi
done

# --password-env: once read, the value is gone from /proc/PID/environ.  The
# tool then hangs in the TLS handshake with a local listener that never
# answers, until SIGTERM.
python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
c = s.accept()
print("accepted", flush=True)
time.sleep(60)' >"$dir/listener" &
listener=$!
for _ in $(seq 50); do
    port=$(head -1 "$dir/listener")
    [ -n "$port" ] && break
    sleep 0.1
done
SPNAUDIT_TEST_PW=xyzzy-not-a-password "$tool" spn --uri "ldaps://127.0.0.1:$port" --bind-user a@b.test \
    --password-env SPNAUDIT_TEST_PW 2>"$dir/err" &
pid=$!
for _ in $(seq 100); do
    grep -q accepted "$dir/listener" && break
    sleep 0.1
done
if ! environ=$(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null); then
    ok "--password-env: /proc/$pid/environ cannot be read (not dumpable)"
elif ! grep -q accepted "$dir/listener"; then
    fail "--password-env: the tool never connected: $(cat "$dir/err")"
elif grep -q xyzzy <<<"$environ"; then
    fail "--password-env: the password is still in /proc/$pid/environ"
else
    ok "--password-env: the value is gone from /proc/$pid/environ"
fi
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" = 143 ] || fail "--password-env: SIGTERM while connecting: exit $rc: $(cat "$dir/err")"
kill "$listener"
wait "$listener" 2>/dev/null

echo "$bad problem(s)"
[ "$bad" = 0 ]
