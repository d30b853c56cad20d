local saved
local t = setmetatable({}, { __index = function(_, k) return k end })
local rec = {}
rec.self = rec
tracee.on("*", function(e)
	saved = e
	local a = e.args
	for k, v in pairs(a) do t[k] = v end
	tracee.finding { name = "tour", data = { p = a.pathname, argv = a.argv, n = e.processId,
		nested = { x = { y = { z = 1 } } }, f = 1.5, b = true } }
	tracee.count("seen")
	local p = tracee.process(e.hostProcessId)
	if p then tracee.log(p.comm, p.exe, #p.ancestors) end
	tracee.json({ 1, 2, "x", { a = 1 } })
	pcall(tracee.json, rec)
	return e.processName ~= "cat"
end)
tracee.on("sched_process_exec", function(e) return tostring(e) end)
tracee.every(0.01, function() if saved then pcall(function() return saved.processName end) end end)
tracee.on_exit(function() tracee.log("bye", tracee.count("seen", 0)) end)
tracee.events { "openat.args.pathname=/etc/shadow" }
tracee.state.x = string.rep("y", 1000)
