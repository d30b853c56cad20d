#!/bin/sh
# scope.sh - scopes are enforced in the kernel, event filters in user space
# (root).
#
# Each case starts tracee with a --scope (or --trace, or -e filter), runs
# processes in and out of scope, and checks (1) the JSON holds events of
# the in-scope processes only, and (2) for kernel scopes, that the kernel
# side's own counter of dropped events ("filtered in kernel N" in the exit
# summary, TR_STAT_FILTERED) grew by at least the out-of-scope opens: the
# events were dropped before reaching user space, not after.  Event
# filters (-e openat.args.pathname=...) must leave that counter alone.

. "$top_srcdir/tests/tap.sh"

# the CO-RE object of this build tree, unless told otherwise
: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
ACT="$top_builddir/tests/integration/sec-actions"
[ -x "$ACT" ] || skip_all "sec-actions is not built ($ACT)"

tap_tmpdir
D=$(cd "$TAP_TMP" && pwd -P)

# Programs under distinct names: comm and executable tell them apart.
cp "$ACT" "$D/scope-in"
cp "$ACT" "$D/scope-out"
cp "$(command -v sh)" "$D/scope-parent"
: >"$D/target"

. "$top_srcdir/tests/integration/tagged_run.sh"

# opens N PROGRAM: N relative opens of $D/target by PROGRAM
opens() {
	_n=$1
	shift
	_i=0
	while [ $_i -lt "$_n" ]; do
		"$@" open "$D" target >/dev/null || return 1
		_i=$((_i + 1))
	done
}

filtered() { # the kernel's count of scope-dropped events, from the exit summary
	sed -n 's/.*filtered in kernel \([0-9]*\).*/\1/p' "$D/$1.err" | tail -n 1
}

count() { # count TAG EVENT COMM: events of that name from that comm opening "target"
	grep -F "\"processName\":\"$3\"" "$D/$1.json" | grep -F "\"eventName\":\"$2\"" |
		grep -cF '"value":"target"'
}

# 1. comm=: the out-of-scope program's opens are dropped in the kernel.
if start comm -e openat,security_file_open --scope comm=scope-in; then
	opens 3 "$D/scope-in"
	opens 20 "$D/scope-out"
	stop
	is "$(count comm openat scope-in)" 3 "comm=: the in-scope program's openat events"
	is "$(count comm security_file_open scope-in)" 3 "comm=: and its security_file_open events"
	is "$(count comm openat scope-out)" 0 "comm=: none from the other program"
	f=$(filtered comm)
	[ "${f:-0}" -ge 20 ]
	ok $? "comm=: the kernel counted the dropped events (filtered in kernel ${f:-?} >= 20)"
else
	ok 1 "tracee starts with --scope comm=scope-in"
fi

# 2. comm!= and uid=: another uid through setpriv.
if command -v setpriv >/dev/null 2>&1; then
	chmod 0755 "$D"
	chmod 0644 "$D/target"
	if start uid -e openat --scope uid=4242 --scope comm!=scope-out; then
		opens 2 setpriv --reuid 4242 --regid 4242 --clear-groups "$D/scope-in"
		opens 2 setpriv --reuid 4242 --regid 4242 --clear-groups "$D/scope-out"
		opens 5 "$D/scope-in"
		stop
		n=$(grep -F '"processName":"scope-in"' "$D/uid.json" | grep -F '"eventName":"openat"' |
			grep -F '"value":"target"' | grep -cF '"userId":4242')
		is "$n" 2 "uid=4242: openat events of uid 4242"
		is "$(count uid openat scope-out)" 0 "comm!=scope-out: excluded even with uid 4242"
		n=$(grep -F '"eventName":"openat"' "$D/uid.json" | grep -vcF '"userId":4242')
		is "$n" 0 "uid=4242: no event of any other uid"
	else
		ok 1 "tracee starts with --scope uid=4242 --scope comm!=scope-out"
	fi
else
	skip "setpriv(1) is missing: uid scope"
fi

# 3. pid=: a process known before tracee starts.
"$D/scope-parent" -c "while [ ! -e '$D/go' ]; do sleep 0.05; done; exec '$D/scope-in' open '$D' target" \
	>/dev/null &
PPID_IN=$!
if start pid -e openat --scope "pid=$PPID_IN"; then
	: >"$D/go"
	wait "$PPID_IN"
	opens 3 "$D/scope-in"
	stop
	n=$(grep -cF "\"hostProcessId\":$PPID_IN," "$D/pid.json")
	[ "$n" -ge 1 ]
	ok $? "pid=$PPID_IN: its events ($n)"
	n=$(grep -vcF "\"hostProcessId\":$PPID_IN," "$D/pid.json")
	is "$n" 0 "pid=: no event of another process"
else
	ok 1 "tracee starts with --scope pid=N"
fi
rm -f "$D/go"

# 4. follow: children of an in-scope process, not other processes.
if start follow -e openat --scope comm=scope-parent --scope follow; then
	"$D/scope-parent" -c "'$D/scope-out' open '$D' target; '$D/scope-out' open '$D' target" >/dev/null
	opens 4 "$D/scope-out"
	stop
	is "$(count follow openat scope-out)" 2 "follow: the in-scope shell's children are traced"
	f=$(filtered follow)
	[ "${f:-0}" -ge 4 ]
	ok $? "follow: other processes dropped in the kernel (${f:-?})"
else
	ok 1 "tracee starts with --scope follow"
fi

# 5. executable=: by the file, not the name.
if start exe -e openat --scope "executable=$D/scope-in"; then
	opens 2 "$D/scope-in"
	opens 2 "$D/scope-out"
	stop
	is "$(count exe openat scope-in)" 2 "executable=: the program's events"
	is "$(count exe openat scope-out)" 0 "executable=: not another copy of it"
else
	ok 1 "tracee starts with --scope executable="
fi

# 6. container / not-container: a private pid namespace is a container.
if command -v unshare >/dev/null 2>&1; then
	if start cont -e openat --scope container; then
		unshare --pid --fork "$D/scope-in" open "$D" target >/dev/null
		opens 3 "$D/scope-out"
		stop
		is "$(count cont openat scope-in)" 1 "container: the process in its own pid namespace"
		is "$(count cont openat scope-out)" 0 "container: not host processes"
	else
		ok 1 "tracee starts with --scope container"
	fi
	if start notcont -e openat --scope not-container --scope comm=scope-in; then
		unshare --pid --fork "$D/scope-in" open "$D" target >/dev/null
		opens 2 "$D/scope-in"
		stop
		is "$(count notcont openat scope-in)" 2 "not-container: host processes only"
	else
		ok 1 "tracee starts with --scope not-container"
	fi
else
	skip "unshare(1) is missing: container scopes"
fi

# 7. pid=new: only processes started after tracee.
"$D/scope-parent" -c "while [ ! -e '$D/go' ]; do sleep 0.05; done; exec '$D/scope-in' open '$D' target" \
	>/dev/null &
OLD=$!
if start new -e openat --scope pid=new --scope comm=scope-in; then
	: >"$D/go"
	wait "$OLD"
	opens 2 "$D/scope-in"
	stop
	is "$(grep -cF "\"hostProcessId\":$OLD," "$D/new.json")" 0 "pid=new: not a process older than tracee"
	is "$(count new openat scope-in)" 2 "pid=new: new processes"
else
	ok 1 "tracee starts with --scope pid=new"
fi
rm -f "$D/go"

# 8. Event filters run in user space: argument and return value.
: >"$D/other"
if start args -e openat -e 'openat.args.pathname=*targ*' -e openat.scope.comm=scope-in; then
	opens 2 "$D/scope-in"
	"$D/scope-in" open "$D" other >/dev/null
	stop
	n=$(grep -F '"eventName":"openat"' "$D/args.json" | grep -cF '"value":"target"')
	is "$n" 2 "openat.args.pathname=*targ*: matching opens"
	is "$(grep -c . "$D/args.json")" 2 "event filters: nothing else written"
	is "$(filtered args)" 0 "event filters: not counted as kernel drops"
else
	ok 1 "tracee starts with -e openat.args.pathname=*targ*"
fi
if start ret -e openat -e 'openat.retval<0' -e openat.scope.comm=scope-in; then
	"$D/scope-in" open "$D" target >/dev/null
	"$D/scope-in" open "$D" missing-file >/dev/null 2>&1
	stop
	n=$(grep -c '"returnValue":-2,' "$D/ret.json")
	is "$n" 1 "openat.retval<0: the failed open only"
	is "$(grep -c . "$D/ret.json")" 1 "openat.retval<0: nothing else"
else
	ok 1 "tracee starts with -e openat.retval<0"
fi

# 9. The legacy grammar maps onto the same filters.
if start legacy --trace event=openat --trace comm=scope-in --trace 'openat.pathname=target'; then
	opens 2 "$D/scope-in"
	opens 2 "$D/scope-out"
	stop
	is "$(count legacy openat scope-in)" 2 "--trace event=openat comm=scope-in openat.pathname=target"
	is "$(count legacy openat scope-out)" 0 "--trace comm=: others dropped"
else
	ok 1 "tracee starts with --trace"
fi

# 10. Bad expressions: rejected before anything is attached, quoted.
for e in 'pid=abc' 'uid>x' 'comm>a' 'nosuch=1' 'openat.args.nosuch=1' 'executable=/no/such/file'; do
	out=$("$TRACEE" --scope "$e" -e openat -o none 2>&1)
	rc=$?
	case "$out" in
	*"$e"* | *"${e#*=}"*) q=0 ;;
	*) q=1 ;;
	esac
	[ $rc = 1 ] && [ $q = 0 ] && ! printf '%s' "$out" | grep -q "attached"
	ok $? "--scope '$e' is rejected before loading, quoting it"
	[ $rc = 1 ] && [ $q = 0 ] || diag "exit $rc: $out"
done

done_testing
