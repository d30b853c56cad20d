#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bpf_sources.sh - the parts of bpf/tracee.bpf.c are wired into the build.
#
# tracee.bpf.c is one compilation unit that includes its parts from bpf/;
# a part missing from Makefile.am's list would still build here, and only
# break later: a stale object after an edit, a tarball that cannot build,
# or a run-time build (src/kernel/kbuild.c) failing on an installed
# system.  So: every file the unit includes is a prerequisite of the CO-RE
# object (the same list feeds the dist tarball), every one is installed,
# and the installed copy compiles to the same programs as the tree.  No
# root; needs the BPF clang configure found.

. "$top_srcdir/tests/tap.sh"

make=${MAKE:-make}
obj=dist/tracee.bpf.core.o
[ "$(uname -m)" = x86_64 ] || skip_all "the tree's vmlinux.h is x86_64's alone"
[ -n "$BPF_CLANG" ] || skip_all "no BPF clang configured (--with-bpf=prebuilt)"
objdump=$(command -v llvm-objdump) || skip_all "llvm-objdump not found (install llvm)"
[ -f "$top_builddir/$obj" ] || skip_all "$obj is not built (run make)"
"$make" -s -C "$top_builddir" -q "$obj" >/dev/null 2>&1 ||
	skip_all "$obj is not up to date (run make)"
tap_tmpdir

# The files the unit reads from bpf/: its own includes, in its order, and
# the header bpf/kbuild.sh forces in with -include.
parts=$(sed -n 's/^#include "\([^"]*\)"$/\1/p' "$top_srcdir/bpf/tracee.bpf.c")
parts="$parts asm_goto_workaround.h"
n=$(echo $parts | wc -w)
[ "$n" -gt 10 ]
ok $? "tracee.bpf.c includes its parts ($n files)"

# make -q -W F: would the object be rebuilt if F changed?  A file bpf/
# has but the object does not use first, so that a "yes" means something.
"$make" -s -C "$top_builddir" -q -W bpf/kbuild.sh "$obj" >/dev/null 2>&1
is $? 0 "control: a change to bpf/kbuild.sh does not rebuild $obj"
missing=
for f in tracee.bpf.c $parts; do
	"$make" -s -C "$top_builddir" -q -W "bpf/$f" "$obj" >/dev/null 2>&1
	[ $? = 1 ] || missing="$missing $f"
done
is "${missing:-none}" none "every part is a prerequisite of $obj (and so in the tarball)"

# Installed as for a run-time build, into a scratch DESTDIR.
"$make" -s -C "$top_builddir" install-bpfsrcDATA install-bpfsrcvmlinuxDATA install-bpfsrcx86DATA \
	install-bpfsrcarm64DATA install-bpfsrcSCRIPTS \
	DESTDIR="$TAP_TMP/inst" >"$TAP_TMP/install.log" 2>&1
ok $? "the BPF sources install into a DESTDIR"
src=$(find "$TAP_TMP/inst" -name tracee.bpf.c -path '*/bpf/*' | head -n 1)
src=${src%/tracee.bpf.c}
missing=
for f in tracee.bpf.c $parts kbuild.sh kheaders.sh; do
	[ -f "$src/$f" ] || missing="$missing $f"
done
is "${missing:-none}" none "every part is installed next to tracee.bpf.c (${src:-nowhere})"

# The installed copy alone (plus its own vmlinux.h) builds the same programs.
build() { # build BPFDIR OUT
	"$BPF_CLANG" -target bpf -O2 -g -DCORE -D__TARGET_ARCH_x86 -DTRACEE_VERSION='"test"' \
		-Wno-unused-function -Wno-address-of-packed-member \
		-I"$1" -I"$1/vmlinux/x86" -c "$1/tracee.bpf.c" -o "$2" 2>"$2.log" &&
		"$objdump" -d --no-show-raw-insn "$2" | sed 1,2d >"$2.dis"
}
build "$top_srcdir/bpf" "$TAP_TMP/tree.o"
ok $? "the tree's sources compile"
mkdir "$TAP_TMP/only" && cp -R "$src/." "$TAP_TMP/only/"
build "$TAP_TMP/only" "$TAP_TMP/inst.o"
rc=$?
ok $rc "the installed sources compile on their own"
[ $rc = 0 ] || diag "$(head -5 "$TAP_TMP/inst.o.log")"
cmp -s "$TAP_TMP/tree.o.dis" "$TAP_TMP/inst.o.dis"
ok $? "to the same instructions, section by section ($(grep -c '^Disassembly' "$TAP_TMP/tree.o.dis") sections)"

# A run-time build from sources missing a part: kbuild.sh names the part
# before it looks for headers or compilers.
victim=derive_mem.h
rm -f "$TAP_TMP/only/$victim"
out=$(sh "$TAP_TMP/only/kbuild.sh" --src "$TAP_TMP/only" --headers "$TAP_TMP/none" --version test \
	--outdir "$TAP_TMP" 2>&1)
rc=$?
is "$rc:$(echo "$out" | wc -l)" "1:1" "kbuild.sh refuses sources missing a part, in one line"
like "$out" "missing BPF sources: $TAP_TMP/only/$victim, a part of tracee.bpf.c \(reinstall" \
	"and names the part and the fix"

done_testing
