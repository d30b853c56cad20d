#!/bin/sh
# config_file.sh - --config FILE (YAML, keys named like the long options),
# for real (root, real eBPF).
#   1. a file with every option a run takes: each one shows its effect;
#   2. flags override the file (a repeatable one replaces its whole list);
#   3. bad files: an error naming the file, the line and the key, exit 1;
#   4. the shipped data/tracee.yaml is valid.
. "$top_srcdir/tests/integration/sink_lib.sh"

"$TRACEE" --config /dev/null --help >/dev/null 2>&1 || skip_all "this tracee was built without libyaml"

PORT=$(free_port tcp)
mkdir "$D/scripts" "$D/objs"
chmod 700 "$D/objs"
cp "$SIG" "$D/scripts/"
cat >"$D/extra.lua" <<'LUA'
tracee.signature {
	id = "TEST-CFG", name = "cfg_hit", version = "1", severity = 1,
	description = "test: an open of a *.cfg-hit file",
	events = { "security_file_open" },
	paths = { "*.cfg-hit" },
	on_event = function(e)
		if tracee.ends_with(e.args.pathname, ".cfg-hit") then
			tracee.finding { data = { unsafe = io ~= nil } }
		end
	end,
}
LUA
cat >"$D/all.yaml" <<EOF
# every option a run takes
events: [sched_process_exec]
output:
  - json:$D/all.json
  - option:parse-arguments
script:
  - $D/extra.lua
scripts-dir: $D/scripts
script-unsafe: true
signatures: [TEST-SINK, TEST-CFG]
scope:
  - uid=0
trace: []
capture:
  - exec
  - dir:$D/cap
install-path: $D/objs
build-policy: never
perf-buffer: true
allow-foreign-kernel-object: false
pidfile: $D/all.pid
stats: yes
verbose: on
server:
  http-address: 127.0.0.1:$PORT
  metrics: true
  healthz: true
EOF
"$TRACEE" --config "$D/all.yaml" 2>"$D/all.err" &
TPID=$!
wait_for 30 test -s "$D/all.pid"
ok $? "tracee starts from the file alone (its pidfile: pidfile)"
hits 1 3
: >"$D/x.cfg-hit"
/bin/true
sleep 1.5
python3 - "http://127.0.0.1:$PORT/metrics" >"$D/metrics" 2>&1 <<'PY'
import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())
PY
stop
is "$?" 0 "tracee exits 0 on SIGINT"
J=$D/all.json
is "$(grep -c '"eventName":"sink_hit"' "$J")" 3 "output, scripts-dir, signatures: the directory's signature fired 3 times into the file"
grep '"eventName":"cfg_hit"' "$J" | grep -q '"name":"unsafe","type":"bool","value":true'
ok $? "script, script-unsafe: the extra script ran with the io library"
grep -q '"eventName":"sched_process_exec"' "$J"
ok $? "events: exec events are written too"
grep '"eventName":"sink_hit"' "$J" | head -n 1 | grep -q '"name":"flags","type":"string","value":"O_WRONLY|O_CREAT'
ok $? "option:parse-arguments: flags are names"
# (by content: a copy of true run by another program first holds it)
find "$D/cap/out/host" -type f -exec sha256sum {} + 2>/dev/null |
	grep -q "^$(sha256sum /bin/true | cut -d' ' -f1) "
r=$?
ok $r "capture: /bin/true's exec was copied into the file's capture directory"
[ $r = 0 ] || diag "$(ls -R "$D/cap"; grep capture "$D/all.err")"
like "$(cat "$D/all.err")" "stats: events received" "stats: counters every second"
like "$(cat "$D/all.err")" "perf buffer" "perf-buffer and verbose: the reader says it uses the perf buffer"
grep -q 'tracee_findings_total{signature_id="TEST-SINK",signature_name="sink_hit"} 3' "$D/metrics"
ok $? "server: metrics served on the file's address"
[ -z "$(grep '"eventName":"sched_process_exec"' "$J" | grep -v '"userId":0,')" ]
ok $? "scope uid=0: only root's processes"
[ -z "$(ls -A "$D/objs")" ]
ok $? "install-path with build-policy never: nothing built there"

# --- 2. flags override --------------------------------------------------------------
# start: -o json:$D/flags.json --pidfile $D/flags.pid (waited for: it wins)
if start flags --config "$D/all.yaml" --signatures TEST-CFG --server "http-address=127.0.0.1:$PORT,healthz"; then
	: >"$D/y.cfg-hit"
	hits 10 11
	stop
	is "$(grep -c '"eventName":"cfg_hit"' "$D/flags.json")" 1 "-o and --signatures on the command line replace the file's"
	is "$(grep -c '"eventName":"sink_hit"' "$D/flags.json")" 0 "the file's signatures list is not merged in"
	is "$(grep -c '"eventName":"sink_hit"' "$D/all.json")" 3 \
		"the file's output was left alone (not opened, so not truncated)"
else
	ok 1 "tracee starts with --config and flags"
fi

# --- 3. bad files ---------------------------------------------------------------------
bad() { # NAME CONTENT REGEX
	printf '%s\n' "$2" >"$D/$1.yaml"
	out=$("$TRACEE" --config "$D/$1.yaml" 2>&1)
	st=$?
	[ $st -eq 1 ] && [ "$(printf '%s\n' "$out" | grep -c .)" = 1 ] &&
		printf '%s\n' "$out" | grep -Eq -- "$3"
	ok $? "$1: exit 1, one line: $out"
}
F=$D
bad unknown "stats: true
colour: red" "^tracee: $F/unknown.yaml:2: unknown key 'colour'"
bad badvalue "output:
  - json
  - jsno" "^tracee: $F/badvalue.yaml:3: key 'output': unknown output 'jsno'"
bad badbool "stats: maybe" "^tracee: $F/badbool.yaml:1: key 'stats': bad value 'maybe' \(true or false\)"
bad quotedbool "stats: \"true\"" "key 'stats': bad value 'true'"
bad notlist "pidfile: [a, b]" "^tracee: $F/notlist.yaml:1: key 'pidfile' takes one value, not a list"
bad twice "stats: true
stats: false" "^tracee: $F/twice.yaml:2: key 'stats' given twice"
bad syntax "output: [json" "^tracee: $F/syntax.yaml:[0-9]+: not valid YAML"
bad notmap "- json" "^tracee: $F/notmap.yaml:1: not a mapping of options"
bad nested "scope: {a: b}" "^tracee: $F/nested.yaml:1: key 'scope': bad value"
bad flagonly "help: true" "^tracee: $F/flagonly.yaml:1: a flag only, not a key 'help'"
bad badscope "scope: [uid>>1]" "^tracee: $F/badscope.yaml:1: key 'scope': "
bad badserver "server: {http-address: nowhere}" "^tracee: $F/badserver.yaml:1: key 'server': "
out=$("$TRACEE" --config "$D/missing.yaml" 2>&1)
[ $? -eq 1 ] && [ "$out" = "tracee: --config $D/missing.yaml: No such file or directory (name a readable YAML file)" ]
ok $? "a missing file: exit 1, one line: $out"

# --- 4. what the packages ship -----------------------------------------------------------
out=$("$TRACEE" --config "$top_srcdir/data/tracee.yaml" --help 2>&1 >/dev/null)
is "$?-$out" "0-" "data/tracee.yaml is valid"
done_testing
