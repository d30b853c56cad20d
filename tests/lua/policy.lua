-- A user policy for the Lua module tests: one signature on a known event,
-- one on an event this build's table does not have (dispatched by name).

tracee.signature {
	id = "TEST-1",
	name = "shadow_read",
	version = "1",
	severity = 2,
	description = "Someone opened /etc/shadow",
	tags = { "test" },
	mitre = { category = "credential-access", technique = "OS Credential Dumping", id = "T1003" },
	events = { "security_file_open" },
	on_event = function(e)
		if e.args.pathname == "/etc/shadow" then
			tracee.finding { data = { pathname = e.args.pathname, who = e.processName } }
		end
	end,
}

tracee.signature {
	id = "TEST-2",
	name = "seq_ops_hooked",
	version = "1",
	severity = 3,
	description = "A kernel seq_ops table was hooked",
	events = { "hooked_seq_ops" },
	on_event = function(e)
		tracee.finding {}
	end,
}
