-- wrk script: POSTs one GraphQL document (env QUERY) with an optional bearer token (env TOKEN)
-- and counts responses that are not HTTP 200 or carry GraphQL errors.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local query = os.getenv("QUERY") or "{ __typename }"
wrk.body = '{"query":"' .. query:gsub('"', '\\"') .. '"}'

local failures = 0
function response(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("failed_responses=%d\n", failures))
end
