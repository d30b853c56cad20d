#!/bin/sh
# run-kernel.sh - boot one kernel with the matrix initramfs under qemu (TCG,
# no KVM needed) and turn its console protocol into results.
#
#   run-kernel.sh --kernel VMLINUZ --initrd INITRD --log LOG [--name NAME]
#                 [--timeout SECONDS] [--data-dir DIR] [--append ARGS]
#                 [--arch amd64|arm64]
#
# amd64 kernels boot on qemu-system-x86_64's pc machine (console ttyS0),
# arm64 ones on qemu-system-aarch64's virt machine (console ttyAMA0, the
# gzip'd Debian vmlinuz is loaded as is).
#
# The whole console is kept in LOG.  Lines "@@KT ok DESC", "@@KT not ok
# DESC" and "@@KT # TEXT" become "ok NAME: DESC", "not ok NAME: DESC" and
# "# TEXT" on stdout (check-kernels.sh numbers them into TAP); lines
# "@@KT DATA TAG TEXT" are appended to DIR/TAG (event streams for the
# comparison with the host).  A VM that does not reach "@@KT END" in time
# is one failure with the end of the console as diagnostics.
#
# Environment: QEMU (default qemu-system-x86_64; QEMU_AARCH64, default
# qemu-system-aarch64, for arm64), TRACEE_QEMU_ACCEL (default
# "tcg,thread=single": multi-threaded TCG lets a vCPU run kernel text another
# vCPU is patching, and 6.12 then dies with "Oops: int3" at boot about one
# time in four; single-threaded TCG is as fast here.  "kvm" where /dev/kvm
# works), TRACEE_QEMU_MEM (default 1G).

set -eu

prog=run-kernel.sh
die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }

kernel=
initrd=
log=
name=
timeout=180
datadir=
append=
arch=amd64
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) shift; kernel=$1 ;;
	--initrd) shift; initrd=$1 ;;
	--log) shift; log=$1 ;;
	--name) shift; name=$1 ;;
	--timeout) shift; timeout=$1 ;;
	--data-dir) shift; datadir=$1 ;;
	--append) shift; append=$1 ;;
	--arch) shift; arch=$1 ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
[ -f "$kernel" ] || die "no kernel image '$kernel' (--kernel VMLINUZ)"
[ -f "$initrd" ] || die "no initramfs '$initrd' (--initrd FILE)"
[ -n "$log" ] || die "no console log file (--log FILE)"
: "${name:=$(basename "$kernel")}"
case "$arch" in
amd64)
	qemu=${QEMU:-qemu-system-x86_64} pkg=qemu-system-x86
	machine=pc console=ttyS0 ;;
arm64)
	# virt: PL011 serial and a GIC, all built into Debian's arm64 kernel
	qemu=${QEMU_AARCH64:-qemu-system-aarch64} pkg=qemu-system-arm
	machine=virt console=ttyAMA0 ;;
*) die "--arch $arch: use amd64 or arm64" ;;
esac
command -v "$qemu" >/dev/null || die "$qemu not found (install $pkg)"
command -v timeout >/dev/null || die "timeout not found (install coreutils)"
accel=${TRACEE_QEMU_ACCEL:-tcg,thread=single}
cpu=max
case "$accel" in kvm*) cpu=host ;; esac
# /dev/kvm of this (x86) host cannot run an arm64 guest
case "$arch:$accel" in arm64:kvm*) accel=tcg,thread=single cpu=max ;; esac

mkdir -p "$(dirname "$log")"
[ -z "$datadir" ] || mkdir -p "$datadir"

# -nodefaults: no VGA, NIC or disks to probe; the first serial port is the
# console and the only channel out.
start=$(date +%s)
rc=0
timeout --kill-after=10 "$timeout" "$qemu" \
	-machine "$machine" -accel "$accel" -cpu "$cpu" -m "${TRACEE_QEMU_MEM:-1G}" -smp 2 \
	-nodefaults -no-user-config -display none -serial stdio -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=$console panic=-1 quiet loglevel=4 $append" \
	</dev/null >"$log" 2>&1 || rc=$?
elapsed=$(($(date +%s) - start))

# The protocol lines, without the serial line's carriage returns.
proto=$(tr -d '\r' < "$log" | sed -n 's/^.*@@KT //p')

fail_boot() {
	printf 'not ok %s: %s\n' "$name" "$1"
	printf '# last console lines (%s):\n' "$log"
	tr -d '\r' < "$log" | tail -n 25 | sed 's/^/#   /'
	exit 1
}
case "$proto" in
BEGIN*) ;;
*)
	[ "$rc" != 124 ] || fail_boot "the VM did not start the tests within ${timeout}s"
	fail_boot "the VM did not start the tests (qemu exit $rc)"
	;;
esac

printf '# %s: %s booted, ran for %ss (console: %s)\n' \
	"$name" "$(printf '%s\n' "$proto" | sed -n '1s/^BEGIN //p')" "$elapsed" "$log"
# The results so far, even from a VM that did not finish: they show which
# case it was in.
printf '%s\n' "$proto" | {
	failed=0
	nr=0
	while IFS= read -r l; do
		case "$l" in
		'ok '*) nr=$((nr + 1)); printf 'ok %s: %s\n' "$name" "${l#ok }" ;;
		'not ok '*) nr=$((nr + 1)); failed=1; printf 'not ok %s: %s\n' "$name" "${l#not ok }" ;;
		'#'*) printf '%s\n' "$l" ;;
		'DATA '*)
			[ -n "$datadir" ] || continue
			rest=${l#DATA }
			tag=${rest%% *}
			case "$tag" in
			*/*|.*|'') printf 'not ok %s: bad data tag "%s"\n' "$name" "$tag"; failed=1; continue ;;
			esac
			printf '%s\n' "${rest#"$tag"}" | sed 's/^ //' >> "$datadir/$tag"
			;;
		esac
	done
	[ "$nr" -gt 0 ] || { printf 'not ok %s: the VM reported no results\n' "$name"; failed=1; }
	exit "$failed"
}
failed=$?
printf '%s\n' "$proto" | grep -qx 'END' || {
	[ "$rc" != 124 ] || fail_boot "the VM did not finish within ${timeout}s"
	fail_boot "the VM stopped before finishing the tests (qemu exit $rc)"
}
exit "$failed"
