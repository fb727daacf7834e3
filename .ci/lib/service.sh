# Shared by the .ci/checks scripts that need the running service: installs Node.js when missing,
# starts the packaged jar on a free port and stops it on exit. Source it from the repo root.

# Node.js and npm from Debian when the machine has none.
ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    return
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy nodejs 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    timeout 300 apt-get update -q >/dev/null
  fi
  timeout 600 apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
}

# A TCP port nothing listens on now (the kernel picks it). Node, not curl or python: a fresh
# Debian machine may lack both.
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# ready URL: exit status 0 when URL answers 2xx within 5 s.
ready() {
  node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(5000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"
}

# start_service NAME [extra Spring arguments...]: starts the jar from `./mvnw -B verify` on a free
# port (loopback, anonymous as by default), waits up to 120 s for the readiness probe, sets
# BASE_URL and SERVICE_LOG, and stops the service on exit (SIGTERM, then SIGKILL after 30 s).
start_service() {
  local name="$1"
  shift
  ensure_node
  local jar
  jar="$(ls target/async-patterns-*.jar 2>/dev/null | grep -v -- '-plain\.jar$' | head -n 1 || true)"
  [ -n "$jar" ] || { echo "$name: no target/async-patterns-*.jar: run ./mvnw -B verify first" >&2; exit 1; }
  local port
  port="$(free_port)"
  # 127.0.0.1, not localhost: Debian's Node 18 may resolve localhost to ::1 first, where nothing listens.
  BASE_URL="http://127.0.0.1:$port"
  SERVICE_LOG="target/ci-$name-service.log"
  java -jar "$jar" --server.port="$port" --server.address=127.0.0.1 --asyncpatterns.tcp.port=0 "$@" \
    >"$SERVICE_LOG" 2>&1 &
  SERVICE_PID=$!
  trap stop_service EXIT
  local deadline=$((SECONDS + 120))
  until ready "$BASE_URL/actuator/health/readiness"; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
      echo "$name: the service exited during start-up; its log:" >&2
      tail -n 50 "$SERVICE_LOG" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name: the service was not ready within 120 s; its log:" >&2
      tail -n 50 "$SERVICE_LOG" >&2
      exit 1
    fi
    sleep 1
  done
  echo "$name: service ready at $BASE_URL (pid $SERVICE_PID, log $SERVICE_LOG)"
}

stop_service() {
  local status=$?
  if [ -n "${SERVICE_PID:-}" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    local waited=0
    while kill -0 "$SERVICE_PID" 2>/dev/null && [ "$waited" -lt 30 ]; do
      sleep 1
      waited=$((waited + 1))
    done
    kill -KILL "$SERVICE_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "${SERVICE_LOG:-}" ]; then
    echo "service log (last 30 lines):" >&2
    tail -n 30 "$SERVICE_LOG" >&2
  fi
  return "$status"
}
