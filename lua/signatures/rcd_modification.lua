-- TRC-1026 rcd_modification: boot scripts (rc.local, /etc/init.d, /etc/rcN.d)
-- are written or replaced, or update-rc.d runs (a Perl script: the exec
-- event's pathname is the interpreter, its cmdpath the script).

local files = tracee.set{ "/etc/rc.local", "/etc/init.d/rc.local" }
local dirs = { "/etc/init.d", "/etc/rc.d", "/etc/rcS.d", "/etc/rc0.d", "/etc/rc1.d",
	       "/etc/rc2.d", "/etc/rc3.d", "/etc/rc4.d", "/etc/rc5.d", "/etc/rc6.d" }

local function is_rcd(path)
	if type(path) ~= "string" then return false end
	if files[path] then return true end
	for _, d in ipairs(dirs) do
		if tracee.starts_with(path, d .. "/") then return true end
	end
	return false
end

tracee.signature {
	id = "TRC-1026",
	name = "rcd_modification",
	title = "Rcd modification detected",
	version = "1",
	severity = 2,
	description = "The rcd files were modified. rcd files are scripts executed on boot " ..
		"and runlevel switch. Those scripts are responsible for service control in " ..
		"runlevel switch. Adversaries may add or modify rcd files in order to persist a " ..
		"reboot, thus maintaining malicious execution on the affected host.",
	tags = { "linux", "container" },
	mitre = { category = "persistence", technique = "RC Scripts", id = "T1037.004" },
	origin = "any",
	events = { "sched_process_exec", "security_file_open", "security_inode_rename" },
	paths = { "/etc/rc*", "/etc/init.d/*" },

	on_event = function(e)
		local name = e.eventName
		if name == "sched_process_exec" then
			-- update-rc.d is a script: pathname is its interpreter, cmdpath
			-- the path that was executed.
			if tracee.basename(e.args.pathname) == "update-rc.d" or
			   tracee.basename(e.args.cmdpath) == "update-rc.d" then
				tracee.finding { data = { command = "update-rc.d" } }
			end
		elseif name == "security_file_open" then
			if tracee.is_file_write(e.args.flags) and is_rcd(e.args.pathname) then
				tracee.finding { data = { pathname = e.args.pathname } }
			end
		elseif is_rcd(e.args.new_path) then
			tracee.finding { data = { pathname = e.args.new_path } }
		end
	end,
}
