-- TRC-2139 kubectl_cp_exfiltration: tar creates an archive in a running
-- container, started directly from outside it.  `kubectl cp POD:path`
-- (and podman/docker exec of `tar cf -`) copies files out of a workload
-- this way, through the control plane, past any network control.  Copies
-- into a container (tar x) are not reported; neither is a tar the
-- workload runs itself (its parent is in the container).

local archivers = tracee.list("container_copy_archivers", { "tar", "bsdtar", "gtar" })

-- true when tar's arguments ask for an archive to be created
local function creates(argv)
	for i = 2, #argv do
		local a = argv[i]
		if type(a) ~= "string" then return false end
		if a == "--create" then return true end
		if i == 2 and a:sub(1, 1) ~= "-" and a:find("c", 1, true) then
			return true	-- old style bundle: tar cf - ...
		end
		if a:match("^%-%a*c%a*$") then return true end
	end
	return false
end

tracee.signature {
	id = "TRC-2139",
	name = "kubectl_cp_exfiltration",
	title = "Files copied out of a container through its runtime",
	version = "1",
	severity = 2,
	description = "tar created an archive in a running container, started directly by a " ..
		"process outside it: what kubectl cp or podman/docker cp-style exec do to copy " ..
		"files out of a workload through the control plane, past network controls.",
	tags = { "linux", "container", "process", "exfiltration" },
	mitre = { category = "exfiltration", technique = "Exfiltration Over Alternative Protocol",
		  id = "T1048" },
	origin = "container",
	events = { "sched_process_exec" },

	on_event = function(e)
		-- the command name too: busybox's tar is /bin/busybox
		local prog = tracee.basename(e.args.pathname)
		if not (archivers[e.processName] or archivers[prog]) then return end
		local argv = e.args.argv
		if type(argv) ~= "table" or not creates(argv) then return end
		-- the runtime's exec: a parent that is not in this container
		local parent = tracee.process(e.hostParentProcessId)
		if not parent or parent.container == e.containerId then return end
		tracee.finding { data = { parent = parent.comm,
			arguments = table.concat(argv, " ", 2):sub(1, 256) } }
	end,
}
