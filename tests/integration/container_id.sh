#!/bin/sh
# container_id.sh - container ids from real cgroups (root).
#
# cgroup v1: a private named hierarchy ("none,name=...") mounted in a
#   private mount namespace, with docker's cgroupfs layout /docker/<id>; a
#   process moved into it must be found by container_id_of_pid() and by the
#   process tree's seed.
# cgroup v2: a dedicated cgroup under the cgroup2 mount with the systemd
#   driver's layout docker-<id>.scope; container_id_of_pid(), the cgroup-id
#   cache (pid hint and hierarchy walk) and an exec event through the tree.
# Everything created is removed on exit, also on failure: processes killed,
# cgroups removed, the v1 hierarchy unmounted (and so destroyed).

. "$top_srcdir/tests/tap.sh"

need_root
PROBE="$top_builddir/tests/integration/container-probe"
[ -x "$PROBE" ] || skip_all "container-probe is not built ($PROBE)"
command -v unshare >/dev/null 2>&1 || skip_all "unshare(1) is missing"

hex64() {
	od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}

tap_tmpdir
ID1=$(hex64)
ID2=$(hex64)
V2DIR=
SLEEPS=

V1NAME=tracee_test_$$

# The kernel destroys a v1 hierarchy at umount only if it has no child
# cgroups at that moment, and a removed child lingers briefly (freed after
# RCU).  If the hierarchy survived, mount it once more, now childless, and
# unmount it again.  Returns 0 when it is gone.
v1_gone() { # up to 3 s for the kernel's asynchronous teardown
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -q "name=$V1NAME:" /proc/self/cgroup || return 0
		sleep 0.3
	done
	return 1
}
v1_destroy() {
	grep -q "name=$V1NAME:" /proc/self/cgroup || return 0
	v1_gone && return 0
	diag "the v1 hierarchy survived its umount: mounting it once more to destroy it"
	mkdir -p "$TAP_TMP/v1"
	unshare -m --propagation private sh -c \
		'mount -t cgroup -o "none,name=$1" cgroup "$2" && umount "$2"' \
		sh "$V1NAME" "$TAP_TMP/v1" 2>/dev/null
	v1_gone
}

cleanup() {
	v1_destroy || diag "cgroup hierarchy name=$V1NAME is left: mount it, rmdir its cgroups, umount it"
	for p in $SLEEPS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ -n "$V2DIR" ] && [ -d "$V2DIR" ]; then
		rmdir "$V2DIR/docker-$ID2.scope" "$V2DIR/host.scope" "$V2DIR" 2>/dev/null ||
			diag "could not remove $V2DIR: remove it by hand"
	fi
	rm -rf "$TAP_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---------------------------------------------------------------- v1
# The whole v1 part runs in a private mount namespace; its own trap undoes
# what it made before the namespace goes away.
mkdir -p "$TAP_TMP/v1"
V1OUT=$(unshare -m --propagation private sh -c '
	set -u
	mnt=$1; id=$2; probe=$3; name=$4
	pid=
	done_v1() {
		[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
		for i in 1 2 3 4 5 6 7 8 9 10; do
			rmdir "$mnt/docker/$id" 2>/dev/null
			rmdir "$mnt/docker" 2>/dev/null && break
			sleep 0.2
		done
		umount "$mnt" 2>/dev/null
	}
	trap done_v1 EXIT
	trap "exit 1" INT TERM
	mount -t cgroup -o "none,name=$name" cgroup "$mnt" || { echo "mount-failed"; exit 0; }
	mkdir -p "$mnt/docker/$id" || exit 1
	sleep 300 &
	pid=$!
	echo "$pid" > "$mnt/docker/$id/cgroup.procs" || exit 1
	echo "line $(grep "name=$name" /proc/$pid/cgroup)"
	echo "pid $("$probe" pid "$pid")"
	echo "tree $("$probe" tree "$pid")"
	echo "self $("$probe" pid $$)"
' sh "$TAP_TMP/v1" "$ID1" "$PROBE" "$V1NAME" 2>&1)
diag "$V1OUT"
case "$V1OUT" in
*mount-failed*)
	skip "cgroup v1 named hierarchies cannot be mounted here"
	skip "cgroup v1: process tree"
	skip "cgroup v1: host process"
	;;
*)
	is "$(printf '%s\n' "$V1OUT" | sed -n 's/^pid //p')" "$ID1" \
		"cgroup v1 /docker/<id>: container_id_of_pid finds the id"
	is "$(printf '%s\n' "$V1OUT" | sed -n 's/^tree //p')" "$ID1" \
		"cgroup v1: the process tree's seed has the id"
	is "$(printf '%s\n' "$V1OUT" | sed -n 's/^self //p')" "-" \
		"cgroup v1: a host process has none"
	;;
esac
v1_destroy
gone=$?
ok $gone "the private v1 hierarchy was destroyed"

# ---------------------------------------------------------------- v2
ROOT=$("$PROBE" root)
if [ "$ROOT" = "-" ] || [ ! -w "$ROOT/cgroup.procs" ]; then
	skip "no writable cgroup2 mount"
	done_testing
fi
V2DIR="$ROOT/tracee-test.$$"
mkdir "$V2DIR" "$V2DIR/docker-$ID2.scope" "$V2DIR/host.scope" || {
	ok 1 "create cgroups under $V2DIR"
	done_testing
}
sleep 300 &
C=$!
sleep 300 &
H=$!
SLEEPS="$C $H"
echo "$C" > "$V2DIR/docker-$ID2.scope/cgroup.procs" &&
	echo "$H" > "$V2DIR/host.scope/cgroup.procs"
ok $? "processes moved into the test cgroups"
diag "$(cat /proc/$C/cgroup)"

is "$("$PROBE" pid "$C")" "$ID2" "cgroup v2 docker-<id>.scope: container_id_of_pid finds the id"
is "$("$PROBE" pid "$H")" "-" "cgroup v2: a process in a plain cgroup has none"
CG=$("$PROBE" cgid "$V2DIR/docker-$ID2.scope")
HG=$("$PROBE" cgid "$V2DIR/host.scope")
diag "cgroup ids: container $CG, host $HG"
[ -n "$CG" ] && [ "$CG" != "$HG" ]
ok $? "cgroup ids read from the directories"
is "$("$PROBE" cache "$CG" "$C")" "$ID2" "cache: resolved through the pid's own cgroup"
is "$("$PROBE" cache "$CG" 0)" "$ID2" "cache: resolved by walking the cgroup2 mount"
is "$("$PROBE" cache "$CG" "$H")" "$ID2" "cache: a wrong pid hint is not believed"
is "$("$PROBE" cache "$HG" "$H")" "-" "cache: a plain cgroup is no container"
is "$("$PROBE" exec "$C" "$CG")" "$ID2" "exec event: the tree resolves the container"
is "$("$PROBE" exec "$H" "$HG")" "-" "exec event on the host: no container"
is "$("$PROBE" tree "$C")" "$ID2" "seeded tree: the container process has the id"

cleanup
SLEEPS=
[ ! -d "$V2DIR" ]
ok $? "test cgroups removed"
V2DIR=
done_testing
