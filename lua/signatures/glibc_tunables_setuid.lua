-- TRC-2110 glibc_tunables_setuid: a setuid or setgid program is started
-- with GLIBC_TUNABLES in its environment.  The dynamic loader parses it
-- while privileged (CVE-2023-4911, "Looney Tunables"); nobody needs to tune
-- malloc for passwd or su.

local S_ISUID, S_ISGID = 2048, 1024

tracee.signature {
	id = "TRC-2110",
	name = "glibc_tunables_setuid",
	title = "Setuid program started with GLIBC_TUNABLES",
	version = "1",
	severity = 3,
	description = "A setuid or setgid program was executed with the GLIBC_TUNABLES " ..
		"environment variable set. Exploits of the dynamic loader's tunables parser " ..
		"(CVE-2023-4911) do this to become root.",
	tags = { "linux", "container", "process", "privilege-escalation" },
	mitre = { category = "privilege-escalation",
		  technique = "Exploitation for Privilege Escalation", id = "T1068" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local mode = e.args.inode_mode
		if type(mode) ~= "number" or math.tointeger(mode) & (S_ISUID | S_ISGID) == 0 then
			return
		end
		local v = tracee.getenv(e.args.envp, "GLIBC_TUNABLES")
		if v then
			tracee.finding { data = { pathname = e.args.pathname,
				GLIBC_TUNABLES = v:sub(1, 256) } }
		end
	end,
}
