-- TRC-1031 system_request_key_mod: a container writes the magic SysRq
-- configuration or trigger, which can crash or reboot the host.

local files = tracee.set{ "/proc/sys/kernel/sysrq", "/proc/sysrq-trigger" }

tracee.signature {
	id = "TRC-1031",
	name = "system_request_key_mod",
	title = "System request key configuration modification",
	version = "1",
	severity = 3,
	description = "An attempt to modify and activate the System Request Key configuration " ..
		"file was detected. The system request key allows immediate input to the kernel " ..
		"through simple key combinations. Adversaries may use this feature to immediately " ..
		"shut down or restart a system. With read access to kernel logs, host related " ..
		"information such as listing tasks and CPU registers may be disclosed and could " ..
		"be used for container escape.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "security_file_open" },
	paths = { "/proc/sys/kernel/sysrq", "/proc/sysrq-trigger" },

	on_event = function(e)
		if files[e.args.pathname] and tracee.is_file_write(e.args.flags) then
			tracee.finding { data = { pathname = e.args.pathname } }
		end
	end,
}
