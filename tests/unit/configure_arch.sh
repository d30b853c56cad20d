#!/bin/sh
# configure_arch.sh - configure's architecture handling: x86_64 and aarch64
# only, one line naming the fix for anything else; a cross build's sysroot
# must be one (tests/kernels/make-sysroot.sh makes it); the kernel-specific
# object's headers are recognised by architecture (bpf/kbuild.sh
# --print-arch), so headers of another architecture are refused.
# No root, no network: configure stops at its checks, in a scratch copy.
. "$top_srcdir/tests/tap.sh"

[ -x "$top_srcdir/configure" ] || skip_all "no configure in $top_srcdir (run ./autogen.sh)"
tap_tmpdir
T=$TAP_TMP
kbuild=$top_srcdir/bpf/kbuild.sh

# A kernel's architecture from its configuration, either file.
mkdir -p "$T/k/x86" "$T/k/arm64" "$T/k/riscv" "$T/k/gen/include/generated"
echo 'CONFIG_X86_64=y' > "$T/k/x86/.config"
echo 'CONFIG_ARM64=y' > "$T/k/arm64/.config"
echo 'CONFIG_RISCV=y' > "$T/k/riscv/.config"
echo '#define CONFIG_ARM64 1' > "$T/k/gen/include/generated/autoconf.h"
is "$(sh "$kbuild" --print-arch "$T/k/x86")" x86 "x86_64 headers: x86"
is "$(sh "$kbuild" --print-arch "$T/k/arm64")" arm64 "arm64 headers (.config): arm64"
is "$(sh "$kbuild" --print-arch "$T/k/gen")" arm64 "arm64 headers (autoconf.h): arm64"
err=$(sh "$kbuild" --print-arch "$T/k/riscv" 2>&1 >/dev/null)
ok $([ $? -ne 0 ] && echo 0 || echo 1) "riscv headers: refused"
like "$err" "no x86_64 or arm64 kernel configuration" "and the line says why"

# configure from a copy: the tree itself may be configured in place, which
# forbids a build directory elsewhere.
S=$T/src
mkdir -p "$S/src" "$S/bpf"
cp -R "$top_srcdir/configure" "$top_srcdir/config.h.in" "$top_srcdir/Makefile.in" \
	"$top_srcdir/build-aux" "$S/" && cp "$top_srcdir/src/main.c" "$S/src/" &&
	cp "$kbuild" "$top_srcdir/bpf/kheaders.sh" "$S/bpf/"
ok $? "a scratch copy of the configure script"

(cd "$S" && ./configure --host=riscv64-linux-gnu >"$T/riscv.out" 2>"$T/riscv.err")
ok $([ $? -ne 0 ] && echo 0 || echo 1) "--host=riscv64-linux-gnu: configure fails"
like "$(tail -n 1 "$T/riscv.err")" \
	"error: tracee supports x86_64 and aarch64 hosts \(host cpu: riscv64\); pass --host=" \
	"one line naming the supported hosts"

if command -v aarch64-linux-gnu-gcc >/dev/null; then
	mkdir -p "$T/empty"
	(cd "$S" && ./configure --host=aarch64-linux-gnu --with-sysroot="$T/empty" \
		>"$T/sysroot.out" 2>"$T/sysroot.err")
	ok $([ $? -ne 0 ] && echo 0 || echo 1) "an empty --with-sysroot: configure fails"
	like "$(tail -n 1 "$T/sysroot.err")" \
		"--with-sysroot=$T/empty: no usr/include in it \(make one with tests/kernels/make-sysroot.sh DIR\)" \
		"and names the script that makes one"
else
	skip "no aarch64-linux-gnu-gcc (install gcc-aarch64-linux-gnu)"
	skip "no aarch64-linux-gnu-gcc (install gcc-aarch64-linux-gnu)"
fi
done_testing
