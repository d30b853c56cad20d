-- TRC-1023 proc_mem_access: /proc/<pid>/mem is opened for reading: another
-- process's memory, credentials included.

local function is_proc_mem(path)
	return type(path) == "string" and
		(path:find("^/proc/%d+/mem$") ~= nil or path == "/proc/self/mem")
end

tracee.signature {
	id = "TRC-1023",
	name = "proc_mem_access",
	title = "Process memory access detected",
	version = "1",
	severity = 3,
	description = "Process memory access detected. Adversaries may access other " ..
		"processes memory to steal credentials and secrets.",
	tags = { "linux", "container" },
	mitre = { category = "credential-access", technique = "Proc Filesystem", id = "T1003.007" },
	origin = "any",
	events = { "security_file_open" },
	paths = { "*/mem" },

	on_event = function(e)
		local path = e.args.pathname
		if is_proc_mem(path) and tracee.is_file_read(e.args.flags) then
			tracee.finding { data = { pathname = path } }
		end
	end,
}
