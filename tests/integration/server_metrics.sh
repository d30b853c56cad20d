#!/bin/sh
# server_metrics.sh - --server http-address=ADDR,metrics,healthz scraped by
# Debian's Prometheus (root, real eBPF).  Prometheus runs from $D (its
# config, its data dir, a loopback port) and is stopped on exit.
#   1. Prometheus scrapes /metrics; its HTTP API shows a tracee counter
#      (findings of the test signature) move as findings happen;
#   2. the exposition passes promtool check metrics and has the counters
#      the issue names (received, filtered, lost by cause, per-output...);
#   3. per-program eBPF run counts while the kernel keeps them: switched on
#      with BPF_ENABLE_STATS (an fd that switches them off again when it is
#      closed), so kernel.bpf_stats_enabled is left as found;
#   4. /healthz is 200, then 503 while the reader is stalled (a policy that
#      sleeps in a callback), then 200 again;
#   5. the default address is loopback only; bad --server items are refused.
. "$top_srcdir/tests/integration/sink_lib.sh"

PROM=$(command -v prometheus || echo /usr/bin/prometheus)
[ -x "$PROM" ] || skip_all "prometheus is not installed (apt-get install prometheus)"
"$TRACEE" --server metrics --help >/dev/null 2>&1 || skip_all "this tracee was built without libmicrohttpd"

get() { # URL: the body (and the status in $D/status)
	python3 - "$1" "$D/status" <<'PY'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        status, body = r.status, r.read()
except urllib.error.HTTPError as e:
    status, body = e.code, e.read()
except Exception as e:
    status, body = 0, str(e).encode()
open(sys.argv[2], "w").write("%d\n" % status)
sys.stdout.write(body.decode())
PY
}

TPORT=$(free_port tcp)
PPORT=$(free_port tcp)
cat >"$D/prom.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: tracee
    static_configs:
      - targets: ['127.0.0.1:$TPORT']
EOF

cat >"$D/stall.lua" <<'LUA'
tracee.signature {
	id = "TEST-STALL", name = "stall", version = "1", severity = 0,
	description = "test: hold the reader in a callback for a while",
	events = { "security_file_open" },
	paths = { "*.stall-now" },
	on_event = function(e)
		if tracee.ends_with(e.args.pathname, ".stall-now") then
			os.execute("sleep 8")
		end
	end,
}
LUA

if ! start run -s "$SIG" -s "$D/stall.lua" --script-unsafe --signatures TEST-SINK,TEST-STALL \
	--server "http-address=127.0.0.1:$TPORT,metrics,healthz"; then
	ok 1 "tracee starts with --server"
	done_testing
fi
ok 0 "tracee starts with --server http-address=127.0.0.1:$TPORT,metrics,healthz"

bg_start prom "$PROM" --config.file="$D/prom.yml" --storage.tsdb.path="$D/promdata" \
	--web.listen-address="127.0.0.1:$PPORT"
query() { # PROMQL: the first sample's value, or nothing
	python3 - "http://127.0.0.1:$PPORT/api/v1/query" "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "?" + urllib.parse.urlencode({"query": sys.argv[2]})
try:
    d = json.load(urllib.request.urlopen(url, timeout=5))
    r = d["data"]["result"]
    if r:
        print(r[0]["value"][1])
except Exception:
    pass
PY
}
is_up() { [ "$(query 'up{job="tracee"}')" = 1 ]; }
wait_for 60 is_up
ok $? "Prometheus scrapes tracee (up{job=\"tracee\"} is 1)"

# --- 1. a counter moves ------------------------------------------------------
Q='tracee_findings_total{signature_id="TEST-SINK"}'
has_q() { [ -n "$(query "$Q")" ]; }
wait_for 20 has_q
before=$(query "$Q")
is "$before" 0 "Prometheus has $Q, 0 before any finding"
hits 1 25
at_least() { v=$(query "$Q"); [ "${v:-0}" -ge "$1" ] 2>/dev/null; }
wait_for 20 at_least 25
is "$(query "$Q")" 25 "after 25 findings, Prometheus' API shows it at 25"
rcv=$(query 'tracee_events_received_total')
[ "${rcv:-0}" -ge 25 ]
ok $? "tracee_events_received_total moved too ($rcv)"

# --- 2. the exposition -------------------------------------------------------
get "http://127.0.0.1:$TPORT/metrics" >"$D/metrics.txt"
is "$(cat "$D/status")" 200 "/metrics answers 200"
if command -v promtool >/dev/null 2>&1; then
	out=$(promtool check metrics <"$D/metrics.txt" 2>&1)
	ok $? "promtool check metrics accepts the exposition${out:+: $out}"
else
	skip "promtool is missing"
fi
for m in 'tracee_events_received_total ' 'tracee_events_made_total ' 'tracee_events_filtered_total{where="kernel"}' \
	'tracee_events_filtered_total{where="user"}' 'tracee_events_filtered_total{where="scripts"}' \
	'tracee_events_lost_total{cause="kernel_buffer"}' 'tracee_events_lost_total{cause="decode_error"}' \
	'tracee_events_lost_total{cause="kernel_recursion"} 0' \
	"tracee_output_written_total{output=\"json:$D/run.json\"}" \
	"tracee_output_queue_depth{output=\"json:$D/run.json\"}" \
	"tracee_output_dropped_total{output=\"json:$D/run.json\"}" \
	'tracee_findings_total{signature_id="TEST-SINK",signature_name="sink_hit"} 25' \
	'tracee_script_errors_total ' 'tracee_kernel_read_failures_total '; do
	grep -qF "$m" "$D/metrics.txt"
	ok $? "/metrics has $m"
done

# --- 3. per-program eBPF statistics, switched on for this test only ------------
was=$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)
bg_start bpfstats python3 -c '
import ctypes, os, signal, sys, time
libc = ctypes.CDLL(None, use_errno=True)
attr = (ctypes.c_uint32 * 4)(0, 0, 0, 0)	# BPF_STATS_RUN_TIME
fd = libc.syscall(321, 32, attr, 16)		# bpf(BPF_ENABLE_STATS)
if fd < 0:
    sys.exit("BPF_ENABLE_STATS: " + os.strerror(ctypes.get_errno()))
print("enabled", flush=True)
signal.pause()'
wait_for 10 grep -q enabled "$D/bpfstats.log"
ok $? "kernel eBPF statistics switched on through BPF_ENABLE_STATS"
runs() {
	get "http://127.0.0.1:$TPORT/metrics" |
		awk '/^tracee_bpf_program_runs_total\{/ { s += $2 } END { print s + 0 }'
}
has_runs() { [ "$(runs)" -gt 0 ]; }
hits 26 30
wait_for 10 has_runs
ok $? "tracee_bpf_program_runs_total counts program runs ($(runs))"
get "http://127.0.0.1:$TPORT/metrics" | grep -q '^tracee_bpf_program_run_seconds_total{program="'
ok $? "and tracee_bpf_program_run_seconds_total their time"
bg_stop bpfstats
is "$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)" "$was" "kernel.bpf_stats_enabled is as found ($was)"

# --- 4. /healthz ---------------------------------------------------------------
get "http://127.0.0.1:$TPORT/healthz" >"$D/h1"
is "$(cat "$D/status") $(cat "$D/h1")" "200 OK" "/healthz is 200 OK"
: >"$D/x.stall-now"	# the policy holds the reader for 8 s
stalled() { get "http://127.0.0.1:$TPORT/healthz" >"$D/h2"; [ "$(cat "$D/status")" = 503 ]; }
wait_for 10 stalled
ok $? "/healthz is 503 while the reader is stalled"
like "$(cat "$D/h2")" "stalled: the reader has not run for [0-9]+ ms" "and says why"
healthy() { get "http://127.0.0.1:$TPORT/healthz" >/dev/null; [ "$(cat "$D/status")" = 200 ]; }
wait_for 15 healthy
ok $? "/healthz is 200 again once the reader goes on"
get "http://127.0.0.1:$TPORT/nothing" >/dev/null
is "$(cat "$D/status")" 404 "other paths: 404"
stop
is "$?" 0 "tracee exits 0 on SIGINT"
bg_stop prom

# --- 5. the default address, bad items ---------------------------------------------
if start dflt -s "$SIG" --signatures TEST-SINK --server metrics; then
	ss -Hltn 'sport = :3366' >"$D/ss"
	grep -q '127.0.0.1:3366' "$D/ss" && ! grep -qE '(0\.0\.0\.0|\*|\[::\]):3366' "$D/ss"
	ok $? "--server metrics alone listens on 127.0.0.1:3366 only"
	stop
else
	ok 1 "tracee starts with --server metrics"
fi
for bad in "http-address=127.0.0.1" "http-address=127.0.0.1:0,metrics" "metrics,pprof" \
	"http-address=no.such.host.invalid:80,metrics" "http-address=127.0.0.1:9"; do
	out=$("$TRACEE" --server "$bad" 2>&1)
	st=$?
	[ $st -ne 0 ] && [ "$(printf '%s\n' "$out" | grep -c .)" = 1 ]
	ok $? "--server $bad: refused in one line (exit $st): $out"
done
done_testing
