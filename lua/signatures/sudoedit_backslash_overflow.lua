-- TRC-2114 sudoedit_backslash_overflow: sudoedit is run in shell mode (-s
-- or -i) with an argument ending in an odd number of backslashes.  sudo's
-- unescaping then copies past the end of its buffer (CVE-2021-3156, "Baron
-- Samedit"); no real use needs both.

local function is_sudoedit(argv, prog)
	if prog == "sudoedit" then return true end
	for i = 2, #argv do
		local a = argv[i]
		if a == "--edit" or (type(a) == "string" and a:match("^%-%a*e%a*$")) then return true end
	end
	return false
end

local function shell_mode(argv)
	for i = 2, #argv do
		local a = argv[i]
		if a == "--shell" or a == "--login" or
		   (type(a) == "string" and a:match("^%-%a*[si]%a*$")) then
			return true
		end
	end
	return false
end

local function odd_backslash_end(a)
	local tail = a:match("(\\+)$")
	return tail ~= nil and #tail % 2 == 1
end

tracee.signature {
	id = "TRC-2114",
	name = "sudoedit_backslash_overflow",
	title = "sudoedit shell mode with a trailing backslash",
	version = "1",
	severity = 3,
	description = "sudoedit was run with -s or -i and an argument ending in a single " ..
		"backslash. This overflows sudo's heap buffer (CVE-2021-3156, Baron Samedit) " ..
		"and gives root to any local user.",
	tags = { "linux", "container", "process", "privilege-escalation" },
	mitre = { category = "privilege-escalation",
		  technique = "Exploitation for Privilege Escalation", id = "T1068" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local prog = tracee.basename(e.args.pathname)
		local argv = e.args.argv
		if (prog ~= "sudoedit" and prog ~= "sudo") or type(argv) ~= "table" then return end
		if not (is_sudoedit(argv, prog) and shell_mode(argv)) then return end
		for i = 2, #argv do
			if type(argv[i]) == "string" and odd_backslash_end(argv[i]) then
				tracee.finding { data = { pathname = e.args.pathname,
					argument = argv[i]:sub(1, 256) } }
				return
			end
		end
	end,
}
