#!/bin/sh
# make-sysroot.sh - make a Debian sysroot of another architecture for
# cross-building tracee: the development packages configure looks for, with
# everything they depend on, downloaded with apt-get download and unpacked
# with dpkg-deb -x.
#
#   make-sysroot.sh [--arch ARCH] [--suite SUITE] [--update] DIR
#
# --arch    Debian architecture of the sysroot (default arm64)
# --suite   Debian suite to take the packages from (default bookworm, with
#           its -updates and -security)
# --update  re-resolve and re-download even if DIR is complete
# DIR       the sysroot to make; it is replaced as a whole (made aside, then
#           renamed), so it is never left half unpacked
#
# Everything apt does here happens under a private configuration inside
# DIR.apt (own sources list, state, lists and package cache): the machine's
# apt sources, dpkg architectures and package state are never read or
# changed, and nothing is installed.  On success the last line on stdout is
# the configure command line for this sysroot, e.g.
#   ./configure --host=aarch64-linux-gnu --with-sysroot=DIR
#
# Environment:
#   TRACEE_DEBIAN_MIRROR           default http://deb.debian.org/debian
#   TRACEE_DEBIAN_SECURITY_MIRROR  default http://deb.debian.org/debian-security
#   TRACEE_DEBIAN_KEYRING          default /usr/share/keyrings/debian-archive-keyring.gpg
#   TRACEE_SYSROOT_PACKAGES        extra packages to put in the sysroot

set -eu

prog=make-sysroot.sh
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "$prog" "$*" >&2; }
# shellcheck source=tests/kernels/private-apt.sh
. "$(dirname "$0")/private-apt.sh"

mirror=${TRACEE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
secmirror=${TRACEE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
keyring=${TRACEE_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

arch=arm64
suite=bookworm
update=0
dir=
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) [ $# -ge 2 ] || die "--arch needs a value"; shift; arch=$1 ;;
	--arch=*) arch=${1#--arch=} ;;
	--suite) [ $# -ge 2 ] || die "--suite needs a value"; shift; suite=$1 ;;
	--suite=*) suite=${1#--suite=} ;;
	--update) update=1 ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) [ -z "$dir" ] || die "one sysroot at a time ('$dir' and '$1')"; dir=$1 ;;
	esac
	shift
done
[ -n "$dir" ] || die "where? pass the sysroot directory to make (e.g. /tmp/tracee-sysroot-arm64)"
case "$dir" in
/*) ;;
*) dir=$(pwd)/$dir ;;
esac
dir=${dir%/}

# The GNU triplet of the Debian architecture: the multiarch directory in
# the sysroot and the cross compiler's prefix.
case "$arch" in
arm64) triplet=aarch64-linux-gnu ;;
amd64) triplet=x86_64-linux-gnu ;;
*) die "unknown architecture '$arch' (tracee builds for arm64 and amd64)" ;;
esac

# What configure looks for (configure.ac, debian/control Build-Depends), as
# the target's libraries: the C library and every -dev package linked.
pkgs="libc6-dev libbpf-dev libelf-dev zlib1g-dev nettle-dev liblua5.4-dev
	libcurl4-openssl-dev libjson-c-dev libprotobuf-c-dev libgnutls28-dev
	libmicrohttpd-dev libyaml-dev ${TRACEE_SYSROOT_PACKAGES:-}"

stamp=$dir/.tracee-sysroot
configure_line() {
	printf './configure --host=%s --with-sysroot=%s\n' "$triplet" "$dir"
}
if [ "$update" = 0 ] && [ -f "$stamp" ] &&
   [ "$(sed -n 1p "$stamp")" = "$arch $suite $(echo $pkgs)" ]; then
	say "$dir is complete (--update makes it again)"
	configure_line
	exit 0
fi

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
	die "apt-get and dpkg-deb are needed (this is for Debian build hosts)"
[ -r "$keyring" ] || die "no Debian archive keyring at $keyring (install debian-archive-keyring or set TRACEE_DEBIAN_KEYRING)"

apt=$dir.apt
papt_init "$apt" "$arch" "$suite" "$suite-updates" "$suite-security" &&
	mkdir -p "$apt/debs" "$apt/uris" ||
	die "cannot create $apt (pass a writable directory)"

say "updating the private $arch package lists ($suite)"
papt_update "$suite/$arch"

# The closure under Depends/Pre-Depends: apt-cache prints each package at
# the start of a line and its dependencies indented; <name> is virtual.
# shellcheck disable=SC2086
closure=$(apt-cache $aptopts depends --recurse --important $pkgs 2>"$apt/depends.log" |
	grep -v '^[[:space:]<]' | sort -u) ||
	{ sed 's/^/  /' "$apt/depends.log" >&2; die "apt-cache could not resolve: $(echo $pkgs)"; }
for p in $pkgs; do
	printf '%s\n' "$closure" | grep -qx "$p" || die "$p is not in $suite/$arch"
done
say "$(printf '%s\n' "$closure" | wc -l) packages for $(echo $pkgs)"

debs=
for p in $closure; do
	file=$(papt_download "$p" "$apt/debs")
	debs="$debs $file"
done

# Unpack aside, then swap in.
tmp=$dir.new.$$
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp"
for d in $debs; do
	dpkg-deb -x "$apt/debs/$d" "$tmp" || die "dpkg-deb -x $d failed"
done
# Debian's merged /usr: what a package puts in /lib belongs in /usr/lib
# (libc.so's linker script names /lib/<triplet>/libc.so.6, which the linker
# finds under the sysroot either way).
if [ -d "$tmp/lib" ] && [ ! -L "$tmp/lib" ]; then
	mkdir -p "$tmp/usr/lib"
	cp -a "$tmp/lib/." "$tmp/usr/lib/" && rm -rf "$tmp/lib" || die "cannot merge /lib into /usr/lib in $tmp"
fi
ln -s usr/lib "$tmp/lib"
# Absolute symlinks (libfoo.so -> /lib/<triplet>/libfoo.so.1) would point
# into the build host: make them relative to the sysroot.
find "$tmp" -type l | while read -r l; do
	t=$(readlink "$l")
	case "$t" in
	/*)
		d=$(dirname "${l#"$tmp"}")
		if [ "$d" = / ]; then
			rel=.
		else
			rel=$(printf '%s' "$d" | sed 's|/[^/]*|../|g')
			rel=${rel%/}
		fi
		ln -sfn "$rel$t" "$l" ;;
	esac
done
printf '%s %s %s\n' "$arch" "$suite" "$(echo $pkgs)" > "$tmp/.tracee-sysroot"
printf '%s\n' $debs >> "$tmp/.tracee-sysroot"
old=$dir.old.$$
[ ! -e "$dir" ] || mv "$dir" "$old"
mv "$tmp" "$dir"
rm -rf "$old"
say "made the $arch sysroot $dir ($(du -sh "$dir" | cut -f1))"
configure_line
