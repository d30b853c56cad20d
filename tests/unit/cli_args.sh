#!/bin/sh
# cli_args.sh - options go anywhere on the command line, as in GNU tools,
# in tracee and in its subcommands; `--` ends them.  No root: analyze only
# replays a recording, and bad arguments are refused before any eBPF.
. "$top_srcdir/tests/tap.sh"

[ -x "$TRACEE" ] || skip_all "tracee is not built ($TRACEE)"
tap_tmpdir
T=$TAP_TMP
# one exec event in Tracee's JSON schema
printf '%s\n' '{"timestamp":1700000000000000001,"processId":100,"threadId":100,"parentProcessId":1,"hostProcessId":100,"hostThreadId":100,"hostParentProcessId":1,"userId":0,"processName":"true","eventId":"1003","eventName":"sched_process_exec","argsNum":1,"returnValue":0,"args":[{"name":"pathname","type":"const char*","value":"/bin/true"}]}' \
	>"$T/rec.json"

out=$("$TRACEE" analyze "$T/rec.json" --no-signatures -e sched_process_exec -o json 2>"$T/err")
is "$?" 0 "analyze FILE then options: exit 0"
like "$out" '^\{"timestamp":1700000000000000001,.*"eventName":"sched_process_exec"' \
	"the options after the file apply (-o json after the operand)"
is "$(cat "$T/err")" "" "and nothing on stderr"

out=$("$TRACEE" analyze --no-signatures "$T/rec.json" -e sched_process_exec -o json 2>/dev/null)
like "$out" '"eventName":"sched_process_exec"' "options before and after the file mix"

cp "$T/rec.json" "$T/-o"
out=$(cd "$T" && "$TRACEE" analyze --no-signatures -e sched_process_exec -o json -- -o 2>err)
is "$?" 0 "-- ends the options: a file named -o is replayed"
like "$out" '"eventName":"sched_process_exec"' "and its event is written"

"$TRACEE" analyze "$T/rec.json" --no-such-option >/dev/null 2>"$T/err"
is "$?" 1 "an unknown option after the file: exit 1"
like "$(cat "$T/err")" "unknown option '--no-such-option' for analyze" "the error names the option"

"$TRACEE" --list extra >/dev/null 2>"$T/err"
is "$?" 1 "tracee with a stray operand: exit 1"
like "$(cat "$T/err")" "unexpected argument 'extra'" "the error names it"

done_testing
