-- TRC-2122 container_runtime_overwrite: a process in a container opens the
-- container runtime's binary for writing.  runc CVE-2019-5736: the
-- container opens /proc/<runc pid>/exe while runc joins it, keeps the fd,
-- and once runc has exited reopens it through /proc/self/fd/N for writing,
-- replacing the host's runc.  The kernel resolves those /proc links to the
-- binary itself, so the rule watches the runtimes' names ("paths" lets the
-- kernel drop every other open); syscall_pathname shows the /proc route.

tracee.signature {
	id = "TRC-2122",
	name = "container_runtime_overwrite",
	title = "Container runtime binary opened for writing from a container",
	version = "1",
	severity = 3,
	description = "A process in a container opened the container runtime's executable " ..
		"(runc, crun, ...) for writing, typically through /proc/self/fd or " ..
		"/proc/<pid>/exe. Overwriting the runtime gives code execution on the host " ..
		"(CVE-2019-5736).",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "security_file_open" },
	-- few globs: the kernel prefilter has room for 32 in all (docker-runc
	-- ends in runc, containerd-shim-runc-v2 in shim-runc-v2)
	paths = { "*runc", "*/crun", "*/youki", "*/conmon", "*shim-runc-v2" },

	on_event = function(e)
		local path = e.args.pathname
		if type(path) ~= "string" or not tracee.is_file_write(e.args.flags) then return end
		local base = tracee.basename(path)
		if base == "runc" or base == "crun" or base == "youki" or base == "docker-runc" or
		   base == "conmon" or base:find("^containerd%-shim") then
			tracee.finding { data = { pathname = path, syscall_pathname = e.args.syscall_pathname } }
		end
	end,
}
