-- TRC-2113 sudoedit_editor_bypass: sudoedit (or sudo -e) runs with an
-- editor variable (SUDO_EDITOR, VISUAL, EDITOR) holding a "--" word: sudo
-- then takes what follows as more files to edit, as root, whatever the
-- sudoers rule allows (CVE-2023-22809).

local editor_vars = { "SUDO_EDITOR", "VISUAL", "EDITOR" }

-- true for sudoedit, or sudo with -e/--edit before its operands
local function is_sudoedit(e)
	local prog = tracee.basename(e.args.pathname)
	if prog == "sudoedit" then return true end
	if prog ~= "sudo" or type(e.args.argv) ~= "table" then return false end
	for i = 2, #e.args.argv do
		local a = e.args.argv[i]
		if a == "--" or type(a) ~= "string" or a:sub(1, 1) ~= "-" then return false end
		if a == "--edit" or (a:sub(2, 2) ~= "-" and a:find("e", 2, true)) then return true end
	end
	return false
end

tracee.signature {
	id = "TRC-2113",
	name = "sudoedit_editor_bypass",
	title = "sudoedit run with an editor variable holding \"--\"",
	version = "1",
	severity = 3,
	description = "sudoedit was run with SUDO_EDITOR, VISUAL or EDITOR containing " ..
		"\"--\": sudo then edits the files named after it as root, outside what sudoers " ..
		"allows (CVE-2023-22809).",
	tags = { "linux", "container", "process", "privilege-escalation" },
	mitre = { category = "privilege-escalation", technique = "Sudo and Sudo Caching",
		  id = "T1548.003" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		if not is_sudoedit(e) then return end
		for _, var in ipairs(editor_vars) do
			local v = tracee.getenv(e.args.envp, var)
			if v and (" " .. v .. " "):find("%s%-%-%s") then
				tracee.finding { data = { pathname = e.args.pathname, [var] = v:sub(1, 256) } }
				return
			end
		end
	end,
}
