-- TRC-2125 container_download_tool: a container runs a download or remote
-- copy tool (curl, wget, scp, rsync, ...) towards another host: bringing
-- tools in, or data out.  A call that names a loopback host (localhost,
-- 127.x, ::1) is a health check and is not reported.

local tools = tracee.list("download_tools", { "curl", "wget", "scp", "sftp", "rsync", "ftp",
	"tftp", "aria2c", "axel", "lftp", "ncftp", "fetch", "httpie", "http", "xh", "wget2" })
local loopback = { "localhost", "127%.", "%[::1%]", "^::1", "0%.0%.0%.0", "ip6%-localhost" }

local function names_loopback(argv)
	for i = 2, #argv do
		local a = argv[i]
		if type(a) == "string" then
			for _, p in ipairs(loopback) do
				if a:find(p) then return true end
			end
		end
	end
	return false
end

tracee.signature {
	id = "TRC-2125",
	name = "container_download_tool",
	title = "Download or remote copy tool run in a container",
	version = "1",
	severity = 1,
	description = "A download or remote copy tool (curl, wget, scp, rsync, ...) was run " ..
		"in a container towards another host. Adversaries use them to bring their " ..
		"tools in and to take data out.",
	tags = { "linux", "container", "process", "network" },
	mitre = { category = "command-and-control", technique = "Ingress Tool Transfer",
		  id = "T1105" },
	origin = "container",
	events = { "sched_process_exec" },

	on_event = function(e)
		local argv = e.args.argv
		if not tools[tracee.basename(e.args.pathname)] or type(argv) ~= "table" then return end
		if names_loopback(argv) then return end
		tracee.finding { data = { pathname = e.args.pathname,
			arguments = table.concat(argv, " ", 2):sub(1, 256) } }
	end,
}
