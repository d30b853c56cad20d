#!/bin/sh
# capture_module.sh - -c module (root, real eBPF, a real init_module(2) call).
#
#   - a process calls init_module with a 100 KB image of its own making
#     (this kernel may refuse modules; what the syscall was given is
#     captured anyway): out/host/module.<time>.<pid> holds the image byte for
#     byte (sha256), 0600, and capture_module gives its length, bytes and
#     the call's return value;
#   - finit_module(2) on a file of known bytes (refused as well): the file is
#     copied from where the caller saw it, out/host/module.<time>.<pid>,
#     byte for byte, and capture_module names its path;
#   - a file replaced (renamed over) right after its finit_module: never
#     captured in its place (the copy is checked by device and inode),
#     counted as gone.

CAP_TAG=capmod
CAP_PY="calls init_module and reads the JSON"
. "$top_srcdir/tests/integration/capture_lib.sh"

# The caller: WANT-FILE.  Not an ELF object: a kernel with modules refuses it
# (ENOEXEC), one without them never looks (ENOSYS).  Prints the result.
cat >"$D/insmod.py" <<'PY'
import ctypes, os, random, sys
open("/proc/self/comm", "w").write("capmod-load")
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
rnd = random.Random(os.getpid())
img = b"not-a-module" + bytes(rnd.getrandbits(8) for _ in range(100000))
buf = ctypes.create_string_buffer(img, len(img))
ret = libc.syscall(175, buf, ctypes.c_ulong(len(img)), b"")
open(sys.argv[1], "wb").write(img)
print("%d %d" % (os.getpid(), ret if ret >= 0 else -ctypes.get_errno()))
PY

# finit_module(FILE): CALL-PATH [REPLACE-WITH]; the file is opened through
# a symlink, the kernel's path is the file's own.  Prints pid and result.
cat >"$D/finsmod.py" <<'PY'
import ctypes, os, sys
open("/proc/self/comm", "w").write("capmod-load")
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
fd = os.open(sys.argv[1], os.O_RDONLY)
ret = libc.syscall(313, ctypes.c_int(fd), b"", ctypes.c_int(0))
err = ctypes.get_errno()
if len(sys.argv) > 2:
    os.rename(sys.argv[2], os.path.realpath(sys.argv[1]))
os.close(fd)
print("%d %d" % (os.getpid(), ret if ret >= 0 else -err))
PY

events() { # TAG: length capture_path bytes returnValue, one a line
	python3 - "$D/$1.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("eventName") != "capture_module":
        continue
    a = {x["name"]: x["value"] for x in e["args"]}
    print(a["length"], a["capture_path"], a["bytes"], e["returnValue"], a["pathname"] or "-")
PY
}

start mod -c module -c "dir:$D/cap" -e capture_module --scope comm=capmod-load
ok $? "tracee starts with -c module"
set -- $(python3 "$D/insmod.py" "$D/img.want")
PID=$1 RET=$2
like "$RET" "^-[0-9]+$" "init_module refuses the image ($RET)"
stop
ok $? "tracee exits 0"
set -- $(events mod)
is "$1 $3 $4" "100012 100012 $RET" "capture_module: its length, the bytes kept, the call's return value"
like "$2" "^$D/cap/out/host/module\.[0-9]+\.$PID$" "named out/host/module.<time>.<pid>"
is "$(sha256sum "${2:-/dev/null}" | cut -d' ' -f1)" "$(sha256sum "$D/img.want" | cut -d' ' -f1)" \
	"it holds the image the call was given, byte for byte"
is "$(stat -c '%a %u' "${2:-/dev/null}")" "600 0" "0600 and root's"
is "$5" "-" "init_module names no file"

# finit_module: the file it was given
mkdir -p "$D/mods"
head -c 70000 /dev/urandom >"$D/mods/evil.ko"
ln -s "$D/mods/evil.ko" "$D/mods/link.ko"
head -c 50000 /dev/urandom >"$D/mods/gone.ko"
head -c 50000 /dev/urandom >"$D/mods/other.ko"
cp "$D/mods/other.ko" "$D/mods/replacement.ko"
start fmod -c module -c "dir:$D/fcap" -e capture_module --scope comm=capmod-load
ok $? "tracee starts with -c module (finit_module)"
set -- $(python3 "$D/finsmod.py" "$D/mods/link.ko")
PID=$1 RET=$2
like "$RET" "^-[0-9]+$" "finit_module refuses the file ($RET)"
set -- $(python3 "$D/finsmod.py" "$D/mods/gone.ko" "$D/mods/other.ko")
GPID=$1
stop
ok $? "tracee exits 0"
events fmod >"$D/fmod.ev"
set -- $(grep " $D/mods/evil.ko\$" "$D/fmod.ev")
is "$1 $3 $4" "70000 70000 $RET" "capture_module: the file's length, the bytes kept, the call's return value"
like "$2" "^$D/fcap/out/host/module\.[0-9]+\.$PID$" "named out/host/module.<time>.<pid>"
is "$(sha256sum "${2:-/dev/null}" | cut -d' ' -f1)" "$(sha256sum "$D/mods/evil.ko" | cut -d' ' -f1)" \
	"it holds the file the call was given, byte for byte"
bad=0
for f in "$D"/fcap/out/host/*; do
	cmp -s "$f" "$D/mods/replacement.ko" && bad=$((bad + 1))
done
is "$bad" 0 "a file replaced right after its finit_module is never captured in its place"
ok "$(grep -q "module\.[0-9]*\.$GPID " "$D/fmod.ev"; [ $? -ne 0 ]; echo $?)" "and no event claims it"
like "$(grep 'capture:' "$D/fmod.err")" ": 1 stored .* 1 gone or replaced" "the summary counts it as gone"

done_testing
