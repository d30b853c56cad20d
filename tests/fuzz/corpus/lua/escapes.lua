-- fixture: every way out of the sandbox must be closed.  Each check raises
-- when an escape works, so loading this script fails if one does.
local function closed(what, f)
	local ok = pcall(f)
	if ok then error("sandbox escape possible: " .. what, 0) end
end

closed("io", function() return io.open("/etc/passwd") end)
closed("os.execute", function() return os.execute("true") end)
closed("os.getenv", function() return os.getenv("HOME") end)
closed("dofile", function() return dofile("/etc/passwd") end)
closed("loadfile", function() return loadfile("/etc/passwd") end)
closed("debug", function() return debug.getregistry() end)
closed("package", function() return package.loadlib("libc.so.6", "system") end)
closed("string.dump", function() return string.dump(function() end) end)
closed("string.dump method", function() return ("x").dump(function() end) end)
closed("require C module", function() return require("socket") end)
closed("require io", function() return require("io") end)
closed("require path", function() return require("../../../etc/passwd") end)
closed("collectgarbage stop", function() return collectgarbage("stop") end)
closed("__gc", function() return setmetatable({}, { __gc = function() end }) end)
closed("rawget _G io", function() assert(rawget(_G, "io")) end)
closed("binary load", function()
	local f, err = load("\27Lua\84\0\25\147\13\10\26\10")
	assert(f, err)
end)
closed("binary load mode b", function() assert(load("return 1", "x", "b")) end)
closed("string metatable", function()
	local mt = getmetatable("")
	assert(type(mt) == "table")
end)
closed("string metatable rawset", function()
	rawset(getmetatable(""), "__index", {})
end)
closed("EVENTS metatable", function()
	assert(type(getmetatable(tracee.EVENTS)) == "table")
end)

-- the environment is this script's own: _G is it, globals do not leak
assert(_G.tracee == tracee)
assert(type(load("return 1")) == "function", "text load must work")
assert(load("return x_from_env")() == nil)
x_from_env = 42
assert(load("return x_from_env")() == 42, "load() uses the script's environment")
string.format = nil	-- changes this script's copy only
escapes_loaded = true
