-- TRC-1024 proc_mem_code_injection: /proc/<pid>/mem is opened for writing:
-- code injected into another process.

tracee.signature {
	id = "TRC-1024",
	name = "proc_mem_code_injection",
	title = "Code injection detected through /proc/<pid>/mem writing",
	version = "1",
	severity = 3,
	description = "Possible code injection into another process was detected. Code " ..
		"injection is an exploitation technique used to run malicious code, adversaries " ..
		"may use it in order to execute their malware.",
	tags = { "linux", "container" },
	mitre = { category = "defense-evasion", technique = "Proc Memory", id = "T1055.009" },
	origin = "any",
	events = { "security_file_open" },
	paths = { "*/mem" },

	on_event = function(e)
		local path = e.args.pathname
		if type(path) == "string" and path:find("^/proc/[%d]+/mem$") and
		   tracee.is_file_write(e.args.flags) then
			tracee.finding { data = { pathname = path } }
		end
	end,
}
