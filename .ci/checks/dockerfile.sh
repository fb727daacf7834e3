#!/usr/bin/env bash
# Checks the Dockerfile without a Docker engine (CI has none), in two steps.
#
# 1. Lint: dockerfile-utils (npm) rejects unknown instructions and flags, malformed JSON forms,
#    wrong argument counts and bad ports.
# 2. Rehearsal: replays the image on this machine as Docker would build and run it, so a broken
#    Dockerfile fails here and not on a user's `docker compose up`:
#    - the build context is what .dockerignore lets through (Docker's matching rules);
#    - the build stage's COPY and RUN instructions run as written (the cache mount aside) on a
#      copy of that context;
#    - the run stage's COPY --from=build layers are laid out, its ENV applied, its ENTRYPOINT
#      started, and its HEALTHCHECK command must pass within the start period; then the service
#      must stop on SIGTERM, as `docker stop` asks it to.
#    It also insists that the run stage's USER is a non-root numeric id.
#    Differences from a real build: the base images' OS is this machine's, the service listens
#    on 127.0.0.1 and a free port (the image says 0.0.0.0:8080), and the TCP echo port is 0.
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
timeout 900 python3 - "$rehearsal" <<'EOF'
import json, os, re, shlex, shutil, signal, socket, subprocess, sys, time

rehearsal = sys.argv[1]
context, workspace, app = (os.path.join(rehearsal, d) for d in ("context", "workspace", "app"))


def fail(message):
    sys.exit(f"dockerfile: {message}")


def instructions(path):
    """(instruction, arguments) pairs, continuation lines joined and comments dropped."""
    lines, current = [], ""
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        word, _, rest = current.strip().partition(" ")
        lines.append((word.upper(), rest.strip()))
        current = ""
    return lines


def stages(parsed):
    result, name = {}, None
    for word, rest in parsed:
        if word == "FROM":
            parts = rest.split()
            name = parts[2].lower() if len(parts) >= 3 and parts[1].upper() == "AS" else f"stage{len(result)}"
            result[name] = []
        elif name is not None:
            result[name].append((word, rest))
    return result


def dockerignore_regex(pattern):
    """Docker's .dockerignore pattern (Go filepath.Match plus **) as a regular expression."""
    pattern = os.path.normpath(pattern.strip().lstrip("/"))
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def ignored(path, rules):
    # As in Docker: the last matching rule wins, and a rule matching a parent folder matches
    # everything below it.
    parts = path.split("/")
    verdict = False
    for negated, regex in rules:
        if any(regex.match("/".join(parts[:n])) for n in range(1, len(parts) + 1)):
            verdict = not negated
    return verdict


def flags_and_args(rest):
    words = shlex.split(rest)
    flags = [w for w in words if w.startswith("--")]
    return flags, [w for w in words if not w.startswith("--")]


def copy(source, destination):
    if os.path.isdir(source):
        shutil.copytree(source, destination, dirs_exist_ok=True, symlinks=True)
    else:
        if destination.endswith("/") or os.path.isdir(destination):
            destination = os.path.join(destination, os.path.basename(source))
        os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
        shutil.copy2(source, destination)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


parsed = stages(instructions("Dockerfile"))
if "build" not in parsed or len(parsed) != 2:
    fail("expected two stages, `build` and the run stage")
build_steps, run_steps = parsed["build"], list(parsed.values())[-1]

# The build context.
rules = []
if os.path.exists(".dockerignore"):
    for line in open(".dockerignore", encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append((line.startswith("!"), dockerignore_regex(line.lstrip("!"))))
files = [f for f in open(os.path.join(rehearsal, "files"), encoding="utf-8").read().split("\0") if f]
sent = [f for f in files if not ignored(f, rules)]
for f in sent:
    copy(f, os.path.join(context, f))
print(f"dockerfile: build context {len(sent)} of {len(files)} tracked files")

# The build stage: WORKDIR stands for `workspace`; COPY and RUN as written.
workdir = None
for word, rest in build_steps:
    if word == "WORKDIR":
        workdir = rest
        os.makedirs(workspace, exist_ok=True)
    elif word == "COPY":
        flags, args = flags_and_args(rest)
        if flags:
            fail(f"build stage COPY with flags is not rehearsed: {rest}")
        *sources, destination = args
        for source in sources:
            if not os.path.exists(os.path.join(context, source)):
                fail(f"COPY {source}: not in the build context (.dockerignore?)")
            copy(os.path.join(context, source), os.path.join(workspace, destination))
    elif word == "RUN":
        command = re.sub(r"^(--\S+\s+)+", "", rest)
        print(f"dockerfile: RUN {command}")
        subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=workspace, check=True, timeout=600)
    elif word not in ("ARG", "ENV", "LABEL"):
        fail(f"build stage instruction {word} is not rehearsed")
if workdir is None:
    fail("the build stage needs a WORKDIR")

# The run stage: lay out the layers, then start it as `docker run` would.
env, entrypoint, healthcheck, user = {}, None, None, None
os.makedirs(app, exist_ok=True)
for word, rest in run_steps:
    if word == "COPY":
        flags, args = flags_and_args(rest)
        if flags != ["--from=build"]:
            fail(f"run stage COPY must come from the build stage: {rest}")
        *sources, destination = args
        for source in sources:
            local = os.path.join(workspace, os.path.relpath(source, workdir))
            if not os.path.exists(local):
                fail(f"COPY --from=build {source}: the build stage made no such path")
            copy(local, os.path.join(app, destination))
    elif word == "ENV":
        for item in shlex.split(rest):
            key, _, value = item.partition("=")
            env[key] = value
    elif word == "ENTRYPOINT":
        entrypoint = json.loads(rest)
    elif word == "HEALTHCHECK":
        healthcheck = json.loads(rest[rest.index("CMD") + 3:])
    elif word == "USER":
        user = rest.split(":")[0]
if not (user and user.isdigit() and user != "0"):
    fail(f"the run stage must end as a non-root numeric USER, not {user}")
if not entrypoint or not healthcheck:
    fail("the run stage needs an exec-form ENTRYPOINT and a HEALTHCHECK CMD")

port = free_port()
env.update(SERVER_PORT=str(port), SERVER_ADDRESS="127.0.0.1", ASYNCPATTERNS_TCP_PORT="0")
process_env = {**os.environ, **env}
log = open(os.path.join(rehearsal, "service.log"), "w")
service = subprocess.Popen(entrypoint, cwd=app, env=process_env, stdout=log, stderr=subprocess.STDOUT)
try:
    deadline = time.monotonic() + 90
    healthy = False
    while time.monotonic() < deadline and service.poll() is None:
        if subprocess.run(healthcheck, env=process_env, timeout=5, capture_output=True).returncode == 0:
            healthy = True
            break
        time.sleep(1)
    if not healthy:
        sys.stderr.write(open(os.path.join(rehearsal, "service.log")).read()[-4000:])
        fail("the HEALTHCHECK command never passed against the started ENTRYPOINT")
    print(f"dockerfile: HEALTHCHECK passed against {' '.join(entrypoint)} on port {port}")
finally:
    if service.poll() is None:
        service.send_signal(signal.SIGTERM)
        try:
            service.wait(timeout=60)
        except subprocess.TimeoutExpired:
            service.kill()
            fail("the service did not stop within 60 s of SIGTERM")
print("dockerfile: OK (service stopped on SIGTERM)")
EOF
# The copies are only needed to find out what failed; keep the service log.
rm -rf "$rehearsal/context" "$rehearsal/workspace" "$rehearsal/app"
