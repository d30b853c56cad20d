-- TRC-2138 user_management_tool: an account or group is created, removed
-- or changed (useradd, usermod, chpasswd, ...) inside a running container,
-- or on the host by something a network service started.  Containers get
-- their accounts from the image; a web shell or an exploited daemon adds an
-- account to keep its access.  Administrators on the host (a login shell,
-- sudo, an ssh command) and package maintainer scripts (adduser in a
-- postinst) are not reported.

local F = require "filerules"

local tools = tracee.list("user_management_tools", { "useradd", "userdel", "usermod",
	"adduser", "deluser", "groupadd", "groupdel", "groupmod", "addgroup", "delgroup",
	"chpasswd", "chgpasswd", "newusers", "passwd", "gpasswd", "chage", "vipw", "vigr",
	"pwconv", "grpconv", "pwunconv", "grpunconv", "chsh", "chfn", "lusermod" })
-- services facing the network whose children have no business with accounts
-- (node is not one by default: editors' remote servers are node programs
-- that start a person's terminal)
local services = tracee.list("network_services", { "nginx", "httpd", "apache2", "lighttpd",
	"php-fpm", "php-cgi", "mysqld", "mariadbd", "postgres", "redis-server", "mongod",
	"java", "tomcat", "uwsgi", "gunicorn", "inetd", "xinetd", "vsftpd", "proftpd",
	"smbd", "named", "dnsmasq", "memcached", "jenkins", "grafana", "caddy", "haproxy" })

-- The network service that is the parent, or the grandparent (a web shell's
-- `sh -c`), of the process; nil otherwise.  Not further up: a person's
-- terminal may descend from a service of the host.
local function service_ancestor(e)
	local p = tracee.process(e.hostProcessId)
	if not p or not p.ancestors then return nil end
	for i = 1, 2 do
		local a = p.ancestors[i]
		if a and services[a.comm] then return a.comm end
	end
	return nil
end

tracee.signature {
	id = "TRC-2138",
	name = "user_management_tool",
	title = "Account management tool run in a container or by a service",
	version = "1",
	severity = 2,
	description = "An account or group tool (useradd, usermod, chpasswd, passwd, ...) ran " ..
		"inside a running container, or on the host below a network service (web, " ..
		"database or file server). Containers get their accounts from their image; " ..
		"adversaries add or change accounts to keep their access.",
	tags = { "linux", "container", "process", "persistence" },
	mitre = { category = "persistence", technique = "Create Account: Local Account",
		  id = "T1136.001" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		-- the command name too: busybox's adduser is /bin/busybox
		if not (tools[e.processName] or tools[tracee.basename(e.args.pathname)]) then
			return
		end
		if F.run_by(e, F.package_managers) then return end
		local where
		if e.containerId ~= "" and e.contextFlags.containerStarted then
			where = "container"
		else
			local svc = service_ancestor(e)
			if not svc then return end
			where = "run by " .. svc
		end
		local argv = e.args.argv
		tracee.finding { data = { pathname = e.args.pathname, where = where,
			command = type(argv) == "table" and
				table.concat(argv, " "):sub(1, 256) or "" } }
	end,
}
