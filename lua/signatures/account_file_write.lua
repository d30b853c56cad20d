-- TRC-2014 account_file_write: /etc/passwd, /etc/group, /etc/shadow or
-- /etc/gshadow is written or replaced by something other than the account
-- management tools.

local F = require "filerules"

local files = tracee.set{ "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow" }
local writers = tracee.list("account_file_writers", {
	"passwd", "chpasswd", "chage", "chsh", "chfn", "useradd", "usermod", "userdel",
	"groupadd", "groupmod", "groupdel", "gpasswd", "newusers", "vipw", "vigr", "pwconv",
	"pwunconv", "grpconv", "grpunconv", "pwck", "grpck", "adduser", "deluser", "addgroup",
	"delgroup", "systemd-sysuser", "systemd-homed", "sssd", "cloud-init",
})

tracee.signature {
	id = "TRC-2014",
	name = "account_file_write",
	title = "Account database modified directly",
	version = "1",
	severity = 3,
	description = "A local account file (/etc/passwd, /etc/group, /etc/shadow, " ..
		"/etc/gshadow) was opened for writing or replaced by rename by a program that " ..
		"is not an account management tool nor run by a package manager. Adversaries " ..
		"append accounts (a second uid 0) or change password hashes by editing these " ..
		"files directly.",
	tags = { "linux", "container", "file", "persistence" },
	mitre = { category = "persistence", technique = "Local Account", id = "T1136.001" },
	origin = "any",
	events = F.WRITE_EVENTS,
	paths = { "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow" },

	on_event = function(e)
		local path = F.written_path(e)
		if not files[path] or writers[e.processName] then return end
		if F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end,
}
