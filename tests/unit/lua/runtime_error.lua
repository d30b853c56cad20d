-- fixture: fails while loading, on line 4, after registering a callback
tracee.on("openat", function(e) end)
local t = nil
return t.field
