-- TRC-2019 authorized_keys_mod: an SSH authorized_keys file (any user's) is
-- written or replaced.

local F = require "filerules"

local names = tracee.set{ "authorized_keys", "authorized_keys2" }
-- Provisioning agents that install the keys a cloud user asked for.
local writers = tracee.list("authorized_keys_writers", {
	"cloud-init", "google_guest_ag", "waagent", "amazon-ssm-agen", "ec2-instance-co",
})

tracee.signature {
	id = "TRC-2019",
	name = "authorized_keys_mod",
	title = "SSH authorized keys modified",
	version = "1",
	severity = 2,
	description = "An SSH authorized_keys file (~/.ssh/authorized_keys or " ..
		"authorized_keys2 of any user, or one below /etc/ssh) was opened for writing or " ..
		"replaced by rename. A key added there lets its owner log in as that user with " ..
		"no password, and survives password changes. Opens are seen with the " ..
		"kernel-resolved path; renames with the caller's names, resolved when possible.",
	tags = { "linux", "container", "file", "persistence", "ssh" },
	mitre = { category = "persistence", technique = "SSH Authorized Keys", id = "T1098.004" },
	origin = "any",
	events = F.WRITE_EVENTS,
	paths = { "*/authorized_keys", "*/authorized_keys2" },

	on_event = function(e)
		local path = F.written_path(e)
		if not names[tracee.basename(path)] or writers[e.processName] then return end
		tracee.finding { data = { pathname = path } }
	end,
}
