#!/bin/sh
# rel_pidfile.sh - --pidfile is locked (flock) for the whole run, so:
#   - a pidfile left by a SIGKILLed tracee is taken over, said at -v; so is
#     one naming a live process that is not tracee (a reused pid);
#   - one held by a live tracee is refused: one line naming its pid, exit 1,
#     nothing loaded, the holder and its pidfile untouched;
#   - the pidfile is removed at exit, and a failed start leaves none;
#   - a symlink (of the file, or of a directory on the way planted in a
#     shared directory) or another user's file as pidfile is refused.

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) is missing"
command -v bpftool >/dev/null 2>&1 || skip_all "bpftool is missing"

chmod 0755 "$TAP_TMP"
mkdir -m 0755 "$TAP_TMP/run"
PF=$TAP_TMP/run/tracee.pid
bpf_tr_prog_ids >"$TAP_TMP/before"

# launch PIDFILE ARGS...: tracee in the background; LPID, and LREADY=1 once
# the pidfile names it (written once every probe is attached).
launch() {
	lp_f=$1
	shift
	rl_n=$((rl_n + 1))
	LERR=$TAP_TMP/lerr.$rl_n
	"$TRACEE" --install-path "$INST" --pidfile "$lp_f" -e openat -o none "$@" 2>"$LERR" &
	LPID=$!
	LREADY=0
	lp_i=0
	while [ "$lp_i" -lt $((REL_WAIT_S * 10)) ] && kill -0 "$LPID" 2>/dev/null; do
		if [ "$(cat "$lp_f" 2>/dev/null)" = "$LPID" ]; then
			LREADY=1
			break
		fi
		sleep 0.1
		lp_i=$((lp_i + 1))
	done
}

# refused DESCRIPTION REGEX PIDFILE: a start that must fail, in one line.
refused() {
	rf_d=$1 rf_re=$2
	"$TRACEE" --install-path "$INST" --pidfile "$3" -e openat -o none 2>"$TAP_TMP/err" >/dev/null
	RC=$?
	ERR=$(cat "$TAP_TMP/err")
	is "$RC" 1 "$rf_d: refused, exit 1"
	like "$ERR" "$rf_re" "$rf_d: the error says why"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "$rf_d: one line"
	diag "$ERR"
}

# A live tracee holds it: a second one is refused before loading anything.
launch "$PF"
is "$LREADY" 1 "the first tracee attached and wrote its pid"
A=$LPID
refused "a second tracee on the same pidfile" \
	"^tracee: --pidfile $PF is held by a running tracee, pid $A \\(stop it first" "$PF"
kill -0 "$A" 2>/dev/null
ok $? "the first tracee still runs"
is "$(cat "$PF")" "$A" "its pidfile still names it"

# SIGKILL: the pidfile stays (nothing can remove it), the lock goes.
kill -KILL "$A"
wait "$A"
is "$(cat "$PF" 2>/dev/null)" "$A" "after SIGKILL the pidfile stays behind, naming the dead tracee"
launch "$PF" -v
is "$LREADY" 1 "the next tracee starts anyway and writes its own pid"
kill -INT "$LPID"
wait "$LPID"
RC=$?
ERR=$(cat "$LERR")
is "$RC" 0 "it stops cleanly"
like "$ERR" "^tracee: --pidfile $PF: taking it over from pid $A, no longer running" \
	"-v says it took over the dead tracee's pidfile"
[ ! -e "$PF" ]
ok $? "the pidfile is removed at exit"

# A reused pid: the stale pidfile names a live process that is not tracee.
sleep 60 &
S=$!
echo "$S" >"$PF"
launch "$PF" -v
is "$LREADY" 1 "a pidfile naming a live non-tracee process is taken over"
kill -INT "$LPID"
wait "$LPID"
ERR=$(cat "$LERR")
like "$ERR" "^tracee: --pidfile $PF: taking it over from pid $S, now 'sleep' and not holding the lock" \
	"-v names what that pid is now"
kill -0 "$S" 2>/dev/null
ok $? "the process that got the pid is left alone"
kill "$S" 2>/dev/null
wait "$S" 2>/dev/null
[ ! -e "$PF" ]
ok $? "the pidfile is removed at exit"

# A start that fails after taking the pidfile leaves none behind.
TRACEE_BPF_FILE=$TAP_TMP/no-such-object.o "$TRACEE" --install-path "$INST" --pidfile "$PF" \
	-e openat -o none 2>"$TAP_TMP/err"
RC=$?
[ "$RC" -ne 0 ]
ok $? "a start with a missing object fails (exit $RC)"
[ ! -e "$PF" ]
ok $? "and leaves no pidfile"

# Unsafe pidfiles.
SHARED=$TAP_TMP/shared
mkdir -m 1777 "$SHARED"
echo precious >"$TAP_TMP/victim"
chmod 0644 "$TAP_TMP/victim"
ln -s "$TAP_TMP/victim" "$SHARED/link.pid"
refused "a symlinked pidfile" "^tracee: --pidfile $SHARED/link.pid is a symbolic link; refusing to follow it" \
	"$SHARED/link.pid"
setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "echo 1 >'$SHARED/theirs.pid'"
refused "a pidfile another user planted" \
	"^tracee: --pidfile $SHARED/theirs.pid belongs to uid 65534, not to us" "$SHARED/theirs.pid"
mkdir -m 0755 "$TAP_TMP/victimdir"
echo precious >"$TAP_TMP/victimdir/tracee.pid"
setpriv --reuid=65534 --regid=65534 --clear-groups ln -s "$TAP_TMP/victimdir" "$SHARED/dirlink"
refused "a pidfile below a planted directory symlink" \
	"^tracee: --pidfile $SHARED/dirlink/tracee.pid: $SHARED/dirlink is a symbolic link of uid 65534 in a directory others can write to; refusing to follow it" \
	"$SHARED/dirlink/tracee.pid"
is "$(cat "$TAP_TMP/victimdir/tracee.pid")" precious "the file behind it is untouched"
is "$(cat "$TAP_TMP/victim")" precious "the symlink's target is untouched"
is "$(cat "$SHARED/theirs.pid")" 1 "the other user's file is untouched"

is "$(tr_orphans "$TAP_TMP/before")" "" "nothing is left loaded"
done_testing
