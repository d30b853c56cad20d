-- TRC-2025 shell_history_tampering: a shell history file is deleted, renamed,
-- truncated, or replaced by a link (to /dev/null).

local F = require "filerules"

local names = tracee.set{ ".bash_history", ".zsh_history", ".sh_history", ".ash_history",
			  ".history", ".ksh_history", ".mksh_history", "fish_history",
			  ".python_history", ".mysql_history", ".psql_history", ".lesshst",
			  ".node_repl_history", ".sqlite_history", ".rediscli_history" }
-- The programs that own a history file rewrite it (bash trims it to
-- HISTFILESIZE with O_TRUNC); that is theirs to do.
local owners = tracee.list("history_writers", {
	"bash", "zsh", "sh", "dash", "ash", "ksh", "mksh", "fish", "python3", "python",
	"mysql", "mariadb", "psql", "less", "node", "sqlite3", "redis-cli",
})

local function is_history(path)
	return type(path) == "string" and names[tracee.basename(path)] == true
end

tracee.signature {
	id = "TRC-2025",
	name = "shell_history_tampering",
	title = "Shell history deleted or emptied",
	version = "1",
	severity = 2,
	description = "A command history file (.bash_history, .zsh_history, fish_history, " ..
		".python_history, .mysql_history, ...) was deleted, renamed away, truncated " ..
		"(O_TRUNC open or truncate(2) by another program than its shell) or replaced by " ..
		"a link (ln -sf /dev/null ~/.bash_history). Adversaries erase the commands they " ..
		"typed. A shell truncating its own history (bash trimming it, or a redirection " ..
		"'> ~/.bash_history' performed by the shell) is not told apart and is left out. " ..
		"Relative names are resolved as in system_binary_rename.",
	tags = { "linux", "container", "file", "defense-evasion" },
	mitre = { category = "defense-evasion", technique = "Clear Command History",
		  id = "T1070.003" },
	origin = "any",
	events = { "security_file_open", "unlink", "unlinkat", "rename", "renameat", "renameat2",
		   "truncate", "symlink", "symlinkat", "link", "linkat", "chdir" },
	paths = { "*_history", "*/.history", "*/.lesshst" },

	on_event = function(e)
		local n, path, how = e.eventName, nil, nil
		if n == "chdir" then
			F.track_chdir(e)
			return
		elseif n == "security_file_open" then
			if not F.truncates(e.args.flags) or owners[e.processName] then return end
			path, how = e.args.pathname, "truncated"
		elseif e.returnValue ~= 0 then
			return
		elseif n == "unlink" or n == "unlinkat" or n == "truncate" then
			path = F.syscall_paths(e) or e.args.pathname or e.args.path
			how = n == "truncate" and "truncated" or "deleted"
		elseif n:sub(1, 6) == "rename" then
			path = F.syscall_paths(e) or e.args.oldpath
			how = "renamed"
		else	-- a link made in its place
			local _, l = F.syscall_paths(e)
			path, how = l or e.args.linkpath or e.args.newpath, "replaced by a link"
		end
		if not is_history(path) then return end
		tracee.finding { data = { pathname = path, how = how } }
	end,
}
