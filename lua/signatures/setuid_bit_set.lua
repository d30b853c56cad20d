-- TRC-2109 setuid_bit_set: the setuid or setgid bit is put on a file
-- (chmod, fchmod, fchmodat, fchmodat2) by a program other than a package
-- manager or what it runs: a root shell kept for later (`chmod u+s
-- /tmp/sh`).  Package managers (whose maintainer scripts are skipped too,
-- through the process's ancestors) and the tools that set up shared group
-- directories are in the shared lists "package_managers" and
-- "setid_programs".

local S_ISUID, S_ISGID = 2048, 1024	-- 04000, 02000
local pkgs = tracee.list("package_managers", { "dpkg", "rpm", "apt", "apt-get", "aptitude",
	"yum", "dnf", "microdnf", "zypper", "apk", "pacman", "snapd", "flatpak",
	"dpkg-statoverri", "unattended-upgr", "packagekitd", "rpm-ostree", "nix", "nix-daemon" })
local setid = tracee.list("setid_programs", { "systemd-tmpfile", "systemd", "tmpfiles" })

local function mode_of(m)
	if type(m) == "string" then return tonumber(m, 8) end
	return m
end

tracee.signature {
	id = "TRC-2109",
	name = "setuid_bit_set",
	title = "Setuid or setgid bit set on a file",
	version = "1",
	severity = 2,
	description = "A program other than a package manager set the setuid or setgid bit " ..
		"on a file. Adversaries leave setuid copies of shells or tools behind to get " ..
		"root again later.",
	tags = { "linux", "container", "privilege-escalation" },
	mitre = { category = "privilege-escalation", technique = "Setuid and Setgid",
		  id = "T1548.001" },
	origin = "any",
	events = { "chmod", "fchmod", "fchmodat", "fchmodat2" },

	on_event = function(e)
		local mode = mode_of(e.args.mode)
		if e.returnValue ~= 0 or type(mode) ~= "number" then return end
		mode = math.tointeger(mode)
		if mode & (S_ISUID | S_ISGID) == 0 then return end
		if pkgs[e.processName] or setid[e.processName] then return end
		-- a maintainer script's chmod during a package installation
		local p = tracee.process(e.hostProcessId)
		if p then
			for _, a in ipairs(p.ancestors) do
				if pkgs[a.comm] then return end
			end
		end
		tracee.finding { data = { pathname = e.args.pathname, fd = e.args.fd,
			mode = string.format("%04o", mode) } }
	end,
}
