#!/bin/sh
# rel_kill.sh - SIGKILL leaves nothing behind: tracee pins nothing, so the
# kernel drops every program, link and map it held once the process is
# gone (checked by id, so other tracers running meanwhile do not matter).

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v bpftool >/dev/null 2>&1 || skip_all "bpftool is missing"

bpf_tr_prog_ids >"$TAP_TMP/before"
for round in 1 2; do
	start_tracee -e openat,execve,sched_process_exec -o "json:$TAP_TMP/out.$round.json"
	is "$READY" 1 "round $round: tracee attached"
	ids=$(held_prog_ids "$TPID")
	[ -n "$ids" ]
	ok $? "round $round: it holds eBPF programs ($(echo $ids))"
	# Mid-stream: events flowing when the kill lands.
	/bin/true; cat "$TAP_TMP/out.$round.json" >/dev/null
	stop_tracee KILL
	is "$RC" 137 "round $round: killed by SIGKILL"
	left=
	for i in $(seq 20); do	# programs go after an RCU grace period
		left=
		for id in $ids; do
			prog_alive "$id" && left="$left $id"
		done
		[ -z "$left" ] && break
		sleep 0.1
	done
	is "$left" "" "round $round: none of its programs survives the kill"
done
is "$(tr_orphans "$TAP_TMP/before")" "" "no tr_* program is left without an owner"
is "$(find /sys/fs/bpf -name 'tr_*' 2>/dev/null | head -n 1)" "" "nothing is pinned"
# SIGKILL cannot be caught: the pidfile stays; rel_pidfile.sh checks that
# the next start takes it over (the lock died with the process).
[ ! -e "$TAP_TMP/pid" ] || diag "the pidfile of a killed tracee stays (expected: SIGKILL cannot be caught)"
done_testing
