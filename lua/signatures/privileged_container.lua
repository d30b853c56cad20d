-- TRC-2141 privileged_container: a container is started privileged (every
-- capability, every device, no seccomp or AppArmor confinement).  A
-- process in it is root on the host for most purposes: it can mount the
-- host's disks, load modules, write cgroup release agents.  Known at
-- container_create (and for those running at start, existing_container)
-- from what the runtime said; images that need it (node agents, CNI
-- plugins) go in "trusted_privileged_images", "name:tag" or "name".

local trusted = tracee.list("trusted_privileged_images")


tracee.signature {
	id = "TRC-2141",
	name = "privileged_container",
	title = "Launch Privileged Container",
	version = "1",
	severity = 3,
	description = "A container was started privileged: it holds every capability and " ..
		"the host's devices, so what runs in it can take the host. Adversaries " ..
		"who can start containers start privileged ones to escape.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation", technique = "Escape to Host", id = "T1611" },
	-- the lifecycle events carry the container in their arguments; their
	-- own context is the runtime's, on the host
	origin = "any",
	events = { "container_create", "existing_container" },

	on_event = function(e)
		local a = e.args
		if a.privileged ~= true or tracee.image_in(trusted, a.container_image or "") then return end
		tracee.finding { data = { container_id = a.container_id,
			container_name = a.container_name, container_image = a.container_image,
			runtime = a.runtime, pod_name = a.pod_name, pod_namespace = a.pod_namespace } }
	end,
}
