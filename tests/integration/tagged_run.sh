# tagged_run.sh - sourced by integration tests that run tracee once per case:
# each run writes $D/TAG.json (events), $D/TAG.err (stderr) and $D/TAG.pid.
#
#   start TAG TRACEE-ARGS...   start tracee, wait until it is attached (its
#                              pidfile is written); 1 with its stderr as a
#                              diagnostic when it did not get there
#   stop                       SIGINT, then wait for it to finish; tracee's
#                              exit status
#
# Needs tests/tap.sh sourced, $TRACEE, and $D (a directory of the test's);
# installs an EXIT trap that stops a running tracee and removes $TAP_TMP
# (a test with more to undo sets its own afterwards).

TPID=
cleanup() {
	[ -n "$TPID" ] && kill -INT "$TPID" 2>/dev/null
	rm -rf "$TAP_TMP"
}
trap cleanup EXIT

start() { # start TAG TRACEE-ARGS...
	tag=$1
	shift
	rm -f "$D/$tag.json" "$D/$tag.pid"
	"$TRACEE" -o "json:$D/$tag.json" --pidfile "$D/$tag.pid" "$@" 2>"$D/$tag.err" &
	TPID=$!
	i=0
	while [ ! -s "$D/$tag.pid" ] && kill -0 "$TPID" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$D/$tag.pid" ] && return 0
	diag "$(cat "$D/$tag.err")"
	TPID=
	return 1
}

stop() { # its exit status is tracee's
	sleep 0.3	# the last events reach the ring buffer
	kill -INT "$TPID"
	wait "$TPID"
	set -- $?
	TPID=
	return "$1"
}
