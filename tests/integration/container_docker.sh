#!/bin/sh
# container_docker.sh - containers dockerd makes (root, real eBPF, Debian's
# docker.io).
#
# The test runs a dockerd of its own: no systemd, no iptables, no bridge,
# the vfs storage driver, its data root, exec root (and the containerd it
# manages) and API socket in $D, in a private mount namespace held by a
# process of the test's where /etc/docker, /var/lib/docker and /run/docker
# are tmpfs (dockerd writes its key.json there), containers under a cgroup
# parent of the test's.  The image is `docker import` of a tiny rootfs
# (busybox-static): no registry.  tracee asks that dockerd over the Engine
# API (--containers docker.socket=).  Checked:
#   - existing_container for a container running before tracee, with its
#     name, image and runtime "docker";
#   - a finding raised in a container started under tracee (TRC-1022,
#     dropped_executable) names the container and its image, in JSON and
#     in the table;
#   - container_create and container_remove for it, once each;
# and that nothing of dockerd is left: processes, cgroups, mounts.

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
need_bpf
command -v dockerd >/dev/null 2>&1 || skip_all "dockerd is missing (apt-get install docker.io)"
# the client that comes with this dockerd (another may be first in PATH)
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker) || skip_all "the docker client is missing"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is missing (it reads the JSON)"
command -v unshare >/dev/null 2>&1 && command -v nsenter >/dev/null 2>&1 ||
	skip_all "unshare(1) or nsenter(1) is missing"
BB=/bin/busybox
[ -x "$BB" ] && ! ldd "$BB" >/dev/null 2>&1 ||
	skip_all "a static /bin/busybox is missing (apt-get install busybox-static)"

TAP_TMP=$(mktemp -d /tmp/tracee-docker.XXXXXX) || exit 1
D=$(cd "$TAP_TMP" && pwd -P)
chmod 755 "$D"
. "$top_srcdir/tests/integration/tagged_run.sh"

CGP=tracee_dtest_$$
SOCK=$D/docker.sock
HOLDER=
DPID=
dk() { "$DOCKER" -H "unix://$SOCK" "$@"; }

cleanup() {
	[ -n "$TPID" ] && kill -INT "$TPID" 2>/dev/null && wait "$TPID" 2>/dev/null
	TPID=
	if [ -n "$DPID" ]; then
		dk rm -f $(dk ps -a -q 2>/dev/null) >/dev/null 2>&1
		kill "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
		DPID=
	fi
	if [ -n "$HOLDER" ]; then
		kill "$HOLDER" 2>/dev/null
		wait "$HOLDER" 2>/dev/null
		HOLDER=
	fi
	for c in /sys/fs/cgroup/*/"$CGP" /sys/fs/cgroup/"$CGP"; do
		[ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	rm -rf "$TAP_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The namespace: dockerd's fixed paths on tmpfs, in it only (private_ns.sh).
mkdir -p "$D/data" "$D/exec"
. "$top_srcdir/tests/integration/private_ns.sh"
ns_hold "$D/ns" /etc/docker /var/lib/docker /run/docker ||
	skip_all "cannot make a private mount namespace for dockerd"
HOLDER=$NS_HOLDER

nsenter --mount="/proc/$HOLDER/ns/mnt" dockerd --iptables=false --ip6tables=false \
	--bridge=none --storage-driver=vfs --data-root "$D/data" --exec-root "$D/exec" \
	--pidfile "$D/exec/dockerd.pid" --cgroup-parent "/$CGP" -H "unix://$SOCK" \
	>"$D/dockerd.log" 2>&1 &
DPID=$!
i=0
while ! dk version >/dev/null 2>&1 && kill -0 "$DPID" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
dk version >/dev/null 2>&1
ok $? "dockerd answers on $SOCK"
[ $? -eq 0 ] || { diag "$(tail -20 "$D/dockerd.log")"; done_testing; }

mkdir -p "$D/img/bin" "$D/img/etc" "$D/img/tmp"
cp "$BB" "$D/img/bin/busybox"
for c in sh sleep cat dd; do ln -s busybox "$D/img/bin/$c"; done
IMG=tracee-dtest:$$
tar -C "$D/img" -cf "$D/img.tar" . && dk import "$D/img.tar" "$IMG" >"$D/import.out" 2>&1
ok $? "docker import builds the test image"
IMGID=$(dk image inspect --format '{{.Id}}' "$IMG")

run() { # NAME [docker run options...] IMAGE CMD...
	r_n=$1
	shift
	dk run --name "$r_n" --network none --ulimit nofile=4096:4096 \
		--ulimit nproc=4096:4096 "$@"
}
run old -d "$IMG" sleep 60 >"$D/old.id" 2>"$D/old.err"
ok $? "a container runs before tracee starts"
[ $? -eq 0 ] || diag "$(cat "$D/old.err")"
OLD=$(cat "$D/old.id")

if ! start out -e container_create,container_remove,existing_container --signatures TRC-1022 \
	-o "table:$D/out.table" --containers "docker.socket=$SOCK"; then
	ok 1 "tracee starts"
	done_testing
fi
ok 0 "tracee starts"

# web waits for /go/ready, made once its container_create is out: what it
# does then is enriched however slow dockerd's answer was
mkdir "$D/go"
run web -v "$D/go:/go" "$IMG" sh -c 'while [ ! -e /go/ready ]; do sleep 0.1; done;
	dd if=/bin/busybox of=/tmp/dropped bs=4096 count=4 2>/dev/null' >"$D/web.out" 2>&1 &
c=$!
i=0
while ! grep '"eventName":"container_create"' "$D/out.json" 2>/dev/null |
	grep -q '"value":"web"' && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
: >"$D/go/ready"
wait "$c"
ok $? "a container runs under tracee"
WEB=$(dk inspect --format '{{.Id}}' web)
dk rm -f web >/dev/null 2>&1
sleep 1.5	# its cgroup goes once the shim has reaped
stop
is "$?" 0 "tracee exits 0 on SIGINT"

python3 - "$D/out.json" "$WEB" "$OLD" "$IMG" "$IMGID" >"$D/checks" 2>&1 <<'EOF'
import json, sys
path, web, old, img, imgid = sys.argv[1:6]
ev = [json.loads(l) for l in open(path)]
def check(cond, what):
    print(("ok " if cond else "not ok ") + what)
def args(d):
    return {a["name"]: a["value"] for a in d.get("args", [])}
def prop(d, k):
    return d["metadata"]["Properties"].get(k)
f = [d for d in ev if "metadata" in d and prop(d, "signatureID") == "TRC-1022"
     and d["containerId"] == web]
check(len(f) > 0, "TRC-1022 fires for dd in the docker container")
c = f[0]["container"] if f else {}
check(c.get("name") == "web" and c.get("image") == img and c.get("id") == web,
      "its JSON names the container and its image: %s" % c)
check(c.get("imageDigest") == imgid, "imageDigest is the image's id (no repo digest)")
check(f and f[0]["contextFlags"]["containerStarted"] is True, "containerStarted is true")
for name, cid in (("container_create", web), ("container_remove", web)):
    e = [args(d) for d in ev if d["eventName"] == name and args(d).get("container_id") == cid]
    check(len(e) == 1 and e[0]["runtime"] == "docker", "%s for web, once, runtime docker: %s"
          % (name, e))
e = [args(d) for d in ev if d["eventName"] == "container_create" and args(d).get("container_id") == web]
check(e and e[0]["container_name"] == "web" and e[0]["container_image"] == img,
      "container_create names it and its image")
e = [args(d) for d in ev if d["eventName"] == "existing_container" and args(d).get("container_id") == old]
check(len(e) == 1 and e[0]["container_name"] == "old" and e[0]["container_image"] == img
      and e[0]["runtime"] == "docker", "existing_container for the container running at start: %s" % e)
EOF
relay "$D/checks"
grep "TRC-1022" "$D/out.table" | grep -q "container: web (image $IMG)"
ok $? "the table's finding names the container and its image"

dk rm -f old >/dev/null 2>&1
dk rmi -f "$IMG" >/dev/null 2>&1
kill "$DPID" 2>/dev/null
wait "$DPID" 2>/dev/null
DPID=
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
HOLDER=
sleep 0.5
! pgrep -f -- "$D/exec" >/dev/null 2>&1 && ! pgrep -f -- "unix://$SOCK" >/dev/null 2>&1
ok $? "no dockerd, containerd or shim of the test is left"
[ $? -eq 0 ] || diag "$(pgrep -a -f -- "$D")"
for c in /sys/fs/cgroup/*/"$CGP" /sys/fs/cgroup/"$CGP"; do
	[ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null
done
! ls -d /sys/fs/cgroup/*/"$CGP" /sys/fs/cgroup/"$CGP" >/dev/null 2>&1
ok $? "no cgroup of the test is left"
! grep -q " $D" /proc/mounts
ok $? "no mount of the test is left"
[ ! -e /etc/docker/key.json ] || [ /etc/docker/key.json -ot "$D/ns/ready" ]
ok $? "dockerd wrote nothing to the host's /etc/docker"
done_testing
