#!/bin/sh
# sig_live_container_priv.sh - the privilege rules on containers a real
# runtime starts (root, real eBPF, podman with runc, podman_lib.sh).
#
# What podman's Docker-compatible service says of each container
# (HostConfig.Privileged, HostConfig.CapAdd) reaches container_create /
# existing_container as the arguments privileged and added_capabilities,
# and e.container.privileged / addedCapabilities in Lua.
#   TRC-2141 privileged_container     --privileged, started while tracing
#                                     and before (existing_container) /
#                                     a plain container; a privileged one
#                                     of an image in trusted_privileged_images
#   TRC-2142 excessive_caps_container --cap-add SYS_ADMIN, CAP_SYS_PTRACE
#                                     (dockerd's spelling) / --cap-add CHOWN
#                                     (in the default set), a plain one,
#                                     SYS_ADMIN on a trusted image
# Nothing of podman's is left: its state is in $D and on tmpfs in a private
# mount namespace, its containers under a cgroup parent of the test's.

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing (it reads the JSON)"
# busybox-static's: the image has no libraries
BB=/bin/busybox
[ -x "$BB" ] && ! ldd "$BB" >/dev/null 2>&1 ||
	skip_all "a static /bin/busybox is missing (apt-get install busybox-static)"

TAP_TMP=$(mktemp -d /tmp/tracee-priv.XXXXXX) || exit 1
D=$(cd "$TAP_TMP" && pwd -P)
chmod 755 "$D"
. "$top_srcdir/tests/integration/tagged_run.sh"
. "$top_srcdir/tests/integration/podman_lib.sh"
pm_need

cleanup() {
	[ -n "$TPID" ] && kill -INT "$TPID" 2>/dev/null && wait "$TPID" 2>/dev/null
	pm_cleanup
	rm -rf "$TAP_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

pm_setup || skip_all "cannot make a private mount namespace for podman"
mkdir -p "$D/img/bin" "$D/img/etc" "$D/img/tmp"
cp "$BB" "$D/img/bin/busybox"
for c in sh sleep cat; do ln -s busybox "$D/img/bin/$c"; done
echo tracee-test >"$D/img/etc/hostname"
IMG=localhost/tracee-priv:$$
TRUSTED=localhost/tracee-trusted
pm_import "$D/img" "$IMG" && pm tag "$IMG" "$TRUSTED:1" >/dev/null
ok $? "podman import builds the test image, tagged twice"
pm_service
ok $? "podman system service listens on $PM_SOCK"

pm_run oldpriv -d --privileged "$IMG" sleep 60 >/dev/null 2>"$D/oldpriv.err"
ok $? "a privileged container runs before tracee starts"

# The image trusted by name without its tag; a test signature shows what
# Lua sees of each container when its program reads /etc/hostname.
cat >"$D/policy.lua" <<EOF
tracee.list("trusted_privileged_images", { "$TRUSTED" })
tracee.signature {
	id = "TEST-PRIV", name = "test_container_privileges", version = "1", severity = 0,
	description = "what e.container says of privileges", origin = "container",
	events = { "security_file_open" },
	on_event = function(e)
		if e.args.pathname ~= "/etc/hostname" then return end
		tracee.finding { data = { cname = e.container.name,
			privileged = tostring(e.container.privileged),
			caps = table.concat(e.container.addedCapabilities, ",") } }
	end,
}
EOF

if ! start out -s "$D/policy.lua" --signatures TRC-2141,TRC-2142,TEST-PRIV \
	-e container_create,existing_container --containers "podman.socket=$PM_SOCK"; then
	ok 1 "tracee starts"
	done_testing
fi
ok 0 "tracee starts"

# NAME [options]: the container waits for its container_create, then reads a file
run() {
	r_n=$1
	shift
	mkdir "$D/go-$r_n"
	pm_run "$r_n" -v "$D/go-$r_n:/go" "$@" sh -c "$PM_WAIT; cat /etc/hostname" \
		>"$D/$r_n.out" 2>&1 &
	eval "PID_$r_n=\$!"
}
run priv --privileged "$IMG"
run sysadmin --cap-add SYS_ADMIN "$IMG"
run ptrace --cap-add CAP_SYS_PTRACE "$IMG"
run plain "$IMG"
run chown --cap-add CHOWN "$IMG"
run trustpriv --privileged "$TRUSTED:1"
run trustcaps --cap-add SYS_ADMIN "$TRUSTED:1"
NAMES="priv sysadmin ptrace plain chown trustpriv trustcaps"
for n in $NAMES; do
	pm_released "$n" "$D/out.json" "$D/go-$n"
done
fail=
for n in $NAMES; do
	eval "wait \$PID_$n" || { fail="$fail $n"; diag "$n: $(cat "$D/$n.out")"; }
done
[ -z "$fail" ]
ok $? "the containers ran under tracee${fail:+ (failed:$fail)}"
stop
is "$?" 0 "tracee exits 0 on SIGINT"

python3 - "$D/out.json" "$IMG" >"$D/checks" 2>&1 <<'EOF'
import json, sys
path, img = sys.argv[1:3]
ev = [json.loads(l) for l in open(path)]
def args(d):  # a finding's data without its triggering event, for the diagnostics
    return {a["name"]: a["value"] for a in d.get("args", []) if a["name"] != "triggeredBy"}
def check(cond, what):
    print(("ok " if cond else "not ok ") + what)
def lifecycle(name):
    e = [args(d) for d in ev if d["eventName"] in ("container_create", "existing_container")
         and args(d).get("container_name") == name]
    return e[0] if e else {}
def findings(sig, name):
    return [args(d) for d in ev if "metadata" in d
            and d["metadata"]["Properties"]["signatureID"] == sig
            and args(d).get("container_name") == name]
a = lifecycle("priv")
check(a.get("privileged") is True, "container_create says privileged: %s" % a)
a = lifecycle("sysadmin")
check(a.get("privileged") is False and a.get("added_capabilities") == ["SYS_ADMIN"],
      "container_create lists the added SYS_ADMIN: %s" % a)
a = lifecycle("ptrace")
check(a.get("added_capabilities") == ["SYS_PTRACE"], "CAP_SYS_PTRACE is SYS_PTRACE: %s" % a)
a = lifecycle("plain")
check(a.get("privileged") is False and a.get("added_capabilities") in ([], None),
      "a plain container: not privileged, nothing added: %s" % a)
a = [args(d) for d in ev if d["eventName"] == "existing_container"
     and args(d).get("container_name") == "oldpriv"]
check(a and a[0].get("privileged") is True, "existing_container says privileged: %s" % a)

f = findings("TRC-2141", "priv")
check(len(f) == 1 and f[0].get("container_image") == img and f[0].get("runtime") == "podman",
      "TRC-2141 fires for --privileged, naming the image: %s" % f)
check(len(findings("TRC-2141", "oldpriv")) == 1,
      "TRC-2141 fires for a privileged container running at start")
f = findings("TRC-2142", "sysadmin")
check(len(f) == 1 and f[0].get("capabilities") == "SYS_ADMIN",
      "TRC-2142 fires for --cap-add SYS_ADMIN: %s" % f)
f = findings("TRC-2142", "ptrace")
check(len(f) == 1 and f[0].get("capabilities") == "SYS_PTRACE",
      "TRC-2142 fires for --cap-add CAP_SYS_PTRACE: %s" % f)
for sig, name, why in (("TRC-2142", "priv", "a privileged one is TRC-2141's"),
                       ("TRC-2141", "sysadmin", "SYS_ADMIN alone is not privileged"),
                       ("TRC-2141", "plain", "a plain container"),
                       ("TRC-2142", "plain", "a plain container"),
                       ("TRC-2141", "chown", "--cap-add CHOWN"),
                       ("TRC-2142", "chown", "--cap-add CHOWN, in the default set"),
                       ("TRC-2141", "trustpriv", "a trusted image, privileged"),
                       ("TRC-2142", "trustcaps", "a trusted image with SYS_ADMIN")):
    f = findings(sig, name)
    check(not f, "%s stays quiet for %s: %s" % (sig, why, f))

def lua(name):
    f = [args(d) for d in ev if "metadata" in d
         and d["metadata"]["Properties"]["signatureID"] == "TEST-PRIV" and args(d).get("cname") == name]
    return f[0] if f else {}
a = lua("priv")
check(a.get("privileged") == "true", "Lua: e.container.privileged of --privileged: %s" % a)
a = lua("sysadmin")
check(a.get("privileged") == "false" and a.get("caps") == "SYS_ADMIN",
      "Lua: e.container.addedCapabilities of --cap-add SYS_ADMIN: %s" % a)
a = lua("plain")
check(a.get("privileged") == "false" and a.get("caps") == "",
      "Lua: a plain container has neither: %s" % a)
EOF
relay "$D/checks"

# The lifecycle events carry the facts: a replay raises the same findings.
"$TRACEE" analyze -o json -s "$D/policy.lua" --signatures TRC-2141,TRC-2142 "$D/out.json" >"$D/replay.json" \
	2>"$D/replay.err"
ok $? "tracee analyze replays the recording"
python3 - "$D/out.json" "$D/replay.json" >"$D/replay.out" 2>&1 <<'EOF2'
import json, sys
def got(path):
    r = set()
    for l in open(path):
        d = json.loads(l)
        if "metadata" in d and d["metadata"]["Properties"]["signatureID"] in ("TRC-2141", "TRC-2142"):
            a = {x["name"]: x["value"] for x in d.get("args", [])}
            r.add((d["metadata"]["Properties"]["signatureID"], a.get("container_name")))
    return r
live, replay = got(sys.argv[1]), got(sys.argv[2])
print(sorted(live), sorted(replay))
sys.exit(0 if live and live == replay else 1)
EOF2
r=$?
ok $r "the replay raises the live run's TRC-2141 and TRC-2142 findings"
[ $r -eq 0 ] || diag "$(cat "$D/replay.out" "$D/replay.err")"

pm_cleanup
pm_gone
ok $? "no podman process, cgroup or mount of the test is left"
done_testing
