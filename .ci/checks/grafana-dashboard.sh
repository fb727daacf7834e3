#!/usr/bin/env bash
# Checks the provisioned Grafana dashboards against the metric list the service is tested with.
#
# For every dashboard in config/grafana/dashboards:
#  - the JSON parses and has a uid and a title;
#  - every panel (rows aside) has at least one query, on a data source uid that
#    config/grafana/provisioning/datasources provisions;
#  - every query is valid PromQL (Prometheus' own Lezer grammar; Grafana's $__interval-style
#    variables stand in as 5m) and names its metric in every selector;
#  - the metrics the queries use are exactly the names in config/grafana/dashboard-metrics.txt,
#    the list an integration test looks for in /actuator/prometheus, so neither can drift.
# It also checks that Grafana's dashboard provider reads the folder docker-compose.yml mounts,
# and that Grafana's home dashboard is one of the files there.
# The checks themselves are in grafana-dashboard.cjs (CommonJS: NODE_PATH finds the tools for
# require(), not for import). Installs its tools (npm packages, in target/ci-tools) if missing;
# safe to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy nodejs 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    timeout 300 apt-get update -q >/dev/null
  fi
  timeout 600 apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
fi

tools="$PWD/target/ci-tools/grafana-dashboard"
packages="@prometheus-io/lezer-promql@0.315.0 @lezer/lr@1.4.12 @lezer/highlight@1.2.5 yaml@2.9.1"
if [ "$(cat "$tools/installed" 2>/dev/null)" != "$packages" ]; then
  mkdir -p "$tools"
  # shellcheck disable=SC2086 # one word per package
  timeout 300 npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error $packages
  echo "$packages" > "$tools/installed"
fi

NODE_PATH="$tools/node_modules" timeout 60 node .ci/checks/grafana-dashboard.cjs
