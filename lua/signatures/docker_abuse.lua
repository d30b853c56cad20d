-- TRC-1019 docker_abuse: a container opens the Docker socket for writing or
-- connects to it: either talks to the host's whole Docker engine.  An open
-- for reading only is left alone (stat-like probes of the path, as the
-- original Tracee does).

local function is_docker_sock(path)
	return tracee.ends_with(path, "docker.sock")
end

tracee.signature {
	id = "TRC-1019",
	name = "docker_abuse",
	title = "Docker socket abuse detected",
	version = "1",
	severity = 2,
	description = "An attempt to abuse the Docker UNIX socket inside a container was " ..
		"detected. docker.sock is the UNIX socket that Docker uses as the entry point to " ..
		"the Docker API. Adversaries may attempt to abuse this socket to compromise the " ..
		"system.",
	tags = { "linux", "container" },
	mitre = { category = "privilege-escalation",
		  technique = "Exploitation for Privilege Escalation", id = "T1068" },
	origin = "container",
	events = { "security_file_open", "security_socket_connect" },
	paths = { "*docker.sock" },

	on_event = function(e)
		local path
		if e.eventName == "security_file_open" then
			if not tracee.is_file_write(e.args.flags) then return end
			path = e.args.pathname
		else
			local addr = e.args.remote_addr
			path = type(addr) == "table" and addr.sa_family == "AF_UNIX" and addr.sun_path
		end
		if is_docker_sock(path) then
			tracee.finding { data = { path = path } }
		end
	end,
}
