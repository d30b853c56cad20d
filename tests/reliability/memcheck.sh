#!/bin/sh
# memcheck.sh - the integration tests with every tracee run under valgrind
# memcheck: no errors, no definite leaks.  `make memcheck` runs it from the
# build tree (root, real eBPF), or by hand:
#   top_srcdir=SRC top_builddir=BUILD TRACEE=BUILD/src/tracee \
#       sh tests/reliability/memcheck.sh [TEST.sh...]
# TRACEE is replaced by a wrapper that execs valgrind on it (same pid, so
# the tests' signals, /proc and fdinfo checks see the traced program).
# False positives of valgrind around bpf() are suppressed, each with its
# reason, in valgrind.supp.  Prints TAP: one point per test script and one
# per valgrind'ed run.

: "${top_srcdir:?run from make memcheck or set top_srcdir}"
: "${top_builddir:?set top_builddir}"
REAL=${TRACEE:-$top_builddir/src/tracee}
command -v valgrind >/dev/null 2>&1 || {
	if [ "${TRACEE_TEST_STRICT:-0}" = 1 ]; then echo "1..1"; echo "not ok 1 - valgrind is missing"; exit 1; fi
	echo "1..0 # SKIP valgrind is missing"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }

MC=$(mktemp -d /tmp/tracee-memcheck.XXXXXX)
trap 'rm -rf "$MC"' EXIT
chmod 0755 "$MC"
mkdir -m 0777 "$MC/logs"
cat >"$MC/tracee" <<SH
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
	--show-leak-kinds=definite --suppressions="$top_srcdir/tests/reliability/valgrind.supp" \\
	--log-file="$MC/logs/vg.%p.log" "$REAL" "\$@"
SH
chmod 0755 "$MC/tracee"

if [ $# -eq 0 ]; then
	set -- $(ls "$top_srcdir"/tests/integration/rel_*.sh | grep -v rel_lib.sh)
fi
n=0
failed=0
for t in "$@"; do
	case $t in /*) ;; *) t=$top_srcdir/$t ;; esac
	name=$(basename "$t")
	# valgrind's own memory is no tracee's: the flood test's bound is lifted;
	# and its speed is no tracee's: the drain test's stop bound too.
	TRACEE=$MC/tracee REL_WAIT_S=60 REL_MAX_HWM_KB=4194304 REL_DRAIN_MS=120000 top_srcdir=$top_srcdir top_builddir=$top_builddir \
		sh "$t" >"$MC/$name.tap" 2>"$MC/$name.err"
	rc=$?
	n=$((n + 1))
	nok=$(grep -c '^not ok' "$MC/$name.tap")
	if [ "$rc" -eq 0 ] && [ "$nok" -eq 0 ] && grep -q '^1\.\.[0-9]' "$MC/$name.tap"; then
		echo "ok $n - $name passes with tracee under valgrind ($(grep -c '^ok' "$MC/$name.tap") points)"
	else
		echo "not ok $n - $name under valgrind (exit $rc, $nok failed)"
		grep '^not ok\|^1\.\.0' "$MC/$name.tap" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
# Runs that died before valgrind wrote anything leave empty logs: fine.
# Under -q valgrind writes its own notes as "--PID-- ..." and every error
# or leak it reports as a "==PID== Heading" line (details indented below
# it): any such heading fails, whatever its kind ("points to unaddressable
# byte(s)", "Mismatched free", ...), not only the kinds one thought of.
# Its "Warning:" lines (e.g. a large mmap) are notes, not errors.
vg_errors() {
	grep '^==[0-9]*== [^ ]' "$1" | grep -v '^==[0-9]*== Warning: '
}
for log in "$MC"/logs/vg.*.log; do
	[ -s "$log" ] || continue
	n=$((n + 1))
	if vg_errors "$log" >/dev/null; then
		echo "not ok $n - valgrind run $(basename "$log"): errors or definite leaks"
		grep -v '^--[0-9]*--' "$log" | sed 's/^/#   /' | head -n 60
		failed=$((failed + 1))
	else
		echo "ok $n - valgrind run $(basename "$log") is clean"
	fi
done
runs=$(ls "$MC"/logs | wc -l)
echo "# $runs tracee runs under valgrind"
echo "1..$n"
[ "$failed" -eq 0 ]
