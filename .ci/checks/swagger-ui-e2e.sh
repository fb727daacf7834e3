#!/usr/bin/env bash
# A browser test of Swagger UI: e2e-swagger/swagger-ui.e2e.js opens /swagger-ui.html in Debian's
# chromium (playwright-core, headless; no browser is ever downloaded), runs "Try it out" on
# POST /api/jobs with its default example, and expects the 202. Screenshot: target/swagger-ui-e2e.png.
#
# Starts target/async-patterns-*.jar as `./mvnw -B verify` left it (no rebuild) on a free port and
# stops it on exit. Installs chromium (Debian) and playwright-core (pinned in
# e2e-swagger/package-lock.json) if missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib/service.sh
. .ci/lib/service.sh

ensure_node
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    timeout 300 apt-get update -q >/dev/null
  fi
  timeout 900 apt-get install -y -q --no-install-recommends chromium fonts-liberation >/dev/null
fi
echo "swagger-ui-e2e: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
if [ ! -d e2e-swagger/node_modules/playwright-core ] \
    || ! cmp -s e2e-swagger/package-lock.json e2e-swagger/node_modules/.package-lock.json.ci 2>/dev/null; then
  # playwright-core has no browser download step; the variable keeps it that way whatever version.
  (cd e2e-swagger && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 300 npm ci --no-audit --no-fund --loglevel=error)
  cp e2e-swagger/package-lock.json e2e-swagger/node_modules/.package-lock.json.ci
fi

start_service swagger-ui-e2e
(cd e2e-swagger && BASE_URL="$BASE_URL" timeout 180 node swagger-ui.e2e.js "$PWD/../target/swagger-ui-e2e.png")
echo "swagger-ui-e2e: OK"
