#!/bin/sh
# check-kernels.sh - the qemu kernel matrix (TAP).
#
# For each kernel of tests/kernels/kernels.list (or TRACEE_KERNELS):
# fetch it (cached), build the kernel-specific object against its headers
# with `make bpf-kernel`, pack busybox + `make install` + the cases into an
# initramfs, boot it under qemu (TCG) and report the cases run inside
# (cases.sh).  The workload's events from each kernel are compared field by
# field with the host's.  Console logs and event streams are kept in
# $top_builddir/tests/kernels/out/<kernel>/; a summary table in
# $top_builddir/tests/kernels/out/matrix.md.
#
# Run by `make check` (skipped when qemu or every kernel is missing, a
# failure with TRACEE_TEST_STRICT=1) and by `make check-kernels` (strict).
#
# Environment: TRACEE_KERNELS (names from the list, or VMLINUZ:HEADERS
# pairs), TRACEE_KERNELS_LIST, TRACEE_KERNEL_CACHE, TRACEE_KERNELS_OFFLINE=1
# (never fetch), TRACEE_KERNEL_CASES (a subset of the cases in cases.sh),
# QEMU, TRACEE_QEMU_ACCEL, TRACEE_KERNEL_TIMEOUT (seconds per boot, default
# 300), CC, MAKE.

: "${top_srcdir:?run through make check or make check-kernels}"
: "${top_builddir:?run through make check or make check-kernels}"
. "$top_srcdir/tests/tap.sh"

here=$top_srcdir/tests/kernels
kb=$top_builddir/tests/kernels/out	# logs, objects, images; root/ next to it
make=${MAKE:-make}
list=${TRACEE_KERNELS_LIST:-$here/kernels.list}
timeout=${TRACEE_KERNEL_TIMEOUT:-300}
QEMU=${QEMU:-qemu-system-x86_64}
export QEMU

command -v "$QEMU" >/dev/null 2>&1 || skip_all "$QEMU not found (install qemu-system-x86)"
command -v busybox >/dev/null 2>&1 || [ -n "${BUSYBOX:-}" ] ||
	skip_all "busybox not found (install busybox-static)"
command -v cpio >/dev/null 2>&1 || skip_all "cpio not found (install cpio)"
[ -r "$list" ] || skip_all "no kernel list $list"
mkdir -p "$kb" || skip_all "cannot create $kb"

# ---------------------------------------------------------------------
# The kernels: NAME RELEASE VMLINUZ HEADERS per line in $kb/kernels.
# ---------------------------------------------------------------------
: > "$kb/kernels"
release_of_headers() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null
}
add_kernel() { # add_kernel NAME KIND ARGS...
	_name=$1 _kind=$2
	shift 2
	case "$_kind" in
	debian)
		_fetch=
		[ "${TRACEE_KERNELS_OFFLINE:-0}" = 1 ] && _fetch=--offline
		if [ $# -gt 1 ]; then
			_pkg=$1
			shift
			_env=$("$here/fetch-kernel.sh" $_fetch --suites "$*" "$_pkg" 2>"$kb/fetch-$_name.log")
		else
			_env=$("$here/fetch-kernel.sh" $_fetch "$1" 2>"$kb/fetch-$_name.log")
		fi
		if [ $? != 0 ] || [ ! -f "$_env" ]; then
			skip "$_name: kernel not available: $(tail -n 1 "$kb/fetch-$_name.log")"
			return
		fi
		(. "$_env" && printf '%s %s %s %s\n' "$_name" "$KERNEL_RELEASE" "$KERNEL_VMLINUZ" \
			"$KERNEL_HEADERS") >> "$kb/kernels"
		;;
	files)
		_rel=$(release_of_headers "$2")
		if [ ! -f "$1" ] || [ -z "$_rel" ]; then
			ok 1 "$_name: needs a kernel image ($1) and its headers build dir ($2, with include/generated/utsrelease.h)"
			return
		fi
		printf '%s %s %s %s\n' "$_name" "$_rel" "$1" "$2" >> "$kb/kernels"
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
cp "$kb/kernels" "$kb/objects"
if [ "$(wc -l < "$kb/kernels")" = 1 ]; then
	read -r _ rel0 _ < "$kb/kernels"
	for n in $(awk '$2 == "debian" && NF == 3 { print $3 }' "$list"); do
		e=$("$here/fetch-kernel.sh" --offline "$n" 2>/dev/null) || continue
		(. "$e" && [ "$KERNEL_RELEASE" != "$rel0" ] &&
			printf '%s %s %s %s\n' "$n" "$KERNEL_RELEASE" "$KERNEL_VMLINUZ" "$KERNEL_HEADERS") \
			>> "$kb/objects" && break
	done
fi
mkdir -p "$kb/obj"
while read -r name rel vmlinuz headers; do
	obj=$kb/obj/tracee.bpf.$rel.$version.o
	rm -f "$obj" "$top_builddir/dist/tracee.bpf.$rel.$version.o"
	"$make" -C "$top_builddir" bpf-kernel KERNEL_HEADERS="$headers" KERNEL_RELEASE="$rel" \
		</dev/null >"$kb/obj/$rel.log" 2>&1 &&
		mv "$top_builddir/dist/tracee.bpf.$rel.$version.o" "$obj" 2>>"$kb/obj/$rel.log"
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

nr_objects=$(wc -l < "$kb/objects")
i=0
while read -r name rel vmlinuz headers; do
	i=$((i + 1))
	dir=$kb/$name
	rm -rf "$dir"
	mkdir -p "$dir/data"
	kobj=$kb/obj/tracee.bpf.$rel.$version.o
	# The foreign object: the next kernel's (its release differs).
	frel=$(awk -v i="$i" -v n="$nr_objects" 'NR == (i % n) + 1 { print $2 }' "$kb/objects")
	fobj=$kb/obj/tracee.bpf.$frel.$version.o
	[ "$frel" != "$rel" ] && [ -f "$fobj" ] || { frel=; fobj=; }
	{
		printf "KT_TRACEE='%s'\n" "$tracee_in_root"
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
	set -- --add "$here/cases.sh=kt/cases.sh" --add "$here/kt-lib.sh=kt/kt-lib.sh" \
		--add "$dir/env=kt/env" --add "$workload=kt/tk-workload"
	[ ! -f "$kobj" ] || set -- "$@" --add "$kobj=kt/kobj/$(basename "$kobj")"
	[ -z "$fobj" ] || set -- "$@" --add "$fobj=kt/foreign/$(basename "$fobj")"
	if ! "$here/mkinitramfs.sh" -o "$dir/initrd.gz" --root "$root" "$@" \
		</dev/null >"$dir/initrd.log" 2>&1; then
		ok 1 "$name: initramfs"
		diag "$(cat "$dir/initrd.log")"
		continue
	fi
	"$here/run-kernel.sh" --kernel "$vmlinuz" --initrd "$dir/initrd.gz" --log "$dir/console.log" \
		--name "$name" --timeout "$timeout" --data-dir "$dir/data" </dev/null >"$dir/results"
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
