-- TRC-104 dynamic_code_loading: memory that was writable became executable
-- (mem_prot_alert), the mark of code written at run time and then run.
-- Alerts arrive as text or as Tracee's alert number (4: W+E to E).

local alerts = tracee.set{ "Protection changed from W to E!",
			   "Protection changed from W+E to E!", 4 }

tracee.signature {
	id = "TRC-104",
	name = "dynamic_code_loading",
	title = "Dynamic code loading detected",
	version = "1",
	severity = 2,
	description = "Possible dynamic code loading was detected as the binary's memory " ..
		"is both writable and executable. Writing to an executable allocated memory " ..
		"region could be a technique used by adversaries to run code undetected and " ..
		"without dropping executables.",
	tags = { "linux", "container" },
	mitre = { category = "defense-evasion", technique = "Software Packing", id = "T1027.002" },
	origin = "any",
	events = { "mem_prot_alert" },

	on_event = function(e)
		if alerts[e.args.alert] then
			tracee.finding {}
			tracee.capture(e, "mem")	-- with -c: the region's code, while it runs
		end
	end,
}
