-- TRC-103 ptrace_code_injection: ptrace(PTRACE_POKETEXT/POKEDATA) writes into
-- another process's memory: code injection.

tracee.signature {
	id = "TRC-103",
	name = "ptrace_code_injection",
	title = "Code injection detected using ptrace",
	version = "1",
	severity = 3,
	description = "Possible code injection into another process was detected. Code " ..
		"injection is an exploitation technique used to run malicious code, adversaries " ..
		"may use it in order to execute their malware.",
	tags = { "linux", "container" },
	mitre = { category = "defense-evasion", technique = "Ptrace System Calls",
		  id = "T1055.008" },
	origin = "any",
	events = { "ptrace" },

	on_event = function(e)
		local r = e.args.request
		if tracee.ptrace_is(r, "PTRACE_POKETEXT", tracee.PTRACE.POKETEXT) or
		   tracee.ptrace_is(r, "PTRACE_POKEDATA", tracee.PTRACE.POKEDATA) then
			tracee.finding { data = { pid = e.args.pid } }
		end
	end,
}
