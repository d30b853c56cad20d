#!/bin/sh
# select_env.sh - TRACEE_BPF_FILE: that object, or a hard error naming it;
# never a silent fallback to the install path.

. "$top_srcdir/tests/integration/select_lib.sh"

# A good object in the install path, to prove it is never used instead.
mkdir -m 0700 "$INST" && cp "$CORE_OBJ" "$INST/tracee.bpf.core.o"

cp "$CORE_OBJ" "$TAP_TMP/env.o"
TRACEE_BPF_FILE=$TAP_TMP/env.o run_tracee 20
is "$RC" 0 "tracee runs with TRACEE_BPF_FILE"
is "$(chosen)" "$TAP_TMP/env.o" "the TRACEE_BPF_FILE object is chosen over the install path"
like "$ERR" "eBPF object .*env.o \(TRACEE_BPF_FILE, CO-RE object, BTF /sys/kernel/btf/vmlinux\)" \
	"one line says which object and why"
traced
ok $? "the marker's openat is traced"

TRACEE_BPF_FILE=$TAP_TMP/missing.o run_tracee 5
[ "$RC" -ne 0 ] && [ "$RC" -ne 2 ]
ok $? "a missing TRACEE_BPF_FILE is an error, exit 1 (got $RC)"
like "$ERR" "missing.o: does not exist .*TRACEE_BPF_FILE" "the error names the file and the variable"
unlike=$(printf '%s\n' "$ERR" | grep -c "eBPF object $INST")
is "$unlike" 0 "no fallback to the install path"
is "$READY" 0 "nothing was started"

ln -s "$TAP_TMP/env.o" "$TAP_TMP/link.o"
TRACEE_BPF_FILE=$TAP_TMP/link.o run_tracee 5
is "$RC" 1 "a symlinked TRACEE_BPF_FILE is refused"
like "$ERR" "link.o: is a symbolic link" "the error says it is a symlink"

# group write counts when the group has other members: daemon's has daemon
cp "$CORE_OBJ" "$TAP_TMP/gw.o" && chgrp daemon "$TAP_TMP/gw.o" && chmod 0664 "$TAP_TMP/gw.o"
TRACEE_BPF_FILE=$TAP_TMP/gw.o run_tracee 5
is "$RC" 1 "a group-writable TRACEE_BPF_FILE is refused"
like "$ERR" "gw.o: writable by group or others" "the error says why"

out=$(TRACEE_BPF_FILE=$TAP_TMP/env.o "$TRACEE" --install-path "$INST" --probe 2>&1)
like "$out" "^object: $TAP_TMP/env.o \(TRACEE_BPF_FILE" "--probe names the TRACEE_BPF_FILE object"

done_testing
