-- TRC-2107 ptrace_setregs: a program that is not a debugger rewrites the
-- registers of a traced process (PTRACE_SETREGS, SETFPREGS, SETREGSET,
-- POKEUSER): the way injectors redirect a thread to their code.

local debuggers = tracee.list("debuggers", { "gdb", "gdbserver", "lldb", "lldb-server",
	"strace", "ltrace", "perf", "valgrind", "rr", "criu", "dlv", "gcore", "py-spy",
	"rbspy", "pstack", "eu-stack", "systemd-coredum", "upstart-udev-br" })
-- request numbers (x86_64 and the generic ones) and their names
local requests = { [6] = true, [13] = true, [15] = true, [0x4205] = true,
	PTRACE_POKEUSER = true, PTRACE_SETREGS = true, PTRACE_SETFPREGS = true,
	PTRACE_SETREGSET = true }

tracee.signature {
	id = "TRC-2107",
	name = "ptrace_setregs",
	title = "Registers of another process rewritten with ptrace",
	version = "1",
	severity = 3,
	description = "A program that is not a known debugger changed the registers of a " ..
		"traced process. Process injectors do this to make a thread run their code.",
	tags = { "linux", "container", "process" },
	mitre = { category = "defense-evasion", technique = "Ptrace System Calls", id = "T1055.008" },
	origin = "any",
	events = { "ptrace" },

	on_event = function(e)
		local r = e.args.request
		if requests[r] and not debuggers[e.processName] then
			tracee.finding { data = { pid = e.args.pid, request = r } }
		end
	end,
}
