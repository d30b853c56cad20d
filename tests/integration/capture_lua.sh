#!/bin/sh
# capture_lua.sh - tracee.capture(e, "file") and tracee.capture(e, "mem")
# (root, real eBPF, real files and memory), with only -c dir: nothing is
# captured but what a policy asks for.
#
#   - "file" on a security_file_open: the file opened is copied (sha256),
#     0600, out/host/file.<time>.<name>, with a capture_file event naming it;
#   - "file" on an openat whose path goes through a symlink: not followed,
#     nothing copied, counted as gone;
#   - "file" on a file replaced right after it was opened: the replacement
#     is never copied in its place (checked by the event's dev and inode);
#   - "mem" on a mem_prot_alert: the region's bytes, read from the running
#     process, out/host/mem.<time>.<pid>.<address>, with capture_mem;
#   - the built-in dynamic_code_loading rule asks for the same by itself;
#   - the built-in ld_preload rule copies an /etc/ld.so.preload written in a
#     private mount namespace (a tmpfs over /etc: the host's is untouched),
#     as the writer's namespace has it;
#   - an unknown kind is the script's error, named.

CAP_TAG=capl
CAP_PY="maps memory and reads the JSON"
. "$top_srcdir/tests/integration/capture_lib.sh"
command -v unshare >/dev/null 2>&1 || skip_all "unshare is missing (util-linux)"


# The capture events of a run: event pathname-or-address capture_path size-or-bytes.
captures() { # TAG
	python3 - "$D/$1.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    n = e.get("eventName")
    a = {x["name"]: x["value"] for x in e.get("args", [])}
    if n == "capture_file":
        print(n, a["pathname"], a["capture_path"], a["size"])
    elif n == "capture_mem":
        print(n, a["address"], a["capture_path"], a["bytes"], a["length"])
PY
}

# The W->X program of capture_mem.sh, staying alive a moment after its mprotect.
cat >"$D/wx.py" <<'PY'
import ctypes, mmap, os, sys, time
open("/proc/self/comm", "w").write("capl-wx")
libc = ctypes.CDLL(None, use_errno=True)
n = 16384
m = mmap.mmap(-1, n, prot=mmap.PROT_READ | mmap.PROT_WRITE)
pat = (b"tracee-capture-lua-mem-%d-" % os.getpid() * (n // 20 + 1))[:n]
m[:] = pat
addr = ctypes.addressof(ctypes.c_char.from_buffer(m))
if libc.mprotect(ctypes.c_void_p(addr), ctypes.c_size_t(n), 5) != 0:
    sys.exit("mprotect: errno %d" % ctypes.get_errno())
open(sys.argv[1], "wb").write(pat)
print("%d %d" % (os.getpid(), addr))
sys.stdout.flush()
time.sleep(1.5)
os._exit(0)
PY

# The files: opened (read) by a process named capl-open.
cat >"$D/open.py" <<'PY'
import os, sys
open("/proc/self/comm", "w").write("capl-open")
for p in sys.argv[1:]:
    if p.startswith("replace:"):
        src, dst = p[8:].split(",")
        fd = os.open(dst, os.O_RDONLY)
        os.rename(src, dst)	# right after the open
        os.close(fd)
    else:
        os.close(os.open(p, os.O_RDONLY))
PY

cat >"$D/pol.lua" <<'LUA'
tracee.on("security_file_open", function(e)
	local p = e.args.pathname
	if p:find("/files/capl%-") then
		tracee.capture(e, "file")
	end
end)
tracee.on("openat", function(e)
	if e.args.pathname:find("/via%-link/") then
		tracee.capture(e, "file")
	end
end)
tracee.on("mem_prot_alert", function(e)
	if e.processName == "capl-wx" then
		tracee.capture(e, "mem")
	end
end)
LUA

mkdir -p "$D/files"
head -c 30000 /dev/urandom >"$D/files/capl-a"
head -c 20000 /dev/urandom >"$D/files/capl-b"
ln -s "$D/files" "$D/via-link"
head -c 40000000 /dev/zero >"$D/files/capl-big"
head -c 20000 /dev/urandom >"$D/files/capl-c"
head -c 20000 /dev/urandom >"$D/capl-c.new"
cp "$D/capl-c.new" "$D/capl-c.replacement"

start pol -c "dir:$D/cap" -s "$D/pol.lua" -e capture_file,capture_mem \
	--scope comm=capl-open,capl-wx
ok $? "tracee starts with a policy that captures and -c dir alone"
python3 "$D/open.py" "$D/files/capl-a" "$D/via-link/capl-b"
# the 40 MB copy keeps the worker busy while capl-c is replaced
python3 "$D/open.py" "$D/files/capl-big" "replace:$D/capl-c.new,$D/files/capl-c"
set -- $(python3 "$D/wx.py" "$D/wx.want")
PID=$1 ADDR=$2
sleep 1
stop
ok $? "tracee exits 0"
captures pol >"$D/pol.cap"
set -- $(awk -v p="$D/files/capl-a" '$1 == "capture_file" && $2 == p' "$D/pol.cap")
like "$3" "^$D/cap/out/host/file\.[0-9]+\.capl-a$" "\"file\": out/host/file.<time>.<name>"
is "$4" 30000 "capture_file gives its size"
is "$(sha "${3:-/dev/null}")" "$(sha "$D/files/capl-a")" "the copy is the file opened"
is "$(stat -c '%a %u' "${3:-/dev/null}")" "600 0" "0600 and root's"
is "$(grep -c via-link "$D/pol.cap")" 0 "a path through a symlink: not followed, nothing copied"
bad=0
for f in "$D"/cap/out/host/*; do
	cmp -s "$f" "$D/capl-c.replacement" && bad=$((bad + 1))
done
is "$bad" 0 "a file replaced right after its open is never copied in its place"
like "$(grep 'capture:' "$D/pol.err")" " [1-9][0-9]* gone or replaced" \
	"the symlinked (and any replaced) file counted as gone"
set -- $(awk '$1 == "capture_mem"' "$D/pol.cap")
is "$2 $4 $5" "$ADDR 16384 16384" "\"mem\": capture_mem gives the region, all its bytes"
like "$3" "^$D/cap/out/host/mem\.[0-9]+\.$PID\.0x$(printf %x "$ADDR")$" \
	"named out/host/mem.<time>.<pid>.<address>"
is "$(sha "${3:-/dev/null}")" "$(sha "$D/wx.want")" "it holds what the process wrote there"

# the built-in rules ask for the capture themselves
start sig -c "dir:$D/capsig" --signatures dynamic_code_loading,ld_preload \
	-e capture_mem,capture_file --scope comm=capl-wx,capl-preload
ok $? "tracee starts with dynamic_code_loading, ld_preload and -c dir"
set -- $(python3 "$D/wx.py" "$D/wx2.want")
PID=$1
printf '/opt/evil-%s.so\n' $$ >"$D/preload.want"
unshare -m sh -c "mount --make-rprivate / && mount -t tmpfs tmpfs /etc &&
	exec python3 -c '
import os, shutil, sys, time
open(\"/proc/self/comm\", \"w\").write(\"capl-preload\")
with open(\"/etc/ld.so.preload\", \"w\") as f:
    f.write(open(sys.argv[1]).read())
time.sleep(1)
' '$D/preload.want'"
ok $? "a process writes /etc/ld.so.preload in a namespace of its own"
sleep 0.5
stop
ok $? "tracee exits 0"
captures sig >"$D/sig.cap"
set -- $(awk '$1 == "capture_mem"' "$D/sig.cap")
is "$(sha "${3:-/dev/null}")" "$(sha "$D/wx2.want")" \
	"dynamic_code_loading: the region made executable is captured"
set -- $(awk '$1 == "capture_file" && $2 == "/etc/ld.so.preload"' "$D/sig.cap")
is "$(cat "${3:-/dev/null}")" "$(cat "$D/preload.want")" \
	"ld_preload: the writer's /etc/ld.so.preload is captured, as its namespace has it"
ok "$(grep -q evil /etc/ld.so.preload 2>/dev/null; [ $? -ne 0 ]; echo $?)" \
	"the host's /etc/ld.so.preload is untouched"

# an unknown kind
cat >"$D/bad.lua" <<'LUA'
tracee.on("sched_process_exec", function(e) tracee.capture(e, "disk") end)
LUA
start bad -c "dir:$D/capbad" -s "$D/bad.lua" -e sched_process_exec --scope comm=true
ok $? "tracee starts with a script asking for an unknown kind"
/bin/true
stop
like "$(cat "$D/bad.err")" "unknown capture kind \(use \"exec\", \"file\" or \"mem\"\)" \
	"the script's error names the kinds"

done_testing
