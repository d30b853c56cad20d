-- TRC-1016 illegitimate_shell: a web server process starts a shell.
-- The previous command name comes from the exec event's prev_comm argument
-- when the kernel side gives it, else from the parent in the process tree.

local shells = tracee.set{ "ash", "bash", "csh", "ksh", "sh", "tcsh", "zsh", "dash" }
local web_servers = tracee.set{ "nginx", "httpd", "httpd-foregroun", "http-nio", "lighttpd",
				"apache", "apache2" }

tracee.signature {
	id = "TRC-1016",
	name = "illegitimate_shell",
	title = "Web server spawned a shell",
	version = "1",
	severity = 2,
	description = "A web-server program on your server spawned a shell program. Shell " ..
		"is the linux command-line program, web servers usually don't run shell " ..
		"programs, so this alert might indicate an adversary is exploiting a web server " ..
		"program to gain command execution on the server.",
	tags = { "linux", "container" },
	mitre = { category = "initial-access", technique = "Exploit Public-Facing Application",
		  id = "T1190" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		if not (shells[e.processName] or shells[tracee.basename(e.args.pathname)]) then
			return
		end
		local prev = e.args.prev_comm
		if not prev then
			local parent = tracee.process(e.hostParentProcessId)
			prev = parent and parent.comm
		end
		if web_servers[prev] then
			tracee.finding { data = { ["web server"] = prev } }
		end
	end,
}
