#!/usr/bin/env bash
# Browser tests (e2e/, one Playwright project): Debian's chromium under playwright-core, headless,
# against the jar `./mvnw -B verify` packaged (no rebuild), started on a free loopback port and
# stopped on exit.
#  - e2e/dashboard.test.mjs: a user starts a ticker from the dashboard at /, watches it run, cancels
#    it, streams a fan-out; creates, triggers, pauses, resumes and deletes a schedule; a 401 makes
#    the page ask for an API key.
#  - e2e/swagger-ui.test.mjs: "Try it out" on POST /api/jobs in Swagger UI answers 202.
# Screenshots land in target/e2e/. Installs chromium (Debian) and playwright-core (pinned in
# e2e/package-lock.json) if missing, never a downloaded browser; safe to run again.
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
echo "browser-e2e: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
if [ ! -d e2e/node_modules/playwright-core ] \
    || ! cmp -s e2e/package-lock.json e2e/node_modules/.package-lock.json.ci 2>/dev/null; then
  # playwright-core has no browser download step; the variable keeps it that way whatever version.
  (cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 300 npm ci --no-audit --no-fund --loglevel=error)
  cp e2e/package-lock.json e2e/node_modules/.package-lock.json.ci
fi

start_service browser-e2e
mkdir -p target/e2e
(cd e2e && BASE_URL="$BASE_URL" SCREENSHOT_DIR="$PWD/../target/e2e" timeout 600 npm test)
echo "browser-e2e: OK (screenshots in target/e2e/)"
