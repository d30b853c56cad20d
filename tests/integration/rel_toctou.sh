#!/bin/sh
# rel_toctou.sh - syscall strings and socket addresses are what the kernel
# used, not what another thread wrote there afterwards.  They were read at
# sys_exit, so a thread rewriting the memory while the call ran forged the
# openat pathname and the connect address (and every filter on them); now
# they are read at sys_enter and kept per thread until sys_exit
# (bpf/progs_syscalls.h: tr_enter_record).  toctou-race makes the calls:
#   fifo   openat of a FIFO blocks after the kernel copied the name; the other
#          thread writes another name over it, then lets it return
#   unix   connect blocks on a full backlog after the kernel copied the
#          address; the other thread rewrites sun_path, then accepts (the
#          connect event and security_socket_connect, which rules read)
#   flip   20000 openat calls while the other thread flips one byte of the
#          name between a file and no file: all reported; how many names
#          differ from what the kernel used (the return value tells) is shown
#   fault  a name in a mapped page never touched (not present at entry: read
#          again at exit) and one in PROT_NONE memory (lost, counted by name)
#   exec   the same for execve, whose memory is gone at exit: the kernel's
#          copies in the new image stand in

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v jq >/dev/null 2>&1 || skip_all "jq is missing"
RACE=$top_builddir/tests/integration/toctou-race
[ -x "$RACE" ] || skip_all "toctou-race is not built"

W=$(cd "$TAP_TMP" && pwd -P)/w
mkdir "$W"
OUT=$TAP_TMP/out.json

# jq over the events of toctou-race
evs() {
	jq -c "select(.processName == \"toctou-race\") | $1" "$OUT"
}

start_tracee -e openat,connect,security_socket_connect -o "json:$OUT"
is "$READY" 1 "tracee attached (-e openat,connect,security_socket_connect)"
"$RACE" fifo "$W" >"$TAP_TMP/fifo.txt"
ok $? "fifo: openat blocked, name rewritten, open returned"
"$RACE" unix "$W" >"$TAP_TMP/unix.txt"
ok $? "unix: connect blocked, sun_path rewritten, connect returned"
"$RACE" flip "$W" 20000 >"$TAP_TMP/flip.txt"
ok $? "flip: 20000 openat calls made ($(cat "$TAP_TMP/flip.txt"))"
"$RACE" fault "$W" >"$TAP_TMP/fault.txt"
ok $? "fault: the untouched page opened, the PROT_NONE name failed with EFAULT"
sleep 1
stop_tracee
is "$RC" 0 "clean exit"

# fifo: the name the kernel opened (fd >= 0), never the one written later
fifo=$(evs "select(.eventName == \"openat\" and .returnValue >= 0 and (.args[1].value | tostring | test(\"/w/(fifo|fake)$\"))) | .args[1].value" | sort -u)
is "$fifo" "\"$W/fifo\"" "openat of the FIFO reports the name the kernel used, not the rewrite"
fake=$(evs "select(.eventName == \"openat\" and .args[1].value == \"$W/fake\")" | wc -l)
is "$fake" 0 "no openat reports the name written during the call"

# unix: the blocked connect reports the address it connected to
addrs=$(evs 'select(.eventName == "connect" and .returnValue == 0) | .args[1].value.sun_path' | sort | uniq -c | sed 's/^ *//')
is "$addrs" "2 \"$W/sock\"" "both connects report $W/sock (the filler's and the blocked one's)"
addrs=$(evs 'select(.eventName == "security_socket_connect") | .args[2].value.sun_path' | sort | uniq -c | sed 's/^ *//')
is "$addrs" "2 \"$W/sock\"" "so do both security_socket_connect events (what the rules see)"

# flip: a tight loop of rewrites.  What the kernel copies a few hundred
# nanoseconds after sys_enter read the name can differ when both threads run
# at once (no hook here sees the kernel's own copy of a failed open's name):
# measured, not required.  Every call must be reported, with one of the two
# names (flags 0: the flipping calls, not the O_CREAT that made the file).
set -- $(cat "$TAP_TMP/flip.txt")
calls=$(($2 + $3))
got=$(evs "select(.eventName == \"openat\" and .args[2].value == 0 and (.args[1].value == \"$W/fy\" or .args[1].value == \"$W/fn\"))" | wc -l)
is "$got" "$calls" "every flipping openat reported with one of the two names"
wrong=$(evs "select(.eventName == \"openat\" and .args[2].value == 0 and ((.args[1].value == \"$W/fy\" and .returnValue < 0) or (.args[1].value == \"$W/fn\" and .returnValue >= 0)))" | wc -l)
diag "flip: $wrong of $calls reported names differ from the one the kernel used"

# fault: the untouched page's name is read at exit, the PROT_NONE one is lost and named
n=$(evs "select(.eventName == \"openat\" and .args[1].value == \"$W/yes\" and .returnValue >= 0)" | wc -l)
is "$n" 2 "the name in an untouched page is reported (read again at exit), as the plain one"
lost=$(evs 'select(.eventName == "openat" and .returnValue == -14) | .args[1].value' | head -n 1)
is "$lost" "null" "the PROT_NONE name is left empty"
like "$ERR" "read failures by event and argument: .*openat\\.pathname [1-9]" "the summary names openat.pathname among the read failures"
like "$ERR" "syscall arguments read at exit: [1-9][0-9]* after a failed read at entry" \
	"the late reads are counted"

# connect alone: no derived event, so the record is written straight into
# the task's entry element (bpf/progs_syscalls.h: tr_enter_direct), the
# address read there, last, as above
start_tracee -e connect -o "json:$OUT.direct"
is "$READY" 1 "tracee attached (-e connect)"
"$RACE" unix "$W" >"$TAP_TMP/unix2.txt"
ok $? "unix again: connect blocked, sun_path rewritten, connect returned"
sleep 1
stop_tracee
addrs=$(jq -c 'select(.processName == "toctou-race" and .eventName == "connect" and
	.returnValue == 0) | .args[1].value.sun_path' "$OUT.direct" | sort | uniq -c | sed 's/^ *//')
is "$addrs" "2 \"$W/sock\"" "connect alone: both connects report $W/sock"

# execve from a forked child, the name and argv[0] in an untouched page:
# the read at entry fails, the event waits for sys_exit, which takes them
# from the new image (the kernel's copies) or, for a failed exec, from the
# caller's memory faulted in by then.  They were left empty.
start_tracee -e execve -o "json:$OUT"
is "$READY" 1 "tracee attached (-e execve)"
"$RACE" exec "$W" /bin/true >/dev/null
ok $? "exec: a child exec'd /bin/true, another $W/none"
sleep 1
stop_tracee
ex=$(evs 'select(.eventName == "execve") | [.returnValue, .args[0].value, .args[1].value[0]]' | sort)
is "$ex" "[-2,\"$W/none\",\"$W/none\"]
[0,\"/bin/true\",\"/bin/true\"]" "both execs report their pathname and argv"
like "$ERR" "syscall arguments read at exit: [1-9]" "read at exit, counted as such"

# A full entry map: the record is built at exit, and that is counted.
TRACEE_ENTRY_MAX=1 start_tracee -e openat -o "json:$OUT"
is "$READY" 1 "tracee attached with entry maps of 1"
rm -f "$W/fifo"
"$RACE" fifo "$W" >/dev/null
ok $? "fifo again: the other thread's calls run while the blocked one holds the entry"
sleep 1
stop_tracee
fifo=$(evs "select(.eventName == \"openat\" and .returnValue >= 0 and (.args[1].value | tostring | test(\"/w/(fifo|fake)$\"))) | .args[1].value" | sort -u)
is "$fifo" "\"$W/fifo\"" "the blocked openat, kept at entry, still reports the name used"
like "$ERR" "[1-9][0-9]* records not kept at entry \\(entry maps full\\)" \
	"records that found the map full are counted"

TRACEE_ENTRY_MAX=0 start_tracee -e openat -o json:/dev/null
stop_tracee
[ "$RC" -ne 0 ]
ok $? "TRACEE_ENTRY_MAX=0 is refused"
like "$ERR" "TRACEE_ENTRY_MAX=0: give a number" "with a line naming it and the fix"
done_testing
