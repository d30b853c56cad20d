-- TRC-2112 pkexec_empty_argv: pkexec is started with no arguments at all,
-- not even its own name (argc 0).  pkexec then reads past argv into the
-- environment (CVE-2021-4034, "PwnKit").  Kernels from 5.18 turn an empty
-- argv into one empty string, which is matched too.

tracee.signature {
	id = "TRC-2112",
	name = "pkexec_empty_argv",
	title = "pkexec started with an empty argument list",
	version = "1",
	severity = 3,
	description = "pkexec was executed with an empty argument vector. This is the " ..
		"trigger of CVE-2021-4034 (PwnKit), which lets any local user become root.",
	tags = { "linux", "container", "process", "privilege-escalation" },
	mitre = { category = "privilege-escalation",
		  technique = "Exploitation for Privilege Escalation", id = "T1068" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		if tracee.basename(e.args.pathname) ~= "pkexec" then return end
		local argv = e.args.argv
		if type(argv) ~= "table" or #argv == 0 or (#argv == 1 and argv[1] == "") then
			tracee.finding { data = { pathname = e.args.pathname,
				GCONV_PATH = tracee.getenv(e.args.envp, "GCONV_PATH") } }
		end
	end,
}
