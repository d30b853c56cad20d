-- TRC-2118 container_mount: a process in a container calls mount(2).  An
-- application container never mounts: with CAP_SYS_ADMIN this is how the
-- host's disk, procfs or cgroups get reached.  The runtime's own set-up
-- (runc init, crun, ...) runs in the container's cgroup too: the shared
-- list "container_runtimes".  debugfs and tracefs are TRC-2119's.

local runtimes = tracee.list("container_runtimes", { "runc", "runc:[0:PARENT]",
	"runc:[1:CHILD]", "runc:[2:INIT]", "runc-init", "crun", "youki", "conmon",
	"containerd-shim", "containerd-shim-runc-v2", "kata-agent", "gvisor", "runsc",
	"runsc-gofer", "runsc-sandbox" })
local kernel_fs = tracee.set{ "debugfs", "tracefs" }
-- MS_REC and the propagation flags: a call with only these mounts nothing
-- (`mount --make-rprivate /`, which every `unshare -m` does)
local PROPAGATION = 16384 | 131072 | 262144 | 524288 | 1048576

local function propagation_only(flags)
	return type(flags) == "number" and math.tointeger(flags) & PROPAGATION ~= 0 and
		math.tointeger(flags) & ~PROPAGATION == 0
end

tracee.signature {
	id = "TRC-2118",
	name = "container_mount",
	title = "Filesystem mounted in a container",
	version = "1",
	severity = 2,
	description = "A process in a container called mount. Application containers do " ..
		"not mount filesystems; with enough privileges, mounting the host's disk, " ..
		"procfs or cgroup filesystem is a first step out of the container.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "mount" },

	on_event = function(e)
		if kernel_fs[e.args.filesystemtype] or runtimes[e.processName] or
		   propagation_only(e.args.mountflags) then
			return
		end
		tracee.finding { data = { source = e.args.source, pathname = e.args.target,
			fstype = e.args.filesystemtype, result = e.returnValue } }
	end,
}
