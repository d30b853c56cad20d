-- TRC-1010 cgroup_release_agent: a container writes or renames onto a
-- cgroup's release_agent file: the command the host runs when the cgroup
-- empties, the best known container escape.

tracee.signature {
	id = "TRC-1010",
	name = "cgroup_release_agent",
	title = "Cgroups release agent file modification",
	version = "1",
	severity = 3,
	description = "An attempt to modify a cgroup's release agent file was detected. " ..
		"Cgroups are a Linux kernel feature which limits the resource usage of a set of " ..
		"processes. Adversaries may use this feature for container escaping.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "security_file_open", "security_inode_rename" },
	paths = { "*/release_agent" },

	on_event = function(e)
		local path = tracee.written_path(e)
		if tracee.basename(path) == "release_agent" then
			tracee.finding { data = { pathname = path } }
		end
	end,
}
