#!/bin/sh
# lua_module.sh - the tracee Lua C module under plain lua5.4, as a normal
# user (nobody when run as root): tests/lua/module.lua prints the TAP.
# Also: the module loads through Lua's own search path, and a benchmark
# line (events per second through tracee.open) for the log.
. "$top_srcdir/tests/tap.sh"

LUA=${LUA:-lua5.4}
MOD=$top_builddir/src/.libs/tracee.so
command -v "$LUA" >/dev/null 2>&1 || skip_all "$LUA is not installed"
[ -f "$MOD" ] || skip_all "the module is not built ($MOD)"

CPATH_DIR=$top_builddir/src/.libs
TEST_DIR=$top_srcdir/tests/lua
LIB_DIR=$top_srcdir/lua

# A normal user: setpriv drops root for real (uid, gid and groups).
as_user() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups --reset-env -- \
			env LUA_CPATH="$CPATH_DIR/?.so" LUA_PATH= \
			TRACEE_LUA_DIR="$LIB_DIR" TEST_DIR="$TEST_DIR" \
			HOME=/nonexistent PATH=/usr/bin:/bin "$@"
	else
		env LUA_CPATH="$CPATH_DIR/?.so" LUA_PATH= \
			TRACEE_LUA_DIR="$LIB_DIR" TEST_DIR="$TEST_DIR" "$@"
	fi
}

if [ "$(id -u)" = 0 ] && ! setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	skip_all "setpriv cannot drop to nobody here"
fi
# nobody must read the module and the fixtures: a tree under /root is not
# readable, so stage a world-readable copy in /tmp then.
if ! as_user test -r "$MOD" -a -r "$TEST_DIR/events.json" -a -r "$LIB_DIR/tracee.lua"; then
	STAGE=$(mktemp -d /tmp/tracee-nobody.XXXXXX) || skip_all "cannot make a directory in /tmp"
	trap 'rm -rf "$STAGE"' EXIT
	mkdir "$STAGE/mod" && cp "$MOD" "$STAGE/mod/" && cp -R "$TEST_DIR" "$STAGE/tests" &&
		cp -R "$LIB_DIR" "$STAGE/lib" && chmod -R a+rX "$STAGE" ||
		skip_all "cannot stage a world-readable copy in $STAGE"
	CPATH_DIR=$STAGE/mod TEST_DIR=$STAGE/tests LIB_DIR=$STAGE/lib
	diag "the tree is not readable by nobody: using a copy in $STAGE"
fi

as_user "$LUA" "$TEST_DIR/module.lua"
rc=$?

# Benchmark (diagnostic): replayed events per second through the module.
bench=$(as_user "$LUA" -e '
	local tracee = require "tracee"
	local f = assert(io.open(os.getenv("TEST_DIR") .. "/events.json"))
	local lines = {}
	for l in f:lines() do if l:find("^{\"timestamp\"") then lines[#lines + 1] = l end end
	local tmp = os.tmpname()
	local o = assert(io.open(tmp, "w"))
	for i = 1, 100000 do o:write(lines[i % #lines + 1], "\n") end
	o:close()
	local t = os.clock()
	local n = 0
	for e in tracee.open(tmp, { on_error = function() end }) do
		if e.processName then n = n + 1 end
	end
	local dt = os.clock() - t
	local t2 = os.clock()
	local _, st = tracee.run_signatures(tmp)
	local dt2 = os.clock() - t2
	os.remove(tmp)
	print(string.format("%d events iterated: %.0f events/s; built-in signatures: %.0f events/s",
		n, n / dt, st.events / dt2))' 2>&1)
printf '# %s\n' "$bench"
exit $rc
