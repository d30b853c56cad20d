-- TRC-105 fileless_execution: a program executed from memory (memfd_create,
-- /dev/shm) instead of from a file on disk.

tracee.signature {
	id = "TRC-105",
	name = "fileless_execution",
	title = "Fileless execution detected",
	version = "1",
	severity = 3,
	description = "Fileless execution was detected. Executing a process from memory " ..
		"instead from a file in the filesystem may indicate that an adversary is trying " ..
		"to avoid execution detection.",
	tags = { "linux", "container" },
	mitre = { category = "defense-evasion", technique = "Reflective Code Loading",
		  id = "T1620" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local path = e.args.pathname
		if tracee.is_memory_path(path) then
			tracee.capture(e, "exec")	-- with -c: the memfd's code, while it runs
			tracee.finding { data = { pathname = path } }
		end
	end,
}
