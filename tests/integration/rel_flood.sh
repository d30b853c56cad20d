#!/bin/sh
# rel_flood.sh - a flood that outruns the reader.  tracee is stopped
# (SIGSTOP) while a workload opens files as fast as it can, so the 16 MiB
# ring buffer fills: the kernel side counts each reserve failure, per CPU,
# where it happens (the stats map), --stats and the exit summary report
# them, nothing crashes, and memory stays bounded.  (The ring buffer size
# is fixed in the loader, so stopping the reader is how to outrun it on a
# 2-CPU machine.)

. "$top_srcdir/tests/integration/rel_lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing"
command -v bpftool >/dev/null 2>&1 || skip_all "bpftool is missing"

NR=${REL_FLOOD_OPENS:-400000}
flood() {
	python3 - "$TAP_TMP/marker" "$NR" <<'PY'
import os, sys
p, n = sys.argv[1], int(sys.argv[2])
for _ in range(n):
    os.close(os.open(p, os.O_RDONLY))
PY
}
: >"$TAP_TMP/marker"

start_tracee -e openat -o "json:$TAP_TMP/out.json" --stats
is "$READY" 1 "tracee attached"
kill -STOP "$TPID"
flood
# The per-CPU counters, read while the reader is stopped.
stats_id=
for id in $(cat /proc/"$TPID"/fdinfo/* 2>/dev/null | sed -n 's/^map_id:[[:space:]]*\([0-9]*\)$/\1/p' | sort -un); do
	bpftool map show id "$id" 2>/dev/null | grep -q ' name stats ' && stats_id=$id
done
percpu=
[ -n "$stats_id" ] && percpu=$(bpftool -j map lookup id "$stats_id" key 1 0 0 0 2>/dev/null |
	tr '{' '\n' | sed -n 's/^"cpu":\([0-9]*\),"value":\[\(.*\)\]}.*/cpu\1=\2/p' |
	python3 -c '
import sys
out = []
for l in sys.stdin:
    cpu, v = l.strip().split("=", 1)
    b = [int(x, 16) for x in v.replace("\"", "").split(",")]
    out.append("%s:%d" % (cpu, int.from_bytes(bytes(b), "little")))
print(" ".join(out))')
diag "ring buffer reserve failures per CPU (stats map $stats_id): $percpu"
echo "$percpu" | grep -Eq 'cpu[0-9]+:[1-9]'
ok $? "the kernel side counted the reserve failures where they happened, per CPU"
kill -CONT "$TPID"
sleep 3
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/"$TPID"/status)
stop_tracee
is "$RC" 0 "no crash, clean exit"
diag "$(printf '%s\n' "$ERR" | grep -v '^tracee: stats:')"
lost=$(summary_field kernel)
[ "${lost:-0}" -gt 0 ]
ok $? "the exit summary reports the events lost in the kernel ($lost)"
like "$ERR" "^tracee: stats: events received [0-9]+, written [0-9]+, lost [1-9][0-9]* \(kernel [1-9]" \
	"--stats reports them as they happen"
recv=$(summary_field received)
[ "$((recv + lost))" -ge "$NR" ]
ok $? "received $recv + lost $lost cover the $NR opens"
accounted "flood"
# ASan's shadow memory and quarantine take their share: 4x under it.
max_kb=${REL_MAX_HWM_KB:-131072}
grep -aq __asan_init "$TRACEE" 2>/dev/null && max_kb=$((max_kb * 4))
[ "${hwm:-999999999}" -lt "$max_kb" ]
ok $? "memory stays bounded: VmHWM ${hwm} kB < $max_kb kB (16 MiB ring + buffers)"
done_testing
