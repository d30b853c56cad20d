-- TRC-2006 dev_credentials_read: stored credentials of developer tools (git,
-- .netrc, PostgreSQL, MySQL, npm, PyPI, GitHub CLI) are read by a program
-- other than the tool they belong to.

local F = require "filerules"

F.read_signature({
	id = "TRC-2006",
	name = "dev_credentials_read",
	title = "Stored tool credentials read",
	version = "1",
	severity = 2,
	description = "A file where a tool keeps passwords or tokens in clear (~/.git-credentials, " ..
		"~/.netrc, ~/.pgpass, ~/.my.cnf, ~/.npmrc, ~/.pypirc, ~/.config/gh/hosts.yml) " ..
		"was read by a program that is not one of those tools. Adversaries harvest them " ..
		"for source repositories, databases and package registries. The path is the " ..
		"kernel-resolved one: symlinks and '..' paths report the real file.",
	tags = { "linux", "container", "file", "credentials" },
	mitre = { category = "credential-access", technique = "Credentials In Files",
		  id = "T1552.001" },
	origin = "any",
	paths = { "*/.git-credentials", "*/git/credentials", "*/.netrc", "*/.pgpass",
		  "*/.my.cnf", "*/.npmrc", "*/.pypirc", "*/gh/hosts.yml" },
}, "dev", "tool_credential_readers", {
	"git", "git-credential-", "git-remote-http", "git-remote-https", "psql", "pg_dump",
	"pg_dumpall", "pg_restore", "pg_basebackup", "mysql", "mysqldump", "mariadb",
	"mariadb-dump", "npm", "node", "yarn", "pnpm", "pip", "pip3", "twine", "gh", "ftp",
	"lftp", "fetchmail", "mutt", "neomutt",
})
