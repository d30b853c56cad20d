#!/bin/sh
# container_containerd.sh - containers containerd makes (root, real eBPF,
# containerd and ctr from Debian, runc).
#
# A containerd of the test's own (its root, state, socket and config in $D;
# /run/containerd, where its shims put their sockets, on a tmpfs in a
# private mount namespace), a tiny image imported with `ctr image import`
# (a docker-archive tarball of busybox-static made here) and containers run
# with `ctr run`, their cgroups under a parent of the test's.  tracee asks
# containerd's gRPC API (--containers containerd.socket=...).  Checked:
#   - a container in the CRI's namespace (k8s.io) carrying the CRI's
#     annotations: a finding raised inside names the container, its image,
#     the image digest and the pod, in JSON and in Lua;
#   - a pod sandbox (io.kubernetes.cri.container-type=sandbox) is one;
#   - container_create and container_remove for them, existing_container for
#     a container of another namespace (ctr's "default") running at start;
#   - privileges read from the spec: `ctr run --privileged` is privileged
#     (TRC-2141 fires), --cap-add CAP_SYS_ADMIN is listed (TRC-2142 fires),
#     the default spec has neither;
#   - an absent socket given first is passed over; a relative one refused;
#   - nothing of containerd's is left afterwards.

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
for p in containerd ctr containerd-shim-runc-v2 runc; do
	command -v $p >/dev/null 2>&1 || skip_all "$p is missing (apt-get install containerd)"
done
for p in unshare nsenter python3; do
	command -v $p >/dev/null 2>&1 || skip_all "$p is missing"
done
BB=/bin/busybox
[ -x "$BB" ] && ! ldd "$BB" >/dev/null 2>&1 ||
	skip_all "a static /bin/busybox is missing (apt-get install busybox-static)"
"$TRACEE" --containers containerd.socket=/run/x.sock --help >/dev/null 2>&1 ||
	skip_all "this tracee takes no containerd socket"

TAP_TMP=$(mktemp -d /tmp/tracee-containerd.XXXXXX) || exit 1
D=$(cd "$TAP_TMP" && pwd -P)
chmod 755 "$D"
. "$top_srcdir/tests/integration/tagged_run.sh"

CGP=tracee_test_$$
SOCK=$D/containerd.sock
HOLDER=
CTD=

# in the private namespace
ns() { nsenter --mount="/proc/$HOLDER/ns/mnt" "$@"; }
ctr_() { ns ctr --address "$SOCK" "$@"; }

# containers, containerd, its namespace and the cgroups
ctd_down() {
	if [ -n "$CTD" ]; then
		# tasks first: a shim outlives containerd while its container runs
		for n in default k8s.io; do
			for c in $(ctr_ -n $n task ls -q 2>/dev/null); do
				ctr_ -n $n task kill -s KILL "$c" >/dev/null 2>&1
			done
			i=0
			while [ -n "$(ctr_ -n $n task ls -q 2>/dev/null | head -1)" ] && [ $i -lt 50 ]; do
				for c in $(ctr_ -n $n task ls -q 2>/dev/null); do
					ctr_ -n $n task rm -f "$c" >/dev/null 2>&1
				done
				sleep 0.1
				i=$((i + 1))
			done
			for c in $(ctr_ -n $n container ls -q 2>/dev/null); do
				ctr_ -n $n container rm "$c" >/dev/null 2>&1
			done
		done
		kill "$CTD" 2>/dev/null
		wait "$CTD" 2>/dev/null
		CTD=
	fi
	if [ -n "$HOLDER" ]; then
		kill "$HOLDER" 2>/dev/null
		wait "$HOLDER" 2>/dev/null
		HOLDER=
	fi
	for c in /sys/fs/cgroup/*/"$CGP" /sys/fs/cgroup/"$CGP"; do
		[ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null
	done
}
cleanup() {
	[ -n "$TPID" ] && kill -INT "$TPID" 2>/dev/null && wait "$TPID" 2>/dev/null
	ctd_down
	rm -rf "$TAP_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The namespace: a tmpfs on /run/containerd and /var/lib/containerd, in it
# only (private_ns.sh).
mkdir -p "$D/root" "$D/state"
. "$top_srcdir/tests/integration/private_ns.sh"
ns_hold "$D/ns" /run/containerd /var/lib/containerd || skip_all "no private mount namespace"
HOLDER=$NS_HOLDER

# Only what the test needs: no CRI plugin (it would want CNI), no metrics.
cat >"$D/config.toml" <<EOF
version = 2
root = "$D/root"
state = "$D/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
EOF
# nsenter execs containerd: $! is the daemon
(exec nsenter --mount="/proc/$HOLDER/ns/mnt" containerd --config "$D/config.toml") \
	>"$D/containerd.log" 2>&1 &
CTD=$!
i=0
while ! ctr_ version >/dev/null 2>&1 && kill -0 "$CTD" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
ctr_ version >/dev/null 2>&1
ok $? "containerd serves on $SOCK"
[ $? -eq 0 ] || { diag "$(tail -5 "$D/containerd.log")"; done_testing; }

# The image: a docker-archive tarball (manifest.json, config, one layer).
mkdir -p "$D/img/rootfs/bin" "$D/img/rootfs/etc" "$D/img/rootfs/tmp" "$D/img/rootfs/go"
cp "$BB" "$D/img/rootfs/bin/busybox"
for c in sh sleep cat dd; do ln -s busybox "$D/img/rootfs/bin/$c"; done
echo tracee-ctd >"$D/img/rootfs/etc/hostname"
(
	cd "$D/img" || exit 1
	tar -C rootfs -cf layer.tar . || exit 1
	l=$(sha256sum layer.tar | cut -d' ' -f1)
	mkdir "$l" && mv layer.tar "$l/layer.tar" || exit 1
	printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$l" >cfg.json
	c=$(sha256sum cfg.json | cut -d' ' -f1)
	mv cfg.json "$c.json"
	printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' \
		"$c" "localhost/tracee-ctd:$$" "$l" >manifest.json
	tar -cf ../image.tar manifest.json "$c.json" "$l/layer.tar"
) || { ok 1 "the image tarball is made"; done_testing; }
IMG=localhost/tracee-ctd:$$
ctr_ -n k8s.io image import "$D/image.tar" >"$D/import.out" 2>&1 &&
	ctr_ -n default image import "$D/image.tar" >>"$D/import.out" 2>&1
ok $? "ctr image import loads it (namespaces k8s.io and default)"
DIGEST=$(ctr_ -n k8s.io image ls | awk -v i="$IMG" '$1 == i { print $3 }')
case $DIGEST in sha256:*) ok 0 "the image has a digest: $DIGEST" ;; *) ok 1 "the image has a digest" ;; esac

newid() { head -c 32 /dev/urandom | sha256sum | cut -d' ' -f1; }

# A container of ctr's own namespace, running before tracee: existing_container.
OLD=$(newid)
ctr_ -n default run -d --cgroup "/$CGP/$OLD" "$IMG" "$OLD" sleep 60 >/dev/null 2>"$D/old.err"
ok $? "a container runs in namespace default before tracee starts"

cat >"$D/policy.lua" <<'EOF'
tracee.signature {
	id = "TEST-CTD", name = "test_containerd", version = "1", severity = 0,
	description = "what Lua sees of a containerd container", origin = "container",
	events = { "security_file_open" },
	on_event = function(e)
		if e.args.pathname ~= "/etc/hostname" then return end
		tracee.finding { data = { cname = e.container.name, image = e.container.image,
			digest = e.container.imageDigest, pod = e.kubernetes.podName,
			podns = e.kubernetes.podNamespace, poduid = e.kubernetes.podUID,
			started = tostring(e.contextFlags.containerStarted) } }
	end,
}
EOF
# A relative socket path: one line, before anything is attached.
"$TRACEE" --containers containerd.socket=containerd.sock -e openat >/dev/null 2>"$D/bad.err"
r=$?
[ $r -ne 0 ] && [ "$(wc -l <"$D/bad.err")" -eq 1 ] &&
	grep -q "containerd.socket=containerd.sock.*absolute path" "$D/bad.err"
ok $? "a relative containerd.socket is refused with one line (exit $r)"
[ $? -eq 0 ] || diag "$(cat "$D/bad.err")"

# An absent socket first: it answers nothing, at once; the next one is asked.
if ! start out -s "$D/policy.lua" -e container_create,container_remove,existing_container \
	-o "table:$D/out.table" --containers "containerd.socket=$D/absent.sock" \
	--containers "containerd.socket=$SOCK"; then
	ok 1 "tracee starts"
	done_testing
fi
ok 0 "tracee starts"

released() { # NAME: wait for NAME's container_create, then let it go
	i=0
	while ! grep '"eventName":"container_create"' "$D/out.json" 2>/dev/null |
		grep -q "\"value\":\"$1\"" && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	: >"$D/go-$1/ready"
}

# The CRI's annotations as the kubelet's runtime sets them.
SB=$(newid)
WEB=$(newid)
UID_=5e1d2c3b-aaaa-bbbb-cccc-0123456789ab
CRI="--annotation io.kubernetes.cri.sandbox-name=web-0 \
	--annotation io.kubernetes.cri.sandbox-namespace=shop \
	--annotation io.kubernetes.cri.sandbox-uid=$UID_ --annotation io.kubernetes.cri.sandbox-id=$SB"
mkdir "$D/go-web-0" "$D/go-web"
# word splitting of $CRI is wanted
ctr_ -n k8s.io run --cgroup "/$CGP/$SB" $CRI \
	--annotation io.kubernetes.cri.container-type=sandbox \
	--mount "type=bind,src=$D/go-web-0,dst=/go,options=rbind:rw" "$IMG" "$SB" \
	sh -c 'while [ ! -e /go/ready ]; do sleep 0.1; done' >"$D/sb.out" 2>&1 &
c1=$!
ctr_ -n k8s.io run --cgroup "/$CGP/$WEB" $CRI \
	--annotation io.kubernetes.cri.container-type=container \
	--annotation io.kubernetes.cri.container-name=web \
	--mount "type=bind,src=$D/go-web,dst=/go,options=rbind:rw" "$IMG" "$WEB" \
	sh -c 'while [ ! -e /go/ready ]; do sleep 0.1; done; cat /etc/hostname >/dev/null;
	dd if=/bin/busybox of=/tmp/dropped bs=4096 count=4 2>/dev/null' >"$D/web.out" 2>&1 &
c2=$!
# Privileges, from the spec: --privileged, an added capability.
PRIV=$(newid)
CAPS=$(newid)
mkdir "$D/go-$PRIV" "$D/go-$CAPS"
ctr_ -n default run --cgroup "/$CGP/$PRIV" --privileged \
	--mount "type=bind,src=$D/go-$PRIV,dst=/go,options=rbind:rw" "$IMG" "$PRIV" \
	sh -c 'while [ ! -e /go/ready ]; do sleep 0.1; done' >"$D/priv.out" 2>&1 &
c3=$!
ctr_ -n default run --cgroup "/$CGP/$CAPS" --cap-add CAP_SYS_ADMIN \
	--mount "type=bind,src=$D/go-$CAPS,dst=/go,options=rbind:rw" "$IMG" "$CAPS" \
	sh -c 'while [ ! -e /go/ready ]; do sleep 0.1; done' >"$D/caps.out" 2>&1 &
c4=$!
released web-0
released web
released "$PRIV"
released "$CAPS"
wait $c1 && wait $c2
ok $? "a pod's sandbox and container run under tracee"
[ $? -eq 0 ] || diag "$(cat "$D/sb.out" "$D/web.out")"
wait $c3 && wait $c4
ok $? "a privileged container and one with SYS_ADMIN added run under tracee"
[ $? -eq 0 ] || diag "$(cat "$D/priv.out" "$D/caps.out")"
ctr_ -n k8s.io container rm "$SB" "$WEB" >/dev/null 2>&1
sleep 1.5	# the cgroups go once the shims have reaped
stop
is "$?" 0 "tracee exits 0 on SIGINT"

python3 - "$D/out.json" "$WEB" "$SB" "$OLD" "$IMG" "$DIGEST" "$UID_" "$PRIV" "$CAPS" \
	>"$D/checks" 2>&1 <<'EOF'
import json, sys
path, web, sb, old, img, digest, uid, priv, caps = sys.argv[1:10]
ev = [json.loads(l) for l in open(path)]
def prop(d, k):
    return d["metadata"]["Properties"].get(k)
def args(d):
    return {a["name"]: a["value"] for a in d.get("args", []) if a["name"] != "triggeredBy"}
def check(cond, what):
    print(("ok " if cond else "not ok ") + what)
f = [d for d in ev if "metadata" in d and prop(d, "signatureID") == "TRC-1022"
     and d["containerId"] == web]
check(len(f) > 0, "TRC-1022 fires for dd in the containerd container")
c = f[0]["container"] if f else {}
check(c.get("name") == "web" and c.get("image") == img and c.get("imageDigest") == digest,
      "its JSON names the container, the image and its digest: %s" % c)
k = f[0]["kubernetes"] if f else {}
check(k == {"podName": "web-0", "podNamespace": "shop", "podUID": uid},
      "its JSON names the pod: %s" % k)
check(f and f[0]["contextFlags"]["containerStarted"] is True, "containerStarted is true")
f = [args(d) for d in ev if "metadata" in d and prop(d, "signatureID") == "TEST-CTD"
     and d["containerId"] == web]
a = f[0] if f else {}
check(a.get("cname") == "web" and a.get("image") == img and a.get("digest") == digest
      and a.get("pod") == "web-0" and a.get("podns") == "shop" and a.get("poduid") == uid
      and a.get("started") == "true", "Lua sees e.container.* and e.kubernetes.*: %s" % a)
def life(name, cid):
    return [args(d) for d in ev if d["eventName"] == name and args(d).get("container_id") == cid]
e = life("container_create", web)
check(len(e) == 1 and e[0]["runtime"] == "containerd" and e[0]["container_name"] == "web"
      and e[0]["container_image"] == img and e[0]["container_image_digest"] == digest
      and e[0]["pod_name"] == "web-0" and e[0]["pod_sandbox"] is False,
      "container_create for the container, once: %s" % e)
e = life("container_create", sb)
check(len(e) == 1 and e[0]["runtime"] == "containerd" and e[0]["pod_sandbox"] is True
      and e[0]["container_name"] == "web-0" and e[0]["pod_namespace"] == "shop",
      "container_create for the sandbox: podSandbox, named after its pod: %s" % e)
for cid in (web, sb):
    e = life("container_remove", cid)
    check(len(e) == 1 and e[0]["runtime"] == "containerd",
          "container_remove for %s, once: %s" % (cid[:12], e))
e = life("existing_container", old)
check(len(e) == 1 and e[0]["runtime"] == "containerd" and e[0]["container_name"] == old
      and e[0]["container_image"] == img and e[0]["pod_name"] == "",
      "existing_container for namespace default's (named by its id, no pod): %s" % e)
e = life("container_create", priv)
check(len(e) == 1 and e[0]["privileged"] is True and e[0]["added_capabilities"] == [],
      "container_create says privileged for ctr run --privileged: %s" % e)
e = life("container_create", caps)
check(len(e) == 1 and e[0]["privileged"] is False and e[0]["added_capabilities"] == ["SYS_ADMIN"],
      "container_create lists SYS_ADMIN for --cap-add CAP_SYS_ADMIN: %s" % e)
e = life("container_create", web)
check(e and e[0]["privileged"] is False and e[0]["added_capabilities"] == [],
      "and neither for a default spec: %s" % e)
def fired(sig, name):
    return [args(d) for d in ev if "metadata" in d and prop(d, "signatureID") == sig
            and args(d).get("container_name") == name]
check(len(fired("TRC-2141", priv)) == 1, "TRC-2141 privileged_container fires for it")
f = fired("TRC-2142", caps)
check(len(f) == 1 and f[0].get("capabilities") == "SYS_ADMIN",
      "TRC-2142 excessive_caps_container fires for SYS_ADMIN: %s" % f)
quiet = [(s, n) for s in ("TRC-2141", "TRC-2142") for n in ("web", "web-0", old) if fired(s, n)]
check(not quiet, "neither fires for the default-spec containers: %s" % quiet)
EOF
relay "$D/checks"

grep "TRC-1022" "$D/out.table" | grep -q "container: web (image $IMG), pod: shop/web-0"
ok $? "the table's finding names the container, its image and its pod"

ctd_down
gone() {
	! pgrep -f -- "$D" >/dev/null 2>&1 || { diag "left: $(pgrep -a -f -- "$D")"; return 1; }
	! ls -d /sys/fs/cgroup/*/"$CGP" >/dev/null 2>&1 || { diag "cgroups left"; return 1; }
	! grep -q " $D" /proc/mounts || { diag "mounts left: $(grep " $D" /proc/mounts)"; return 1; }
}
gone
ok $? "no containerd, shim, container, cgroup or mount of the test is left"
done_testing
