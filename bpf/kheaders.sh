#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kheaders.sh DIR - find a kernel's build and source header trees.
#
# DIR may be a build dir (Debian's linux-headers-R, "...-amd64"), its source
# dir (Debian's "...-common"), a single full tree, /lib/modules/R or
# /lib/modules/R/build.  Prints shell assignments for eval:
#   KH_BUILD='...'    generated headers (include/generated, arch/*/include/generated)
#   KH_SOURCE='...'   the rest (include/linux, arch/*/include)
#   KH_RELEASE='...'  the release the headers belong to (what uname -r prints)
# Exits non-zero with one line on stderr when DIR is not a headers tree.
#
# Used by configure (m4/tr_bpf.m4) and by bpf/kbuild.sh.

me=kheaders.sh

die() {
	echo "$me: $*" >&2
	exit 1
}

# quote for eval: 'x' with embedded ' as '\''
q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

is_build() {
	test -f "$1/include/generated/utsrelease.h" || test -f "$1/include/config/kernel.release"
}

is_source() {
	test -f "$1/include/linux/kconfig.h" && test -d "$1/arch"
}

# The release a build dir was made for.  utsrelease.h first: it holds
# UTS_RELEASE, which is what uname -r prints.  Debian's
# include/config/kernel.release holds the upstream version instead
# ("6.1.192" for 6.1.0-56-amd64), so it only serves as a fallback.
release_of() {
	r=
	if test -f "$1/include/generated/utsrelease.h"; then
		r=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$1/include/generated/utsrelease.h")
	fi
	if test -z "$r" && test -f "$1/include/config/kernel.release"; then
		r=$(head -n 1 "$1/include/config/kernel.release")
	fi
	printf '%s' "$r"
}

# A path named by a build dir, taken as is when it exists, else looked for
# next to the build dir (trees unpacked somewhere else than /usr/src, as
# dpkg -x does).
relocate() {
	named=$1
	base=$2
	if is_source "$named"; then
		printf '%s' "$named"
	elif is_source "$(dirname "$base")/$(basename "$named")"; then
		printf '%s' "$(dirname "$base")/$(basename "$named")"
	fi
}

# The source dir of a split build dir: /lib/modules/R/source, or what its
# Makefile names (Debian: "include /usr/src/linux-headers-R-common/Makefile",
# older: "MAKEARGS := -C /usr/src/... O=...").
source_of() {
	b=$1
	if test -d "$b/source" && is_source "$b/source"; then
		(cd "$b/source" && pwd -P)
		return
	fi
	if test -f "$b/Makefile"; then
		for named in $(sed -n \
			-e 's|^[[:space:]]*include[[:space:]]\{1,\}\(/[^[:space:]]*\)/Makefile.*|\1|p' \
			-e 's|.*-C[[:space:]]\{1,\}\(/[^[:space:]]*\).*|\1|p' "$b/Makefile"); do
			s=$(relocate "$named" "$b")
			if test -n "$s"; then
				(cd "$s" && pwd -P)
				return
			fi
		done
	fi
	mods=$(dirname "$b")
	if test -d "$mods/source" && is_source "$mods/source"; then
		(cd "$mods/source" && pwd -P)
	fi
}

# The build dir of a source dir: a sibling whose Makefile names it.
build_of() {
	s=$1
	sname=$(basename "$s")
	for b in "$(dirname "$s")"/*; do
		test -d "$b" && test "$b" != "$s" && is_build "$b" || continue
		if test -f "$b/Makefile" && grep -q "/$sname[/[:space:]]" "$b/Makefile"; then
			(cd "$b" && pwd -P)
			return
		fi
	done
}

test $# -eq 1 || die "usage: kheaders.sh DIR"
dir=$1
test -d "$dir" || die "$dir: no such directory (install the kernel's linux-headers package, or pass its headers directory)"
dir=$(cd "$dir" && pwd -P) || die "$dir: cannot enter"

# /lib/modules/R
if ! is_build "$dir" && ! is_source "$dir"; then
	if test -d "$dir/build"; then
		dir=$(cd "$dir/build" && pwd -P)
	elif test -L "$dir/build"; then
		die "$dir/build: dangling link to $(readlink "$dir/build") (install linux-headers-$(basename "$dir"), or pass the headers directory)"
	fi
fi

if is_build "$dir"; then
	build=$dir
	if is_source "$dir"; then
		src=$dir	# one full tree
	else
		src=$(source_of "$dir")
		test -n "$src" || die "$dir: kernel build headers without their source headers (install the matching linux-headers-*-common, or pass the full tree)"
	fi
elif is_source "$dir"; then
	src=$dir
	build=$(build_of "$dir")
	test -n "$build" || die "$dir: kernel source headers without the generated build headers next to them (pass the build dir, e.g. linux-headers-R-amd64)"
else
	die "$dir: not a kernel headers tree (no include/generated/utsrelease.h or include/linux/kconfig.h)"
fi

release=$(release_of "$build")
test -n "$release" || die "$build: cannot tell the kernel release (no include/generated/utsrelease.h)"
test -f "$build/include/generated/autoconf.h" || die "$build: no include/generated/autoconf.h (headers not prepared: install linux-headers-$release)"

echo "KH_BUILD=$(q "$build")"
echo "KH_SOURCE=$(q "$src")"
echo "KH_RELEASE=$(q "$release")"
