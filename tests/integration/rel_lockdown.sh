#!/bin/sh
# rel_lockdown.sh - the running phase's limits, seen from outside while
# tracee traces: no_new_privs, the seccomp filter on every thread, and only
# CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE left.  The filter has teeth: a
# command a --script-unsafe script runs (exec stays allowed for those)
# inherits it, and ptrace (strace) and user namespaces (unshare -U), which
# need no capability, fail there while they work outside.  Tracing, the
# output and SIGHUP's reopen go on under it.

. "$top_srcdir/tests/integration/rel_lib.sh"
for t in strace unshare; do
	command -v $t >/dev/null 2>&1 || skip_all "$t is missing"
done

status_field() { # PID FIELD
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"
}

# The controls: these work here outside tracee.
strace -f -o /dev/null true 2>/dev/null
ok $? "control: strace works outside tracee"
unshare -U true 2>/dev/null
ok $? "control: unshare -U works outside tracee"

# A default run (the built-in policy) with a file output.
start_tracee -o "json:$TAP_TMP/run.json"
is "$READY" 1 "a default run attaches"
is "$(status_field "$TPID" NoNewPrivs)" 1 "NoNewPrivs is 1"
is "$(status_field "$TPID" Seccomp)" 2 "Seccomp is 2 (filter)"
is "$(status_field "$TPID" CapEff)" 0000000000080004 \
	"CapEff holds CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE only"
is "$(status_field "$TPID" CapBnd)" 0000000000080004 "so does the bounding set"
nthreads=0 nfiltered=0
for task in /proc/"$TPID"/task/*; do
	nthreads=$((nthreads + 1))
	[ "$(sed -n 's/^Seccomp:[[:space:]]*//p' "$task/status")" = 2 ] && nfiltered=$((nfiltered + 1))
done
[ "$nthreads" -gt 1 ] && [ "$nfiltered" = "$nthreads" ]
ok $? "every thread is filtered, the ones started before too ($nfiltered of $nthreads)"
mv "$TAP_TMP/run.json" "$TAP_TMP/run.json.1"
kill -HUP "$TPID"
sleep 1
cat /etc/hostname >/dev/null
[ -f "$TAP_TMP/run.json" ]
ok $? "SIGHUP reopens the output under the filter"
stop_tracee
is "$RC" 0 "and tracee exits cleanly"
unlike() { printf '%s\n' "$1" | grep -Eq -- "$2"; ok $((!$?)) "$3"; }
unlike "$ERR" "seccomp|no_new_privs" "no lockdown error was reported"

# A command an unsafe script runs: exec allowed, the filter inherited.
cat >"$TAP_TMP/run.lua" <<LUA
local done = false
tracee.on("openat", function(e)
	if done or not (e.args.pathname or ""):find("rel_lockdown_go", 1, true) then return end
	done = true
	os.execute([[
		f=$TAP_TMP/child
		grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status >\$f.tmp
		strace -f -o /dev/null true 2>/dev/null; echo "strace \$?" >>\$f.tmp
		unshare -U true 2>/dev/null; echo "unshare \$?" >>\$f.tmp
		mv \$f.tmp \$f
	]])
end)
LUA
chmod 0644 "$TAP_TMP/run.lua"
start_tracee --script-unsafe -s "$TAP_TMP/run.lua" -e openat -o none
is "$READY" 1 "a run with an unsafe script attaches"
i=0
while [ ! -f "$TAP_TMP/child" ] && [ $i -lt 100 ]; do
	cat "$TAP_TMP/rel_lockdown_go" 2>/dev/null
	sleep 0.1
	i=$((i + 1))
done
# TERM: system() ignores SIGINT in its caller until the command's shell ends.
sleep 0.5
stop_tracee TERM
CHILD=$(cat "$TAP_TMP/child" 2>/dev/null)
diag "$CHILD"
like "$CHILD" "NoNewPrivs:[[:space:]]*1" "the script's command runs with no_new_privs"
like "$CHILD" "Seccomp:[[:space:]]*2" "and under the filter"
like "$CHILD" "strace [1-9]" "ptrace is refused there"
like "$CHILD" "unshare [1-9]" "so is a new user namespace"
is "$RC" 0 "tracee exits cleanly"

done_testing
