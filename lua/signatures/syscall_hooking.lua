-- TRC-1030 syscall_hooking: the syscall table was hooked, a rootkit.
-- hooked_syscall comes from a kernel-side scan that needs kprobes: on
-- kernels without them this signature cannot fire.

tracee.signature {
	id = "TRC-1030",
	name = "syscall_hooking",
	title = "Syscall table hooking detected",
	version = "1",
	severity = 3,
	description = "Syscall table hooking detected. Syscalls (system calls) are the " ..
		"interface between user applications and the kernel. By hooking the syscall " ..
		"table an adversary gains control on certain system function, such as file " ..
		"writing and reading or other basic function performed by the operation system. " ..
		"The adversary may also hijack the execution flow and execute it's own code. " ..
		"Syscall table hooking is considered a malicious behavior that is performed by " ..
		"rootkits and may indicate that the host's kernel has been compromised.",
	tags = { "linux" },
	mitre = { category = "defense-evasion", technique = "Rootkit", id = "T1014" },
	origin = "any",
	events = { "hooked_syscall" },
	requires = { "kprobes" },

	on_event = function(e)
		tracee.finding { data = { syscall = e.args.syscall, address = e.args.address,
					  ["function"] = e.args["function"],
					  owner = e.args.owner } }
	end,
}
