#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# syscall_coverage.sh - every syscall the running kernel lists is an event in
# tracee's table (`tracee --list`).
#
# The kernel's list: the syscall tracepoints (events/syscalls/sys_enter_*),
# read from tracefs; when tracefs is not mounted it is mounted in a private
# mount namespace, so the machine is left as found.  A kernel without
# syscall tracepoints (CONFIG_FTRACE_SYSCALLS=n) is read from /proc/kallsyms
# instead (__x64_sys_* symbols, minus the 32-bit-only entry points).
# Root: mounting tracefs, and tracefs itself, need it.
# TRACEE_TEST_SYSCALL_SOURCE=kallsyms skips tracefs (tests the fallback).

. "$top_srcdir/tests/tap.sh"

need_root
[ -x "$TRACEE" ] || skip_all "tracee is not built ($TRACEE)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracee-syscov.XXXXXX") || skip_all "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT

# The kernel's syscall names, one per line, as the kernel spells them.
list_tracefs() { # DIR
	ls "$1/events/syscalls" 2>/dev/null | sed -n 's/^sys_enter_//p'
}

source=
use_tracefs=1
[ "${TRACEE_TEST_SYSCALL_SOURCE:-}" = kallsyms ] && use_tracefs=0
if [ $use_tracefs = 1 ]; then
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		if [ -d "$d/events/syscalls" ]; then
			list_tracefs "$d" > "$tmp/kernel"
			source="tracefs at $d"
			break
		fi
	done
fi
if [ $use_tracefs = 1 ] && [ -z "$source" ] && command -v unshare >/dev/null 2>&1; then
	# Private mount namespace: the mount disappears with the shell.
	if unshare -m sh -c 'mount --make-rprivate / 2>/dev/null; mount -t tracefs nodev /sys/kernel/tracing && ls /sys/kernel/tracing/events/syscalls' \
		> "$tmp/ls" 2> "$tmp/err"; then
		sed -n 's/^sys_enter_//p' "$tmp/ls" > "$tmp/kernel"
		[ -s "$tmp/kernel" ] && source="tracefs mounted in a private mount namespace"
	else
		diag "mounting tracefs failed: $(cat "$tmp/err")"
	fi
fi
if [ -z "$source" ]; then
	# Entry points only built for 32-bit tasks (IA32 emulation): not x86_64
	# syscalls, so not in the table.  Weak symbols are the stubs of syscalls
	# of other architectures (cond_syscall): left out too.
	compat='^(ia32_.*|.*32|.*16|vm86|vm86old|old_.*|oldumount|olduname|sgetmask|ssetmask|signal|sigpending|sigprocmask|sigsuspend|sigaction|socketcall|stime|stime32|time32|utime32|nice|waitpid|llseek|send|recv|mmap_pgoff|fadvise64_64|sync_file_range2|statfs64|fstatfs64|fstat64|stat64|lstat64|fstatat64|truncate64|ftruncate64|ipc|gethostname|uname|stat|lstat|fstat|get_thread_area|set_thread_area|ni_syscall)$'
	sed -n 's/^[0-9a-f]* [tT] __x64_sys_\([a-z0-9_]*\)$/\1/p' /proc/kallsyms |
		grep -Ev "$compat" > "$tmp/kernel"
	[ -s "$tmp/kernel" ] && source="/proc/kallsyms (__x64_sys_* symbols; no syscall tracepoints)"
fi
[ -n "$source" ] || skip_all "the kernel lists no syscalls (no syscall tracepoints, no __x64_sys_* symbols)"
sort -u "$tmp/kernel" -o "$tmp/kernel"
diag "kernel syscalls from $source"

# The kernel's SYSCALL_DEFINE names where Tracee (and tracee) use another.
sed -e 's/^newstat$/stat/' -e 's/^newfstat$/fstat/' -e 's/^newlstat$/lstat/' \
    -e 's/^newuname$/uname/' -e 's/^umount$/umount2/' -e 's/^sendfile64$/sendfile/' \
    "$tmp/kernel" | sort -u > "$tmp/kernel.names"

"$TRACEE" --list > "$tmp/list" 2> "$tmp/list.err"
ok $? "tracee --list runs"
# Event lines start with the name, then the id; argument lines are indented.
awk '/^[a-z]/ && $2 ~ /^[0-9]+$/ && $2 < 512 { print $1 }' "$tmp/list" | sort -u > "$tmp/table"

nk=$(wc -l < "$tmp/kernel.names")
nt=$(wc -l < "$tmp/table")
[ "$nk" -ge 300 ]
ok $? "the kernel lists syscalls ($nk)"
[ "$nt" -ge 300 ]
ok $? "tracee lists syscall events ($nt)"

comm -23 "$tmp/kernel.names" "$tmp/table" > "$tmp/missing"
is "$(wc -l < "$tmp/missing" | tr -d ' ')" 0 "every syscall of the running kernel ($(uname -r)) is an event"
[ -s "$tmp/missing" ] && diag "no event for: $(tr '\n' ' ' < "$tmp/missing")"

# Informational: events for syscalls this kernel does not build (not x86_64's
# ni_syscall slots, options compiled out, syscalls newer than this kernel).
comm -13 "$tmp/kernel.names" "$tmp/table" > "$tmp/extra"
[ -s "$tmp/extra" ] && diag "events without a syscall in this kernel: $(tr '\n' ' ' < "$tmp/extra")"

# The renames are real: no event is named after the kernel's internal name.
bad=$(grep -xE 'newstat|newfstat|newlstat|newuname|sendfile64' "$tmp/table" | tr '\n' ' ')
is "$bad" "" "events use Tracee's names (stat, fstat, lstat, uname, sendfile), not the kernel's"

done_testing
