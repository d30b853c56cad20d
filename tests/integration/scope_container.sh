#!/bin/sh
# scope_container.sh - --scope container=ID|PREFIX|NAME and container!=
# against real containers (root, real eBPF, podman with runc).
#
# Two containers run before tracee (alpha, beta), one starts under it
# (gamma: its name is not known when its first events come).  Each runs
# busybox's cat in a loop; the host runs it too.  Five tracee instances
# watch the same activity at once, each with one scope:
#   id      container=<alpha's 64-hex id>       alpha only
#   prefix  container=<beta's first 12 digits>  beta only
#   name    container=gamma,alpha               gamma and alpha, and every
#                                              event of gamma the reference
#                                              saw, runc's steps before the
#                                              entrypoint too (they waited
#                                              for the name, none was lost)
#   ne      container!=alpha                    everything but alpha: beta,
#                                              gamma and the host
#   ref     container                           every container (the kernel's
#                                              pid-namespace test): the
#                                              reference for gamma
# Then bad values: one line, non-zero exit, before anything is loaded.
# Nothing of podman's is left (podman_lib.sh).

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing (it reads the JSON)"
BB=/bin/busybox
[ -x "$BB" ] && ! ldd "$BB" >/dev/null 2>&1 ||
	skip_all "a static /bin/busybox is missing (apt-get install busybox-static)"

TAP_TMP=$(mktemp -d /tmp/tracee-scopec.XXXXXX) || exit 1
D=$(cd "$TAP_TMP" && pwd -P)
chmod 755 "$D"
. "$top_srcdir/tests/integration/podman_lib.sh"
pm_need

PIDS=
cleanup() {
	for p in $PIDS; do
		kill -INT "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	pm_cleanup
	rm -rf "$TAP_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Bad values first: nothing to load, nothing to clean.
bad() { # EXPECTED-REGEX TRACEE-ARGS...
	want=$1
	shift
	"$TRACEE" -e sched_process_exec -o "json:$D/bad.json" "$@" >"$D/bad.out" 2>"$D/bad.err"
	r=$?
	[ $r -ne 0 ] && [ "$(wc -l <"$D/bad.err")" -eq 1 ] && grep -Eq "$want" "$D/bad.err" &&
		[ ! -s "$D/bad.json" ]
}
bad "'web/1' in 'container=web/1' is no container id" --scope container=web/1
ok $? "a value that is neither id nor name: one line, non-zero"
[ $? -eq 0 ] || diag "$(cat "$D/bad.err")"
bad "'new' in 'container=new,web' stands alone" --scope container=new,web
ok $? "new among other values: one line, non-zero"
bad "no value in 'container!='" --scope 'container!='
ok $? "container!= without a value: one line, non-zero"
bad "contradicts" --scope container=web --scope not-container
ok $? "container=NAME with not-container: one line, non-zero"
bad "needs the runtimes' answers" --scope container=web --containers enrich=off
ok $? "a name with enrichment off: one line, non-zero"
bad "unknown container scope" --scope 'container>web'
ok $? "container> is refused"

pm_setup || skip_all "cannot make a private mount namespace for podman"
mkdir -p "$D/img/bin" "$D/img/etc" "$D/img/tmp"
cp "$BB" "$D/img/bin/busybox"
for c in sh sleep cat; do ln -s busybox "$D/img/bin/$c"; done
echo scope-test >"$D/img/etc/hostname"
IMG=localhost/tracee-scope:$$
pm_import "$D/img" "$IMG"
ok $? "podman import builds the test image"
pm_service
ok $? "podman system service listens on $PM_SOCK"

LOOP='while :; do cat /etc/hostname >/dev/null; sleep 0.2; done'
pm_run alpha -d "$IMG" sh -c "$LOOP" >"$D/alpha.id" 2>"$D/alpha.err" &&
	pm_run beta -d "$IMG" sh -c "$LOOP" >"$D/beta.id" 2>"$D/beta.err"
ok $? "alpha and beta run before tracee"
ALPHA=$(cat "$D/alpha.id")
BETA=$(cat "$D/beta.id")
BPFX=$(printf %.12s "$BETA")

# An 11-digit prefix is a name (none has it): accepted, it matches nothing.
SHORT=$(printf %.11s "$ALPHA")

n=0
for spec in "id container=$ALPHA" "prefix container=$BPFX" "name container=gamma,alpha" \
	"ne container!=alpha" "ref container" "short container=$SHORT"; do
	tag=${spec%% *}
	"$TRACEE" -e sched_process_exec --scope "${spec#* }" --containers "podman.socket=$PM_SOCK" \
		-o "json:$D/$tag.json" --pidfile "$D/$tag.pid" 2>"$D/$tag.err" &
	PIDS="$PIDS $!"
done
i=0
for tag in id prefix name ne ref short; do
	while [ ! -s "$D/$tag.pid" ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$D/$tag.pid" ] || diag "$tag: $(cat "$D/$tag.err")"
done
[ $i -lt 600 ]
ok $? "six tracee instances attached"

# gamma starts under tracee; the host runs the same program, its comm told apart
pm_run gamma "$IMG" sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do cat /etc/hostname >/dev/null; done;
	sleep 1; cat /etc/hostname >/dev/null' >"$D/gamma.out" 2>&1
ok $? "gamma runs under tracee"
GAMMA=$(pm inspect --format '{{.Id}}' gamma)
cp /bin/true "$D/hostcat"
for i in 1 2 3; do "$D/hostcat"; done
sleep 1.5
for p in $PIDS; do
	kill -INT "$p"
	wait "$p"
	ok $? "tracee $p exits 0"
done
PIDS=

python3 - "$D" "$ALPHA" "$BETA" "$GAMMA" >"$D/checks" 2>&1 <<'EOF'
import json, sys
d, alpha, beta, gamma = sys.argv[1:5]
names = {alpha: "alpha", beta: "beta", gamma: "gamma", "": "host"}
def load(tag):
    return [json.loads(l) for l in open("%s/%s.json" % (d, tag))]
def check(cond, what):
    print(("ok " if cond else "not ok ") + what)
def who(evs):
    return sorted(set(names.get(e["containerId"], "other") for e in evs))
def key(e):
    # the same record in every instance (each has its own epoch offset)
    a = {x["name"]: x["value"] for x in e["args"]}
    return (e["hostThreadId"], e["processName"], a.get("pathname"), a.get("cmdpath"))
ev = {t: load(t) for t in ("id", "prefix", "name", "ne", "ref", "short")}
for t in ev:
    print("# %s: %d events from %s" % (t, len(ev[t]), who(ev[t])))
check(who(ev["id"]) == ["alpha"], "container=ID: alpha's events only")
check(who(ev["prefix"]) == ["beta"], "container=PREFIX: beta's events only")
check(who(ev["name"]) == ["alpha", "gamma"], "container=gamma,alpha: theirs only")
check(all(e.get("container", {}).get("name") in ("alpha", "gamma") for e in ev["name"]),
      "container=NAME: each event carries its container's name")
ne = who(ev["ne"])
check("alpha" not in ne and {"beta", "gamma", "host"} <= set(ne),
      "container!=alpha: beta, gamma and the host, never alpha (%s)" % ne)
check(any(e["processName"] == "hostcat" for e in ev["ne"]),
      "container!=alpha: the host's own cat is there")
check(not any(e["processName"] == "hostcat" for t in ("id", "prefix", "name") for e in ev[t]),
      "container=...: no host event")
check(ev["short"] == [], "an 11-digit prefix is a name: nothing matches it")
ref = {key(e) for e in ev["ref"] if e["containerId"] == gamma}
got = {key(e) for e in ev["name"] if e["containerId"] == gamma}
check(len(ref) >= 12, "the reference saw gamma's entrypoint and its cats (%d)" % len(ref))
check(ref <= got, "container=gamma lost none of gamma's events before its name was known "
      "(%d missing)" % len(ref - got))
entry = [e for e in ev["name"] if e["containerId"] == gamma and e["processName"] == "sh"]
check(len(entry) == 1 and entry[0]["contextFlags"]["containerStarted"] is True,
      "gamma's entrypoint exec is there, the container started by it")
early = [e for e in ev["name"] if e["containerId"] == gamma and not e["contextFlags"]["containerStarted"]]
check(len(early) > 0, "so are runc's steps in gamma before it (%d, container-init)" % len(early))
check(len([e for e in ev["id"] if e["containerId"] == alpha]) >= 6,
      "alpha's loop is seen by id")
EOF
relay "$D/checks"

pm_cleanup
pm_gone
ok $? "nothing of the test's podman is left"
done_testing
