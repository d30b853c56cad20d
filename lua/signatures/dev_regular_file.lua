-- TRC-2016 dev_regular_file: data is written to a regular file below /dev,
-- where only device nodes belong.

local F = require "filerules"

-- memory filesystems mounted below /dev, where regular files are normal
local skip = { "/dev/shm/", "/dev/mqueue/", "/dev/hugepages/" }
local writers = tracee.list("dev_file_writers", { "systemd-udevd", "udevd", "udevadm" })

tracee.signature {
	id = "TRC-2016",
	name = "dev_regular_file",
	title = "Regular file written below /dev",
	version = "1",
	severity = 2,
	description = "A regular file below /dev got its first bytes written. /dev holds " ..
		"device nodes, and nobody looks for files among them: adversaries hide " ..
		"payloads and stolen data there. The event (magic_write) is only produced for " ..
		"regular files, so writes to devices (/dev/null, a tty) never match; /dev/shm " ..
		"and other memory filesystems below /dev are left out.",
	tags = { "linux", "container", "file", "defense-evasion" },
	mitre = { category = "defense-evasion", technique = "Hidden Files and Directories",
		  id = "T1564.001" },
	origin = "any",
	events = { "magic_write" },

	on_event = function(e)
		local path = e.args.pathname
		if not tracee.starts_with(path, "/dev/") or F.under(path, skip) then return end
		if writers[e.processName] then return end
		tracee.finding { data = { pathname = path } }
	end,
}
