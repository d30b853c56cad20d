-- TRC-2026 history_logging_disabled: a program starts with an environment
-- that turns shell history off (HISTFILE=/dev/null, HISTSIZE=0, ...).

-- value tests per variable: true when the value disables history
local function off(v) return v == "0" end
local function nowhere(v) return v == "" or v == "/dev/null" end
local vars = { { "HISTFILE", nowhere }, { "HISTSIZE", off }, { "HISTFILESIZE", off },
	       { "SAVEHIST", off } }

-- one finding per parent (the shell that exported it), not one per command
local seen, nr_seen = {}, 0

tracee.signature {
	id = "TRC-2026",
	name = "history_logging_disabled",
	title = "Shell history disabled",
	version = "1",
	severity = 2,
	description = "A program started with an environment that disables shell history: " ..
		"HISTFILE empty or /dev/null, or HISTSIZE, HISTFILESIZE or SAVEHIST set to 0. " ..
		"Adversaries do this first so that the commands they type are never written. " ..
		"The variable is seen in the environment of the programs the shell starts " ..
		"(an export inside an interactive shell shows in its first command); each " ..
		"parent is reported once. 'unset HISTFILE' leaves no variable and is not seen.",
	tags = { "linux", "container", "process", "defense-evasion" },
	mitre = { category = "defense-evasion", technique = "Impair Command History Logging",
		  id = "T1562.003" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local env = e.args.envp or e.args.env
		if type(env) ~= "table" then return end
		for _, v in ipairs(vars) do
			local val = tracee.getenv(env, v[1])
			if val ~= nil and v[2](val) then
				local ppid = e.hostParentProcessId
				if seen[ppid] then return end
				if nr_seen >= 4096 then seen, nr_seen = {}, 0 end
				seen[ppid], nr_seen = true, nr_seen + 1
				tracee.finding { data = { variable = v[1] .. "=" .. val,
							  pathname = e.args.pathname } }
				return
			end
		end
	end,
}
