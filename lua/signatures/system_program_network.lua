-- TRC-2131 system_program_network: a program that never talks to the
-- network (ls, cat, ps, id, ...) connects an IP socket.  Either it is not
-- what its name says (malware named after a system tool) or code was
-- injected into it.  DNS lookups (port 53) are left aside; the list is
-- "offline_programs".

local offline = tracee.list("offline_programs", { "ls", "cat", "ps", "id", "whoami",
	"uname", "cp", "mv", "rm", "mkdir", "rmdir", "chmod", "chown", "touch", "echo", "head",
	"tail", "grep", "sed", "sort", "uniq", "wc", "cut", "tr", "date", "sleep", "df", "du",
	"find", "stat", "tee", "true", "false", "kill", "dirname", "basename", "uptime",
	"free", "top", "w", "who", "pwd", "ln", "readlink", "less", "more", "file", "diff",
	"md5sum", "sha256sum", "tar", "gzip", "xargs", "awk", "mawk", "gawk", "lsof", "dmesg" })

tracee.signature {
	id = "TRC-2131",
	name = "system_program_network",
	title = "System utility made a network connection",
	version = "1",
	severity = 2,
	description = "A system utility that never uses the network (ls, cat, ps, id, ...) " ..
		"connected an IP socket. Malware masquerades under such names, and injected code " ..
		"runs under them.",
	tags = { "linux", "container", "network" },
	mitre = { category = "defense-evasion", technique = "Match Legitimate Name or Location",
		  id = "T1036.005" },
	origin = "any",
	events = { "security_socket_connect" },

	on_event = function(e)
		if not offline[e.processName] then return end
		local addr = e.args.remote_addr
		if not tracee.is_inet(addr) then return end
		local port = tracee.addr_port(addr)
		if port == "53" then return end
		tracee.finding { data = { ip = tracee.addr_ip(addr), port = port } }
	end,
}
