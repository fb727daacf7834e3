-- wrk script for bench W3 (bench/src/ThroughputWorkload.java). The method, body and API key come
-- from the environment so one script serves every endpoint, the service's and the control's:
--   WRK_METHOD=POST WRK_BODY='{"type":"sleep","params":{"durationMs":1}}' WRK_API_KEY=... wrk -s bench.lua URL
-- WRK_API_KEY, when set, goes in X-API-Key on every request (the service's access control,
-- docs/security.md). done() prints one machine-readable line the harness parses. wrk counts a
-- response as a status error when its status is 400 or more (3xx cannot come from these endpoints).
wrk.method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY")
if body ~= nil and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
local key = os.getenv("WRK_API_KEY")
if key ~= nil and key ~= "" then
  wrk.headers["X-API-Key"] = key
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
