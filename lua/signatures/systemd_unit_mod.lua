-- TRC-2021 systemd_unit_mod: a systemd unit (service, timer, socket, path,
-- drop-in) is written or moved into a system or user unit directory.

local F = require "filerules"

local dirs = { "/etc/systemd/system/", "/etc/systemd/user/", "/lib/systemd/system/",
	       "/lib/systemd/user/", "/usr/lib/systemd/system/", "/usr/lib/systemd/user/",
	       "/usr/local/lib/systemd/system/", "/run/systemd/system/", "/run/systemd/user/" }
local home_dir = "/.config/systemd/user/"
local writers = tracee.list("systemd_unit_writers", { "systemd", "systemctl" })

local function is_unit(path)
	if F.under(path, dirs) then return true end
	local rel = F.in_home(path)
	return rel ~= nil and rel:sub(1, #home_dir) == home_dir
end

tracee.signature {
	id = "TRC-2021",
	name = "systemd_unit_mod",
	title = "Systemd unit created or modified",
	version = "1",
	severity = 2,
	description = "A file below a systemd unit directory (/etc/systemd/system, " ..
		"/lib/systemd/system, /usr/lib/systemd/system, /run/systemd/system, their user " ..
		"counterparts, ~/.config/systemd/user of any user) was opened for writing or " ..
		"renamed into place by a program that is not a package manager nor systemd " ..
		"itself (systemctl edit, set-property). A service or a timer there runs the " ..
		"adversary's program at boot, on a schedule, or at login.",
	tags = { "linux", "container", "file", "persistence" },
	mitre = { category = "persistence", technique = "Systemd Service", id = "T1543.002" },
	origin = "any",
	events = F.WRITE_EVENTS,
	paths = { "/etc/systemd/system/*", "/etc/systemd/user/*", "/lib/systemd/system/*",
		  "/lib/systemd/user/*", "/usr/lib/systemd/system/*", "/usr/lib/systemd/user/*",
		  "/usr/local/lib/systemd/system/*", "/run/systemd/system/*",
		  "/run/systemd/user/*", "/root/.config/systemd/*", "/home/*/.config/systemd/*" },

	on_event = function(e)
		local path = F.written_path(e)
		if not is_unit(path) or writers[e.processName] then return end
		if F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end,
}
