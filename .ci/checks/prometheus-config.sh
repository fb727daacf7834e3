#!/usr/bin/env bash
# Checks the monitoring stack's Prometheus configuration with `promtool check config`.
#
# promtool comes from Debian's `prometheus` package. Installing that package would also install
# (and, where init scripts may run, start) a Prometheus server on port 9090, the port of the
# service's own TCP echo server in the tests. So the package is only downloaded and promtool,
# a self-contained Go binary, is unpacked into target/ci-tools.
# Installs its tools if missing; safe to run again. Run from anywhere: it works in the repo root.
set -euo pipefail
cd "$(dirname "$0")/../.."

tools="$PWD/target/ci-tools/prometheus"
promtool="$tools/usr/bin/promtool"
if command -v promtool >/dev/null 2>&1; then
  promtool="$(command -v promtool)"
elif [ ! -x "$promtool" ]; then
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has empty package lists.
  if ! apt-cache policy prometheus 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    timeout 300 apt-get update -q >/dev/null
  fi
  mkdir -p "$tools/deb"
  # apt's sandbox user cannot write here; root downloads it directly and says so on stderr.
  (cd "$tools/deb" && timeout 300 apt-get download -q prometheus >/dev/null 2>&1) || true
  deb="$(find "$tools/deb" -name 'prometheus_*.deb' | head -n 1)"
  [ -n "$deb" ] || { echo "prometheus: could not download Debian's prometheus package" >&2; exit 1; }
  dpkg-deb -x "$deb" "$tools/unpacked"
  mkdir -p "$tools/usr/bin"
  mv "$tools/unpacked/usr/bin/promtool" "$promtool"
  rm -rf "$tools/unpacked" "$tools/deb"
fi

echo "prometheus: $("$promtool" --version 2>&1 | head -n 1)"
timeout 60 "$promtool" check config config/prometheus/prometheus.yml
