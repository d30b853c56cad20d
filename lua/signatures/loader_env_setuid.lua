-- TRC-2111 loader_env_setuid: a setuid or setgid program is started with a
-- dynamic-loader variable that injects code or redirects output
-- (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, ...).  The loader ignores most of
-- them in secure mode, so their presence means someone tries its limits.
-- TRC-107 (ld_preload) reports LD_PRELOAD for every program; this one is
-- about privileged programs and the other variables.

local S_ISUID, S_ISGID = 2048, 1024
local vars = { "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "LD_DEBUG_OUTPUT", "LD_PROFILE",
	"LD_ORIGIN_PATH", "LD_HWCAP_MASK" }

tracee.signature {
	id = "TRC-2111",
	name = "loader_env_setuid",
	title = "Setuid program started with a dynamic-loader variable",
	version = "1",
	severity = 3,
	description = "A setuid or setgid program was executed with an LD_* variable that " ..
		"makes the dynamic loader load code or write files (LD_PRELOAD, LD_AUDIT, " ..
		"LD_LIBRARY_PATH, ...). This is a classic attempt to get root through a " ..
		"privileged program.",
	tags = { "linux", "container", "process", "privilege-escalation" },
	mitre = { category = "privilege-escalation", technique = "Dynamic Linker Hijacking",
		  id = "T1574.006" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local mode = e.args.inode_mode
		if type(mode) ~= "number" or math.tointeger(mode) & (S_ISUID | S_ISGID) == 0 then
			return
		end
		local env = e.args.envp
		for _, var in ipairs(vars) do
			local v = tracee.getenv(env, var)
			if v and v ~= "" then
				tracee.finding { data = { pathname = e.args.pathname, [var] = v:sub(1, 256) } }
				return
			end
		end
	end,
}
