-- TRC-2108 setuid_root: a process whose user or group was not root makes
-- itself root with setuid/setreuid/setresuid (or the gid calls), and it is
-- not a known setuid program.  Only a setuid-root binary (saved uid 0) or a
-- holder of CAP_SETUID can do this: a planted setuid backdoor, or an
-- exploited helper.  Known ones are in the shared list "setuid_programs";
-- the daemons that switch to a user and back (sshd, cron, smbd, ...) too.

local known = tracee.list("setuid_programs", { "sudo", "su", "passwd", "newgrp", "chsh",
	"chfn", "gpasswd", "mount", "umount", "ping", "ping6", "pkexec", "fusermount",
	"fusermount3", "unix_chkpwd", "ssh-keysign", "Xorg", "Xorg.wrap", "chrome-sandbox",
	"polkit-agent-he", "dbus-daemon-lau", "at", "atd", "crontab", "ntfs-3g", "sshd",
	"cron", "crond", "smbd", "sudoedit", "runuser", "login", "doas", "exim4",
	"sendmail", "postdrop", "cupsd", "vsftpd", "proftpd", "nfsd", "rpc.mountd",
	"systemd", "systemd-logind", "polkitd", "dbus-daemon", "lightdm", "gdm-session-wor",
	"sddm-helper", "expiry", "chage", "write", "wall", "ssh-agent", "mlocate", "plocate" })
-- apt switches to _apt and back while it downloads: package managers too
local pkgs = tracee.list("package_managers", { "dpkg", "rpm", "apt", "apt-get", "aptitude",
	"yum", "dnf", "microdnf", "zypper", "apk", "pacman", "snapd", "flatpak",
	"dpkg-statoverri", "unattended-upgr", "packagekitd", "rpm-ostree", "nix", "nix-daemon" })
local calls = tracee.set{ "setuid", "setreuid", "setresuid", "setgid", "setregid",
	"setresgid", "setfsuid", "setfsgid" }

tracee.signature {
	id = "TRC-2108",
	name = "setuid_root",
	title = "Process made itself root with setuid",
	version = "1",
	severity = 3,
	description = "A process that was not running as root changed its user or group " ..
		"to root with a set*id call, and it is not a known setuid program. A planted " ..
		"setuid binary or an exploited privileged helper behaves this way.",
	tags = { "linux", "container", "process", "privilege-escalation" },
	mitre = { category = "privilege-escalation", technique = "Setuid and Setgid",
		  id = "T1548.001" },
	origin = "any",
	events = { "commit_creds" },

	on_event = function(e)
		if not calls[e.syscall] or known[e.processName] or pkgs[e.processName] then return end
		local a = e.args
		local uid = (a.old_uid ~= 0 and a.new_uid == 0) or (a.old_euid ~= 0 and a.new_euid == 0)
		local gid = (a.old_gid ~= 0 and a.new_gid == 0) or (a.old_egid ~= 0 and a.new_egid == 0)
		if uid or gid then
			tracee.finding { data = { call = e.syscall, old_uid = a.old_uid,
				old_euid = a.old_euid, old_gid = a.old_gid } }
		end
	end,
}
