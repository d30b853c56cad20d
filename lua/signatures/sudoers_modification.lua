-- TRC-1028 sudoers_modification: /etc/sudoers or /etc/sudoers.d/ is written
-- or replaced.

local files = tracee.set{ "/etc/sudoers", "/private/etc/sudoers" }
local dirs = { "/etc/sudoers.d/", "/private/etc/sudoers.d/" }

local function is_sudoers(path)
	if type(path) ~= "string" then return false end
	if files[path] then return true end
	for _, d in ipairs(dirs) do
		if tracee.starts_with(path, d) then return true end
	end
	return false
end

tracee.signature {
	id = "TRC-1028",
	name = "sudoers_modification",
	title = "Sudoers file modification detected",
	version = "1",
	severity = 2,
	description = "The sudoers file was modified. The sudoers file is a configuration " ..
		"file which controls the permissions and options of the sudo feature. " ..
		"Adversaries may alter the sudoers file to elevate privileges, execute commands " ..
		"as other users or spawn processes with higher privileges.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Sudo and Sudo Caching",
		  id = "T1548.003" },
	origin = "any",
	events = { "security_file_open", "security_inode_rename" },
	paths = { "/etc/sudoers*", "/private/etc/sudoers*" },

	on_event = function(e)
		local path = tracee.written_path(e)
		if is_sudoers(path) then
			tracee.finding { data = { pathname = path } }
		end
	end,
}
