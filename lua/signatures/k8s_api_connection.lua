-- TRC-1013 k8s_api_connection: a container process connects to the
-- Kubernetes API server, whose address the container learnt from the
-- KUBERNETES_SERVICE_HOST variable of a program it started.
--
-- Each container keeps a small set of the addresses its programs were
-- given, not just the last one: a later exec with another
-- KUBERNETES_SERVICE_HOST must not make the real address forgotten.  The
-- first address learnt (from the container's entrypoint, set by the
-- kubelet) stays; later ones take the other slots in turn.

local MAX_ADDRS = 8		-- per container, the first one included
local MAX_CONTAINERS = 4096	-- containers remembered; one is dropped past that

local api = {}			-- container id -> { first =, seen = { addr -> true }, ring = {}, next = }
local nr_containers = 0

local function learn(cid, ip)
	local c = api[cid]
	if not c then
		if nr_containers >= MAX_CONTAINERS then
			api[next(api)] = nil	-- a container long gone, most likely
			nr_containers = nr_containers - 1
		end
		api[cid] = { first = ip, seen = { [ip] = true }, ring = {}, next = 1 }
		nr_containers = nr_containers + 1
		return
	end
	if c.seen[ip] then return end
	local old = c.ring[c.next]
	if old then c.seen[old] = nil end
	c.ring[c.next] = ip
	c.seen[ip] = true
	c.next = c.next % (MAX_ADDRS - 1) + 1
end

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
			ip = ip and ip:match("^%s*(%S+)")
			if ip then learn(cid, ip) end
			return
		end
		local c = api[cid]
		if not c then return end
		local ip = tracee.addr_ip(e.args.remote_addr)
		if ip and c.seen[ip] then
			tracee.finding { data = { ip = ip } }
		end
	end,
}
