-- Tests of the tracee Lua C module under plain lua5.4 (TAP).
-- Run by tests/unit/lua_module.sh with LUA_CPATH at the built tracee.so,
-- TRACEE_LUA_DIR at lua/ and TEST_DIR at this directory.

local n, failed = 0, 0
local function ok(cond, what)
	n = n + 1
	if not cond then failed = failed + 1 end
	print((cond and "ok " or "not ok ") .. n .. " - " .. what)
end
local function is(got, want, what)
	ok(got == want, what .. " (got " .. tostring(got) .. ", want " .. tostring(want) .. ")")
end

local dir = assert(os.getenv("TEST_DIR"), "TEST_DIR not set")
local log = dir .. "/events.json"

-- The host state stays the host's: a light-userdata metatable set before
-- require is left in place, and a coroutine made before require may use
-- events (the module once took both the metatable and the extra space).
local up = 0
local lud = debug.upvalueid(function() return up end, 1)
local host_mt = { __index = function() return "host's" end }
debug.setmetatable(lud, host_mt)
local early = coroutine.wrap(function(e) while true do e = coroutine.yield(e.eventName) end end)

local tracee = require "tracee"
ok(debug.getmetatable(lud) == host_mt and lud.anything == "host's",
   "the host's light-userdata metatable is left alone")
ok(type(tracee) == "table" and type(tracee.version) == "string", "require 'tracee' gives the module")
ok(type(tracee.open) == "function" and type(tracee.run_signatures) == "function" and
   type(tracee.load_policy) == "function", "open, run_signatures, load_policy")

-- Iteration: lazily, events as the engine's values, malformed lines skipped.
local names, kept, bad = {}, nil, {}
local it = tracee.open(log, { on_error = function(file, line, msg) bad[#bad + 1] = line end })
local count = 0
for e in it do
	count = count + 1
	names[#names + 1] = e.eventName
	if e.eventName == "security_socket_connect" then
		is(e.args.remote_addr.sin_addr, "10.96.0.1", "sockaddr read back as a table")
		is(e.args.remote_addr.sin_port, "443", "port")
		is(e.container.id:sub(1, 8), "4bd4c6d1", "container id")
		is(e.processName, "curl", "processName")
		is(e.syscall, "connect", "syscall")
		local j = e:json()
		ok(j:find('"eventName":"security_socket_connect"', 1, true) ~= nil, "e:json()")
		ok(tostring(e):find("security_socket_connect", 1, true) == 1, "tostring(e)")
	end
	if e.eventName == "sched_process_exec" and not kept then
		kept = e
		is(e.args.argv[3], "daemon off;", "string array argument")
		is(e.executable.path, "/usr/sbin/nginx", "executable.path")
		is(e.hostName, "web1", "hostName")
		is(e.userId, 33, "userId")
		is(e.timestamp, 1700000000000000001, "timestamp (epoch ns)")
	end
	if e.eventName == "hooked_seq_ops" then
		is(e.eventId, "2011", "unknown event keeps its id")
	end
end
is(count, 8, "8 events (1 malformed, 1 finding skipped)")
is(#bad, 1, "on_error called once")
is(bad[1], 4, "for line 4")
local st = it:stats()
is(st.malformed, 1, "stats: malformed")
is(st.findings_skipped, 1, "stats: finding lines skipped")
local okk, err = pcall(function() return kept.processName end)
ok(not okk and tostring(err):find("after its callback returned", 1, true), "a kept event is stale: " .. tostring(err))
local okm, errm = pcall(function() kept.processName = "x" end)
ok(not okm, "events are read-only")

-- strict mode turns a malformed line into an error naming it
local oks, errs = pcall(function() for _ in tracee.open(log, { strict = true }) do end end)
ok(not oks and tostring(errs):find("events.json:4:", 1, true), "strict: FILE:LINE: message (" .. tostring(errs) .. ")")

-- findings = true yields the recorded findings too
local c2 = 0
for e in tracee.open(log, { findings = true }) do c2 = c2 + 1 end
is(c2, 9, "findings = true: the finding line too")

-- Missing file: one clear error
local okf, errf = pcall(tracee.open, dir .. "/nonexistent.json")
ok(not okf and tostring(errf):find("No such file", 1, true), "missing file: " .. tostring(errf))

-- The built-in signatures, as a live run would fire them
local findings, rst = tracee.run_signatures(log)
local byname = {}
for _, f in ipairs(findings) do byname[f.name] = f end
-- (cat, run as www-data, reading /etc/shadow: TRC-2001 shadow_file_read)
is(#findings, 4, "4 built-in findings")
ok(byname.shadow_file_read and byname.shadow_file_read.processId == 500,
   "shadow_file_read on pid 500 (cat reads /etc/shadow)")
ok(byname.illegitimate_shell and byname.illegitimate_shell.processId == 101,
   "illegitimate_shell on pid 101 (parent nginx from the process tree)")
ok(byname.anti_debugging and byname.anti_debugging.id == "TRC-102" and
   byname.anti_debugging.triggeredBy == "ptrace", "anti_debugging TRC-102 by ptrace")
ok(byname.fileless_execution and byname.fileless_execution.severity == 3, "fileless_execution")
ok(byname.fileless_execution and byname.fileless_execution.event_json:find('"memfd:payload"', 1, true),
   "finding carries the triggering event's JSON")
is(rst.events, 8, "run stats: events")
is(rst.malformed, 1, "run stats: malformed")

-- A policy: signatures of the user's, by name for unknown events; callbacks
local p = tracee.load_policy(dir .. "/policy.lua", { builtin = false })
local sigs = p:signatures()
is(#sigs, 2, "policy has 2 signatures")
local seen = {}
local nf = p:run(log, { on_finding = function(f, e)
	seen[#seen + 1] = f.name
	if f.name == "shadow_read" then
		is(e.args.pathname, "/etc/shadow", "callback gets the live event")
		ok(f.data_json:find('"who":"cat"', 1, true), "finding data")
	end
end })
is(nf, 2, "on_finding: 2 findings")
table.sort(seen)
is(table.concat(seen, ","), "seq_ops_hooked,shadow_read", "both policy signatures fired")
local okr = pcall(p.run, p, log)
ok(not okr, "a policy runs once")

-- policy + built-ins through run_signatures
local all = tracee.run_signatures(log, { policy = dir .. "/policy.lua" })
is(#all, 6, "run_signatures with a policy: 4 built-in + 2")

-- A callback error comes back as a Lua error, the run is cleaned up
local oke, erre = pcall(tracee.run_signatures, log, { on_finding = function() error("boom") end })
ok(not oke and tostring(erre):find("boom", 1, true), "callback error propagates")
local again = tracee.run_signatures(log)
is(#again, 4, "and the next run works")

-- A policy with a syntax error: file:line: message
local bad_policy = os.tmpname()
local fh = assert(io.open(bad_policy, "w")); fh:write("tracee.signature {\n  id = \n"); fh:close()
local okp, errp = pcall(tracee.load_policy, bad_policy)
os.remove(bad_policy)
ok(not okp and tostring(errp):find(":3:", 1, true), "policy syntax error: " .. tostring(errp))

-- iterators hold constant memory: a long replay does not grow the heap
local big = os.tmpname()
fh = assert(io.open(big, "w"))
local line = assert(io.open(log)):read("l")
for _ = 1, 20000 do fh:write(line, "\n") end
fh:close()
collectgarbage()
local before = collectgarbage("count")
local cnt = 0
for e in tracee.open(big) do cnt = cnt + (e.processId == 100 and 1 or 0) end
collectgarbage()
local after = collectgarbage("count")
os.remove(big)
is(cnt, 20000, "20000 events iterated")
ok(after - before < 256, string.format("constant memory (%.0f KiB -> %.0f KiB)", before, after))

-- The module is the Lua half of the core: no BPF loader, so neither libbpf nor libelf.
local so = package.searchpath("tracee", package.cpath)
local pipe = so and io.popen("ldd '" .. so .. "' 2>/dev/null")
local libs = pipe and pipe:read("a") or ""
if pipe then pipe:close() end
ok(libs:find("liblua", 1, true) and not libs:find("libbpf", 1, true) and
   not libs:find("libelf", 1, true), "the module links neither libbpf nor libelf")

-- events do not depend on the light-userdata metatable at all
debug.setmetatable(lud, nil)
for e in tracee.open(log) do
	is(e.eventName, e:json():match('"eventName":"([^"]*)"'), "events work with no light-userdata metatable")
	is(early(e), e.eventName, "an event passed to a coroutine made before require")
	break
end
debug.setmetatable(lud, host_mt)

print("1.." .. n)
os.exit(failed == 0 and 0 or 1)
