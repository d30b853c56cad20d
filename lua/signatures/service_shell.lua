-- TRC-2127 service_shell: a database or application server starts an
-- interactive shell, or a shell command that opens a network channel or
-- decodes a payload.  Such servers do run `sh -c` for their own chores
-- (PostgreSQL's archive_command, PHP's mail()), so only shells that serve a
-- person are reported.  Web servers are TRC-1016's (illegitimate_shell).

local services = tracee.list("service_programs", { "php-fpm", "mysqld", "mariadbd",
	"postgres", "postmaster", "redis-server", "mongod", "mongos", "memcached", "java",
	"tomcat", "catalina.sh", "uwsgi", "gunicorn", "node", "elasticsearch", "rabbitmq-server",
	"beam.smp", "couchdb", "influxd", "jenkins", "php-cgi", "unicorn", "puma", "rails" })
local shells = tracee.list("shells", { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh",
	"csh", "tcsh", "fish", "busybox" })
-- Lua patterns of shell commands that hand a shell to someone
local markers = { "/dev/tcp/", "/dev/udp/", "%s%-i%s", "%f[%w]nc%s", "%f[%w]ncat%s",
	"%f[%w]socat%s", "%f[%w]telnet%s", "mkfifo", "mknod", "base64", "%f[%w]curl%s",
	"%f[%w]wget%s", "python[%d.]*%s+%-c", "perl%s+%-e", "ruby%s+%-e", "php%s+%-r" }

-- a service program by its command name (php-fpm7.4: php-fpm)
local function service(comm)
	if type(comm) ~= "string" then return nil end
	if services[comm] then return comm end
	local base = comm:match("^(.-)[%d.]+$")
	if base and services[base] then return comm end
	return nil
end

-- why the shell ARGV serves a person, or nil
local function why(argv)
	local cmd
	for i = 2, #argv do
		local a = argv[i]
		if type(a) ~= "string" then return nil end
		if a:match("^%-%a*i%a*$") then return "interactive" end
		if a:match("^%-%a*c%a*$") then
			cmd = argv[i + 1]
			break
		end
		if a:sub(1, 1) ~= "-" then return nil end	-- a script
	end
	if cmd == nil then return "interactive" end
	if type(cmd) ~= "string" then return nil end
	local padded = " " .. cmd .. " "
	for _, p in ipairs(markers) do
		if padded:find(p) then return "command" end
	end
	return nil
end

tracee.signature {
	id = "TRC-2127",
	name = "service_shell",
	title = "Database or application server spawned a shell",
	version = "1",
	severity = 2,
	description = "A database or application server (mysqld, postgres, redis, php-fpm, " ..
		"java, ...) started an interactive shell or a shell command that opens a " ..
		"network channel. This is how an exploited service hands a shell to an adversary.",
	tags = { "linux", "container", "process" },
	mitre = { category = "initial-access", technique = "Exploit Public-Facing Application",
		  id = "T1190" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local argv = e.args.argv
		if not shells[tracee.basename(e.args.pathname)] or type(argv) ~= "table" then
			return
		end
		local parent = tracee.process(e.hostParentProcessId)
		local svc = parent and service(parent.comm)
		if not svc then return end
		local reason = why(argv)
		if reason then
			tracee.finding { data = { service = svc, reason = reason,
				command = table.concat(argv, " ", 2):sub(1, 256) } }
		end
	end,
}
