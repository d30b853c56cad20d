-- TRC-2116 system_account_shell: a system account (uid 1-999 or nobody,
-- e.g. www-data, daemon, postgres) starts an interactive shell or a login:
-- what a web shell or an exploited daemon gives an attacker.  A shell
-- given a command (-c) or a script is the daemons' daily bread and is not
-- reported; neither is a shell that su, sudo or runuser started (an
-- administrator switching to the account: shared list
-- "account_switchers").

local shells = tracee.list("shells", { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh",
	"csh", "tcsh", "fish", "busybox" })
local logins = tracee.set{ "login", "su" }
local switchers = tracee.list("account_switchers", { "su", "sudo", "runuser" })

local function is_system(uid)
	return type(uid) == "number" and uid ~= 0 and (uid < 1000 or uid == 65534)
end

-- a shell is interactive when it has no command and no script operand, or
-- is told so (-i)
local function interactive(argv)
	for i = 2, #argv do
		local a = argv[i]
		if type(a) ~= "string" then return false end
		if a == "-i" or a:match("^%-%a*i%a*$") then return true end
		if a:match("^%-%a*c%a*$") or a:sub(1, 1) ~= "-" then return false end
	end
	return true
end

tracee.signature {
	id = "TRC-2116",
	name = "system_account_shell",
	title = "System account started an interactive shell",
	version = "1",
	severity = 2,
	description = "A system account (a service user such as www-data, daemon or " ..
		"nobody) started an interactive shell or a login. Service accounts run " ..
		"scripts, not interactive shells: this is typical of an exploited service.",
	tags = { "linux", "container", "process" },
	mitre = { category = "execution", technique = "Unix Shell", id = "T1059.004" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		if not is_system(e.userId) then return end
		local prog = tracee.basename(e.args.pathname)
		local argv = e.args.argv
		if type(argv) ~= "table" then return end
		if not (logins[prog] or (shells[prog] and interactive(argv))) then return end
		local parent = tracee.process(e.hostParentProcessId)
		if parent and switchers[parent.comm] then return end
		tracee.finding { data = { pathname = e.args.pathname, uid = e.userId } }
	end,
}
