#!/bin/sh
# soak.sh - minutes of mixed load (`make soak`; root, real eBPF; not in
# `make check`).  tracee runs the built-in signatures plus plain events to a
# JSON file, with --stats, while a workload mixes opens, execs, forks,
# short-lived processes, network connects and exits.  Checked every
# SOAK_SAMPLE_S seconds: RSS and open fds.  At the end:
#   - RSS and fd count flat: the last third of the samples grows no more
#     than SOAK_RSS_SLACK_KB over the first third (after warm-up), fds equal;
#   - every event accounted for: received + findings = written + lost at
#     output + filtered in user space + dropped by scripts, from the exit
#     summary, and the file's line count (written = lines of events +
#     findings).
# SOAK_S (default 300) sets the duration.

. "$top_srcdir/tests/tap.sh"
TRACEE_PKGLIBDIR=${TRACEE_PKGLIBDIR:-$top_builddir/dist}
export TRACEE_PKGLIBDIR
need_bpf
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing"
tap_tmpdir
SOAK_S=${SOAK_S:-300}
SOAK_SAMPLE_S=${SOAK_SAMPLE_S:-5}
SOAK_RSS_SLACK_KB=${SOAK_RSS_SLACK_KB:-8192}

"$TRACEE" --install-path "$TAP_TMP/inst" -e openat,execve,sched_process_exec,sched_process_exit,connect \
	-s "$top_srcdir/tests/reliability/soak_policy.lua" \
	-o "json:$TAP_TMP/out.json" --stats --pidfile "$TAP_TMP/pid" 2>"$TAP_TMP/err" &
TPID=$!
i=0
while [ ! -s "$TAP_TMP/pid" ] && [ "$i" -lt 300 ] && kill -0 "$TPID" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$TAP_TMP/pid" ] || { cat "$TAP_TMP/err"; skip_all "tracee did not start"; }

# The workload: four loops until the deadline.
end=$(($(date +%s) + SOAK_S))
load_open() { while [ "$(date +%s)" -lt "$end" ]; do
	python3 -c '
import os
for _ in range(20000):
    os.close(os.open("/etc/hostname", os.O_RDONLY))'; done; }
load_exec() { while [ "$(date +%s)" -lt "$end" ]; do
	for _ in 1 2 3 4 5 6 7 8 9 10; do /bin/true; sh -c 'exec /bin/echo x >/dev/null'; done; done; }
load_net() { while [ "$(date +%s)" -lt "$end" ]; do
	python3 -c '
import socket
for _ in range(200):
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", 9))
    except OSError:
        pass
    s.close()'; done; }
load_fork() { while [ "$(date +%s)" -lt "$end" ]; do
	( : ) & ( : ) & ( : ) & wait; done; }
load_open & l1=$!
load_exec & l2=$!
load_net & l3=$!
load_fork & l4=$!

: >"$TAP_TMP/samples"
while [ "$(date +%s)" -lt "$end" ] && kill -0 "$TPID" 2>/dev/null; do
	sleep "$SOAK_SAMPLE_S"
	rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/"$TPID"/status 2>/dev/null)
	fds=$(ls /proc/"$TPID"/fd 2>/dev/null | wc -l)
	echo "$rss $fds" >>"$TAP_TMP/samples"
done
wait "$l1" "$l2" "$l3" "$l4" 2>/dev/null
alive=1
kill -0 "$TPID" 2>/dev/null || alive=0
kill -INT "$TPID"
wait "$TPID"
rc=$?
ERR=$(cat "$TAP_TMP/err")
is "$alive" 1 "tracee ran the whole $SOAK_S s"
is "$rc" 0 "and stopped cleanly"
diag "samples (RSS kB, fds): $(tr '\n' ';' <"$TAP_TMP/samples")"

python3 - "$TAP_TMP/samples" "$SOAK_RSS_SLACK_KB" >"$TAP_TMP/flat" <<'PY'
import sys
s = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
slack = int(sys.argv[2])
if len(s) < 6:
    print("few 0 0 0 0"); sys.exit()
k = len(s) // 3
first, last = s[1:k + 1], s[-k:]          # the first sample is warm-up
rss0, rss1 = max(r for r, _ in first), max(r for r, _ in last)
fd0, fd1 = max(f for _, f in first), max(f for _, f in last)
print("ok" if rss1 <= rss0 + slack else "grow", rss0, rss1, fd0, fd1)
PY
set -- $(cat "$TAP_TMP/flat")
[ "$1" = ok ]
ok $? "RSS is flat: ${3} kB at the end vs ${2} kB early (slack $SOAK_RSS_SLACK_KB kB)"
[ "$1" != few ] && [ "$5" -le "$4" ]
ok $? "open fds are flat: $5 at the end vs $4 early"

summary=$(printf '%s\n' "$ERR" | grep '^tracee: events received' | tail -n 1)
diag "$summary"
diag "$(printf '%s\n' "$ERR" | grep '^lua:' | tail -n 1)"
field() {
	printf '%s\n' "$summary" | awk -v k="$1" '{ n = split($0, a, /[,()] */)
		for (i = 1; i <= n; i++)
			if (match(a[i], "(^| )" k " [0-9]+$")) { sub(/.* /, "", a[i]); print a[i]; exit } }'
}
written=$(field written)
outlost=$(field output)
lines=$(wc -l <"$TAP_TMP/out.json")
is "$written" "$lines" "every event counted as written is in the file ($lines lines)"
is "$outlost" 0 "nothing lost at output (a file on a local disk)"
received=$(field received)
# Findings are written as events are: the soak policy's and any built-in
# signature's the workload (or the machine) sets off.
findings=$(field findings)
# Events the kernel sent that only the process tree or the scripts wanted.
user=$(field space)
dropped=$(field scripts)
made=$(field made)	# container lifecycle and capture_* events: tracee's own
diag "received $received, made $made, written $written ($findings findings), lost at output $outlost, filtered in user space $user, dropped by scripts $dropped"
[ -n "$findings" ] && [ -n "$user" ] && [ -n "$dropped" ] && [ -n "$made" ] &&
	[ $((received + made + findings)) -eq $((written + outlost + user + dropped)) ]
ok $? "every event received is accounted for: received + made + findings = written + lost at output + filtered in user space + dropped by scripts"
kernel=$(field kernel)
diag "lost in the kernel: $kernel (counted, not silent)"
done_testing
