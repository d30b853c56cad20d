# rel_lib.sh - shared by the reliability tests (rel_*.sh); source it.
# Root and real eBPF.  Each test gets:
#   TAP_TMP     private scratch dir (removed on exit)
#   CORE_OBJ    the CO-RE object `make` built; TRACEE_PKGLIBDIR points at it
#   INST        an install path under TAP_TMP that does not exist
# and these helpers:
#   start_tracee ARGS...   tracee in the background (--pidfile, stderr to
#                          $TAP_TMP/err.N); sets TPID, READY (1 once attached)
#   stop_tracee [SIG]      SIGINT (or SIG), wait; sets RC and ERR
#   summary_field NAME     a number from the exit summary ("written", ...)
#   held_prog_ids PID      eBPF program ids the process holds (fdinfo)
#   prog_alive ID          the kernel still has program ID
#   tr_orphans BEFORE      tr_* programs loaded since BEFORE that no process holds
# The memcheck run (tests/reliability/memcheck.sh) points TRACEE at a
# wrapper that execs valgrind: nothing here assumes TRACEE is the binary.

. "$top_srcdir/tests/tap.sh"

CORE_OBJ=$top_builddir/dist/tracee.bpf.core.o
need_root
[ -f "$CORE_OBJ" ] || skip_all "no CO-RE object at $CORE_OBJ (run make)"
TRACEE_PKGLIBDIR=$top_builddir/dist
export TRACEE_PKGLIBDIR
unset TRACEE_BPF_FILE TRACEE_BTF_FILE
need_bpf
tap_tmpdir
INST=$TAP_TMP/inst
# Startup under valgrind is slow.
REL_WAIT_S=${REL_WAIT_S:-30}
rl_n=0

start_tracee() {
	rl_n=$((rl_n + 1))
	REL_ERR=$TAP_TMP/err.$rl_n
	rm -f "$TAP_TMP/pid"
	"$TRACEE" --install-path "$INST" --pidfile "$TAP_TMP/pid" "$@" 2>"$REL_ERR" &
	TPID=$!
	READY=0
	rl_i=0
	while [ "$rl_i" -lt $((REL_WAIT_S * 10)) ] && kill -0 "$TPID" 2>/dev/null; do
		if [ -s "$TAP_TMP/pid" ]; then
			READY=1
			break
		fi
		sleep 0.1
		rl_i=$((rl_i + 1))
	done
}

stop_tracee() {
	kill -"${1:-INT}" "$TPID" 2>/dev/null
	wait "$TPID"
	RC=$?
	ERR=$(cat "$REL_ERR")
}

# summary_field NAME: "events received 5, written 4, lost 1 (kernel 0, ..."
summary_field() {
	# The first "NAME N" piece: "kernel" is the lost one, not "filtered in kernel".
	printf '%s\n' "$ERR" | grep '^tracee: events received' | tail -n 1 |
		awk -v k="$1" '{ n = split($0, a, /[,()] */)
			for (i = 1; i <= n; i++)
				if (match(a[i], "(^| )" k " [0-9]+$")) { sub(/.* /, "", a[i]); print a[i]; exit } }'
}

held_prog_ids() {
	cat /proc/"$1"/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*\([0-9]*\)$/\1/p' |
		sort -un
}

prog_alive() {
	bpftool prog show id "$1" >/dev/null 2>&1
}

bpf_tr_prog_ids() {
	bpftool -j prog show 2>/dev/null | tr '{' '\n' |
		sed -n 's/^"id":\([0-9]*\),.*"name":"tr_[a-z_0-9]*".*/\1/p' | sort -n
}

# tr_orphans BEFORE_FILE: tr_* programs loaded since BEFORE_FILE was taken
# that no process holds (pinned or leaked).  Other tests may be running
# tracee meanwhile: programs a live process holds are theirs.
tr_orphans() {
	rl_try=0
	while :; do
		rl_left=
		for rl_id in $(bpf_tr_prog_ids | comm -13 "$1" -); do
			grep -qs "^prog_id:[[:space:]]*$rl_id\$" /proc/[0-9]*/fdinfo/* ||
				rl_left="$rl_left $rl_id"
		done
		# a freed program lingers for an RCU grace period
		[ -z "$rl_left" ] || [ "$rl_try" -ge 20 ] && break
		rl_try=$((rl_try + 1))
		sleep 0.1
	done
	printf '%s' "$rl_left"
}

# The exit summary accounts for every event: received + made + findings = written
# + failed at output (+ dropped by scripts or not selected for output).
# Findings are written as events are; signatures (-s) may raise some on
# anything else the machine runs meanwhile.
accounted() { # DESCRIPTION
	rl_r=$(summary_field received)
	rl_w=$(summary_field written)
	rl_o=$(summary_field output)
	rl_f=$(summary_field findings)
	# events only the process tree or the scripts wanted ("space N")
	rl_u=$(printf '%s\n' "$ERR" | grep '^tracee: events received' | tail -n 1 |
		sed -n 's/.*filtered in user space \([0-9]*\).*/\1/p')
	# container_create and capture_* events of other work on the host
	rl_m=$(printf '%s\n' "$ERR" | grep '^tracee: events received' | tail -n 1 |
		sed -n 's/.*made in user space \([0-9]*\).*/\1/p')
	[ -n "$rl_r" ] && [ -n "$rl_w" ] && [ -n "$rl_o" ] && [ -n "$rl_u" ] && [ -n "$rl_f" ] &&
		[ -n "$rl_m" ] && [ $((rl_r + rl_m + rl_f)) -eq $((rl_w + rl_o + rl_u)) ]
	ok $? "$1: received $rl_r + made $rl_m + findings $rl_f = written $rl_w + lost at output $rl_o + filtered in user space $rl_u"
}
