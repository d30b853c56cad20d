#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# falco_replay.sh - the rules written for Falco's behaviours (TRC-2134..
# TRC-2140) over recordings in the original Tracee's JSON schema, through
# `tracee analyze`: the cases a live run cannot easily stage (IPv4-mapped
# and IPv6 addresses, Tracee's parsed "BPF_PROG_LOAD", a failed load,
# liblzma 5.6.10, a malformed subnet in a policy) and the process-tree
# cases of a replay (the container of a parent comes from the recording).
# No root.  The recordings, tests/unit/falco_*.json:
#   net    connects from a container to 8.8.8.8, 10.1.2.3, ::ffff:8.8.4.4,
#          ::ffff:10.9.8.7, 2001:db8::1, fd12:3456::1, ::1, 203.0.113.9 (a
#          subnet the policy adds); 8.8.8.8 from the host
#   exec   runc (host) starts sh with stdin /dev/pts/0 and with /dev/null in
#          a container; that sh starts bash on the terminal; runc starts
#          tar cf -, the container's sh starts tar -czf, runc starts tar
#          xmf - (a copy in); bash starts useradd; runc starts busybox
#          as ls on the terminal, and as tar cf -; bash starts busybox as
#          adduser
#   bpf    BPF_PROG_LOAD (as text and as 5), a failed one, BPF_MAP_CREATE,
#          a load by bpftrace
#   files  sshd opens liblzma 5.6.1 and 5.6.10, xz opens 5.6.0; cat reads
#          known_hosts and a private key; sshd reads sshd_config; cat
#          opens it for writing; updatedb lists /etc/ssh/ssh_config.d

. "$top_srcdir/tests/tap.sh"

[ -x "$TRACEE" ] || skip_all "tracee is not built ($TRACEE)"
command -v jq >/dev/null 2>&1 || skip_all "jq is needed to read the findings (apt-get install jq)"

dir=$top_srcdir/tests/unit
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tracee-falco.XXXXXX") ||
	skip_all "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/policy.lua" <<'EOF'
tracee.list("local_subnets", { "203.0.113.0/24", "banana", "10.0.0.0/33" })
EOF

# replay NAME: the findings of TRC-2134..2140 as "ID comm pid", sorted
replay() {
	"$TRACEE" analyze -s "$tmp/policy.lua" --signatures +TRC-2140 -o json \
		"$dir/falco_$1.json" >"$tmp/$1.out" 2>"$tmp/$1.err"
	r=$?
	grep -q 'errors 0,' "$tmp/$1.err" || r=1
	ok $r "$1: the replay runs without error" || diag "$(cat "$tmp/$1.err")"
	jq -r '.metadata.Properties.signatureID + " " + .processName + " " +
		(.processId | tostring)' "$tmp/$1.out" |
		grep -E '^TRC-(213[4-9]|2140) ' | sort >"$tmp/$1.got"
}

# data NAME ID KEY: the value of KEY in the findings of ID
data() {
	jq -r --arg id "$2" --arg k "$3" 'select(.metadata.Properties.signatureID == $id) |
		.args[] | select(.name == $k) | .value | tostring' "$tmp/$1.out" | tr '\n' ' '
}

replay net
is "$(cat "$tmp/net.got" | tr '\n' ',')" \
	"TRC-2140 out4 2000,TRC-2140 out4m 2000,TRC-2140 out6 2000," \
	"TRC-2140: public v4, mapped v4, v6; not private, ULA, ::1, the policy's subnet, the host"
is "$(data net TRC-2140 ip)" "8.8.8.8 ::ffff:8.8.4.4 2001:db8::1 " "TRC-2140 reports the addresses"
n=$(grep -c "is not a CIDR subnet, ignored" "$tmp/net.err")
is "$n" 2 "TRC-2140: each malformed subnet of the policy is logged once"

replay exec
want="TRC-2134 sh 600,TRC-2138 adduser 609,TRC-2138 useradd 606,"
is "$(cat "$tmp/exec.got" | tr '\n' ',')" "${want}TRC-2139 tar 603,TRC-2139 tar 608," \
	"a terminal shell and tar cf from runc, account tools in the container: nothing else"
is "$(data exec TRC-2134 terminal)" "/dev/pts/0 " "TRC-2134 reads Tracee's stdin_path"
is "$(data exec TRC-2139 parent)" "runc runc " "TRC-2139 names the runtime"

replay bpf
is "$(cat "$tmp/bpf.got" | tr '\n' ',')" "TRC-2136 loader 3000,TRC-2136 loader2 3000," \
	"TRC-2136: BPF_PROG_LOAD as text and as 5; not failed, not a map, not bpftrace"

replay files
is "$(cat "$tmp/files.got" | tr '\n' ',')" "TRC-2135 cat 4000,TRC-2137 sshd 4000," \
	"TRC-2137 for 5.6.1 only, TRC-2135 for known_hosts only (not a directory listed)"
is "$(data files TRC-2137 pathname)" "/usr/lib/x86_64-linux-gnu/liblzma.so.5.6.1 " \
	"TRC-2137 names the library"
is "$(data files TRC-2135 pathname)" "/home/ann/.ssh/known_hosts " "TRC-2135 names the file"
done_testing
