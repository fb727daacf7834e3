#!/usr/bin/env bash
# Runs every http-requests/*.http file with httpyac against the packaged jar; a failing assertion fails.
#
# Uses target/async-patterns-*.jar as `./mvnw -B verify` left it (no rebuild). The service gets a
# free HTTP port and asyncpatterns.tcp.port=0; tcp.http reads the echo server's port from
# /actuator/info. The jar is stopped on exit, whatever happens. httpyac is the version pinned in
# http-requests/package-lock.json (npm ci). Installs its tools if missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib/service.sh
. .ci/lib/service.sh

ensure_node
if [ ! -x http-requests/node_modules/.bin/httpyac ] \
    || ! cmp -s http-requests/package-lock.json http-requests/node_modules/.package-lock.json.ci 2>/dev/null; then
  (cd http-requests && timeout 300 npm ci --no-audit --no-fund --loglevel=error)
  cp http-requests/package-lock.json http-requests/node_modules/.package-lock.json.ci
fi

start_service http-requests
echo "http-requests: running $(ls http-requests/*.http | wc -l) files against $BASE_URL"
# Files run in one process, in name order; each file's requests run top to bottom (they chain ids).
# The JSON report is checked as well as the exit status: a response handler that never finishes can
# end httpyac early with status 0, so every request must have run, with tests, all passed.
report="$PWD/target/http-requests-report.json"
status=0
(cd http-requests && timeout 300 node_modules/.bin/httpyac send ./*.http --all --bail --env dev \
  --var "baseUrl=$BASE_URL" --timeout 30000 --json >"$report") || status=$?
timeout 60 node .ci/checks/http-requests-report.cjs "$report" http-requests/*.http
[ "$status" -eq 0 ] || { echo "http-requests: httpyac exited with $status" >&2; exit "$status"; }
echo "http-requests: OK"
