#!/bin/sh
# rel_outpath.sh - output files and the pidfile are written only through
# directories root or the caller own: a user who owns a directory on the
# way (or one a symlink passes through) could rename things in it and send
# root's output onto another of root's files.  Each hostile case is built
# before tracee starts (no race needed); the legitimate ones (own
# directories, a sticky /tmp-like one, relative paths, a user writing in
# their own directory) still work.  tracee analyze opens outputs as a live
# run does (output_new) without loading eBPF; the pidfile is a live run's.

. "$top_srcdir/tests/tap.sh"

need_root
tap_tmpdir
chmod 0755 "$TAP_TMP"
NOBODY=$TAP_TMP/nobody		# a user's directory: 0755, owned by nobody
ROOTDIR=$TAP_TMP/rootdir	# where the user wants root's output to land
SHARED=$TAP_TMP/shared		# a /tmp-like directory: sticky, world-writable
mkdir -m 0755 "$NOBODY" "$ROOTDIR" "$TAP_TMP/mine"
mkdir -m 1777 "$SHARED"
chown 65534:65534 "$NOBODY"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# The swap, prepared: the user's directory holds a link to root's.
as_nobody ln -s "$ROOTDIR" "$NOBODY/sub"

analyze_to() { # FILE [DIR]: tracee analyze writing json to FILE, run in DIR
	(cd "${2:-$TAP_TMP}" && "$TRACEE" analyze -o "json:$1" /dev/null 2>"$TAP_TMP/err" >/dev/null)
	RC=$?
	ERR=$(grep -v '^lua:' "$TAP_TMP/err")
}

refused() { # DESCRIPTION FILE [DIR]
	analyze_to "$2" "$3"
	is "$RC" 1 "$1: refused, exit 1"
	like "$ERR" "directory $NOBODY is owned by uid 65534, neither root nor uid 0" \
		"$1: the one line names the directory and its owner"
	is "$(printf '%s\n' "$ERR" | wc -l)" 1 "$1: one line"
	diag "$ERR"
}

refused "a link in a user's directory" "$NOBODY/sub/out.json"
refused "a file in a user's directory" "$NOBODY/out.json"
refused "a relative path in a user's directory" "out.json" "$NOBODY"
# A link of root's, in a sticky directory, whose target passes through the
# user's directory: the target is walked and checked, not handed to the kernel.
ln -s "$NOBODY/sub" "$SHARED/via"
refused "a link whose target passes through a user's directory" "$SHARED/via/out.json"
is "$(ls -A "$ROOTDIR") $(ls -A "$NOBODY")" " sub" "nothing was created in either directory"

# The pidfile follows the same rule.
timeout -s INT 60 "$TRACEE" --pidfile "$NOBODY/sub/tracee.pid" -e openat -o none 2>"$TAP_TMP/err" >/dev/null
is "$?" 1 "a pidfile in a user's directory: refused, exit 1"
like "$(cat "$TAP_TMP/err")" "^tracee: --pidfile .*directory $NOBODY is owned by uid 65534" \
	"a pidfile in a user's directory: the line says why"
[ ! -e "$ROOTDIR/tracee.pid" ]
ok $? "no pidfile was created through the link"

# Legitimate cases.
analyze_to "$TAP_TMP/mine/out.json"
is "$RC:$ERR" 0: "a file in root's own directory"
analyze_to "$SHARED/out.json"
is "$RC:$ERR" 0: "a file in a sticky world-writable directory (/tmp)"
analyze_to "rel.json" "$TAP_TMP/mine"
[ "$RC" = 0 ] && [ -f "$TAP_TMP/mine/rel.json" ]
ok $? "a relative path in root's own directory"
ln -s "$TAP_TMP/mine" "$TAP_TMP/minelink"
ln -s ../mine "$SHARED/rellink"
analyze_to "$TAP_TMP/minelink/l1.json"
[ "$RC" = 0 ] && [ -f "$TAP_TMP/mine/l1.json" ]
ok $? "a link of root's in root's directory is followed"
analyze_to "$SHARED/rellink/./l2.json"
[ "$RC" = 0 ] && [ -f "$TAP_TMP/mine/l2.json" ]
ok $? "a relative link of root's in a sticky directory is followed"
# nobody must run tracee and read its lua/: a tree under /root (0700) is not
# reachable, so stage a world-readable copy of both in /tmp then.
TR=$TRACEE LUA_NOBODY=$TRACEE_LUA_DIR
if ! as_nobody test -x "$TRACEE" -a -r "$TRACEE_LUA_DIR/tracee.lua"; then
	STAGE=$(mktemp -d /tmp/tracee-nobody.XXXXXX) &&
		cp "$TRACEE" "$STAGE/tracee" && cp -R "$TRACEE_LUA_DIR" "$STAGE/lua" &&
		chmod -R a+rX "$STAGE" || diag "cannot stage a copy for nobody in $STAGE"
	TR=$STAGE/tracee LUA_NOBODY=$STAGE/lua
	diag "the tree is not reachable by nobody: using a copy in $STAGE"
fi
TRACEE_LUA_DIR=$LUA_NOBODY as_nobody "$TR" analyze -o "json:$NOBODY/own.json" /dev/null 2>"$TAP_TMP/err" >/dev/null
[ "$?" = 0 ] && [ "$(stat -c %u "$NOBODY/own.json" 2>/dev/null)" = 65534 ]
ok $? "a user writes in their own directory"
diag "$(grep -v '^lua:' "$TAP_TMP/err")"
[ -z "${STAGE:-}" ] || rm -rf "$STAGE"

done_testing
