-- TRC-2002 ssh_key_read: a private key or another file of a ~/.ssh directory
-- (any user's), or an SSH host key, is read by a program other than the
-- SSH tools.

local F = require "filerules"

F.read_signature({
	id = "TRC-2002",
	name = "ssh_key_read",
	title = "SSH private key read",
	version = "1",
	severity = 2,
	description = "A file of a user's ~/.ssh directory (a private key, its config, " ..
		"authorized_keys) or a host private key of /etc/ssh was read by a program that " ..
		"is not an SSH tool. Adversaries copy private keys to move laterally to the " ..
		"hosts that trust them. Public keys and known_hosts are not reported. The path " ..
		"is the kernel-resolved one: symlinks and '..' paths report the real file.",
	tags = { "linux", "container", "file", "credentials", "ssh" },
	mitre = { category = "credential-access", technique = "Private Keys", id = "T1552.004" },
	origin = "any",
	paths = { "/root/.ssh/*", "/home/*/.ssh/*", "/etc/ssh/ssh_host_*_key" },
}, "ssh", "ssh_key_readers", {
	"ssh", "sshd", "sshd-session", "sshd-auth", "ssh-add", "ssh-agent", "ssh-keygen",
	"ssh-keyscan", "ssh-keysign", "ssh-copy-id", "scp", "sftp", "sftp-server", "gpg-agent",
	"gnome-keyring-d", "ssh-askpass", "autossh", "mosh-client",
})
