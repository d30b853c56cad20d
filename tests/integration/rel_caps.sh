#!/bin/sh
# rel_caps.sh - capabilities.  Without them (not root; root with every
# capability dropped): one line naming what is missing, exit 1, nothing
# loaded; --probe says "not permitted", not that the kernel lacks features.  With them: once attached, tracee keeps only CAP_SYS_PTRACE and
# CAP_DAC_READ_SEARCH, in every set (bounding too), and still works.

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v setpriv >/dev/null 2>&1 || skip_all "setpriv (util-linux) is missing"
command -v bpftool >/dev/null 2>&1 || skip_all "bpftool is missing"

bpf_tr_prog_ids >"$TAP_TMP/before"
chmod 0755 "$TAP_TMP"

refused() { # DESCRIPTION WRAPPER...
	rc_d=$1
	shift
	"$@" "$TRACEE" --install-path "$INST" -e openat -o "json:$TAP_TMP/out.json" \
		2>"$TAP_TMP/err" >/dev/null
	RC=$?
	ERR=$(cat "$TAP_TMP/err")
	is "$RC" 1 "$rc_d: exit 1"
	like "$ERR" "^tracee: not permitted \(needs CAP_BPF and CAP_PERFMON, or root\): missing CAP_BPF and CAP_PERFMON \(run as root, or grant them" \
		"$rc_d: the error names what is missing and the fix"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "$rc_d: one line"
	[ ! -e "$TAP_TMP/out.json" ]
	ok $? "$rc_d: no output file"
	diag "$ERR"
}

refused "as nobody" setpriv --reuid=65534 --regid=65534 --clear-groups
refused "root without capabilities" setpriv --inh-caps=-all --bounding-set=-all
# CAP_SYS_ADMIN alone would do (older kernels need it): drop it too.
refused "root without CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN" \
	setpriv --inh-caps=-bpf,-perfmon,-sys_admin --bounding-set=-bpf,-perfmon,-sys_admin

# --probe without them: the kernel's features are unknown, not missing.
probe_refused() { # DESCRIPTION WRAPPER...
	pr_d=$1
	shift
	# Objects in a directory this user cannot read (a build tree under a
	# 0700 mktemp dir, as in CI) must not add a second line.
	TRACEE_PKGLIBDIR=$TAP_TMP/private/dist "$@" "$TRACEE" --install-path "$INST" --probe \
		>"$TAP_TMP/probe.out" 2>"$TAP_TMP/probe.err"
	RC=$?
	OUT=$(cat "$TAP_TMP/probe.out")
	ERR=$(cat "$TAP_TMP/probe.err")
	is "$RC" 1 "--probe $pr_d: exit 1 (eBPF is not usable)"
	like "$ERR" "^tracee: not permitted \(needs CAP_BPF and CAP_PERFMON, or root\)" \
		"--probe $pr_d: the error says not permitted and what is needed"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "--probe $pr_d: one line on stderr"
	like "$OUT" "^raw_tp: unknown, not permitted \(needs CAP_BPF and CAP_PERFMON, or root\)\$" \
		"--probe $pr_d: raw_tp is unknown, not permitted"
	like "$OUT" "^ringbuf: unknown, not permitted" "--probe $pr_d: so is the ring buffer"
	like "$OUT" "^object: unknown, not permitted\$" "--probe $pr_d: no object is chosen"
	# (btf is a file, read without any capability: its answer stands)
	printf '%s\n' "$OUT" | grep -v '^btf:' | grep -Eq ': no( |$)'
	is $? 1 "--probe $pr_d: no eBPF feature is reported missing"
	diag "$ERR"
}
mkdir -p "$TAP_TMP/private/dist" && cp "$CORE_OBJ" "$TAP_TMP/private/dist/" &&
	chmod 0700 "$TAP_TMP/private"
probe_refused "as nobody" setpriv --reuid=65534 --regid=65534 --clear-groups
probe_refused "as root without CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN" \
	setpriv --inh-caps=-bpf,-perfmon,-sys_admin --bounding-set=-bpf,-perfmon,-sys_admin
# With them, the same kernel's features are there.
OUT=$("$TRACEE" --install-path "$INST" --probe 2>/dev/null)
like "$OUT" "^raw_tp: yes\$" "--probe as root: raw_tp yes"
printf '%s\n' "$OUT" | grep -q 'not permitted (needs'
is $? 1 "--probe as root: nothing is 'not permitted'"

# --list needs no privilege: unprivileged, it marks the same events
# unavailable as root does (the load probes cannot tell, the tracepoint
# checks can), not every raw_tp event.
is "$(setpriv --reuid=65534 --regid=65534 --clear-groups "$TRACEE" --list 2>/dev/null |
	grep -c 'unavailable on this kernel')" \
	"$("$TRACEE" --list 2>/dev/null | grep -c 'unavailable on this kernel')" \
	"--list as nobody marks the same events unavailable as root"

left=$(tr_orphans "$TAP_TMP/before")
is "$left" "" "nothing was loaded by the refused runs"

# Attached: only CAP_DAC_READ_SEARCH (2) and CAP_SYS_PTRACE (19) remain.
start_tracee -e openat -o "json:$TAP_TMP/run.json" --stats
is "$READY" 1 "tracee starts with full capabilities"
status=$(cat /proc/"$TPID"/status 2>/dev/null)
for set in CapEff CapPrm CapBnd; do
	like "$status" "^$set:[[:space:]]*0000000000080004\$" \
		"after attaching, $set holds only CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE"
done
like "$status" "^CapInh:[[:space:]]*0000000000000000\$" "CapInh is empty"
like "$status" "^CapAmb:[[:space:]]*0000000000000000\$" "CapAmb is empty"
MARK=$TAP_TMP/marker-after-drop
cat "$MARK" 2>/dev/null
sleep 1.5
stop_tracee
is "$RC" 0 "it runs and stops cleanly without them"
grep -q "\"value\":\"$MARK\"" "$TAP_TMP/run.json"
ok $? "events opened after the drop are traced"
like "$ERR" "^tracee: stats: events received [1-9]" "--stats still reads the counters"
accounted "after the drop"

left=$(tr_orphans "$TAP_TMP/before")
is "$left" "" "nothing is left loaded"
done_testing
