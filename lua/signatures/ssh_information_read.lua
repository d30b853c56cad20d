-- TRC-2135 ssh_information_read: the rest of an SSH setup is read by a
-- program other than the SSH tools: known_hosts and config in a user's
-- ~/.ssh (where the hosts worth reaching are listed), public keys, and the
-- files of /etc/ssh.  Private keys are TRC-2002's (ssh_key_read): each
-- file is reported by one of the two rules only.

local F = require "filerules"

local readers = tracee.list("ssh_information_readers", {
	"ssh", "sshd", "sshd-session", "sshd-auth", "ssh-add", "ssh-agent", "ssh-keygen",
	"ssh-keyscan", "ssh-keysign", "ssh-copy-id", "scp", "sftp", "sftp-server", "autossh",
	"mosh-client", "sshd-keygen", "ssh-askpass", "gpg-agent", "gnome-keyring-d",
})

local O_DIRECTORY = 0x10000

-- a directory opened to be listed (find, updatedb, ls): names, not content
local function is_dir_open(flags)
	if type(flags) == "number" then return math.tointeger(flags) & O_DIRECTORY ~= 0 end
	return type(flags) == "string" and flags:find("O_DIRECTORY", 1, true) ~= nil
end

-- true for a file of an ~/.ssh directory or of /etc/ssh
local function ssh_file(path)
	if tracee.starts_with(path, "/etc/ssh/") then return true end
	local rel = F.in_home(path)
	return rel ~= nil and rel:sub(1, 6) == "/.ssh/"
end

tracee.signature {
	id = "TRC-2135",
	name = "ssh_information_read",
	title = "SSH configuration or known hosts read",
	version = "1",
	severity = 1,
	description = "A file of a user's ~/.ssh directory (known_hosts, config, a public " ..
		"key) or of /etc/ssh was read by a program that is not an SSH tool. These files " ..
		"list the hosts a user reaches and how: adversaries read them to find where to " ..
		"move next. Private keys are reported by ssh_key_read instead.",
	tags = { "linux", "container", "file", "ssh", "discovery" },
	mitre = { category = "discovery", technique = "Remote System Discovery", id = "T1018" },
	origin = "any",
	events = { "security_file_open" },
	paths = { "/root/.ssh/*", "/home/*/.ssh/*", "/etc/ssh/*" },

	on_event = function(e)
		local flags = e.args.flags
		if not tracee.is_file_read(flags) or is_dir_open(flags) then return end
		local path = e.args.pathname
		if not ssh_file(path) or readers[e.processName] then return end
		if F.credential_kind(path) == "ssh" then return end	-- TRC-2002's
		-- maintainer scripts (openssh-server's postinst) read sshd_config
		if F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end,
}
