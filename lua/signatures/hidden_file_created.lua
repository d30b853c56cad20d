-- TRC-1015 hidden_file_created: an ELF executable is written to a file whose
-- name starts with a dot.

tracee.signature {
	id = "TRC-1015",
	name = "hidden_file_created",
	title = "Hidden executable creation detected",
	version = "1",
	severity = 2,
	description = "A hidden executable (ELF file) was created on disk. This activity " ..
		"could be legitimate; however, it could indicate that an adversary is trying to " ..
		"avoid detection by hiding their programs.",
	tags = { "linux", "container" },
	mitre = { category = "defense-evasion", technique = "Hidden Files and Directories",
		  id = "T1564.001" },
	origin = "any",
	events = { "magic_write" },

	on_event = function(e)
		local path = e.args.pathname
		if tracee.is_elf(e.args.bytes) and tracee.basename(path):sub(1, 1) == "." then
			tracee.finding { data = { ["hidden file"] = path } }
		end
	end,
}
