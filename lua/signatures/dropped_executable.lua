-- TRC-1022 dropped_executable: a container writes a new ELF executable to
-- disk (container images normally ship every binary they need).

tracee.signature {
	id = "TRC-1022",
	name = "dropped_executable",
	title = "New executable dropped",
	version = "1",
	severity = 2,
	description = "An Executable file was dropped in the system during runtime. " ..
		"Container images are usually built with all binaries needed inside. A dropped " ..
		"binary may indicate that an adversary infiltrated your container.",
	tags = { "linux", "container" },
	mitre = { category = "defense-evasion", technique = "Masquerading", id = "T1036" },
	origin = "container",
	events = { "magic_write" },

	on_event = function(e)
		local path = e.args.pathname
		if tracee.is_elf(e.args.bytes) and not tracee.is_memory_path(path) then
			tracee.finding { data = { path = path } }
			tracee.capture(e, "file")	-- with -c: the dropped file, as it is now
		end
	end,
}
