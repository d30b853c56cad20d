#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kbuild.sh - build tracee's kernel-specific eBPF object for one kernel.
#
#   kbuild.sh --src DIR --headers DIR [--release R] --version V --outdir DIR
#             [--clang C] [--llc L] [--strip S]
#   kbuild.sh --print-arch BUILD-DIR
#
# --src      the BPF sources (bpf/ in the tree, $(pkgdatadir)/bpf installed)
# --headers  the kernel's headers: build dir, source dir, full tree or
#            /lib/modules/R (bpf/kheaders.sh finds the other half)
# --release  the release expected; must match the headers' own
# --version  tracee's version, recorded in the object
# --outdir   where tracee.bpf.<release>.<version>.o is written
# --clang/--llc/--strip  tools; default: clang, llc, llvm-strip on PATH
# --print-arch  print the architecture (x86, arm64) of the kernel whose
#            build dir is given, from its configuration, and exit
#
# Used by `make bpf-kernel` and by tracee at run time (src/kernel/kbuild.c).
# Route: clang for the kernel's CPU with -emit-llvm (clang cannot parse kernel
# headers with -target bpf), then llc -march=bpf, then llvm-strip -g.
# The object is written atomically (temporary file + rename in outdir), so
# a failed build never leaves a truncated object.  On success the object's
# path is printed on stdout; on failure one line on stderr says what is
# missing (compiler diagnostics, if any, come before it) and the exit
# status is non-zero.

me=kbuild.sh

# Nothing in the caller's environment steers the compiler: tracee runs this
# as root (and gives it a fixed environment of its own, src/kernel/kbuild.c).
unset CPATH C_INCLUDE_PATH CPLUS_INCLUDE_PATH OBJC_INCLUDE_PATH LIBRARY_PATH \
	CCC_OVERRIDE_OPTIONS CCC_ADD_ARGS COMPILER_PATH GCC_EXEC_PREFIX
LC_ALL=C
export LC_ALL

die() {
	echo "$me: $*" >&2
	exit 1
}

# karch BUILD-DIR: the kernel's arch/ name, from its configuration (the
# headers may be another machine's: cross builds, the kernel matrix).
karch() {
	for f in "$1/include/generated/autoconf.h" "$1/.config"; do
		test -f "$f" || continue
		if grep -Eq '^(#define CONFIG_X86_64 1|CONFIG_X86_64=y)$' "$f"; then
			echo x86
		elif grep -Eq '^(#define CONFIG_ARM64 1|CONFIG_ARM64=y)$' "$f"; then
			echo arm64
		else
			return 1
		fi
		return 0
	done
	return 1
}

if test "$1" = --print-arch; then
	test $# -eq 2 || die "--print-arch takes one build dir"
	karch "$2" || die "$2: no x86_64 or arm64 kernel configuration (include/generated/autoconf.h or .config)"
	exit 0
fi

src= headers= release= version= outdir= clang= llc= strip=
while test $# -gt 0; do
	case $1 in
	--src|--headers|--release|--version|--outdir|--clang|--llc|--strip)
		test $# -ge 2 || die "$1 needs a value"
		opt=${1#--}
		eval "$opt=\$2"
		shift 2
		;;
	-h|--help)
		sed -n '4,18p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		die "unknown argument '$1' (see --help)"
		;;
	esac
done

test -n "$src" || die "--src DIR is required"
test -n "$headers" || die "--headers DIR is required"
test -n "$version" || die "--version V is required"
test -n "$outdir" || die "--outdir DIR is required"
test -f "$src/tracee.bpf.c" || die "missing BPF sources: $src/tracee.bpf.c (reinstall tracee or pass --src)"
test -f "$src/kheaders.sh" || die "missing $src/kheaders.sh (reinstall tracee)"
# tracee.bpf.c is one unit of parts: name a missing one here rather than
# leave it to a compiler error halfway through.
for part in $(sed -n 's/^#include "\([^"]*\)"$/\1/p' "$src/tracee.bpf.c") asm_goto_workaround.h; do
	test -f "$src/$part" ||
		die "missing BPF sources: $src/$part, a part of tracee.bpf.c (reinstall tracee or pass --src)"
done
test -d "$outdir" || die "$outdir: no such directory"

# tool NAME GIVEN PACKAGE: the tool's path, or a one-line error
tool() {
	t=$2
	test -n "$t" || t=$1
	case $t in
	*/*) test -x "$t" || die "missing compilation dependency: $1 at $t (install $3)" ;;
	*) t=$(command -v "$t" 2>/dev/null) || die "missing compilation dependency: $1 (install $3)" ;;
	esac
	printf '%s' "$t"
}
clang=$(tool clang "$clang" clang) || exit 1
llc=$(tool llc "$llc" llvm) || exit 1
strip=$(tool llvm-strip "$strip" llvm) || exit 1

# The kernel headers.
kh=$(/bin/sh "$src/kheaders.sh" "$headers" 2>&1) ||
	die "missing kernel headers: $headers (install linux-headers-${release:-$(uname -r)} or pass --kernel-headers): ${kh#kheaders.sh: }"
eval "$kh"
if test -n "$release" && test "$release" != "$KH_RELEASE"; then
	die "kernel headers in $headers are for $KH_RELEASE, not $release (install linux-headers-$release or pass its headers)"
fi
release=$KH_RELEASE
case $release in
*/*|*" "*|"") die "$KH_BUILD: unusable kernel release '$release'" ;;
esac

# libbpf's bpf_helpers.h, found where this clang finds it.  Only that
# directory is added (-idirafter): the kernel's own headers must win.
helpers=$(echo '#include <bpf/bpf_helpers.h>' |
	"$clang" -E -M -x c - 2>/dev/null | tr ' \\' '\n\n' | grep '/bpf/bpf_helpers\.h$' | head -n 1)
test -n "$helpers" || die "missing compilation dependency: libbpf headers, bpf/bpf_helpers.h (install libbpf-dev)"
libbpf_inc=$(dirname "$(dirname "$helpers")")

# clang parses the kernel's headers as the kernel's own compiler would,
# inline assembly included, so it targets the kernel's architecture.
arch=$(karch "$KH_BUILD") ||
	die "$KH_BUILD: kernel-specific objects are built for x86_64 and arm64 kernels only (no CONFIG_X86_64 or CONFIG_ARM64 in its configuration)"
case $arch in
x86) ctarget=x86_64-linux-gnu ;;
arm64) ctarget=aarch64-linux-gnu ;;
esac

name=tracee.bpf.$release.$version.o
umask 022
tmp=$(mktemp -d "$outdir/.tracee-kbuild.XXXXXX") || die "$outdir: cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

s=$KH_SOURCE
b=$KH_BUILD
if ! "$clang" --target=$ctarget -S -emit-llvm -O2 -g \
	-nostdinc -isystem "$("$clang" -print-file-name=include)" \
	-D__KERNEL__ -D__BPF_TRACING__ -D__TARGET_ARCH_$arch -DKBUILD_MODNAME='"tracee"' \
	-DTRACEE_KRELEASE="\"$release\"" -DTRACEE_VERSION="\"$version\"" \
	-fno-stack-protector -fno-jump-tables -fno-asynchronous-unwind-tables \
	-Wno-unused-value -Wno-pointer-sign -Wno-compare-distinct-pointer-types \
	-Wno-gnu-variable-sized-type-not-at-end -Wno-address-of-packed-member \
	-Wno-tautological-compare -Wno-unknown-warning-option -Wno-unused-function \
	-Wno-frame-address -Wno-microsoft-anon-tag -Wno-duplicate-decl-specifier \
	-I"$src" \
	-include "$s/include/linux/kconfig.h" \
	-include "$src/asm_goto_workaround.h" \
	-I"$s/arch/$arch/include" -I"$b/arch/$arch/include/generated" \
	-I"$s/include" -I"$b/include" \
	-I"$s/arch/$arch/include/uapi" -I"$b/arch/$arch/include/generated/uapi" \
	-I"$s/include/uapi" -I"$b/include/generated/uapi" \
	-idirafter "$libbpf_inc" \
	-o "$tmp/tracee.ll" "$src/tracee.bpf.c"; then
	die "compiling $src/tracee.bpf.c against the $release headers failed (see the messages above)"
fi

# The IR carries the CPU's function attributes that mean nothing to the BPF
# backend and only make llc warn; drop them.
sed -e 's/"target-cpu"="[^"]*"//g' -e 's/"target-features"="[^"]*"//g' \
	-e 's/"tune-cpu"="[^"]*"//g' "$tmp/tracee.ll" > "$tmp/tracee.bpf.ll" ||
	die "$tmp: cannot write"
"$llc" -march=bpf -filetype=obj -o "$tmp/$name" "$tmp/tracee.bpf.ll" ||
	die "llc could not lower tracee.bpf.c to BPF for $release (see the messages above)"
"$strip" -g "$tmp/$name" || die "llvm-strip failed on $name"
chmod 0644 "$tmp/$name"
mv -f "$tmp/$name" "$outdir/$name" || die "$outdir/$name: cannot write"
echo "$outdir/$name"
