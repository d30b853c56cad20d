-- TRC-2142 excessive_caps_container: a container is started with a
-- capability added that breaks its isolation: SYS_ADMIN (mount, cgroups,
-- namespaces), SYS_MODULE (kernel modules), SYS_PTRACE (other processes),
-- SYS_RAWIO, DAC_READ_SEARCH (open_by_handle_at, the "shocker" escape),
-- NET_ADMIN, BPF, ... ("dangerous_container_capabilities"; "ALL" counts).
-- A privileged container is TRC-2141's.  Images that need such a
-- capability go in "trusted_privileged_images", as for TRC-2141.

local dangerous = tracee.list("dangerous_container_capabilities", { "ALL", "SYS_ADMIN",
	"SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "SYS_BOOT", "SYS_TIME", "DAC_READ_SEARCH",
	"NET_ADMIN", "BPF", "PERFMON", "MAC_ADMIN", "MAC_OVERRIDE", "SYSLOG",
	"LINUX_IMMUTABLE" })
local trusted = tracee.list("trusted_privileged_images")


tracee.signature {
	id = "TRC-2142",
	name = "excessive_caps_container",
	title = "Container started with dangerous capabilities",
	version = "1",
	severity = 2,
	description = "A container was started with capabilities added that let it act on " ..
		"the host (SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH, ...). Each is a " ..
		"known step out of a container.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	origin = "any",	-- as TRC-2141: the container is in the arguments
	events = { "container_create", "existing_container" },

	on_event = function(e)
		local a = e.args
		local caps = a.added_capabilities
		if a.privileged == true or type(caps) ~= "table" then return end
		local found = {}
		for _, c in ipairs(caps) do
			if dangerous[c] then found[#found + 1] = c end
		end
		if #found == 0 or tracee.image_in(trusted, a.container_image or "") then return end
		tracee.finding { data = { container_id = a.container_id,
			container_name = a.container_name, container_image = a.container_image,
			runtime = a.runtime, capabilities = table.concat(found, ","),
			pod_name = a.pod_name, pod_namespace = a.pod_namespace } }
	end,
}
