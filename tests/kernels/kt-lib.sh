# kt-lib.sh - shell functions shared by the cases inside the VM (cases.sh,
# busybox sh) and the host half of the event comparison (check-kernels.sh).
# Source it after setting:
#   KT_TRACEE   the tracee program
#   KT_TMP      a scratch directory
#   KT_OUT      prefix of every protocol line ("@@KT " in the VM)
# Protocol lines: "ok DESC", "not ok DESC", "# TEXT", "DATA TAG TEXT".

KT_ATTACH_S=${KT_ATTACH_S:-90}	# TCG is slow: loading can take a while
KT_EVENTS=execve,openat,sched_process_fork,sched_process_exec,sched_process_exit

kt_say() { printf '%s%s\n' "$KT_OUT" "$*"; }
kt_diag() { # kt_diag FILE [TITLE]: a file's lines as diagnostics
	[ -z "${2:-}" ] || kt_say "# $2"
	[ -s "$1" ] || { kt_say "#   (empty)"; return 0; }
	{ head -n 12 "$1"; echo ...; tail -n 40 "$1"; } | while IFS= read -r l; do kt_say "#   $l"; done
}
kt_ok() { # kt_ok STATUS DESC [ERRFILE]: a result; tracee's messages on failure
	if [ "$1" -eq 0 ]; then
		kt_say "ok $2"
	else
		kt_say "not ok $2"
		[ -z "${3:-}" ] || kt_diag "$3" "tracee said:"
	fi
}

# kt_start NAME ARGS...: start tracee in the background and wait until it
# has attached (its --pidfile appears) or ended.  0 when running (KT_PID);
# otherwise 1 with its exit status in KT_RC.  Messages go to $KT_TMP/NAME.err.
kt_start() {
	_n=$1
	shift
	rm -f "$KT_TMP/$_n.pid"
	"$KT_TRACEE" "$@" --pidfile "$KT_TMP/$_n.pid" >"$KT_TMP/$_n.out" 2>"$KT_TMP/$_n.err" &
	KT_PID=$!
	KT_RC=
	_i=0
	while [ "$_i" -lt $((KT_ATTACH_S * 5)) ]; do
		[ -s "$KT_TMP/$_n.pid" ] && return 0
		if ! kill -0 "$KT_PID" 2>/dev/null; then
			wait "$KT_PID"
			KT_RC=$?
			return 1
		fi
		sleep 0.2
		_i=$((_i + 1))
	done
	printf 'kt-lib: tracee did not attach within %ss\n' "$KT_ATTACH_S" >>"$KT_TMP/$_n.err"
	kill -KILL "$KT_PID" 2>/dev/null
	wait "$KT_PID"
	KT_RC=timeout
	return 1
}

# kt_stop: SIGINT, wait; KT_RC is the exit status.
kt_stop() {
	kill -INT "$KT_PID" 2>/dev/null
	wait "$KT_PID"
	KT_RC=$?
}

# kt_wait_for FILE TEXT [SECONDS]: until FILE holds TEXT (events are
# delivered asynchronously).
kt_wait_for() {
	_i=0
	while [ "$_i" -lt $((${3:-10} * 5)) ]; do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.2
		_i=$((_i + 1))
	done
	return 1
}

# kt_workload TAG WORKLOAD DIR TRACEE-ARGS...: run the fixed workload under
# tracee and print its event stream as "DATA TAG" lines: first a "#meta"
# line with the pids the comparison maps to roles (S the shell that
# started it, P the workload, W its directory), then the JSON events that
# name tk-workload.  0 when tracee and the workload both did their part.
kt_workload() {
	_tag=$1 _bin=$2 _dir=$3
	shift 3
	rm -rf "$_dir"
	# 0755 whatever the umask: its mode is an argument compared host vs guest
	mkdir -p "$_dir" && cp "$_bin" "$_dir/tk-workload" && chmod 0755 "$_dir/tk-workload" &&
		printf 'tracee kernel matrix input\n' >"$_dir/input" || return 1
	_json=$KT_TMP/$_tag.json
	rm -f "$_json"
	kt_start "$_tag" -v -e "$KT_EVENTS" -o "json:$_json" "$@" || {
		kt_say "# $_tag: tracee did not start (exit $KT_RC)"
		kt_diag "$KT_TMP/$_tag.err"
		return 1
	}
	"$_dir/tk-workload" stage1 "$_dir" &
	_p=$!
	wait "$_p"
	_wrc=$?
	# The last event of the workload is its own exit.
	kt_wait_for "$_json" '"sched_process_exit"' 10
	sleep 0.5
	kt_stop
	_trc=$KT_RC
	kt_say "DATA $_tag #meta S=$$ P=$_p W=$_dir"
	grep -F 'tk-workload' "$_json" 2>/dev/null | while IFS= read -r l; do
		kt_say "DATA $_tag $l"
	done
	if [ "$_wrc" != 0 ] || [ "$_trc" != 0 ]; then
		kt_say "# $_tag: workload exit $_wrc, tracee exit $_trc"
		kt_diag "$KT_TMP/$_tag.err"
		return 1
	fi
	return 0
}
