local co = coroutine.create(function() while true do coroutine.yield(string.rep("x", 1 << 20)) end end)
tracee.on("openat", function(e)
	for _ = 1, 100 do coroutine.resume(co) end
	local s = ("a"):rep(1 << 16)
	s:gsub("a*a*a*a*b", "")
	error(setmetatable({}, { __tostring = function() error("again") end }))
end)
tracee.on("sched_process_exit", function(e)
	local t = {}
	while true do t[#t + 1] = t end
end)
tracee.signature { id = "TRC-X", name = "x", events = { "openat" }, on_event = function(e) error(e) end }
