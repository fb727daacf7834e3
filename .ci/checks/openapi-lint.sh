#!/usr/bin/env bash
# Lints the service's OpenAPI document with Spectral (.spectral.yaml: spectral:oas plus the
# service's own rules): zero errors, warnings are printed but allowed.
#
# Starts target/async-patterns-*.jar as `./mvnw -B verify` left it (no rebuild) on a free port,
# fetches /v3/api-docs, stops the jar on exit. Spectral is pinned below and installed into
# target/ci-tools. Installs its tools if missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib/service.sh
. .ci/lib/service.sh

ensure_node
tools="$PWD/target/ci-tools/openapi-lint"
packages="@stoplight/spectral-cli@6.16.3"
if [ "$(cat "$tools/installed" 2>/dev/null)" != "$packages" ]; then
  mkdir -p "$tools"
  # shellcheck disable=SC2086 # one word per package
  timeout 300 npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error $packages
  echo "$packages" > "$tools/installed"
fi

start_service openapi-lint
doc="target/openapi.json"
timeout 60 node .ci/checks/openapi-fetch.cjs "$BASE_URL/v3/api-docs" "$doc"
# --fail-severity error: warnings print but pass; "unrecognized-format" would be a warning, hence the check above.
timeout 120 "$tools/node_modules/.bin/spectral" lint "$doc" --ruleset .spectral.yaml --fail-severity error
echo "openapi-lint: OK (no errors)"
