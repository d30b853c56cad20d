#!/bin/sh
# select_btf.sh - external BTF: with /sys/kernel/btf hidden (a tmpfs over it
# in a private mount namespace), a CO-RE object is skipped unless --btf or
# TRACEE_BTF_FILE gives the kernel's BTF; a bad BTF file is a clear error.

TL_HIDE_BTF=1
. "$top_srcdir/tests/integration/select_lib.sh"

out=$("$TRACEE" --probe 2>&1)
like "$out" "^btf: no" "--probe: no kernel BTF once it is hidden"
like "$out" "^tp_btf: no" "--probe: no tp_btf without kernel BTF"

mkdir -m 0700 "$INST" && cp "$CORE_OBJ" "$INST/tracee.bpf.core.o"
run_tracee 10 --build-policy never -v
is "$RC" 2 "without BTF the CO-RE object is skipped and nothing is usable: exit 2"
like "$ERR" "tracee.bpf.core.o skipped: CO-RE objects need BTF" "-v says why it was skipped"

run_tracee 20 --build-policy never --btf "$KBTF"
is "$RC" 0 "tracee runs with --btf"
is "$(chosen)" "$INST/tracee.bpf.core.o" "the CO-RE object is chosen"
like "$ERR" "BTF $KBTF\)" "with the external BTF named"
traced
ok $? "the marker's openat is traced"

TRACEE_BTF_FILE=$KBTF run_tracee 20 --build-policy never
is "$RC" 0 "tracee runs with TRACEE_BTF_FILE"
traced
ok $? "the marker's openat is traced"

cp /etc/passwd "$TAP_TMP/notbtf" && chmod 0644 "$TAP_TMP/notbtf"
run_tracee 5 --btf "$TAP_TMP/notbtf"
is "$RC" 1 "a file that is not BTF is refused"
like "$ERR" "BTF file $TAP_TMP/notbtf: not readable as BTF" "the error says so"
is "$READY" 0 "nothing was started"

ln -s "$KBTF" "$TAP_TMP/btf.link"
run_tracee 5 --btf "$TAP_TMP/btf.link"
is "$RC" 1 "a symlinked BTF file is refused"
like "$ERR" "btf.link: is a symbolic link" "the error says so"

chmod 0666 "$KBTF"
run_tracee 5 --btf "$KBTF"
is "$RC" 1 "a world-writable BTF file is refused"
like "$ERR" "vmlinux.btf: writable by group or others" "the error says so"

done_testing
