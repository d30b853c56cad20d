-- TRC-101 stdio_over_socket: a process's standard input or output is a
-- network socket, the base of a reverse shell (`bash -i >& /dev/tcp/...`).
--
-- Fires when fd 0, 1 or 2 is connected to an AF_INET/AF_INET6 peer
-- (security_socket_connect on the fd) or a connected socket is duplicated
-- onto it (socket_dup's newfd).

local legit_ports = tracee.set{ "", "0" }

tracee.signature {
	id = "TRC-101",
	name = "stdio_over_socket",
	title = "Process standard input/output over socket detected",
	version = "2",
	severity = 3,
	description = "A process has its standard input/output redirected to a socket. " ..
		"This behavior is the base of a Reverse Shell attack, which is when an " ..
		"interactive shell being invoked from a target machine back to the attacker's " ..
		"machine, giving it interactive control over the target.",
	tags = { "linux", "container" },
	mitre = { category = "execution", technique = "Unix Shell", id = "T1059.004" },
	origin = "any",
	events = { "security_socket_connect", "socket_dup" },

	on_event = function(e)
		local fd
		if e.eventName == "security_socket_connect" then
			fd = e.args.sockfd
		else
			fd = e.args.newfd
		end
		if fd ~= 0 and fd ~= 1 and fd ~= 2 then return end
		local addr = e.args.remote_addr
		if not tracee.is_inet(addr) then return end
		local port = tracee.addr_port(addr) or ""
		if legit_ports[port] then return end
		tracee.finding {
			data = { ["IP address"] = tracee.addr_ip(addr), Port = port,
				 ["File descriptor"] = fd },
		}
	end,
}
