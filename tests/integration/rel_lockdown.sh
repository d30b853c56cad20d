#!/bin/sh
# rel_lockdown.sh - the running phase's limits, seen from outside while
# tracee traces: no_new_privs, the seccomp filter on every thread, and only
# CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE left.  The filter has teeth: a
# command a --script-unsafe script runs (exec stays allowed for those)
# inherits it, and ptrace (strace), user namespaces (unshare -U) and
# personality (setarch -R), which need no capability, fail there while they
# work outside.  Tracing, the output and SIGHUP's reopen go on under it.
# Two builds differ, and are checked for what they do instead:
#   - under valgrind (make memcheck) seccomp(2) is not implemented: tracee
#     says so in one line and runs on, no_new_privs set, no filter;
#   - an ASan build (check-sanitizers) keeps ptrace for LeakSanitizer.

. "$top_srcdir/tests/integration/rel_lib.sh"
for t in strace unshare setarch; do
	command -v $t >/dev/null 2>&1 || skip_all "$t is missing"
done

status_field() { # PID FIELD
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status"
}
unlike() { printf '%s\n' "$1" | grep -Eq -- "$2"; ok $((!$?)) "$3"; }
ASAN=0
grep -q __asan_init "$top_builddir/src/tracee" && ASAN=1

# The controls: these work here outside tracee.
strace -f -o /dev/null true 2>/dev/null
ok $? "control: strace works outside tracee"
unshare -U true 2>/dev/null
ok $? "control: unshare -U works outside tracee"
setarch -R true 2>/dev/null
ok $? "control: setarch -R works outside tracee"

# A default run (the built-in policy) with a file output.
start_tracee -o "json:$TAP_TMP/run.json"
is "$READY" 1 "a default run attaches"
VG=0
case $(cat "/proc/$TPID/comm" 2>/dev/null) in memcheck*) VG=1 ;; esac
SECCOMP=2
[ "$VG" = 1 ] && SECCOMP=0
is "$(status_field "$TPID" NoNewPrivs)" 1 "NoNewPrivs is 1"
is "$(status_field "$TPID" Seccomp)" "$SECCOMP" "Seccomp is $SECCOMP (2: filter; valgrind $VG)"
is "$(status_field "$TPID" CapEff)" 0000000000080004 \
	"CapEff holds CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE only"
is "$(status_field "$TPID" CapBnd)" 0000000000080004 "so does the bounding set"
nthreads=0 nfiltered=0
for task in /proc/"$TPID"/task/*; do
	nthreads=$((nthreads + 1))
	[ "$(sed -n 's/^Seccomp:[[:space:]]*//p' "$task/status")" = $SECCOMP ] &&
		nfiltered=$((nfiltered + 1))
done
[ "$nthreads" -gt 1 ] && [ "$nfiltered" = "$nthreads" ]
ok $? "every thread, the ones started before too, has Seccomp $SECCOMP ($nfiltered of $nthreads)"
mv "$TAP_TMP/run.json" "$TAP_TMP/run.json.1"
kill -HUP "$TPID"
sleep 1
cat /etc/hostname >/dev/null
[ -f "$TAP_TMP/run.json" ]
ok $? "SIGHUP reopens the output under the filter"
stop_tracee
is "$RC" 0 "and tracee exits cleanly"
if [ "$VG" = 1 ]; then
	like "$ERR" "^tracee: seccomp: cannot install the running phase's filter: Function not implemented \(tracee runs on without it\)$" \
		"under valgrind: one line says the filter is missing"
else
	unlike "$ERR" "seccomp|no_new_privs" "no lockdown error was reported"
fi

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
		setarch -R true 2>/dev/null; echo "setarch \$?" >>\$f.tmp
		mv \$f.tmp \$f
	]])
end)
LUA
chmod 0644 "$TAP_TMP/run.lua"
start_tracee --script-unsafe -s "$TAP_TMP/run.lua" -e openat -o none
is "$READY" 1 "a run with an unsafe script attaches"
i=0
while [ ! -f "$TAP_TMP/child" ] && [ $i -lt 300 ]; do
	cat "$TAP_TMP/rel_lockdown_go" 2>/dev/null
	sleep 0.1
	i=$((i + 1))
done
# TERM: system() ignores SIGINT in its caller until the command's shell ends.
sleep 0.5
stop_tracee TERM
CHILD=$(cat "$TAP_TMP/child" 2>/dev/null)
diag "$CHILD"
refused="[1-9][0-9]*"
[ "$VG" = 1 ] && refused=0
like "$CHILD" "NoNewPrivs:[[:space:]]*1" "the script's command runs with no_new_privs"
like "$CHILD" "Seccomp:[[:space:]]*$SECCOMP" "and Seccomp $SECCOMP"
if [ "$ASAN" = 1 ] || [ "$VG" = 1 ]; then
	like "$CHILD" "strace 0" "ptrace is allowed there (ASan build $ASAN: LeakSanitizer needs it)"
else
	like "$CHILD" "strace $refused" "ptrace is refused there"
fi
like "$CHILD" "unshare $refused" "a new user namespace is refused there (valgrind $VG: allowed)"
like "$CHILD" "setarch $refused" "so is personality (valgrind $VG: allowed)"
is "$RC" 0 "tracee exits cleanly"

done_testing
