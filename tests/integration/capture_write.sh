#!/bin/sh
# capture_write.sh - -c write (root, real eBPF, real files and pipes).
#
#   - a process writes a pseudo-random 1 MB to a matching file in odd-sized
#     write(2)s, some writev(2)s, and pwrite(2)s back over earlier offsets:
#     the capture out/host/write.dev-D.inode-I is byte-identical (sha256) to
#     the file, 0600; no chunk went missing; the capture_file_write events
#     name the file and add up to the bytes written;
#   - a file the glob does not match, written by the same process: nothing;
#   - write:type=pipe: the bytes through a pipe, in order, and no file;
#   - max-file-size and the quota: the capture stops there, counted;
#   - in a podman container: out/<container id>/, the path as the container
#     sees it;
#   - bad -c write values: one line, exit 1.

CAP_TAG=capw
CAP_PY="writes and reads the JSON"
. "$top_srcdir/tests/integration/capture_lib.sh"

# The writer: MODE TARGET [OTHER].  Its comm is capw-writer, for --scope.
cat >"$D/writer.py" <<'PY'
import os, random, sys
open("/proc/self/comm", "w").write("capw-writer")
mode, target = sys.argv[1], sys.argv[2]
rnd = random.Random(20261204)
data = bytes(rnd.getrandbits(8) for _ in range(1 << 20))
if mode == "file":
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    i = n = 0
    while i < len(data):
        k = min(len(data) - i, rnd.choice((1, 7, 333, 4095, 4097, 9999, 21001)))
        if n % 5 == 4 and k > 2:	# every fifth as a writev of two pieces
            os.writev(fd, [data[i:i + k // 2], data[i + k // 2:i + k]])
        else:
            os.write(fd, data[i:i + k])
        i += k
        n += 1
    # pwrite over earlier offsets: the capture must hold the last bytes there
    for off in (0, 4090, 500001, len(data) - 10):
        os.pwrite(fd, b"overwritten-%d" % off, off)
    os.close(fd)
    other = os.open(sys.argv[3], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(other, data[:50000])
    os.close(other)
elif mode == "pipe":
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w)
        while os.read(r, 65536):
            pass
        os._exit(0)
    os.close(r)
    os.write(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), b"not a pipe")
    i = 0
    while i < 300000:
        k = rnd.choice((100, 3000, 7777))
        os.write(w, data[i:i + k])
        i += k
    os.close(w)
    os.waitpid(pid, 0)
    open(target + ".want", "wb").write(data[:i])
PY

# The capture_file_write events: pathname capture_path bytes, one a line.
events() { # TAG
	python3 - "$D/$1.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("eventName") != "capture_file_write":
        continue
    a = {x["name"]: x["value"] for x in e["args"]}
    print(a["pathname"], a["capture_path"], a["bytes"])
PY
}

summary() { # TAG: the capture chunks line of the run's summary
	grep 'capture chunks' "$D/$1.err"
}


# 1. a file: odd-sized writes, writev and pwrite, byte for byte
mkdir -p "$D/w"
start file -c "write=$D/w/match*" -c "dir:$D/cap" -e capture_file_write --scope comm=capw-writer
ok $? "tracee starts with -c write=$D/w/match*"
python3 "$D/writer.py" file "$D/w/match-1" "$D/w/other"
ok $? "the writer wrote 1 MB and a file the glob does not match"
stop
ok $? "tracee exits 0"
INO=$(stat -c %i "$D/w/match-1")
set -- "$D"/cap/out/host/write.dev-*.inode-"$INO"
ok "$([ -f "$1" ]; echo $?)" "the capture is out/host/write.dev-D.inode-$INO"
CAP=$1
is "$(sha "$CAP")" "$(sha "$D/w/match-1")" "its sha256 is the written file's (writes, writev, pwrite)"
is "$(stat -c '%a %u %s' "$CAP")" "600 0 $(stat -c %s "$D/w/match-1")" "0600, root's, the file's size"
is "$(find "$D/cap/out" -type f | wc -l)" 1 "nothing for the file the glob does not match"
like "$(summary file)" ", 0 calls with chunks missing, 0 calls cut" "no chunk went missing, no call cut"
events file >"$D/file.ev"
is "$(awk -v p="$D/w/match-1" -v c="$CAP" '$1 != p || $2 != c' "$D/file.ev" | wc -l)" 0 \
	"every capture_file_write names the file and its capture"
is "$(awk '{ s += $3 } END { print s }' "$D/file.ev")" $(( (1 << 20) + 13 + 16 + 18 + 19 )) \
	"their bytes add up to what was written ($(wc -l <"$D/file.ev") calls)"

# 2. a pipe, with write:type=pipe
start pipe -c write:type=pipe -c "dir:$D/capp" -e capture_file_write --scope comm=capw-writer
ok $? "tracee starts with -c write:type=pipe"
python3 "$D/writer.py" pipe "$D/w/plain"
stop
set -- $(find "$D/capp/out" -type f)
is "$#" 1 "one capture: the pipe's, not the regular file's"
is "$(sha "$1")" "$(sha "$D/w/plain.want")" "it holds the bytes sent through the pipe, in order"
like "$(events pipe | head -n 1)" "^pipe:\\[[0-9]+\\] " "capture_file_write names the pipe as pipe:[INODE]"

# 3. max-file-size
start limit -c "write=$D/w/match" -c max-file-size=100K -c "dir:$D/capl" -e capture_file_write \
	--scope comm=capw-writer
ok $? "tracee starts with max-file-size=100K"
python3 "$D/writer.py" file "$D/w/match-2" "$D/w/other"
stop
set -- $(find "$D/capl/out" -type f)
is "$(stat -c %s "$1")" 102400 "the capture stops at max-file-size"
ok "$(cmp -n 102400 "$1" "$D/w/match-2" >/dev/null; echo $?)" "and holds the file's first 100K"
like "$(grep 'capture:' "$D/limit.err" | head -n 1)" " [1-9][0-9]* too large" "what did not fit is counted"

# 3b. the quota, shared with every other artifact
start quota -c "write=$D/w/match" -c quota=300K -c "dir:$D/capq" -e capture_file_write \
	--scope comm=capw-writer
ok $? "tracee starts with quota=300K"
python3 "$D/writer.py" file "$D/w/match-3" "$D/w/other"
stop
set -- $(find "$D/capq/out" -type f)
ok "$([ "$(stat -c %s "${1:-/dev/null}")" -le 307200 ]; echo $?)" \
	"the capture holds no more than the quota ($(stat -c %s "${1:-/dev/null}") bytes)"
like "$(grep 'capture:' "$D/quota.err" | head -n 1)" " [1-9][0-9]* over the quota" \
	"what did not fit is counted"

# 3c. in a real container: out/<container id>/, the path as the container sees it
if command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1; then
	. "$top_srcdir/tests/integration/podman_lib.sh"
	cleanup() {
		[ -n "$TPID" ] && kill -INT "$TPID" 2>/dev/null && wait "$TPID" 2>/dev/null
		pm_cleanup
		rm -rf "$TAP_TMP"
	}
	if pm_setup; then
		pm_rootfs "$D/img"
		IMG=localhost/tracee-capw:$$
		pm_import "$D/img" "$IMG"
		ok $? "podman import builds the test image"
		start ctr -c write=/capw-ctr -c "dir:$D/capk" -e capture_file_write --scope container
		ok $? "tracee starts for the container case"
		LOOP='i=0; while [ $i -lt 2000 ]; do printf "capw-line-%d\n" $i; i=$((i + 1)); done'
		# shellcheck disable=SC2086
		pm_run capw $PM_HOST_VOLS "$IMG" /bin/sh -c "$LOOP >/capw-ctr.out; sleep 1" \
			>"$D/pm.out" 2>&1
		ok $? "a shell in a podman container writes /capw-ctr.out"
		CID=$(pm inspect --format '{{.Id}}' capw 2>/dev/null)
		sleep 1
		stop
		sh -c "$LOOP" >"$D/ctr.want"
		set -- $(events ctr | sort -u -k1,2 | head -n 1)
		is "$1" "/capw-ctr.out" "capture_file_write gives the path in the container"
		like "$2" "^$D/capk/out/$CID/write\.dev-[0-9]+\.inode-[0-9]+$" \
			"the capture is out/<container id>/write.dev-D.inode-I"
		is "$(sha "${2:-/dev/null}")" "$(sha "$D/ctr.want")" "it holds what the shell wrote"
		pm_cleanup
		pm_gone
		ok $? "nothing of podman is left"
	else
		skip "cannot make a private mount namespace for podman"
	fi
else
	skip "podman and runc are missing (apt-get install podman runc)"
fi

# 4. bad values
for bad in "write=relative/path" "write:type=fifo"; do
	"$TRACEE" -c "$bad" -o none >"$D/bad.out" 2>"$D/bad.err"
	is $? 1 "-c $bad: exit 1"
	is "$(wc -l <"$D/bad.err")" 1 "-c $bad: one line"
	like "$(cat "$D/bad.err")" "capture '$bad': " "-c $bad: names the value"
done

done_testing
