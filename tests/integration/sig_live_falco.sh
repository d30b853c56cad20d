#!/bin/sh
# sig_live_falco.sh - the rules written for behaviours Falco's stable and
# incubating rules watch (TRC-2134..), for real (root, real eBPF), each
# next to a benign twin that must stay quiet.
#
# A real container (sig_live_lib.sh, podman_lib.sh: runc, privileged, the
# host's /usr read-only) stays up while the test execs into it the way
# `podman exec` and `kubectl exec` do; its own program runs the
# in-container behaviours.  Files that matter are never changed: ~/.ssh
# files are made on a tmpfs over /root in a private mount namespace of the
# acting process (sig-actions --tmpfs); the library files are empty files
# in the scratch dir; the account tools are copies of /bin/true named
# useradd and groupadd; the eBPF program is a socket filter attached to
# nothing.
#   TRC-2134 terminal_shell_in_container  podman exec -it C sh (under a pty) /
#                      podman exec without -t, with -i; exec -it of cat; a
#                      shell under a pty started by the container's own
#                      program; the same shell under a pty on the host
#   TRC-2135 ssh_information_read  ~/.ssh/known_hosts and /etc/ssh/ssh_config
#                      read / read by ssh; a private key (TRC-2002's only)
#   TRC-2136 bpf_program_load  BPF_PROG_LOAD by an unknown name / by bpftrace
#   TRC-2137 sshd_backdoored_library  "sshd" opens liblzma.so.5.6.1, and
#                      liblzma.so.5 -> 5.6.0 / 5.4.1; 5.6.1 by another name
#   TRC-2138 user_management_tool  useradd in the container; on the host
#                      under a php-fpm / under a plain shell; in the
#                      container under dpkg (a maintainer script)
#   TRC-2139 kubectl_cp_exfiltration  podman exec C tar cf - /etc / tar cf
#                      run by the container's own shell; podman exec -i C
#                      tar xf - (a copy in); tar cf on the host
#   TRC-2140 network_outside_local_subnet (opt-in: switched on here)
#                      TCP to 192.0.2.10 and 2001:db8::10 from the container /
#                      to 10.1.2.3, fd00::10, 198.51.100.7 (a subnet the
#                      policy adds); 192.0.2.10 from the host

. "$top_srcdir/tests/integration/sig_live_lib.sh"
. "$top_srcdir/tests/integration/sig_live_procs_lib.sh"

FA="$top_builddir/tests/integration/falco-actions"
[ -x "$FA" ] || skip_all "falco-actions is not built ($FA)"
command -v script >/dev/null 2>&1 || skip_all "script(1) is missing (apt-get install bsdutils)"

sl_container_setup
C=tracee-falco-c

# podman on the test's storage as a program: script(1) runs it under a pty
{
	printf '#!/bin/sh\nexec nsenter --mount=/proc/%s/ns/mnt podman ' "$PM_HOLDER"
	printf -- '--root "%s/pm/root" --runroot "%s/pm/run" --tmpdir "%s/pm/tmp" ' "$D" "$D" "$D"
	printf -- '--cgroup-manager=cgroupfs --runtime runc --events-backend none "$@"\n'
} >"$D/pmx"
chmod 755 "$D/pmx"

mkprog useradd
mkprog groupadd
mkprog php-fpm /bin/sh
mkprog dpkg /bin/sh
mkdir "$D/lib"
: >"$D/lib/liblzma.so.5.6.1"
: >"$D/lib/liblzma.so.5.6.0"
: >"$D/lib/liblzma.so.5.4.1"
ln -s liblzma.so.5.6.0 "$D/lib/liblzma.so.5"

# what the container's own program does (its variables from c.env), then
# it waits to be stopped; TRC-2140's addresses are put on lo of its own
# network namespace (podman --network none)
cat >"$D/inside.sh" <<'EOS'
fa() {
	"$FA" "$@" 2>>"$D/actions.err" || echo "(exit $?) in C: falco-actions $*" >>"$D/actions.err"
}
"$D/bin/useradd" -m mallory
"$D/bin/dpkg" -c "\"$D/bin/groupadd\" staff2; :"
script -qec 'sh -c "exit 0"' /dev/null </dev/null >/dev/null
tar cf - /etc/hostname >/dev/null 2>&1
(
	ip link set lo up &&
	for a in 192.0.2.10 10.1.2.3 198.51.100.7; do ip addr add $a/32 dev lo || exit 1; done &&
	for a in 2001:db8::10 fd00::10; do ip -6 addr add $a/128 dev lo nodad || exit 1; done
) 2>>"$D/actions.err" || echo "in C: ip addr add failed" >>"$D/actions.err"
fa c2140 connect 192.0.2.10 $PORT
fa c2140v6 connect 2001:db8::10 $PORT
fa t2140 connect 10.1.2.3 $PORT
fa t2140v6 connect fd00::10 $PORT
fa t2140p connect 198.51.100.7 $PORT
: >/go/inside-done
while [ ! -e /go/stop ]; do sleep 0.1; done
EOS
PORT=$((20000 + $$ % 20000))
# TRC-2140 is opt-in; the policy adds a subnet of its own
cat >"$D/policy.lua" <<'EOS'
tracee.list("local_subnets", { "198.51.100.0/24" })
EOS

sl_start $SL_CONTAINERS --signatures +TRC-2140 -s "$D/policy.lua"

printf 'ASAN_OPTIONS=detect_leaks=0\nFA=%s\nD=%s\nPORT=%s\n' "$FA" "$D" "$PORT" >"$D/c.env"
mkdir -p "$D/go"
# word splitting of PM_HOST_VOLS is wanted
pm_run "$C" --privileged $PM_HOST_VOLS -v "$top_builddir:$top_builddir:ro" \
	-v "$D:$D" -v "$D/go:/go" --env-file "$D/c.env" "$SL_IMG" \
	sh -c "$PM_WAIT"'; exec sh "$1"' sh "$D/inside.sh" >"$D/c.out" 2>&1 &
CPID=$!
pm_released "$C" "$D/out.json" "$D/go"
i=0
while [ ! -e "$D/go/inside-done" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -e "$D/go/inside-done" ]
ok $? "the container's own program did its part"
CID=$("$D/pmx" inspect --format '{{.Id}}' "$C")

# TRC-2134: exec -it under a pty, and its twins
script -qec "$D/pmx exec -it $C sh -c 'exit 0'" /dev/null </dev/null >"$D/exec-it.out" 2>&1
ok $? "podman exec -it under a pty" || diag "$(cat "$D/exec-it.out")"
"$D/pmx" exec "$C" sh -c 'exit 0' </dev/null >>"$D/actions.err" 2>&1 ||
	echo "podman exec failed" >>"$D/actions.err"
echo | "$D/pmx" exec -i "$C" sh -c 'cat >/dev/null' >>"$D/actions.err" 2>&1 ||
	echo "podman exec -i failed" >>"$D/actions.err"
script -qec 'sh -c "exit 0"' /dev/null </dev/null >/dev/null 2>&1 ||
	echo "script on the host failed" >>"$D/actions.err"
script -qec "$D/pmx exec -it $C cat /etc/hostname" /dev/null </dev/null >/dev/null 2>&1 ||
	echo "podman exec -it cat failed" >>"$D/actions.err"
# TRC-2139: tar cf - started by the runtime's exec
"$D/pmx" exec "$C" tar cf - /etc >/dev/null 2>"$D/tar.err" ||
	echo "podman exec tar failed" >>"$D/actions.err"
tar cf - /etc/hostname >/dev/null 2>&1
# its twin: kubectl cp into a container (tar x)
tar cf "$D/small.tar" -C "$D" inside.sh 2>>"$D/actions.err"
"$D/pmx" exec -i "$C" tar xf - -C /tmp <"$D/small.tar" 2>>"$D/actions.err" ||
	echo "podman exec tar x failed" >>"$D/actions.err"
: >"$D/go/stop"
wait "$CPID"
ok $? "the container ran to its end" || diag "$(cat "$D/c.out")"

# TRC-2135
act h2135 --tmpfs /root --mkfile /root/.ssh/known_hosts open /root/.ssh/known_hosts r
act h2135e open /etc/ssh/ssh_config r
act ssh open /etc/ssh/ssh_config r
act h2135k --tmpfs /root --mkfile /root/.ssh/id_rsa open /root/.ssh/id_rsa r
# TRC-2136
"$FA" h2136 bpf-load 2>>"$D/actions.err" || echo "falco-actions h2136" >>"$D/actions.err"
"$FA" bpftrace bpf-load 2>>"$D/actions.err" || echo "falco-actions bpftrace" >>"$D/actions.err"
# TRC-2137
act sshd open "$D/lib/liblzma.so.5.6.1" r
act sshd open "$D/lib/liblzma.so.5" r
act sshd open "$D/lib/liblzma.so.5.4.1" r
act h2137 open "$D/lib/liblzma.so.5.6.1" r
# TRC-2138 on the host: under a service, under a plain shell
run_pid SVC_SH "$D/bin/php-fpm" -c "\"$D/bin/useradd\" -m eve; :"
run_pid PLAIN_SH sh -c "\"$D/bin/useradd\" -m bob; :"
# TRC-2140 on the host, in a network namespace of its own
unshare -n sh -c 'ip link set lo up && ip addr add 192.0.2.10/32 dev lo &&
	"$1" h2140 connect 192.0.2.10 "$2"' sh "$FA" "$PORT" 2>>"$D/actions.err" ||
	echo "h2140 failed" >>"$D/actions.err"

sl_stop
sl_container_gone

# the findings with their container id and data:
# ID processName hostProcessId hostParentProcessId containerId data
python3 - "$D/out.json" >"$D/ff" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if "metadata" not in d:
        continue
    data = {a["name"]: a.get("value") for a in d.get("args", []) if a["name"] != "triggeredBy"}
    print(d["metadata"]["Properties"]["signatureID"], d["processName"].replace(" ", "_"),
          d["hostProcessId"], d["hostParentProcessId"], d.get("containerId") or "-",
          json.dumps(data, sort_keys=True, separators=(",", ":")))
PY
diag "findings with containers and data:"
diag "$(cat "$D/ff")"
# in_c ID WHO CID [TEXT]: findings of ID for process name WHO in container
# CID ("-": none), whose data holds TEXT
in_c() {
	awk -v id="$1" -v w="$2" -v c="$3" '$1 == id && $2 == w && $5 == c' "$D/ff" |
		grep -F -- "${4:-}"
}
c_fires() { # ID WHO CID TEXT DESC
	[ -n "$(in_c "$1" "$2" "$3" "$4")" ]
	ok $? "$1 fires for $2: $5"
}
c_quiet() { # ID WHO CID TEXT DESC
	q=$(in_c "$1" "$2" "$3" "$4")
	[ -z "$q" ]
	ok $? "$1 stays quiet for $2: $5"
	[ -z "$q" ] || diag "$q"
}

c_fires TRC-2134 sh "$CID" '"terminal":"/dev/pts/' "podman exec -it C sh under a pty"
n=$(in_c TRC-2134 sh "$CID" | wc -l)
is "$n" 1 "TRC-2134: one finding (exec without -t, with -i, the container's own pty shell: none)"
c_quiet TRC-2134 sh - "" "a shell under a pty on the host"
c_fires TRC-2139 tar "$CID" '"arguments":"cf - /etc"' "podman exec C tar cf - /etc"
n=$(in_c TRC-2139 tar "$CID" | wc -l)
is "$n" 1 "TRC-2139: one finding (tar cf by the container's own shell, tar x by exec: none)"
c_quiet TRC-2139 tar - "" "tar cf on the host"
c_fires TRC-2138 useradd "$CID" '"where":"container"' "useradd in the container"
c_quiet TRC-2138 groupadd "$CID" "" "groupadd under dpkg in the container"
# run_pid gave the shells' pids: useradd is their child
n=$(awk -v p="$SVC_SH" '$1 == "TRC-2138" && $4 == p' "$D/ff" | grep -cF '"where":"run by php-fpm"')
is "$n" 1 "TRC-2138 fires for useradd under php-fpm on the host, naming the service"
n=$(awk -v p="$PLAIN_SH" '$1 == "TRC-2138" && $4 == p' "$D/ff" | wc -l)
is "$n" 0 "TRC-2138 stays quiet for useradd under a plain shell on the host"

fires TRC-2135 ssh_information_read h2135 "~/.ssh/known_hosts"
fires TRC-2135 ssh_information_read h2135e "/etc/ssh/ssh_config"
quiet TRC-2135 ssh_information_read ssh "ssh reads its config"
quiet TRC-2135 ssh_information_read h2135k "a private key is TRC-2002's"
fires TRC-2002 ssh_key_read h2135k "the private key"

fires TRC-2136 bpf_program_load h2136 "BPF_PROG_LOAD by an unprofiled name"
quiet TRC-2136 bpf_program_load bpftrace "a known BPF user"
n=$(awk '$1 == "TRC-2136" && $2 ~ /^tracee/' "$D/ff" | wc -l)
is "$n" 0 "TRC-2136: tracee's own loads do not fire"

c_fires TRC-2137 sshd - "liblzma.so.5.6.1" "sshd opens liblzma 5.6.1"
c_fires TRC-2137 sshd - "liblzma.so.5.6.0" "sshd opens liblzma.so.5 -> 5.6.0"
c_quiet TRC-2137 sshd - "liblzma.so.5.4.1" "sshd opens liblzma 5.4.1"
quiet TRC-2137 sshd_backdoored_library h2137 "another program opens 5.6.1"

c_fires TRC-2140 c2140 "$CID" '"ip":"192.0.2.10"' "192.0.2.10 from the container"
c_fires TRC-2140 c2140v6 "$CID" '"ip":"2001:db8::10"' "2001:db8::10 from the container"
c_quiet TRC-2140 t2140 "$CID" "" "10.1.2.3, a private address"
c_quiet TRC-2140 t2140v6 "$CID" "" "fd00::10, a unique local address"
c_quiet TRC-2140 t2140p "$CID" "" "198.51.100.7, in the policy's subnet"
quiet TRC-2140 network_outside_local_subnet h2140 "192.0.2.10 from the host"

for id in TRC-2134:terminal_shell_in_container TRC-2135:ssh_information_read \
	TRC-2136:bpf_program_load TRC-2137:sshd_backdoored_library \
	TRC-2138:user_management_tool TRC-2139:kubectl_cp_exfiltration; do
	listed "${id%%:*}" yes "${id#*:}"
done
listed TRC-2140 yes network_outside_local_subnet
is "$(sl_column TRC-2140 STATE)" off "TRC-2140 is off by default"

done_testing
