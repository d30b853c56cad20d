#!/bin/sh
# capture_exechash.sh - -o option:exec-hash (root, real eBPF, real binaries).
#
#   - a freshly written binary, executed twice: both sched_process_exec
#     events carry its sha256 (sha256sum's), and it was read and hashed
#     once (the summary's counters: 1 hashed, 1 from the cache);
#   - without any -c: no capture directory is needed;
#   - a binary deleted right after its exec (the process still runs): the
#     hash is the executed file's, read through the process;
#   - a binary rewritten after its exec and run again: a new ctime, a new
#     hash (the cache never answers for a changed file);
#   - a policy sees the argument too (e.args.sha256);
#   - a bad value: one line, exit 1.

CAP_TAG=exechash
CAP_PY="reads the JSON"
. "$top_srcdir/tests/integration/capture_lib.sh"

mkbin() { # PATH SOURCE TAIL
	cp "$2" "$1.tmp" && printf '%s' "$3" >>"$1.tmp" && chmod 755 "$1.tmp" && mv "$1.tmp" "$1"
}

# The sched_process_exec events of a run: pathname sha256, one a line.
execs() { # TAG
	python3 - "$D/$1.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("eventName") != "sched_process_exec":
        continue
    a = {x["name"]: x["value"] for x in e["args"]}
    print(a["pathname"], a.get("sha256", "-"))
PY
}

mkdir -p "$D/bin"
mkbin "$D/bin/xh-a" /bin/true "tracee-exechash-a-$$"
mkbin "$D/bin/xh-del" /bin/sleep "tracee-exechash-del-$$"
mkbin "$D/bin/xh-rw" /bin/true "tracee-exechash-rw1-$$"
A=$(sha "$D/bin/xh-a")
DEL=$(sha "$D/bin/xh-del")
RW1=$(sha "$D/bin/xh-rw")
cat >"$D/pol.lua" <<'LUA'
tracee.on("sched_process_exec", function(e)
	if e.args.pathname:find("/xh%-a$") then
		tracee.log("policy-sha256 " .. tostring(e.args.sha256))
	end
end)
LUA

start run -o option:exec-hash -s "$D/pol.lua" -e sched_process_exec --scope comm=xh-a,xh-del,xh-rw
ok $? "tracee starts with -o option:exec-hash and no -c"
"$D/bin/xh-a"
sleep 0.3
"$D/bin/xh-a"
"$D/bin/xh-del" 3 &
SPID=$!
rm -f "$D/bin/xh-del"
"$D/bin/xh-rw"
sleep 0.3
mkbin "$D/bin/xh-rw.new" /bin/true "tracee-exechash-rw2-$$"
cat "$D/bin/xh-rw.new" >"$D/bin/xh-rw"
RW2=$(sha "$D/bin/xh-rw")
"$D/bin/xh-rw"
sleep 0.5
stop
ok $? "tracee exits 0"
wait $SPID
execs run >"$D/run.ex"
is "$(grep -c "^$D/bin/xh-a $A\$" "$D/run.ex")" 2 "both execs of a fresh binary carry its sha256"
is "$(grep "^$D/bin/xh-del " "$D/run.ex" | cut -d' ' -f2)" "$DEL" \
	"a binary deleted right after its exec: the executed file's sha256"
is "$(grep "^$D/bin/xh-rw " "$D/run.ex" | cut -d' ' -f2 | tr '\n' ' ')" "$RW1 $RW2 " \
	"a binary rewritten between two execs: each exec its own content's sha256"
is "$(grep -c 'policy-sha256 ' "$D/run.err")" 2 "the policy saw both execs"
is "$(grep -o 'policy-sha256 .*' "$D/run.err" | sort -u)" "policy-sha256 $A" \
	"and e.args.sha256 is the binary's"
like "$(grep 'exec-hash:' "$D/run.err")" \
	"exec-hash: 4 files hashed, 1 execs from the cache, 0 late, 0 unreadable" \
	"four files read and hashed, the second exec of one answered from the cache"
ok "$([ ! -e "$D/cap" ]; echo $?)" "no capture directory made"
# the held execs come back through the capture's queue: counted once, as
# received (written counts the findings too)
sum=$(grep '^tracee: events received' "$D/run.err" | tail -n 1)
n() { printf '%s\n' "$sum" | sed -n "s/.*$1 \([0-9]*\).*/\1/p"; }
fnd=$(n findings)
[ -n "$sum" ] && [ -n "$fnd" ] && [ $(($(n 'events received') + $(n 'made in user space'))) -eq \
	$(($(n written) - fnd + $(n 'output') + $(n 'filtered in user space') + $(n 'dropped by scripts'))) ]
ok $? "every event accounted for once ($fnd findings): $sum"

# bad value
"$TRACEE" -o option:exec-hash=sha1 -e sched_process_exec >/dev/null 2>"$D/bad.err"
is $? 1 "option:exec-hash=sha1: exit 1"
is "$(wc -l <"$D/bad.err")" 1 "one line"
like "$(cat "$D/bad.err")" "unknown output option 'exec-hash=sha1'.*option:exec-hash" \
	"it names the option and the ones to use"

done_testing
