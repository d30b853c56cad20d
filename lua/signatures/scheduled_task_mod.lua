-- TRC-1027 scheduled_task_mod: cron/at configuration is written or replaced,
-- or crontab/at/batch run.

local files = tracee.set{ "/etc/crontab", "/etc/anacrontab", "/etc/cron.deny",
			  "/etc/cron.allow" }
local dirs = { "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly", "/etc/cron.monthly",
	       "/etc/cron.d", "/var/spool/cron/crontabs", "/var/spool/anacron" }
local commands = tracee.set{ "crontab", "at", "batch", "launchd" }

local function is_cron(path)
	if type(path) ~= "string" then return false end
	if files[path] then return true end
	for _, d in ipairs(dirs) do
		if tracee.starts_with(path, d) then return true end
	end
	return false
end

tracee.signature {
	id = "TRC-1027",
	name = "scheduled_task_mod",
	title = "Scheduled tasks modification detected",
	version = "1",
	severity = 2,
	description = "The task scheduling functionality or files were modified. Crontab " ..
		"schedules task execution or enables task execution at boot time. Adversaries " ..
		"may add or modify scheduled tasks in order to persist a reboot, thus " ..
		"maintaining malicious execution on the affected host.",
	tags = { "linux", "container" },
	mitre = { category = "persistence", technique = "Cron", id = "T1053.003" },
	origin = "any",
	events = { "sched_process_exec", "security_file_open", "security_inode_rename" },
	paths = { "/etc/cron*", "/etc/anacrontab", "/var/spool/cron/*", "/var/spool/anacron*" },

	on_event = function(e)
		local name = e.eventName
		if name == "sched_process_exec" then
			-- batch (and at on some systems) is a script: pathname is its
			-- interpreter, cmdpath the path that was executed.
			local cmd = tracee.basename(e.args.pathname)
			if not commands[cmd] then cmd = tracee.basename(e.args.cmdpath) end
			if commands[cmd] then
				tracee.finding { data = { command = cmd } }
			end
		elseif name == "security_file_open" then
			if tracee.is_file_write(e.args.flags) and is_cron(e.args.pathname) then
				tracee.finding { data = { pathname = e.args.pathname } }
			end
		elseif is_cron(e.args.new_path) then
			tracee.finding { data = { pathname = e.args.new_path } }
		end
	end,
}
