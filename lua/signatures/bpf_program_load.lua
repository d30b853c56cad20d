-- TRC-2136 bpf_program_load: a process that is not a known BPF user loads
-- an eBPF program (bpf(BPF_PROG_LOAD) succeeds).  eBPF programs run in the
-- kernel: rootkits hide files and processes with them, and sniff or tamper
-- with traffic.  Classic BPF (seccomp filters, SO_ATTACH_FILTER) does not
-- go through bpf(2) and is not reported.
--
-- The program's type is in the caller's bpf_attr, which the event carries
-- as a pointer only (it cannot be read after the call): every type is
-- reported, and the known loaders (systemd, container runtimes, tracers,
-- profilers) are told apart by name through the shared list "bpf_loaders".

local BPF_PROG_LOAD = 5

local loaders = tracee.list("bpf_loaders", {
	"systemd", "systemd-journal", "systemd-logind", "systemd-network", "systemd-resolve",
	"systemd-udevd", "systemd-timesyn", "systemd-oomd", "systemd-nspawn", "systemd-executo",
	"runc", "runc:[0:PARENT]", "runc:[1:CHILD]", "runc:[2:INIT]", "crun", "tracee",
	"tracee-ebpf", "falco", "tetragon", "cilium-agent", "bpftrace",
	"parca-agent", "pyroscope", "perf", "kubelet", "containerd", "dockerd",
})

local function is_prog_load(cmd)
	if type(cmd) == "number" then return math.tointeger(cmd) == BPF_PROG_LOAD end
	return cmd == "BPF_PROG_LOAD"
end

tracee.signature {
	id = "TRC-2136",
	name = "bpf_program_load",
	title = "eBPF program loaded by an unprofiled process",
	version = "1",
	severity = 2,
	description = "A process that is not a known BPF user (systemd, container runtimes, " ..
		"tracers and profilers) loaded an eBPF program into the kernel. Such programs " ..
		"can hide files and processes, read or alter traffic and tamper with system " ..
		"calls: rootkits load them.",
	tags = { "linux", "container", "kernel", "bpf" },
	mitre = { category = "defense-evasion", technique = "Rootkit", id = "T1014" },
	origin = "any",
	events = { "bpf" },

	on_event = function(e)
		if not is_prog_load(e.args.cmd) or e.returnValue < 0 then return end
		if loaders[e.processName] then return end
		tracee.finding { data = { ["program fd"] = e.returnValue } }
	end,
}
