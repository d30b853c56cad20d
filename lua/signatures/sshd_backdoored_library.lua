-- TRC-2137 sshd_backdoored_library: sshd opens (to load) liblzma 5.6.0 or
-- 5.6.1, the releases of xz that carried a backdoor (CVE-2024-3094) which
-- hooks sshd's RSA key check through libsystemd.  The library is
-- reported under the name the kernel resolved: liblzma.so.5 is a symlink
-- to the versioned file.

local sshd = tracee.list("sshd_programs", { "sshd", "sshd-session", "sshd-auth" })

tracee.signature {
	id = "TRC-2137",
	name = "sshd_backdoored_library",
	title = "SSH daemon loaded the backdoored liblzma",
	version = "1",
	severity = 3,
	description = "The SSH daemon opened liblzma 5.6.0 or 5.6.1, the xz releases that " ..
		"carried a backdoor (CVE-2024-3094) giving remote code execution through sshd's " ..
		"key authentication. Downgrade xz-utils and rebuild the host's trust.",
	tags = { "linux", "container", "file", "supply-chain", "ssh" },
	mitre = { category = "initial-access", technique = "Compromise Software Supply Chain",
		  id = "T1195.002" },
	origin = "any",
	events = { "security_file_open" },
	paths = { "*/liblzma.so.5.6.0*", "*/liblzma.so.5.6.1*" },

	on_event = function(e)
		if not sshd[e.processName] then return end
		local name = tracee.basename(e.args.pathname)
		-- 5.6.0 and 5.6.1 only, not 5.6.10 (the glob's * takes both)
		if not name:find("^liblzma%.so%.5%.6%.[01]$") then return end
		tracee.finding { data = { pathname = e.args.pathname } }
	end,
}
