-- TRC-2115 userfaultfd_unprivileged: a user other than root creates a
-- userfaultfd that can catch kernel-mode faults (no UFFD_USER_MODE_ONLY).
-- Kernel exploits use it to freeze the kernel in the middle of a copy and
-- win a race; ordinary programs either run as root (CRIU, QEMU live
-- migration) or ask for user-mode faults only.

local UFFD_USER_MODE_ONLY = 1

tracee.signature {
	id = "TRC-2115",
	name = "userfaultfd_unprivileged",
	title = "Unprivileged userfaultfd for kernel faults",
	version = "1",
	severity = 2,
	description = "A process not running as root called userfaultfd without " ..
		"UFFD_USER_MODE_ONLY. Kernel exploits use userfaultfd to stall the kernel " ..
		"during a copy from user memory and win race conditions.",
	tags = { "linux", "container", "privilege-escalation" },
	mitre = { category = "privilege-escalation",
		  technique = "Exploitation for Privilege Escalation", id = "T1068" },
	origin = "any",
	events = { "userfaultfd" },

	on_event = function(e)
		if e.userId == 0 then return end
		local flags = e.args.flags
		if type(flags) == "number" and math.tointeger(flags) & UFFD_USER_MODE_ONLY ~= 0 then
			return
		end
		tracee.finding { data = { flags = flags, result = e.returnValue } }
	end,
}
