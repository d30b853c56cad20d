#!/bin/sh
# rel_accounting.sh - the exit summary's received + made in user space +
# findings = written + filtered in user space (+ dropped + lost at output)
# holds for the events tracee makes in user space too: existing_container,
# container_create and container_remove (from /proc at the start and from
# cgroup_mkdir/rmdir) and the capture's capture_file_write.  They come from
# no record of the kernel side, yet each is written or filtered; they were
# counted nowhere, so the sum came out short by one per event: now the
# summary has "made in user space N".  Findings are written as events are,
# and were in no count of the summary: now it has "findings N".
# Seen under valgrind (memcheck.sh), whose long runs of rel_caps.sh and
# rel_drain.sh saw other people's containers come and go and their execs
# from /tmp raise findings.
# The containers are cgroup directories named as Docker names them, made by
# the test in a cgroup of its own under the cgroup2 hierarchy, each with a
# sleep in it; --containers enrich=off, so no runtime is asked and each is
# announced at once.  All of it is removed at the end.

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq is missing"
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
[ -n "$CG2" ] && [ -w "$CG2/cgroup.procs" ] || skip_all "no writable cgroup2 hierarchy"

CG=$CG2/tracee_test_acc_$$
OUT=$TAP_TMP/out.json
W=$(cd "$TAP_TMP" && pwd -P)/w
mkdir "$W"
sleepers=

cg_cleanup() {
	for p in $sleepers; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for d in "$CG"/*/; do
		[ -d "$d" ] || continue
		# a killed process leaves its cgroup a moment later
		i=0
		while [ -s "$d/cgroup.procs" ] && [ "$i" -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		rmdir "$d"
	done
	[ -d "$CG" ] && rmdir "$CG"
}
trap 'cg_cleanup; rm -rf "$TAP_TMP"' EXIT
mkdir "$CG" || { echo "Bail out! cannot make $CG"; exit 1; }

newid() {
	od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

# container_up ID: a sleep in $CG/docker-ID.scope; sets SLEEPER
container_up() {
	mkdir "$CG/docker-$1.scope" || return 1
	sh -c 'echo $$ >"$1/cgroup.procs" && exec sleep 600' sh "$CG/docker-$1.scope" &
	SLEEPER=$!
	sleepers="$sleepers $SLEEPER"
	i=0
	until grep -q "$1" /proc/"$SLEEPER"/cgroup 2>/dev/null; do
		[ "$i" -lt 50 ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# container_down ID: the sleep killed, the directory removed
container_down() {
	kill "$SLEEPER"
	wait "$SLEEPER" 2>/dev/null
	sleepers=$(echo "$sleepers" | sed "s/ $SLEEPER\\b//")
	i=0
	while [ -s "$CG/docker-$1.scope/cgroup.procs" ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rmdir "$CG/docker-$1.scope"
}

# Written: the lifecycle events selected for the output.
A=$(newid)
B=$(newid)
container_up "$A"
ok $? "container $A running before tracee"
start_tracee -e openat,existing_container,container_create,container_remove \
	--containers enrich=off -o "json:$OUT"
is "$READY" 1 "tracee attached (lifecycle events written)"
container_up "$B"
ok $? "container $B started under tracee"
sleep 1
container_down "$B"
ok $? "container $B removed"
sleep 1
stop_tracee
is "$RC" 0 "clean exit"
got=$(jq -r 'select(.eventName | test("container")) |
	"\(.eventName) \(.args[] | select(.name == "container_id") | .value)"' "$OUT" |
	grep " \($A\|$B\)$" | sort)
is "$got" "container_create $B
container_remove $B
existing_container $A" "existing_container, container_create and container_remove made, once each"
made=$(printf '%s\n' "$ERR" | grep '^tracee: events received' | tail -n 1 |
	sed -n 's/.*made in user space \([0-9]*\).*/\1/p')
[ -n "$made" ] && [ "$made" -ge 3 ]
ok $? "the summary counts them as made in user space ($made)"
accounted "lifecycle events written"

# Filtered: the same events, made for the process tree and not selected.
start_tracee -e openat --containers enrich=off -o json:/dev/null
is "$READY" 1 "tracee attached (lifecycle events not selected)"
container_up "$B"
ok $? "container $B started again"
sleep 1
container_down "$B"
sleep 1
stop_tracee
is "$RC" 0 "clean exit"
accounted "lifecycle events filtered"

# The capture's events: capture_file_write for each write to $W/cap*.
start_tracee -e openat,capture_file_write -c "write=$W/cap" -c "dir:$TAP_TMP/capdir" \
	-o "json:$OUT"
is "$READY" 1 "tracee attached (-c write=$W/cap)"
for i in 1 2 3; do
	echo "line $i" >"$W/cap$i"
done
sleep 1
stop_tracee
is "$RC" 0 "clean exit"
n=$(jq -r 'select(.eventName == "capture_file_write") | .args[0].value' "$OUT" | grep -c "^$W/cap")
is "$n" 3 "three capture_file_write events made"
accounted "capture events written"

# Findings are written as events are: the summary counts them, and the sum
# is received + findings.  The script raises one per open of $W/trig*.
cat >"$TAP_TMP/trig.lua" <<LUA
tracee.on("openat", function(e)
	local p = e.args.pathname
	if type(p) == "string" and p:find("$W/trig", 1, true) == 1 then
		tracee.finding { name = "acc_trig", data = { path = p } }
	end
end)
LUA
start_tracee -e openat -s "$TAP_TMP/trig.lua" -o "json:$OUT"
is "$READY" 1 "tracee attached (a script raising findings)"
for i in 1 2 3; do
	: >"$W/trig$i"
done
sleep 1
stop_tracee
is "$RC" 0 "clean exit"
n=$(jq -r 'select(.eventName == "acc_trig") | .args[0].value' "$OUT" | grep -c "^$W/trig")
is "$n" 3 "three findings written"
f=$(summary_field findings)
[ -n "$f" ] && [ "$f" -ge 3 ]
ok $? "the summary counts them (findings $f)"
accounted "findings written"

cg_cleanup
[ ! -e "$CG" ]
ok $? "the test's cgroups are gone"
done_testing
