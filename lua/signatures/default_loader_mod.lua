-- TRC-1012 default_loader_mod: the dynamic loader (ld-linux*.so under /lib or
-- /usr/lib) is written or replaced: every dynamically linked program runs it.

local function is_loader(path)
	if type(path) ~= "string" then return false end
	if not (tracee.starts_with(path, "/lib") or tracee.starts_with(path, "/usr/lib")) then
		return false
	end
	-- the last component starts with "ld" and has ".so" in it; matched on
	-- that component alone, never backtracking over the whole path
	local base = path:match("[^/]*$")
	return base:find("^ld.*%.so") ~= nil
end

tracee.signature {
	id = "TRC-1012",
	name = "default_loader_mod",
	title = "Default dynamic loader modification detected",
	version = "1",
	severity = 3,
	description = "The default dynamic loader has been modified. The dynamic loader is " ..
		"an executable file loaded to process memory and run before the executable to " ..
		"load dynamic libraries to the process. An attacker might use this technique to " ..
		"hijack the execution context of each new process and bypass defenses.",
	tags = { "linux", "container" },
	mitre = { category = "defense-evasion", technique = "Hijack Execution Flow", id = "T1574" },
	origin = "any",
	events = { "security_file_open", "security_inode_rename" },
	paths = { "/lib*", "/usr/lib*" },

	on_event = function(e)
		local path = tracee.written_path(e)
		if is_loader(path) then
			tracee.finding { data = { pathname = path } }
		end
	end,
}
