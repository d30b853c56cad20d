-- TRC-1025 process_vm_write_inject: process_vm_writev() into another process.

tracee.signature {
	id = "TRC-1025",
	name = "process_vm_write_inject",
	title = "Code injection detected using process_vm_writev syscall",
	version = "1",
	severity = 3,
	description = "Possible code injection into another process was detected. Code " ..
		"injection is an exploitation technique used to run malicious code, adversaries " ..
		"may use it in order to execute their malware.",
	tags = { "linux", "container" },
	mitre = { category = "defense-evasion", technique = "Process Injection", id = "T1055" },
	origin = "any",
	events = { "process_vm_writev" },

	on_event = function(e)
		local pid = e.args.pid
		if pid and pid ~= e.processId and pid ~= e.hostProcessId then
			tracee.finding { data = { ["target pid"] = pid } }
		end
	end,
}
