-- TRC-109 aslr_inspection: /proc/sys/kernel/randomize_va_space is read, a
-- step before exploits that depend on address layout.

tracee.signature {
	id = "TRC-109",
	name = "aslr_inspection",
	title = "ASLR inspection detected",
	version = "1",
	severity = 0,
	description = "The ASLR (address space layout randomization) configuration was " ..
		"inspected. ASLR is used by Linux to prevent memory vulnerabilities. An adversary " ..
		"may want to inspect and change the ASLR configuration in order to avoid detection.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation",
		  technique = "Exploitation for Privilege Escalation", id = "T1068" },
	origin = "any",
	events = { "security_file_open" },
	paths = { "/proc/sys/kernel/randomize_va_space" },

	on_event = function(e)
		if e.args.pathname == "/proc/sys/kernel/randomize_va_space" and
		   tracee.is_file_read(e.args.flags) then
			tracee.finding {}
		end
	end,
}
