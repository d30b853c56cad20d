#!/bin/sh
# sig_live_procs_privesc.sh - the ptrace and privilege-escalation rules of
# the TRC-21xx family, for real (root, real eBPF).  One tracee with the
# built-in signatures; rule-actions-procs acts under a name of the test's
# choosing, execs are of /bin/true (or dash) copied under the name the rule
# knows, next to benign twins that must stay quiet:
#   TRC-2106 ptrace_attach              PTRACE_ATTACH, PTRACE_SEIZE / "gdb"
#                                       attaches; PTRACE_TRACEME
#   TRC-2107 ptrace_setregs             PTRACE_SETREGS / GETREGS only; "gdb"
#   TRC-2108 setuid_root                setresuid back to 0 / to 65534 for
#                                       good; "sudo" back to 0
#   TRC-2109 setuid_bit_set             chmod 4755, fchmod 2755 / chmod 0755;
#                                       "dpkg" chmod 4755, a child of "dpkg"
#   TRC-2110 glibc_tunables_setuid      setuid file run with GLIBC_TUNABLES /
#                                       a plain file with it
#   TRC-2111 loader_env_setuid          setuid file run with LD_AUDIT / plain
#                                       file with LD_AUDIT; setuid file with
#                                       LD_BIND_NOW
#   TRC-2112 pkexec_empty_argv          "pkexec" with an empty argv / with
#                                       --version
#   TRC-2113 sudoedit_editor_bypass     EDITOR='vim -- /etc/shadow' sudoedit,
#                                       SUDO_EDITOR with sudo -e / EDITOR=vim
#   TRC-2114 sudoedit_backslash_overflow sudoedit -s 'x\' / sudoedit -s x,
#                                       sudoedit 'x\'
#   TRC-2115 userfaultfd_unprivileged   uid 65534 userfaultfd(0) / with
#                                       UFFD_USER_MODE_ONLY; as root
#   TRC-2116 system_account_shell       uid 33 runs sh -i / uid 33 sh -c;
#                                       root and uid 1000 run sh -i
# The traced processes are the helper's own children; setuid copies live
# in the scratch directory only.

. "$top_srcdir/tests/integration/sig_live_lib.sh"
. "$top_srcdir/tests/integration/sig_live_procs_lib.sh"

command -v setpriv >/dev/null 2>&1 || skip_all "setpriv(1) is missing"
for p in pkexec sudoedit sudo suid plain; do mkprog $p; done
chmod 4755 "$D/bin/suid" || skip_all "cannot make a setuid copy"
mkprog sh /bin/dash
: >"$D/f4"

sl_start

rap p2106-hit attach
rap p2106-seize seize
rap gdb attach
act p2106-twin traceme
rap p2107-hit setregs
rap p2107-twin getregs
rap gdb setregs
rap p2108-hit setuid-back 65534
rap p2108-twin setuid-drop 65534
rap sudo setuid-back 65534
rap p2109-hit chmod "$D/f1" 4755
rap p2109-sgid fchmod "$D/f2" 2755
rap p2109-twin chmod "$D/f3" 0755
rap dpkg chmod "$D/f4" 4755
# a maintainer script's chmod: a child of a "dpkg"
mkprog dpkg /bin/dash
"$D/bin/dpkg" -c "\"$RAP\" p2109-child chmod \"$D/f5\" 4755; :" 2>>"$D/actions.err"
run_pid P2110 env -i GLIBC_TUNABLES=glibc.malloc.mxfast=0 "$D/bin/suid"
run_pid P2110T env -i GLIBC_TUNABLES=glibc.malloc.mxfast=0 "$D/bin/plain"
run_pid P2111 env -i LD_AUDIT=/nonexistent/audit.so "$D/bin/suid"
run_pid P2111T env -i LD_AUDIT=/nonexistent/audit.so "$D/bin/plain"
run_pid P2111T2 env -i LD_BIND_NOW=1 "$D/bin/suid"
run_pid P2112 "$RAP" p2112 exec-noargv "$D/bin/pkexec"
run_pid P2112T "$D/bin/pkexec" --version
run_pid P2113 env -i EDITOR='vim -- /etc/shadow' "$D/bin/sudoedit" /etc/motd
run_pid P2113S env -i SUDO_EDITOR='nano -- /etc/passwd' "$D/bin/sudo" -e /etc/motd
run_pid P2113T env -i EDITOR=vim "$D/bin/sudoedit" /etc/motd
run_pid P2114 "$D/bin/sudoedit" -s 'AAAA\'
run_pid P2114T "$D/bin/sudoedit" -s file
run_pid P2114T2 "$D/bin/sudoedit" 'AAAA\'
rap p2115-hit uffd 65534 0
rap p2115-umode uffd 65534 1
rap p2115-root uffd 0 0
run_pid P2116 setpriv --reuid 33 --regid 33 --clear-groups "$D/bin/sh" -i
run_pid P2116T setpriv --reuid 33 --regid 33 --clear-groups "$D/bin/sh" -c :
run_pid P2116T2 "$D/bin/sh" -i
run_pid P2116T3 setpriv --reuid 1000 --regid 1000 --clear-groups "$D/bin/sh" -i

sl_stop

fires TRC-2106 ptrace_attach p2106-hit "PTRACE_ATTACH"
fires TRC-2106 ptrace_attach p2106-seize "PTRACE_SEIZE"
quiet TRC-2106 ptrace_attach gdb "gdb attaches"
quiet TRC-2106 ptrace_attach p2106-twin "PTRACE_TRACEME"
fires TRC-2107 ptrace_setregs p2107-hit "PTRACE_SETREGS"
quiet TRC-2107 ptrace_setregs p2107-twin "PTRACE_GETREGS only"
quiet TRC-2107 ptrace_setregs gdb "gdb sets registers"
fires TRC-2108 setuid_root p2108-hit "setresuid(65534, 65534, 0) then back to 0"
quiet TRC-2108 setuid_root p2108-twin "setresuid to 65534 for good"
quiet TRC-2108 setuid_root sudo "sudo back to 0"
fires TRC-2109 setuid_bit_set p2109-hit "chmod 4755"
fires TRC-2109 setuid_bit_set p2109-sgid "fchmod 2755"
quiet TRC-2109 setuid_bit_set p2109-twin "chmod 0755"
quiet TRC-2109 setuid_bit_set dpkg "dpkg chmod 4755"
quiet TRC-2109 setuid_bit_set p2109-child "chmod 4755 by a child of dpkg"
fires TRC-2110 glibc_tunables_setuid "pid:$P2110" "setuid file with GLIBC_TUNABLES"
quiet TRC-2110 glibc_tunables_setuid "pid:$P2110T" "plain file with GLIBC_TUNABLES"
fires TRC-2111 loader_env_setuid "pid:$P2111" "setuid file with LD_AUDIT"
quiet TRC-2111 loader_env_setuid "pid:$P2111T" "plain file with LD_AUDIT"
quiet TRC-2111 loader_env_setuid "pid:$P2111T2" "setuid file with LD_BIND_NOW"
fires TRC-2112 pkexec_empty_argv "pid:$P2112" "pkexec with an empty argv"
quiet TRC-2112 pkexec_empty_argv "pid:$P2112T" "pkexec --version"
fires TRC-2113 sudoedit_editor_bypass "pid:$P2113" "EDITOR='vim -- /etc/shadow' sudoedit"
fires TRC-2113 sudoedit_editor_bypass "pid:$P2113S" "SUDO_EDITOR='nano -- ...' sudo -e"
quiet TRC-2113 sudoedit_editor_bypass "pid:$P2113T" "EDITOR=vim sudoedit"
fires TRC-2114 sudoedit_backslash_overflow "pid:$P2114" "sudoedit -s 'AAAA\\'"
quiet TRC-2114 sudoedit_backslash_overflow "pid:$P2114T" "sudoedit -s file"
quiet TRC-2114 sudoedit_backslash_overflow "pid:$P2114T2" "sudoedit 'AAAA\\' (no -s)"
fires TRC-2115 userfaultfd_unprivileged p2115-hit "uid 65534, flags 0"
quiet TRC-2115 userfaultfd_unprivileged p2115-umode "uid 65534, UFFD_USER_MODE_ONLY"
quiet TRC-2115 userfaultfd_unprivileged p2115-root "root"
fires TRC-2116 system_account_shell "pid:$P2116" "uid 33 runs sh -i"
quiet TRC-2116 system_account_shell "pid:$P2116T" "uid 33 runs sh -c"
quiet TRC-2116 system_account_shell "pid:$P2116T2" "root runs sh -i"
quiet TRC-2116 system_account_shell "pid:$P2116T3" "uid 1000 runs sh -i"

done_testing
