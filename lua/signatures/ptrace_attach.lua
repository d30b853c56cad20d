-- TRC-2106 ptrace_attach: a program that is not a debugger attaches to
-- another process with ptrace (PTRACE_ATTACH or PTRACE_SEIZE): the first
-- step to read its secrets or inject code into it.  TRC-103 reports the
-- memory writes that may follow.

local debuggers = tracee.list("debuggers", { "gdb", "gdbserver", "lldb", "lldb-server",
	"strace", "ltrace", "perf", "valgrind", "rr", "criu", "dlv", "gcore", "py-spy",
	"rbspy", "pstack", "eu-stack", "systemd-coredum", "upstart-udev-br" })

tracee.signature {
	id = "TRC-2106",
	name = "ptrace_attach",
	title = "Process attached to another with ptrace",
	version = "1",
	severity = 2,
	description = "A program that is not a known debugger attached to another process " ..
		"with ptrace. Adversaries attach to processes to read their memory (credentials, " ..
		"keys) or to inject code.",
	tags = { "linux", "container", "process" },
	mitre = { category = "defense-evasion", technique = "Ptrace System Calls", id = "T1055.008" },
	origin = "any",
	events = { "ptrace" },

	on_event = function(e)
		local r = e.args.request
		if not (tracee.ptrace_is(r, "PTRACE_ATTACH", tracee.PTRACE.ATTACH) or
			tracee.ptrace_is(r, "PTRACE_SEIZE", tracee.PTRACE.SEIZE)) then
			return
		end
		if debuggers[e.processName] then return end
		tracee.finding { data = { pid = e.args.pid, request = r,
			result = e.returnValue } }
	end,
}
