#!/bin/sh
# rel_drain.sh - a stop request is served under sustained load.  Several
# processes open a file in tight loops for the whole test, so the ring
# buffer never runs empty; tracee must still see SIGINT, flush, print its
# summary and exit 0 within seconds (each drain of the ring is bounded, and
# the last drain takes only what was there at the stop).  Before, it never
# did.  The last drain delivers a full ring (16 MiB, ~100k records through
# the slow script below, about 1 s here), hence 3 s.
# REL_DRAIN_MS moves the bound (memcheck.sh: valgrind runs tracee tens of
# times slower; there the point is a clean stop, not its speed).
# Both the ring buffer and the perf buffer path.  A script that spends
# some microseconds on every event keeps the reader slower than the loaders
# on any machine.

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing"

NR_LOADERS=${REL_DRAIN_LOADERS:-4}
LIMIT_MS=${REL_DRAIN_MS:-3000}
: >"$TAP_TMP/marker"
cat >"$TAP_TMP/slow.lua" <<'LUA'
tracee.on("openat", function(e)
	local x = 0
	for i = 1, 300 do x = x + i end
end)
LUA
loaders=
start_load() {
	i=0
	loaders=
	while [ "$i" -lt "$NR_LOADERS" ]; do
		python3 -c '
import os, sys
p = sys.argv[1]
while True:
    os.close(os.open(p, os.O_RDONLY))' "$TAP_TMP/marker" &
		loaders="$loaders $!"
		i=$((i + 1))
	done
}
stop_load() {
	# shellcheck disable=SC2086
	kill $loaders 2>/dev/null
	# shellcheck disable=SC2086
	wait $loaders 2>/dev/null
}
trap 'stop_load' EXIT

one() { # NAME ARGS...
	name=$1
	shift
	start_tracee -e openat -o json:/dev/null -s "$TAP_TMP/slow.lua" "$@"
	is "$READY" 1 "$name: tracee attached"
	start_load
	sleep 3
	t0=$(date +%s%N)
	kill -INT "$TPID" 2>/dev/null
	# Give it the bound and some, then make sure the test itself ends.
	n=0
	while kill -0 "$TPID" 2>/dev/null && [ "$n" -lt $((LIMIT_MS / 100 + 30)) ]; do
		sleep 0.1
		n=$((n + 1))
	done
	t1=$(date +%s%N)
	kill -0 "$TPID" 2>/dev/null && kill -KILL "$TPID"
	wait "$TPID"
	RC=$?
	ERR=$(cat "$REL_ERR")
	stop_load
	ms=$(((t1 - t0) / 1000000))
	diag "$name: exit $ms ms after SIGINT under load"
	[ "$ms" -le "$LIMIT_MS" ]
	ok $? "$name: exits within $LIMIT_MS ms of SIGINT while the load goes on ($ms ms)"
	is "$RC" 0 "$name: clean exit"
	like "$ERR" "^tracee: events received [1-9]" "$name: the exit summary is printed"
	accounted "$name"
}

one "ring buffer"
one "perf buffer" --perf-buffer
done_testing
