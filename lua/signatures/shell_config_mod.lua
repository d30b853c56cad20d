-- TRC-2020 shell_config_mod: a shell start-up file (a user's .bashrc,
-- .profile, .zshrc, ...; /etc/profile, /etc/profile.d/, /etc/bash.bashrc)
-- is written or replaced.

local F = require "filerules"

local user_files = tracee.set{
	".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc",
	".zprofile", ".zshenv", ".zlogin", ".zlogout", ".cshrc", ".tcshrc", ".login",
	".kshrc", ".mkshrc", ".config/fish/config.fish",
}
local files = tracee.set{ "/etc/profile", "/etc/bash.bashrc", "/etc/bashrc", "/etc/zshrc",
			  "/etc/zprofile", "/etc/zshenv", "/etc/zlogin", "/etc/csh.cshrc",
			  "/etc/csh.login", "/etc/environment", "/etc/mkshrc" }
local dirs = { "/etc/profile.d/", "/etc/zsh/", "/etc/fish/" }
-- useradd -m copies /etc/skel into the new home
local writers = tracee.list("shell_config_writers", { "useradd", "adduser", "mkhomedir_hel" })

local function is_shell_config(path)
	if type(path) ~= "string" then return false end
	if files[path] or F.under(path, dirs) then return true end
	local rel = F.in_home(path)
	return rel ~= nil and user_files[rel:sub(2)] == true
end

tracee.signature {
	id = "TRC-2020",
	name = "shell_config_mod",
	title = "Shell configuration modified",
	version = "1",
	severity = 2,
	description = "A shell start-up file was opened for writing or replaced: a user's " ..
		".bashrc, .bash_profile, .profile, .zshrc and the like (/root or /home/USER), " ..
		"or /etc/profile, /etc/profile.d/, /etc/bash.bashrc, /etc/zsh/. Commands added " ..
		"there run in every shell the user starts, a common way to persist and to " ..
		"capture what users type. Package managers and useradd copying /etc/skel are " ..
		"left out.",
	tags = { "linux", "container", "file", "persistence" },
	mitre = { category = "persistence", technique = "Unix Shell Configuration Modification",
		  id = "T1546.004" },
	origin = "any",
	events = F.WRITE_EVENTS,
	paths = { "*/.bashrc", "*/.bash_profile", "*/.bash_login", "*/.bash_logout",
		  "*/.profile", "*/.zshrc", "*/.zprofile", "*/.zshenv", "*/.zlogin", "*/.zlogout",
		  "*/.cshrc", "*/.tcshrc", "*/.login", "*/.kshrc", "*/.mkshrc", "*/fish/config.fish",
		  "/etc/profile*", "/etc/bash.bashrc", "/etc/bashrc", "/etc/zsh*", "/etc/csh.*",
		  "/etc/environment", "/etc/mkshrc", "/etc/fish/*" },

	on_event = function(e)
		local path = F.written_path(e)
		if not is_shell_config(path) or writers[e.processName] then return end
		if F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end,
}
