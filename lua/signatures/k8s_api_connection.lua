-- TRC-1013 k8s_api_connection: a container process connects to the
-- Kubernetes API server, whose address the container learnt from the
-- KUBERNETES_SERVICE_HOST variable of a program it started.

local api_ip = {}	-- container id -> API server address

tracee.signature {
	id = "TRC-1013",
	name = "k8s_api_connection",
	title = "Kubernetes API server connection detected",
	version = "1",
	severity = 1,
	description = "A connection to the kubernetes API server was detected. The K8S API " ..
		"server is the brain of your K8S cluster, adversaries may try and communicate " ..
		"with the K8S API server to gather information/credentials, or even run more " ..
		"containers and laterally expand their grip on your systems.",
	tags = { "linux", "container" },
	mitre = { category = "discovery", technique = "Cloud Service Discovery", id = "T1526" },
	origin = "container",
	events = { "sched_process_exec", "security_socket_connect" },

	on_event = function(e)
		local cid = e.container.id
		if e.eventName == "sched_process_exec" then
			local ip = tracee.getenv(e.args.env or e.args.envp, "KUBERNETES_SERVICE_HOST")
			if ip and ip ~= "" then api_ip[cid] = ip:match("^%s*(.-)%s*$") end
			return
		end
		local want = api_ip[cid]
		if not want then return end
		if tracee.addr_ip(e.args.remote_addr) == want then
			tracee.finding { data = { ip = want } }
		end
	end,
}
