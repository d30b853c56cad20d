# select_lib.sh - shared by the object-selection tests (select_*.sh).
# A test that sets TL_HIDE_BTF=1 before sourcing it runs in a private mount
# namespace with /sys/kernel/btf hidden under a tmpfs (the script re-executes
# itself there first thing); KBTF is then a copy of the kernel's BTF.
# Root and real eBPF; each test gets:
#   TAP_TMP   private scratch dir (0700, removed on exit)
#   INST      an install path under TAP_TMP (not created)
#   CORE_OBJ  a root-owned copy of the CO-RE object built by `make`
#   RELEASE   uname -r
# and the installed package is kept out of the way: TRACEE_PKGLIBDIR points
# at an empty dir, TRACEE_BPF_FILE and TRACEE_BTF_FILE are unset.

. "$top_srcdir/tests/tap.sh"

if [ "${TL_HIDE_BTF:-0}" = 1 ] && [ -z "$TL_IN_NS" ]; then
	need_root
	command -v unshare >/dev/null 2>&1 || skip_all "unshare(1) is missing"
	TL_IN_NS=1 exec unshare -m /bin/sh "$0" "$@"
fi

need_root
[ -f "$top_builddir/dist/tracee.bpf.core.o" ] ||
	skip_all "no CO-RE object at $top_builddir/dist/tracee.bpf.core.o (run make)"
tap_tmpdir
# Copies under TAP_TMP (root's, 0700): the tree may belong to another user,
# and tracee rightly refuses objects and scripts root does not own.
CORE_OBJ=$TAP_TMP/tracee.bpf.core.o
cp "$top_builddir/dist/tracee.bpf.core.o" "$CORE_OBJ" && chmod 0644 "$CORE_OBJ" ||
	skip_all "cannot copy the CO-RE object"
mkdir -m 0755 "$TAP_TMP/bpfsrc" && cp -R "$top_srcdir/bpf/." "$TAP_TMP/bpfsrc/" &&
	chmod -R go-w "$TAP_TMP/bpfsrc" || skip_all "cannot copy the BPF sources"
# --probe exits 2 when it finds no object; here it must judge eBPF alone.
TRACEE_BPF_FILE=$CORE_OBJ
export TRACEE_BPF_FILE
need_bpf

unset TRACEE_BPF_FILE TRACEE_BTF_FILE
INST=$TAP_TMP/inst
TRACEE_PKGLIBDIR=$TAP_TMP/pkg
TRACEE_BPF_SRC_DIR=$TAP_TMP/bpfsrc
export TRACEE_PKGLIBDIR TRACEE_BPF_SRC_DIR
RELEASE=$(uname -r)
VERSION=${VERSION:-$("$TRACEE" --version | sed 's/^tracee //')}
tl_n=0

if [ -n "$TL_IN_NS" ]; then
	KBTF=$TAP_TMP/vmlinux.btf
	cp /sys/kernel/btf/vmlinux "$KBTF" && chmod 0644 "$KBTF" ||
		skip_all "cannot copy the kernel's BTF"
	mount --make-rprivate / || skip_all "cannot make / private in a new mount namespace"
	mount -t tmpfs -o size=1m,mode=0755 tmpfs /sys/kernel/btf ||
		skip_all "cannot mount a tmpfs over /sys/kernel/btf"
	[ ! -e /sys/kernel/btf/vmlinux ] || skip_all "/sys/kernel/btf/vmlinux still visible"
fi

# The architecture name tracee's objects carry (.tracee.meta arch=).
case $(uname -m) in
aarch64) HOST_ARCH=arm64 ;;
*) HOST_ARCH=$(uname -m) ;;
esac

# relabel IN OUT FLAVOUR RELEASE [VERSION [ARCH]]: a copy of IN whose
# .tracee.meta says FLAVOUR, RELEASE, VERSION (default: this tracee's) and
# ARCH (default: this machine's); the programs stay CO-RE, so it loads with
# BTF.
relabel() {
	printf 'flavour=%s\0release=%s\0version=%s\0arch=%s\0' "$3" "$4" "${5:-$VERSION}" \
		"${6-$HOST_ARCH}" >"$TAP_TMP/meta.bin"
	llvm-objcopy --update-section .tracee.meta="$TAP_TMP/meta.bin" "$1" "$2" &&
		chmod 0644 "$2"
}

# run_tracee WAIT_S [args...]: start tracee on openat with JSON output, wait
# until it is ready (pidfile) or gone, open a marker file, stop it with
# SIGINT.  Sets RC (exit status), ERR (stderr), OUT (the JSON file), MARKER,
# READY (1 when the pidfile appeared).
run_tracee() {
	tl_wait=$(($1 * 10))
	shift
	tl_n=$((tl_n + 1))
	MARKER=$TAP_TMP/marker.$tl_n.$$
	OUT=$TAP_TMP/out.$tl_n.json
	rm -f "$TAP_TMP/pid"
	"$TRACEE" --install-path "$INST" -e openat -o "json:$OUT" --pidfile "$TAP_TMP/pid" \
		"$@" 2>"$TAP_TMP/err" &
	tl_pid=$!
	tl_i=0
	READY=0
	while [ "$tl_i" -lt "$tl_wait" ] && kill -0 "$tl_pid" 2>/dev/null; do
		if [ -s "$TAP_TMP/pid" ]; then
			READY=1
			break
		fi
		sleep 0.1
		tl_i=$((tl_i + 1))
	done
	if [ "$READY" = 1 ]; then
		cat "$MARKER" 2>/dev/null
		sleep 0.3
	fi
	kill -INT "$tl_pid" 2>/dev/null
	wait "$tl_pid"
	RC=$?
	ERR=$(cat "$TAP_TMP/err")
}

# traced: the marker's openat reached the JSON output.
traced() {
	[ -f "$OUT" ] && grep -q "\"value\":\"$MARKER\"" "$OUT"
}

# chosen: the path in tracee's "eBPF object PATH (REASON)" line.
chosen() {
	printf '%s\n' "$ERR" | sed -n 's/^tracee: eBPF object \([^ ]*\) (.*/\1/p' | head -n 1
}

# bpf_prog_ids: ids of loaded programs named tr_*.
bpf_prog_ids() {
	bpftool -j prog show 2>/dev/null | tr '{' '\n' |
		sed -n 's/^"id":\([0-9]*\),.*"name":"tr_[a-z_]*".*/\1/p' | sort -n
}

# orphans BEFORE_FILE: tr_* programs loaded since BEFORE_FILE was taken that
# no process holds (pinned or leaked: a failed run must leave none).
orphans() {
	tl_try=0
	while :; do
		tl_left=
		for tl_id in $(bpf_prog_ids | comm -13 "$1" -); do
			grep -qs "^prog_id:[[:space:]]*$tl_id\$" /proc/[0-9]*/fdinfo/* ||
				tl_left="$tl_left $tl_id"
		done
		# a freed program lingers for an RCU grace period
		[ -z "$tl_left" ] || [ "$tl_try" -ge 20 ] && break
		tl_try=$((tl_try + 1))
		sleep 0.1
	done
	printf '%s' "$tl_left"
}
