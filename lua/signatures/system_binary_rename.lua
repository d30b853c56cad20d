-- TRC-2013 system_binary_rename: a file is renamed into, or out of, a
-- binary or library directory by something other than a package manager.

local F = require "filerules"

local dirs = { "/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/",
	       "/usr/local/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/usr/lib/",
	       "/usr/lib32/", "/usr/lib64/", "/usr/libx32/", "/usr/libexec/", "/usr/local/lib/",
	       "/usr/local/libexec/" }
local writers = tracee.list("system_binary_writers")

tracee.signature {
	id = "TRC-2013",
	name = "system_binary_rename",
	title = "System binary renamed or replaced",
	version = "1",
	severity = 2,
	description = "A file was renamed onto a name below a system binary or library " ..
		"directory, or a system binary was renamed away, by a program that is not a " ..
		"package manager nor run by one: the way a program is swapped for a trojan in " ..
		"one step (mv evil /usr/bin/ls) or set aside to be wrapped. The rename syscalls " ..
		"give the caller's names: relative ones are resolved against the working " ..
		"directory when the chdir that set it was seen (the process's or an ancestor's, " ..
		"as a shell's cd is inherited by the mv it runs); names relative to a directory " ..
		"fd, or to a directory entered before tracing or by fchdir, cannot be resolved. " ..
		"A lexical resolution does not follow symlinks: /bin is reported as /bin, not " ..
		"/usr/bin.",
	tags = { "linux", "container", "file", "persistence", "defense-evasion" },
	mitre = { category = "defense-evasion",
		  technique = "Match Legitimate Name or Location", id = "T1036.005" },
	origin = "any",
	events = { "rename", "renameat", "renameat2", "chdir" },

	on_event = function(e)
		if e.eventName == "chdir" then
			F.track_chdir(e)
			return
		end
		if e.returnValue ~= 0 then return end
		local old, new = F.syscall_paths(e)
		local path = F.under(new, dirs) and new or F.under(old, dirs) and old
		if not path or writers[e.processName] then return end
		if F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path, old_path = old or e.args.oldpath,
					  new_path = new or e.args.newpath } }
	end,
}
