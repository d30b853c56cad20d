#!/bin/sh
# analyze_replay.sh (root): record a live run's events and findings in one
# JSON stream, perform signature behaviours for real, then replay the
# events with `tracee analyze` and require the same findings (eventName,
# processId, triggering event).  Reports replayed events per second.
. "$top_srcdir/tests/tap.sh"
# The CO-RE object this build made, unless told otherwise.
: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed to compare JSON"

tmp=$(mktemp -d /tmp/tracee-analyze.XXXXXX) || exit 1
pid=
cleanup() {
	[ -n "$pid" ] && kill -INT "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

EVENTS=sched_process_fork,sched_process_exec,sched_process_exit,ptrace,security_file_open,security_socket_connect,mem_prot_alert,magic_write,process_vm_writev
# -e writes the events; a (empty) -s script keeps the built-in signatures on:
# findings and events share the stream (findings carry "metadata").
printf -- '-- no rules of its own\n' > "$tmp/empty.lua"
# Scoped to this script and its descendants: other tests running beside
# this one (make -j) would add findings that have nothing to do with it.
"$TRACEE" -e "$EVENTS" -s "$tmp/empty.lua" -o "json:$tmp/live.json" \
	--scope "pid=$$" --scope follow --pidfile "$tmp/pid" 2>"$tmp/live.err" &
pid=$!
i=0
while [ ! -s "$tmp/pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1; i=$((i + 1))
done
if [ ! -s "$tmp/pid" ]; then
	ok 1 "live run with signatures started"
	diag "$(cat "$tmp/live.err")"
	pid=
	done_testing
fi
ok 0 "live run with signatures started"

# Behaviours.  anti_debugging: strace's child calls PTRACE_TRACEME.
if command -v strace >/dev/null 2>&1; then
	strace -f -o /dev/null true
fi
# illegitimate_shell: a "web server" that runs a shell.
cp /bin/dash "$tmp/nginx" 2>/dev/null || cp /bin/sh "$tmp/nginx"
"$tmp/nginx" -c '/bin/sh -c "true"; true'
# fileless_execution: exec from a memfd.
python3 -c '
import os
fd = os.memfd_create("payload")
os.write(fd, open("/bin/true", "rb").read())
pid = os.fork()
if pid == 0:
    os.execv("/proc/self/fd/%d" % fd, ["payload"])
os.waitpid(pid, 0)'
# aslr_inspection and proc_mem_access: reads of those files.
cat /proc/sys/kernel/randomize_va_space >/dev/null
dd if=/proc/self/mem of=/dev/null bs=1 count=0 2>/dev/null
sleep 1
kill -INT "$pid"
wait "$pid"
is "$?" 0 "live run exits 0"
pid=

# Findings as "eventName pid triggeringEvent", sorted.
keys() {
	python3 -c '
import json, sys
out = set()
for line in open(sys.argv[1]):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    if "metadata" not in d:
        continue
    trig = ""
    for a in d.get("args", []):
        if a.get("name") == "triggeredBy" and isinstance(a.get("value"), dict):
            trig = a["value"].get("name", "")
    out.add("%s %s %s" % (d["eventName"], d["hostProcessId"], trig))
print("\n".join(sorted(out)))' "$1"
}

live=$(keys "$tmp/live.json")
diag "live findings:"
diag "$live"
nlive=$(printf '%s\n' "$live" | grep -c .)
[ "$nlive" -ge 2 ]
ok $? "the live run reported findings ($nlive)"
like "$live" '^anti_debugging [0-9]+ ptrace$' "live: anti_debugging from strace"
like "$live" '^illegitimate_shell [0-9]+ sched_process_exec$' "live: illegitimate_shell from the fake nginx"

# Replay as a normal user: no root, no BPF.
as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
chmod 755 "$tmp"; chmod 644 "$tmp/live.json"
USER_TRACEE=$TRACEE USER_LUA_DIR=$TRACEE_LUA_DIR
# A tree under /root is not readable by nobody: replay from a copy in $tmp.
if ! as_user test -x "$TRACEE" -a -r "$TRACEE_LUA_DIR/tracee.lua"; then
	cp "$TRACEE" "$tmp/tracee" && cp -R "$TRACEE_LUA_DIR" "$tmp/lua" && chmod -R a+rX "$tmp/tracee" "$tmp/lua"
	USER_TRACEE=$tmp/tracee USER_LUA_DIR=$tmp/lua
	diag "the tree is not readable by nobody: replaying with a copy in $tmp"
fi
as_user env TRACEE_LUA_DIR="$USER_LUA_DIR" "$USER_TRACEE" analyze -o json "$tmp/live.json" \
	>"$tmp/replay.json" 2>"$tmp/replay.err"
is "$?" 0 "tracee analyze exits 0 as nobody"
replay=$(keys "$tmp/replay.json")
is "$replay" "$live" "replayed findings equal the live run's"
[ "$(grep -c '"metadata"' "$tmp/replay.json")" -eq "$(grep -c '"metadata"' "$tmp/live.json")" ]
ok $? "same number of findings lines"

# stdin, and a malformed line reported with its number, exit 3.
{ head -n 3 "$tmp/live.json"; echo '{"eventName": oops}'; tail -n +4 "$tmp/live.json"; } |
	"$TRACEE" analyze -o json - >"$tmp/stdin.json" 2>"$tmp/stdin.err"
is "$?" 3 "malformed line: exit 3"
like "$(cat "$tmp/stdin.err")" '^<stdin>:4: ' "reported as <stdin>:4: message"
is "$(keys "$tmp/stdin.json")" "$live" "and the findings are still all there"

# Benchmark: the recorded events, repeated to at least 200000 lines.
n=$(wc -l <"$tmp/live.json")
: >"$tmp/big.json"
reps=$((200000 / (n > 0 ? n : 1) + 1))
i=0
while [ $i -lt $reps ]; do cat "$tmp/live.json"; i=$((i + 1)); done >"$tmp/big.json"
"$TRACEE" analyze --stats -o none "$tmp/big.json" 2>"$tmp/bench.err" >/dev/null
ok $? "benchmark replay"
diag "$(grep 'events replayed' "$tmp/bench.err")"
done_testing
