#!/usr/bin/env bash
# Browser test of the dashboard at / (issue 11): starts the jar that the preceding `./mvnw verify`
# packaged, drives Debian's chromium with playwright-core (e2e/dashboard.test.mjs) and stops the
# jar again. Never downloads a browser. Every step has its own time limit; a failure exits non-zero.
# Screenshots and the service's log land in target/e2e/.
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { echo "dashboard-e2e: $*"; }

jar=$(find target -maxdepth 1 -name '*.jar' ! -name '*-plain.jar' 2>/dev/null | head -n 1)
if [[ -z "$jar" ]]; then
  log "no target/*.jar: run ./mvnw verify first"
  exit 1
fi

if [[ ! -x /usr/bin/chromium ]]; then
  log "installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  timeout 300 apt-get update -qq
  timeout 900 apt-get install -y -qq chromium >/dev/null
fi

(cd e2e && timeout 300 npm ci --no-audit --no-fund --loglevel=error)

out=target/e2e
mkdir -p "$out"
service_log="$out/service.log"
# Port 0 everywhere: the service picks free ports, so parallel runs and busy machines do not clash.
java -jar "$jar" --server.port=0 --asyncpatterns.tcp.port=0 >"$service_log" 2>&1 &
service_pid=$!

stop_service() {
  if kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid"
    for _ in $(seq 40); do
      kill -0 "$service_pid" 2>/dev/null || return 0
      sleep 1
    done
    log "the service did not stop within 40 s; killing it"
    kill -KILL "$service_pid" 2>/dev/null || true
  fi
}
trap stop_service EXIT

fail_with_log() {
  log "$1; the service's log ends with:"
  tail -n 40 "$service_log"
  exit 1
}

port=""
for _ in $(seq 180); do
  port=$(grep -oE 'Netty started on port [0-9]+' "$service_log" | grep -oE '[0-9]+$' || true)
  [[ -n "$port" ]] && break
  kill -0 "$service_pid" 2>/dev/null || fail_with_log "the service exited before listening"
  sleep 1
done
[[ -n "$port" ]] || fail_with_log "the service did not listen within 180 s"

base_url="http://127.0.0.1:$port/"
ready_probe="fetch('${base_url}actuator/health/readiness').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
for _ in $(seq 60); do
  node -e "$ready_probe" && break
  sleep 1
done
node -e "$ready_probe" || fail_with_log "the service was not ready within 60 s"
log "service ready at $base_url"

cd e2e
BASE_URL="$base_url" SCREENSHOT_DIR="../$out" timeout 300 npm test
log "passed; screenshots in $out/"
