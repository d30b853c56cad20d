#!/bin/sh
# capture_bpf.sh - -c bpf (root, real eBPF, real program loads by another process).
#
#   - a raw bpf(BPF_PROG_LOAD) of a small socket filter: the capture
#     out/host/bpf.<time>.<pid>.<name> holds its instructions byte for byte
#     (sha256), 0600, and capture_bpf gives name, type, count and bytes, with
#     the load's return value (a program fd);
#   - a program of 3001 instructions (24 KiB, six chunks): the same;
#   - a program the verifier refuses is captured too, its return value < 0.

CAP_TAG=capb
CAP_PY="loads the program and reads the JSON"
. "$top_srcdir/tests/integration/capture_lib.sh"

# The loader: NAME N-INSNS WANT-FILE [bad]: r0 = distinct immediates N times, then exit
# (bad: no exit, which the verifier refuses).  Prints the syscall's return value.
cat >"$D/load.py" <<'PY'
import ctypes, struct, sys
open("/proc/self/comm", "w").write("capb-load")
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def insn(code, dst, src, off, imm):
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)
n = int(sys.argv[2])
prog = b"".join(insn(0xb7, 0, 0, 0, 0x5eed0000 + i) for i in range(n))
if len(sys.argv) < 5:
    prog += insn(0x95, 0, 0, 0, 0)
buf = ctypes.create_string_buffer(prog, len(prog))
lic = ctypes.create_string_buffer(b"GPL")
attr = ctypes.create_string_buffer(128)
struct.pack_into("<IIQQIIQII16s", attr, 0, 1, len(prog) // 8, ctypes.addressof(buf),
                 ctypes.addressof(lic), 0, 0, 0, 0, 0, sys.argv[1].encode())
ret = libc.syscall(321, 5, attr, 128)
open(sys.argv[3], "wb").write(prog)
print(ret if ret >= 0 else -ctypes.get_errno())
PY

# The capture_bpf events: prog_name prog_type insn_cnt capture_path bytes returnValue.
events() { # TAG
	python3 - "$D/$1.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("eventName") != "capture_bpf":
        continue
    a = {x["name"]: x["value"] for x in e["args"]}
    print(a["prog_name"], a["prog_type"], a["insn_cnt"], a["capture_path"], a["bytes"],
          e["returnValue"])
PY
}


start load -c bpf -c "dir:$D/cap" -e capture_bpf --scope comm=capb-load
ok $? "tracee starts with -c bpf"
R1=$(python3 "$D/load.py" capt_small 5 "$D/small.want")
like "$R1" "^[0-9]+$" "the socket filter loads (fd $R1)"
python3 "$D/load.py" capt_big 3000 "$D/big.want" >/dev/null
R3=$(python3 "$D/load.py" capt_bad 4 "$D/bad.want" bad)
like "$R3" "^-[0-9]+$" "a program without exit is refused ($R3)"
stop
ok $? "tracee exits 0"
events load >"$D/load.ev"
is "$(wc -l <"$D/load.ev")" 3 "three capture_bpf events, one a load"
set -- $(awk '$1 == "capt_small"' "$D/load.ev")
is "$2 $3 $5 $6" "1 6 48 $R1" "type, count, bytes and the load's return value"
like "$4" "^$D/cap/out/host/bpf\.[0-9]+\.[0-9]+\.capt_small$" "named out/host/bpf.<time>.<pid>.<name>"
is "$(sha "$4")" "$(sha "$D/small.want")" "it holds the instructions byte for byte"
is "$(stat -c '%a %u' "$4")" "600 0" "0600 and root's"
set -- $(awk '$1 == "capt_big"' "$D/load.ev")
is "$3 $5" "3001 24008" "3001 instructions: 24008 bytes"
is "$(sha "${4:-/dev/null}")" "$(sha "$D/big.want")" "byte for byte across chunks"
set -- $(awk '$1 == "capt_bad"' "$D/load.ev")
is "$6" "$R3" "the refused load: its return value"
is "$(sha "${4:-/dev/null}")" "$(sha "$D/bad.want")" "and what it was given"
is "$(find "$D/cap/out" -type f | wc -l)" 3 "no other file"

done_testing
