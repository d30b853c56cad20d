-- TRC-2001 shadow_file_read: /etc/shadow or /etc/gshadow (or their "-"
-- backups) is opened for reading by a program that has no business with
-- password hashes.

local F = require "filerules"

F.read_signature({
	id = "TRC-2001",
	name = "shadow_file_read",
	title = "Shadow password file read",
	version = "1",
	severity = 3,
	description = "The shadow password file (/etc/shadow or /etc/gshadow) was read by a " ..
		"program that is not one of the authentication tools. It holds the password " ..
		"hashes of every account; adversaries read it to crack the passwords offline. " ..
		"The path is the one the kernel resolved, so a symlink to the file, a relative " ..
		"or '..' path, or a bind mount of /etc all report the real file; a hard link " ..
		"has a name of its own and is reported when it is made (sensitive_file_link).",
	tags = { "linux", "container", "file", "credentials" },
	mitre = { category = "credential-access", technique = "/etc/passwd and /etc/shadow",
		  id = "T1003.008" },
	origin = "any",
	paths = { "/etc/shadow*", "/etc/gshadow*" },
}, "shadow", "sensitive_file_readers", {
	"login", "sshd", "sshd-session", "su", "sudo", "passwd", "chage", "chpasswd",
	"chsh", "chfn", "unix_chkpwd", "useradd", "usermod", "userdel", "groupadd",
	"groupmod", "groupdel", "gpasswd", "newgrp", "sg", "pwck", "grpck", "vipw", "vigr",
	"cron", "crond", "atd", "systemd-logind", "polkitd", "gdm-session-wor",
	"lightdm", "vsftpd", "dovecot", "saslauthd", "cockpit-session", "doas", "runuser",
	"expiry", "pwconv", "pwunconv", "grpconv", "grpunconv", "cppw", "shadowconfig",
})
