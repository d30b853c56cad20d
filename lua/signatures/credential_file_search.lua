-- TRC-2010 credential_file_search: find, locate and their kin are run to look
-- for key or credential files by name (id_rsa, .aws, credentials, ...).

local F = require "filerules"

local tools = tracee.list("file_search_tools", {
	"find", "locate", "mlocate", "plocate", "slocate", "fd", "fdfind",
})
-- Lower-case words whose presence in an argument names a credential file.
local terms = tracee.list("credential_file_names", {
	"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".ssh", "authorized_keys", ".aws",
	"credentials", ".pem", ".key", ".pfx", ".p12", ".kdbx", ".kube", "kubeconfig",
	".git-credentials", ".netrc", ".pgpass", ".npmrc", ".pypirc", "shadow", "password",
	"passwd", "secret", "wallet", ".gnupg", ".docker/config.json",
})

tracee.signature {
	id = "TRC-2010",
	name = "credential_file_search",
	title = "Search for credential files",
	version = "1",
	severity = 2,
	description = "A file search program (find, locate, fd) was run with an argument " ..
		"naming private keys or credential files (id_rsa, .aws, credentials, *.pem, " ..
		".kube, .netrc, passwords, ...). Adversaries sweep the filesystem for keys and " ..
		"passwords left in files once they are in. The program is known by the name of " ..
		"the file executed; the words are in the shared list credential_file_names.",
	tags = { "linux", "container", "process", "credentials", "discovery" },
	mitre = { category = "credential-access", technique = "Credentials In Files",
		  id = "T1552.001" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local hit = F.exec_args_with(e, tools, terms)
		if hit then tracee.finding { data = hit } end
	end,
}
