-- TRC-2140 network_outside_local_subnet: a process in a container connects
-- to an address outside the subnets it is expected to talk to (by
-- default the private, loopback and link-local ranges).  Many workloads
-- only talk to their neighbours; one that reaches the internet may be
-- exfiltrating or fetching tools.  Off by default (enabled = false): plenty
-- of workloads do reach out.  Switch it on and list the subnets in the
-- shared list "local_subnets" (CIDR text, IPv4 or IPv6):
--	tracee.enable("TRC-2140")
--	tracee.list("local_subnets", { "203.0.113.0/24" })

local subnets = tracee.list("local_subnets", { "10.0.0.0/8", "172.16.0.0/12",
	"192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "0.0.0.0/32",
	"::1/128", "::/128", "fc00::/7", "fe80::/10" })

-- "a.b.c.d" as a list of 4 bytes, or nil
local function v4_bytes(s)
	local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
	if not a then return nil end
	local t = { tonumber(a), tonumber(b), tonumber(c), tonumber(d) }
	for i = 1, 4 do
		if t[i] > 255 then return nil end
	end
	return t
end

-- the 16-bit groups of one side of an IPv6 "::", appended to T; false when
-- malformed.  A dotted IPv4 tail counts as two groups.
local function v6_groups(s, t, last)
	if s == "" then return true end
	local parts = {}
	for p in (s .. ":"):gmatch("([^:]*):") do parts[#parts + 1] = p end
	for i, p in ipairs(parts) do
		if last and i == #parts and p:find(".", 1, true) then
			local b = v4_bytes(p)
			if not b then return false end
			t[#t + 1] = b[1] * 256 + b[2]
			t[#t + 1] = b[3] * 256 + b[4]
		elseif p:match("^%x%x?%x?%x?$") then
			t[#t + 1] = tonumber(p, 16)
		else
			return false
		end
	end
	return true
end

-- An IPv6 address as a list of 16 bytes, or nil
local function v6_bytes(s)
	s = s:gsub("%%.*$", "")	-- a zone: fe80::1%eth0
	local head, tail = s:match("^(.-)::(.*)$")
	local h, t = {}, {}
	if head then
		if tail:find("::", 1, true) then return nil end
		if not v6_groups(head, h, tail == "") or not v6_groups(tail, t, true) then
			return nil
		end
		if #h + #t > 7 then return nil end
		for _ = 1, 8 - #h - #t do h[#h + 1] = 0 end
	else
		if not v6_groups(s, h, true) or #h ~= 8 then return nil end
	end
	for _, g in ipairs(t) do h[#h + 1] = g end
	local bytes = {}
	for _, g in ipairs(h) do
		bytes[#bytes + 1] = g >> 8
		bytes[#bytes + 1] = g & 0xff
	end
	return bytes
end

-- An address as bytes (4 for IPv4, 16 for IPv6; an IPv4-mapped IPv6
-- address as its IPv4 one), or nil
local function ip_bytes(s)
	if type(s) ~= "string" then return nil end
	local b = v4_bytes(s)
	if b then return b end
	b = v6_bytes(s)
	if not b then return nil end
	for i = 1, 10 do
		if b[i] ~= 0 then return b end
	end
	if b[11] == 0xff and b[12] == 0xff then return { b[13], b[14], b[15], b[16] } end
	return b
end

-- CIDR text -> { bytes, prefix length }, cached; false when malformed
local parsed = {}
local function cidr(text)
	local c = parsed[text]
	if c ~= nil then return c end
	local addr, len = text:match("^([^/]+)/(%d+)$")
	local b = addr and ip_bytes(addr)
	len = tonumber(len)
	c = false
	if b and len <= #b * 8 then c = { b, len } end
	parsed[text] = c
	if not c then
		tracee.log("local_subnets: '" .. text .. "' is not a CIDR subnet, ignored")
	end
	return c
end

local function in_subnet(b, c)
	local net, len = c[1], c[2]
	if #net ~= #b then return false end
	local i = 1
	while len >= 8 do
		if b[i] ~= net[i] then return false end
		i, len = i + 1, len - 8
	end
	if len == 0 then return true end
	local mask = (0xff << (8 - len)) & 0xff
	return b[i] & mask == net[i] & mask
end

tracee.signature {
	id = "TRC-2140",
	name = "network_outside_local_subnet",
	title = "Container connected outside its local subnets",
	version = "1",
	severity = 1,
	description = "A process in a container connected to an address outside the subnets " ..
		"listed in local_subnets (private, loopback and link-local ranges by default). " ..
		"For workloads that only talk to their neighbours, such a connection may be " ..
		"exfiltration or a download of tools. Off by default.",
	tags = { "linux", "container", "network" },
	mitre = { category = "command-and-control", technique = "Application Layer Protocol",
		  id = "T1071" },
	origin = "container",
	enabled = false,
	events = { "security_socket_connect" },

	on_event = function(e)
		local addr = e.args.remote_addr
		if not tracee.is_inet(addr) then return end
		local ip = tracee.addr_ip(addr)
		local b = ip_bytes(ip)
		if not b then return end
		for text in pairs(subnets) do
			local c = cidr(text)
			if c and in_subnet(b, c) then return end
		end
		tracee.finding { data = { ip = ip, port = tracee.addr_port(addr) } }
	end,
}
