#!/bin/sh
# capture_module.sh - -c module (root, real eBPF, a real init_module(2) call).
#
#   - a process calls init_module with a 100 KB image of its own making
#     (this kernel may refuse modules; what the syscall was given is
#     captured anyway): out/host/module.<time>.<pid> holds the image byte for
#     byte (sha256), 0600, and capture_module gives its length, bytes and
#     the call's return value.

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v sha256sum >/dev/null 2>&1 || skip_all "sha256sum is missing (coreutils)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing (it calls init_module and reads the JSON)"

TAP_TMP=$(mktemp -d /tmp/tracee-capmod.XXXXXX) || exit 1
D=$(cd "$TAP_TMP" && pwd -P)
chmod 755 "$D"
. "$top_srcdir/tests/integration/tagged_run.sh"

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

events() { # TAG: length capture_path bytes returnValue, one a line
	python3 - "$D/$1.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("eventName") != "capture_module":
        continue
    a = {x["name"]: x["value"] for x in e["args"]}
    print(a["length"], a["capture_path"], a["bytes"], e["returnValue"])
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

done_testing
