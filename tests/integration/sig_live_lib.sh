# sig_live_lib.sh - shared by the live signature tests (sig_live_*.sh);
# source it.  Root and real eBPF: tracee runs with its built-in signatures,
# tests/integration/sig-actions performs each behaviour (and a benign twin)
# for real under a command name of the test's choosing, and the findings
# are told apart by that name (the finding's processName) or by pid.
#
#   D                     private scratch dir (removed on exit)
#   ACT                   the sig-actions helper
#   act ARGS...           run sig-actions; a failure is reported by sl_stop
#   sl_start [ARGS...]    tracee in the background, findings to $D/out.json
#   sl_stop               SIGINT, wait, read the findings into $D/findings
#                         ("ID name processName hostProcessId trigger")
#   fires ID NAME WHO     a finding of signature ID/NAME for WHO (a process
#                         name, or pid:N)
#   quiet ID NAME WHO     none for WHO
#   listed ID STATE [RE]  `tracee --list-signatures` shows ID as STATE
#                         (yes, partial, no), its line matching RE
#   sl_column ID COLUMN   that column (STATE, BY, AVAILABLE, ...) of ID's line
#   sl_cleanup_more       define it for more cleanup on exit

. "$top_srcdir/tests/tap.sh"

# the CO-RE object of this build tree, unless told otherwise
: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
ACT="$top_builddir/tests/integration/sig-actions"
[ -x "$ACT" ] || skip_all "sig-actions is not built ($ACT)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing (it reads the JSON)"

TAP_TMP=$(mktemp -d /tmp/tracee-sig.XXXXXX) || exit 1
D=$(cd "$TAP_TMP" && pwd -P)
chmod 755 "$D"
. "$top_srcdir/tests/integration/tagged_run.sh"

sl_cleanup_more() { :; }
sl_cleanup() {
	if [ -n "$TPID" ]; then
		kill -INT "$TPID" 2>/dev/null
		wait "$TPID" 2>/dev/null
	fi
	sl_cleanup_more
	rm -rf "$TAP_TMP"
}
trap sl_cleanup EXIT
trap 'exit 1' INT TERM

"$TRACEE" --list-signatures >"$D/sigs" 2>&1 || {
	diag "$(cat "$D/sigs")"
	skip_all "tracee --list-signatures failed"
}
"$TRACEE" --list >"$D/events" 2>&1

act() {
	"$ACT" "$@" 2>>"$D/actions.err" || printf '(exit %d) sig-actions %s\n' "$?" "$*" >>"$D/actions.err"
}

sl_start() {
	if ! start out "$@"; then
		ok 1 "tracee starts with the built-in signatures"
		done_testing
	fi
	ok 0 "tracee starts with the built-in signatures"
}

sl_stop() {
	if [ -s "$D/actions.err" ]; then
		ok 1 "every behaviour was performed"
		diag "$(cat "$D/actions.err")"
	else
		ok 0 "every behaviour was performed"
	fi
	# what the actions did is in the ring buffer by now; SIGINT drains it
	stop
	is "$?" 0 "tracee exits 0 on SIGINT"
	python3 - "$D/out.json" >"$D/findings" <<'EOF'
import json, sys
for line in open(sys.argv[1], "rb"):
    d = json.loads(line)
    if "metadata" not in d:
        continue
    trig = "-"
    for a in d.get("args", []):
        if a.get("name") == "triggeredBy" and isinstance(a.get("value"), dict):
            trig = a["value"].get("name", "-")
    print(d["metadata"]["Properties"]["signatureID"], d["eventName"],
          d["processName"].replace(" ", "_"), d["hostProcessId"], trig)
EOF
	ok $? "the JSON output parses"
	diag "findings:"
	diag "$(cat "$D/findings")"
}

sl_match() { # ID NAME WHO: the matching findings
	awk -v id="$1" -v n="$2" -v w="$3" \
		'$1 == id && $2 == n && ($3 == w || "pid:" $4 == w)' "$D/findings"
}

fires() {
	[ -n "$(sl_match "$1" "$2" "$3")" ]
	ok $? "$1 $2 fires for $3${4:+: $4}"
}

quiet() {
	sl_m=$(awk -v w="$3" '$3 == w || "pid:" $4 == w' "$D/findings" | grep -E "^$1 |^[^ ]+ $2 ")
	[ -z "$sl_m" ]
	ok $? "$1 $2 stays quiet for $3${4:+: $4}"
	[ -n "$sl_m" ] && diag "$sl_m"
	return 0
}

# columns found by the header's names: the listing may grow columns
sl_column() { # ID COLUMN
	awk -v id="$1" -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i }
		$1 == id && c { print $c }' "$D/sigs"
}

listed() { # ID STATE [REGEX]
	sl_l=$(awk -v id="$1" '$1 == id' "$D/sigs")
	[ "$(sl_column "$1" AVAILABLE)" = "$2" ] &&
		{ [ -z "$3" ] || printf '%s\n' "$sl_l" | grep -Eq -- "$3"; }
	sl_r=$?
	ok $sl_r "--list-signatures: $1 available: $2${3:+ ($3)}"
	[ $sl_r -ne 0 ] && diag "$sl_l"
	return 0
}

# event_unavailable EVENT: `tracee --list` says this kernel cannot give it
# (or it is not in this build's table at all); prints the reason
event_unavailable() {
	if ! grep -q "^$1 " "$D/events"; then
		echo "not in this build's events table"
		return 0
	fi
	awk -v e="$1" '$1 == e { on = 1; next } /^[a-z_0-9]+ +[0-9]+ / { on = 0 }
		on && /unavailable on this kernel:/ { sub(/.*unavailable on this kernel: /, ""); print; f = 1 }
		END { exit !f }' "$D/events"
}
