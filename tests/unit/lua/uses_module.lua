-- fixture: requires helper_mod from its directory
local h = require "helper_mod"
tracee.on("openat", function(e)
	tracee.count("doubled", h.double(21))
end)
