-- wrk script for bench/answers.sh: every request saves one answer (PUT /api/attempts/{id}/answers/{n}/).
-- Each wrk thread takes its own share of the students in LOAD_FILE and walks through their questions,
-- so one answer is never in flight twice; sequence numbers start from the clock, above any earlier run.
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local count = tonumber(os.getenv("THREADS") or "2")
    students = {}
    local i = 0
    for line in io.lines(os.getenv("LOAD_FILE")) do
        local _, token, attempt, questions = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
        if i % count == id then
            table.insert(students, { token = token, attempt = attempt, questions = tonumber(questions) })
        end
        i = i + 1
    end
    counter = 0
    failures = 0
    base = os.time() * 1000000
end

function request()
    counter = counter + 1
    local student = students[(counter % #students) + 1]
    local position = (math.floor(counter / #students) % student.questions) + 1
    local body = string.format('{"response":"answer %d","sequence":%.0f}', counter, base + counter)
    return wrk.format("PUT", "/api/attempts/" .. student.attempt .. "/answers/" .. position .. "/",
        { ["Authorization"] = "Token " .. student.token, ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
    if status ~= 200 then
        failures = failures + 1
    end
end

function done(summary, latency, requests)
    local failed = 0
    for _, thread in ipairs(threads) do
        failed = failed + thread:get("failures")
    end
    io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f not_200=%d\n",
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, failed))
end
