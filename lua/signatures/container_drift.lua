-- TRC-2103 container_drift: a container runs a file that was written, or
-- made executable, after it started: the container drifted from its image.
-- Written files come from magic_write (the first bytes written at offset 0,
-- any content: an ELF or a script); chmod/fchmodat/fchmodat2 giving an
-- execute bit mark a file too.  A relative chmod path is matched against
-- the end of the executed path.  A file copied with copy_file_range (cp)
-- and never chmod'ed is not seen.

local S_IXALL = 73	-- 0111: any execute bit
local MAX = 4096	-- marked files kept; the table starts again when full
-- container id .. "\0" .. path -> true
local marked, nr_marked = {}, 0

local function mark(cid, path)
	if type(path) ~= "string" or path == "" then return end
	local k = cid .. "\0" .. path
	if marked[k] then return end
	if nr_marked >= MAX then marked, nr_marked = {}, 0 end
	marked[k] = true
	nr_marked = nr_marked + 1
end

local function mode_of(m)
	if type(m) == "string" then return tonumber(m, 8) end
	return m
end

-- the key under which PATH, or one of its tails (for relative chmods), was
-- marked in container CID
local function marked_key(cid, path)
	local k = cid .. "\0" .. path
	if marked[k] then return k end
	local i = 2
	while true do
		local s = path:find("/", i, true)
		if not s then return nil end
		k = cid .. "\0" .. path:sub(s + 1)
		if marked[k] then return k end
		i = s + 1
	end
end

tracee.signature {
	id = "TRC-2103",
	name = "container_drift",
	title = "Container drift: a new executable was run",
	version = "1",
	severity = 2,
	description = "A process in a container executed a file that was created or made " ..
		"executable after the container started. Container images ship the programs " ..
		"they need: running a new one is drift, often a tool an adversary brought in.",
	tags = { "linux", "container", "process" },
	mitre = { category = "command-and-control", technique = "Ingress Tool Transfer",
		  id = "T1105" },
	origin = "container",
	events = { "magic_write", "chmod", "fchmodat", "fchmodat2", "sched_process_exec" },

	on_event = function(e)
		local name, cid = e.eventName, e.container.id
		if name == "magic_write" then
			mark(cid, e.args.pathname)
			return
		elseif name ~= "sched_process_exec" then
			local mode = mode_of(e.args.mode)
			if e.returnValue == 0 and type(mode) == "number" and
			   math.tointeger(mode) & S_IXALL ~= 0 then
				mark(cid, e.args.pathname)
			end
			return
		end
		-- a script runs its interpreter (pathname): the script is cmdpath
		local path, cmd = e.args.pathname, e.args.cmdpath
		local hit
		if type(path) == "string" and marked_key(cid, path) then
			hit = path
		elseif type(cmd) == "string" and cmd ~= path and marked_key(cid, cmd) then
			hit = cmd
		end
		if hit then
			-- with -c: the dropped binary (a script's process runs its interpreter)
			if hit == path then tracee.capture(e, "exec") end
			tracee.finding { data = { pathname = hit, interpreter = hit ~= path and path or nil } }
		end
	end,
}
