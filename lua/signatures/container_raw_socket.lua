-- TRC-2117 container_raw_socket: a container opens a raw packet socket
-- (AF_PACKET) or a raw IP socket (SOCK_RAW): sniffing the node's traffic,
-- ARP spoofing its neighbours, forging packets.  Needs CAP_NET_RAW, which
-- many runtimes still grant; ping-like tools are in "raw_socket_programs".

local AF_INET, AF_INET6, AF_PACKET, SOCK_RAW = 2, 10, 17, 3
local allowed = tracee.list("raw_socket_programs", { "ping", "ping6", "arping", "traceroute",
	"traceroute6", "mtr-packet", "dhclient", "dhcpcd", "udhcpc", "keepalived" })

-- domain and type as numbers, whether raw or given as names
local function decode(domain, stype)
	if type(domain) == "string" then
		domain = ({ AF_INET = AF_INET, AF_INET6 = AF_INET6, AF_PACKET = AF_PACKET })[domain]
	end
	if type(stype) == "string" then
		stype = stype:find("SOCK_RAW", 1, true) and SOCK_RAW or 0
	elseif type(stype) == "number" then
		stype = math.tointeger(stype) & 15
	end
	return domain, stype
end

tracee.signature {
	id = "TRC-2117",
	name = "container_raw_socket",
	title = "Raw socket opened in a container",
	version = "1",
	severity = 2,
	description = "A process in a container opened a raw packet or raw IP socket. " ..
		"With one, an adversary can sniff traffic, spoof ARP or forge packets towards " ..
		"other containers and the host.",
	tags = { "linux", "container", "network" },
	mitre = { category = "credential-access", technique = "Network Sniffing", id = "T1040" },
	origin = "container",
	events = { "socket" },

	on_event = function(e)
		if e.returnValue < 0 then return end
		local domain, stype = decode(e.args.domain, e.args.type)
		if domain == AF_PACKET or
		   ((domain == AF_INET or domain == AF_INET6) and stype == SOCK_RAW) then
			if allowed[e.processName] then return end
			tracee.finding { data = { domain = e.args.domain, type = e.args.type,
				protocol = e.args.protocol } }
		end
	end,
}
