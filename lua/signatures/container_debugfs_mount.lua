-- TRC-2119 container_debugfs_mount: a container mounts debugfs or tracefs.
-- Both expose the kernel itself (kprobes, tracing, driver state) to a
-- privileged container: a direct route to the host.

tracee.signature {
	id = "TRC-2119",
	name = "container_debugfs_mount",
	title = "debugfs or tracefs mounted in a container",
	version = "1",
	severity = 3,
	description = "A process in a container mounted debugfs or tracefs. These file " ..
		"systems give access to kernel internals and tracing; from a privileged " ..
		"container they lead to the host.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "mount" },

	on_event = function(e)
		local fs = e.args.filesystemtype
		if fs == "debugfs" or fs == "tracefs" then
			tracee.finding { data = { fstype = fs, pathname = e.args.target,
				result = e.returnValue } }
		end
	end,
}
