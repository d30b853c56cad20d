-- tracee.lua - helpers every script finds in its `tracee` table.
--
-- Loaded once by the engine in a sandbox of its own; the functions are then
-- copied into each script's `tracee` table (tracee.basename, ...).  Pure
-- functions only: no state, no access to the tracee API.
--
-- Flags may arrive as integers (raw) or as strings ("O_WRONLY|O_CREAT",
-- with option:parse-arguments in a replayed log); both are understood.

local M = {}

local O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR = 3, 0, 1, 2

-- The access mode of open flags: 0 read, 1 write, 2 read-write.
local function accmode(flags)
	if type(flags) == "number" then
		return math.tointeger(flags) & O_ACCMODE
	elseif type(flags) == "string" then
		if flags:find("O_RDWR", 1, true) then return O_RDWR end
		if flags:find("O_WRONLY", 1, true) then return O_WRONLY end
		return O_RDONLY
	end
	return nil
end

--- true when open flags ask for writing (O_WRONLY or O_RDWR).
function M.is_file_write(flags)
	local m = accmode(flags)
	return m == O_WRONLY or m == O_RDWR
end

--- The path an event writes to: a security_file_open for writing, or the
--- new name of a security_inode_rename; nil for anything else.
function M.written_path(e)
	local name = e.eventName
	if name == "security_file_open" then
		if M.is_file_write(e.args.flags) then return e.args.pathname end
	elseif name == "security_inode_rename" then
		return e.args.new_path
	end
	return nil
end

--- true when open flags ask for reading (O_RDONLY or O_RDWR).
function M.is_file_read(flags)
	local m = accmode(flags)
	return m == O_RDONLY or m == O_RDWR
end

--- The last component of a path ("/usr/bin/bash" -> "bash").
-- Paths are often an attacker's: trailing slashes are stripped by a loop
-- rather than a pattern that would backtrack over each of them.
function M.basename(path)
	if type(path) ~= "string" then return "" end
	local last = #path
	while last > 0 and path:byte(last) == 47 do last = last - 1 end	-- '/'
	return path:sub(1, last):match("[^/]*$")
end

--- Everything before the last component ("/usr/bin/bash" -> "/usr/bin").
function M.dirname(path)
	if type(path) ~= "string" then return "" end
	local d = path:match("^(.*)/[^/]*$")
	if d == nil then return "." end
	if d == "" then return "/" end
	return d
end

function M.starts_with(s, prefix)
	return type(s) == "string" and s:sub(1, #prefix) == prefix
end

function M.ends_with(s, suffix)
	return type(s) == "string" and (suffix == "" or s:sub(-#suffix) == suffix)
end

--- A set from a list: tracee.set{"bash", "sh"}["sh"] == true.
function M.set(list)
	local t = {}
	for _, v in ipairs(list) do t[v] = true end
	return t
end

--- true for the first bytes of an ELF file.
function M.is_elf(bytes)
	return type(bytes) == "string" and bytes:sub(1, 4) == "\127ELF"
end

--- Paths that live in memory, not on a disk (memfd, /dev/shm, /run/shm).
function M.is_memory_path(path)
	return M.starts_with(path, "memfd:") or M.starts_with(path, "/dev/shm")
		or M.starts_with(path, "/run/shm")
end

--- For a sockaddr table: true for AF_INET and AF_INET6.
function M.is_inet(addr)
	return type(addr) == "table" and
		(addr.sa_family == "AF_INET" or addr.sa_family == "AF_INET6")
end

--- The IP address of an AF_INET/AF_INET6 sockaddr table, or nil.
function M.addr_ip(addr)
	if type(addr) ~= "table" then return nil end
	return addr.sin_addr or addr.sin6_addr
end

--- The port of an AF_INET/AF_INET6 sockaddr table as a string, or nil.
function M.addr_port(addr)
	if type(addr) ~= "table" then return nil end
	return addr.sin_port or addr.sin6_port
end

--- The value of NAME in a list of "NAME=value" strings (argv/envp), or nil.
function M.getenv(list, name)
	if type(list) ~= "table" then return nil end
	local prefix = name .. "="
	for _, kv in ipairs(list) do
		if type(kv) == "string" and kv:sub(1, #prefix) == prefix then
			return kv:sub(#prefix + 1)
		end
	end
	return nil
end

--- true for a request given as a number or as its name.
function M.ptrace_is(request, name, number)
	return request == number or request == name
end

M.PTRACE = {
	TRACEME = 0, PEEKTEXT = 1, PEEKDATA = 2, PEEKUSER = 3, POKETEXT = 4, POKEDATA = 5,
	POKEUSER = 6, CONT = 7, KILL = 8, ATTACH = 16, DETACH = 17, SEIZE = 0x4206,
}

M.SEVERITY = { INFO = 0, LOW = 1, MEDIUM = 2, HIGH = 3 }

-- Named lists, shared by every script of the engine: the rules declare the
-- lists they consult (trusted readers, known setuid programs, ...) with
-- their defaults, and a policy script extends or trims the same table.
-- The rules keep the table they were given and look names up at event
-- time, so a change made by a script loaded later still applies.
local lists = {}

--- The shared list NAME as a set (item -> true), created when new; ITEMS
--- (optional) are added to it.  tracee.list("package_managers", {"nix"}).
function M.list(name, items)
	assert(type(name) == "string" and name ~= "", "tracee.list: a name is required")
	local l = lists[name]
	if not l then
		l = {}
		lists[name] = l
	end
	if items ~= nil then
		assert(type(items) == "table", "tracee.list: items must be a list of strings")
		for _, v in ipairs(items) do l[v] = true end
	end
	return l
end

--- Take ITEMS out of the shared list NAME.
function M.list_remove(name, items)
	local l = M.list(name)
	for _, v in ipairs(items) do l[v] = nil end
	return l
end

--- Empty the shared list NAME, then fill it with ITEMS (optional): a
--- policy's own list in place of the built-in defaults.
function M.list_replace(name, items)
	local l = M.list(name)
	for k in pairs(l) do l[k] = nil end
	return M.list(name, items)
end

--- Whether a container image is in SET (a tracee.list): as given
--- ("registry/repo:tag@sha256:..."), without its digest, or without its
--- tag, so that a list entry may pin a tag or not.  False for "".
function M.image_in(set, image)
	if type(image) ~= "string" or image == "" then return false end
	local nodigest = image:gsub("@.*$", "")
	local notag = nodigest:gsub(":[^:/]*$", "")
	return set[image] or set[nodigest] or set[notag] or false
end

--- The names of the shared lists, sorted.
function M.list_names()
	local t = {}
	for k in pairs(lists) do t[#t + 1] = k end
	table.sort(t)
	return t
end

return M
