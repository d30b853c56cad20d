#!/bin/sh
# select_install.sh - the install path: a CO-RE object is used; a
# kernel-specific object for the running kernel is preferred over it.

. "$top_srcdir/tests/integration/select_lib.sh"

out=$("$TRACEE" --install-path "$INST" --build-policy never --probe 2>&1)
like "$out" "object: none" "nothing to choose before the install path is filled"

mkdir -m 0700 "$INST" && cp "$CORE_OBJ" "$INST/tracee.bpf.core.o"
run_tracee 20 --build-policy never
is "$RC" 0 "tracee runs from the install path"
is "$(chosen)" "$INST/tracee.bpf.core.o" "the CO-RE object in the install path is chosen"
like "$ERR" "CO-RE object in the install path, BTF /sys/kernel/btf/vmlinux" "and the line says why"
traced
ok $? "the marker's openat is traced"

KOBJ=$INST/tracee.bpf.$RELEASE.$VERSION.o
relabel "$CORE_OBJ" "$KOBJ" kernel "$RELEASE"
ok $? "a kernel-specific object for $RELEASE is placed next to it"
run_tracee 20 --build-policy never
is "$RC" 0 "tracee runs"
is "$(chosen)" "$KOBJ" "the kernel-specific object is preferred over the CO-RE one"
like "$ERR" "kernel-specific object for $RELEASE in the install path" "and the line says why"
traced
ok $? "the marker's openat is traced"

out=$("$TRACEE" --install-path "$INST" --probe 2>&1)
like "$out" "object: $KOBJ" "--probe picks the same object"

# Objects for another release or version are not looked at.
rm -f "$KOBJ"
relabel "$CORE_OBJ" "$INST/tracee.bpf.0.0.0-other.$VERSION.o" kernel 0.0.0-other
run_tracee 20 --build-policy never
is "$(chosen)" "$INST/tracee.bpf.core.o" "an object named for another kernel is ignored"

# An object left by another tracee version is passed over, not loaded.
rm -f "$INST"/tracee.bpf.*.o
relabel "$CORE_OBJ" "$INST/tracee.bpf.core.o" core "" 0.0.1-old
run_tracee 10 --build-policy never -v
is "$RC" 2 "a CO-RE object from another tracee version is not used"
like "$ERR" "tracee.bpf.core.o skipped: built by tracee 0.0.1-old, this is $VERSION" "-v says why"

done_testing
