#!/bin/sh
# fp_host_activity.sh - the default rule set stays quiet on ordinary host
# activity (root, real eBPF).
#
# tracee runs as `tracee` does with no option (the built-in signatures of
# $TRACEE_LUA_DIR, findings only), scoped to one process and its
# descendants, while that process does what administrators and packages do
# every day: install and purge a Debian package with apt-get and with dpkg,
# build and run a C program with make and gcc, open user sessions with su
# and sudo, rotate logs with logrotate, run a cron directory with run-parts,
# start, restart and stop the cron service, and make an ssh key in a user's
# home with ssh-keygen.  Every finding is a false positive: each is printed
# as a diagnostic, and the test expects none.
#
# The machine is left as found: the activity runs in a private mount
# namespace where overlayfs covers /usr, /etc, /var, /run and /home with upper
# directories under $TAP_TMP, so apt and dpkg write the real paths (the
# rules see /usr/bin/..., /var/lib/dpkg/...) but nothing persists; the
# test then checks that the package, the service and the mounts are gone.

. "$top_srcdir/tests/tap.sh"

: "${TRACEE_PKGLIBDIR:=$top_builddir/dist}"
export TRACEE_PKGLIBDIR
: "${TRACEE_LUA_DIR:=$top_srcdir/lua}"
export TRACEE_LUA_DIR
need_bpf
for t in apt-get dpkg dpkg-deb gcc make su sudo logrotate run-parts service ssh-keygen unshare \
	mount; do
	command -v "$t" >/dev/null 2>&1 || skip_all "$t is not installed (apt-get install \$(cat tests/packages.txt))"
done
[ -x /etc/init.d/cron ] || skip_all "no cron service (apt-get install cron)"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
	skip_all "the kernel has no overlayfs"

PKG=tracee-fp-test
dpkg -s "$PKG" >/dev/null 2>&1 && skip_all "package $PKG is installed on this machine: purge it first"

tap_tmpdir
D=$(cd "$TAP_TMP" && pwd -P)
chmod 755 "$D"	# the throw-away user's home is in here

. "$top_srcdir/tests/integration/tagged_run.sh"

# ------------------------------------------------------------ the material

# A small package as Debian ships them: a program, a library file, a
# conffile, documentation and maintainer scripts.
mkdir -p "$D/pkg/DEBIAN" "$D/pkg/usr/bin" "$D/pkg/usr/lib/$PKG" "$D/pkg/etc" \
	"$D/pkg/usr/share/doc/$PKG"
cat >"$D/pkg/DEBIAN/control" <<EOF
Package: $PKG
Version: 1.0
Architecture: all
Maintainer: tracee tests <root@localhost>
Section: misc
Priority: optional
Description: throw-away package of tracee's false-positive test
 Installed and purged by tests/integration/fp_host_activity.sh.
EOF
echo "/etc/$PKG.conf" >"$D/pkg/DEBIAN/conffiles"
for s in postinst prerm postrm; do
	printf '#!/bin/sh\nset -e\n[ "$1" != configure ] || [ -r /etc/%s.conf ]\nexit 0\n' "$PKG" \
		>"$D/pkg/DEBIAN/$s"
	chmod 755 "$D/pkg/DEBIAN/$s"
done
printf '#!/bin/sh\ncat /usr/lib/%s/data >/dev/null\necho ok\n' "$PKG" >"$D/pkg/usr/bin/$PKG"
chmod 755 "$D/pkg/usr/bin/$PKG"
echo data >"$D/pkg/usr/lib/$PKG/data"
echo "setting = 1" >"$D/pkg/etc/$PKG.conf"
echo "Public domain." >"$D/pkg/usr/share/doc/$PKG/copyright"
if ! dpkg-deb --root-owner-group --build "$D/pkg" "$D/$PKG.deb" >"$D/deb.log" 2>&1; then
	diag "$(cat "$D/deb.log")"
	skip_all "dpkg-deb could not build the test package"
fi

# A C program and its makefile.
mkdir -p "$D/build"
cat >"$D/build/hello.c" <<'EOF'
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
EOF
printf 'hello: hello.o\n\t$(CC) -o $@ hello.o\n\nhello.o: hello.c\n\t$(CC) -O2 -c hello.c\n' \
	>"$D/build/Makefile"

# logrotate over a log of ours, and a cron directory of ours.
mkdir -p "$D/log" "$D/cron.daily"
seq 1 1000 >"$D/log/app.log"
cat >"$D/logrotate.conf" <<EOF
$D/log/app.log {
	rotate 2
	size 1
	compress
	missingok
	create 0640 root root
	postrotate
		true
	endscript
}
EOF
printf '#!/bin/sh\ndate >%s/cron.ran\n' "$D" >"$D/cron.daily/tracee-fp"
chmod 755 "$D/cron.daily/tracee-fp"


# What runs in the private namespace.
cat >"$D/activity.sh" <<EOF
set -u
D=$D
PKG=$PKG
step() { echo "== \$*"; }
for d in usr etc var run home; do
	mkdir -p "\$D/ovl/\$d/upper" "\$D/ovl/\$d/work"
	mount -t overlay "ovl-\$d" \\
		-o "lowerdir=/\$d,upperdir=\$D/ovl/\$d/upper,workdir=\$D/ovl/\$d/work" "/\$d" ||
		{ echo "overlay over /\$d failed"; exit 1; }
done
if [ "\${1:-}" = control ]; then
	# what a rule must see: /etc/ld.so.preload written (in the overlay)
	: >>/etc/ld.so.preload
	exit
fi
export DEBIAN_FRONTEND=noninteractive
# A user's home where homes are (in the overlay): nobody's, for the session.
H=/home/tracee-fp
mkdir -p "\$H" && cp -R "\$D/build" "\$H/src" && chown -R nobody "\$H" || exit 1
rc=0
step apt-get install; apt-get install -y "\$D/\$PKG.deb" || rc=1
step run the program; "\$PKG" || rc=1
step apt-get purge; apt-get purge -y "\$PKG" || rc=1
step dpkg -i; dpkg -i "\$D/\$PKG.deb" || rc=1
step dpkg --purge; dpkg --purge "\$PKG" || rc=1
step make; su -s /bin/sh nobody -c "make -C \$H/src CC=gcc && \$H/src/hello" || rc=1
step su; su -s /bin/sh nobody -c 'id; ls / >/dev/null' || rc=1
step sudo; sudo -u nobody id && sudo true || rc=1
step logrotate; logrotate -f -s "\$D/logrotate.state" "\$D/logrotate.conf" &&
	logrotate -f -s "\$D/logrotate.state" "\$D/logrotate.conf" || rc=1
step run-parts; run-parts --report "\$D/cron.daily" && [ -s "\$D/cron.ran" ] || rc=1
step service cron; service cron start && sleep 1 && service cron restart && sleep 1 &&
	service cron stop || rc=1
step ssh-keygen; su -s /bin/sh nobody -c "export HOME=\$H; mkdir -m 700 \$H/.ssh &&
	ssh-keygen -q -t ed25519 -N '' -f \$H/.ssh/id_ed25519 &&
	ssh-keygen -l -f \$H/.ssh/id_ed25519.pub" || rc=1
# A service that did not stop would keep the namespace: stop it by its pid.
if [ -s /run/crond.pid ] && kill -0 "\$(cat /run/crond.pid)" 2>/dev/null; then
	echo "cron still runs after 'service cron stop'"
	kill "\$(cat /run/crond.pid)"
	rc=1
fi
exit \$rc
EOF

# ------------------------------------------------------------ the run

# The holder waits for tracee before it starts the activity: tracee follows
# it and its descendants only, so the other work on this machine (other
# tests performing attacks on purpose) cannot add findings.
mkfifo "$D/go"
run_activity() { # run_activity TAG [control]: 0 when tracee ran; $rc the activity's status
	sh -c 'read x <"$1" && [ "$x" = go ] && exec unshare --mount --propagation private sh "$2" "$3"' \
		holder "$D/go" "$D/activity.sh" "${2:-}" >"$D/$1.log" 2>&1 &
	HOLDER=$!
	if ! start "$1" -v --scope "pid=$HOLDER" --scope follow; then
		echo stop >"$D/go"
		wait "$HOLDER"
		return 1
	fi
	echo go >"$D/go"
	wait "$HOLDER"
	rc=$?
	stop
}

findings() { # findings TAG: one line per kind of finding, most frequent first
	jq -r '[.eventName, .processName, .executable.path,
		((.args // []) | map(select(.name != "triggeredBy") |
			"\(.name)=\(.value | tostring)") | join(" ")),
		((.args // []) | map(select(.name == "triggeredBy") | "on " + .value.name) |
			join(""))] | join("  ")' "$D/$1.json" | sort | uniq -c | sort -rn
}

# The control: the same harness, one step that a rule is there for.
if run_activity control control; then
	like "$(findings control)" "ld_preload .*pathname=/etc/ld.so.preload" \
		"control: a write of /etc/ld.so.preload in the namespace is a finding"
else
	ok 1 "tracee started for the control run"
fi

if run_activity fp; then
	ok 0 "tracee ran the default rule set and exited cleanly"
	[ $rc -eq 0 ]
	ok $? "the host activity ran to its end (apt, dpkg, make, su, sudo, logrotate, run-parts, service, ssh-keygen)"
	[ $rc -eq 0 ] || diag "$(tail -n 30 "$D/fp.log")"
	nr_sigs=$(sed -n 's/^lua: scripts [0-9]*, signatures \([0-9]*\)[ ,].*/\1/p' "$D/fp.err")
	events=$(sed -n 's/^lua: .* events \([0-9]*\),.*/\1/p' "$D/fp.err")
	[ "${nr_sigs:-0}" -gt 0 ] && [ "${events:-0}" -gt 0 ]
	ok $? "the signatures ($nr_sigs) saw the activity ($events events reached them)"
	n=$(grep -c '"eventName"' "$D/fp.json")
	is "$n" 0 "no finding on ordinary host activity"
	[ "$n" = 0 ] || findings fp | head -n 40 | while read -r l; do diag "finding: $l"; done
else
	ok 1 "tracee started with the default rule set (or stopped with an error)"
fi

# ------------------------------------------------------------ as found

dpkg -s "$PKG" >/dev/null 2>&1
[ $? -ne 0 ]
ok $? "the package is not installed on the machine"
[ ! -e "/usr/bin/$PKG" ] && [ ! -e "/etc/$PKG.conf" ] && [ ! -e "/usr/lib/$PKG" ]
ok $? "none of its files is on the machine"
! grep -q "$D" /proc/self/mountinfo
ok $? "no overlay left mounted"
# A process still in the test's namespace (a daemon that outlived its stop)
# keeps the overlays alive: name it, stop it by pid, fail.
stray=""
for p in /proc/[0-9]*; do
	grep -qF "$D/ovl/" "$p/mountinfo" 2>/dev/null && stray="$stray ${p#/proc/}"
done
for p in $stray; do
	diag "left running in the test's namespace: $p $(cat "/proc/$p/comm" 2>/dev/null)"
	kill "$p" 2>/dev/null
done
is "$stray" "" "no process of the test is left running"

done_testing
