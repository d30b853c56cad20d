#!/bin/sh
# syscall_exit.sh - syscall events that sys_exit serves alone (root).
#
# Most syscall events need no sys_enter program: sys_exit reads their
# arguments from the registers the syscall left in pt_regs.  Those with
# strings or an input socket address read them at sys_enter instead.  The ones that
# cannot work that way pair with sys_enter: exit_group never returns (it is
# reported at entry), clone returns in a child that never entered (only the
# parent's call is an event), execve replaces the registers.  Checked with
# real processes, and -v must show which programs were attached.

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v jq >/dev/null || skip_all "jq is not installed"

tap_tmpdir
D=$(cd "$TAP_TMP" && pwd -P)
echo hello >"$D/file.txt"

. "$top_srcdir/tests/integration/tagged_run.sh"

# 0. a syscall with no user memory to read: sys_exit only.
if start plain -v -v -e close; then
	cat "$D/file.txt" >/dev/null
	stop
	grep -q "sys_enter.*off: sys_exit alone serves" "$D/plain.err"
	ok $? "-e close attaches no sys_enter program"
	n=$(jq -r 'select(.eventName == "close" and .processName == "cat" and .returnValue == 0) | .args[0].value' "$D/plain.json" | wc -l)
	[ "$n" -ge 1 ]
	ok $? "cat's close calls reported ($n)"
else
	ok 1 "tracee started with -e close"
fi

# 1. openat: its pathname is read at sys_enter (what the kernel copies in,
#    rel_toctou.sh), sent at sys_exit with the return value.
if start exit -v -v -e openat; then
	cat "$D/file.txt" >/dev/null
	stop
	grep -q "attached tr_sys_enter" "$D/exit.err"
	ok $? "-e openat attaches sys_enter (pathname read at entry)"
	ev=$(jq -c "select(.eventName == \"openat\" and .args[1].value == \"$D/file.txt\")" "$D/exit.json" | head -n 1)
	is "$(printf '%s' "$ev" | jq -r '.processName')" cat "openat of the file reported for cat"
	is "$(printf '%s' "$ev" | jq -r '.args[0].value')" -100 "dirfd is AT_FDCWD"
	rv=$(printf '%s' "$ev" | jq -r '.returnValue')
	[ "${rv:-0}" -ge 3 ] 2>/dev/null
	ok $? "returnValue is the new fd ($rv)"
	fl=$(printf '%s' "$ev" | jq -r '.args[2].value')
	[ "$fl" = 0 ] || [ "$fl" = 32768 ]
	ok $? "flags are O_RDONLY ($fl)"
else
	ok 1 "tracee started with -e openat"
fi

# 2. exit_group at entry, clone from the parent only.
if start pair -v -v -e exit_group,clone; then
	sh -c "exit 7"
	sh -c "(exit 3); exit 0"
	stop
	grep -q "attached tr_sys_enter" "$D/pair.err"
	ok $? "exit_group and clone attach sys_enter"
	codes=$(jq -r 'select(.eventName == "exit_group" and .processName == "sh") | .args[0].value' "$D/pair.json" | sort -n | tr '\n' ' ')
	like "$codes" "(^| )7( |$)" "exit_group(7) reported ($codes)"
	like "$codes" "(^| )3( |$)" "the subshell's exit_group(3) reported"
	zero=$(jq -r 'select(.eventName == "clone" and .returnValue == 0) | .processId' "$D/pair.json" | wc -l)
	is "$zero" 0 "no clone event from a child (returnValue 0)"
	n=$(jq -r 'select(.eventName == "clone" and .processName == "sh" and .returnValue > 0) | .returnValue' "$D/pair.json" | wc -l)
	[ "$n" -ge 1 ]
	ok $? "the parent's clone reported with the child's pid ($n)"
else
	ok 1 "tracee started with -e exit_group,clone"
fi

done_testing
