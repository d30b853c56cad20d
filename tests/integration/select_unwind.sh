#!/bin/sh
# select_unwind.sh - all or nothing, seen from inside the process: after a
# failed load (the verifier refuses a program) or a failed attach midway
# (injected after two programs were attached), tracee's loader holds no
# eBPF program, map, link or BTF fd.  The TAP comes from loader-unwind.

. "$top_srcdir/tests/integration/select_lib.sh"

HELPER=$top_builddir/tests/integration/loader-unwind
[ -x "$HELPER" ] || skip_all "loader-unwind is not built ($HELPER)"

# One program starts with "exit" and R0 unset: the verifier refuses it.
python3 - "$CORE_OBJ" "$TAP_TMP/unverified.o" <<'PY' || skip_all "python3 is missing"
import sys, struct
d = bytearray(open(sys.argv[1], 'rb').read())
shoff, = struct.unpack_from('<Q', d, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3a)
def sh(i):
    return struct.unpack_from('<IIQQQQIIQQ', d, shoff + i * shentsize)
stroff = sh(shstrndx)[4]
for i in range(shnum):
    s = sh(i)
    name = d[stroff + s[0]:d.index(0, stroff + s[0])].decode()
    if name == 'raw_tp/sched_process_exit':
        d[s[4]:s[4] + 8] = bytes([0x95, 0, 0, 0, 0, 0, 0, 0])
open(sys.argv[2], 'wb').write(d)
PY
chmod 0644 "$TAP_TMP/unverified.o"
cp "$CORE_OBJ" "$TAP_TMP/good.o"
"$HELPER" "$TAP_TMP/good.o" "$TAP_TMP/unverified.o" "$INST"
