#!/bin/sh
# sink_webhook.sh - -o webhook:URL to a real HTTP server (python3's
# http.server on 127.0.0.1; root, real eBPF).
#   1. the receiver answers 500 to the first requests, then 200: the
#      retries deliver every finding, in batches of at most
#      option:webhook-batch, as JSON arrays of Tracee's objects;
#   2. option:webhook-batch=1 posts each finding as one object;
#   3. a receiver that answers 400 refuses: counted as lost, reported;
#   4. nobody listening: what is left at exit is counted;
#   5. bad URLs are refused before anything starts.
. "$top_srcdir/tests/integration/sink_lib.sh"

RECV=$top_srcdir/tests/integration/webhook-receiver.py
"$TRACEE" -o webhook:http://127.0.0.1:1/ --help >/dev/null 2>&1 ||
	skip_all "this tracee was built without libcurl"

receiver() { # NAME FAIL_COUNT FAIL_STATUS: started, port in $PORT
	bg_start "$1" python3 "$RECV" "$D/$1.port" "$D/$1.out" "$2" "$3"
	wait_for 10 test -s "$D/$1.port" || return 1
	PORT=$(cat "$D/$1.port")
}
received() { # NAME: distinct findings accepted
	sed -n 's/.*"value": "\([^"]*\.sink-hit\)".*/\1/p' "$D/$1.out" 2>/dev/null | sort -u | grep -c .
}
has() { [ "$(received "$1")" -ge "$2" ]; }
sink_line() { grep -F "output webhook:$1: written" "$D/$2.err"; }

# --- 1. 500 for a while, then 200 ------------------------------------------
receiver flaky 3 500
ok $? "the receiver listens on 127.0.0.1:$PORT and answers 500 to its first 3 requests"
URL=http://127.0.0.1:$PORT/hook
if start flaky -s "$SIG" --signatures TEST-SINK -o "webhook:$URL" -o option:webhook-batch=10; then
	hits 1 60
	wait_for 40 has flaky 60
	stop
	is "$?" 0 "tracee exits 0 on SIGINT"
	is "$(received flaky)" 60 "every one of the 60 findings was delivered"
	st=$(sink_line "$URL" flaky)
	like "$st" "written 60, lost 0 .*reconnects or retries [3-9]" "tracee counts 60 written, none lost, 3 or more retries"
	is "$(awk '$1 == 500' "$D/flaky.out.requests" | grep -c .)" 3 "three requests were answered 500"
	bad=$(awk '$2 != "application/json" || $4 != "array" || $3 < 1 || $3 > 10' "$D/flaky.out.requests")
	is "$bad" "" "each request: application/json, a JSON array of 1 to 10 findings"
	python3 - "$D/flaky.out" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert d["eventName"] == "sink_hit"
    assert d["metadata"]["Properties"]["signatureID"] == "TEST-SINK"
    assert isinstance(d["processId"], int) and d["hostName"]
PY
	ok $? "each element is the finding as Tracee's JSON object"
	like "$(cat "$D/flaky.err")" "webhook:$URL: POST failed: HTTP status 500; retrying with back-off" \
		"the failure was reported once"
	like "$(cat "$D/flaky.err")" "webhook:$URL: delivering again" "and its end"
else
	ok 1 "tracee starts with a webhook output"
fi
bg_stop flaky

# --- 2. one finding per request, like Tracee ----------------------------------
receiver single 0 200
URL=http://127.0.0.1:$PORT/
if start single -s "$SIG" --signatures TEST-SINK -o "webhook:$URL" -o option:webhook-batch=1; then
	hits 101 105
	wait_for 20 has single 5
	stop
	is "$(received single)" 5 "batch=1: every finding delivered"
	is "$(awk '$4 != "object"' "$D/single.out.requests")" "" "batch=1: each request is one JSON object"
else
	ok 1 "tracee starts with webhook-batch=1"
fi
bg_stop single

# --- 3. a receiver that refuses --------------------------------------------------
receiver refuse 1000 400
URL=http://127.0.0.1:$PORT/
if start refuse -s "$SIG" --signatures TEST-SINK -o "webhook:$URL" -o option:webhook-batch=1; then
	hits 201 203
	wait_for 20 test "$(grep -c . "$D/refuse.out.requests" 2>/dev/null)" = 3
	stop
	like "$(sink_line "$URL" refuse)" "written 0, lost 3 \(queue full 0, given up 3\)" \
		"400: not retried, the findings counted as given up"
	like "$(cat "$D/refuse.err")" "HTTP status 400; the receiver refuses it" "and reported"
else
	ok 1 "tracee starts with a refusing receiver"
fi
bg_stop refuse

# --- 4. nobody listens -------------------------------------------------------------
URL=http://127.0.0.1:$(free_port tcp)/
if start gone -s "$SIG" --signatures TEST-SINK -o "webhook:$URL" -o option:webhook-timeout=2; then
	hits 301 304
	sleep 1
	stop
	like "$(sink_line "$URL" gone)" "written 0, lost 4 " "nobody listening: the 4 findings are counted as lost at exit"
	like "$(cat "$D/gone.err")" "webhook:$URL: POST failed: .*(refused|connect)" "the failure names the cause"
else
	ok 1 "tracee starts with nobody listening"
fi

# --- 5. bad URLs and options ---------------------------------------------------------
for bad in "webhook:ftp://x/" "webhook:http://" "webhook:" "option:webhook-batch=0" \
	"option:webhook-timeout=x"; do
	out=$("$TRACEE" -o "$bad" 2>&1)
	st=$?
	[ $st -ne 0 ] && [ "$(printf '%s\n' "$out" | grep -c .)" = 1 ]
	ok $? "-o $bad: refused in one line (exit $st): $out"
done
done_testing
