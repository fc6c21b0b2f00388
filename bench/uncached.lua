-- The URL given to wrk plus a nonce parameter on every request, so that no answer comes from the
-- response cache: this measures the query, not the cache.
local token = os.getenv("EDULOOP_TOKEN")
local counter = 0

function init(args)
    math.randomseed(os.time())
end

function request()
    counter = counter + 1
    local path = wrk.path .. (string.find(wrk.path, "?", 1, true) and "&" or "?") .. "nonce=" .. counter .. "-" .. math.random(1, 1000000000)
    return wrk.format("GET", path, { ["Authorization"] = "Token " .. token })
end
