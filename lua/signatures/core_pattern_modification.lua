-- TRC-1011 core_pattern_modification: a container writes
-- /proc/sys/kernel/core_pattern, which names a program the host kernel runs
-- on every crash.

tracee.signature {
	id = "TRC-1011",
	name = "core_pattern_modification",
	title = "Core dumps configuration file modification detected",
	version = "1",
	severity = 3,
	description = "Modification of the core dump configuration file (core_pattern) " ..
		"detected. Core dumps are usually written to disk when a program crashes. " ..
		"Certain modifications enable container escaping.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "security_file_open" },
	paths = { "/proc/sys/kernel/core_pattern" },

	on_event = function(e)
		if e.args.pathname == "/proc/sys/kernel/core_pattern" and
		   tracee.is_file_write(e.args.flags) then
			tracee.finding {}
		end
	end,
}
