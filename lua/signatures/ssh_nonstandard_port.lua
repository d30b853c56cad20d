-- TRC-2128 ssh_nonstandard_port: the ssh client connects to a port other
-- than 22.  Tunnels to attacker infrastructure and exfiltration often use
-- high ports to blend in; sites with other sshd ports add them to the
-- shared list "ssh_ports".

local clients = tracee.list("ssh_clients", { "ssh", "autossh", "dropbear", "dbclient" })
local ports = tracee.list("ssh_ports", { "22" })
local SOCK_STREAM = 1

tracee.signature {
	id = "TRC-2128",
	name = "ssh_nonstandard_port",
	title = "SSH connection to a non-standard port",
	version = "1",
	severity = 1,
	description = "An ssh client connected to a port other than 22. Adversaries run " ..
		"their SSH servers on other ports for tunnels and exfiltration.",
	tags = { "linux", "container", "network" },
	mitre = { category = "command-and-control", technique = "Non-Standard Port", id = "T1571" },
	origin = "any",
	events = { "security_socket_connect" },

	on_event = function(e)
		if not clients[e.processName] then return end
		local addr = e.args.remote_addr
		local t = e.args.type
		if not tracee.is_inet(addr) or (t ~= SOCK_STREAM and t ~= "SOCK_STREAM") then return end
		local port = tracee.addr_port(addr)
		if port and not ports[port] then
			tracee.finding { data = { ip = tracee.addr_ip(addr), port = port } }
		end
	end,
}
