#!/bin/sh
# container_podman.sh - containers a real runtime makes (root, real eBPF,
# podman with runc).
#
# A tiny image (busybox-static, `podman import`) and containers run by
# podman; tracee asks podman's Docker-compatible service, which the test
# starts on a socket of its own.  Checked:
#   - a finding raised inside a container names it: container.name, image,
#     imageDigest in JSON, the name in the table, e.container.* in Lua;
#   - a container with the kubelet's labels fills kubernetes.*;
#   - runc's own process in the container before the entrypoint
#     (runc:[2:INIT]) is container-init: containerStarted false, and no
#     origin="container" signature sees it (an origin="any" twin does);
#   - container_create, container_remove and existing_container.
# Nothing of podman's is left: it runs in a private mount namespace (held
# by a process of the test's, podman_lib.sh) with its state on tmpfs and in
# $D, under a cgroup parent of the test's own, removed at the end with the
# image and the service.

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing (it reads the JSON)"
# busybox-static's: the image has no libraries
BB=/bin/busybox
[ -x "$BB" ] && ! ldd "$BB" >/dev/null 2>&1 ||
	skip_all "a static /bin/busybox is missing (apt-get install busybox-static)"
"$TRACEE" --containers enrich=on --help >/dev/null 2>&1 || skip_all "tracee --help failed"

TAP_TMP=$(mktemp -d /tmp/tracee-podman.XXXXXX) || exit 1
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
for c in sh sleep cat dd cp ls head; do ln -s busybox "$D/img/bin/$c"; done
echo tracee-test >"$D/img/etc/hostname"
IMG=localhost/tracee-test:$$
pm_import "$D/img" "$IMG"
ok $? "podman import builds the test image"

SOCK=$PM_SOCK
pm_service
ok $? "podman system service listens on $SOCK"

# A container running before tracee: existing_container.
pm_run old -d "$IMG" sleep 60 >"$D/old.id" 2>"$D/old.err"
ok $? "a container runs before tracee starts"
OLD=$(cat "$D/old.id")

# A test policy: who in a container opens its mountinfo (runc:[2:INIT]
# does while it sets the container up, before the entrypoint).
cat >"$D/policy.lua" <<'EOF'
local function seen(e)
	-- /proc/self is resolved: /proc/PID/mountinfo
	return e.container.id ~= "" and string.match(e.args.pathname, "^/proc/%d+/mountinfo$") ~= nil
end
local function data(e)
	return { comm = e.processName, cname = e.container.name, image = e.container.image,
		 digest = e.container.imageDigest, pod = e.kubernetes.podName,
		 podns = e.kubernetes.podNamespace, poduid = e.kubernetes.podUID,
		 started = tostring(e.contextFlags.containerStarted) }
end
tracee.signature {
	id = "TEST-1", name = "test_in_container", version = "1", severity = 0,
	description = "mountinfo read in a started container", origin = "container",
	events = { "security_file_open" },
	on_event = function(e) if seen(e) then tracee.finding { data = data(e) } end end,
}
tracee.signature {
	id = "TEST-2", name = "test_any_origin", version = "1", severity = 0,
	description = "mountinfo read in any container", origin = "any",
	events = { "security_file_open" },
	on_event = function(e) if seen(e) then tracee.finding { data = data(e) } end end,
}
EOF

if ! start out -s "$D/policy.lua" -e container_create,container_remove,existing_container \
	-o "table:$D/out.table" --containers "podman.socket=$SOCK"; then
	ok 1 "tracee starts"
	done_testing
fi
ok 0 "tracee starts"

# The new containers wait for /go/ready before acting; the test makes it
# once tracee emitted their container_create, which comes when the runtime
# has answered: what they do next is enriched however slow the answer was.
released() { # NAME: wait for NAME's container_create, then let it go
	pm_released "$1" "$D/out.json" "$D/go-$1"
}
WAIT=$PM_WAIT
mkdir "$D/go-plain" "$D/go-kube"
pm_run plain -v "$D/go-plain:/go" "$IMG" sh -c "$WAIT; cat /proc/self/mountinfo >/dev/null;
	dd if=/bin/busybox of=/tmp/dropped bs=4096 count=4 2>/dev/null" >"$D/plain.out" 2>&1 &
c=$!
released plain
wait "$c"
ok $? "a container runs under tracee"
pm_run kube --label io.kubernetes.pod.name=web-0 --label io.kubernetes.pod.namespace=shop \
	--label io.kubernetes.pod.uid=5e1d2c3b-aaaa-bbbb-cccc-0123456789ab \
	--label io.kubernetes.container.name=web -v "$D/go-kube:/go" "$IMG" \
	sh -c "$WAIT; dd if=/bin/busybox of=/tmp/dropped bs=4096 count=4 2>/dev/null" \
	>"$D/kube.out" 2>&1 &
c=$!
released kube
wait "$c"
ok $? "a kubelet-labelled container runs under tracee"
PLAIN=$(pm inspect --format '{{.Id}}' plain)
KUBE=$(pm inspect --format '{{.Id}}' kube)
DIGEST=$(pm image inspect --format '{{.Digest}}' "$IMG")
pm rm -f plain kube >/dev/null 2>&1
sleep 1.5	# the cgroups go once conmon has reaped
stop
is "$?" 0 "tracee exits 0 on SIGINT"

python3 - "$D/out.json" "$PLAIN" "$KUBE" "$OLD" "$IMG" "$DIGEST" >"$D/checks" 2>&1 <<'EOF'
import json, sys
path, plain, kube, old, img, digest = sys.argv[1:7]
ev = [json.loads(l) for l in open(path)]
def prop(d, k):
    return d["metadata"]["Properties"].get(k)
def args(d):
    return {a["name"]: a["value"] for a in d.get("args", [])}
def finding(sig, cid, comm):
    return [d for d in ev if "metadata" in d and prop(d, "signatureID") == sig
            and d["containerId"] == cid and d["processName"] == comm]
def check(cond, what):
    print(("ok " if cond else "not ok ") + what)
f = finding("TRC-1022", plain, "dd")
check(len(f) > 0, "TRC-1022 fires for dd in the container")
c = f[0]["container"] if f else {}
check(c.get("name") == "plain" and c.get("image") == img and c.get("id") == plain,
      "its JSON names the container and its image: %s" % c)
check(c.get("imageDigest") == digest, "its JSON has the image digest %s" % digest)
check(f and f[0]["contextFlags"]["containerStarted"] is True, "containerStarted is true")
f = finding("TRC-1022", kube, "dd")
k = f[0]["kubernetes"] if f else {}
check(k == {"podName": "web-0", "podNamespace": "shop",
            "podUID": "5e1d2c3b-aaaa-bbbb-cccc-0123456789ab"}, "kubernetes.* from the labels: %s" % k)
f = finding("TEST-1", plain, "cat")
a = args(f[0]) if f else {}
check(a.get("cname") == "plain" and a.get("image") == img and a.get("digest") == digest
      and a.get("started") == "true", "Lua sees e.container.* of the container: %s" % a)
init = [d for d in ev if "metadata" in d and prop(d, "signatureID") == "TEST-2"
        and d["processName"].startswith("runc:")]
check(len(init) > 0, "runc's init opened mountinfo in the container (origin any sees it)")
check(all(d["contextFlags"]["containerStarted"] is False for d in init),
      "runc's init is container-init: containerStarted false")
bad = [d for d in ev if "metadata" in d and prop(d, "signatureID") == "TEST-1"
       and d["processName"].startswith("runc:")]
check(not bad, "no origin=container signature sees runc's init (%d did)" % len(bad))
bad = [d for d in ev if "metadata" in d and d["processName"].startswith("runc:")
       and prop(d, "signatureID").startswith("TRC-")
       and d["containerId"] in (plain, kube)]
check(not bad, "no built-in signature fires for runc's init")
for name, cid in (("container_create", plain), ("container_create", kube)):
    e = [args(d) for d in ev if d["eventName"] == name and args(d).get("container_id") == cid]
    check(len(e) == 1 and e[0]["runtime"] == "podman" and e[0]["container_image"] == img,
          "%s for %s, once, with runtime and image: %s" % (name, cid[:12], e))
e = [args(d) for d in ev if d["eventName"] == "container_create" and args(d).get("container_id") == kube]
check(e and e[0]["container_name"] == "kube" and e[0]["pod_name"] == "web-0"
      and e[0]["pod_namespace"] == "shop" and e[0]["pod_sandbox"] is False,
      "container_create carries the name and the pod")
for cid in (plain, kube):
    e = [args(d) for d in ev if d["eventName"] == "container_remove" and args(d).get("container_id") == cid]
    check(len(e) == 1 and e[0]["runtime"] == "podman", "container_remove for %s, once: %s" % (cid[:12], e))
e = [args(d) for d in ev if d["eventName"] == "existing_container" and args(d).get("container_id") == old]
check(len(e) == 1 and e[0]["container_name"] == "old" and e[0]["container_image"] == img,
      "existing_container for the container running at start: %s" % e)
EOF
relay "$D/checks"

# tracee makes the lifecycle events itself: the exit summary counts them
made=$(sed -n 's/^tracee: events received .*made in user space \([0-9]*\).*/\1/p' "$D/out.err")
life=$(grep -c -E '"eventName":"(container_create|container_remove|existing_container)"' "$D/out.json")
[ "$life" -ge 5 ] && [ "${made:-0}" -ge "$life" ]
ok $? "the exit summary counts the $life lifecycle events as made in user space (${made:-none})"

grep "TRC-1022" "$D/out.table" | grep -q "container: plain (image $IMG)"
ok $? "the table's finding names the container and its image"
grep "TRC-1022" "$D/out.table" | grep -q "container: kube (image $IMG), pod: shop/web-0"
ok $? "the table's finding names the pod"
[ $? -eq 0 ] || diag "$(grep TRC- "$D/out.table")"

pm_cleanup
ok 0 "cleaned up"
! pgrep -f -- "--root $D/pm/root" >/dev/null 2>&1
ok $? "no podman process of the test is left"
! ls -d /sys/fs/cgroup/*/"$PM_CGP" >/dev/null 2>&1
ok $? "no cgroup of the test is left"
! grep -q " $D" /proc/mounts
ok $? "no mount of the test is left"
done_testing
