-- TRC-1020 proc_fops_hooking: the file operations of /proc were hooked, a
-- rootkit hiding processes.  hooked_proc_fops comes from a kernel-side scan
-- that needs kprobes: on kernels without them this signature cannot fire.

tracee.signature {
	id = "TRC-1020",
	name = "proc_fops_hooking",
	title = "File operations hooking on proc filesystem detected",
	version = "1",
	severity = 3,
	description = "File operations hooking on proc filesystem detected. The proc " ..
		"filesystem is an interface for the running processes as files. This allows " ..
		"programs like `ps` and `top` to check what are the running processes. File " ..
		"operations are the functions defined on a file or directory. This signature " ..
		"detects the hooking of those functions. A rootkit may hook them to hide " ..
		"processes from the user.",
	tags = { "linux" },
	mitre = { category = "defense-evasion", technique = "Rootkit", id = "T1014" },
	origin = "host",
	events = { "hooked_proc_fops" },
	requires = { "kprobes" },

	on_event = function(e)
		-- a list of {SymbolName=, ModuleOwner=}; a scan that found nothing
		-- hooked may still send the event, with an empty list
		local hooked = e.args.hooked_fops_pointers
		if type(hooked) ~= "table" or next(hooked) == nil then return end
		tracee.finding { data = { ["Hooked proc file operations"] = hooked } }
	end,
}
