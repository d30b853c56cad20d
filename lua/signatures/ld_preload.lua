-- TRC-107 ld_preload: a program is started with LD_PRELOAD or
-- LD_LIBRARY_PATH, or /etc/ld.so.preload is written or replaced: a library
-- gets injected into every process that starts.

local preload_file = "/etc/ld.so.preload"
local env_vars = { "LD_PRELOAD", "LD_LIBRARY_PATH" }

tracee.signature {
	id = "TRC-107",
	name = "ld_preload",
	title = "LD_PRELOAD code injection detected",
	version = "1",
	severity = 2,
	description = "LD_PRELOAD usage was detected. LD_PRELOAD lets you load your library " ..
		"before any other library, allowing you to hook functions in a process. " ..
		"Adversaries may use this technique to change your applications' behavior or " ..
		"load their own programs.",
	tags = { "linux", "container" },
	mitre = { category = "persistence", technique = "LD_PRELOAD", id = "T1574.006" },
	origin = "any",
	events = { "sched_process_exec", "security_file_open", "security_inode_rename" },
	paths = { "/etc/ld.so.preload" },

	on_event = function(e)
		local name = e.eventName
		if name == "sched_process_exec" then
			local env = e.args.env or e.args.envp
			for _, var in ipairs(env_vars) do
				local v = tracee.getenv(env, var)
				if v and v ~= "" then
					-- the whole entry, as the original Tracee reports it
					tracee.finding { data = { [var] = var .. "=" .. v } }
					return
				end
			end
		elseif name == "security_file_open" then
			if e.args.pathname == preload_file and tracee.is_file_write(e.args.flags) then
				tracee.finding { data = { pathname = preload_file } }
				tracee.capture(e, "file")	-- with -c: the list, as it is now
			end
		elseif name == "security_inode_rename" then
			if e.args.new_path == preload_file then
				tracee.finding { data = { pathname = preload_file } }
				tracee.capture(e, "file")	-- with -c: the list moved in
			end
		end
	end,
}
