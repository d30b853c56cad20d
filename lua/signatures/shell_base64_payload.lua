-- TRC-2104 shell_base64_payload: a shell is given a command line that
-- decodes base64 (`echo ... | base64 -d | sh`, `base64 --decode`, `openssl
-- base64 -d`): the usual wrapping of a payload that must not show in
-- process listings or logs.

local shells = tracee.list("shells", { "sh", "bash", "dash", "ash", "zsh", "ksh", "mksh",
	"csh", "tcsh", "fish", "busybox" })
-- Lua patterns of a base64 decode in a shell command
local decoders = { "base64%s+%-%-?d", "base64%s+%-D", "base64%s+%-%-decode",
	"base64%s+%-%a*d", "openssl%s+base64%s+%-d", "openssl%s+enc%s.-%-d" }

-- the text after -c (or -xc, -lc, ...) in a shell's argv, or nil
local function command_of(argv)
	if type(argv) ~= "table" then return nil end
	for i = 2, #argv do
		local a = argv[i]
		if type(a) == "string" and a:match("^%-%a*c%a*$") then return argv[i + 1] end
	end
	return nil
end

tracee.signature {
	id = "TRC-2104",
	name = "shell_base64_payload",
	title = "Shell ran a base64-encoded payload",
	version = "1",
	severity = 2,
	description = "A shell was started with a command that decodes base64 text. " ..
		"Adversaries encode their commands so that they do not show in process listings, " ..
		"command histories and logs.",
	tags = { "linux", "container", "process" },
	mitre = { category = "defense-evasion", technique = "Deobfuscate/Decode Files or Information",
		  id = "T1140" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		if not shells[tracee.basename(e.args.pathname)] then return end
		local cmd = command_of(e.args.argv)
		if type(cmd) ~= "string" or not cmd:find("base64", 1, true) then return end
		for _, p in ipairs(decoders) do
			if cmd:find(p) then
				tracee.finding { data = { command = cmd:sub(1, 256) } }
				return
			end
		end
	end,
}
