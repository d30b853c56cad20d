-- TRC-2017 package_db_write: the package database (dpkg, rpm, apk, pacman)
-- is written or replaced by something other than a package manager.

local F = require "filerules"

local dirs = { "/var/lib/dpkg/", "/var/lib/rpm/", "/usr/lib/sysimage/rpm/", "/var/lib/apk/",
	       "/lib/apk/db/", "/var/lib/pacman/" }
-- Taking the database lock is what every reader of apt's library does.
local locks = tracee.set{ "lock", "lock-frontend", "Lock", ".rpm.lock", "db.lck" }
local writers = tracee.list("package_db_writers", { "apt-check", "aptd", "rpmkeys" })

tracee.signature {
	id = "TRC-2017",
	name = "package_db_write",
	title = "Package database modified outside the package manager",
	version = "1",
	severity = 2,
	description = "A file of the package database (/var/lib/dpkg, /var/lib/rpm, " ..
		"/var/lib/apk, /var/lib/pacman) was written or replaced by a program that is " ..
		"not a package manager nor run by one. Adversaries edit it to hide what they " ..
		"installed, or to make verification (dpkg --verify, rpm -V) accept files they " ..
		"changed. Lock files are left out.",
	tags = { "linux", "container", "file", "defense-evasion" },
	mitre = { category = "defense-evasion", technique = "Indicator Removal", id = "T1070" },
	origin = "any",
	events = F.WRITE_EVENTS,
	paths = { "/var/lib/dpkg/*", "/var/lib/rpm/*", "/usr/lib/sysimage/rpm/*", "/var/lib/apk/*",
		  "/lib/apk/db/*", "/var/lib/pacman/*" },

	on_event = function(e)
		local path = F.written_path(e)
		if not F.under(path, dirs) or locks[tracee.basename(path)] then return end
		if writers[e.processName] or F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end,
}
