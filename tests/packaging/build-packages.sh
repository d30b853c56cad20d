#!/bin/sh
# build-packages.sh - build the Debian and RPM packages, install the .deb on
# this machine, run the installed tracee for real, and purge it again.
# Prints TAP.  Run as root: `make check-packages`, or directly.
#
# Everything is built in copies of the tree under /tmp; the source tree is
# not written to.  The machine is left as found: the packages are purged at
# the end (also on failure), and nothing runs if a tracee package, or its
# /etc/tracee or /var/lib/tracee, is already there.
#
# Steps: dpkg-buildpackage -b (tracee, tracee-common, lua-tracee), the
# package's test suite (debian/rules override_dh_auto_test), lintian, make
# dist, rpmbuild -tb --nodeps, apt-get install of the .debs, then the
# installed tracee for real: systemd-analyze verify, bash completion,
# debian/tests/exec-json, the policy.lua examples, the unit's ExecStart
# with the unit's capability bounding set and NoNewPrivileges reaching
# READY=1 and reporting a finding, offline replay with `tracee analyze` and
# lua5.4 as nobody, a conffile edit surviving a reinstall, apt-get purge.
# About a minute and a half on two cores.
#
# Environment:
#   TRACEE_PKG_CHECK   which package test suites run: deb (default: the
#                      Debian build's dh_auto_test), rpm (rpmbuild's
#                      %check), both or none
#   TRACEE_PKG_KEEP=1  keep the work directory (/tmp/tracee-pkg.*)
#   TRACEE_TEST_STRICT=1  skips become failures (tests/tap.sh)
set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/tap.sh"

need_root
for tool in dpkg-buildpackage dh lintian rpmbuild apt-get jq setpriv cc perl systemd-analyze; do
	command -v "$tool" >/dev/null 2>&1 ||
		skip_all "$tool is missing (apt-get install dpkg-dev debhelper lintian rpm jq util-linux build-essential systemd)"
done
# The binary packages of debian/control.
pkgs="tracee tracee-common lua-tracee"
for p in $pkgs; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		skip_all "$p is already installed; not replacing it (apt-get purge $pkgs first)"
	fi
done
for d in /etc/tracee /var/lib/tracee; do
	[ -e "$d" ] && skip_all "$d exists but no tracee package owns it; not touching it"
done

pkg_check=${TRACEE_PKG_CHECK:-deb}
export DEBIAN_FRONTEND=noninteractive
W=$(mktemp -d /tmp/tracee-pkg.XXXXXX) || exit 1
chmod 0755 "$W"	# apt's _apt user reads the .deb from here
installed=0
tracee_pid=
listener_pid=

cleanup() {
	[ -n "$tracee_pid" ] && kill -KILL "$tracee_pid" 2>/dev/null
	[ -n "$listener_pid" ] && kill -KILL "$listener_pid" 2>/dev/null
	if [ "$installed" = 1 ]; then
		apt-get purge -y -q $pkgs >"$W/purge-on-exit.log" 2>&1 ||
			echo "# build-packages.sh: could not purge $pkgs: see $W/purge-on-exit.log" >&2
	fi
	if [ "${TRACEE_PKG_KEEP:-0}" = 1 ]; then
		echo "# work directory kept: $W" >&2
	else
		rm -rf "$W"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

t0=$(date +%s)
phase() { diag "$1 (at $(($(date +%s) - t0))s)"; }
# run LOG CMD...: run CMD with its output in LOG; show the tail on failure.
run() {
	log=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	[ "$rc" = 0 ] || diag "$(printf '%s failed (%d); last lines of %s:\n' "$*" "$rc" "$log"; tail -n 25 "$log")"
	return $rc
}

#####################################################################
# Copy the tree: what git tracks plus untracked files it does not ignore.
#####################################################################
phase "copying $top_srcdir"
mkdir -p "$W/src"
if git -C "$top_srcdir" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top_srcdir" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -xf - -C "$W/src"
else
	(cd "$top_srcdir" && tar --exclude=.git -cf - .) | tar -xf - -C "$W/src"
fi
ok $? "copied the source tree to $W/src"
# A tree configured in place (not a git checkout) would refuse the VPATH
# configure of the tarball build below.
rm -f "$W/src/config.status"

version=$(sed -n 's/^AC_INIT(\[tracee\], *\[\([^]]*\)\].*/\1/p' "$W/src/configure.ac")
deb_version=$(dpkg-parsechangelog -l "$W/src/debian/changelog" -S Version)
rpm_version=$(sed -n 's/^Version: *//p' "$W/src/rpm/tracee.spec")
is "$deb_version" "$version" "debian/changelog version matches configure.ac"
is "$rpm_version" "$version" "rpm/tracee.spec version matches configure.ac"

# Every lintian override carries a comment saying why.
ls "$W"/src/debian/*lintian-overrides "$W"/src/debian/source/lintian-overrides 2>/dev/null |
	while read -r f; do
		awk -v f="${f#"$W"/src/}" '/^#/ { c = 1; next } /^[[:space:]]*$/ { c = 0; next }
			{ if (!c) print f ": uncommented override: " $0 }' "$f"
	done >"$W/overrides.txt"
[ ! -s "$W/overrides.txt" ]
ok $? "every lintian override is preceded by a comment"
[ -s "$W/overrides.txt" ] && diag "$(cat "$W/overrides.txt")"

#####################################################################
# The Debian package
#####################################################################
phase "dpkg-buildpackage"
mkdir "$W/debout" && cp -a "$W/src" "$W/debout/tracee-$version"
# The test suite runs as its own step below, so that a failing test does
# not hide what the package itself looks like.
opts="parallel=$(nproc) nocheck"
(cd "$W/debout/tracee-$version" && export DEB_BUILD_OPTIONS="$opts" &&
	run "$W/dpkg-buildpackage.log" dpkg-buildpackage -us -uc -b)
ok $? "dpkg-buildpackage -us -uc -b (DEB_BUILD_OPTIONS=$opts)"
debs=
for p in $pkgs; do
	f=$(ls "$W"/debout/"$p"_"$version"_*.deb 2>/dev/null | head -n 1)
	[ -n "$f" ]
	ok $? "built ${f:-no ${p}_$version .deb}"
	debs="$debs $f"
done
deb=$(ls "$W"/debout/tracee_"$version"_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
	diag "no tracee .deb: the remaining tests need it"
	done_testing
fi
case $pkg_check in
deb | both)
	# What dpkg-buildpackage without nocheck runs: the same rules target,
	# in the built tree (make check, TRACEE_TEST_STRICT unset).
	phase "dh_auto_test"
	(cd "$W/debout/tracee-$version" && export DEB_BUILD_OPTIONS="parallel=$(nproc)" &&
		run "$W/dh_auto_test.log" debian/rules override_dh_auto_test)
	ok $? "the package build's test suite passes (debian/rules override_dh_auto_test)"
	diag "$(grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR)' "$W/dh_auto_test.log" 2>/dev/null |
		sort -u | sed 's/^# //' | tr '\n' ' ')"
	grep -E '^(FAIL|ERROR):' "$W/debout/tracee-$version/test-suite.log" 2>/dev/null | head -n 20 |
		while read -r line; do diag "$line"; done
	;;
esac

phase "lintian"
lintian --display-level '>=warning' --fail-on error --tag-display-limit 0 \
	"$W"/debout/tracee_"$version"_*.changes >"$W/lintian.log" 2>&1
rc=$?
grep -v '^running with root privileges' "$W/lintian.log" >"$W/lintian.tags"
ok $rc "lintian reports no errors"
[ -s "$W/lintian.tags" ] && diag "$(cat "$W/lintian.tags")"

# has_files DEB FILE...: the .deb carries every FILE
has_files() {
	_deb=$1
	shift
	dpkg-deb -c "$_deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$W/deb.files"
	missing=
	for f; do
		grep -qxF "$f" "$W/deb.files" || missing="$missing $f"
	done
	echo "${missing:-none}"
}
is "$(has_files "$deb" /usr/sbin/tracee /usr/lib/tracee/tracee.bpf.core.o \
	/usr/share/tracee/bpf/tracee.bpf.c /usr/share/tracee/bpf/tracee_abi.h \
	/usr/share/man/man8/tracee.8.gz /usr/share/man/man7/tracee-events.7.gz \
	/lib/systemd/system/tracee.service /etc/tracee/policy.lua \
	/usr/share/bash-completion/completions/tracee /usr/share/doc/tracee/copyright)" none \
	"tracee: program, CO-RE object, BPF sources, man pages, unit, policy, completion"
common=$(ls "$W"/debout/tracee-common_"$version"_all.deb 2>/dev/null)
is "$(has_files "${common:-/nonexistent}" /usr/share/tracee/lua/tracee.lua \
	/usr/share/tracee/lua/signatures/anti_debugging.lua /usr/share/man/man7/tracee-lua.7.gz)" none \
	"tracee-common: Lua library, built-in signatures, tracee-lua(7)"
luadeb=$(ls "$W"/debout/lua-tracee_"$version"_*.deb 2>/dev/null)
is "$(has_files "${luadeb:-/nonexistent}" \
	"/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/lua/5.4/tracee.so")" none \
	"lua-tracee: the C module where lua5.4 looks for it"
mkdir "$W/control" && dpkg-deb -e "$deb" "$W/control"
CONFFILES="/etc/logrotate.d/tracee
/etc/tracee/policy.lua
/etc/tracee/tracee.yaml"
is "$(sort "$W/control/conffiles" 2>/dev/null)" "$CONFFILES" \
	"policy.lua, tracee.yaml and the logrotate file are the package's conffiles"
# --no-enable --no-start: postinst starts nothing, and enables the unit only
# where the administrator had enabled it before (an upgrade).
! grep -q 'deb-systemd-invoke' "$W/control/postinst" 2>/dev/null
ok $? "postinst does not start tracee.service"
awk '/^[[:space:]]*#/ { next }
	/deb-systemd-helper enable/ { n++; if (last !~ /was-enabled/) bad = 1 }
	/deb-systemd-helper/ { last = $0 }
	END { exit bad || !n }' "$W/control/postinst"
ok $? "postinst enables tracee.service only if it was enabled before"

#####################################################################
# The release tarball and the RPM built from it
#####################################################################
phase "make dist"
mkdir "$W/distbuild"
(cd "$W/src" && run "$W/autogen.log" ./autogen.sh) &&
	(cd "$W/distbuild" && run "$W/dist-configure.log" ../src/configure --with-bpf=core) &&
	(cd "$W/distbuild" && run "$W/dist.log" make dist)
ok $? "make dist"
tarball=$W/distbuild/tracee-$version.tar.xz
[ -f "$tarball" ]
ok $? "tarball tracee-$version.tar.xz exists"
tar -tJf "$tarball" >"$W/tarball.files" 2>/dev/null
for f in rpm/tracee.spec dist/tracee.bpf.core.o debian/rules data/tracee.service.in; do
	grep -qx "tracee-$version/$f" "$W/tarball.files"
	ok $? "tarball carries $f"
done

phase "rpmbuild"
rpmopts=
case $pkg_check in rpm | both) ;; *) rpmopts=--nocheck ;; esac
mkdir -p "$W/rpm"
# --nodeps: BuildRequires name Fedora packages; their Debian equivalents
# are installed (Build-Depends), but rpm cannot know that.
run "$W/rpmbuild.log" rpmbuild -tb --nodeps $rpmopts --define "_topdir $W/rpm" "$tarball"
ok $? "rpmbuild -tb --nodeps $rpmopts tracee-$version.tar.xz"
rpmfile=$(ls "$W"/rpm/RPMS/*/tracee-"$version"-*.rpm 2>/dev/null | grep -v debug | head -n 1)
[ -n "$rpmfile" ]
ok $? "built ${rpmfile##*/}"
if [ -n "$rpmfile" ]; then
	rpm -qlp "$rpmfile" >"$W/rpm.files" 2>/dev/null
	missing=
	for f in /usr/sbin/tracee /usr/lib64/tracee/tracee.bpf.core.o /usr/share/tracee/bpf/tracee.bpf.c \
		/usr/share/tracee/lua/tracee.lua /usr/share/tracee/lua/signatures/anti_debugging.lua \
		/usr/lib/systemd/system/tracee.service /etc/tracee/policy.lua /var/lib/tracee \
		/usr/share/bash-completion/completions/tracee; do
		grep -qxF "$f" "$W/rpm.files" || missing="$missing $f"
	done
	is "${missing:-none}" none "the RPM carries program, CO-RE object, BPF sources, Lua, unit, policy, completion"
	is "$(rpm -qcp "$rpmfile" 2>/dev/null | sort)" "$CONFFILES" \
		"the RPM marks policy.lua, tracee.yaml and the logrotate file %config"
fi
luarpm=$(ls "$W"/rpm/RPMS/*/lua-tracee-"$version"-*.rpm 2>/dev/null | head -n 1)
rpm -qlp "${luarpm:-/nonexistent}" 2>/dev/null | grep -qx "$(rpm --eval '%{_libdir}')/lua/5.4/tracee.so"
ok $? "the lua-tracee RPM carries the Lua module"

#####################################################################
# Install the .deb here and use it
#####################################################################
phase "apt-get install"
installed=1
# shellcheck disable=SC2086 # $debs: the .deb paths (no spaces in $W)
run "$W/install.log" apt-get install -y -q --no-install-recommends $debs
ok $? "apt-get install $pkgs (the .debs just built)"
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'
	ok $? "dpkg knows $p as installed"
done
[ ! -e /etc/systemd/system/multi-user.target.wants/tracee.service ]
ok $? "tracee.service is not enabled"

unit=/lib/systemd/system/tracee.service
run "$W/verify.log" systemd-analyze verify "$unit"
ok $? "systemd-analyze verify $unit"
systemd-analyze security --offline=true "$unit" 2>/dev/null | tail -n 1 | sed 's/^/# /'

/usr/sbin/tracee --help >"$W/help.txt" 2>&1
ok $? "installed tracee --help"
man -w tracee >/dev/null 2>&1
ok $? "man -w tracee finds the installed man page"

# Every option of --help (and analyze --help) is completed.
comp=/usr/share/bash-completion/completions/tracee
missing=
for o in $({ /usr/sbin/tracee --help; /usr/sbin/tracee analyze --help; } 2>/dev/null |
	grep -oE '(^|[ ,])--?[a-zA-Z][a-z-]*' | sed 's/^[ ,]*//' | sort -u); do
	grep -qE -- "(^|[[:space:]\"])$o([[:space:]\"]|\$)" "$comp" || missing="$missing $o"
done
is "${missing:-none}" none "the bash completion knows every option of tracee --help and analyze --help"

# Completion: options and event names, through bash-completion itself.
bc=/usr/share/bash-completion/bash_completion
if [ ! -f "$bc" ]; then
	# Not installed here: unpack Debian's copy in the work directory.
	(cd "$W" && apt-get download -q bash-completion >/dev/null 2>&1 &&
		dpkg -x bash-completion_*_all.deb "$W/bc") &&
		bc=$W/bc/usr/share/bash-completion/bash_completion
fi
complete_words() { # complete_words WORD...: print COMPREPLY for the last word
	BC=$bc bash -c '. "$BC"
		. /usr/share/bash-completion/completions/tracee
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_tracee tracee "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' bash "$@"
}
if [ -f "$bc" ]; then
	is "$(complete_words tracee --build-p)" --build-policy "completion: --build-p -> --build-policy"
	is "$(complete_words tracee --build-policy if)" if-needed "completion: --build-policy if -> if-needed"
	is "$(complete_words tracee -e sched_process_exe)" sched_process_exec \
		"completion: -e sched_process_exe -> sched_process_exec (from tracee --list)"
	words=$(complete_words tracee -e execve,-open)
	like "$words" '^execve,-openat$' "completion: -e execve,-open offers execve,-openat"
	! printf '%s\n' "$words" | grep -qv '^execve,-open'
	ok $? "completion: every candidate keeps the list head and the exclusion (execve,-open...)"
else
	skip "bash-completion is neither installed nor downloadable: completion not tested"
fi

phase "exec-json autopkgtest"
AUTOPKGTEST_TMP=$W/autopkgtest TRACEE=/usr/sbin/tracee
mkdir -p "$AUTOPKGTEST_TMP"
export AUTOPKGTEST_TMP TRACEE
sh "$W/src/debian/tests/exec-json" >"$W/exec-json.log" 2>&1
rc=$?
diag "$(cat "$W/exec-json.log")"
if [ "$rc" = 77 ]; then
	skip "eBPF is not usable here (debian/tests/exec-json skipped)"
else
	ok $rc "debian/tests/exec-json: the installed tracee traced a real exec into JSON"
fi

# The examples in policy.lua, uncommented, load in the installed tracee: the
# shipped policy documents only calls that work.
phase "policy.lua examples"
sed -n 's/^-- \(\(tracee\.\|local \|end\|}\|\t\).*\)$/\1/p' /etc/tracee/policy.lua >"$W/examples.lua"
n=$(wc -l <"$W/examples.lua")
[ "$n" -gt 20 ]
ok $? "extracted the commented examples of /etc/tracee/policy.lua ($n lines)"
/usr/sbin/tracee -s "$W/examples.lua" -o none --pidfile "$W/examples.pid" \
	>/dev/null 2>"$W/examples.err" &
tracee_pid=$!
i=0
while [ ! -s "$W/examples.pid" ] && kill -0 "$tracee_pid" 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$W/examples.pid" ]
ok $? "tracee runs the uncommented examples of policy.lua (pidfile written)"
kill -INT "$tracee_pid" 2>/dev/null
wait "$tracee_pid"
rc=$?
tracee_pid=
is "$rc" 0 "and stops cleanly on SIGINT"
[ "$rc" = 0 ] || diag "$(tail -n 5 "$W/examples.err")"

# The unit's command line, as systemd would run it: only the unit's
# capability bounding set, no new privileges, and READY=1 on NOTIFY_SOCKET.
phase "service command line"
execstart=$(sed -n 's/^ExecStart=//p' "$unit")
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
cc -O2 -Wall -o "$W/notify-listen" "$top_srcdir/tests/packaging/notify-listen.c"
ok $? "compiled the NOTIFY_SOCKET listener"
# StateDirectory=tracee, StateDirectoryMode=0700 (purge removes it).
install -d -m 0700 /var/lib/tracee
# The findings go where /etc/tracee/tracee.yaml says (a file tracee starts
# anew); purge removes it with its directory.
svc_log=$(sed -n 's/^[[:space:]]*-[[:space:]]*json:\(\/[^[:space:]]*\).*/\1/p' /etc/tracee/tracee.yaml | head -n 1)
rm -f "$svc_log"
"$W/notify-listen" "$W/notify.sock" 120 >"$W/notify.log" 2>&1 &
listener_pid=$!
i=0
while [ ! -S "$W/notify.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
# shellcheck disable=SC2086 # ExecStart is a plain word list
NOTIFY_SOCKET=$W/notify.sock setpriv --bounding-set "-all,$caps" --inh-caps -all --no-new-privs \
	-- $execstart >"$W/service.out" 2>"$W/service.err" &
tracee_pid=$!
# Wait for READY=1, or for tracee to die first.
while kill -0 "$listener_pid" 2>/dev/null && kill -0 "$tracee_pid" 2>/dev/null; do
	sleep 0.2
done
sleep 0.2
kill -0 "$listener_pid" 2>/dev/null && kill -TERM "$listener_pid"
wait "$listener_pid" 2>/dev/null
rc=$?
listener_pid=
ok $rc "the unit's ExecStart reaches READY=1 with CapabilityBoundingSet=$caps and NoNewPrivileges"
[ "$rc" = 0 ] || diag "$(cat "$W/notify.log" "$W/service.err" | tail -n 20)"
kill -0 "$tracee_pid" 2>/dev/null
ok $? "the service process is still running after READY=1"
# ptrace(PTRACE_TRACEME) (x86_64 syscall 101): harmless, and what TRC-102
# anti_debugging reports.
perl -e 'syscall(101, 0, 0, 0, 0) == 0 or die "ptrace: $!\n"'
sleep 1
kill -TERM "$tracee_pid" 2>/dev/null
wait "$tracee_pid"
rc=$?
tracee_pid=
is "$rc" 0 "SIGTERM stops it with exit 0"
cat "$svc_log" >"$W/service.findings" 2>/dev/null
jq -e -s 'any(.[]; .eventName == "anti_debugging")' "$W/service.findings" >/dev/null 2>&1
ok $? "the service's output ($svc_log: policy.lua plus the built-in signatures) has the anti_debugging finding"
[ -s "$W/service.findings" ] && diag "service findings: $(head -c 300 "$W/service.findings")"
diag "service stderr: $(tail -n 5 "$W/service.err")"

# Offline: events recorded by the installed tracee, replayed without root by
# `tracee analyze` and by plain lua5.4 through lua-tracee.
phase "offline replay"
/usr/sbin/tracee -e ptrace -o "json:$W/ptrace.json" --pidfile "$W/rec.pid" \
	>/dev/null 2>"$W/rec.err" &
tracee_pid=$!
i=0
while [ ! -s "$W/rec.pid" ] && kill -0 "$tracee_pid" 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
perl -e 'syscall(101, 0, 0, 0, 0) == 0 or die "ptrace: $!\n"'
sleep 1
kill -INT "$tracee_pid" 2>/dev/null
wait "$tracee_pid"
rc=$?
tracee_pid=
ok $rc "recorded ptrace events with the installed tracee"
[ "$rc" = 0 ] || diag "$(tail -n 5 "$W/rec.err")"
chmod 0644 "$W/ptrace.json" 2>/dev/null
findings=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
	/usr/sbin/tracee analyze -o json "$W/ptrace.json" 2>"$W/analyze.err" |
	jq -r 'select(.metadata != null) | .eventName' 2>/dev/null | sort -u | tr '\n' ' ')
like "$findings" anti_debugging "tracee analyze (as nobody) finds anti_debugging in the recording"
[ -n "$findings" ] || diag "$(tail -n 5 "$W/analyze.err")"
if command -v lua5.4 >/dev/null 2>&1; then
	cat >"$W/replay.lua" <<'EOF'
local tracee = require "tracee"
for _, f in ipairs(tracee.run_signatures(arg[1])) do print(f.name) end
EOF
	chmod 0644 "$W/replay.lua"
	findings=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
		lua5.4 "$W/replay.lua" "$W/ptrace.json" 2>"$W/replay.err" | sort -u | tr '\n' ' ')
	like "$findings" anti_debugging \
		"lua5.4 + lua-tracee (as nobody): run_signatures finds anti_debugging"
	[ -n "$findings" ] || diag "$(tail -n 5 "$W/replay.err")"
else
	skip "lua5.4 is not installed: the Lua module was not run"
fi

# A conffile edit survives reinstalling the package.
phase "conffile"
echo '-- local edit by build-packages.sh' >>/etc/tracee/policy.lua
# No --force-conf*: dpkg must keep the edit by itself (the packaged file
# did not change), and must not ask.
run "$W/reinstall.log" dpkg -i "$deb" </dev/null
ok $? "dpkg -i the same .deb again"
tail -n 1 /etc/tracee/policy.lua | grep -q 'local edit by build-packages.sh'
ok $? "the local edit of /etc/tracee/policy.lua survived the reinstall"

phase "apt-get purge"
run "$W/purge.log" apt-get purge -y -q $pkgs
ok $? "apt-get purge -y $pkgs"
installed=0
left=
for f in /usr/sbin/tracee /usr/lib/tracee /usr/share/tracee /etc/tracee /var/lib/tracee /var/log/tracee \
	/lib/systemd/system/tracee.service "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/lua/5.4/tracee.so"; do
	[ -e "$f" ] && left="$left $f"
done
is "${left:-none}" none "purge leaves nothing behind"

phase "done"
done_testing
