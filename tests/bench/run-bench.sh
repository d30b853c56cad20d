#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-bench.sh - what tracee costs a syscall-heavy job, side by side with
# the tracers people would use instead, measured in one run (`make bench`).
#
#   run-bench.sh [-r RUNS] [-c CASES] [-n] [-s]
#	-r RUNS   runs per tracer, interleaved; medians are reported (default 5)
#	-c CASES  comma-separated subset of: open,exec,connect (default all)
#	-n        do not install the peer tracers (rows for missing ones say so)
#	-s        also run ../shared/bench/overhead (open case) as a cross-check,
#	          when that directory exists next to the source tree
#
# Environment: TRACEE (the binary, default ./src/tracee), TRACEE_PKGLIBDIR
# (where its eBPF object is, passed through), CC, BENCH_STRICT=1 (exit 1
# when a target is missed), BENCH_OPEN_N, BENCH_EXEC_N, BENCH_CONNECT_N,
# BENCH_SCRIPT (a Lua script the default row loads with -s next to the
# signatures, e.g. tests/bench/paths128.lua: a policy of 128 path globs).
#
# Every tracer runs system-wide and writes what it sees to a file.  The
# workload (tests/bench/workload.c) runs RUNS times under each tracer, the
# tracers interleaved with untraced runs, and each row reports
#	wall ns/op	median wall time per operation, and its ratio to the
#			untraced run of the same case
#	cpu ns/op	median CPU time (user + system) the workload itself
#			spent per operation, eBPF programs on its syscalls
#			included; steadier than wall time on a busy machine
#	seen		events of the workload found in the output / expected
#	lost		tracee's exit summary: lost events (kernel + buffer + output)
#	tracer cpu	CPU seconds the tracer process used around one run
#	max RSS		VmHWM of the tracer process
#
# Peers come from Debian's packages (bpftrace, libbpf-tools), installed with
# apt-get when missing.  They attach syscall tracepoints, which need tracefs:
# when it is not mounted, each peer runs in a private mount namespace with
# its own tracefs mount, so the machine's mounts are left as found.
set -u
export LC_ALL=C

RUNS=5
CASES=open,exec,connect
INSTALL=1
SHARED=0
while getopts r:c:nsh o; do
	case $o in
	r) RUNS=$OPTARG ;;
	c) CASES=$OPTARG ;;
	n) INSTALL=0 ;;
	s) SHARED=1 ;;
	*) sed -n '6,16p' "$0"; exit 2 ;;
	esac
done

HERE=$(cd "$(dirname "$0")" && pwd)
TRACEE=${TRACEE:-./src/tracee}
OPEN_N=${BENCH_OPEN_N:-200000}
EXEC_N=${BENCH_EXEC_N:-2000}
CONNECT_N=${BENCH_CONNECT_N:-20000}

die() {
	echo "run-bench: $*" >&2
	exit 2
}

[ "$(id -u)" = 0 ] || die "needs root to load eBPF programs (run: sudo make bench)"
case $RUNS in '' | *[!0-9]* | 0) die "-r wants a positive number of runs, not '$RUNS'" ;; esac
[ -x "$TRACEE" ] || die "$TRACEE is not built (run make first, or set TRACEE=/path/to/tracee)"
TRACEE=$(cd "$(dirname "$TRACEE")" && pwd)/$(basename "$TRACEE")
# A build tree's tracee finds its object in the tree's dist/ (make bench sets it).
if [ -z "${TRACEE_PKGLIBDIR:-}" ] && [ -z "${TRACEE_BPF_FILE:-}" ] &&
   [ -f "$(dirname "$TRACEE")/../dist/tracee.bpf.core.o" ]; then
	TRACEE_PKGLIBDIR=$(cd "$(dirname "$TRACEE")/../dist" && pwd)
	export TRACEE_PKGLIBDIR
fi

TMP=$(mktemp -d /tmp/tracee-bench.XXXXXX) || die "cannot create a directory in /tmp"
TPID=""
cleanup() {
	if [ -n "$TPID" ] && kill -0 "$TPID" 2>/dev/null; then
		kill -KILL "$TPID" 2>/dev/null
		wait "$TPID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ peers

# Debian package -> the programs of it used here.
install_peers() {
	local missing=() pkg
	for pkg in bpftrace libbpf-tools; do
		dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed' ||
			missing+=("$pkg")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	if [ "$INSTALL" = 0 ]; then
		echo "run-bench: not installing ${missing[*]} (-n): their rows are skipped" >&2
		return 0
	fi
	echo "run-bench: installing ${missing[*]} from the distribution's packages" >&2
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" \
		>"$TMP/apt.log" 2>&1; then
		echo "run-bench: apt-get install ${missing[*]} failed (see below); their rows are skipped" >&2
		tail -n 5 "$TMP/apt.log" >&2
	fi
}

# Run "$@" so that syscall tracepoints can be attached: tracefs mounted in
# a private mount namespace when the machine has none mounted.
TRACEFS_WRAP=()
if ! grep -qs ' /sys/kernel/tracing tracefs ' /proc/mounts &&
   ! grep -qs ' /sys/kernel/debug/tracing tracefs ' /proc/mounts; then
	TRACEFS_WRAP=(unshare -m --propagation private sh -c
		'mount -t tracefs nodev /sys/kernel/tracing && exec "$@"' sh)
fi

# ------------------------------------------------------------- workload

CC=${CC:-cc}
$CC -O2 -o "$TMP/workload" "$HERE/workload.c" || die "cannot build $HERE/workload.c with $CC"
echo "tracee-bench marker" >"$TMP/open-marker"
cp /bin/true "$TMP/exec-marker" || die "cannot copy /bin/true"

# workload MODE: prints "wall_ns cpu_ns" per op
workload() {
	case $1 in
	open) "$TMP/workload" open "$OPEN_N" "$TMP/open-marker" ;;
	exec) "$TMP/workload" exec "$EXEC_N" "$TMP/exec-marker" ;;
	connect) "$TMP/workload" connect "$CONNECT_N" ;;
	esac | awk 'NF == 4 { print $3, $4 }'
}

n_of() {
	case $1 in open) echo "$OPEN_N" ;; exec) echo "$EXEC_N" ;; connect) echo "$CONNECT_N" ;; esac
}

# ------------------------------------------------------------- tracers

# What tracee runs when given no -e: its signature set.  Without it (no
# Lua directory) that row would measure something else: stop instead.
NR_SYSCALLS=$("$TRACEE" --list 2>/dev/null | grep -v '^ ' | grep -cw syscalls)
if ! "$TRACEE" --list-signatures >"$TMP/sigs" 2>"$TMP/sigs.err" || [ ! -s "$TMP/sigs" ]; then
	echo "run-bench: tracee --list-signatures failed: $(head -n 1 "$TMP/sigs.err") (set TRACEE_LUA_DIR to the lua/ directory, or run make bench)" >&2
	exit 1
fi
DEFAULT_NOTE="tracee with no -e: the $(awk '$4 == "on"' "$TMP/sigs" | wc -l) signatures --list-signatures shows on"
SCRIPT_ARGS=()
if [ -n "${BENCH_SCRIPT:-}" ]; then
	[ -r "$BENCH_SCRIPT" ] || die "BENCH_SCRIPT=$BENCH_SCRIPT cannot be read (give a Lua script's path)"
	SCRIPT_ARGS=(-s "$BENCH_SCRIPT")
	DEFAULT_NOTE="$DEFAULT_NOTE, and -s $BENCH_SCRIPT"
fi

# tracer_label MODE TRACER: the command a row stands for
tracer_label() {
	case $2 in
	none) echo "no tracer" ;;
	tracee) echo "tracee -e $(mode_syscall "$1") -o json:FILE" ;;
	tracee-default) echo "tracee (no -e) -o json:FILE" ;;
	tracee-all) echo "tracee -e syscalls -o json:FILE ($NR_SYSCALLS syscalls)" ;;
	bpftrace) echo "bpftrace: printf on sys_enter_$(mode_syscall "$1")" ;;
	snoop) echo "$(snoop_of "$1")" ;;
	esac
}

mode_syscall() {
	case $1 in open) echo openat ;; exec) echo execve ;; connect) echo connect ;; esac
}

snoop_of() {
	case $1 in open) echo opensnoop ;; exec) echo execsnoop ;; connect) echo tcpconnect ;; esac
}

# tracer_available MODE TRACER: empty, or why the row is skipped
tracer_available() {
	case $2 in
	bpftrace) command -v bpftrace >/dev/null || echo "bpftrace not installed" ;;
	snoop) [ -x "/usr/sbin/$(snoop_of "$1")" ] || echo "libbpf-tools not installed" ;;
	esac
}

# wait_for FILE PATTERN SECONDS PID: until FILE holds PATTERN, PID dies or time is up
wait_for() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		grep -qs -- "$2" "$1" && return 0
		kill -0 "$4" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# start_tracer MODE TRACER OUT: sets TPID, returns 1 (with OUT.err) when it did not start
start_tracer() {
	local mode=$1 sys
	sys=$(mode_syscall "$mode")
	TPID=""
	rm -f "$3" "$3.err" "$3.pid"
	case $2 in
	none) return 0 ;;
	tracee | tracee-default | tracee-all)
		local ev=(-e "$sys")
		[ "$2" = tracee-default ] && ev=("${SCRIPT_ARGS[@]}")
		[ "$2" = tracee-all ] && ev=(-e syscalls)
		"$TRACEE" "${ev[@]}" -o "json:$3" --pidfile "$3.pid" >/dev/null 2>"$3.err" &
		TPID=$!
		wait_for "$3.pid" . 30 "$TPID" || return 1
		;;
	bpftrace)
		local prog
		case $mode in
		connect) prog="tracepoint:syscalls:sys_enter_connect { printf(\"%d %s\\n\", pid, comm); }" ;;
		*) prog="tracepoint:syscalls:sys_enter_$sys { printf(\"%d %s %s\\n\", pid, comm, str(args->filename)); }" ;;
		esac
		"${TRACEFS_WRAP[@]}" bpftrace -o "$3" -e "$prog" >"$3.err" 2>&1 &
		TPID=$!
		wait_for "$3" "^Attaching" 60 "$TPID" || return 1
		;;
	snoop)
		"${TRACEFS_WRAP[@]}" stdbuf -oL "/usr/sbin/$(snoop_of "$mode")" >"$3" 2>"$3.err" &
		TPID=$!
		wait_for "$3" "PID" 60 "$TPID" || return 1
		;;
	esac
	sleep 0.5	# let the first events of the start drain
	kill -0 "$TPID" 2>/dev/null
}

cpu_of() { # utime + stime of a process and its reaped children, in seconds
	awk '{ printf "%.2f\n", ($14 + $15 + $16 + $17) / 100 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

hwm_of() { # VmHWM in KiB
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

stop_tracer() {
	local i
	[ -n "$TPID" ] || return 0
	kill -INT "$TPID" 2>/dev/null
	for ((i = 0; i < 200; i++)); do
		kill -0 "$TPID" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$TPID" 2>/dev/null; then
		echo "run-bench: tracer $TPID did not stop within 10 s of SIGINT: killed" >&2
		kill -KILL "$TPID" 2>/dev/null
	fi
	wait "$TPID" 2>/dev/null
	TPID=""
}

# count_seen MODE TRACER OUT: events of the workload in the output
count_seen() {
	local mode=$1 sys
	sys=$(mode_syscall "$mode")
	case $2 in
	tracee*)
		case $mode in
		open) grep -F "\"eventName\":\"$sys\"" "$3" | grep -cF "$TMP/open-marker" ;;
		exec) grep -F "\"eventName\":\"$sys\"" "$3" | grep -cF "\"value\":\"$TMP/exec-marker\"" ;;
		connect) grep -F "\"eventName\":\"$sys\"" "$3" | grep -cF '"processName":"bench-workload"' ;;
		esac ;;
	bpftrace)
		case $mode in
		open) grep -cF "$TMP/open-marker" "$3" ;;
		exec) grep -c " $TMP/exec-marker\$" "$3" ;;
		connect) grep -c ' bench-workload$' "$3" ;;
		esac ;;
	snoop)
		case $mode in
		open) grep -cF "$TMP/open-marker" "$3" ;;
		exec) awk -v m="$TMP/exec-marker" 'NF == 5 && $5 == m { n++ } END { print n + 0 }' "$3" ;;
		connect) grep -c 'bench-workload' "$3" ;;
		esac ;;
	esac
}

# all events tracee saw from the workload (any syscall), for events/s
count_workload_events() {
	grep -cF '"processName":"bench-workload"' "$1"
}

# tracee's exit summary: "events received N, written N, lost N (...)"
summary_field() { # OUT.err FIELD
	sed -n "s/.*events received [0-9]*, written [0-9]*, lost \([0-9]*\) .*/\1/p" "$1" | tail -n 1
}
summary_received() {
	sed -n 's/.*events received \([0-9]*\),.*/\1/p' "$1" | tail -n 1
}

median() {
	tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'
}
maxof() {
	tr ' ' '\n' | grep -v '^$' | sort -g | tail -n 1
}

# Other tracers attached while we measure make every ratio wrong (their
# programs run on the workload's syscalls too, untraced runs included):
# count the tracing eBPF programs loaded at each run that are not ours.
FOREIGN_MAX=0
count_foreign() {
	command -v bpftool >/dev/null || return 0
	local n i
	# a tracer that just exited may take a moment to release its programs
	for ((i = 0; i < 10; i++)); do
		n=$(bpftool prog show 2>/dev/null |
			grep -cE '^[0-9]+: (raw_tracepoint|tracepoint|tracing|kprobe|perf_event) ')
		[ "$n" -gt 0 ] || return 0
		sleep 0.1
	done
	[ "$n" -gt "$FOREIGN_MAX" ] && FOREIGN_MAX=$n
	return 0
}

# ------------------------------------------------------------------ run

declare -A WALL CPU SEEN LOST TCPU HWM RATE SKIP RECV
ROWS=()

run_case() { # MODE TRACER...
	local mode=$1 t r out w c c0 c1 hwm res seen
	shift
	for t in "$@"; do
		ROWS+=("$mode:$t")
		[ "$t" = none ] || SKIP[$mode:$t]=$(tracer_available "$mode" "$t")
	done
	for ((r = 1; r <= RUNS; r++)); do
		for t in "$@"; do
			[ -z "${SKIP[$mode:$t]:-}" ] || continue
			out="$TMP/$mode.$t.$r.out"
			count_foreign
			if ! start_tracer "$mode" "$t" "$out"; then
				SKIP[$mode:$t]="did not start: $(grep -v '^$' "$out.err" 2>/dev/null | tail -n 1)"
				[ "$t:$mode" = snoop:connect ] &&
					SKIP[$mode:$t]+=" (tcpconnect attaches kprobes, which this kernel may lack)"
				stop_tracer
				continue
			fi
			c0=0
			[ -n "$TPID" ] && c0=$(cpu_of "$TPID")
			res=$(workload "$mode")
			[ -n "$res" ] || die "the $mode workload failed"
			w=${res% *}
			c=${res#* }
			hwm=0
			if [ -n "$TPID" ]; then
				sleep 1	# let the tracer drain what it has
				c1=$(cpu_of "$TPID")
				hwm=$(hwm_of "$TPID")
			fi
			stop_tracer
			WALL[$mode:$t]+="$w "
			CPU[$mode:$t]+="$c "
			[ "$t" = none ] && continue
			seen=$(count_seen "$mode" "$t" "$out")
			SEEN[$mode:$t]+="$seen "
			TCPU[$mode:$t]+="$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }') "
			HWM[$mode:$t]+="$hwm "
			case $t in
			tracee*)
				LOST[$mode:$t]+="$(summary_field "$out.err") "
				RECV[$mode:$t]+="$(summary_received "$out.err") "
				# events/s of the workload's own syscalls while it ran
				RATE[$mode:$t]+="$(awk -v e="$(count_workload_events "$out")" \
					-v n="$(n_of "$mode")" -v w="$w" 'BEGIN { printf "%.0f", e / (n * w / 1e9) }') "
				;;
			esac
			rm -f "$out"
		done
	done
}

install_peers
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "run-bench: $RUNS runs per tracer; tracee $("$TRACEE" --version 2>/dev/null | awk '{ print $2 }'), kernel $(uname -r), $(nproc) CPUs" >&2
IFS=, read -r -a WANT <<<"$CASES"
for m in "${WANT[@]}"; do
	case $m in
	open)
		echo "run-bench: open workload ($OPEN_N x openat+read+close)" >&2
		run_case open none tracee tracee-default tracee-all bpftrace snoop ;;
	exec)
		echo "run-bench: exec workload ($EXEC_N x fork+execve+wait)" >&2
		run_case exec none tracee bpftrace snoop ;;
	connect)
		echo "run-bench: connect workload ($CONNECT_N x socket+connect+accept+close)" >&2
		run_case connect none tracee bpftrace snoop ;;
	*) die "unknown case '$m' (open, exec, connect)" ;;
	esac
done

# ---------------------------------------------------------------- table

target_of() { # row -> "max_ratio" (empty: none)
	case $1 in
	open:tracee) echo 1.25 ;;
	open:tracee-default) echo 1.5 ;;
	exec:tracee | connect:tracee) echo 1.05 ;;
	esac
}

MISSED=0
printf '\n| workload | tracer | wall ns/op | ratio | cpu ns/op | cpu ratio | seen | lost | tracer cpu s | max RSS MiB | target |\n'
printf '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n'
for row in "${ROWS[@]}"; do
	mode=${row%%:*}
	t=${row#*:}
	label=$(tracer_label "$mode" "$t")
	if [ -n "${SKIP[$row]:-}" ]; then
		printf '| %s | %s | n/a: %s |||||||||\n' "$mode" "$label" "${SKIP[$row]}"
		continue
	fi
	bw=$(echo "${WALL[$mode:none]:-}" | median)
	bc=$(echo "${CPU[$mode:none]:-}" | median)
	w=$(echo "${WALL[$row]}" | median)
	c=$(echo "${CPU[$row]}" | median)
	if [ "$t" = none ]; then
		printf '| %s | %s | %.0f | 1.00 | %.0f | 1.00 | - | - | - | - | |\n' "$mode" "$label" "$w" "$c"
		continue
	fi
	ratio=$(awk -v a="$w" -v b="$bw" 'BEGIN { printf "%.2f", a / b }')
	cratio=$(awk -v a="$c" -v b="$bc" 'BEGIN { printf "%.2f", a / b }')
	n=$(n_of "$mode")
	s=$(echo "${SEEN[$row]}" | median)
	smin=$(echo "${SEEN[$row]}" | tr ' ' '\n' | grep -v '^$' | sort -g | head -n 1)
	seen=$(awk -v s="$s" -v n="$n" -v m="$smin" 'BEGIN { printf "%.1f%% (min %d/%d)", 100 * s / n, m, n }')
	# the signature run writes findings, not events: nothing to count there
	need_seen=1
	if [ "$row" = open:tracee-default ]; then
		need_seen=0
		seen="- (findings only)"
	fi
	lost=-
	[ -n "${LOST[$row]:-}" ] && lost=$(echo "${LOST[$row]}" | maxof)
	tc=$(echo "${TCPU[$row]}" | median)
	hwm=$(echo "${HWM[$row]}" | maxof)
	hwm=$(awk -v k="$hwm" 'BEGIN { printf "%.1f", k / 1024 }')
	target=""
	max=$(target_of "$row")
	if [ -n "$max" ]; then
		verdict=met
		if awk -v r="$ratio" -v m="$max" 'BEGIN { exit !(r > m) }' ||
		   { [ "$need_seen" = 1 ] && [ "$smin" != "$n" ]; } || [ "$lost" != 0 ]; then
			verdict=MISSED
			MISSED=1
		fi
		if [ "$need_seen" = 1 ]; then
			target="<= ${max}x, 100%, 0 lost: $verdict"
		else
			target="<= ${max}x, 0 lost: $verdict"
		fi
	fi
	case $row in
	open:tracee-default)
		memv=met
		awk -v k="$hwm" 'BEGIN { exit !(k >= 64) }' && { memv=MISSED; MISSED=1; }
		target="$target; RSS < 64 MiB: $memv" ;;
	open:tracee-all)
		target="$(echo "${RATE[$row]}" | median) workload events/s" ;;
	esac
	printf '| %s | %s | %.0f | %s | %.0f | %s | %s | %s | %s | %s | %s |\n' \
		"$mode" "$label" "$w" "$ratio" "$c" "$cratio" "$seen" "$lost" "$tc" "$hwm" "$target"
done
echo
echo "Ratios are medians of $RUNS interleaved runs against the untraced runs of the same workload."
echo "Machine: $(nproc) CPUs, kernel $(uname -r); load average $LOAD0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
if [ "$FOREIGN_MAX" -gt 0 ]; then
	echo "WARNING: up to $FOREIGN_MAX tracing eBPF programs of other tools were loaded during the untraced or tracee runs: another tracer was running, every ratio above is skewed."
fi
case " ${ROWS[*]} " in
*" open:tracee-default "*)
	echo "default row: $DEFAULT_NOTE."
	echo "syscalls row: every syscall in tracee's events table ($NR_SYSCALLS); events/s counts the workload's own events in the file over its wall time."
	;;
esac

if [ "$SHARED" = 1 ]; then
	SHARED_DIR=$HERE/../../../shared/bench
	if [ -x "$SHARED_DIR/overhead" ]; then
		echo
		echo "Cross-check with $SHARED_DIR/overhead (open case):"
		(cd "$TMP" && TRACEE="$TRACEE" "$SHARED_DIR/overhead" -r "$RUNS" -s 1 open none tracee)
	else
		echo "run-bench: -s: no $SHARED_DIR/overhead next to the source tree; cross-check skipped" >&2
	fi
fi

if [ "$MISSED" = 1 ] && [ "${BENCH_STRICT:-0}" = 1 ]; then
	echo "run-bench: a target was missed (BENCH_STRICT=1)" >&2
	exit 1
fi
exit 0
