-- wrk script for bench W7 (bench/src/ClusterWorkload.java): exactly WRK_JOBS submissions of
-- WRK_BODY as POST to the URL's path, then the thread stops and wrk ends at once.
--   WRK_JOBS=10000 WRK_BODY='{"type":"sleep","params":{"durationMs":1}}' wrk -t1 -c32 -d600s --timeout 60s -s submit.lua URL
-- Run it with one thread (-t1): the budget is the thread's, and see request() below. Once WRK_JOBS POSTs are out, the
-- connections still free send a GET of the service's liveness instead (wrk must send something),
-- so no job more is submitted; a POST is answered 202 or an error, a GET 200, which tells them
-- apart in response(). When every POST has been answered the thread stops and wrk's main thread
-- is sent SIGINT, since it otherwise sleeps for all of -d. done() prints one WRK_SUBMIT line with
-- the answers counted and wrk's own CPU time (utime + stime, clock ticks, from /proc/self/stat).
local jobs = tonumber(os.getenv("WRK_JOBS") or "")
if jobs == nil or jobs < 1 then
  error("WRK_JOBS must be a positive number")
end
local body = os.getenv("WRK_BODY") or ""

local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end

local post, filler
sent, accepted, rejected = 0, 0, 0

init = function(args)
  post = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
  filler = wrk.format("GET", "/actuator/health/liveness")
end

-- wrk calls request() once more, on thread 0's state before it connects anything, to check what
-- it returns (script_verify_request); that call sends nothing, so it must not count. With -t1
-- thread 0 is the only thread. (The harness checks the jobs stored against the 202s counted.)
local verified = false

request = function()
  if not verified then
    verified = true
    return post
  end
  if sent < jobs then
    sent = sent + 1
    return post
  end
  return filler
end

local function pid()
  local f = io.open("/proc/self/stat", "r")
  local line = f:read("*l")
  f:close()
  return line:match("^(%d+)")
end

response = function(status, headers, body)
  if status == 202 then
    accepted = accepted + 1
  elseif status ~= 200 then
    rejected = rejected + 1
  end
  if accepted + rejected == jobs then
    wrk.thread:stop()
    -- wrk's main thread sleeps for -d and wakes on SIGINT; a signal sent while this thread still
    -- runs may be delivered to it instead, so a background shell waits (up to 5 s) until only the
    -- main thread is left.
    local p = pid()
    os.execute("(for i in $(seq 500); do [ $(ls /proc/" .. p .. "/task | wc -l) -le 1 ] && break; sleep 0.01; done; " ..
      "kill -INT " .. p .. ") >/dev/null 2>&1 &")
  end
end

local function cpu_ticks()
  local f = io.open("/proc/self/stat", "r")
  local line = f:read("*l")
  f:close()
  -- The fields after the command name in parentheses: state is the 1st, utime the 12th, stime the 13th.
  local rest = line:sub(line:find("%)[^%)]*$") + 2)
  local fields = {}
  for word in rest:gmatch("%S+") do
    table.insert(fields, word)
  end
  return tonumber(fields[12]) + tonumber(fields[13])
end

done = function(summary, latency, requests)
  local t = threads[1]
  local e = summary.errors
  io.write(string.format(
    "WRK_SUBMIT sent=%d accepted=%d rejected=%d duration_s=%.3f connect_errors=%d read_errors=%d " ..
    "write_errors=%d timeouts=%d cpu_ticks=%d\n",
    t:get("sent"), t:get("accepted"), t:get("rejected"), summary.duration / 1e6,
    e.connect, e.read, e.write, e.timeout, cpu_ticks()))
end
