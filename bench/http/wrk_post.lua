-- wrk script: POST a JSON body (default: a small credential-shaped object).
-- Usage: wrk -s bench/http/wrk_post.lua URL [-- FILE]
local body = '{"@context":["https://www.w3.org/ns/credentials/v2"],' ..
  '"type":["VerifiableCredential"],"issuer":"did:key:z6Mk",' ..
  '"credentialSubject":{"id":"did:example:1"}}'

function init(args)
  if args[1] ~= nil then
    local f = assert(io.open(args[1], "rb"))
    body = f:read("*a")
    f:close()
  end
end

request = function()
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
