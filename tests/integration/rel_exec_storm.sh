#!/bin/sh
# rel_exec_storm.sh - an exec storm (parallel fork+exec loops, exec chains
# without fork, pids reused as they go) does not corrupt the process tree:
# every exec event of the storm's programs names the program it ran, in
# processName (the 15-byte comm) and executable.path.

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing"

BIN=$TAP_TMP/bin
mkdir -p "$BIN"
NR_PROGS=40
i=0
while [ "$i" -lt "$NR_PROGS" ]; do
	# Long names too: comm keeps 15 bytes.
	if [ $((i % 2)) = 0 ]; then n=p$i; else n=a_rather_long_program_name_$i; fi
	cp /bin/true "$BIN/$n"
	i=$((i + 1))
done
# An exec chain: the same pid execs three programs in a row.
cat >"$BIN/chain" <<SH
#!/bin/sh
exec "$BIN/p0"
SH
chmod 0755 "$BIN/chain"

start_tracee -e sched_process_exec -o "json:$TAP_TMP/out.json"
is "$READY" 1 "tracee attached"
storm() {
	for round in 1 2 3 4 5; do
		for p in "$BIN"/*; do
			"$p"
		done
	done
}
pids=
for j in 1 2 3 4; do
	storm &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p"
done
sleep 1
stop_tracee
is "$RC" 0 "clean exit"
accounted "exec storm"

python3 - "$TAP_TMP/out.json" "$BIN" "$NR_PROGS" >"$TAP_TMP/check" <<'PY'
import json, os, sys
path, bindir, nr = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen, bad = 0, []
for line in open(path):
    e = json.loads(line)
    args = {a["name"]: a["value"] for a in e["args"]}
    pn = args.get("pathname") or ""
    if not pn.startswith(bindir + "/"):
        continue
    seen += 1
    want = os.path.basename(pn)[:15]
    if e["processName"] != want or e["executable"]["path"] != pn:
        bad.append("pid %d: processName %r executable %r, ran %r" %
                   (e["processId"], e["processName"], e["executable"]["path"], pn))
want_min = 4 * 5 * (nr + 1)      # storms x rounds x (programs + the p0 the chain execs)
print("# %d exec events of the storm (at least %d expected), %d wrong" % (seen, want_min, len(bad)))
for b in bad[:10]:
    print("# " + b)
print("RESULT %d %d %d" % (seen, want_min, len(bad)))
PY
grep '^#' "$TAP_TMP/check"
set -- $(sed -n 's/^RESULT //p' "$TAP_TMP/check")
[ -n "$1" ] && [ "$1" -gt 0 ] && [ "$3" = 0 ]
ok $? "every exec event names the program it ran (processName, executable.path)"
[ -n "$1" ] && [ "$1" -ge "$2" ]
ok $? "no exec of the storm is missing ($1 >= $2)"
done_testing
