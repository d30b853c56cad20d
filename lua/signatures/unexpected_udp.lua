-- TRC-2130 unexpected_udp: a shell or a netcat-like tool sends UDP to a
-- port that is not an ordinary UDP service (DNS, DHCP, NTP, QUIC, mDNS):
-- bash's /dev/udp, `nc -u`, socat UDP: a covert channel or a reverse shell
-- over UDP.  Why only these programs: any program that resolves a name
-- with several addresses connects a UDP socket to each (glibc sorts the
-- addresses that way, RFC 6724) without sending a byte, so judging every
-- program's UDP connects would be noisy.  Loopback is not reported.
-- Datagrams sent with sendto on an unconnected socket are not seen (sendto
-- is too frequent to watch by default).

local programs = tracee.list("udp_watched_programs", { "sh", "bash", "dash", "ash", "zsh",
	"ksh", "mksh", "busybox", "nc", "ncat", "netcat", "nc.traditional", "nc.openbsd",
	"socat", "telnet" })
local ports = tracee.list("udp_ports", { "53", "67", "68", "123", "443", "5353" })
local SOCK_DGRAM = 2

local function loopback(ip)
	return ip:sub(1, 4) == "127." or ip == "::1" or ip:sub(1, 11) == "::ffff:127."
end

tracee.signature {
	id = "TRC-2130",
	name = "unexpected_udp",
	title = "Shell or netcat sent UDP to an unusual port",
	version = "1",
	severity = 2,
	description = "A shell or a netcat-like tool connected a UDP socket to a remote port " ..
		"that is not an ordinary UDP service. UDP reverse shells and covert channels " ..
		"look like this.",
	tags = { "linux", "container", "network" },
	mitre = { category = "command-and-control", technique = "Non-Application Layer Protocol",
		  id = "T1095" },
	origin = "any",
	events = { "security_socket_connect" },

	on_event = function(e)
		if not programs[e.processName] then return end
		local t, addr = e.args.type, e.args.remote_addr
		if (t ~= SOCK_DGRAM and t ~= "SOCK_DGRAM") or not tracee.is_inet(addr) then return end
		local ip, port = tracee.addr_ip(addr), tracee.addr_port(addr)
		if not ip or loopback(ip) or ports[port] then return end
		tracee.finding { data = { ip = ip, port = port } }
	end,
}
