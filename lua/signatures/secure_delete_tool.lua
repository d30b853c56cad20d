-- TRC-2027 secure_delete_tool: a file shredding tool (shred, wipe, srm, ...)
-- is run.

local F = require "filerules"

local tools = tracee.list("secure_delete_tools", {
	"shred", "wipe", "srm", "sfill", "sswap", "sdmem", "scrub", "bcwipe", "nwipe",
})
-- logrotate's "shred" option runs shred on rotated logs
local callers = tracee.list("secure_delete_callers", { "logrotate" })

tracee.signature {
	id = "TRC-2027",
	name = "secure_delete_tool",
	title = "File shredding tool run",
	version = "1",
	severity = 2,
	description = "A program that overwrites files before deleting them (shred, wipe, " ..
		"srm, sfill, scrub, nwipe, ...) was run, other than by logrotate's shred option " ..
		"or a package manager. Adversaries shred their tools, logs and histories so that " ..
		"not even the disk blocks can be recovered. The program is known by the file " ..
		"executed (a script by its own path, not its interpreter's).",
	tags = { "linux", "container", "process", "defense-evasion" },
	mitre = { category = "defense-evasion", technique = "File Deletion", id = "T1070.004" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local tool = tracee.basename(e.args.pathname)
		if not tools[tool] then
			tool = tracee.basename(e.args.cmdpath)
			if not tools[tool] then return end
		end
		if F.run_by(e, callers) or F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { tool = tool, command = type(e.args.argv) == "table" and
					  table.concat(e.args.argv, " ") or tool } }
	end,
}
