#!/usr/bin/env bash
# Checks the Dockerfile without a Docker engine (CI has none), in two steps.
#
# 1. Lint: dockerfile-utils (npm) rejects unknown instructions and flags, malformed JSON forms,
#    wrong argument counts and bad ports.
# 2. Rehearsal (.ci/checks/dockerfile_rehearsal.py, its parsing unit-tested first by
#    test_dockerfile_rehearsal.py): replays the image on this machine as Docker would build and
#    run it, so a broken Dockerfile fails here and not on a user's `docker compose up`:
#    - the build context is what .dockerignore lets through (Docker's matching rules);
#    - the build stage's COPY and RUN instructions run as written (the cache mount aside) on a
#      copy of that context;
#    - the run stage's COPY --from=build layers are laid out, its ENV applied, its ENTRYPOINT
#      started, and its HEALTHCHECK command must pass within the start period; then the service
#      must stop on SIGTERM, as `docker stop` asks it to.
#    It also insists that the run stage's USER is a non-root numeric id.
#    Differences from a real build: the base images' OS is this machine's, and their java is this
#    machine's JDK of the release the image's eclipse-temurin tag names (under /usr/lib/jvm); the
#    started service listens on 127.0.0.1 and a free port (the image says 0.0.0.0:8080), the
#    training run on a free port at the image's address, and the TCP echo port is 0.
# Why not hadolint: CI can install it from nowhere it reaches (no Debian package; the npm and PyPI
# wrappers download the binary from GitHub), and a linter would not catch what the rehearsal does
# (a COPY of a path .dockerignore keeps out, a HEALTHCHECK that never passes).
# Installs its tools if missing; safe to run again. Run from anywhere: it works in the repo root.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy nodejs 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    timeout 300 apt-get update -q >/dev/null
  fi
  timeout 600 apt-get install -y -q --no-install-recommends nodejs npm python3 >/dev/null
fi

tools="$PWD/target/ci-tools/dockerfile"
packages="dockerfile-utils@0.16.3"
if [ "$(cat "$tools/installed" 2>/dev/null)" != "$packages" ]; then
  mkdir -p "$tools"
  timeout 300 npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error $packages
  echo "$packages" > "$tools/installed"
fi

echo "dockerfile: lint"
timeout 60 "$tools/node_modules/.bin/dockerfile-utils" lint Dockerfile

echo "dockerfile: rehearsal of build and run"
rehearsal="$PWD/target/ci-tools/dockerfile-rehearsal"
rm -rf "$rehearsal"
mkdir -p "$rehearsal"
# Tracked files are the build context a fresh clone gives `docker build`.
git ls-files -z > "$rehearsal/files"
export PYTHONDONTWRITEBYTECODE=1
timeout 60 python3 -m unittest discover -q -s .ci/checks -p 'test_dockerfile_rehearsal.py'
timeout 900 python3 .ci/checks/dockerfile_rehearsal.py "$rehearsal"
# The copies are only needed to find out what failed; keep the service log.
rm -rf "$rehearsal/context" "$rehearsal/workspace" "$rehearsal/app"
