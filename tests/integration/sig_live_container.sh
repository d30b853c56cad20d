#!/bin/sh
# sig_live_container.sh - the container-only signatures, for real (root,
# real eBPF).
#
# A real container: podman with runc (sig_live_lib.sh, podman_lib.sh),
# privileged, its image the host's /usr read-only, tracee enriching from
# podman's service so that the findings carry its id and name.  The same
# behaviours run in it (command names c*) and on the host (h*), where every
# one of these signatures must stay quiet; benign twins run in the
# container too (t*).  Files that matter are never changed: writes go to
# scratch files bind-mounted over them, or to a tmpfs, in a private mount
# namespace of the acting process alone (sig-actions --bind/--tmpfs); the
# cgroup v1 files are those of a private named hierarchy (no controllers),
# destroyed when that namespace goes.  Only loopback sockets.
#   TRC-106 cgroup_notify_on_release  notify_on_release written / read
#   TRC-108 k8s_service_account_token the token read / read by kube-proxy
#   TRC-1010 cgroup_release_agent     release_agent written / read
#   TRC-1011 core_pattern_modification core_pattern written / read
#   TRC-1013 k8s_api_connection       a program started with
#                                     KUBERNETES_SERVICE_HOST connects there /
#                                     to another address
#   TRC-1019 docker_abuse             connect to .../docker.sock / other.sock
#   TRC-1021 proc_kcore_read          /proc/kcore read / /proc/version read
#   TRC-1022 dropped_executable       ELF written / text written
#   TRC-1029 sched_debug_recon        the scheduler debug file read /
#                                     /proc/schedstat read
#   TRC-1031 system_request_key_mod   sysrq and sysrq-trigger written / read
#   TRC-1014 disk_mount               security_sb_mount: --list-signatures
#                                     must say when this kernel cannot
# Where this kernel lacks the file (no /proc/kcore, no sysrq files, no
# /proc/sched_debug) it is made on a tmpfs in that private namespace: the
# signatures know these files by path.

. "$top_srcdir/tests/integration/sig_live_lib.sh"

sl_container_setup
PORT=$((20000 + $$ % 20000))

# Where each file comes from on this kernel: SETUP steps for sig-actions.
: >"$D/scratch"
mkdir "$D/cg" "$D/c" "$D/h" "$D/t"
stage() { # PATH: set STAGE to the steps that give a harmless PATH
	if [ -f "$1" ]; then
		STAGE="--bind $D/scratch $1"
	else
		sl_a=$(dirname "$1")
		while [ ! -d "$sl_a" ]; do sl_a=$(dirname "$sl_a"); done
		STAGE="--tmpfs $sl_a --mkfile $1"
	fi
}
stage /proc/sys/kernel/core_pattern
CORE_STAGE=$STAGE
stage /proc/sys/kernel/sysrq
SYSRQ_STAGE=$STAGE
stage /proc/sysrq-trigger
TRIGGER_STAGE=$STAGE
KCORE_STAGE=
[ -e /proc/kcore ] || KCORE_STAGE="--tmpfs /proc --mkfile /proc/kcore"
# the scheduler debug file: debugfs's (mounted in the private namespace),
# else /proc/sched_debug, else one on a tmpfs
if "$ACT" probe --debugfs /sys/kernel/debug open /sys/kernel/debug/sched/debug r 2>/dev/null; then
	SCHED_STAGE="--debugfs /sys/kernel/debug"
	SCHED=/sys/kernel/debug/sched/debug
elif [ -e /proc/sched_debug ]; then
	SCHED_STAGE=
	SCHED=/proc/sched_debug
else
	SCHED_STAGE="--tmpfs /proc --mkfile /proc/sched_debug"
	SCHED=/proc/sched_debug
fi
# the twin: the scheduler's statistics, also about every task
SCHED_TWIN_STAGE=
SCHED_TWIN=/proc/schedstat
[ -e "$SCHED_TWIN" ] || SCHED_TWIN=/proc/version
TOKEN=/run/secrets/kubernetes.io/serviceaccount/token
# the cgroup v1 hierarchies' names: unique on the machine
TAG=$$
VARS="ACT D PORT TAG CORE_STAGE SYSRQ_STAGE TRIGGER_STAGE KCORE_STAGE SCHED_STAGE SCHED"
VARS="$VARS SCHED_TWIN_STAGE SCHED_TWIN TOKEN"
export $VARS

# The behaviours; $1 is the command-name prefix: c in the container (which
# also runs the twins, t), h on the host.  Word splitting of the *_STAGE
# variables is wanted (test paths have no blanks).
cat >"$D/acts.sh" <<'EOF'
P=$1
act() {
	"$ACT" "$@" 2>>"$D/actions.err" || echo "(exit $?) $P: sig-actions $*" >>"$D/actions.err"
}
act ${P}106 --cgroup1 tracee_sig_${P}106_$TAG "$D/cg" open "$D/cg/notify_on_release" w 0
act ${P}1010 --cgroup1 tracee_sig_${P}1010_$TAG "$D/cg" open "$D/cg/release_agent" w /bin/true
act ${P}1011 $CORE_STAGE open /proc/sys/kernel/core_pattern w core
act ${P}108 --tmpfs /run --mkfile $TOKEN open $TOKEN r
env -i PATH=/usr/bin:/bin KUBERNETES_SERVICE_HOST=127.0.0.1 \
	"$ACT" ${P}1013 connect 127.0.0.1 $PORT 2>>"$D/actions.err" || echo "$P: 1013" >>"$D/actions.err"
act ${P}1019 unix-connect "$D/$P/docker.sock"
act ${P}1021 $KCORE_STAGE open /proc/kcore r
act ${P}1022 elf "$D/$P/dropped"
act ${P}1029 $SCHED_STAGE open $SCHED r
act ${P}1031 $SYSRQ_STAGE open /proc/sys/kernel/sysrq w 0
act ${P}1031x $TRIGGER_STAGE open /proc/sysrq-trigger w
[ "$P" = c ] || exit 0
act t106 --cgroup1 tracee_sig_t106_$TAG "$D/cg" open "$D/cg/notify_on_release" r
act t1010 --cgroup1 tracee_sig_t1010_$TAG "$D/cg" open "$D/cg/release_agent" r
act t1011 open /proc/sys/kernel/core_pattern r
act kube-proxy --tmpfs /run --mkfile $TOKEN open $TOKEN r
act t1013 connect 127.0.0.2 $((PORT + 2))
act t1019 unix-connect "$D/t/other.sock"
act t1021 open /proc/version r
act t1022 text "$D/t/dropped"
act t1029 $SCHED_TWIN_STAGE open $SCHED_TWIN r
act t1031 $SYSRQ_STAGE open /proc/sys/kernel/sysrq r
EOF

sl_start $SL_CONTAINERS

sl_container tracee-sig-c "$VARS" sh "$D/acts.sh" c
ok $? "the behaviours ran in a podman container"
PORT=$((PORT + 1)) sh "$D/acts.sh" h

sl_stop

for n in 106 108 1010 1011 1013 1019 1021 1022 1029 1031; do
	eval "name=\$(awk '\$1 == \"TRC-$n\" { print \$2 }' \"\$D/sigs\")"
	fires "TRC-$n" "$name" "c$n" "in the container"
	quiet "TRC-$n" "$name" "h$n" "on the host"
done
fires TRC-1031 system_request_key_mod c1031x "sysrq-trigger written in the container"
quiet TRC-1031 system_request_key_mod h1031x "sysrq-trigger written on the host"
quiet TRC-106 cgroup_notify_on_release t106 "notify_on_release read"
quiet TRC-1010 cgroup_release_agent t1010 "release_agent read"
quiet TRC-1011 core_pattern_modification t1011 "core_pattern read"
quiet TRC-108 k8s_service_account_token kube-proxy "the token read by kube-proxy"
quiet TRC-1013 k8s_api_connection t1013 "a connection to another address"
quiet TRC-1019 docker_abuse t1019 "a connection to other.sock"
quiet TRC-1021 proc_kcore_read t1021 "/proc/version read"
quiet TRC-1022 dropped_executable t1022 "text written"
quiet TRC-1029 sched_debug_recon t1029 "$SCHED_TWIN read"
quiet TRC-1031 system_request_key_mod t1031 "sysrq read"

sl_container_named tracee-sig-c
sl_container_gone

why=$(event_unavailable security_sb_mount)
if [ -n "$why" ]; then
	diag "security_sb_mount: $why"
	listed TRC-1014 no 'unavailable: security_sb_mount'
else
	# mounting a host block device, even read-only in a private namespace,
	# is not done on a test machine
	skip "TRC-1014 disk_mount: no device mount performed here"
fi

# the private cgroup v1 hierarchies went with their namespaces
i=0
while grep -q "name=tracee_sig_[a-z0-9]*_$TAG:" /proc/self/cgroup && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
! grep -q "name=tracee_sig_[a-z0-9]*_$TAG:" /proc/self/cgroup
ok $? "no cgroup v1 hierarchy of the test is left"
done_testing
