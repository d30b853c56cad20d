-- TRC-2009 sensitive_file_late_read: a trusted reader of /etc/shadow (sshd,
-- su, cron, ...) reads it long after the reading thread started.

-- The same list shadow_file_read trusts, and the age past which a read is
-- late, in seconds (the smallest number of the list counts): a policy may
-- tune it with tracee.list_replace("sensitive_file_reader_max_age", {"300"}).
local readers = tracee.list("sensitive_file_readers")
local max_age = tracee.list("sensitive_file_reader_max_age", { "600" })

local files = tracee.set{ "/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-" }

local function limit_ns()
	local s
	for k in pairs(max_age) do
		local n = tonumber(k)
		if n and (not s or n < s) then s = n end
	end
	return s and math.floor(s * 1e9)
end

tracee.signature {
	id = "TRC-2009",
	name = "sensitive_file_late_read",
	title = "Shadow file read by a long-running service",
	version = "1",
	severity = 2,
	description = "A program trusted to read /etc/shadow (an authentication tool or " ..
		"service) read it long after it started (10 minutes by default). These programs " ..
		"read it while authenticating, in a process forked or started for that; a " ..
		"daemon that reads it much later, outside a fresh session process, may have " ..
		"had code injected. The age is the reading thread's (threadStartTime): for a " ..
		"thread started after its process this errs towards silence.",
	tags = { "linux", "container", "file", "credentials" },
	mitre = { category = "credential-access", technique = "/etc/passwd and /etc/shadow",
		  id = "T1003.008" },
	origin = "any",
	events = { "security_file_open" },
	paths = { "/etc/shadow*", "/etc/gshadow*" },

	on_event = function(e)
		local path = e.args.pathname
		if not files[path] or not readers[e.processName] then return end
		if not tracee.is_file_read(e.args.flags) then return end
		local start, limit = e.threadStartTime, limit_ns()
		if not limit or not start or start == 0 then return end
		local age = e.timestamp - start
		if age <= limit then return end
		tracee.finding { data = { pathname = path, age_seconds = age // 1000000000 } }
	end,
}
