-- TRC-2124 network_scanner: a network scanner is run (nmap, masscan, zmap,
-- ...).  Servers and containers do not map networks; adversaries do, right
-- after they get in.  The list is "network_scanners".

local scanners = tracee.list("network_scanners", { "nmap", "masscan", "zmap", "zgrab",
	"zgrab2", "unicornscan", "rustscan", "naabu", "nping", "hping3", "arp-scan",
	"netdiscover", "sx", "fscan", "nbtscan", "onesixtyone" })

tracee.signature {
	id = "TRC-2124",
	name = "network_scanner",
	title = "Network scanner executed",
	version = "1",
	severity = 2,
	description = "A network scanning tool was executed. Adversaries scan the networks " ..
		"they reach to find more hosts and services to attack.",
	tags = { "linux", "container", "process", "network" },
	mitre = { category = "discovery", technique = "Network Service Discovery", id = "T1046" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local prog = tracee.basename(e.args.pathname)
		if scanners[prog] then
			tracee.finding { data = { pathname = e.args.pathname } }
		end
	end,
}
