-- TRC-2015 auth_config_write: PAM configuration, /etc/security or the SSH
-- server's configuration is written or replaced.

local F = require "filerules"

local files = tracee.set{ "/etc/pam.conf", "/etc/ssh/sshd_config", "/etc/nsswitch.conf" }
local dirs = { "/etc/pam.d/", "/etc/security/", "/etc/ssh/sshd_config.d/" }
local writers = tracee.list("auth_config_writers", {
	"pam-auth-update", "authselect", "authconfig",
})

tracee.signature {
	id = "TRC-2015",
	name = "auth_config_write",
	title = "Authentication configuration modified",
	version = "1",
	severity = 2,
	description = "The configuration of authentication (/etc/pam.d/, /etc/pam.conf, " ..
		"/etc/security/, /etc/nsswitch.conf, the SSH server's sshd_config) was written " ..
		"or replaced by a program that is not a package manager nor an authentication " ..
		"configuration tool. Adversaries add PAM modules that accept a master password " ..
		"or log credentials, or open the SSH server to root logins and keys of theirs.",
	tags = { "linux", "container", "file", "persistence", "credentials" },
	mitre = { category = "persistence", technique = "Pluggable Authentication Modules",
		  id = "T1556.003" },
	origin = "any",
	events = F.WRITE_EVENTS,
	paths = { "/etc/pam.d/*", "/etc/pam.conf", "/etc/security/*", "/etc/ssh/sshd_config*",
		  "/etc/nsswitch.conf" },

	on_event = function(e)
		local path = F.written_path(e)
		if not path or not (files[path] or F.under(path, dirs)) then return end
		if writers[e.processName] or F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end,
}
