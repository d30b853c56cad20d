#!/bin/sh
# rel_security.sh - what an unprivileged user could use against tracee,
# tried live:
#   - output files: created 0600 whatever the umask (by the umask with
#     -o option:umask); a symlink (of the file or of a directory on the
#     way), a file of another user or a hard link planted in a shared
#     (sticky) directory is refused, and its target left untouched;
#   - scripts, BTF files and objects: refused when symlinked, writable by
#     group/others or owned by another user;
#   - the Lua sandbox: escapes tried from an event callback while tracing
#     (load-time escapes are test_lua's), use of an event after its
#     callback, a runaway loop and a memory bomb: all refused or stopped,
#     reported, and tracing goes on.

. "$top_srcdir/tests/integration/rel_lib.sh"

SHARED=$TAP_TMP/shared	# a /tmp-like directory: sticky, world-writable
mkdir -m 1777 "$SHARED"
chmod 0755 "$TAP_TMP"
echo precious >"$TAP_TMP/victim"
chmod 0644 "$TAP_TMP/victim"

refused() { # DESCRIPTION REGEX ARGS...
	rs_d=$1 rs_re=$2
	shift 2
	"$TRACEE" --install-path "$INST" "$@" 2>"$TAP_TMP/err" >/dev/null
	RC=$?
	ERR=$(grep -v '^tracee: eBPF object [^ ]* (.* object' "$TAP_TMP/err")
	is "$RC" 1 "$rs_d: refused, exit 1"
	like "$ERR" "$rs_re" "$rs_d: the error says why"
	diag "$ERR"
}

# Output files.
(umask 0; start_tracee -e openat -o "json:$SHARED/new.json"; stop_tracee)
is "$(stat -c %a "$SHARED/new.json" 2>/dev/null)" 600 "a new output file is 0600 even with umask 0"
(umask 022; start_tracee -e openat -o "json:$SHARED/def.json"; stop_tracee)
is "$(stat -c %a "$SHARED/def.json" 2>/dev/null)" 600 "a new output file is 0600 by default (umask 022)"
# -o option:umask: new files by the umask (0666 less it), as other programs' files.
(umask 022; start_tracee -e openat -o option:umask -o "json:$SHARED/um022.json" \
	-o "table:$SHARED/um022.txt"; stop_tracee)
is "$(stat -c %a "$SHARED/um022.json" 2>/dev/null)" 644 "option:umask with umask 022: 0644"
is "$(stat -c %a "$SHARED/um022.txt" 2>/dev/null)" 644 "option:umask applies to every file output"
(umask 022; "$TRACEE" analyze -o option:umask -o "json:$SHARED/an022.json" /dev/null 2>/dev/null)
is "$(stat -c %a "$SHARED/an022.json" 2>/dev/null)" 644 "tracee analyze takes option:umask too"
(umask 077; start_tracee -e openat -o option:umask -o "json:$SHARED/um077.json"; stop_tracee)
is "$(stat -c %a "$SHARED/um077.json" 2>/dev/null)" 600 "option:umask with umask 077: 0600"
(umask 027; start_tracee -e openat -o option:umask -o "json:$SHARED/um027.json"; stop_tracee)
is "$(stat -c %a "$SHARED/um027.json" 2>/dev/null)" 640 "option:umask with umask 027: 0640"
ln -s "$TAP_TMP/victim" "$SHARED/umlink.json"
refused "option:umask output through a planted symlink" "umlink.json is a symbolic link; refusing to follow it" \
	-e openat -o option:umask -o "json:$SHARED/umlink.json"
ln -s "$TAP_TMP/victim" "$SHARED/link.json"
refused "output through a planted symlink" "link.json is a symbolic link; refusing to follow it" \
	-e openat -o "json:$SHARED/link.json"
# A directory on the way: a symlink another user planted in a shared
# directory is not followed; one the directory's owner made is.
mkdir -m 0777 "$TAP_TMP/victimdir" "$TAP_TMP/open"
setpriv --reuid=65534 --regid=65534 --clear-groups ln -s "$TAP_TMP/victimdir" "$SHARED/dirlink"
refused "output below a planted directory symlink" \
	"dirlink is a symbolic link of uid 65534 in a directory others can write to; refusing to follow it" \
	-e openat -o "json:$SHARED/dirlink/out.json"
ln -s "$TAP_TMP/victimdir" "$TAP_TMP/open/rootlink"
refused "output below a symlink in a non-sticky world-writable directory" \
	"rootlink is a symbolic link of uid 0 in a directory others can write to" \
	-e openat -o "json:$TAP_TMP/open/rootlink/out.json"
is "$(ls "$TAP_TMP/victimdir")" "" "nothing was created through those links"
mkdir -m 0755 "$TAP_TMP/mine"
ln -s "$TAP_TMP/mine" "$SHARED/ownlink"
start_tracee -e openat -o "json:$SHARED/ownlink/out.json"
stop_tracee
[ "$RC" = 0 ] && [ -f "$TAP_TMP/mine/out.json" ]
ok $? "a symlink of the shared directory's owner (root) is followed"
setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "umask 022; echo theirs >'$SHARED/theirs.json'"
refused "output onto a file another user planted" "theirs.json exists and belongs to uid 65534, not to us" \
	-e openat -o "json:$SHARED/theirs.json"
ln "$TAP_TMP/victim" "$SHARED/hard.json"
refused "output onto a planted hard link" "hard.json has 2 hard links" \
	-e openat -o "json:$SHARED/hard.json"
is "$(cat "$TAP_TMP/victim")" precious "the victim file is untouched"
is "$(cat "$SHARED/theirs.json")" theirs "the other user's file is untouched"

# Scripts.
printf 'tracee.on("openat", function(e) end)\n' >"$TAP_TMP/ok.lua"
chmod 0644 "$TAP_TMP/ok.lua"
ln -s "$TAP_TMP/ok.lua" "$TAP_TMP/link.lua"
refused "a symlinked script" "link.lua.*symbolic link" -s "$TAP_TMP/link.lua" -o none
cp "$TAP_TMP/ok.lua" "$TAP_TMP/ww.lua" && chmod 0666 "$TAP_TMP/ww.lua"
refused "a world-writable script" "ww.lua.*writable by group or others" -s "$TAP_TMP/ww.lua" -o none
cp "$TAP_TMP/ok.lua" "$SHARED/theirs.lua" && chown 65534:65534 "$SHARED/theirs.lua"
refused "a script owned by another user" "theirs.lua.*(owned by|belongs to) uid 65534" \
	-s "$SHARED/theirs.lua" -o none
mkdir -m 0777 "$TAP_TMP/opendir" && cp "$TAP_TMP/ok.lua" "$TAP_TMP/opendir/in.lua"
refused "a script in a world-writable directory" "opendir.*writable by group or others" \
	-s "$TAP_TMP/opendir/in.lua" -o none

# BTF files and objects.
if [ -r /sys/kernel/btf/vmlinux ]; then
	cp /sys/kernel/btf/vmlinux "$TAP_TMP/vmlinux.btf" && chmod 0644 "$TAP_TMP/vmlinux.btf"
	ln -s "$TAP_TMP/vmlinux.btf" "$TAP_TMP/link.btf"
	refused "a symlinked --btf" "link.btf.*symbolic link" --btf "$TAP_TMP/link.btf" -e openat -o none
	# group write counts when the group has other members: daemon's has daemon
	chgrp daemon "$TAP_TMP/vmlinux.btf" && chmod 0664 "$TAP_TMP/vmlinux.btf"
	refused "a group-writable --btf" "vmlinux.btf.*writable by group or others" \
		--btf "$TAP_TMP/vmlinux.btf" -e openat -o none
fi
cp "$CORE_OBJ" "$TAP_TMP/obj.o" && chmod 0646 "$TAP_TMP/obj.o"
TRACEE_BPF_FILE=$TAP_TMP/obj.o refused "a world-writable object" "obj.o.*writable by group or others" \
	-e openat -o none
chmod 0644 "$TAP_TMP/obj.o" && chown 65534 "$TAP_TMP/obj.o"
TRACEE_BPF_FILE=$TAP_TMP/obj.o refused "an object owned by another user" "obj.o.*(owned by|belongs to) uid 65534" \
	-e openat -o none

# The Lua sandbox, live.
cat >"$TAP_TMP/escape.lua" <<LUA
local pwned = "$TAP_TMP/pwned"
local attempts = {
	io_open = function() return assert(io.open("/etc/shadow")) end,
	os_execute = function() return os.execute("touch " .. pwned) end,
	os_remove = function() return os.remove("$TAP_TMP/victim") end,
	require_io = function() return require("io") end,
	require_os = function() return require("os") end,
	loadlib = function() return package.loadlib("libc.so.6", "system") end,
	dofile = function() return dofile("/etc/passwd") end,
	loadfile = function() return assert(loadfile("/etc/passwd")) end,
	bytecode = function() return assert(load("\27Lua\84\0\25\147\13\10\26\10", "x", "b")) end,
	debug = function() return debug.getregistry() end,
	string_dump = function() return string.dump(function() end) end,
	env_walk = function() return assert(getmetatable("").__index.rep ~= nil and _ENV.io) end,
	event_meta = function(e) return assert(type(getmetatable(e)) == "table") end,
	event_write = function(e) e.processName = "x"; assert(e.processName == "x") end,
	gc_stop = function() return collectgarbage("stop") end,
}
local saved
local function on(marker, fn)	-- one callback each: each error is shown once
	tracee.on("openat", function(e)
		if (e.args.pathname or ""):find(marker, 1, true) then return fn(e) end
	end)
end
on("rel_sandbox_escape", function(e)
	local open = {}
	for name, f in pairs(attempts) do
		if pcall(f, e) then open[#open + 1] = name end
	end
	table.sort(open)
	saved = e
	tracee.finding { name = "sandbox_check", data = { open = table.concat(open, ","), nr_open = #open } }
end)
on("rel_sandbox_use_after", function(e) return saved.args.pathname ~= nil end)
on("rel_sandbox_loop", function(e) while true do end end)
on("rel_sandbox_memory", function(e)
	local t = {}
	for i = 1, 64 do t[i] = ("x"):rep(1 << 26) .. i end	-- 64 x 64 MiB
end)
LUA
chmod 0644 "$TAP_TMP/escape.lua"
start_tracee -s "$TAP_TMP/escape.lua" -e openat -o "json:$TAP_TMP/sandbox.json"
is "$READY" 1 "a script trying escapes loads and tracing starts"
cat "$TAP_TMP/rel_sandbox_escape" 2>/dev/null
sleep 0.5
cat "$TAP_TMP/rel_sandbox_use_after" 2>/dev/null
cat "$TAP_TMP/rel_sandbox_loop" 2>/dev/null
cat "$TAP_TMP/rel_sandbox_memory" 2>/dev/null
sleep 1
cat "$TAP_TMP/rel_sandbox_after" 2>/dev/null
sleep 1
alive=1
kill -0 "$TPID" 2>/dev/null || alive=0
stop_tracee
is "$alive" 1 "tracee survives the script"
is "$RC" 0 "and exits cleanly"
grep '"eventName":"sandbox_check"' "$TAP_TMP/sandbox.json" >"$TAP_TMP/finding" 2>/dev/null
like "$(cat "$TAP_TMP/finding")" '"name":"nr_open","type":"int","value":0' \
	"every escape tried from a live callback fails"
diag "$(sed -n 's/.*"name":"open","type":"string","value":"\([^"]*\)".*/escapes that worked: [\1]/p' "$TAP_TMP/finding")"
[ ! -e "$TAP_TMP/pwned" ] && [ "$(cat "$TAP_TMP/victim")" = precious ]
ok $? "nothing was run or removed"
like "$ERR" "escape.lua.*(event|after|callback)" "using an event after its callback is an error, reported"
like "$ERR" "escape.lua.*(instruction|budget|time)" "a runaway loop is stopped and reported"
like "$ERR" "escape.lua.*(memory|not enough)" "a memory bomb is stopped and reported"
grep -q "rel_sandbox_after" "$TAP_TMP/sandbox.json"
ok $? "events after all that are still traced"
grep '"eventName":"tracee_rule_error"' "$TAP_TMP/sandbox.json" >"$TAP_TMP/rule_errors" 2>/dev/null
# (under valgrind the wall-time budget may stop the loop first)
like "$(cat "$TAP_TMP/rule_errors")" '"name":"error","type":"string","value":"[^"]*(instruction|wall-time) budget exceeded' \
	"the stopped loop is a tracee_rule_error finding in the output"
like "$(cat "$TAP_TMP/rule_errors")" '"name":"script","type":"string","value":"[^"]*escape.lua"' \
	"naming the script"
[ "$(printf '%s\n' "$ERR" | grep -c 'escape.lua')" -le 12 ]
ok $? "errors are reported, not repeated per event"
diag "$(printf '%s\n' "$ERR" | grep 'escape.lua' | head -n 8)"
done_testing
