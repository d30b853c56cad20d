-- TRC-102 anti_debugging: a process calls ptrace(PTRACE_TRACEME), the classic
-- trick to keep debuggers (and analysts) from attaching to it.

tracee.signature {
	id = "TRC-102",
	name = "anti_debugging",
	title = "Anti-Debugging detected",
	version = "1",
	severity = 1,
	description = "A process used anti-debugging techniques to block a debugger. " ..
		"Malware use anti-debugging to stay invisible and inhibit analysis of their behavior.",
	tags = { "linux", "container" },
	mitre = { category = "defense-evasion", technique = "Debugger Evasion", id = "T1622" },
	origin = "any",
	events = { "ptrace" },

	on_event = function(e)
		if tracee.ptrace_is(e.args.request, "PTRACE_TRACEME", tracee.PTRACE.TRACEME) then
			tracee.finding {}
		end
	end,
}
