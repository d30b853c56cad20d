-- TRC-2121 container_unshare: a process in a container creates new
-- namespaces with unshare(2), a user namespace above all: inside it the
-- process has every capability, the starting point of many escapes
-- (cgroup release_agent, CVE-2022-0492, overlayfs bugs).  Runtimes and
-- browser sandboxes are in "container_runtimes" and "sandbox_programs".

local NS_FLAGS = 0x00000080 | 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 |
	0x10000000 | 0x20000000 | 0x40000000	-- CLONE_NEWTIME .. CLONE_NEWNET
local runtimes = tracee.list("container_runtimes", { "runc", "runc:[0:PARENT]",
	"runc:[1:CHILD]", "runc:[2:INIT]", "runc-init", "crun", "youki", "conmon",
	"containerd-shim", "containerd-shim-runc-v2", "kata-agent", "gvisor", "runsc",
	"runsc-gofer", "runsc-sandbox" })
local sandboxes = tracee.list("sandbox_programs", { "chrome", "chromium", "chromium-browse",
	"headless_shell", "firefox", "firefox-esr", "Web Content", "bwrap", "flatpak",
	"electron", "zygote" })

tracee.signature {
	id = "TRC-2121",
	name = "container_unshare",
	title = "New namespaces created in a container",
	version = "1",
	severity = 2,
	description = "A process in a container created new namespaces with unshare. In a " ..
		"new user namespace a process holds every capability, which many container " ..
		"escapes start from.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "container",
	events = { "unshare" },

	on_event = function(e)
		local flags = e.args.flags
		if type(flags) == "number" and math.tointeger(flags) & NS_FLAGS == 0 then return end
		if runtimes[e.processName] or sandboxes[e.processName] then return end
		tracee.finding { data = { flags = flags, result = e.returnValue } }
	end,
}
