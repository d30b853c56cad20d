-- TRC-2105 interpreter_encoded_payload: a script interpreter is given code
-- on its command line (python -c, perl -e, ruby -e, php -r, node -e) that
-- both decodes an encoded blob and evaluates it: exec(base64.b64decode(..)),
-- eval(decode_base64(..)), eval(atob(..)).

-- interpreter -> its inline-code options
local code_opts = {
	perl = { ["-e"] = true, ["-E"] = true }, ruby = { ["-e"] = true },
	php = { ["-r"] = true }, node = { ["-e"] = true, ["--eval"] = true },
	python = { ["-c"] = true },
}
local decoders = { "b64decode", "decodebytes", "decodestring", "a85decode", "b32decode",
	"decode_base64", "unpack%(%s*[\"']m", "decode64", "unpack1%(%s*[\"']m",
	"base64_decode", "atob%(", "[\"']base64[\"']", "zlib%.decompress", "fromhex",
	"gzinflate", "str_rot13" }
local evaluators = { "exec%s*%(", "eval%s*%(", "eval%s", "compile%s*%(", "Function%s*%(",
	"assert%s*%(", "system%s*%(", "instance_eval", "runInThisContext", "__import__" }

-- the interpreter family of a program name (python3.11 -> python), or nil
local function family(prog)
	if prog:match("^python[%d.]*$") then return "python" end
	if prog:match("^php[%d.]*$") then return "php" end
	if prog:match("^perl[%d.]*$") then return "perl" end
	if prog:match("^ruby[%d.]*$") then return "ruby" end
	if prog == "node" or prog == "nodejs" then return "node" end
	return nil
end

local function any(s, patterns)
	for _, p in ipairs(patterns) do
		if s:find(p) then return true end
	end
	return false
end

tracee.signature {
	id = "TRC-2105",
	name = "interpreter_encoded_payload",
	title = "Interpreter evaluated encoded inline code",
	version = "1",
	severity = 2,
	description = "A script interpreter (python, perl, ruby, php, node) was started with " ..
		"inline code that decodes an encoded blob and evaluates it. This is how droppers " ..
		"and web-shell stagers hide their real code.",
	tags = { "linux", "container", "process" },
	mitre = { category = "defense-evasion", technique = "Obfuscated Files or Information",
		  id = "T1027" },
	origin = "any",
	events = { "sched_process_exec" },

	on_event = function(e)
		local fam = family(tracee.basename(e.args.pathname))
		local argv = e.args.argv
		if not fam or type(argv) ~= "table" then return end
		local opts = code_opts[fam]
		for i = 2, #argv - 1 do
			local code = argv[i + 1]
			if opts[argv[i]] and type(code) == "string" and any(code, decoders) and
			   any(code, evaluators) then
				tracee.finding { data = { interpreter = fam, code = code:sub(1, 256) } }
				return
			end
		end
	end,
}
