#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# gen-syscall-arm64.sh - print arm64's syscall numbers mapped onto tracee's
# event ids, for src/events/syscalls-arm64.def.  A maintainer tool like
# gen-syscall-table.sh: run it when a kernel adds syscalls, review the diff,
# commit the result.  The build never runs it.
#
#   src/events/gen-syscall-arm64.sh SOURCE_DIR [EVENTS_DEF] > src/events/syscalls-arm64.def
#
# SOURCE_DIR is a kernel source tree or Debian's linux-headers-R-common
# (either architecture's: it carries arch/arm64/include/uapi and
# include/uapi/asm-generic/unistd.h, arm64's table up to 6.10).
# EVENTS_DEF defaults to src/events/events-syscalls.def next to this script.
#
# Event ids are Tracee's, which are x86_64's syscall numbers: an arm64
# syscall takes the id of the x86_64 syscall of the same name, so filters,
# rules and parsers see the same id and name on both architectures (arm64's
# 64-bit generic names, fstat and newfstatat included, are x86_64's too).
# An arm64 syscall with no x86_64 row is an error: give it a row first.
# Syscalls newer than the headers given: from 424 (Linux 5.1) on, every
# architecture numbers new syscalls alike, so the events table's rows from
# 424 up that the headers lack are arm64's under the same number.
set -eu

prog=gen-syscall-arm64

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $prog SOURCE_DIR [EVENTS_DEF] (see the comment at the top)"
src=${1%/}
def=${2:-$(dirname "$0")/events-syscalls.def}
generic=$src/include/uapi/asm-generic/unistd.h
archhdr=$src/arch/arm64/include/uapi/asm/unistd.h
[ -f "$generic" ] || die "$generic not found (give a kernel source dir or a linux-headers-R-common dir)"
[ -f "$archhdr" ] || die "$archhdr not found (give a kernel source dir or a linux-headers-R-common dir)"
[ -f "$def" ] || die "$def not found (pass src/events/events-syscalls.def)"
cpp=${CPP:-cpp}
command -v "$cpp" >/dev/null || die "no C preprocessor '$cpp' (install cpp or set CPP)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/$prog.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# 1. The __NR_ macros arm64's uapi header defines for a 64-bit task, as the
# kernel's own build sees them (its __ARCH_WANT_* choices included).
"$cpp" -dM -nostdinc -D__aarch64__ -I"$src/arch/arm64/include/uapi" -I"$src/include/uapi" \
	-include "$archhdr" /dev/null > "$tmp/macros" 2>"$tmp/cpp.err" ||
	{ cat "$tmp/cpp.err" >&2; die "$cpp could not read $archhdr"; }
sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' "$tmp/macros" |
	grep -v -e '^syscalls$' -e '^arch_specific_syscall$' | sort -u > "$tmp/names"
[ -s "$tmp/names" ] || die "no __NR_ macros in $archhdr"

# 2. Their values: the preprocessor expands the aliases (__NR_fstat is
# __NR3264_fstat), the shell does the arithmetic.
{
	printf '#include "%s"\n' "$archhdr"
	while read -r n; do printf 'TRNR %s __NR_%s\n' "$n" "$n"; done < "$tmp/names"
} > "$tmp/values.c"
"$cpp" -P -nostdinc -D__aarch64__ -I"$src/arch/arm64/include/uapi" -I"$src/include/uapi" \
	"$tmp/values.c" 2>"$tmp/cpp.err" | sed -n 's/^TRNR //p' > "$tmp/values" ||
	{ cat "$tmp/cpp.err" >&2; die "$cpp could not expand the __NR_ macros"; }
: > "$tmp/numbers"
while read -r n v; do
	nr=$(( $v )) 2>/dev/null || die "__NR_$n: cannot evaluate '$v'"
	printf '%s %s\n' "$nr" "$n" >> "$tmp/numbers"
done < "$tmp/values"

# 3. x86_64's event ids by name, from the events table.
sed -n 's/^TR_EVENT(\([0-9]*\), \([a-z0-9_]*\),.*/\2 \1/p' "$def" | sort -k1,1 > "$tmp/ids"
[ -s "$tmp/ids" ] || die "$def has no TR_EVENT rows"

# 4. Join: arm64 number, event id, name.
sort -n "$tmp/numbers" | while read -r nr n; do
	id=$(awk -v n="$n" '$1 == n { print $2; exit }' "$tmp/ids")
	[ -n "$id" ] || die "arm64 syscall $nr ($n) has no x86_64 row in $def: add one first"
	printf '%s %s %s\n' "$nr" "$id" "$n"
done > "$tmp/rows"
# 5. The unified numbers the headers are too old to hold.
last=$(tail -n 1 "$tmp/rows" | cut -d' ' -f1)
sort -k2,2n "$tmp/ids" | while read -r n id; do
	# event ids below TR_MAX_SYSCALL (bpf/tracee_abi.h) are syscalls
	[ "$id" -gt "$last" ] && [ "$id" -ge 424 ] && [ "$id" -lt 512 ] || continue
	printf '%s %s %s\n' "$id" "$id" "$n"
done >> "$tmp/rows"
newest=$(tail -n 1 "$tmp/rows" | cut -d' ' -f1)

release=$(basename "$src")
cat <<EOF
/*
 * syscalls-arm64.def - arm64's syscall numbers and the event ids (Tracee's,
 * x86_64's numbers) they map onto.  GENERATED: do not edit by hand.
 *
 *   src/events/gen-syscall-arm64.sh SOURCE_DIR > src/events/syscalls-arm64.def
 *
 * from $release:
 *   arch/arm64/include/uapi/asm/unistd.h, include/uapi/asm-generic/unistd.h
 * up to $last; $(( last + 1 ))..$newest from the events table (from 424 on,
 * every architecture numbers new syscalls alike).
 * TR_SYSCALL_ARM64(arm64 number, event id, name)
 */

EOF
while read -r nr id n; do
	printf 'TR_SYSCALL_ARM64(%s, %s, %s)\n' "$nr" "$id" "$n"
done < "$tmp/rows"
