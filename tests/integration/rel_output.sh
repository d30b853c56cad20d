#!/bin/sh
# rel_output.sh - outputs that fail: full (ENOSPC), gone (EPIPE), stuck (a
# pipe nobody reads).  Each is reported once, never crashes tracee, never
# stalls the reader, and the exit summary accounts for every event:
# received = written + lost at output.

. "$top_srcdir/tests/integration/rel_lib.sh"

# Something to trace while tracee runs: N opens of a marker file.
opens() { # N
	rl_k=0
	while [ "$rl_k" -lt "$1" ]; do
		cat "$TAP_TMP/marker" 2>/dev/null
		rl_k=$((rl_k + 1))
	done
}
: >"$TAP_TMP/marker"

# ENOSPC.
start_tracee -e openat -o json:/dev/full
is "$READY" 1 "json:/dev/full: starts"
opens 200
sleep 0.5
stop_tracee
is "$RC" 0 "json:/dev/full: no crash, clean exit"
like "$ERR" "^tracee: output json:/dev/full: write failed: No space left on device \(free some space or write elsewhere\)" \
	"json:/dev/full: ENOSPC reported, with the fix"
is "$(printf '%s\n' "$ERR" | grep -c 'write failed')" 1 "json:/dev/full: reported once"
is "$(summary_field written)" 0 "json:/dev/full: the summary says nothing was written"
[ "$(summary_field output)" -ge 200 ]
ok $? "json:/dev/full: and counts the events lost at output ($(summary_field output))"
accounted "json:/dev/full"

# EPIPE: the reader of stdout goes away after 100 bytes.  With no other
# output, tracee stops by itself (`tracee -o json | head` returns), status
# 1 and a line saying why; no SIGINT is sent.
rl_n=$((rl_n + 1))
REL_ERR=$TAP_TMP/err.$rl_n
rm -f "$TAP_TMP/pid"
( "$TRACEE" --install-path "$INST" --pidfile "$TAP_TMP/pid" -e openat -o json 2>"$REL_ERR";
  echo $? >"$TAP_TMP/rc" ) | head -c 100 >"$TAP_TMP/head.out" &
pipeline=$!
i=0
while [ ! -s "$TAP_TMP/pid" ] && [ "$i" -lt $((REL_WAIT_S * 10)) ]; do sleep 0.1; i=$((i + 1)); done
opens 200
i=0
while [ ! -s "$TAP_TMP/rc" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$TAP_TMP/rc" ]
ok $? "EPIPE, the only output: tracee stops by itself within 10 s"
[ -s "$TAP_TMP/rc" ] || kill -INT "$(cat "$TAP_TMP/pid")" 2>/dev/null
wait "$pipeline"
ERR=$(cat "$REL_ERR")
is "$(cat "$TAP_TMP/rc")" 1 "EPIPE, the only output: no crash (SIGPIPE ignored), exit status 1"
is "$(wc -c <"$TAP_TMP/head.out")" 100 "EPIPE: the reader got its 100 bytes"
like "$ERR" "^tracee: output json: write failed: Broken pipe \(the reader of the output went away\)" \
	"EPIPE: reported, with the reason"
like "$ERR" "^tracee: every output is gone \(the reader of its pipe exited\): stopping" \
	"EPIPE: the stop is explained in one line"
[ "$(summary_field output)" -ge 1 ]
ok $? "EPIPE: the summary counts the events not written ($(summary_field output))"
accounted "EPIPE"

# EPIPE on stdout while a file output still takes events: tracee goes on.
rl_n=$((rl_n + 1))
REL_ERR=$TAP_TMP/err.$rl_n
rm -f "$TAP_TMP/pid" "$TAP_TMP/rc"
( "$TRACEE" --install-path "$INST" --pidfile "$TAP_TMP/pid" -e openat -o json \
	-o "json:$TAP_TMP/alive.json" 2>"$REL_ERR"; echo $? >"$TAP_TMP/rc" ) |
	head -c 100 >/dev/null &
pipeline=$!
i=0
while [ ! -s "$TAP_TMP/pid" ] && [ "$i" -lt $((REL_WAIT_S * 10)) ]; do sleep 0.1; i=$((i + 1)); done
opens 200
sleep 2
[ ! -s "$TAP_TMP/rc" ]
ok $? "EPIPE with a file output alive: tracee keeps running"
opens 200
sleep 1
kill -INT "$(cat "$TAP_TMP/pid")" 2>/dev/null
wait "$pipeline"
ERR=$(cat "$REL_ERR")
is "$(cat "$TAP_TMP/rc")" 0 "EPIPE with a file output alive: clean exit on SIGINT"
[ "$(grep -c '"eventName":"openat"' "$TAP_TMP/alive.json")" -ge 400 ]
ok $? "EPIPE with a file output alive: the file got the events of both rounds"

# Stuck: a FIFO whose reader never reads.  The reader loop must go on:
# --stats lines keep coming and keep counting while the output is stuck.
mkfifo -m 0600 "$TAP_TMP/fifo"
sleep 600 <"$TAP_TMP/fifo" &
holder=$!
exec 9>"$TAP_TMP/fifo"	# the FIFO has a reader once `sleep` opened it
start_tracee -e openat -o "json:$TAP_TMP/fifo" --stats
is "$READY" 1 "stuck FIFO: starts"
opens 3000	# far more than the 64 KiB pipe holds
sleep 2.5
r1=$(grep -c '^tracee: stats:' "$REL_ERR")
opens 3000
sleep 2.5
r2=$(grep -c '^tracee: stats:' "$REL_ERR")
t0=$(date +%s)
stop_tracee
t1=$(date +%s)
kill "$holder" 2>/dev/null
exec 9>&-
wait "$holder" 2>/dev/null
[ "$r2" -gt "$r1" ] && [ "$r1" -ge 2 ]
ok $? "stuck FIFO: the main loop keeps running (stats lines: $r1, then $r2)"
last=$(printf '%s\n' "$ERR" | grep '^tracee: stats: events received' | tail -n 1 | sed -n 's/.*received \([0-9]*\).*/\1/p')
[ "${last:-0}" -ge 6000 ]
ok $? "stuck FIFO: events keep being read while it is stuck ($last received)"
is "$RC" 0 "stuck FIFO: clean exit"
[ $((t1 - t0)) -le 10 ]
ok $? "stuck FIFO: exit does not hang on the stuck output ($((t1 - t0)) s)"
like "$ERR" "output json:.*fifo: the destination took nothing for [0-9]+ ms .*counted as lost" \
	"stuck FIFO: overflow reported, not silent"
[ "$(summary_field output)" -gt 0 ]
ok $? "stuck FIFO: the summary counts the events dropped ($(summary_field output))"
accounted "stuck FIFO"

done_testing
