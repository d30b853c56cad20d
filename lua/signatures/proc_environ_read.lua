-- TRC-2007 proc_environ_read: /proc/<pid>/environ of another process is read
-- (its environment: tokens, passwords and keys passed in variables).

local ENVIRON = "/environ"
-- Process viewers that show environments on request (ps e, top).
local readers = tracee.list("environ_readers", {
	"ps", "top", "htop", "atop", "btop", "procs", "pstree", "systemd", "systemd-coredum",
	"abrt-hook-ccpp", "sosreport", "crash",
	-- Debian's apt hook that finds services still running old libraries
	-- after an upgrade: it reads their environment to restart them alike
	"needrestart",
})

-- the pid of a /proc/<pid>/environ or /proc/<pid>/task/<tid>/environ path
local function environ_pid(path)
	return path:match("^/proc/(%d+)/environ$") or path:match("^/proc/(%d+)/task/%d+/environ$")
end

tracee.signature {
	id = "TRC-2007",
	name = "proc_environ_read",
	title = "Another process's environment read",
	version = "1",
	severity = 2,
	description = "The environment of another process was read through /proc/<pid>/environ. " ..
		"Services get secrets (API tokens, database passwords, cloud keys) in their " ..
		"environment, and a process that reads another's environ collects them. Reading " ..
		"one's own (/proc/self/environ) is not reported; the kernel resolves 'self' to " ..
		"the reader's pid, which is compared with both its pid in its namespace and on " ..
		"the host.",
	tags = { "linux", "container", "file", "credentials" },
	mitre = { category = "credential-access", technique = "Unsecured Credentials",
		  id = "T1552" },
	origin = "any",
	events = { "security_file_open" },
	paths = { "/proc/*/environ" },

	on_event = function(e)
		local path = e.args.pathname
		if type(path) ~= "string" or path:sub(-#ENVIRON) ~= ENVIRON then return end
		if not tracee.is_file_read(e.args.flags) then return end
		local pid = tonumber(environ_pid(path))
		if not pid or pid == e.processId or pid == e.hostProcessId then return end
		if readers[e.processName] then return end
		tracee.finding { data = { pathname = path, pid = pid } }
	end,
}
