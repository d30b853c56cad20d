#!/bin/sh
# sig_live_fs.sh - the file signatures, for real (root, real eBPF).
#
# One tracee with the built-in signatures; each behaviour is performed for
# real by tests/integration/sig-actions under its own command name, next to
# a benign twin that must not fire.  Files under /etc and the dynamic
# loader are never changed: the writes go to a tmpfs over /etc, or to a
# scratch file bind-mounted over the loader, in a private mount namespace
# of the writing process alone (sig-actions --tmpfs/--bind), gone with it.
#   TRC-107 ld_preload             /etc/ld.so.preload written (also by a
#                                  relative path from /etc) / read; a
#                                  program started with LD_PRELOAD / with
#                                  LD_BIND_NOW
#   TRC-109 aslr_inspection        randomize_va_space read / ostype read
#   TRC-1012 default_loader_mod    ld-linux written / read
#   TRC-1015 hidden_file_created   ELF written to .hidden / to a visible
#                                  name, text written to a dot file
#   TRC-1018 k8s_cert_theft        /etc/kubernetes/pki/ca.key read / read
#                                  by kubelet
#   TRC-1026 rcd_modification      /etc/init.d/ file written / read;
#                                  update-rc.d run / invoke-rc.d run
#   TRC-1027 scheduled_task_mod    /etc/cron.d/ file written / /etc/crontab
#                                  read; crontab run / cron run
#   TRC-1028 sudoers_modification  /etc/sudoers.d/ file written, ./sudoers
#                                  written from /etc / /etc/sudoers read
# The renames these signatures also watch (security_inode_rename) are
# performed when this kernel gives the event, else --list-signatures must
# say the signature is partial.

. "$top_srcdir/tests/integration/sig_live_lib.sh"

: >"$D/scratch"
LOADER=$(readlink -f /lib64/ld-linux-x86-64.so.2 2>/dev/null)
case "$LOADER" in
/lib/*/ld-*.so* | /usr/lib/*/ld-*.so* | /lib/ld-*.so* | /usr/lib/ld-*.so*) ;;
*)
	# another architecture: its loader, from a dynamic program's PT_INTERP
	LOADER=$(readlink -f "$(LC_ALL=C readelf -l "$ACT" 2>/dev/null |
		sed -n 's/.*interpreter: \(.*\)]$/\1/p')")
	;;
esac
[ -f "$LOADER" ] || skip_all "no dynamic loader found"
# what LD_PRELOAD names: the C library every program here loads anyway
PRELOAD=$(dirname "$LOADER")/libc.so.6
[ -f "$PRELOAD" ] || skip_all "no $PRELOAD to preload"
mkdir "$D/bin"
# crontab runs for real when installed (`crontab -l`), else a program of
# that name does (the signature knows programs by name)
CRONTAB=$(command -v crontab)
if [ -z "$CRONTAB" ]; then
	CRONTAB=$D/bin/crontab
	cp /bin/true "$CRONTAB"
fi
cp /bin/true "$D/bin/cron"
RENAME=yes
[ -n "$(event_unavailable security_inode_rename)" ] && RENAME=no

# run_pid VAR CMD...: CMD in its own process (its exit status ignored); VAR
# gets its pid
run_pid() {
	sl_var=$1
	shift
	"$@" >/dev/null 2>&1 &
	sl_p=$!
	wait "$sl_p"
	eval "$sl_var=\$sl_p"
}

# env_pid VAR NAME=VALUE...: sig-actions started with just that environment;
# VAR gets its pid (the exec's finding has the exec's command name)
env_pid() {
	sl_var=$1
	shift
	# (an ASan build of sig-actions refuses an LD_PRELOAD ahead of its runtime
	# unless told not to check; other builds ignore the variable)
	env -i ASAN_OPTIONS=verify_asan_link_order=0 "$@" "$ACT" s107-env open /dev/null r \
		2>>"$D/actions.err" &
	sl_p=$!
	wait "$sl_p" || printf '(exit %d) env -i %s sig-actions\n' "$?" "$*" >>"$D/actions.err"
	eval "$sl_var=\$sl_p"
}

sl_start

# TRC-107
act s107-hit --tmpfs /etc --mkfile /etc/ld.so.preload open /etc/ld.so.preload w "$PRELOAD"
act s107-twin --tmpfs /etc --mkfile /etc/ld.so.preload open /etc/ld.so.preload r
# relative to the working directory: the finding needs the resolved path
act s107-rel --tmpfs /etc --mkfile /etc/ld.so.preload --chdir /etc open ld.so.preload w x
# a short environment: the exec event keeps the first 32 variables
env_pid P107 PATH=/usr/bin:/bin LD_PRELOAD="$PRELOAD"
env_pid P107T PATH=/usr/bin:/bin LD_BIND_NOW=1
# the same after 40 other variables, the way `env LD_PRELOAD=... prog` adds it
env_pid P107L $(seq -f 'TRACEE_TEST_%g=x' 40) LD_PRELOAD="$PRELOAD"
# TRC-109
act s109-hit open /proc/sys/kernel/randomize_va_space r
act s109-twin open /proc/sys/kernel/ostype r
# TRC-1012
act s1012-hit --bind "$D/scratch" "$LOADER" open "$LOADER" w x
act s1012-twin open "$LOADER" r
# TRC-1015
act s1015-hit elf "$D/.hidden"
act s1015-twin elf "$D/visible"
act s1015-twin2 text "$D/.profile-like"
# TRC-1018
act s1018-hit --tmpfs /etc --mkfile /etc/kubernetes/pki/ca.key open /etc/kubernetes/pki/ca.key r
act kubelet --tmpfs /etc --mkfile /etc/kubernetes/pki/ca.key open /etc/kubernetes/pki/ca.key r
# TRC-1026: update-rc.d without arguments prints its usage (exit 1)
act s1026-hit --tmpfs /etc --mkfile /etc/init.d/evil open /etc/init.d/evil w x
act s1026-twin --tmpfs /etc --mkfile /etc/init.d/evil open /etc/init.d/evil r
P1026=
P1026T=
if command -v update-rc.d >/dev/null 2>&1; then
	run_pid P1026 update-rc.d
	command -v invoke-rc.d >/dev/null 2>&1 && run_pid P1026T invoke-rc.d --help
fi
# TRC-1027
act s1027-hit --tmpfs /etc --mkfile /etc/cron.d/evil open /etc/cron.d/evil w x
act s1027-twin --tmpfs /etc --mkfile /etc/crontab open /etc/crontab r
run_pid P1027 "$CRONTAB" -l
run_pid P1027T "$D/bin/cron"
# TRC-1028
act s1028-hit --tmpfs /etc --mkfile /etc/sudoers.d/evil open /etc/sudoers.d/evil w x
act s1028-twin --tmpfs /etc --mkfile /etc/sudoers open /etc/sudoers r
act s1028-rel --tmpfs /etc --mkfile /etc/sudoers --chdir /etc open ./sudoers w x
if [ "$RENAME" = yes ]; then
	act r107-hit --tmpfs /etc --mkfile /etc/x rename /etc/x /etc/ld.so.preload
	act r1012-hit --tmpfs "$(dirname "$LOADER")" --mkfile "$LOADER.new" \
		rename "$LOADER.new" "$LOADER"
	act r1018-hit --tmpfs /etc --mkfile /etc/kubernetes/pki/ca.key \
		rename /etc/kubernetes/pki/ca.key /etc/ca.key
	act r1026-hit --tmpfs /etc --mkfile /etc/x rename /etc/x /etc/init.d/evil
	act r1027-hit --tmpfs /etc --mkfile /etc/x rename /etc/x /etc/crontab
	act r1028-hit --tmpfs /etc --mkfile /etc/x rename /etc/x /etc/sudoers
	act r1028-twin --tmpfs /etc --mkfile /etc/x rename /etc/x /etc/y
fi

sl_stop

fires TRC-107 ld_preload s107-hit "/etc/ld.so.preload written"
quiet TRC-107 ld_preload s107-twin "/etc/ld.so.preload read"
fires TRC-107 ld_preload s107-rel "ld.so.preload written from /etc (relative path)"
fires TRC-107 ld_preload "pid:$P107" "started with LD_PRELOAD"
quiet TRC-107 ld_preload "pid:$P107T" "started with LD_BIND_NOW"
fires TRC-107 ld_preload "pid:$P107L" "started with LD_PRELOAD after 40 other variables"
fires TRC-109 aslr_inspection s109-hit "randomize_va_space read"
quiet TRC-109 aslr_inspection s109-twin "ostype read"
fires TRC-1012 default_loader_mod s1012-hit "$LOADER written"
quiet TRC-1012 default_loader_mod s1012-twin "$LOADER read"
fires TRC-1015 hidden_file_created s1015-hit "ELF written to .hidden"
quiet TRC-1015 hidden_file_created s1015-twin "ELF written to a visible name"
quiet TRC-1015 hidden_file_created s1015-twin2 "text written to a dot file"
fires TRC-1018 k8s_cert_theft s1018-hit "pki key read"
quiet TRC-1018 k8s_cert_theft kubelet "pki key read by kubelet"
fires TRC-1026 rcd_modification s1026-hit "/etc/init.d/ file written"
quiet TRC-1026 rcd_modification s1026-twin "/etc/init.d/ file read"
if [ -n "$P1026" ]; then
	fires TRC-1026 rcd_modification "pid:$P1026" "update-rc.d run (a Perl script)"
	[ -n "$P1026T" ] && quiet TRC-1026 rcd_modification "pid:$P1026T" "invoke-rc.d run"
else
	skip "update-rc.d is not installed"
fi
fires TRC-1027 scheduled_task_mod s1027-hit "/etc/cron.d/ file written"
quiet TRC-1027 scheduled_task_mod s1027-twin "/etc/crontab read"
fires TRC-1027 scheduled_task_mod "pid:$P1027" "$CRONTAB run"
quiet TRC-1027 scheduled_task_mod "pid:$P1027T" "a program named cron run"
fires TRC-1028 sudoers_modification s1028-hit "/etc/sudoers.d/ file written"
quiet TRC-1028 sudoers_modification s1028-twin "/etc/sudoers read"
fires TRC-1028 sudoers_modification s1028-rel "./sudoers written from /etc (relative path)"

if [ "$RENAME" = yes ]; then
	fires TRC-107 ld_preload r107-hit "renamed onto /etc/ld.so.preload"
	fires TRC-1012 default_loader_mod r1012-hit "renamed onto $LOADER"
	fires TRC-1018 k8s_cert_theft r1018-hit "pki key moved away"
	fires TRC-1026 rcd_modification r1026-hit "renamed into /etc/init.d/"
	fires TRC-1027 scheduled_task_mod r1027-hit "renamed onto /etc/crontab"
	fires TRC-1028 sudoers_modification r1028-hit "renamed onto /etc/sudoers"
	quiet TRC-1028 sudoers_modification r1028-twin "renamed elsewhere in /etc"
else
	diag "security_inode_rename: $(event_unavailable security_inode_rename)"
	for id in TRC-107 TRC-1012 TRC-1018 TRC-1026 TRC-1027 TRC-1028; do
		listed "$id" partial 'unavailable: security_inode_rename'
	done
fi

done_testing
