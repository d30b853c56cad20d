-- TRC-1021 proc_kcore_read: a container reads /proc/kcore, the host
-- kernel's memory.

tracee.signature {
	id = "TRC-1021",
	name = "proc_kcore_read",
	title = "Kernel memory read",
	version = "1",
	severity = 2,
	description = "An attempt to read the kernel memory was detected. The kcore file " ..
		"provides a full dump of the physical memory of the system. Adversaries may use " ..
		"this file to read sensitive information or for container escaping.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "security_file_open" },
	paths = { "/proc/kcore" },

	on_event = function(e)
		if e.args.pathname == "/proc/kcore" and tracee.is_file_read(e.args.flags) then
			tracee.finding {}
		end
	end,
}
