#!/bin/sh
# select_features.sh - kernels without a ring buffer (before 5.8) or task
# storage (before 5.11), played on this one with TRACEE_FEATURES_OFF: the
# loader switches to the perf buffer and the hash by tid, makes the maps
# those kernels could not create inert (no RINGBUF, no TASK_STORAGE map is
# created at all), and the events still arrive.  --perf-buffer forces the
# perf buffer where a ring buffer works.

. "$top_srcdir/tests/integration/select_lib.sh"

# map_types PID: the types of the eBPF maps process PID holds, sorted.
map_types() {
	for tl_f in /proc/"$1"/fdinfo/*; do
		sed -n 's/^map_type:[[:space:]]*//p' "$tl_f" 2>/dev/null
	done | sort -n | uniq | tr '\n' ' '
}

# run_types WAIT [args]: like run_tracee, recording TYPES (map types held).
run_types() {
	tl_wait=$(($1 * 10))
	shift
	tl_n=$((tl_n + 1))
	MARKER=$TAP_TMP/marker.$tl_n.$$
	OUT=$TAP_TMP/out.$tl_n.json
	rm -f "$TAP_TMP/pid"
	"$TRACEE" --install-path "$INST" -e openat,execve -o "json:$OUT" --pidfile "$TAP_TMP/pid" -v \
		"$@" 2>"$TAP_TMP/err" &
	tl_pid=$!
	tl_i=0
	TYPES=
	while [ "$tl_i" -lt "$tl_wait" ] && [ ! -s "$TAP_TMP/pid" ] && kill -0 "$tl_pid" 2>/dev/null; do
		sleep 0.1
		tl_i=$((tl_i + 1))
	done
	if [ -s "$TAP_TMP/pid" ]; then
		TYPES=$(map_types "$tl_pid")
		cat "$MARKER" 2>/dev/null
		/bin/true
		sleep 0.3
	fi
	kill -INT "$tl_pid" 2>/dev/null
	wait "$tl_pid"
	RC=$?
	ERR=$(cat "$TAP_TMP/err")
}

RINGBUF=27 TASK_STORAGE=29 PERF_EVENT_ARRAY=4

TRACEE_BPF_FILE=$CORE_OBJ run_types 20
is "$RC" 0 "control: a normal run"
like " $TYPES" " $RINGBUF " "control: a ring buffer map exists (types: $TYPES)"
like " $TYPES" " $TASK_STORAGE " "control: a task storage map exists"

TRACEE_FEATURES_OFF=ringbuf,task_storage TRACEE_BPF_FILE=$CORE_OBJ run_types 20
is "$RC" 0 "without ring buffer and task storage tracee runs"
like "$ERR" "no ring buffer on this kernel: using the perf buffer" "it says it uses the perf buffer"
like "$ERR" "attached [0-9]+ programs, perf buffer" "and attaches for the perf buffer"
case " $TYPES" in *" $RINGBUF "*|*" $TASK_STORAGE "*) r=1 ;; *) r=0 ;; esac
ok $r "no ring buffer or task storage map was created (types: $TYPES)"
like " $TYPES" " $PERF_EVENT_ARRAY " "a perf event array is used"
traced
ok $? "the marker's openat arrives through the perf buffer"
grep -q '"eventName":"execve"' "$OUT"
ok $? "execve (args saved by tid in a hash) arrives too"

out=$(TRACEE_FEATURES_OFF=ringbuf,nonsense "$TRACEE" --probe 2>&1)
like "$out" "ringbuf: no \(switched off by TRACEE_FEATURES_OFF\)" "--probe shows the switch"
like "$out" "unknown feature 'nonsense'" "an unknown name is reported"

# bpf_find_vma (5.17): the loader and the filter's program hook both gate
# the mprotect helper program; both must read the same probe, so that a
# feature switched off stays off.
TRACEE_BPF_FILE=$CORE_OBJ run_types 20 -e mem_prot_alert -v
is "$RC" 0 "control: mem_prot_alert runs"
like "$ERR" "attached tr_mprot_enter" "control: the mprotect helper program is attached"
TRACEE_FEATURES_OFF=find_vma TRACEE_BPF_FILE=$CORE_OBJ run_types 20 -e mem_prot_alert -v
is "$RC" 0 "without bpf_find_vma mem_prot_alert still runs"
like "$ERR" "mem_prot_alert: no bpf_find_vma\(\) on this kernel" "it says what is lost"
case "$ERR" in *"attached tr_mprot_enter"*) r=1 ;; *) r=0 ;; esac
ok $r "the mprotect helper program stays off"

TRACEE_BPF_FILE=$CORE_OBJ run_types 20 --perf-buffer
is "$RC" 0 "--perf-buffer runs"
like "$ERR" "attached [0-9]+ programs, perf buffer" "it uses the perf buffer"
traced
ok $? "the marker's openat arrives through the forced perf buffer"

done_testing
