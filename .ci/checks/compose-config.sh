#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (CI has none).
#
# Debian's docker-compose 1.29 `config -q` parses the file, validates it against the Compose
# schema and resolves what it can offline (depends_on targets, build contexts, variables); it
# never talks to a daemon. It does not look at bind-mounted files, so this script then checks
# that every file or folder the stack mounts from the repository exists.
# Installs its tools if missing; safe to run again. Run from anywhere: it works in the repo root.
set -euo pipefail
cd "$(dirname "$0")/../.."

# apt-get install, running `apt-get update` only when the package lists do not know the package
# yet (a fresh machine has empty lists).
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    timeout 300 apt-get update -q >/dev/null
  fi
  # No recommends: docker-compose recommends docker.io, which would install an engine.
  timeout 600 apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose
/usr/bin/python3 -c 'import yaml' 2>/dev/null || apt_install python3-yaml

echo "compose: docker-compose config -q ($(docker-compose version --short 2>/dev/null || echo unknown))"
timeout 120 docker-compose -f docker-compose.yml config -q

# The resolved file has absolute bind-mount sources, in the short (1.x) or long (2.x) syntax.
timeout 120 docker-compose -f docker-compose.yml config | timeout 60 /usr/bin/python3 .ci/checks/compose_mounts.py
