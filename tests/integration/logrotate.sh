#!/bin/sh
# logrotate.sh - SIGHUP reopens file outputs; logrotate rotates the output
# under load and nothing is lost (root, real eBPF).  logrotate runs with a
# private config and state file in $D; /etc/logrotate* is not read.
#   1. findings stream in while logrotate moves the file away three times
#      (create, postrotate: kill -HUP): every finding is in exactly one of
#      the files, every line whole;
#   2. SIGHUP without a rotation appends to the same file (no truncation);
#   3. the packages' logrotate configuration passes logrotate --debug.
. "$top_srcdir/tests/integration/sink_lib.sh"

LOGROTATE=$(command -v logrotate || echo /usr/sbin/logrotate)
[ -x "$LOGROTATE" ] || skip_all "logrotate is not installed"

if ! start out -s "$SIG" --signatures TEST-SINK; then
	ok 1 "tracee starts with a file output"
	done_testing
fi
ok 0 "tracee starts with a file output"
cat >"$D/lr.conf" <<EOF
$D/out.json {
	rotate 10
	nocompress
	missingok
	create 0600 root root
	postrotate
		kill -HUP \$(cat $D/out.pid)
	endscript
}
EOF
chmod 0644 "$D/lr.conf"	# logrotate ignores a group-writable file (umask 002)

# load: findings until told to stop, the count in $D/load.n
(
	n=0
	while [ ! -e "$D/load.stop" ]; do
		hits $((n + 1)) $((n + 50))
		n=$((n + 50))
	done
	echo $n >"$D/load.n"
) &
LOAD=$!
rotations=0
for r in 1 2 3; do
	sleep 0.5
	"$LOGROTATE" -f -s "$D/lr.state" "$D/lr.conf" 2>>"$D/lr.err" && rotations=$((rotations + 1))
done
sleep 0.3
: >"$D/load.stop"
wait $LOAD
N=$(cat "$D/load.n")
is "$rotations" 3 "logrotate rotated the output three times under load"
[ -s "$D/lr.err" ] && diag "$(cat "$D/lr.err")"
stop
is "$?" 0 "tracee exits 0 on SIGINT"
ls "$D"/out.json* >"$D/files"
is "$(grep -c . "$D/files")" 4 "the output and three rotated files"
python3 - "$N" "$D"/out.json* <<'PY' >"$D/check" 2>&1
import json, re, sys
n = int(sys.argv[1])
seen = {}
nonempty = 0
for path in sys.argv[2:]:
    lines = open(path, "rb").read().split(b"\n")
    assert lines[-1] == b"", "%s ends in a partial line" % path
    if len(lines) > 1:
        nonempty += 1
    for line in lines[:-1]:
        d = json.loads(line)
        if d.get("eventName") != "sink_hit":
            continue
        p = [a["value"] for a in d["args"] if a["name"] == "pathname"][0]
        k = int(re.search(r"hit-(\d+)\.sink-hit", p).group(1))
        seen[k] = seen.get(k, 0) + 1
missing = [k for k in range(1, n + 1) if k not in seen]
twice = [k for k, c in seen.items() if c > 1]
print("files with findings %d, findings %d, missing %s, twice %s" % (nonempty, len(seen), missing[:5], twice[:5]))
sys.exit(0 if not missing and not twice and nonempty >= 3 else 1)
PY
ok $? "every one of the $N findings is in exactly one file, every line whole: $(cat "$D/check")"

# --- 2. SIGHUP alone: the same file, appended to -------------------------------------
if start hup -s "$SIG" --signatures TEST-SINK; then
	hits 5001 5010
	sleep 0.5
	kill -HUP "$(cat "$D/hup.pid")"
	sleep 0.3
	hits 5011 5020
	stop
	is "$(grep -c '"eventName":"sink_hit"' "$D/hup.json")" 20 "SIGHUP without rotation: the file keeps all 20 findings"
else
	ok 1 "tracee starts for the SIGHUP test"
fi

# --- 3. what the packages ship ---------------------------------------------------------
for f in "$top_srcdir/debian/tracee.logrotate" "$top_srcdir/rpm/tracee.logrotate"; do
	# installed 0644 by the package; a clone made under umask 002 has it
	# group-writable, which logrotate refuses
	install -m 0644 "$f" "$D/pkg.logrotate"
	"$LOGROTATE" --debug -s "$D/pkg.state" "$D/pkg.logrotate" >"$D/pkg.out" 2>&1
	st=$?
	[ $st -eq 0 ] && ! grep -qi 'error' "$D/pkg.out"
	ok $? "logrotate --debug accepts ${f#"$top_srcdir"/}"
	grep -q '/var/log/tracee/tracee.json' "$f"
	ok $? "${f#"$top_srcdir"/} rotates the default output file"
done
done_testing
