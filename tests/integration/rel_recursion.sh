#!/bin/sh
# rel_recursion.sh - runs of tracee's programs the kernel skipped (each
# program's bpf_prog_info.recursion_misses) are counted as events lost in
# the kernel, under their own name in the exit summary and --stats:
# "lost L (kernel K, recursion R, output O)", L = K + R + O.  On a quiet
# run R is 0, and it comes from the kernel: strace shows tracee asking for
# the info of every program it holds (BPF_OBJ_GET_INFO_BY_FD) at the stop.
# (No hook of ours can be made to re-enter itself from user space, so a
# non-zero R is not provoked here.)

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v strace >/dev/null 2>&1 || skip_all "strace is missing"

# A sanitized build's leak check stops the threads with ptrace at exit,
# which cannot work while strace holds the process: off for this run only.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
start_tracee -e openat -o "json:$TAP_TMP/out.json" --stats
is "$READY" 1 "tracee attached"
# The fds of the programs it holds: the ones the kernel must be asked about.
prog_fds=
for f in /proc/"$TPID"/fdinfo/*; do
	# a program's own fd (a link's fdinfo names its program too)
	grep -qs '^prog_type:' "$f" && prog_fds="$prog_fds ${f##*/}"
done
nr_progs=$(echo $prog_fds | wc -w)
diag "programs held: $nr_progs"
[ "$nr_progs" -gt 0 ]
ok $? "tracee holds its programs ($nr_progs)"
sleep 1.5	# one --stats line
strace -qq -p "$TPID" -e trace=bpf -o "$TAP_TMP/strace" &
SPID=$!
sleep 1
cat /etc/hostname >/dev/null
stop_tracee
wait "$SPID"
asked=$(sed -n 's/.*bpf(BPF_OBJ_GET_INFO_BY_FD, {info={bpf_fd=\([0-9]*\).*/\1/p' \
	"$TAP_TMP/strace" | sort -un)
missing=
for fd in $prog_fds; do
	printf '%s\n' "$asked" | grep -qx "$fd" || missing="$missing $fd"
done
is "$missing" "" "the kernel was asked about every program held (BPF_OBJ_GET_INFO_BY_FD)"
is "$RC" 0 "clean exit"
rec=$(summary_field recursion)
is "$rec" 0 "the exit summary names the recursion misses: 0 on a quiet run"
k=$(summary_field kernel)
o=$(summary_field output)
l=$(printf '%s\n' "$ERR" | grep '^tracee: events received' | tail -n 1 |
	sed -n 's/.*, lost \([0-9]*\) (.*/\1/p')
[ -n "$l" ] && [ "$l" -eq $((k + rec + o)) ]
ok $? "lost $l = kernel $k + recursion $rec + output $o"
like "$ERR" "^tracee: stats: events received [0-9]+, written [0-9]+, lost [0-9]+ \(kernel [0-9]+, recursion 0, output [0-9]+\)" \
	"--stats shows the counter as it runs"
done_testing
