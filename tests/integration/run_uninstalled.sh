#!/bin/sh
# run_uninstalled.sh (root, real eBPF) - README's first command ends with
# ./src/tracee: the binary make built finds its tree's lua/ and dist/ with
# no environment, traces with the default policy (a finding in the table)
# and stops cleanly on SIGINT.  A copy of the binary anywhere else is an
# installed tracee: it never looks at the build tree.
. "$top_srcdir/tests/tap.sh"
need_root
need_bpf
command -v strace >/dev/null 2>&1 || skip_all "strace is needed to see which files a copy opens"
tap_tmpdir
# Not $TRACEE: memcheck points that at a valgrind wrapper; this is about the
# file make built.
BIN=$top_builddir/src/tracee
unset TRACEE_LUA_DIR TRACEE_PKGLIBDIR TRACEE_BPF_SRC_DIR TRACEE_BPF_FILE TRACEE_BTF_FILE
SRC=$(cd "$top_srcdir" && pwd -P)
BLD=$(cd "$top_builddir" && pwd -P)

"$BIN" --install-path "$TAP_TMP/inst" --pidfile "$TAP_TMP/pid" >"$TAP_TMP/out" 2>"$TAP_TMP/err" &
tpid=$!
i=0
while [ ! -s "$TAP_TMP/pid" ] && kill -0 "$tpid" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ -s "$TAP_TMP/pid" ]
ok $? "src/tracee with no environment starts and attaches"
# TRC-109 aslr_inspection: a read of the ASLR setting
cat /proc/sys/kernel/randomize_va_space >/dev/null
sleep 1
kill -INT "$tpid"
wait "$tpid"
is "$?" 0 "it stops cleanly on SIGINT"
like "$(head -n 1 "$TAP_TMP/out")" '^TIME +UID +COMM +PID' "findings are printed as a table"
like "$(cat "$TAP_TMP/out")" "cat .* aslr_inspection .*TRC-109" "the default policy's finding is there"
like "$(cat "$TAP_TMP/err")" "eBPF object $BLD/dist/tracee.bpf.core.o" "the object comes from the build tree"
like "$(cat "$TAP_TMP/err")" "lua: scripts [0-9]+, signatures [0-9]+" "the built-in signatures ran"

# An explicit environment wins over the tree.
mkdir "$TAP_TMP/nolua"
TRACEE_LUA_DIR=$TAP_TMP/nolua "$BIN" --list-signatures >/dev/null 2>"$TAP_TMP/err"
like "$(cat "$TAP_TMP/err")" "built-in signatures not found in $TAP_TMP/nolua/signatures" \
	"TRACEE_LUA_DIR still takes precedence"

# A copy elsewhere is an installed tracee: nothing of the tree is opened.
mkdir "$TAP_TMP/bin" && cp "$BIN" "$TAP_TMP/bin/tracee"
strace -f -e trace=%file -o "$TAP_TMP/trace" "$TAP_TMP/bin/tracee" --list-signatures \
	>/dev/null 2>&1
[ -s "$TAP_TMP/trace" ]
ok $? "the copy ran under strace"
grep -E "\"($SRC|$BLD)/(lua|dist|bpf)" "$TAP_TMP/trace" >"$TAP_TMP/hits"
[ ! -s "$TAP_TMP/hits" ]
ok $? "a copy of the binary outside the build tree never opens the tree's files"
[ -s "$TAP_TMP/hits" ] && diag "$(head -n 5 "$TAP_TMP/hits")"
done_testing
