print(pcall(tracee.signature, { id = "X", name = "x", on_event = function() end }))
print(pcall(tracee.signature, { id = "Y", name = "y", origin = "mars", events = { "openat" }, on_event = function() end }))
tracee.on("openat", function(e) return ("a"):rep(100000):find("a*a*a*b") end)
