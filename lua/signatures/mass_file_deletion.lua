-- TRC-2028 mass_file_deletion: one process deletes many files in a short
-- time.  Off by default (enabled = false): rm -r of a build tree, make clean
-- and cache cleaners do exactly this on an ordinary developer host; enable it
-- on servers where bulk deletion is not routine.

local F = require "filerules"

-- The threshold, "COUNT/SECONDS" (the first entry that parses counts):
-- tracee.list_replace("mass_file_deletion_threshold", {"50/5"}).
local threshold = tracee.list("mass_file_deletion_threshold", { "200/10" })
local deleters = tracee.list("bulk_deleters", {
	"logrotate", "systemd-tmpfile", "tmpreaper", "tmpwatch", "systemd-journal",
	"journalctl", "updatedb", "mandb", "containerd", "dockerd", "podman",
})

-- per host pid: { n = deletions in the window, t0 = window start, done = reported }
local procs, nr_procs = {}, 0

local function limits()
	for k in pairs(threshold) do
		local n, s = k:match("^(%d+)/(%d+%.?%d*)$")
		if n then return tonumber(n), math.floor(tonumber(s) * 1e9) end
	end
	return nil
end

tracee.signature {
	id = "TRC-2028",
	name = "mass_file_deletion",
	title = "Many files deleted by one process",
	version = "1",
	severity = 2,
	enabled = false,
	description = "One process deleted many files in a short window (200 in 10 s by " ..
		"default; the shared list mass_file_deletion_threshold holds COUNT/SECONDS). " ..
		"Wipers and ransomware delete in bulk, and so do adversaries clearing a host " ..
		"before they leave. Every successful unlink or unlinkat counts, whatever the " ..
		"path. Package managers and cleaners are left out. Off by default: on a " ..
		"developer host rm -r of a build tree looks the same.",
	tags = { "linux", "container", "file", "impact" },
	mitre = { category = "impact", technique = "Data Destruction", id = "T1485" },
	origin = "any",
	events = { "unlink", "unlinkat" },

	on_event = function(e)
		if e.returnValue ~= 0 then return end
		local max, window = limits()
		if not max then return end
		local pid, now = e.hostProcessId, e.timestamp
		local p = procs[pid]
		if not p or now - p.t0 > window then
			if not p then
				if nr_procs >= 4096 then procs, nr_procs = {}, 0 end
				nr_procs = nr_procs + 1
			end
			p = { n = 0, t0 = now, done = p and p.done }
			procs[pid] = p
		end
		p.n = p.n + 1
		if p.n < max or p.done then return end
		p.done = true
		if deleters[e.processName] or F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { deletions = p.n, seconds = (now - p.t0) / 1e9,
					  pathname = e.args.pathname } }
	end,
}
