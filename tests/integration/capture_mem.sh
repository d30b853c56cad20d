#!/bin/sh
# capture_mem.sh - -c mem (root, real eBPF, real mprotect).
#
#   - a process fills 16 KiB of anonymous RW memory with a known pattern and
#     mprotects it RX (what mem_prot_alert reports as W->X): the capture
#     out/host/mem.<time>.<pid>.<address> holds the pattern (sha256), 0600,
#     and a capture_mem event gives its address, length and bytes;
#   - mprotect RWX at once (alert "mprotect W+X") is captured the same way;
#   - a region made executable that never was writable: nothing;
#   - max-file-size: the capture stops there, counted.

CAP_TAG=capm
CAP_PY="maps memory and reads the JSON"
. "$top_srcdir/tests/integration/capture_lib.sh"

# The program: PROT (5: RX after RW, 7: RWX; 4: X of memory never writable) WANT-FILE.
cat >"$D/wx.py" <<'PY'
import ctypes, mmap, os, sys
open("/proc/self/comm", "w").write("capm-wx")
libc = ctypes.CDLL(None, use_errno=True)
prot, want = int(sys.argv[1]), sys.argv[2]
n = 16384
if prot == 4:
    m = mmap.mmap(-1, n, prot=mmap.PROT_READ)
    pat = bytes(n)
else:
    m = mmap.mmap(-1, n, prot=mmap.PROT_READ | mmap.PROT_WRITE)
    pat = (b"tracee-capture-mem-%d-" % os.getpid() * (n // 20 + 1))[:n]
    m[:] = pat
addr = ctypes.addressof(ctypes.c_char.from_buffer(m))
if libc.mprotect(ctypes.c_void_p(addr), ctypes.c_size_t(n), prot) != 0:
    sys.exit("mprotect: errno %d" % ctypes.get_errno())
open(want, "wb").write(pat)
print("%d %d" % (os.getpid(), addr))
sys.stdout.flush()
os._exit(0)
PY

# The capture_mem events: address length capture_path bytes, one a line.
events() { # TAG
	python3 - "$D/$1.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("eventName") != "capture_mem":
        continue
    a = {x["name"]: x["value"] for x in e["args"]}
    print(a["address"], a["length"], a["capture_path"], a["bytes"])
PY
}


start wx -c mem -c "dir:$D/cap" -e capture_mem --scope comm=capm-wx
ok $? "tracee starts with -c mem"
set -- $(python3 "$D/wx.py" 5 "$D/rx.want")
PID=$1 ADDR=$2
set -- $(python3 "$D/wx.py" 7 "$D/rwx.want")
PID2=$1 ADDR2=$2
python3 "$D/wx.py" 4 "$D/x.want" >/dev/null
stop
ok $? "tracee exits 0"
events wx >"$D/wx.ev"
is "$(wc -l <"$D/wx.ev")" 2 "two capture_mem events: RW->RX and RWX, none for memory never writable"
set -- $(awk -v a="$ADDR" '$1 == a' "$D/wx.ev")
is "$2 $4" "16384 16384" "RW->RX: the event gives the region's length and the bytes kept"
like "$3" "^$D/cap/out/host/mem\.[0-9]+\.$PID\.0x$(printf %x "$ADDR")$" "named out/host/mem.<time>.<pid>.<address>"
is "$(sha "$3")" "$(sha "$D/rx.want")" "it holds the pattern written before the mprotect"
is "$(stat -c '%a %u' "$3")" "600 0" "0600 and root's"
set -- $(awk -v a="$ADDR2" '$1 == a' "$D/wx.ev")
is "$(sha "${3:-/dev/null}")" "$(sha "$D/rwx.want")" "RWX at once: captured the same way"
is "$(find "$D/cap/out" -type f | wc -l)" 2 "no other file"

start limit -c mem -c max-file-size=5000 -c "dir:$D/capl" -e capture_mem --scope comm=capm-wx
ok $? "tracee starts with max-file-size=5000"
python3 "$D/wx.py" 5 "$D/rx2.want" >/dev/null
stop
set -- $(find "$D/capl/out" -type f)
is "$(stat -c %s "${1:-/dev/null}")" 5000 "the capture stops at max-file-size"
ok "$(cmp -n 5000 "$1" "$D/rx2.want" >/dev/null; echo $?)" "holding the region's first bytes"
like "$(grep 'capture:' "$D/limit.err" | head -n 1)" " [1-9][0-9]* too large" "what did not fit is counted"

done_testing
