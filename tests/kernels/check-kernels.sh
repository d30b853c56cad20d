#!/bin/sh
# check-kernels.sh - the qemu kernel matrix (TAP).
#
# For each kernel of tests/kernels/kernels.list (or TRACEE_KERNELS):
# fetch it (cached), build the kernel-specific object against its headers
# with `make bpf-kernel`, pack busybox + `make install` + the cases into an
# initramfs, boot it under qemu (TCG) and report the cases run inside
# (cases.sh).  The workload's events from each kernel are compared field by
# field with the host's.
#
# arm64 kernels (an arch field in the list) boot under qemu-system-aarch64
# with a cross-built tracee: `make distdir` of this tree is configured with
# --host=aarch64-linux-gnu --with-sysroot=SYSROOT and built in
# $top_builddir/tests/kernels/out/arm64-build (again only when the sources
# changed), its kernel-specific objects come from that build's `make
# bpf-kernel`, and busybox-static:arm64 from fetch-kernel.sh.  They need
# aarch64-linux-gnu-gcc and qemu-system-aarch64 (skipped otherwise).  Console logs and event streams are kept in
# $top_builddir/tests/kernels/out/<kernel>/; a summary table in
# $top_builddir/tests/kernels/out/matrix.md.
#
# Run by `make check` (skipped when qemu or every kernel is missing, a
# failure with TRACEE_TEST_STRICT=1) and by `make check-kernels` (strict).
#
# Environment: TRACEE_KERNELS (names from the list, or VMLINUZ:HEADERS
# pairs), TRACEE_KERNELS_LIST, TRACEE_KERNEL_CACHE, TRACEE_KERNELS_OFFLINE=1
# (never fetch), TRACEE_KERNEL_CASES (a subset of the cases in cases.sh),
# QEMU, QEMU_AARCH64, TRACEE_QEMU_ACCEL, TRACEE_KERNEL_TIMEOUT (seconds per
# boot, default 300, 900 for arm64), TRACEE_SYSROOT_ARM64 (the arm64 sysroot, default
# $TRACEE_KERNEL_CACHE/sysroot-arm64, made by make-sysroot.sh when missing),
# CC, MAKE.

: "${top_srcdir:?run through make check or make check-kernels}"
: "${top_builddir:?run through make check or make check-kernels}"
. "$top_srcdir/tests/tap.sh"

here=$top_srcdir/tests/kernels
kb=$top_builddir/tests/kernels/out	# logs, objects, images; root/ next to it
make=${MAKE:-make}
list=${TRACEE_KERNELS_LIST:-$here/kernels.list}
# Seconds per boot.  arm64 is emulated instruction by instruction (TCG on an
# x86 host), several times slower: 6.12-arm64 ran its cases in 264 s on an
# idle machine and past 300 s on a loaded one.
timeout=${TRACEE_KERNEL_TIMEOUT:-300}
timeout_arm64=${TRACEE_KERNEL_TIMEOUT:-900}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_AARCH64=${QEMU_AARCH64:-qemu-system-aarch64}
XCC=aarch64-linux-gnu-gcc
export QEMU QEMU_AARCH64
cache=${TRACEE_KERNEL_CACHE:-/tmp/tracee-kernels}
sysroot=${TRACEE_SYSROOT_ARM64:-$cache/sysroot-arm64}

command -v cpio >/dev/null 2>&1 || skip_all "cpio not found (install cpio)"
[ -r "$list" ] || skip_all "no kernel list $list"
mkdir -p "$kb" || skip_all "cannot create $kb"

# ---------------------------------------------------------------------
# The kernels: NAME RELEASE VMLINUZ HEADERS ARCH BUSYBOX per line in
# $kb/kernels (BUSYBOX "-": the host's).
# ---------------------------------------------------------------------
: > "$kb/kernels"
# missing_tools ARCH: what this host lacks to boot an ARCH kernel, or nothing
missing_tools() {
	case "$1" in
	amd64)
		command -v "$QEMU" >/dev/null 2>&1 || echo "$QEMU not found (install qemu-system-x86)"
		command -v busybox >/dev/null 2>&1 || [ -n "${BUSYBOX:-}" ] ||
			echo "busybox not found (install busybox-static)"
		;;
	arm64)
		command -v "$QEMU_AARCH64" >/dev/null 2>&1 ||
			echo "$QEMU_AARCH64 not found (install qemu-system-arm)"
		command -v "$XCC" >/dev/null 2>&1 ||
			echo "$XCC not found (install gcc-aarch64-linux-gnu and libc6-dev-arm64-cross)"
		;;
	esac
}
release_of_headers() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null
}
add_kernel() { # add_kernel NAME KIND ARGS...
	_name=$1 _kind=$2
	shift 2
	_arch=amd64
	case "$_kind:$#:${2:-}:$1" in
	debian:2:amd64:*|debian:2:arm64:*) _arch=$2; set -- "$1" ;;
	debian:*:*:linux-image-*-arm64|debian:*:*:linux-image-*-arm64-unsigned) _arch=arm64 ;;
	esac
	_missing=$(missing_tools "$_arch")
	if [ -n "$_missing" ]; then
		skip "$_name: $(printf '%s\n' "$_missing" | head -n 1)"
		return
	fi
	case "$_kind" in
	debian)
		_fetch=
		[ "${TRACEE_KERNELS_OFFLINE:-0}" = 1 ] && _fetch=--offline
		if [ $# -gt 1 ]; then
			_pkg=$1
			shift
			_env=$("$here/fetch-kernel.sh" $_fetch --suites "$*" "$_pkg" 2>"$kb/fetch-$_name.log")
		else
			_env=$("$here/fetch-kernel.sh" $_fetch --arch "$_arch" "$1" 2>"$kb/fetch-$_name.log")
		fi
		if [ $? != 0 ] || [ ! -f "$_env" ]; then
			skip "$_name: kernel not available: $(tail -n 1 "$kb/fetch-$_name.log")"
			return
		fi
		(. "$_env" && printf '%s %s %s %s %s %s\n' "$_name" "$KERNEL_RELEASE" "$KERNEL_VMLINUZ" \
			"$KERNEL_HEADERS" "$_arch" "${KERNEL_BUSYBOX:--}") >> "$kb/kernels"
		;;
	files)
		_rel=$(release_of_headers "$2")
		if [ ! -f "$1" ] || [ -z "$_rel" ]; then
			ok 1 "$_name: needs a kernel image ($1) and its headers build dir ($2, with include/generated/utsrelease.h)"
			return
		fi
		printf '%s %s %s %s amd64 -\n' "$_name" "$_rel" "$1" "$2" >> "$kb/kernels"
		;;
	*)
		ok 1 "$_name: unknown kind '$_kind' in $list (use debian or files)"
		;;
	esac
}
if [ -n "${TRACEE_KERNELS:-}" ]; then
	for k in $TRACEE_KERNELS; do
		case "$k" in
		*:*) add_kernel "$(basename "${k%%:*}")" files "${k%%:*}" "${k#*:}" ;;
		*)
			line=$(awk -v n="$k" '$1 == n { $1 = $1; print; exit }' "$list")
			if [ -n "$line" ]; then
				# shellcheck disable=SC2086
				add_kernel $line
			else
				add_kernel "$k" debian "$k"
			fi
			;;
		esac
	done
else
	while read -r n kind args; do
		case "$n" in ''|'#'*) continue ;; esac
		# shellcheck disable=SC2086
		add_kernel "$n" "$kind" $args
	done < "$list"
fi
[ -s "$kb/kernels" ] || {
	[ "$tap_n" = 0 ] && skip_all "no kernel of the matrix is available (see $kb/fetch-*.log)"
	done_testing
}

# ---------------------------------------------------------------------
# What goes into every image: the install tree and the workload.
# ---------------------------------------------------------------------
root=$top_builddir/tests/kernels/root
rm -rf "$root"
"$make" -C "$top_builddir" install DESTDIR="$root" </dev/null >"$kb/install.log" 2>&1
ok $? "make install DESTDIR=$root"
tracee_in_root=$(cd "$root" 2>/dev/null && find . -path '*/sbin/tracee' -type f | head -n 1)
tracee_in_root=${tracee_in_root#.}
if [ -z "$tracee_in_root" ]; then
	diag "$(tail -n 20 "$kb/install.log")"
	ok 1 "the install tree holds sbin/tracee"
	done_testing
fi
version=$("$root$tracee_in_root" --version 2>/dev/null | awk '{ print $2 }')
: "${version:=${VERSION:-}}"

workload=$kb/tk-workload
${CC:-cc} -static -O2 -o "$workload" "$here/tk-workload.c" >"$kb/workload.log" 2>&1
r=$?
ok "$r" "tk-workload builds static (${CC:-cc} -static)"
[ "$r" = 0 ] || diag "$(cat "$kb/workload.log")"
[ -x "$workload" ] || done_testing

# ---------------------------------------------------------------------
# arm64: the cross-built tracee, its install tree and workload.
# ---------------------------------------------------------------------
xb=$kb/arm64-build
xroot=$kb/arm64-root
xworkload=$kb/arm64-tk-workload
xstate=none			# none (no arm64 kernel), pass or FAIL
# cross_build: $xb/build from a copy of this tree (`make distdir`: a VPATH
# build of a source dir configured in place is refused), reused while the
# sources, the sysroot and the compilers are the same.
cross_build() {
	rm -rf "$xb/src.new"
	"$make" -C "$top_builddir" distdir distdir="$xb/src.new" </dev/null >"$xb/distdir.log" 2>&1 ||
		{ cat "$xb/distdir.log"; return 1; }
	# The release tree ships the host's prebuilt CO-RE object with its
	# dist/bpf-arch.x86 stamp: the arm64 build must make its own (Makefile.am).
	_sum=$( (cd "$xb/src.new" && find . -type f | LC_ALL=C sort | xargs md5sum;
		cat "$sysroot/.tracee-sysroot"; "$XCC" --version | head -n 1;
		clang --version 2>/dev/null | head -n 1) | md5sum | cut -d' ' -f1)
	if [ -x "$xb/build/src/tracee" ] && [ "$(cat "$xb/stamp" 2>/dev/null)" = "$_sum" ]; then
		rm -rf "$xb/src.new"
		echo "cross build: sources unchanged since the last one, reused"
		return 0
	fi
	rm -rf "$xb/src" "$xb/build" "$xb/stamp"
	mv "$xb/src.new" "$xb/src" && mkdir -p "$xb/build" || return 1
	(cd "$xb/build" && ../src/configure --host=aarch64-linux-gnu --with-sysroot="$sysroot" &&
		"$make" -j2) </dev/null || return 1
	printf '%s\n' "$_sum" > "$xb/stamp"
}
if grep -q ' arm64 ' "$kb/kernels"; then
	mkdir -p "$xb"
	if [ ! -f "$sysroot/.tracee-sysroot" ] && [ "${TRACEE_KERNELS_OFFLINE:-0}" = 1 ]; then
		xstate=FAIL
		ok 1 "arm64: no sysroot $sysroot and TRACEE_KERNELS_OFFLINE=1 (run once with network access or set TRACEE_SYSROOT_ARM64)"
	else
		"$here/make-sysroot.sh" "$sysroot" </dev/null >"$xb/sysroot.log" 2>&1
		r=$?
		ok "$r" "arm64: sysroot $sysroot (make-sysroot.sh)"
		if [ "$r" = 0 ]; then
			xstate=pass
		else
			xstate=FAIL
			diag "$(tail -n 5 "$xb/sysroot.log")"
		fi
	fi
	if [ "$xstate" = pass ]; then
		start=$(date +%s)
		cross_build >"$xb/build.log" 2>&1
		r=$?
		ok "$r" "arm64: tracee cross-built in $xb/build ($(($(date +%s) - start))s; configure --host=aarch64-linux-gnu --with-sysroot=$sysroot)"
		[ "$r" = 0 ] || { xstate=FAIL; diag "$(tail -n 20 "$xb/build.log")"; }
	fi
	if [ "$xstate" = pass ]; then
		rm -rf "$xroot"
		"$make" -C "$xb/build" install DESTDIR="$xroot" </dev/null >"$xb/install.log" 2>&1
		r=$?
		ok "$r" "arm64: make install DESTDIR=$xroot"
		[ "$r" = 0 ] || { xstate=FAIL; diag "$(tail -n 20 "$xb/install.log")"; }
	fi
	if [ "$xstate" = pass ]; then
		"$XCC" -static -O2 -o "$xworkload" "$here/tk-workload.c" >"$xb/workload.log" 2>&1
		r=$?
		ok "$r" "arm64: tk-workload builds static ($XCC -static)"
		[ "$r" = 0 ] || { xstate=FAIL; diag "$(cat "$xb/workload.log")"; }
	fi
fi

# ---------------------------------------------------------------------
# The host's half of the event comparison.
# ---------------------------------------------------------------------
host=$kb/host
rm -rf "$host"
mkdir -p "$host/install"
core_obj=$top_builddir/dist/tracee.bpf.core.o
host_desc="host $(uname -r): workload traced with the CO-RE object (ring buffer and perf buffer)"
# kt_workload in its own shell: the workload's parent must be that shell ($$, S).
host_workload() { # host_workload OUT TAG TRACEE-ARGS...
	_o=$1 _t=$2
	shift 2
	env -u TRACEE_BPF_FILE -u TRACEE_BTF_FILE KT_TRACEE="$TRACEE" KT_TMP="$host" KT_OUT= \
		KT_LIB="$here/kt-lib.sh" sh -c '. "$KT_LIB"; kt_workload "$@"' \
		sh "$_t" "$workload" "$host/kw" --install-path "$host/install" \
		--build-policy never "$@" </dev/null >"$_o"
}
if [ "$(id -u)" != 0 ]; then
	host_state=skip
	skip "host event stream: tracing on the host needs root"
elif [ ! -x "${TRACEE:-}" ] || [ ! -f "$core_obj" ]; then
	host_state=skip
	skip "host event stream: no host tracee (TRACEE=${TRACEE:-}) or no $core_obj"
elif cp "$core_obj" "$host/install/" &&
	host_workload "$host/ringbuf.out" events-ringbuf &&
	host_workload "$host/perfbuf.out" events-perfbuf --perf-buffer; then
	host_state=pass
	ok 0 "$host_desc"
else
	host_state=FAIL
	ok 1 "$host_desc"
	grep -h '^#' "$host/ringbuf.out" "$host/perfbuf.out" 2>/dev/null
fi
for m in ringbuf perfbuf; do
	sed -n "s/^DATA events-$m //p" "$host/$m.out" > "$host/events-$m" 2>/dev/null
done
# The reference stream is the host's ring buffer one (one buffer, in
# order); the host's perf buffer stream must already match it.
if [ "$host_state" = pass ] && ! command -v python3 >/dev/null 2>&1; then
	skip "host: perf buffer = ring buffer: python3 not found (install python3)"
elif [ "$host_state" = pass ]; then
	python3 "$here/compare-events.py" --label-a "host ring buffer" --label-b "host perf buffer" \
		"$host/events-ringbuf" "$host/events-perfbuf" > "$host/events-perfbuf.compare" 2>&1
	r=$?
	ok "$r" "host: the perf buffer delivers the same events and arguments as the ring buffer ($(tail -n 1 "$host/events-perfbuf.compare" | cut -c1-80))"
	[ "$r" = 0 ] || diag "$(head -n 40 "$host/events-perfbuf.compare")"
fi

# ---------------------------------------------------------------------
# Per kernel: kernel-specific object, image, boot, results, comparison.
# ---------------------------------------------------------------------
# The foreign-object case needs an object built for another kernel: with a
# single kernel to boot, borrow the headers of one already in the cache.
# (Per architecture: an arm64 object is foreign to an amd64 kernel anyway.)
cp "$kb/kernels" "$kb/objects"
for a in amd64 arm64; do
	[ "$(awk -v a="$a" '$5 == a' "$kb/kernels" | wc -l)" = 1 ] || continue
	rel0=$(awk -v a="$a" '$5 == a { print $2 }' "$kb/kernels")
	for n in $(awk -v a="$a" '$2 == "debian" && (NF == 3 && a == "amd64" || NF == 4 && $4 == a) \
		{ print $3 }' "$list"); do
		e=$("$here/fetch-kernel.sh" --offline --arch "$a" "$n" 2>/dev/null) || continue
		(. "$e" && [ "$KERNEL_RELEASE" != "$rel0" ] &&
			printf '%s %s %s %s %s -\n' "$n$([ "$a" = amd64 ] || echo "-$a")" "$KERNEL_RELEASE" "$KERNEL_VMLINUZ" \
				"$KERNEL_HEADERS" "$a") >> "$kb/objects" && break
	done
done
mkdir -p "$kb/obj"
while read -r name rel vmlinuz headers arch _; do
	obj=$kb/obj/tracee.bpf.$rel.$version.o
	# arm64 objects come from the cross build (its BPF_ARCH, its version)
	bdir=$top_builddir
	if [ "$arch" = arm64 ]; then
		[ "$xstate" = pass ] || continue
		bdir=$xb/build
	fi
	rm -f "$obj" "$bdir/dist/tracee.bpf.$rel.$version.o"
	"$make" -C "$bdir" bpf-kernel KERNEL_HEADERS="$headers" KERNEL_RELEASE="$rel" \
		</dev/null >"$kb/obj/$rel.log" 2>&1 &&
		mv "$bdir/dist/tracee.bpf.$rel.$version.o" "$obj" 2>>"$kb/obj/$rel.log"
	r=$?
	ok "$r" "$name: make bpf-kernel KERNEL_HEADERS=$headers KERNEL_RELEASE=$rel"
	[ "$r" = 0 ] || diag "$(tail -n 15 "$kb/obj/$rel.log")"
done < "$kb/objects"

results_line() { # results_line NAME COLUMN-RESULT...
	printf '| %s |' "$1" >> "$kb/matrix.md.tmp"
	shift
	for c in "$@"; do printf ' %s |' "$c" >> "$kb/matrix.md.tmp"; done
	printf '\n' >> "$kb/matrix.md.tmp"
}
{
	printf '| kernel | CO-RE | kernel-specific | external BTF | no object: exit 2 | foreign object refused | events = host (ring buffer) | events = host (perf buffer) | events = host (kernel-specific) |\n'
	printf '|---|---|---|---|---|---|---|---|---|\n'
} > "$kb/matrix.md.tmp"
if [ ! -f "$host/events-perfbuf.compare" ]; then
	host_perf=-
elif grep -q 'fields identical' "$host/events-perfbuf.compare"; then
	host_perf=pass
else
	host_perf=FAIL
fi
results_line "host ($(uname -r))" "$host_state" - - - - reference "$host_perf" -

while read -r name rel vmlinuz headers arch bb; do
	dir=$kb/$name
	rm -rf "$dir"
	mkdir -p "$dir/data"
	kobj=$kb/obj/tracee.bpf.$rel.$version.o
	# The foreign object: the next kernel's of the same architecture (its
	# release differs).
	awk -v a="$arch" '$5 == a { print $2 }' "$kb/objects" > "$kb/objects.$arch"
	frel=$(awk -v r="$rel" '{ l[NR] = $1 } $1 == r { i = NR } END { if (i) print l[i % NR + 1] }' \
		"$kb/objects.$arch")
	fobj=$kb/obj/tracee.bpf.$frel.$version.o
	[ "$frel" != "$rel" ] && [ -f "$fobj" ] || { frel=; fobj=; }
	# What this architecture's image is made of.
	iroot=$root itracee=$tracee_in_root iwork=$workload
	set --
	if [ "$arch" = arm64 ]; then
		if [ "$xstate" != pass ]; then
			ok 1 "$name: no cross-built tracee for arm64 (see above)"
			continue
		fi
		iroot=$xroot iwork=$xworkload
		itracee=$(cd "$xroot" && find . -path '*/sbin/tracee' -type f | head -n 1)
		itracee=${itracee#.}
		set -- --busybox "$bb" --sysroot "$sysroot"
	fi
	{
		printf "KT_TRACEE='%s'\n" "$itracee"
		printf "KT_RELEASE='%s'\n" "$rel"
		if [ -f "$kobj" ]; then
			printf "KT_KOBJ='/kt/kobj/%s'\n" "$(basename "$kobj")"
		else
			printf "KT_KOBJ=''\n"
		fi
		if [ -n "$fobj" ]; then
			printf "KT_FOREIGN='/kt/foreign/%s'\n" "$(basename "$fobj")"
			printf "KT_FOREIGN_RELEASE='%s'\n" "$frel"
		else
			printf "KT_FOREIGN=''\n"
		fi
		[ -z "${TRACEE_KERNEL_CASES:-}" ] || printf "KT_CASES='%s'\n" "$TRACEE_KERNEL_CASES"
	} > "$dir/env"
	set -- "$@" --add "$here/cases.sh=kt/cases.sh" --add "$here/kt-lib.sh=kt/kt-lib.sh" \
		--add "$dir/env=kt/env" --add "$iwork=kt/tk-workload"
	[ ! -f "$kobj" ] || set -- "$@" --add "$kobj=kt/kobj/$(basename "$kobj")"
	[ -z "$fobj" ] || set -- "$@" --add "$fobj=kt/foreign/$(basename "$fobj")"
	if ! "$here/mkinitramfs.sh" -o "$dir/initrd.gz" --root "$iroot" "$@" \
		</dev/null >"$dir/initrd.log" 2>&1; then
		ok 1 "$name: initramfs"
		diag "$(cat "$dir/initrd.log")"
		continue
	fi
	"$here/run-kernel.sh" --arch "$arch" --kernel "$vmlinuz" --initrd "$dir/initrd.gz" --log "$dir/console.log" \
		--name "$name" --timeout "$(if [ "$arch" = arm64 ]; then echo "$timeout_arm64"; else echo "$timeout"; fi)" \
		--data-dir "$dir/data" </dev/null >"$dir/results"
	while IFS= read -r l; do
		case "$l" in
		'ok '*'# SKIP '*) d=${l#ok }; skip "${d%%# SKIP *}${d#*# SKIP }" ;;
		'ok '*) ok 0 "${l#ok }" ;;
		'not ok '*) ok 1 "${l#not ok }" ;;
		'#'*) printf '%s\n' "$l" ;;
		esac
	done < "$dir/results"

	# The workload's events against the host's, field by field.
	for tag in events-ringbuf events-perfbuf events-kernel; do
		hf=$host/events-ringbuf
		# No stream: the case did not run, or failed and said so.
		[ -s "$dir/data/$tag" ] || continue
		if [ "$host_state" != pass ]; then
			skip "$name: $tag = host: no host event stream"
			continue
		fi
		if ! command -v python3 >/dev/null 2>&1; then
			skip "$name: $tag = host: python3 not found (install python3)"
			continue
		fi
		python3 "$here/compare-events.py" --label-a "host" --label-b "$name" \
			"$hf" "$dir/data/$tag" > "$dir/$tag.compare" 2>&1
		r=$?
		ok "$r" "$name: $tag: same events and arguments as on the host ($(tail -n 1 "$dir/$tag.compare" | cut -c1-80))"
		[ "$r" = 0 ] || diag "$(head -n 40 "$dir/$tag.compare")"
	done

	# One row of the matrix table.
	col() { # col PATTERN...: pass/FAIL/- from this kernel's results
		_c=-
		for _p in "$@"; do
			if grep -q "^not ok $name: $_p" "$dir/results"; then _c=FAIL; break; fi
			if grep -q "^ok $name: $_p.*# SKIP" "$dir/results"; then _c=skip
			elif grep -q "^ok $name: $_p" "$dir/results"; then _c=pass; fi
		done
		printf '%s' "$_c"
	}
	cmp_col() {
		[ -f "$dir/$1.compare" ] || { printf -- -; return; }
		grep -q 'fields identical' "$dir/$1.compare" && printf pass || printf FAIL
	}
	results_line "$name ($rel)" "$(col core-btf)" "$(col kernel-object)" "$(col external-btf)" \
		"$(col no-object)" "$(col foreign-object)" "$(cmp_col events-ringbuf)" \
		"$(cmp_col events-perfbuf)" "$(cmp_col events-kernel)"
done < "$kb/kernels"
mv "$kb/matrix.md.tmp" "$kb/matrix.md"
diag "matrix ($kb/matrix.md):"
diag "$(cat "$kb/matrix.md")"
done_testing
