#!/bin/sh
# capture_exec.sh - -c exec and tracee.capture (root, real eBPF, real files,
# a real podman container).
#
#   - a freshly written binary, executed, is captured byte for byte (its
#     sha256 is the file's and the capture_exec event's), 0600 in 0700
#     directories of root's, named out/host/exec.<time>.<name>;
#   - run again, the same content is not stored twice (deduplicated, the
#     event points at the first copy);
#   - a path replaced right after the exec is never captured in its place:
#     every copy is the executed content, or the exec is counted as gone;
#   - max-file-size and quota: what does not fit is counted, not stored;
#   - clear-dir empties out/; a symlink planted at out/ is refused in one
#     line, nothing started;
#   - without -c exec, a policy's tracee.capture(e, "exec") copies only what
#     it asks for;
#   - in a podman container, the copy goes to out/<container id>/;
#   - bad -c values: one line, exit 1.

CAP_TAG=capture
CAP_PY="reads the JSON"
. "$top_srcdir/tests/integration/capture_lib.sh"

# A binary of our own: true, with a tail making its content unique to this run.
mkbin() { # PATH TAIL
	cp /bin/true "$1.tmp" && printf '%s' "$2" >>"$1.tmp" && chmod 755 "$1.tmp" && mv "$1.tmp" "$1"
}

# The capture_exec events of a run, one line each: pathname capture_path sha256 size dedup.
captures() { # TAG
	python3 - "$D/$1.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("eventName") != "capture_exec":
        continue
    a = {x["name"]: x["value"] for x in e["args"]}
    print(a["pathname"], a["capture_path"], a["sha256"], a["size"], str(a["deduplicated"]).lower(),
          e.get("containerId", ""))
PY
}

summary() { # TAG: the capture line of the run's summary
	grep 'capture:' "$D/$1.err"
}

# 1. exec, dedup, layout
mkdir -p "$D/bin"
mkbin "$D/bin/capt-a" "tracee-capture-a-$$"
WANT=$(sha256sum "$D/bin/capt-a" | cut -d' ' -f1)
start basic -c exec -c "dir:$D/cap" -e capture_exec --scope comm=capt-a
ok $? "tracee starts with -c exec -c dir:$D/cap"
"$D/bin/capt-a"
sleep 0.3
"$D/bin/capt-a"
stop
ok $? "tracee exits 0"
captures basic >"$D/basic.cap"
is "$(wc -l <"$D/basic.cap")" 2 "two capture_exec events for two execs"
set -- $(sed -n 1p "$D/basic.cap")
is "$1" "$D/bin/capt-a" "capture_exec names the executed path"
like "$2" "^$D/cap/out/host/exec\.[0-9]+\.capt-a$" "the copy is out/host/exec.<time>.<name>"
is "$3" "$WANT" "the event's sha256 is the binary's"
is "$4" "$(stat -c %s "$D/bin/capt-a")" "the event's size is the binary's"
FIRST=$2
ok "$(cmp "$FIRST" "$D/bin/capt-a" >/dev/null 2>&1; echo $?)" "the copy is byte-identical"
is "$(sha256sum "$FIRST" | cut -d' ' -f1)" "$WANT" "the copy's sha256 is the binary's"
is "$(stat -c '%a %u' "$FIRST")" "600 0" "the copy is 0600 and root's"
is "$(stat -c '%a %u' "$D/cap" "$D/cap/out" "$D/cap/out/host" | sort -u)" "700 0" \
	"dir, out/ and out/host/ are 0700 and root's"
set -- $(sed -n 2p "$D/basic.cap")
is "$2 $5" "$FIRST true" "the second exec is deduplicated onto the first copy"
is "$(find "$D/cap/out" -type f | wc -l)" 1 "one file stored for two execs"
like "$(summary basic)" "capture: 1 stored .* 1 identical" "the summary counts 1 stored, 1 identical"

# 2. a path replaced right after its exec: never captured in its place
mkbin "$D/bin/capt-r" "tracee-capture-r-$$"
start replace -c exec -c "dir:$D/capr" -e capture_exec --scope comm=capt-r
ok $? "tracee starts (replacement race)"
N=25
i=0
: >"$D/replaced.sha"
while [ $i -lt $N ]; do
	mkbin "$D/bin/capt-r" "executed-$i-$$"
	sha256sum "$D/bin/capt-r" | cut -d' ' -f1 >>"$D/executed.sha"
	"$D/bin/capt-r"
	mkbin "$D/bin/capt-r" "replacement-$i-$$"
	sha256sum "$D/bin/capt-r" | cut -d' ' -f1 >>"$D/replaced.sha"
	i=$((i + 1))
done
stop
captures replace >"$D/replace.cap"
bad=0
for f in $(find "$D/capr/out" -type f); do
	s=$(sha256sum "$f" | cut -d' ' -f1)
	grep -qx "$s" "$D/replaced.sha" && bad=$((bad + 1))
	grep -qx "$s" "$D/executed.sha" || bad=$((bad + 1))
done
is "$bad" 0 "no copy holds a replacement's content (every copy is an executed one)"
got=$(summary replace | sed -n 's/.*: \([0-9]*\) stored .* \([0-9]*\) gone or replaced.*/\1 \2/p')
is "$(( ${got% *} + ${got#* } ))" $N "stored + gone add up to the $N execs ($got)"

# 2b. the same, made certain: a 40 MB binary keeps the worker busy while two
# paths are replaced after their exec.  The one still running is copied
# through the process (its original content); the one that exited leaves
# only a path whose file is not the executed one: counted as gone.
cp /bin/true "$D/bin/capt-big40" && head -c 40000000 /dev/zero >>"$D/bin/capt-big40"
cp /bin/sleep "$D/bin/capt-live" && printf 'live-%s' $$ >>"$D/bin/capt-live"
mkbin "$D/bin/capt-dead" "dead-$$"
LIVE=$(sha256sum "$D/bin/capt-live" | cut -d' ' -f1)
DEAD=$(sha256sum "$D/bin/capt-dead" | cut -d' ' -f1)
start busy -c exec -c "dir:$D/capb" -e capture_exec --scope comm=capt-big40,capt-live,capt-dead
ok $? "tracee starts (busy worker)"
"$D/bin/capt-big40"
"$D/bin/capt-live" 60 &
LPID=$!
"$D/bin/capt-dead"
cp /bin/sleep "$D/bin/capt-live.new" && printf 'other-%s' $$ >>"$D/bin/capt-live.new" &&
	mv "$D/bin/capt-live.new" "$D/bin/capt-live"
mkbin "$D/bin/capt-dead" "dead-replacement-$$"
# until the worker is done with the big one and the live one (or 30 s)
i=0
while ! grep -q 'capt-live' "$D/busy.json" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
stop
kill $LPID 2>/dev/null
wait $LPID 2>/dev/null
captures busy >"$D/busy.cap"
is "$(awk -v p="$D/bin/capt-live" '$1 == p { print $3 }' "$D/busy.cap")" "$LIVE" \
	"a running process's binary replaced on disk: the copy is what it executed"
# (under load the worker may still be quicker than the replacement: then the
# copy is the original; what must never be is the replacement's content)
dead=$(awk -v p="$D/bin/capt-dead" '$1 == p { print $3 }' "$D/busy.cap")
ok "$([ -z "$dead" ] || [ "$dead" = "$DEAD" ]; echo $?)" \
	"an exited process's binary replaced on disk: no copy, or the executed one (${dead:-none})"
[ -z "$dead" ] && like "$(summary busy)" ": 2 stored .* 1 gone or replaced" \
	"the summary counts it as gone"

# 3. limits
mkbin "$D/bin/capt-big" "tracee-capture-big-$$"
start limit -c exec -c "dir:$D/capl" -c max-file-size=1K -e capture_exec --scope comm=capt-big
ok $? "tracee starts with max-file-size=1K"
"$D/bin/capt-big"
stop
like "$(summary limit)" "0 stored .* 1 too large" "a binary over max-file-size is counted as too large"
is "$(find "$D/capl/out" -type f | wc -l)" 0 "and nothing is stored"
mkbin "$D/bin/capt-q1" "tracee-capture-q1-$$"
mkbin "$D/bin/capt-q2" "tracee-capture-q2-$$"
Q=$(( $(stat -c %s "$D/bin/capt-q1") + 100 ))
start quota -c exec -c "dir:$D/capq" -c "quota=$Q" -e capture_exec --scope comm=capt-q1,capt-q2
ok $? "tracee starts with quota=$Q"
"$D/bin/capt-q1"
sleep 0.3
"$D/bin/capt-q2"
stop
like "$(summary quota)" "1 stored .* 1 over the quota" "the second binary is over the quota, counted"
is "$(find "$D/capq/out" -type f | wc -l)" 1 "one file stored within the quota"

# 4. clear-dir, and a planted symlink
mkdir -p "$D/capc/out/host"
: >"$D/capc/out/host/old"
chmod 700 "$D/capc" "$D/capc/out" "$D/capc/out/host"
start clear -c "dir:$D/capc" -c clear-dir -e capture_exec
ok $? "tracee starts with clear-dir"
stop
is "$(find "$D/capc/out" -mindepth 1 | wc -l)" 0 "clear-dir emptied out/"
mkdir -p "$D/caps" "$D/elsewhere"
chmod 700 "$D/caps"
ln -s "$D/elsewhere" "$D/caps/out"
"$TRACEE" -c exec -c "dir:$D/caps" -e capture_exec -o none >"$D/sym.out" 2>"$D/sym.err"
is $? 1 "a symlink at out/ is refused: exit 1"
like "$(tail -n 1 "$D/sym.err")" "capture directory $D/caps/out: .*remove it" \
	"in one line naming it and the fix"
is "$(find "$D/elsewhere" -mindepth 1 | wc -l)" 0 "nothing was written where it pointed"

# 5. tracee.capture from a policy, without -c exec
cat >"$D/pick.lua" <<'LUA'
tracee.on("sched_process_exec", function(e)
	if e.processName == "capt-pick" then
		assert(tracee.capture(e, "exec"))
	end
end)
LUA
mkbin "$D/bin/capt-pick" "tracee-capture-pick-$$"
mkbin "$D/bin/capt-skip" "tracee-capture-skip-$$"
start lua -c "dir:$D/capp" -s "$D/pick.lua" --signatures -all -e capture_exec --scope comm=capt-pick,capt-skip
ok $? "tracee starts with a policy calling tracee.capture"
"$D/bin/capt-skip"
"$D/bin/capt-pick"
stop
captures lua >"$D/lua.cap"
is "$(cut -d' ' -f1 "$D/lua.cap")" "$D/bin/capt-pick" "only the exec the policy asked for is captured"
is "$(cut -d' ' -f3 "$D/lua.cap")" "$(sha256sum "$D/bin/capt-pick" | cut -d' ' -f1)" \
	"with the binary's sha256"

# 5b. a built-in rule asks for it: fileless_execution's memfd, while it runs
ACT="$top_builddir/tests/integration/sig-actions"
if [ -x "$ACT" ]; then
	start rule -c "dir:$D/capm" --signatures TRC-105 -e capture_exec
	ok $? "tracee starts with -c dir: and fileless_execution alone"
	"$ACT" cap-memfd memfd-exec /bin/sleep 1 2>>"$D/actions.err"
	stop
	captures rule >"$D/rule.cap"
	like "$(cut -d' ' -f1 "$D/rule.cap")" "^memfd:" "fileless_execution captured the memfd's executable"
	is "$(cut -d' ' -f3 "$D/rule.cap")" "$(sha256sum /bin/sleep | cut -d' ' -f1)" \
		"the copy is the code the memfd held"
	grep -q '"eventName":"fileless_execution"' "$D/rule.json"
	ok $? "and the finding is raised"
else
	skip "sig-actions is not built"
fi

# 6. bad input
for bad in "foo" "dir:relative/path" "quota=abc" "max-file-size=0"; do
	"$TRACEE" -c "$bad" -o none >"$D/bad.out" 2>"$D/bad.err"
	r=$?
	is "$r $(wc -l <"$D/bad.err")" "1 1" "-c $bad: exit 1, one line ($(cat "$D/bad.err"))"
done

# 7. in a real container: out/<container id>/
if command -v podman >/dev/null 2>&1 && command -v runc >/dev/null 2>&1; then
	. "$top_srcdir/tests/integration/podman_lib.sh"
	cleanup() {
		[ -n "$TPID" ] && kill -INT "$TPID" 2>/dev/null && wait "$TPID" 2>/dev/null
		pm_cleanup
		rm -rf "$TAP_TMP"
	}
	if pm_setup; then
		pm_rootfs "$D/img"
		mkbin "$D/img/capt-ctr" "tracee-capture-ctr-$$"
		IMG=localhost/tracee-capture:$$
		pm_import "$D/img" "$IMG"
		ok $? "podman import builds the test image"
		start ctr -c exec -c "dir:$D/capk" -e capture_exec --scope comm=capt-ctr
		ok $? "tracee starts for the container case"
		# shellcheck disable=SC2086
		pm_run capt $PM_HOST_VOLS "$IMG" /bin/sh -c "/capt-ctr; sleep 1" >"$D/pm.out" 2>&1
		ok $? "the binary runs in a podman container"
		CID=$(pm inspect --format '{{.Id}}' capt 2>/dev/null)
		sleep 1
		stop
		captures ctr >"$D/ctr.cap"
		set -- $(sed -n 1p "$D/ctr.cap")
		like "$2" "^$D/capk/out/$CID/exec\.[0-9]+\.capt-ctr$" \
			"the copy is out/<container id>/exec.<time>.<name>"
		is "$6" "$CID" "the capture_exec event names the container"
		is "$3" "$(sha256sum "$D/img/capt-ctr" | cut -d' ' -f1)" "the copy is the binary"
		pm_cleanup
		pm_gone
		ok $? "nothing of podman is left"
	else
		skip "cannot make a private mount namespace for podman"
	fi
else
	skip "podman and runc are missing (apt-get install podman runc)"
fi

done_testing
