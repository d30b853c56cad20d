-- TRC-2101 exec_from_temp_dir: a program is run from a world-writable
-- scratch directory (/tmp, /var/tmp, a user's /run/user/UID): where dropped
-- tools land, since anyone may write there and it is rarely watched.
-- /dev/shm and memfd are TRC-105's (fileless_execution), not repeated here.

-- directories whose programs are suspect (prefixes, with the final slash)
local dirs = tracee.list("temp_exec_dirs", { "/tmp/", "/var/tmp/", "/run/user/" })
-- substrings of paths that are ordinary there: `go test`/`go run` builds,
-- AppImage mounts, and system trees being built below a scratch directory
-- (a chroot or an image bootstrapped in /tmp/root, `make install DESTDIR=`)
local allowed = tracee.list("temp_exec_allowed", { "/go-build", "/.mount_", "/usr/bin/",
	"/usr/sbin/", "/usr/lib/", "/usr/libexec/", "/usr/local/bin/" })
-- what a package installation runs (maintainer scripts, their helpers) is
-- not reported either
local pkgs = tracee.list("package_managers", { "dpkg", "rpm", "apt", "apt-get", "aptitude",
	"yum", "dnf", "microdnf", "zypper", "apk", "pacman", "snapd", "flatpak",
	"dpkg-statoverri", "unattended-upgr", "packagekitd", "rpm-ostree", "nix", "nix-daemon" })

local function under(path, set)
	for prefix in pairs(set) do
		if path:sub(1, #prefix) == prefix then return true end
	end
	return false
end

local function allowed_path(path)
	for s in pairs(allowed) do
		if path:find(s, 1, true) then return true end
	end
	return false
end

tracee.signature {
	id = "TRC-2101",
	name = "exec_from_temp_dir",
	title = "Program executed from a temporary directory",
	version = "1",
	severity = 2,
	description = "A program was executed from a temporary, world-writable directory " ..
		"(/tmp, /var/tmp, /run/user). Adversaries drop their tools there because any " ..
		"user may write to these directories and they are seldom monitored.",
	tags = { "linux", "container", "process" },
	mitre = { category = "execution", technique = "Malicious File", id = "T1204.002" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local path = e.args.pathname
		if type(path) ~= "string" or tracee.is_memory_path(path) then return end
		if not under(path, dirs) or allowed_path(path) then return end
		local p = tracee.process(e.hostProcessId)
		if p then
			for _, a in ipairs(p.ancestors) do
				if pkgs[a.comm] then return end
			end
		end
		tracee.capture(e, "exec")	-- with -c: the dropped binary itself
		tracee.finding { data = { pathname = path } }
	end,
}
