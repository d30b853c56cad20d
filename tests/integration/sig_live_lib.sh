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
#
# Real containers (podman_lib.sh: podman with runc, its state in $D):
#   sl_container_setup    the image (the host's /usr, read-only, at run
#                         time) and podman's service; SL_CONTAINERS holds the
#                         tracee options that enrich from it: give them to
#                         sl_start
#   sl_container NAME VARS CMD...  CMD in container NAME (privileged: the
#                         behaviours mount, unshare and write /proc/sys in
#                         namespaces of their own), with the build tree and
#                         $D at their paths and the variables named in VARS;
#                         it starts once tracee has told the container's
#                         creation (so its events are enriched), the exit
#                         status is CMD's.  SL_CID gets its id
#   sl_container_gone     remove the containers, image, service and
#                         namespace now, and check nothing is left
#   sl_container_named NAME  the findings of processes named c<digit>...
#                         (the container's behaviours) carry NAME's id and
#                         name

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
SL_PM=
sl_cleanup() {
	if [ -n "$TPID" ]; then
		kill -INT "$TPID" 2>/dev/null
		wait "$TPID" 2>/dev/null
	fi
	sl_cleanup_more
	[ -z "$SL_PM" ] || pm_cleanup
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

sl_container_setup() {
	SL_PM=1
	. "$top_srcdir/tests/integration/podman_lib.sh"
	pm_need
	pm_setup || skip_all "cannot make a private mount namespace for podman"
	SL_IMG=localhost/tracee-sig:$$
	pm_rootfs "$D/rootfs" && pm_import "$D/rootfs" "$SL_IMG" ||
		skip_all "podman import failed"
	pm_service || skip_all "podman system service did not listen on $PM_SOCK"
	# container_create tells when to let the container act; with -e, only
	# a --signatures item (any: this one is on by default) keeps the
	# built-in signatures running
	SL_CONTAINERS="--containers podman.socket=$PM_SOCK -e container_create --signatures +TRC-1022"
}

sl_container() { # NAME VARS CMD...
	sl_n=$1
	# A sanitized helper's leak check lists its threads in /proc at exit;
	# the behaviours put a tmpfs there (and podman passes no environment).
	echo "ASAN_OPTIONS=detect_leaks=0" >"$D/$sl_n.env"
	for sl_v in $2; do
		eval "sl_val=\$$sl_v"
		printf '%s=%s\n' "$sl_v" "$sl_val" >>"$D/$sl_n.env"
	done
	shift 2
	mkdir -p "$D/go-$sl_n"
	# word splitting of PM_HOST_VOLS is wanted
	pm_run "$sl_n" --privileged $PM_HOST_VOLS -v "$top_builddir:$top_builddir:ro" \
		-v "$D:$D" -v "$D/go-$sl_n:/go" --env-file "$D/$sl_n.env" "$SL_IMG" \
		sh -c "$PM_WAIT"'; exec "$@"' sh "$@" >"$D/$sl_n.out" 2>&1 &
	sl_c=$!
	pm_released "$sl_n" "$D/out.json" "$D/go-$sl_n"
	wait "$sl_c"
	sl_r=$?
	[ $sl_r = 0 ] || diag "container $sl_n: $(cat "$D/$sl_n.out")"
	SL_CID=$(pm inspect --format '{{.Id}}' "$sl_n")
	return $sl_r
}

sl_container_named() { # NAME
	sl_ids=$(python3 - "$D/out.json" <<'EOF'
import json, re, sys
ids = set()
for line in open(sys.argv[1]):
    d = json.loads(line)
    if "metadata" in d and re.match(r"c[0-9]", d["processName"]):
        c = d.get("container") or {}
        ids.add("%s/%s/%s" % (d.get("containerId", ""), c.get("id", ""), c.get("name", "")))
print(" ".join(sorted(ids)))
EOF
)
	is "$sl_ids" "$SL_CID/$SL_CID/$1" \
		"the container's findings carry its id and name (containerId, container.id, .name)"
}

sl_container_gone() {
	pm_cleanup
	pm_gone
	ok $? "no podman process, cgroup or mount of the test is left"
}
