-- TRC-2129 cloud_metadata_access: a container contacts the cloud instance
-- metadata service (169.254.169.254, AWS's fd00:ec2::254, Alibaba's
-- 100.100.100.200).  It hands out the node's credentials: a container has
-- no business there unless it is a known agent.  List "metadata_addresses".

local addrs = tracee.list("metadata_addresses", { "169.254.169.254", "fd00:ec2::254",
	"100.100.100.200" })

tracee.signature {
	id = "TRC-2129",
	name = "cloud_metadata_access",
	title = "Cloud metadata service contacted from a container",
	version = "1",
	severity = 2,
	description = "A process in a container connected to the cloud instance metadata " ..
		"address. The metadata service gives out the node's cloud credentials; " ..
		"adversaries query it to move from a container to the cloud account.",
	tags = { "linux", "container", "network" },
	mitre = { category = "credential-access", technique = "Cloud Instance Metadata API",
		  id = "T1552.005" },
	origin = "container",
	events = { "security_socket_connect" },

	on_event = function(e)
		local ip = tracee.addr_ip(e.args.remote_addr)
		if ip and addrs[ip] then
			tracee.finding { data = { ip = ip, port = tracee.addr_port(e.args.remote_addr) } }
		end
	end,
}
