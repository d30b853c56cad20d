-- TRC-2102 exec_from_hidden_dir: a program is run from a directory whose
-- name starts with a dot, a place `ls` does not show.  The dot directories
-- of developer tool chains (~/.local/bin, ~/.cargo/bin, git hooks, ...)
-- are in the shared list "hidden_exec_dirs".

local allowed = tracee.list("hidden_exec_dirs", {
	".local", ".cargo", ".rustup", ".pyenv", ".rbenv", ".nvm", ".nodenv", ".goenv",
	".sdkman", ".asdf", ".volta", ".deno", ".bun", ".dotnet", ".krew", ".linuxbrew",
	".vscode-server", ".cursor-server", ".git", ".npm", ".gradle", ".m2", ".mount_",
})

-- the first hidden directory of PATH that is not allowed, or nil
local function hidden_dir(path)
	local dir = tracee.dirname(path)
	for comp in dir:gmatch("[^/]+") do
		if comp:sub(1, 1) == "." and comp ~= "." and comp ~= ".." then
			-- AppImage mounts are .mount_XXXXXX: match the allowed prefix
			if not (allowed[comp] or (comp:sub(1, 7) == ".mount_" and allowed[".mount_"])) then
				return comp
			end
		end
	end
	return nil
end

tracee.signature {
	id = "TRC-2102",
	name = "exec_from_hidden_dir",
	title = "Program executed from a hidden directory",
	version = "1",
	severity = 2,
	description = "A program was executed from a hidden directory (its name starts " ..
		"with a dot). Adversaries hide their tools in such directories to escape casual " ..
		"inspection.",
	tags = { "linux", "container", "process" },
	mitre = { category = "defense-evasion", technique = "Hidden Files and Directories",
		  id = "T1564.001" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local path = e.args.pathname
		if type(path) ~= "string" or not path:find("/.", 1, true) then return end
		local dir = hidden_dir(path)
		if dir then
			tracee.capture(e, "exec")	-- with -c: the hidden binary itself
			tracee.finding { data = { pathname = path, directory = dir } }
		end
	end,
}
