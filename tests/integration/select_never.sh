#!/bin/sh
# select_never.sh - --build-policy never with nothing usable: exit 2 and one
# message listing the ways out (kernel BTF hidden; with and without --btf).

TL_HIDE_BTF=1
. "$top_srcdir/tests/integration/select_lib.sh"

run_tracee 10 --build-policy never --btf "$KBTF"
is "$RC" 2 "BTF but no object anywhere: exit 2"
like "$ERR" "no usable eBPF object for kernel $RELEASE \(--build-policy never" "the error says why"
like "$ERR" "tracee.bpf.core.o in $INST or $TRACEE_PKGLIBDIR" "it names where a CO-RE object would do"
like "$ERR" "TRACEE_BPF_FILE" "it offers TRACEE_BPF_FILE"
like "$ERR" "kernel headers and clang" "it offers building"
is "$(printf '%s\n' "$ERR" | grep -c '^tracee: no usable')" 1 "one line"
[ ! -f "$OUT" ]
ok $? "no output file"

out=$("$TRACEE" --install-path "$INST" --build-policy never --btf "$KBTF" --probe 2>/dev/null)
rc=$?
is "$rc" 2 "--probe exits 2 too"
like "$out" "^object: none" "--probe: object none"

mkdir -m 0700 "$INST" && cp "$CORE_OBJ" "$INST/tracee.bpf.core.o"
run_tracee 10 --build-policy never
is "$RC" 2 "no BTF, only a CO-RE object: exit 2"
like "$ERR" "enable BTF \(CONFIG_DEBUG_INFO_BTF\) or pass --btf FILE" "it offers BTF and --btf"
like "$ERR" "TRACEE_BPF_FILE" "it offers TRACEE_BPF_FILE"
like "$ERR" "install the kernel headers and clang" "it offers building"
like "$ERR" "tracee.bpf.core.o skipped: CO-RE object.* need BTF" "it says why the CO-RE object was passed over"

run_tracee 10 --build-policy if-needed --kernel-headers "$TAP_TMP/no-headers"
is "$RC" 2 "if-needed without headers: exit 2"
like "$ERR" "no kernel headers at $TAP_TMP/no-headers to build one" "it says the headers are missing"

done_testing
