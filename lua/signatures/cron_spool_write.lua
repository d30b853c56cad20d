-- TRC-2022 cron_spool_write: the crontab, at or anacron spool is written
-- directly, not through crontab(1) or at(1).

local F = require "filerules"

local dirs = { "/var/spool/cron/", "/var/spool/at/", "/var/spool/atjobs/",
	       "/var/spool/atspool/", "/var/spool/anacron/" }
local files = tracee.set{ "/etc/at.allow", "/etc/at.deny" }
-- The front ends that check what they install, and the daemons.
local writers = tracee.list("cron_spool_writers", {
	"crontab", "at", "batch", "atd", "atrun", "cron", "crond", "anacron", "fcrontab",
})

tracee.signature {
	id = "TRC-2022",
	name = "cron_spool_write",
	title = "Cron or at spool written directly",
	version = "1",
	severity = 3,
	description = "A file of a cron, at or anacron spool (/var/spool/cron, user " ..
		"crontabs included, /var/spool/at, /var/spool/atjobs, /var/spool/anacron) or " ..
		"/etc/at.allow, /etc/at.deny was written or renamed into place by a program that " ..
		"is not crontab, at or their daemons. The front ends validate and log what they " ..
		"install; writing the spool behind their back installs a job that leaves no " ..
		"such trace. It complements scheduled_task_mod (TRC-1027), which reports the " ..
		"use of the front ends and writes to the cron configuration of /etc.",
	tags = { "linux", "container", "file", "persistence" },
	mitre = { category = "persistence", technique = "Cron", id = "T1053.003" },
	origin = "any",
	events = F.WRITE_EVENTS,
	paths = { "/var/spool/cron/*", "/var/spool/at/*", "/var/spool/atjobs/*",
		  "/var/spool/atspool/*", "/var/spool/anacron/*", "/etc/at.allow", "/etc/at.deny" },

	on_event = function(e)
		local path = F.written_path(e)
		if not path or not (files[path] or F.under(path, dirs)) then return end
		if writers[e.processName] or F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end,
}
