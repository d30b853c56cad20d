#!/bin/sh
# select_corrupt.sh - corrupt objects: a clear one-line error, a non-zero
# exit, no output, and nothing left loaded, attached or pinned (bpftool and
# /proc/*/fdinfo after the runs; select_unwind.sh checks the same from
# inside the process, before it exits).

. "$top_srcdir/tests/integration/select_lib.sh"
command -v bpftool >/dev/null 2>&1 || skip_all "bpftool is missing"

bpf_prog_ids >"$TAP_TMP/before"

bad() { # FILE DESCRIPTION REGEX [tracee args]
	tl_f=$1 tl_d=$2 tl_re=$3
	shift 3
	TRACEE_BPF_FILE=$tl_f run_tracee 10 "$@"
	is "$RC" 1 "$tl_d: exit 1"
	like "$ERR" "$tl_re" "$tl_d: the error says what is wrong"
	is "$(printf '%s\n' "$ERR" | grep -c '^tracee: .*\(corrupt\|refused\)')" 1 \
		"$tl_d: one error line"
	[ ! -f "$OUT" ] && [ "$READY" = 0 ]
	ok $? "$tl_d: nothing started, no output file"
}

head -c 4096 /dev/urandom >"$TAP_TMP/random.o"
bad "$TAP_TMP/random.o" "random bytes" "random.o: not an ELF file \(the object is corrupt or not a tracee eBPF object; fix or unset TRACEE_BPF_FILE\)"

head -c 40000 "$CORE_OBJ" >"$TAP_TMP/trunc.o"
bad "$TAP_TMP/trunc.o" "truncated object" "trunc.o: truncated"

llvm-objcopy --rename-section .tracee.meta=.tracee.xxxx "$CORE_OBJ" "$TAP_TMP/nometa.o" && chmod 0644 "$TAP_TMP/nometa.o"
bad "$TAP_TMP/nometa.o" "object without .tracee.meta" "nometa.o: no .tracee.meta section"

cp /bin/true "$TAP_TMP/x86.o"
bad "$TAP_TMP/x86.o" "an x86 program" "x86.o: an ELF file for machine 62, not eBPF"

# Programs' bytes scrambled: the ELF is fine, libbpf is not.
python3 - "$CORE_OBJ" "$TAP_TMP/scrambled.o" <<'PY' || skip_all "python3 is missing"
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
    if name.startswith('raw_tp/'):
        for j in range(s[4], s[4] + s[5], 8):
            d[j] = 0xff          # an invalid opcode in every instruction
open(sys.argv[2], 'wb').write(d)
PY
chmod 0644 "$TAP_TMP/scrambled.o"
bad "$TAP_TMP/scrambled.o" "scrambled instructions" "open .*scrambled.o: .*corrupt"

# One program starts with "exit" and R0 unset: libbpf is happy, the
# verifier is not (after it accepted the programs before it).
python3 - "$CORE_OBJ" "$TAP_TMP/unverified.o" <<'PY'
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
bad "$TAP_TMP/unverified.o" "a program the verifier rejects" \
	"load .*unverified.o: .*\(the kernel refused it.*run with -v for the kernel's log\)" \
	-e openat,sched_process_exit

# A program for a tracepoint this kernel does not have: switched off before
# load with a warning naming the event; the rest runs.
python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(d.replace(b"raw_tp/sched_process_exit", b"raw_tp/sched_process_exix"))
' "$CORE_OBJ" "$TAP_TMP/badtp.o" && chmod 0644 "$TAP_TMP/badtp.o"
TRACEE_BPF_FILE=$TAP_TMP/badtp.o run_tracee 20 -e openat,sched_process_exit
is "$RC" 0 "a hook the kernel lacks is switched off, not fatal"
like "$ERR" "warning: event sched_process_exit is off" "the event left without a hook is named"
traced
ok $? "the other events are traced"

left=$(orphans "$TAP_TMP/before")
is "$left" "" "no tr_* program is left loaded without an owner"
pins=$(find /sys/fs/bpf -name 'tr_*' 2>/dev/null | head -n 1)
is "$pins" "" "nothing is pinned"

done_testing
