-- wrk script: POST the JSON body read from FILE, with an API key.
-- Usage: wrk -s bench/http/wrk_auth_post.lua URL -- FILE [API_KEY]
local body = "{}"
local headers = {["Content-Type"] = "application/json"}

function init(args)
  local f = assert(io.open(args[1], "rb"))
  body = f:read("*a")
  f:close()
  if args[2] ~= nil and args[2] ~= "" then
    headers["Authorization"] = "Bearer " .. args[2]
  end
end

request = function()
  return wrk.format("POST", nil, headers, body)
end
