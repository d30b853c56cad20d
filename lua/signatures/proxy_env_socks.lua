-- TRC-2132 proxy_env_socks: a program is started with a proxy variable
-- (ALL_PROXY, HTTPS_PROXY, http_proxy, ...) pointing to a SOCKS proxy or to
-- Tor's ports (9050, 9150).  Site proxies are HTTP proxies set for every
-- program; a SOCKS or Tor proxy given to one program is a tunnel that hides
-- where its traffic goes.  Tor's own tools are in "socks_proxy_programs".

local vars = { "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY",
	"http_proxy", "FTP_PROXY", "ftp_proxy", "SOCKS_PROXY", "socks_proxy" }
local allowed = tracee.list("socks_proxy_programs", { "tor", "torsocks", "torify", "proxychains",
	"proxychains4" })

local function tunnelled(v)
	local l = v:lower()
	return l:find("^socks[45]?[ah]?://") ~= nil or l:find(":9[01]50/?$") ~= nil
end

tracee.signature {
	id = "TRC-2132",
	name = "proxy_env_socks",
	title = "Program started through a SOCKS or Tor proxy",
	version = "1",
	severity = 1,
	description = "A program was started with a proxy variable that points to a SOCKS " ..
		"proxy or to Tor. Adversaries route their tools' traffic through such tunnels to " ..
		"hide where it goes.",
	tags = { "linux", "container", "process", "network" },
	mitre = { category = "command-and-control", technique = "Multi-hop Proxy", id = "T1090.003" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local env = e.args.envp
		if type(env) ~= "table" or allowed[tracee.basename(e.args.pathname)] then return end
		for _, var in ipairs(vars) do
			local v = tracee.getenv(env, var)
			if v and tunnelled(v) then
				tracee.finding { data = { pathname = e.args.pathname, [var] = v:sub(1, 256) } }
				return
			end
		end
	end,
}
