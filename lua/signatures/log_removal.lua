-- TRC-2024 log_removal: a file below /var/log is deleted.

local F = require "filerules"

local LOG = "/var/log/"
local writers = tracee.list("log_writers")

tracee.signature {
	id = "TRC-2024",
	name = "log_removal",
	title = "Log file deleted",
	version = "1",
	severity = 2,
	description = "A file below /var/log was deleted (unlink, unlinkat) by a program that " ..
		"is not a log daemon, logrotate nor a package manager. Deleting logs erases the " ..
		"trace of an intrusion. The syscalls give the caller's name: a relative one is " ..
		"resolved against the working directory when its chdir was seen; one relative " ..
		"to a directory fd (rm -r walks directories that way) cannot be resolved, so " ..
		"removing /var/log/x as a whole tree is only reported for the names given " ..
		"whole.",
	tags = { "linux", "container", "file", "defense-evasion" },
	mitre = { category = "defense-evasion", technique = "Clear Linux or Mac System Logs",
		  id = "T1070.002" },
	origin = "any",
	events = { "unlink", "unlinkat", "chdir" },

	on_event = function(e)
		if e.eventName == "chdir" then
			F.track_chdir(e)
			return
		end
		if e.returnValue ~= 0 then return end
		local path = F.syscall_paths(e)
		if not tracee.starts_with(path, LOG) then return end
		if writers[e.processName] or F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end,
}
