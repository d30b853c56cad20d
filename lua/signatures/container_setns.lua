-- TRC-2120 container_setns: a process in a container joins another
-- namespace with setns(2) (nsenter).  From inside a container the only
-- namespaces worth joining are someone else's, the host's first: after a
-- /proc/1/ns leak this is the step out.  Runtimes: "container_runtimes".

local runtimes = tracee.list("container_runtimes", { "runc", "runc:[0:PARENT]",
	"runc:[1:CHILD]", "runc:[2:INIT]", "runc-init", "crun", "youki", "conmon",
	"containerd-shim", "containerd-shim-runc-v2", "kata-agent", "gvisor", "runsc",
	"runsc-gofer", "runsc-sandbox" })

tracee.signature {
	id = "TRC-2120",
	name = "container_setns",
	title = "Namespace joined from a container",
	version = "1",
	severity = 3,
	description = "A process in a container called setns to join other namespaces. " ..
		"Adversaries who reach a host namespace file (/proc/1/ns/*) join it to leave " ..
		"the container.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "setns" },

	on_event = function(e)
		if runtimes[e.processName] then return end
		tracee.finding { data = { fd = e.args.fd, nstype = e.args.nstype,
			result = e.returnValue } }
	end,
}
