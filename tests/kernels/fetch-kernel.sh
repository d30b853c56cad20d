#!/bin/sh
# fetch-kernel.sh - fetch a Debian kernel image and its headers for the qemu
# kernel matrix, unpack them with dpkg -x and cache the result.
#
#   fetch-kernel.sh [--update] [--offline] [--arch ARCH] NAME
#
# NAME is one of the known kernel lines (5.10, 6.1, 6.12) or a Debian image
# package name (linux-image-6.1.0-56-amd64[-unsigned]) with --suites naming
# where to find it.  --arch is the Debian architecture of the kernel (amd64,
# the default, or arm64); a package name says its own.  A kernel of another
# architecture than amd64 comes with that architecture's busybox-static
# (KERNEL_BUSYBOX), for its initramfs. Everything is done under a private apt configuration
# inside the cache directory (own sources list, state, lists and archive
# dirs): the machine's apt sources are never read or changed and nothing is
# installed. A kernel that is already unpacked in the cache is used as is,
# so a second run needs no network (--update re-resolves the newest one).
#
# Prints the path of the kernel's description file (kernel.env) on stdout:
#   KERNEL_NAME KERNEL_ARCH KERNEL_RELEASE KERNEL_VMLINUZ KERNEL_HEADERS
#   KERNEL_SOURCE KERNEL_BUSYBOX KERNEL_PACKAGES
#
# Environment:
#   TRACEE_KERNEL_CACHE   cache directory (default /tmp/tracee-kernels)
#   TRACEE_DEBIAN_MIRROR  default http://deb.debian.org/debian
#   TRACEE_DEBIAN_SECURITY_MIRROR  default http://deb.debian.org/debian-security
#   TRACEE_DEBIAN_KEYRING default /usr/share/keyrings/debian-archive-keyring.gpg

set -eu

prog=fetch-kernel.sh
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "$prog" "$*" >&2; }
# shellcheck source=tests/kernels/private-apt.sh
. "$(dirname "$0")/private-apt.sh"

cache=${TRACEE_KERNEL_CACHE:-/tmp/tracee-kernels}
mirror=${TRACEE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
secmirror=${TRACEE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
keyring=${TRACEE_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}

# One fetch at a time per cache (make check and make check-kernels may share it).
if [ -z "${TK_FETCH_LOCKED:-}" ] && command -v flock >/dev/null; then
	mkdir -p "$cache" || die "cannot create $cache (set TRACEE_KERNEL_CACHE to a writable directory)"
	TK_FETCH_LOCKED=1 exec flock "$cache/.fetch.lock" "$0" "$@"
fi

update=0
offline=0
suites=
name=
arch=
while [ $# -gt 0 ]; do
	case "$1" in
	--update) update=1 ;;
	--offline) offline=1 ;;
	--suites) shift; suites=$1 ;;
	--suites=*) suites=${1#--suites=} ;;
	--arch) [ $# -ge 2 ] || die "--arch needs a value (amd64 or arm64)"; shift; arch=$1 ;;
	--arch=*) arch=${1#--arch=} ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) [ -z "$name" ] || die "one kernel at a time ('$name' and '$1')"; name=$1 ;;
	esac
	shift
done
[ -n "$name" ] || die "which kernel? pass 5.10, 6.1, 6.12 or a linux-image-* package name"
case "$name" in
linux-image-*-arm64|linux-image-*-arm64-unsigned) : "${arch:=arm64}" ;;
esac
: "${arch:=amd64}"
case "$arch" in
amd64|arm64) ;;
*) die "--arch $arch: the matrix knows amd64 and arm64 kernels" ;;
esac
case "$name" in
linux-image-*)
	case "${name%-unsigned}" in
	*-"$arch") ;;
	*) die "$name is not an $arch image (drop --arch $arch or name an -$arch package)" ;;
	esac ;;
esac

# Kernel lines: suites to search and the image package pattern (a grep -E
# regex on package names; the newest match by version sort wins).
case "$name" in
5.10)
	: "${suites:=bullseye bullseye-updates bullseye-security}"
	pattern="^linux-image-5\\.10\\.0-[0-9]+-$arch(-unsigned)?\$" ;;
6.1)
	: "${suites:=bookworm bookworm-updates bookworm-security}"
	pattern="^linux-image-6\\.1\\.0-[0-9]+-$arch(-unsigned)?\$" ;;
6.12)
	# bookworm-security carries 6.12 too, newer than bookworm-backports.
	: "${suites:=bookworm bookworm-security bookworm-backports}"
	pattern="^linux-image-6\\.12\\.[0-9]+\\+deb12-$arch(-unsigned)?\$" ;;
linux-image-*)
	[ -n "$suites" ] || die "$name: say where to find it with --suites 'SUITE...' (e.g. --suites 'bookworm bookworm-security')"
	pattern="^$(printf '%s' "$name" | sed 's/[.+]/\\&/g')\$" ;;
*)
	die "unknown kernel '$name' (use 5.10, 6.1, 6.12 or a linux-image-* package name with --suites)" ;;
esac

# amd64 kernels keep the cache's names of before architectures were known.
kdir=$cache/$name
case "$name" in
linux-image-*) ;;
*) [ "$arch" = amd64 ] || kdir=$cache/$name-$arch ;;
esac
envfile=$kdir/kernel.env

# Describe an unpacked tree: find the vmlinuz and its headers.
describe() { # describe DIR PACKAGES
	d=$1
	vmlinuz=$(ls "$d"/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
	[ -n "$vmlinuz" ] || return 1
	release=${vmlinuz##*/vmlinuz-}
	headers=$d/usr/src/linux-headers-$release
	[ -f "$headers/.config" ] || return 1
	common=$(sed -n 's|^include /usr/src/\(linux-headers-[^/]*\)/Makefile$|\1|p' "$headers/Makefile" 2>/dev/null)
	source=
	[ -z "$common" ] || source=$d/usr/src/$common
	[ -z "$source" ] || [ -d "$source/include" ] || return 1
	busybox=
	if [ "$arch" != amd64 ]; then
		busybox=$d/bin/busybox
		[ -x "$busybox" ] || return 1
	fi
	{
		printf '# written by %s\n' "$prog"
		printf "KERNEL_NAME='%s'\n" "$name"
		printf "KERNEL_ARCH='%s'\n" "$arch"
		printf "KERNEL_RELEASE='%s'\n" "$release"
		printf "KERNEL_VMLINUZ='%s'\n" "$vmlinuz"
		printf "KERNEL_HEADERS='%s'\n" "$headers"
		printf "KERNEL_SOURCE='%s'\n" "$source"
		printf "KERNEL_BUSYBOX='%s'\n" "$busybox"
		printf "KERNEL_PACKAGES='%s'\n" "$2"
	} > "$envfile.tmp" && mv "$envfile.tmp" "$envfile"
}

if [ "$update" = 0 ]; then
	if [ -f "$envfile" ]; then
		printf '%s\n' "$envfile"
		exit 0
	fi
	# A tree unpacked by hand (dpkg -x of image + headers): adopt it.
	if [ -d "$kdir" ] && describe "$kdir" "(unpacked by hand)"; then
		say "adopted the kernel already unpacked in $kdir"
		printf '%s\n' "$envfile"
		exit 0
	fi
fi
[ "$offline" = 0 ] || die "$name is not in the cache ($kdir) and --offline was given (run once with network access)"

command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
	die "apt-get and dpkg are needed to fetch Debian kernels (or put a vmlinuz + headers pair in the matrix list)"
[ -r "$keyring" ] || die "no Debian archive keyring at $keyring (install debian-archive-keyring or set TRACEE_DEBIAN_KEYRING)"

# The private apt configuration: one per kernel line, since suites differ.
apt=$cache/apt/$(printf '%s' "${kdir##*/}" | tr -c 'A-Za-z0-9.+-' _)
papt_init "$apt" "$arch" $suites && mkdir -p "$cache/debs" ||
	die "cannot create the cache in $cache (set TRACEE_KERNEL_CACHE to a writable directory)"

say "updating the private package lists for $name ($suites)"
papt_update "suites '$suites'"

# Real (non-virtual) packages matching the pattern, newest first.
real_pkg() { # real_pkg NAME: true if apt has a candidate version for NAME
	# shellcheck disable=SC2086
	apt-cache $aptopts policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}
# shellcheck disable=SC2086
cands=$(apt-cache $aptopts pkgnames linux-image- | grep -E "$pattern" | sort -rV) || :
image=
for p in $cands; do
	# Prefer the -unsigned image of an ABI (same vmlinuz, no signing shim),
	# else the signed one.
	base=${p%-unsigned}
	if real_pkg "$base-unsigned"; then image=$base-unsigned; break; fi
	if real_pkg "$base"; then image=$base; break; fi
done
[ -n "$image" ] || die "no package matching /$pattern/ in suites '$suites'"
release=${image#linux-image-}
release=${release%-unsigned}
flavour=${release##*-}			# amd64, arm64
abi=${release%-"$flavour"}		# 6.1.0-56, 6.12.95+deb12
pkgs="$image linux-headers-$release linux-headers-$abi-common"
# The image's /init and applets must run on that architecture too.
[ "$arch" = amd64 ] || pkgs="$pkgs busybox-static"
for p in $pkgs; do
	real_pkg "$p" || die "$p is not in suites '$suites' (needed next to $image)"
done
say "newest $name kernel: $release ($pkgs)"

if [ -f "$envfile" ] && grep -q "^KERNEL_RELEASE='$release'\$" "$envfile"; then
	say "$release is already unpacked in $kdir"
	printf '%s\n' "$envfile"
	exit 0
fi

# Download into the shared debs dir (skipping what is already there).
debs=
for p in $pkgs; do
	uri=$(papt_download "$p" "$cache/debs")
	debs="$debs $cache/debs/$uri"
done

# Unpack into a fresh directory, then swap it in: never a half-unpacked tree.
tmp=$cache/.unpack.$$
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp"
for d in $debs; do
	dpkg -x "$d" "$tmp" || die "dpkg -x $d failed"
done
# Modules are not needed: the VM boots from an initramfs with what is built in.
rm -rf "$tmp"/lib/modules/*/kernel
oldrel=
[ ! -f "$envfile" ] || oldrel=$(sed -n "s/^KERNEL_RELEASE='\(.*\)'\$/\1/p" "$envfile")
old=$cache/.old.$$
[ ! -e "$kdir" ] || mv "$kdir" "$old"
mv "$tmp" "$kdir"
rm -rf "$old"
describe "$kdir" "$pkgs" || die "unpacked $pkgs but found no vmlinuz + headers in $kdir"
# The packages of the kernel this one replaces are not needed any more.
if [ -n "$oldrel" ] && [ "$oldrel" != "$release" ]; then
	oldabi=${oldrel%-"${oldrel##*-}"}
	rm -f "$cache/debs/linux-image-$oldrel"_*.deb "$cache/debs/linux-image-$oldrel-unsigned"_*.deb \
		"$cache/debs/linux-headers-$oldrel"_*.deb "$cache/debs/linux-headers-$oldabi-common"_*.deb
fi
say "unpacked $release into $kdir"
printf '%s\n' "$envfile"
