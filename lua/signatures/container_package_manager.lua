-- TRC-2126 container_package_manager: a package manager installs software
-- in a running container.  Images are built with their packages; an
-- install at run time is drift, often an adversary fetching tools.
-- dpkg, rpm and pip count when they install; the front ends always.

local frontends = tracee.list("container_package_managers", { "apt", "apt-get", "aptitude",
	"yum", "dnf", "microdnf", "tdnf", "zypper", "apk", "pacman", "emerge" })
-- programs that only install with some arguments: Lua patterns of those
local installers = {
	dpkg = { "^%-i$", "^%-%-install$", "^%-%-unpack$" },
	rpm = { "^%-%a*[iU]%a*$", "^%-%-install$", "^%-%-upgrade$" },
	pip = { "^install$" }, pip3 = { "^install$" },
}

local function installs(prog, argv)
	local pats = installers[prog]
	if not pats then return false end
	for i = 2, #argv do
		for _, p in ipairs(pats) do
			if type(argv[i]) == "string" and argv[i]:find(p) then return true end
		end
	end
	return false
end

tracee.signature {
	id = "TRC-2126",
	name = "container_package_manager",
	title = "Package manager run in a container",
	version = "1",
	severity = 1,
	description = "A package manager was run inside a running container. Container " ..
		"images ship their packages; installing at run time is drift and often an " ..
		"adversary fetching tools.",
	tags = { "linux", "container", "process" },
	mitre = { category = "command-and-control", technique = "Ingress Tool Transfer",
		  id = "T1105" },
	origin = "container",
	events = { "sched_process_exec" },

	on_event = function(e)
		local argv = e.args.argv
		if type(argv) ~= "table" then return end
		local prog = tracee.basename(e.args.pathname)
		if frontends[prog] or installs(prog, argv) then
			tracee.finding { data = { pathname = e.args.pathname,
				arguments = table.concat(argv, " ", 2):sub(1, 256) } }
		end
	end,
}
