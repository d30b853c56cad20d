-- TRC-2012 system_binary_write: a file below a binary or library directory
-- is opened for writing by something other than a package manager.

local F = require "filerules"

local dirs = { "/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/usr/local/bin/",
	       "/usr/local/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/", "/usr/lib/",
	       "/usr/lib32/", "/usr/lib64/", "/usr/libx32/", "/usr/libexec/", "/usr/local/lib/",
	       "/usr/local/libexec/" }
-- Programs that keep generated files below those directories (module
-- indexes, locale archive, hardware database, byte-compiled Python).
local writers = tracee.list("system_binary_writers", {
	"depmod", "ldconfig", "localedef", "systemd-hwdb", "udevadm", "py3compile",
	"pycompile", "update-initramf", "mkinitramfs", "dracut", "pip", "pip3", "npm", "gem",
	"snapd", "flatpak",
})

tracee.signature {
	id = "TRC-2012",
	name = "system_binary_write",
	title = "System binary or library written",
	version = "1",
	severity = 2,
	description = "A file below a system binary or library directory (/bin, /sbin, " ..
		"/usr/bin, /usr/sbin, /usr/local/bin, /lib, /usr/lib, /usr/libexec, ...) was " ..
		"opened for writing by a program that is not a package manager nor run by one. " ..
		"Adversaries replace or trojan system programs and libraries to persist and to " ..
		"hide. The path is the kernel-resolved one, whatever name was used.",
	tags = { "linux", "container", "file", "persistence" },
	mitre = { category = "persistence", technique = "Compromise Host Software Binary",
		  id = "T1554" },
	origin = "any",
	events = { "security_file_open" },
	paths = { "/bin/*", "/sbin/*", "/usr/bin/*", "/usr/sbin/*", "/usr/local/bin/*",
		  "/usr/local/sbin/*", "/lib*", "/usr/lib*", "/usr/libexec/*", "/usr/local/lib/*",
		  "/usr/local/libexec/*" },

	on_event = function(e)
		if not tracee.is_file_write(e.args.flags) then return end
		local path = e.args.pathname
		if not F.under(path, dirs) or writers[e.processName] then return end
		-- Python caches its byte-code next to the modules it runs as root
		if path:find("/__pycache__/", 1, true) then return end
		if F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end,
}
