-- soak_policy.lua - a script doing what real policies do under soak load:
-- per-process state, a timer, findings, and a filter that drops events.
local seen = {}
tracee.on("sched_process_exec", function(e)
	seen[e.hostProcessId] = e.processName
end)
tracee.on("sched_process_exit", function(e)
	seen[e.hostProcessId] = nil	-- state must not grow with pids
end)
tracee.on("connect", function(e)
	if e.returnValue ~= 0 then return false end	-- dropped: counted by lua
end)
local n = 0
tracee.every(1, function()
	n = n + 1
	if n % 10 == 0 then
		local live = 0
		for _ in pairs(seen) do live = live + 1 end
		tracee.finding { name = "soak_state", data = { live = live } }
	end
end)
