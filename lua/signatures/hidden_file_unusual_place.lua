-- TRC-2018 hidden_file_unusual_place: a file or directory whose name starts
-- with a dot is created in a temporary directory or a system directory.

local F = require "filerules"

local dirs = { "/tmp/", "/var/tmp/", "/dev/shm/", "/run/shm/", "/usr/", "/etc/", "/bin/",
	       "/sbin/", "/lib/", "/lib64/", "/boot/", "/var/lib/", "/var/log/", "/var/spool/" }
-- Dot names that systems make there (X11 and ICE sockets, passwd's lock,
-- systemd's update stamp, etckeeper's repository, build-id links).
local names = tracee.list("hidden_file_names", {
	".X11-unix", ".ICE-unix", ".font-unix", ".XIM-unix", ".Test-unix", ".pwd.lock",
	".updated", ".build-id", ".etckeeper", ".git", ".gitignore", ".java", ".keep",
	".gitkeep", ".placeholder", ".lock",
})

local function ordinary(base)
	-- temporary names of editors, X locks, and the ".NAME.RANDOM" files
	-- written then renamed over NAME (rsync, systemd's ".#", pidfiles)
	if base:sub(1, 2) == ".#" or base:match("^%.X%d+%-lock$") or base:match("%.sw[a-px]$") then
		return true
	end
	local rnd = base:match("^%..+%.([%w_]+)$")
	return rnd ~= nil and #rnd >= 6 and rnd:find("%d") ~= nil
end

tracee.signature {
	id = "TRC-2018",
	name = "hidden_file_unusual_place",
	title = "Hidden file created in a temporary or system directory",
	version = "1",
	severity = 1,
	description = "A file (first bytes written) or a directory (mkdir) whose name starts " ..
		"with a dot was created below /tmp, /var/tmp, /dev/shm, /usr, /etc, /boot, /var/lib, " ..
		"/var/log or a binary directory. Nothing hides there by design; adversaries use " ..
		"dot names there to keep tools and loot out of a casual ls. The dot names systems " ..
		"make there are in the shared list hidden_file_names; editor temporaries " ..
		"and .NAME.RANDOM files of atomic replacements are left out. A file created empty is not seen; mkdir names are " ..
		"resolved like other syscall paths (see system_binary_rename).",
	tags = { "linux", "container", "file", "defense-evasion" },
	mitre = { category = "defense-evasion", technique = "Hidden Files and Directories",
		  id = "T1564.001" },
	origin = "any",
	events = { "magic_write", "mkdir", "mkdirat", "chdir" },

	on_event = function(e)
		local n, path = e.eventName, nil
		if n == "chdir" then
			F.track_chdir(e)
			return
		elseif n == "magic_write" then
			path = e.args.pathname
		elseif e.returnValue == 0 then
			path = F.syscall_paths(e)
		end
		if not F.under(path, dirs) then return end
		local base = tracee.basename(path)
		if base:sub(1, 1) ~= "." or names[base] or ordinary(base) then return end
		if F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path,
					  kind = n == "magic_write" and "file" or "directory" } }
	end,
}
