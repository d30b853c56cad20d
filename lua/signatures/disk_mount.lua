-- TRC-1014 disk_mount: a container mounts a host device (/dev/...), which
-- exposes the host's file systems to it.

tracee.signature {
	id = "TRC-1014",
	name = "disk_mount",
	title = "Container device mount detected",
	version = "1",
	severity = 3,
	description = "Container device filesystem mount detected. A mount of a host device " ..
		"filesystem can be exploited by adversaries to perform container escape.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "security_sb_mount" },

	on_event = function(e)
		local dev = e.args.dev_name
		if tracee.starts_with(dev, "/dev/") then
			tracee.finding { data = { ["mounted device"] = dev } }
		end
	end,
}
