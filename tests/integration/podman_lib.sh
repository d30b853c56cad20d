# podman_lib.sh - real containers for the integration tests (root): podman
# with runc and the cgroupfs manager, every bit of its state in the test's
# directory or on tmpfs; source it after tap.sh, with $D set.
#
#   pm_need                 skip_all unless podman and runc are installed
#   pm_setup                the private mount namespace and the storage
#   pm ARGS...              podman in that namespace, on that storage
#   pm_run NAME ARGS...     pm run --name NAME, no network, under the test's
#                           cgroup parent, with the ulimits runc needs here
#   pm_rootfs DIR           DIR becomes a root tree whose /usr (and the
#                           usr-merge links) come from the host at run
#                           time: PM_HOST_VOLS holds the -v options
#   pm_import DIR IMAGE     `podman import` of DIR as IMAGE; 0 or 1
#   pm_service              podman's Docker-compatible service on $PM_SOCK
#                           (for tracee --containers podman.socket=$PM_SOCK)
#   pm_released NAME JSON GO  wait for NAME's container_create in the JSON
#                           output, then create GO/ready (the container
#                           waits for it: what it does next is enriched)
#   PM_WAIT                 the shell loop a container runs to wait for
#                           /go/ready (mount GO at /go)
#   pm_cleanup              containers, images, service, namespace, cgroups
#   pm_gone                 nothing of it is left (after pm_cleanup)
#
# The namespace is held by a plain `unshare --mount` child (a sleep,
# private_ns.sh): podman enters it by /proc/PID/ns/mnt.

. "$top_srcdir/tests/integration/private_ns.sh"

pm_need() {
	command -v podman >/dev/null 2>&1 || skip_all "podman is missing (apt-get install podman)"
	command -v runc >/dev/null 2>&1 || skip_all "runc is missing (apt-get install runc)"
	command -v unshare >/dev/null 2>&1 || skip_all "unshare(1) is missing"
	command -v nsenter >/dev/null 2>&1 || skip_all "nsenter(1) is missing"
}

PM_CGP=tracee_test_$$
PM_HOLDER=
PM_SVC=
PM_SOCK=$D/podman.sock
PM_WAIT='while [ ! -e /go/ready ]; do sleep 0.1; done'

PM_EXEC=
pm() {
	set -- --mount="/proc/$PM_HOLDER/ns/mnt" podman --root "$D/pm/root" \
		--runroot "$D/pm/run" --tmpdir "$D/pm/tmp" --cgroup-manager=cgroupfs \
		--runtime runc --events-backend none "$@"
	[ -z "$PM_EXEC" ] || exec nsenter "$@"
	nsenter "$@"
}

pm_run() { # NAME [podman run options...] IMAGE CMD...
	pm_n=$1
	shift
	pm run --name "$pm_n" --network none --cgroup-parent "/$PM_CGP" \
		--ulimit nofile=4096:4096 --ulimit nproc=4096:4096 "$@"
}

# podman's fixed paths (/run/libpod, /run/containers, /var/lib/containers,
# /etc/containers/networks) on tmpfs in the namespace only (private_ns.sh).
pm_setup() {
	mkdir -p "$D/pm/root" "$D/pm/run" "$D/pm/tmp" || return 1
	ns_hold "$D/pm/ns" /run/libpod /run/containers /var/lib/containers \
		/etc/containers/networks || return 1
	PM_HOLDER=$NS_HOLDER
}

pm_rootfs() { # DIR
	mkdir -p "$1/usr" "$1/etc" "$1/tmp" "$1/proc" "$1/sys" "$1/dev" "$1/run" "$1/var/tmp" ||
		return 1
	chmod 1777 "$1/tmp" "$1/var/tmp"
	PM_HOST_VOLS="-v /usr:/usr:ro"
	for pm_l in bin sbin lib lib32 lib64 libx32; do
		if [ -L "/$pm_l" ]; then
			ln -s "$(readlink "/$pm_l")" "$1/$pm_l" || return 1
		elif [ -d "/$pm_l" ]; then
			mkdir "$1/$pm_l" || return 1
			PM_HOST_VOLS="$PM_HOST_VOLS -v /$pm_l:/$pm_l:ro"
		fi
	done
}

pm_import() { # DIR IMAGE
	tar -C "$1" -cf "$D/pm/img.tar" . && pm import "$D/pm/img.tar" "$2" >"$D/pm/import.out" 2>&1
	pm_r=$?
	[ $pm_r = 0 ] || diag "podman import: $(cat "$D/pm/import.out")"
	rm -f "$D/pm/img.tar"
	return $pm_r
}

pm_service() {
	# the subshell becomes podman: $! is what to kill
	(PM_EXEC=1; pm system service --time=0 "unix://$PM_SOCK") >"$D/pm/svc.log" 2>&1 &
	PM_SVC=$!
	pm_i=0
	while [ ! -S "$PM_SOCK" ] && [ $pm_i -lt 100 ]; do
		sleep 0.1
		pm_i=$((pm_i + 1))
	done
	[ -S "$PM_SOCK" ]
}

pm_released() { # NAME JSON GO
	pm_i=0
	while ! grep '"eventName":"container_create"' "$2" 2>/dev/null |
		grep -q "\"value\":\"$1\"" && [ $pm_i -lt 300 ]; do
		sleep 0.1
		pm_i=$((pm_i + 1))
	done
	: >"$3/ready"
}

pm_cleanup() {
	if [ -n "$PM_HOLDER" ]; then
		pm rm -f -a >/dev/null 2>&1
		pm rmi -f -a >/dev/null 2>&1
		if [ -n "$PM_SVC" ]; then
			kill "$PM_SVC" 2>/dev/null
			wait "$PM_SVC" 2>/dev/null
			PM_SVC=
		fi
		# podman's mounts live and die in the namespace
		kill "$PM_HOLDER" 2>/dev/null
		wait "$PM_HOLDER" 2>/dev/null
		PM_HOLDER=
	fi
	for pm_c in /sys/fs/cgroup/*/"$PM_CGP" /sys/fs/cgroup/"$PM_CGP"; do
		[ -d "$pm_c" ] || continue
		find "$pm_c" -depth -type d -exec rmdir {} + 2>/dev/null
	done
	if grep -q " $D" /proc/mounts; then
		diag "mounts left under $D:"
		diag "$(grep " $D" /proc/mounts)"
	fi
}

# pm_gone: after pm_cleanup, 0 when nothing of the test's podman is left on
# the machine (no process on its storage, no cgroup, no mount); else 1,
# saying what is left
pm_gone() {
	pm_g=0
	if pgrep -f -- "--root $D/pm/root" >/dev/null 2>&1; then
		diag "podman processes left: $(pgrep -a -f -- "--root $D/pm/root")"
		pm_g=1
	fi
	if ls -d /sys/fs/cgroup/*/"$PM_CGP" /sys/fs/cgroup/"$PM_CGP" >/dev/null 2>&1; then
		diag "cgroups left: $(ls -d /sys/fs/cgroup/*/"$PM_CGP" /sys/fs/cgroup/"$PM_CGP" 2>/dev/null)"
		pm_g=1
	fi
	if grep -q " $D" /proc/mounts; then
		pm_g=1
	fi
	return $pm_g
}
