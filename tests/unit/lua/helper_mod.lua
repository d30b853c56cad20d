-- fixture: a module required from the script's own directory
local M = {}
function M.double(x) return 2 * x end
return M
