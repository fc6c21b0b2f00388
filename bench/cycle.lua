-- Each connection cycles through the five list endpoints of the original service's load test.
-- With PAUSE_MS set, a connection pauses between its requests (the paced scenario): a random time
-- from 0 to twice PAUSE_MS, so PAUSE_MS on average. A fixed pause would make every connection
-- fire at the same instant (wrk waits before the first request too), a burst rather than users.
local paths = {
    "/api/groups/", "/api/subjects/", "/api/categories/", "/api/subcategories/", "/api/dashboard/recent-questions/",
}
local token = os.getenv("EDULOOP_TOKEN")
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
local counter = 0

function setup(thread)
    thread:set("offset", counter)
    counter = counter + 1
end

function init(args)
    index = offset or 0
    math.randomseed(os.time() + index)
end

function request()
    index = index + 1
    local path = paths[(index % #paths) + 1]
    local headers = {}
    if token then
        headers["Authorization"] = "Token " .. token
    end
    return wrk.format("GET", path, headers)
end

function delay()
    if pause == 0 then
        return 0
    end
    return math.random(0, 2 * pause)
end

local statuses = {}

function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
    io.write(string.format("requests=%d errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
        summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
    io.write(string.format("p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
