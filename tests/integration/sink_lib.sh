# sink_lib.sh - shared by the fleet tests (sink_*.sh, server_*.sh,
# logrotate.sh); source it.  Root and real eBPF; every server a test starts
# runs from $D, on loopback, and is stopped on exit.
#
#   D                   private scratch dir (removed on exit)
#   SIG                 a policy with one signature, TEST-SINK sink_hit: a
#                       finding for every open of a file named *.sink-hit
#                       in $D (its pathname in the finding's data)
#   hits FROM TO        open $D/hit-FROM.sink-hit .. $D/hit-TO.sink-hit
#   free_port tcp|udp   a loopback port nobody listens on now
#   wait_for N CMD...   retry CMD every 0.1 s for up to N seconds
#   bg_start NAME CMD.. a server in the background; its pid in $D/NAME.bgpid
#   bg_stop NAME        TERM it and wait (also done on exit for every one)
#   start/stop          tagged_run.sh: tracee with --pidfile, -o json:$D/TAG.json
#   KEEP=1              leave $D behind for a look after a failure

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing"

TAP_TMP=$(mktemp -d /tmp/tracee-sink.XXXXXX) || exit 1
D=$(cd "$TAP_TMP" && pwd -P)
chmod 755 "$D"
. "$top_srcdir/tests/integration/tagged_run.sh"

bg_stop() {
	[ -s "$D/$1.bgpid" ] || return 0
	bg_p=$(cat "$D/$1.bgpid")
	kill -TERM "$bg_p" 2>/dev/null
	bg_i=0
	while kill -0 "$bg_p" 2>/dev/null && [ $bg_i -lt 100 ]; do
		sleep 0.1
		bg_i=$((bg_i + 1))
	done
	kill -KILL "$bg_p" 2>/dev/null
	rm -f "$D/$1.bgpid"
}

bg_start() { # NAME CMD...: CMD must stay in the foreground
	bg_n=$1
	shift
	"$@" >>"$D/$bg_n.log" 2>&1 &
	echo $! >"$D/$bg_n.bgpid"
}

sink_cleanup_more() { :; }
sink_cleanup() {
	if [ -n "$TPID" ]; then
		kill -INT "$TPID" 2>/dev/null
		wait "$TPID" 2>/dev/null
	fi
	for f in "$D"/*.bgpid; do
		[ -e "$f" ] || continue
		f=${f##*/}
		bg_stop "${f%.bgpid}"
	done
	sink_cleanup_more
	[ -n "$KEEP" ] || rm -rf "$TAP_TMP"
}
trap sink_cleanup EXIT
trap 'exit 1' INT TERM

# The files of this test's own directory only: the fleet tests run beside
# each other (make -j), each with its own tracee watching the whole host.
SIG=$D/sink_hit.lua
cat >"$SIG" <<LUA
local dir = "$D/"
tracee.signature {
	id = "TEST-SINK", name = "sink_hit", version = "1", severity = 2,
	description = "test: an open of a *.sink-hit file",
	tags = { "test" },
	events = { "security_file_open" },
	paths = { dir .. "*.sink-hit" },
	on_event = function(e)
		local p = e.args.pathname
		if tracee.starts_with(p, dir) and tracee.ends_with(p, ".sink-hit") then
			tracee.finding { data = { pathname = p } }
		end
	end,
}
LUA

hits() { # FROM TO
	h=$1
	while [ "$h" -le "$2" ]; do
		: >"$D/hit-$h.sink-hit"
		h=$((h + 1))
	done
}

free_port() {
	python3 - "$1" <<'PY'
import socket, sys
t = socket.SOCK_STREAM if sys.argv[1] == "tcp" else socket.SOCK_DGRAM
s = socket.socket(socket.AF_INET, t)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
PY
}

wait_for() { # SECONDS CMD...
	wf_n=$(($1 * 10))
	shift
	while [ "$wf_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		wf_n=$((wf_n - 1))
	done
	return 1
}
