-- wrk script for bench/run.sh W3. The method and body come from the environment so one script
-- serves both POST /api/jobs and GET /sim/status/200:
--   WRK_METHOD=POST WRK_BODY='{"type":"sleep","params":{"durationMs":1000}}' wrk -s bench.lua URL
-- done() prints one machine-readable line; run.sh parses it. wrk counts a response as a status
-- error when its status is 400 or more (3xx cannot come from these endpoints).
wrk.method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY")
if body ~= nil and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
