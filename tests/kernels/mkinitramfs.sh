#!/bin/sh
# mkinitramfs.sh - build the kernel matrix's initramfs (cpio newc, gzip).
#
#   mkinitramfs.sh -o OUT [--root DESTDIR] [--add SRC=DST]... [--init FILE]
#                  [--busybox FILE] [--sysroot DIR]
#
# Contents: busybox (static or not) with its applet links; the tree that
# `make install DESTDIR=DESTDIR` produced, minus documentation; every shared
# library the ELF programs in it need, with the dynamic loader; the files
# given with --add (DST is a path inside the image); and /init (default:
# vm-init.sh next to this script).
#
# For another architecture's image (a cross-built install tree), --sysroot
# names where its libraries are: they are found from the programs' NEEDED
# entries and interpreter (readelf), not ldd, which cannot run them.  A
# busybox that cannot run here gets its applet links at boot (vm-init.sh).
#
# Environment: BUSYBOX (default for --busybox: busybox from PATH).

set -eu

prog=mkinitramfs.sh
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
out=
root=
init=$here/vm-init.sh
adds=
sysroot=
busybox=${BUSYBOX:-}
while [ $# -gt 0 ]; do
	case "$1" in
	-o) shift; out=$1 ;;
	--root) shift; root=$1 ;;
	--init) shift; init=$1 ;;
	--busybox) shift; busybox=$1 ;;
	--sysroot) shift; sysroot=$1 ;;
	--add) shift; adds="$adds
$1" ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
[ -n "$out" ] || die "no output file (-o OUT)"
[ -z "$root" ] || [ -d "$root" ] || die "--root $root is not a directory (run make install DESTDIR=$root first)"
[ -f "$init" ] || die "no init script $init"
[ -n "$busybox" ] || busybox=$(command -v busybox || :)
[ -n "$busybox" ] && [ -x "$busybox" ] || die "busybox not found (install busybox-static or set BUSYBOX)"
command -v cpio >/dev/null || die "cpio not found (install cpio)"
if [ -n "$sysroot" ]; then
	[ -d "$sysroot/usr/lib" ] || die "--sysroot $sysroot has no usr/lib (make one with make-sysroot.sh)"
	command -v readelf >/dev/null || die "readelf not found (install binutils)"
else
	command -v ldd >/dev/null || die "ldd not found (install libc-bin)"
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/tracee-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT INT TERM

for d in bin sbin usr/bin usr/sbin proc sys dev tmp run root etc kt lib64; do
	mkdir -p "$stage/$d"
done

# busybox and its applets (links relative to the image root).
cp "$busybox" "$stage/bin/busybox"
if applets=$("$busybox" --list-full 2>/dev/null); then
	printf '%s\n' "$applets" | while read -r a; do
		[ -e "$stage/$a" ] || [ -L "$stage/$a" ] || ln -s /bin/busybox "$stage/$a"
	done
fi
# (another architecture's busybox: /init makes the other links with --install)
[ -e "$stage/bin/sh" ] || ln -s busybox "$stage/bin/sh"

# The install tree, without what a test never reads.
if [ -n "$root" ]; then
	(cd "$root" && tar -cf - --exclude='./*/share/man' --exclude='./*/share/doc' \
		--exclude='./*/*/share/man' --exclude='./*/*/share/doc' .) |
		(cd "$stage" && tar -xf -) || die "cannot copy $root"
fi

# Extra files.
printf '%s\n' "$adds" | while IFS= read -r a; do
	[ -n "$a" ] || continue
	src=${a%%=*}
	dst=${a#*=}
	[ "$src" != "$a" ] || die "--add $a: use SRC=DST"
	[ -e "$src" ] || die "--add $a: no such file $src"
	mkdir -p "$stage/$(dirname "$dst")"
	cp -a "$src" "$stage/$dst"
done

cp "$init" "$stage/init"
chmod 755 "$stage/init"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$stage/etc/passwd"
printf 'root:x:0:\n' > "$stage/etc/group"

# Shared libraries of every dynamic ELF program in the image.
is_elf_prog() { # ELF magic and not an eBPF object (machine 247)
	[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = '177ELF' ] || return 1
	m=$(od -An -j 18 -N 2 -t u2 "$1" | tr -d ' ')
	[ "$m" != 247 ]
}
libs=$stage/.libs
: > "$libs"
# sysroot_libs FILE: FILE's interpreter and NEEDED libraries, then theirs,
# as paths inside the sysroot (the same paths in the image).
sysroot_libs() {
	_todo=$1
	_seen=' '
	while [ -n "$_todo" ]; do
		set -- $_todo
		_f=$1
		shift
		_todo=$*
		_interp=$(readelf -lW "$_f" 2>/dev/null |
			sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p')
		[ -z "$_interp" ] || printf '%s\n' "$_interp"
		for _n in $(readelf -dW "$_f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			case "$_seen" in *" $_n "*) continue ;; esac
			_seen="$_seen$_n "
			_p=
			for _d in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib /usr/lib; do
				[ -e "$sysroot$_d/$_n" ] && { _p=$_d/$_n; break; }
			done
			[ -n "$_p" ] || die "$_f needs $_n, which is not in $sysroot"
			printf '%s\n' "$_p"
			_todo="$_todo $sysroot$_p"
		done
	done
}
find "$stage" -type f -perm -u+x | while read -r f; do
	is_elf_prog "$f" || continue
	if [ -n "$sysroot" ]; then
		sysroot_libs "$f" >> "$libs"
		continue
	fi
	ldd "$f" 2>/dev/null | sed -n \
		-e 's/^.*=> \(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p' \
		-e 's/^[[:space:]]*\(\/[^ ]*\) (0x[0-9a-f]*)$/\1/p' >> "$libs" || :
done
sort -u "$libs" | while read -r l; do
	[ -e "$stage$l" ] && continue
	mkdir -p "$stage$(dirname "$l")"
	cp -L "$sysroot$l" "$stage$l" || die "cannot copy library $sysroot$l"
done
rm -f "$libs"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -mindepth 1 | sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 > "$out.tmp" || die "cpio/gzip of $stage failed"
mv "$out.tmp" "$out"
