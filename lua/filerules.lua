-- filerules.lua - what the file behaviour rules (TRC-2001..TRC-2099) share:
-- the shared lists they consult, path normalisation for the syscall events
-- whose paths are the caller's own text, and the working directories the
-- processes moved to, so that relative names can be resolved.
--
--	local F = require "filerules"
--
-- A copy lives in each script that requires it (scripts do not share
-- state); what is shared between scripts goes through tracee.list().

local F = {}

local O_CREAT, O_TRUNC = 0x40, 0x200
local AT_FDCWD = -100

-- Programs that install software: they (and whatever they run, maintainer
-- scripts included) write binaries, libraries, units and package
-- databases as a matter of course.
F.package_managers = tracee.list("package_managers", {
	"dpkg", "dpkg-deb", "dpkg-divert", "dpkg-statoverri", "dpkg-trigger", "apt", "apt-get",
	"aptitude", "unattended-upgr", "packagekitd", "rpm", "rpmdb", "dnf", "yum", "microdnf",
	"zypper", "apk", "pacman", "snapd", "flatpak", "update-alternat",
})

-- true when a flags argument (integer or "O_WRONLY|O_CREAT" text) has BIT
local function has_flag(flags, bit, name)
	if type(flags) == "number" then
		return math.tointeger(flags) & bit ~= 0
	elseif type(flags) == "string" then
		return flags:find(name, 1, true) ~= nil
	end
	return false
end

function F.creates(flags) return has_flag(flags, O_CREAT, "O_CREAT") end
function F.truncates(flags) return has_flag(flags, O_TRUNC, "O_TRUNC") end

--- true when the process or one of its ancestors is named in the shared
--- list LIST (a set): the children of dpkg are installing too.
function F.run_by(e, list)
	if list[e.processName] then return true end
	local p = tracee.process(e.hostProcessId)
	if not p or not p.ancestors then return false end
	for _, a in ipairs(p.ancestors) do
		if list[a.comm] then return true end
	end
	return false
end

--- For an exec of one of TOOLS (a set of names: the file executed, or the
--- script run, since egrep has its interpreter as pathname and itself as
--- cmdpath), the first argument that holds one of TERMS (a set of lower-case
--- words): { command = the whole command line, term = the word }, else nil.
function F.exec_args_with(e, tools, terms)
	if not tools[tracee.basename(e.args.pathname)] and
	   not tools[tracee.basename(e.args.cmdpath)] then return nil end
	local argv = e.args.argv
	if type(argv) ~= "table" then return nil end
	for i = 2, #argv do
		local a = argv[i]:lower()
		for t in pairs(terms) do
			if a:find(t, 1, true) then
				return { command = table.concat(argv, " "), term = t }
			end
		end
	end
	return nil
end

--- PATH made absolute against BASE (when relative and BASE is known) with
--- "." and ".." taken out lexically; nil when it stays relative.  Lexical
--- only: a symlink in the middle of a user's path is not followed.
function F.normalize(path, base)
	if type(path) ~= "string" or path == "" then return nil end
	if path:sub(1, 1) ~= "/" then
		if not base then return nil end
		path = base .. "/" .. path
	end
	if not path:find("/.", 1, true) and not path:find("//", 1, true) then
		return path
	end
	local out = {}
	for c in path:gmatch("[^/]+") do
		if c == ".." then
			out[#out] = nil
		elseif c ~= "." then
			out[#out + 1] = c
		end
	end
	return "/" .. table.concat(out, "/")
end

-- Working directories seen through chdir(2), by host pid.  A shell's cd is
-- a chdir of the shell; the mv it then runs inherits it, so a relative name
-- is resolved against the nearest of the process and its ancestors that
-- was seen to chdir.  fchdir(2), and directories entered before tracing
-- started, are not known: such names stay relative.
local cwds, nr_cwds = {}, 0

--- Feed a chdir event (rules that resolve names subscribe to "chdir").
function F.track_chdir(e)
	if e.eventName ~= "chdir" or e.returnValue ~= 0 then return end
	local pid = e.hostProcessId
	local dir = F.normalize(e.args.path or e.args.pathname, F.cwd(e))
	if not dir then return end
	if not cwds[pid] then
		nr_cwds = nr_cwds + 1
		if nr_cwds > 4096 then	-- bounded: forget the lot, start again
			cwds, nr_cwds = {}, 1
		end
	end
	cwds[pid] = dir
end

--- The working directory of the event's process when known, else nil.
function F.cwd(e)
	local pid = e.hostProcessId
	if cwds[pid] then return cwds[pid] end
	if nr_cwds == 0 then return nil end
	local p = tracee.process(pid)
	if not p or not p.ancestors then return nil end
	for _, a in ipairs(p.ancestors) do
		if cwds[a.pid] then return cwds[a.pid] end
	end
	return nil
end

--- The absolute path a syscall event names with (DIRFD, PATH): resolved
--- against the known working directory for AT_FDCWD, nil when relative to
--- another directory fd or to an unknown working directory.
function F.resolve(e, dirfd, path)
	if type(path) ~= "string" then return nil end
	if path:sub(1, 1) == "/" then return F.normalize(path) end
	if dirfd ~= nil and dirfd ~= AT_FDCWD and dirfd ~= "AT_FDCWD" then return nil end
	return F.normalize(path, F.cwd(e))
end

--- For the path-changing syscall events: the paths they name, resolved,
--- as (old or only path, new path).  The events give the caller's text;
--- a name that cannot be resolved comes back nil.
function F.syscall_paths(e)
	local n, a = e.eventName, e.args
	if n == "unlink" or n == "truncate" or n == "mkdir" then
		return F.resolve(e, nil, a.pathname or a.path)
	elseif n == "unlinkat" or n == "mkdirat" then
		return F.resolve(e, a.dirfd, a.pathname)
	elseif n == "rename" or n == "link" then
		return F.resolve(e, nil, a.oldpath), F.resolve(e, nil, a.newpath)
	elseif n == "renameat" or n == "renameat2" or n == "linkat" then
		return F.resolve(e, a.olddirfd, a.oldpath), F.resolve(e, a.newdirfd, a.newpath)
	elseif n == "symlink" then
		-- the target is text stored in the link: relative to the link's
		-- directory, not to the caller
		local l = F.resolve(e, nil, a.linkpath)
		local t = a.target
		if l and type(t) == "string" and t:sub(1, 1) ~= "/" then
			t = F.normalize(t, tracee.dirname(l))
		end
		return F.normalize(t), l
	elseif n == "symlinkat" then
		local l = F.resolve(e, a.newdirfd, a.linkpath)
		local t = a.target
		if l and type(t) == "string" and t:sub(1, 1) ~= "/" then
			t = F.normalize(t, tracee.dirname(l))
		end
		return F.normalize(t), l
	end
	return nil
end

F.RENAMES = { "rename", "renameat", "renameat2" }
F.UNLINKS = { "unlink", "unlinkat" }

--- true when PATH starts with one of the prefixes in the list PREFIXES
function F.under(path, prefixes)
	if type(path) ~= "string" then return false end
	for _, p in ipairs(prefixes) do
		if path:sub(1, #p) == p then return true end
	end
	return false
end

--- The home-relative part of a path below /root or /home/USER ("/.ssh/id_rsa"
--- for "/home/ann/.ssh/id_rsa"), or nil.
function F.in_home(path)
	if type(path) ~= "string" then return nil end
	if path:sub(1, 6) == "/root/" then return path:sub(6) end
	return path:match("^/home/[^/]+(/.*)$")
end

-- Credential files by kind.  Exact paths, then paths inside a home
-- directory (/root or /home/USER), then prefixes.  The read rules each
-- take one kind; the link rule takes them all.
local cred_exact = {
	["/etc/shadow"] = "shadow", ["/etc/gshadow"] = "shadow",
	["/etc/shadow-"] = "shadow", ["/etc/gshadow-"] = "shadow",
	["/etc/kubernetes/admin.conf"] = "kube", ["/etc/kubernetes/super-admin.conf"] = "kube",
	["/etc/kubernetes/kubelet.conf"] = "kube",
	["/etc/kubernetes/controller-manager.conf"] = "kube",
	["/etc/kubernetes/scheduler.conf"] = "kube",
}
local cred_home = {
	["/.aws/credentials"] = "cloud", ["/.aws/config"] = "cloud",
	["/.config/gcloud/credentials.db"] = "cloud",
	["/.config/gcloud/access_tokens.db"] = "cloud",
	["/.config/gcloud/application_default_credentials.json"] = "cloud",
	["/.azure/accessTokens.json"] = "cloud", ["/.azure/msal_token_cache.json"] = "cloud",
	["/.azure/azureProfile.json"] = "cloud",
	["/.kube/config"] = "kube",
	["/.docker/config.json"] = "registry", ["/.config/containers/auth.json"] = "registry",
	["/.git-credentials"] = "dev", ["/.config/git/credentials"] = "dev",
	["/.netrc"] = "dev", ["/.pgpass"] = "dev", ["/.my.cnf"] = "dev", ["/.npmrc"] = "dev",
	["/.pypirc"] = "dev", ["/.config/gh/hosts.yml"] = "dev",
}
local cred_home_dirs = {
	{ "/.ssh/", "ssh" }, { "/.config/gcloud/legacy_credentials/", "cloud" },
}

--- The kind of credential file PATH (absolute, resolved) is, or nil:
--- "shadow", "ssh", "cloud", "kube", "registry" or "dev".  Public keys and
--- known_hosts are not credentials.
function F.credential_kind(path)
	if type(path) ~= "string" then return nil end
	local k = cred_exact[path]
	if k then return k end
	if path:sub(1, 18) == "/etc/ssh/ssh_host_" and path:sub(-4) == "_key" then
		return "ssh"
	end
	if path:sub(1, 16) == "/run/containers/" and path:sub(-10) == "/auth.json" then
		return "registry"
	end
	local rel = F.in_home(path)
	if not rel then return nil end
	k = cred_home[rel]
	if k then return k end
	for _, d in ipairs(cred_home_dirs) do
		if rel:sub(1, #d[1]) == d[1] then
			if d[2] == "ssh" and (path:sub(-4) == ".pub" or
					      tracee.basename(path):sub(1, 11) == "known_hosts") then
				return nil
			end
			return d[2]
		end
	end
	return nil
end

--- A credential-read signature: security_file_open for reading of a file of
--- KIND by a program not in the shared list LIST (created with DEFAULTS).
--- SPEC carries the signature's metadata and its paths.
function F.read_signature(spec, kind, list, defaults)
	local trusted = tracee.list(list, defaults)
	spec.events = { "security_file_open" }
	spec.on_event = function(e)
		if not tracee.is_file_read(e.args.flags) then return end
		local path = e.args.pathname
		if F.credential_kind(path) ~= kind or trusted[e.processName] then return end
		-- maintainer scripts (dpkg-preconfigure, adduser) check accounts
		if F.run_by(e, F.package_managers) then return end
		tracee.finding { data = { pathname = path } }
	end
	tracee.signature(spec)
end

-- The events of a rule about files written or renamed into place: opens
-- for writing (path resolved by the kernel), the rename syscalls (the
-- caller's names, resolved here), and chdir to resolve them.
F.WRITE_EVENTS = { "security_file_open", "rename", "renameat", "renameat2", "chdir" }

--- The path an event of F.WRITE_EVENTS writes: the file opened for writing,
--- or the new name of a successful rename; nil for anything else (a chdir
--- is taken in here).
function F.written_path(e)
	local n = e.eventName
	if n == "security_file_open" then
		if tracee.is_file_write(e.args.flags) then return e.args.pathname end
		return nil
	elseif n == "chdir" then
		F.track_chdir(e)
		return nil
	end
	if e.returnValue ~= 0 then return nil end
	local _, new = F.syscall_paths(e)
	return new
end

return F
