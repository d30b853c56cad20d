#!/bin/sh
# sig_live_procs_network.sh - the connection rules of the TRC-21xx family,
# for real (root, real eBPF).  One tracee with the built-in signatures;
# connections go to loopback, or to a documentation address (192.0.2.10)
# put on lo in a private network namespace of the acting process (unshare
# -n): no packet leaves the machine.
#   TRC-2128 ssh_nonstandard_port    "ssh" connects to port N / to port 22;
#                                    "curl" to port N
#   TRC-2130 unexpected_udp          bash's /dev/udp to 192.0.2.10:4444, "nc"
#                                    UDP there / bash to port 53, to
#                                    127.0.0.1; "myapp" UDP to :4444
#   TRC-2131 system_program_network  "cat" connects over TCP / "curl" does;
#                                    "cat" to an AF_UNIX socket

. "$top_srcdir/tests/integration/sig_live_lib.sh"
. "$top_srcdir/tests/integration/sig_live_procs_lib.sh"

command -v unshare >/dev/null 2>&1 || skip_all "unshare(1) is missing"
command -v ip >/dev/null 2>&1 || skip_all "ip(8) is missing"
BASH=$(command -v bash) || skip_all "bash is missing (/dev/udp)"
PORT=$((20000 + $$ % 20000))
export ACT RAP BASH

# netns VAR CMD: CMD (a shell command) in a private network namespace
# whose lo is up and holds 192.0.2.10; VAR gets the pid CMD runs under
netns() {
	sl_var=$1
	unshare -n sh -c 'ip link set lo up && ip addr add 192.0.2.10/32 dev lo && exec '"$2" \
		>/dev/null 2>>"$D/actions.err" &
	sl_p=$!
	wait "$sl_p" || printf '(exit %d) in a netns: %s\n' "$?" "$2" >>"$D/actions.err"
	eval "$sl_var=\$sl_p"
}

sl_start

act ssh connect 127.0.0.1 "$PORT"
netns P2128T '"$ACT" ssh-22 connect 127.0.0.1 22'
act curl connect 127.0.0.1 "$((PORT + 1))"
netns P2130 '"$BASH" -c "echo x >/dev/udp/192.0.2.10/4444"'
netns P2130N '"$RAP" nc udp 192.0.2.10 4444'
netns P2130T '"$BASH" -c "echo x >/dev/udp/192.0.2.10/53"'
netns P2130T2 '"$BASH" -c "echo x >/dev/udp/127.0.0.1/4444"'
netns P2130T3 '"$RAP" myapp udp 192.0.2.10 4444'
act cat connect 127.0.0.1 "$((PORT + 2))"
run_pid P2131T "$ACT" cat unix-connect "$D/x.sock"

sl_stop

fires TRC-2128 ssh_nonstandard_port ssh "ssh connects to port $PORT"
quiet TRC-2128 ssh_nonstandard_port ssh-22 "ssh connects to port 22"
quiet TRC-2128 ssh_nonstandard_port curl "curl connects to port $((PORT + 1))"
fires TRC-2130 unexpected_udp "pid:$P2130" "bash /dev/udp/192.0.2.10/4444"
fires TRC-2130 unexpected_udp "pid:$P2130N" "nc UDP to 192.0.2.10:4444"
quiet TRC-2130 unexpected_udp "pid:$P2130T" "bash /dev/udp/192.0.2.10/53"
quiet TRC-2130 unexpected_udp "pid:$P2130T2" "bash /dev/udp/127.0.0.1/4444"
quiet TRC-2130 unexpected_udp "pid:$P2130T3" "myapp UDP to 192.0.2.10:4444"
fires TRC-2131 system_program_network cat "cat connects over TCP"
is "$(sl_match TRC-2131 system_program_network cat | wc -l)" 1 "TRC-2131: once, for TCP only"
quiet TRC-2131 system_program_network curl "curl connects over TCP"
quiet TRC-2131 system_program_network "pid:$P2131T" "cat connects to an AF_UNIX socket"

done_testing
