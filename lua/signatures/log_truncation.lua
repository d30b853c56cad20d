-- TRC-2023 log_truncation: a log file below /var/log is truncated (opened
-- with O_TRUNC, truncate(2), or opened and then ftruncate(2)d).

local F = require "filerules"

local LOG = "/var/log/"
local O_APPEND = 0x400
local FTRUNC_WINDOW_NS = 2000000000
-- Programs that rotate, vacuum or rewrite logs as their job.
local writers = tracee.list("log_writers", {
	"logrotate", "savelog", "rsyslogd", "syslog-ng", "systemd-journal", "journalctl",
	"auditd", "systemd-tmpfile", "tmpreaper", "tmpwatch", "newsyslog", "cloud-init",
})

-- The last /var/log file each process opened for writing without O_APPEND,
-- and when: ftruncate(2) names an fd, which the open event does not give,
-- so an ftruncate soon after such an open is taken to be of that file
-- (truncate -s 0 FILE opens it, then calls ftruncate).
local opened = {}
local nr_opened = 0

local function appends(flags)
	if type(flags) == "number" then return math.tointeger(flags) & O_APPEND ~= 0 end
	return type(flags) == "string" and flags:find("O_APPEND", 1, true) ~= nil
end

local function report(e, path, how)
	if writers[e.processName] or F.run_by(e, F.package_managers) then return end
	tracee.finding { data = { pathname = path, how = how } }
end

tracee.signature {
	id = "TRC-2023",
	name = "log_truncation",
	title = "Log file truncated",
	version = "1",
	severity = 2,
	description = "A log file below /var/log was truncated: opened with O_TRUNC, cut by " ..
		"truncate(2), or opened for writing and cut by ftruncate(2) right after (how " ..
		"truncate(1) does it; ftruncate names a descriptor, so the file is the one the " ..
		"process opened for writing last, within two seconds). Emptying auth.log, " ..
		"syslog, wtmp or the journal erases the trace of an intrusion. Log daemons, " ..
		"logrotate and package managers are left out.",
	tags = { "linux", "container", "file", "defense-evasion" },
	mitre = { category = "defense-evasion", technique = "Clear Linux or Mac System Logs",
		  id = "T1070.002" },
	origin = "any",
	events = { "security_file_open", "truncate", "ftruncate", "chdir" },
	paths = { "/var/log/*" },

	on_event = function(e)
		local n = e.eventName
		if n == "chdir" then
			F.track_chdir(e)
		elseif n == "security_file_open" then
			local path, flags = e.args.pathname, e.args.flags
			if not tracee.starts_with(path, LOG) or not tracee.is_file_write(flags) then
				return
			end
			if F.truncates(flags) then
				report(e, path, "open O_TRUNC")
			elseif not appends(flags) then
				if nr_opened >= 4096 then opened, nr_opened = {}, 0 end
				if not opened[e.hostProcessId] then nr_opened = nr_opened + 1 end
				opened[e.hostProcessId] = { path = path, ts = e.timestamp }
			end
		elseif e.returnValue == 0 then
			if n == "truncate" then
				local path = F.syscall_paths(e)
				if tracee.starts_with(path, LOG) then report(e, path, "truncate") end
			else
				local o = opened[e.hostProcessId]
				if o and e.timestamp - o.ts <= FTRUNC_WINDOW_NS then
					report(e, o.path, "ftruncate")
				end
			end
		end
	end,
}
