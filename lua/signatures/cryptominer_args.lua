-- TRC-2133 cryptominer_args: a program is started with a cryptocurrency
-- miner's command line: a stratum pool URL, xmrig's options
-- (--donate-level, --randomx-*, --coin), or a pool address on a well-known
-- pool port (3333, 4444, 5555, 7777, 14444, ...) next to a wallet option.

local pool_ports = tracee.list("mining_pool_ports", { "3333", "4444", "5555", "7777", "8888",
	"9999", "14433", "14444", "45560", "45700" })
local miner_opts = { "^%-%-donate%-level", "^%-%-randomx%-", "^%-%-coin=?",
	"^%-%-cpu%-max%-threads", "^%-%-nicehash$", "^%-%-rig%-id", "^%-%-algo=rx/", "^%-a$" }

local function scan(argv)
	local pool, wallet, opts = nil, false, 0
	for i = 2, #argv do
		local a = argv[i]
		if type(a) == "string" then
			if a:find("stratum%d?%+%a+://") then return a end
			for _, p in ipairs(miner_opts) do
				if a:find(p) then opts = opts + 1 end
			end
			if a:find("^%-%-donate%-level") then return a end
			local port = a:match("^[%w.-]+:(%d+)$") or a:match("://[%w.-]+:(%d+)")
			if port and pool_ports[port] then pool = a end
			if a == "-u" or a == "--user" or a:find("^%-%-user=") then wallet = true end
		end
	end
	if pool and (wallet or opts > 0) then return pool end
	return nil
end

tracee.signature {
	id = "TRC-2133",
	name = "cryptominer_args",
	title = "Cryptocurrency miner started",
	version = "1",
	severity = 3,
	description = "A program was started with a cryptocurrency miner's arguments (a " ..
		"stratum pool URL, xmrig options, a pool port with a wallet). Adversaries mine " ..
		"on compromised hosts and containers at their owners' expense.",
	tags = { "linux", "container", "process" },
	mitre = { category = "impact", technique = "Resource Hijacking", id = "T1496" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local argv = e.args.argv
		if type(argv) ~= "table" or #argv < 2 then return end
		-- a pool address has a colon, the miner options two dashes
		local line = table.concat(argv, " ", 2)
		if not (line:find(":", 1, true) or line:find("--", 1, true)) then return end
		local hit = scan(argv)
		if hit then
			tracee.finding { data = { pathname = e.args.pathname, argument = hit:sub(1, 256) } }
		end
	end,
}
