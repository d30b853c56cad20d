#!/bin/sh
# sig_live_procs_escape.sh - the container rules of the TRC-21xx family,
# for real (root, real eBPF), in a real podman container made the way
# sig_live_container.sh makes one (sig_live_lib.sh: privileged, runc, the
# host's /usr, findings enriched with its id and name).  The behaviours run
# in it (names c*) and on the host (h*, where these container-only rules
# must stay quiet), with benign twins in the container (t*):
#   TRC-2103 container_drift          an ELF and a script written, chmod'ed and
#                                     run; a copied file chmod +x'ed and run /
#                                     a file that was there before
#   TRC-2117 container_raw_socket     AF_PACKET, AF_INET SOCK_RAW / TCP socket
#   TRC-2118 container_mount          tmpfs mounted / by runc init
#   TRC-2119 container_debugfs_mount  debugfs mounted / tmpfs mounted
#   TRC-2120 container_setns          setns into its own uts ns / runc init
#   TRC-2121 container_unshare        unshare(CLONE_NEWUSER) / CLONE_FS only
#   TRC-2122 container_runtime_overwrite  "runc" reopened through
#                                     /proc/self/fd for writing / for reading
#   TRC-2125 container_download_tool  curl to a remote URL / to localhost
#   TRC-2126 container_package_manager apt-get install / dpkg -l
#   TRC-2129 cloud_metadata_access    connect to 169.254.169.254 / 127.0.0.1
#                                     (in a private network namespace with
#                                     only lo: no packet leaves)
# Mounts, namespaces and the metadata address live in namespaces private
# to the acting process; files only in the scratch directory.

. "$top_srcdir/tests/integration/sig_live_lib.sh"
. "$top_srcdir/tests/integration/sig_live_procs_lib.sh"

command -v ip >/dev/null 2>&1 || skip_all "ip(8) is missing (the metadata address on lo)"
sl_container_setup
PORT=$((20000 + $$ % 20000))

mkdir -p "$D/c" "$D/h" "$D/mnt"
cp /bin/true "$D/c/t2103img" && cp /bin/true "$D/c/runc" && cp /bin/true "$D/c/other" ||
	skip_all "cannot copy /bin/true"
for p in curl apt-get dpkg; do mkprog $p; done
VARS="RAP ACT D PORT"
export $VARS

# $1: c in the container (twins too), h on the host
cat >"$D/acts.sh" <<'EOS'
P=$1
rap() {
	"$RAP" "$@" 2>>"$D/actions.err" || echo "(exit $?) $P: rule-actions-procs $*" >>"$D/actions.err"
}
# drift: written + chmod'ed + run (ELF, script); copied (no write) + chmod + run
rap x drop-exec elf "$D/$P/${P}2103elf"
rap x drop-exec script "$D/$P/${P}2103sh"
cp /bin/true "$D/$P/${P}2103cp"
rap x chmod "$D/$P/${P}2103cp" 0755
"$D/$P/${P}2103cp"
rap ${P}2117 socket 17 3 0
rap ${P}2117r socket 2 3 1
rap ${P}2118 mount tmpfs "$D/mnt"
rap ${P}2119 mount debugfs "$D/mnt"
rap ${P}2120 setns uts
rap ${P}2121 unshare 0x10000000
rap ${P}2122 fdwrite "$D/c/runc"
unshare -n sh -c 'ip link set lo up && ip addr add 169.254.169.254/32 dev lo &&
	exec "$ACT" '${P}2129' connect 169.254.169.254 "$PORT"' 2>>"$D/actions.err" ||
	echo "$P: 2129" >>"$D/actions.err"
[ "$P" = c ] || exit 0
"$D/c/t2103img"
rap t2117 socket 2 1 0
rap 'runc:[2:INIT]' mount tmpfs "$D/mnt"
rap 'runc:[2:INIT]' setns uts
rap t2121 unshare 0x200
rap t2122 fdread "$D/c/runc"
rap t2122b fdwrite "$D/c/other"
"$D/bin/curl" -fsS -o /dev/null http://198.51.100.7/x.sh
"$D/bin/curl" -f http://localhost:8080/health
"$D/bin/apt-get" install -y nmap
"$D/bin/dpkg" -l
unshare -n sh -c 'ip link set lo up && exec "$ACT" t2129 connect 127.0.0.1 "$PORT"' \
	2>>"$D/actions.err" || echo "t2129" >>"$D/actions.err"
EOS

sl_start $SL_CONTAINERS

sl_container tracee-procs-c "$VARS" sh "$D/acts.sh" c
ok $? "the behaviours ran in a podman container"
sh "$D/acts.sh" h
run_pid P2125H "$D/bin/curl" -fsS http://198.51.100.7/x.sh
run_pid P2126H "$D/bin/apt-get" install -y nmap

sl_stop

for n in 2103elf 2103sh 2103cp; do
	fires TRC-2103 container_drift "c$n" "written/chmod'ed and run in the container"
	quiet TRC-2103 container_drift "h$n" "on the host"
done
quiet TRC-2103 container_drift t2103img "a file that was there before"
for n in 2117 2118 2119 2120 2121 2122 2129; do
	name=$(awk -v id="TRC-$n" '$1 == id { print $2 }' "$D/sigs")
	fires "TRC-$n" "$name" "c$n" "in the container"
	quiet "TRC-$n" "$name" "h$n" "on the host"
done
fires TRC-2117 container_raw_socket c2117r "AF_INET SOCK_RAW in the container"
quiet TRC-2117 container_raw_socket h2117r "AF_INET SOCK_RAW on the host"
quiet TRC-2117 container_raw_socket t2117 "a TCP socket"
quiet TRC-2118 container_mount 'runc:[2:INIT]' "runc init mounts"
quiet TRC-2119 container_debugfs_mount c2118 "tmpfs mounted"
quiet TRC-2118 container_mount c2119 "debugfs is TRC-2119's"
quiet TRC-2120 container_setns 'runc:[2:INIT]' "runc init joins"
quiet TRC-2121 container_unshare t2121 "unshare(CLONE_FS)"
quiet TRC-2122 container_runtime_overwrite t2122 "runc reopened for reading"
quiet TRC-2122 container_runtime_overwrite t2122b "another file reopened for writing"
quiet TRC-2129 cloud_metadata_access t2129 "127.0.0.1"
# curl by name: one finding, the remote URL's
is "$(sl_match TRC-2125 container_download_tool curl | wc -l)" 1 \
	"TRC-2125 container_download_tool fires once for curl in the container"
data_has TRC-2125 198.51.100.7
ok $? "TRC-2125: for the remote URL (the localhost health check stays quiet)"
quiet TRC-2125 container_download_tool "pid:$P2125H" "curl on the host"
fires TRC-2126 container_package_manager apt-get "apt-get install in the container"
quiet TRC-2126 container_package_manager dpkg "dpkg -l"
quiet TRC-2126 container_package_manager "pid:$P2126H" "apt-get install on the host"
sl_container_named tracee-procs-c
sl_container_gone

done_testing
