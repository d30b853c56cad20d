-- TRC-1029 sched_debug_recon: a container reads the scheduler debug file,
-- which lists every task of the host.

local files = { "/proc/sched_debug", "/sys/kernel/debug/sched/debug" }

tracee.signature {
	id = "TRC-1029",
	name = "sched_debug_recon",
	title = "sched_debug CPU file was read",
	version = "1",
	severity = 1,
	description = "The sched_debug file was read. This file contains information about " ..
		"your CPU and processes. Adversaries may read this file in order to gather that " ..
		"information for their use.",
	tags = { "linux", "container" },
	mitre = { category = "discovery", technique = "Container and Resource Discovery",
		  id = "T1613" },
	origin = "container",
	events = { "security_file_open" },
	paths = { "/proc/sched_debug", "/sys/kernel/debug/sched/debug" },

	on_event = function(e)
		if not tracee.is_file_read(e.args.flags) then return end
		local path = e.args.pathname
		for _, f in ipairs(files) do
			if path == f then
				tracee.finding { data = { pathname = path } }
				return
			end
		end
	end,
}
