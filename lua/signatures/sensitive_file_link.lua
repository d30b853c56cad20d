-- TRC-2008 sensitive_file_link: a hard link or a symbolic link to a
-- credential file (/etc/shadow, SSH keys, cloud and tool credentials) is made.

local F = require "filerules"

tracee.signature {
	id = "TRC-2008",
	name = "sensitive_file_link",
	title = "Link to a credential file created",
	version = "1",
	severity = 2,
	description = "A hard link or a symbolic link to a credential file (the shadow " ..
		"password files, SSH private keys, cloud, Kubernetes, registry or tool " ..
		"credentials) was created. A hard link gives the file a second name, so its " ..
		"later reads carry that name and escape the path-based read rules; a symbolic " ..
		"link is a way to have a privileged program read the file for the adversary. " ..
		"Names are the caller's: relative ones are resolved against the working " ..
		"directory when chdir was seen, and a name relative to another directory fd " ..
		"cannot be resolved.",
	tags = { "linux", "container", "file", "credentials", "defense-evasion" },
	mitre = { category = "credential-access", technique = "Credentials In Files",
		  id = "T1552.001" },
	origin = "any",
	events = { "link", "linkat", "symlink", "symlinkat", "chdir" },

	on_event = function(e)
		if e.eventName == "chdir" then
			F.track_chdir(e)
			return
		end
		if e.returnValue ~= 0 then return end
		local target, linkpath = F.syscall_paths(e)
		local kind = F.credential_kind(target)
		if not kind then return end
		tracee.finding { data = { pathname = target, link = linkpath or e.args.linkpath or
					  e.args.newpath, kind = kind } }
	end,
}
