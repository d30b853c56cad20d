-- TRC-2011 private_key_search: grep and its kin are run to look inside files
-- for private keys, passwords or cloud secrets.

local F = require "filerules"

local tools = tracee.list("content_search_tools", {
	"grep", "egrep", "fgrep", "rgrep", "zgrep", "rg", "ag", "ack", "ack-grep", "ugrep",
	"strings",
})
-- Lower-case words whose presence in an argument looks for secrets.
local terms = tracee.list("credential_search_terms", {
	"private key", "begin rsa", "begin openssh", "begin ec", "begin dsa", "begin pgp",
	"password", "pwd=", "aws_secret_access_key", "aws_access_key_id", "akia",
	"secret_key", "api_key", "apikey", "client_secret", "bearer", "token=", "id_rsa",
})

tracee.signature {
	id = "TRC-2011",
	name = "private_key_search",
	title = "Search for private keys or passwords in files",
	version = "1",
	severity = 2,
	description = "A content search program (grep, rg, ag, ack, strings) was run with an " ..
		"argument that looks for private keys (BEGIN RSA PRIVATE KEY, ...), passwords " ..
		"or cloud secrets. Adversaries grep configuration files, scripts and backups " ..
		"for credentials. The words are in the shared list credential_search_terms.",
	tags = { "linux", "container", "process", "credentials", "discovery" },
	mitre = { category = "credential-access", technique = "Private Keys", id = "T1552.004" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local hit = F.exec_args_with(e, tools, terms)
		if hit then tracee.finding { data = hit } end
	end,
}
