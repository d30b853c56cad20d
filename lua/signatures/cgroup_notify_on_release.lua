-- TRC-106 cgroup_notify_on_release: a container writes a cgroup's
-- notify_on_release file, half of the release_agent container escape.

tracee.signature {
	id = "TRC-106",
	name = "cgroup_notify_on_release",
	title = "Cgroups notify_on_release file modification",
	version = "1",
	severity = 3,
	description = "An attempt to modify a cgroup's notify_on_release file was detected. " ..
		"Cgroups are a Linux kernel feature which limits the resource usage of a set of " ..
		"processes. Adversaries may use this feature for container escaping.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "security_file_open" },
	paths = { "*/notify_on_release" },

	on_event = function(e)
		if tracee.is_file_write(e.args.flags) and
		   tracee.basename(e.args.pathname) == "notify_on_release" then
			tracee.finding { data = { pathname = e.args.pathname } }
		end
	end,
}
