# private_ns.sh - a private mount namespace in which a container runtime's
# fixed paths (/run/..., /var/lib/..., /etc/...) are empty tmpfs, so that
# a real runtime can run in a test and leave nothing on the machine.
# Source it after tap.sh.
#
#   ns_hold DIR PATH...   start the namespace's holder (a sleep in it, its pid
#                         in NS_HOLDER); a PATH that does not exist is made
#                         under an overlay of its nearest existing ancestor,
#                         the upper layer in DIR: the ancestor keeps its
#                         content and the machine gets no new directory.
#                         0, or 1 with a diagnostic
#
# Enter it with `nsenter --mount=/proc/$NS_HOLDER/ns/mnt`.  Nothing binds the
# namespace file onto a path (that needs a private mount there and fails
# under a shared one, as in a pivoted-root fresh Debian); killing the holder
# takes the namespace and every mount in it away.

ns_hold() { # DIR PATH...
	ns_d=$1
	shift
	mkdir -p "$ns_d" || return 1
	rm -f "$ns_d/ready"
	unshare --mount --propagation private sh -c '
		D=$1 n=0
		shift
		for p in "$@"; do
			if [ ! -d "$p" ]; then
				a=$(dirname "$p")
				while [ ! -d "$a" ]; do a=$(dirname "$a"); done
				n=$((n + 1))
				mkdir -p "$D/ov/$n/u" "$D/ov/$n/w"
				mount -t overlay overlay \
					-o "lowerdir=$a,upperdir=$D/ov/$n/u,workdir=$D/ov/$n/w" "$a" ||
					exit 1
				mkdir -p "$p" || exit 1
			fi
			mount -t tmpfs tmpfs "$p" || exit 1
		done
		: >"$D/ready"
		exec sleep 2147483647' sh "$ns_d" "$@" 2>"$ns_d/err" &
	NS_HOLDER=$!
	ns_i=0
	while [ ! -e "$ns_d/ready" ] && kill -0 "$NS_HOLDER" 2>/dev/null && [ $ns_i -lt 100 ]; do
		sleep 0.1
		ns_i=$((ns_i + 1))
	done
	[ -e "$ns_d/ready" ] && return 0
	diag "the private mount namespace: $(cat "$ns_d/err")"
	kill "$NS_HOLDER" 2>/dev/null
	wait "$NS_HOLDER" 2>/dev/null
	NS_HOLDER=
	return 1
}
