-- paths128.lua - a policy of 128 security_file_open path globs, for
-- `BENCH_SCRIPT=tests/bench/paths128.lua make bench` and
-- tests/integration/path_prefilter.sh: what the kernel prefilter costs per
-- open once the default rules watch many files.  The first globs are the
-- kinds real rules use (exact files, directories, file names anywhere,
-- /proc/<pid>/ files, a directory anywhere); the rest are synthetic ones of
-- the same kinds, so that the count is 128 with no duplicate.

local globs = {
	-- credentials and keys
	"/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-", "/etc/sudoers",
	"/etc/sudoers.d/*", "*/.ssh/id_*", "*/.ssh/authorized_keys*", "*/.aws/credentials",
	"*/.aws/config", "*/.kube/config", "*/.docker/config.json", "*/.gnupg/*", "*/.netrc",
	"*/.git-credentials", "*/.config/gcloud/*", "*/.azure/*", "/etc/ssl/private/*",
	"/proc/*/environ", "/proc/*/mem",
	-- logs and shell history
	"/var/log/*", "*/.bash_history", "*/.zsh_history", "*/.ash_history", "*/.python_history",
	"*/.mysql_history", "*/.viminfo",
	-- persistence
	"/etc/systemd/system/*", "/lib/systemd/system/*", "/usr/lib/systemd/system/*",
	"/etc/init.d/*", "/etc/rc*", "/etc/cron*", "/var/spool/cron/*", "/etc/profile",
	"/etc/profile.d/*", "/etc/bash.bashrc", "*/.bashrc", "*/.profile", "*/.bash_profile",
	"*/.zshrc", "/etc/ld.so.preload", "/etc/ld.so.conf.d/*", "/etc/pam.d/*",
	"/etc/security/*", "/etc/modules-load.d/*", "/etc/udev/rules.d/*", "/etc/update-motd.d/*",
	-- binaries, libraries, package databases, system directories
	"/usr/bin/*", "/usr/sbin/*", "/bin/*", "/sbin/*", "/usr/local/bin/*", "/usr/local/sbin/*",
	"/var/lib/dpkg/*", "/var/lib/rpm/*", "/var/lib/apt/*", "/root/*", "/boot/*",
	-- kernel and containers
	"/proc/sys/kernel/*", "/sys/kernel/debug/*", "/proc/kcore", "/proc/kallsyms",
	"/sys/fs/cgroup/*/release_agent", "*/notify_on_release", "*docker.sock", "*containerd.sock",
	"/run/secrets/kubernetes.io/serviceaccount/*", "/etc/kubernetes/*", "/var/lib/kubelet/*",
}

-- synthetic ones, four kinds in turn, up to 128
local i = 0
while #globs < 128 do
	i = i + 1
	local kind = i % 4
	if kind == 0 then
		globs[#globs + 1] = string.format("/opt/app%02d/etc/secret.conf", i)
	elseif kind == 1 then
		globs[#globs + 1] = string.format("/srv/data%02d/*", i)
	elseif kind == 2 then
		globs[#globs + 1] = string.format("*/.app%02drc", i)
	else
		globs[#globs + 1] = string.format("/home/*/.cache/tool%02d/*", i)
	end
end

-- The glob as an anchored Lua pattern: '*' is any run of bytes.
local function pattern(glob)
	local escaped = glob:gsub("[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0")
	return "^" .. escaped:gsub("%*", ".*") .. "$"
end

local patterns = {}
for n, g in ipairs(globs) do patterns[n] = pattern(g) end

tracee.signature {
	id = "BENCH-128",
	name = "bench_paths128",
	title = "An open of one of 128 watched paths",
	version = "1",
	severity = 0,
	description = "Benchmark policy: 128 path globs of the kinds the default rules use.",
	tags = { "bench" },
	events = { "security_file_open" },
	paths = globs,

	on_event = function(e)
		local path = e.args.pathname
		if type(path) ~= "string" then return end
		for _, p in ipairs(patterns) do
			if path:find(p) then
				tracee.finding { data = { pathname = path } }
				return
			end
		end
	end,
}
