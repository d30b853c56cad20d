-- TRC-2134 terminal_shell_in_container: a shell whose stdin is a terminal
-- starts in a running container, launched from outside it.  That is what
-- `podman exec -it C sh`, `docker exec -it` and `kubectl exec -it` give a
-- person: a hands-on session inside a workload that should run unattended.
-- The exec event's stdin_path tells a terminal (/dev/pts/N) from /dev/null,
-- a file or a pipe; the parent outside the container (the runtime's exec)
-- tells a session opened from the host from a shell the workload spawns.

local shells = tracee.list("shells", { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh",
	"csh", "tcsh", "fish", "busybox" })
-- Lua patterns of the paths of terminals
local terminals = { "^/dev/pts/%d+$", "^/dev/tty[%w]*$", "^/dev/console$" }

local S_IFMT, S_IFCHR = 0xf000, 0x2000

local function is_chardev(mode)
	if type(mode) == "number" then return math.tointeger(mode) & S_IFMT == S_IFCHR end
	return type(mode) == "string" and mode:find("S_IFCHR", 1, true) ~= nil
end

local function is_terminal(path)
	if type(path) ~= "string" then return false end
	for _, p in ipairs(terminals) do
		if path:find(p) then return true end
	end
	return false
end

tracee.signature {
	id = "TRC-2134",
	name = "terminal_shell_in_container",
	title = "Terminal shell opened in a container",
	version = "1",
	severity = 1,
	description = "A shell attached to a terminal was started in a running container " ..
		"by a process outside it (podman/docker exec -it, kubectl exec -it). Workloads " ..
		"run unattended; an interactive session in one is a person at work inside it, " ..
		"an adversary with stolen credentials or an administrator who should use a " ..
		"debug container.",
	tags = { "linux", "container", "process" },
	mitre = { category = "execution", technique = "Container Administration Command",
		  id = "T1609" },
	origin = "container",
	events = { "sched_process_exec" },

	on_event = function(e)
		-- by command name: busybox is a shell as "sh", not as "ls"
		if not shells[e.processName] then return end
		if not is_chardev(e.args.stdin_type) or not is_terminal(e.args.stdin_path) then
			return
		end
		-- the runtime's exec: a parent that is not in this container
		local parent = tracee.process(e.hostParentProcessId)
		if not parent or parent.container == e.containerId then return end
		local argv = e.args.argv
		tracee.finding { data = { pathname = e.args.pathname,
			terminal = e.args.stdin_path, parent = parent.comm,
			command = type(argv) == "table" and
				table.concat(argv, " "):sub(1, 256) or "" } }
	end,
}
