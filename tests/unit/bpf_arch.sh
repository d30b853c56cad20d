#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bpf_arch.sh - `make bpf ARCH=...` builds the eBPF objects for another
# architecture from the same source, into dist/ARCH/, and says in
# .tracee.meta which one it is for (the loader refuses any other: the
# pt_regs layout and the syscall numbers differ).  That an arm64 object
# works is shown under qemu-system-aarch64 by tests/kernels; this checks
# the build: the right vmlinux.h and arch.h branch were taken.  No root.

. "$top_srcdir/tests/tap.sh"

make=${MAKE:-make}
[ -n "$BPF_CLANG" ] || skip_all "no BPF clang configured (--with-bpf=prebuilt)"
command -v llvm-objcopy >/dev/null 2>&1 || skip_all "llvm-objcopy not found (install llvm)"
case $(uname -m) in
x86_64) host=x86_64 other=arm64 obj_other=dist/arm64/tracee.bpf.core.o ;;
aarch64) host=arm64 other=x86 obj_other=dist/x86/tracee.bpf.core.o ;;
*) skip_all "tracee builds on x86_64 and aarch64, not $(uname -m)" ;;
esac
tap_tmpdir
cd "$top_builddir" || bail_out "cannot enter $top_builddir"

# meta OBJ: the object's .tracee.meta, one key=value per line
meta() {
	rm -f "$TAP_TMP/meta"
	llvm-objcopy --dump-section .tracee.meta="$TAP_TMP/meta" "$1" /dev/null 2>/dev/null &&
		tr '\0' '\n' <"$TAP_TMP/meta"
}

rm -rf "dist/$other"
"$make" -s bpf ARCH="$other" >"$TAP_TMP/out" 2>&1
is $? 0 "make bpf ARCH=$other builds"
[ -f "$obj_other" ]
ok $? "into $obj_other, beside the host's"
like "$(meta "$obj_other")" "^arch=$other$" "its .tracee.meta says arch=$other"
like "$(meta dist/tracee.bpf.core.o)" "^arch=$host$" "the host's says arch=$host"
like "$(meta "$obj_other")" "^flavour=core$" "and it is a CO-RE object"

# CO-RE relocations name the fields the programs read, in the object's BTF:
# arm64's syscall number and first argument live in syscallno and orig_x0,
# x86's in orig_ax.
case $other in
arm64) mine=orig_ax theirs=orig_x0 ;;
x86) mine=orig_x0 theirs=orig_ax ;;
esac
strings -a "$obj_other" | grep -qx "$theirs"
ok $? "the $other object reads pt_regs.$theirs"
! strings -a "$obj_other" | grep -qx "$mine"
ok $? "and not the host's pt_regs.$mine"
strings -a dist/tracee.bpf.core.o | grep -qx "$mine"
ok $? "control: the host object reads pt_regs.$mine"

# The other spelling is accepted and lands in the same place.
rm -f "$obj_other"
case $other in arm64) alias=aarch64 ;; *) alias=x86_64 ;; esac
"$make" -s bpf ARCH=$alias >"$TAP_TMP/out" 2>&1 && [ -f "$obj_other" ]
ok $? "ARCH=$alias is taken as $other"

! "$make" -s bpf ARCH=sparc >"$TAP_TMP/out" 2>&1
ok $? "ARCH=sparc: make bpf fails"
like "$(grep -c 'ARCH=sparc' "$TAP_TMP/out")" '^1$' "with one line naming it"
like "$(cat "$TAP_TMP/out")" "use x86 or arm64" "and the architectures it takes"

rm -rf "dist/$other"
done_testing
