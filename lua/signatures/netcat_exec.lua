-- TRC-2123 netcat_exec: netcat (nc, ncat, netcat) is told to run a program
-- on its connection (-e, -c, --exec, --sh-exec), or socat is given an
-- EXEC: or SYSTEM: address: a bind or reverse shell in one command.

local netcats = tracee.list("netcat_programs", { "nc", "ncat", "netcat", "nc.traditional",
	"nc.openbsd", "pwncat" })

local function netcat_exec(argv)
	for i = 2, #argv do
		local a = argv[i]
		if type(a) == "string" then
			if a == "--exec" or a == "--sh-exec" or a == "--lua-exec" or
			   a:match("^%-%-s?h?%-?exec=") then
				return a
			end
			-- -e and -c, also grouped with other letters (-lvpe)
			if a:match("^%-%a*[ec]$") or a:match("^%-[ec].") then return a end
		end
	end
	return nil
end

local function socat_exec(argv)
	for i = 2, #argv do
		local a = argv[i]
		if type(a) == "string" then
			local u = a:upper()
			if u:find("^EXEC:") or u:find("^SYSTEM:") then return a end
		end
	end
	return nil
end

tracee.signature {
	id = "TRC-2123",
	name = "netcat_exec",
	title = "Netcat or socat run with a program on the connection",
	version = "1",
	severity = 3,
	description = "netcat was started with -e/-c (or socat with an EXEC/SYSTEM " ..
		"address): the program it runs gets the network connection as its input and " ..
		"output. This is a bind or reverse shell.",
	tags = { "linux", "container", "process", "network" },
	mitre = { category = "execution", technique = "Unix Shell", id = "T1059.004" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local argv = e.args.argv
		if type(argv) ~= "table" then return end
		local prog = tracee.basename(e.args.pathname)
		local hit
		if netcats[prog] then
			hit = netcat_exec(argv)
		elseif prog == "socat" then
			hit = socat_exec(argv)
		end
		if hit then
			tracee.finding { data = { pathname = e.args.pathname, argument = hit } }
		end
	end,
}
