-- TRC-1016 illegitimate_shell: a web server process starts a shell.
-- The web server's command name comes from the exec event's prev_comm
-- argument when the kernel side gives it; else from the execve/execveat
-- call just before the exec (made under the caller's name: this catches a
-- web server that replaces itself with a shell, as shellcode does); else
-- from the parent in the process tree (a web server that forks a shell).

local shells = tracee.set{ "ash", "bash", "csh", "ksh", "sh", "tcsh", "zsh", "dash" }
local web_servers = tracee.set{ "nginx", "httpd", "httpd-foregroun", "http-nio", "lighttpd",
				"apache", "apache2" }
-- host pid -> the web server's name, from its execve/execveat of a shell
local caller, nr_caller = {}, 0

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
	events = { "sched_process_exec", "execve", "execveat" },

	on_event = function(e)
		local pid = e.hostProcessId
		if e.eventName ~= "sched_process_exec" then
			if web_servers[e.processName] and
			   shells[tracee.basename(e.args.pathname)] then
				if nr_caller >= 4096 then caller, nr_caller = {}, 0 end
				if not caller[pid] then nr_caller = nr_caller + 1 end
				caller[pid] = e.processName
			end
			return
		end
		local called_by = caller[pid]
		if called_by then
			caller[pid] = nil
			nr_caller = nr_caller - 1
		end
		if not (shells[e.processName] or shells[tracee.basename(e.args.pathname)]) then
			return
		end
		local prev = e.args.prev_comm or called_by
		if not prev then
			local parent = tracee.process(e.hostParentProcessId)
			prev = parent and parent.comm
		end
		if web_servers[prev] then
			tracee.finding { data = { ["web server"] = prev } }
		end
	end,
}
