"""Replays the Dockerfile on this machine as Docker would build and run it (CI has no engine).

Usage, from the repository root: python3 .ci/checks/dockerfile_rehearsal.py REHEARSAL_DIR
where REHEARSAL_DIR/files lists the tracked files (git ls-files -z), the build context a fresh
clone gives `docker build`. See .ci/checks/dockerfile.sh for what is rehearsed and what is not;
test_dockerfile_rehearsal.py tests the parsing and .dockerignore matching.
"""
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time


def fail(message):
    sys.exit(f"dockerfile: {message}")


def instructions(path):
    """(instruction, arguments) pairs, continuation lines joined and comments dropped."""
    lines, current = [], ""
    with open(path, encoding="utf-8") as f:
        raw_lines = f.readlines()
    for raw in raw_lines:
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
    """Each stage's instructions after its FROM, by stage name (`AS name`, else stageN)."""
    return {name: steps for name, (_, steps) in staged(parsed).items()}


def images(parsed):
    """Each stage's base image, by stage name."""
    return {name: image for name, (image, _) in staged(parsed).items()}


def staged(parsed):
    result, name = {}, None
    for word, rest in parsed:
        if word == "FROM":
            parts = rest.split()
            name = parts[2].lower() if len(parts) >= 3 and parts[1].upper() == "AS" else f"stage{len(result)}"
            result[name] = (parts[0], [])
        elif name is not None:
            result[name][1].append((word, rest))
    return result


def java_major(image):
    """The Java feature release an eclipse-temurin image ships: eclipse-temurin:25-jre is 25."""
    match = re.fullmatch(r"eclipse-temurin:(\d+)(?:[.\-_].*)?", image)
    if not match:
        fail(f"FROM {image}: only eclipse-temurin images are rehearsed (their tag names the JDK)")
    return int(match.group(1))


def local_jdk(image, jvm_root="/usr/lib/jvm"):
    """A JDK of this machine of the release the image ships, to stand for the image's own java."""
    major = java_major(image)
    for home in sorted(os.listdir(jvm_root)) if os.path.isdir(jvm_root) else []:
        release = os.path.join(jvm_root, home, "release")
        if os.path.islink(os.path.join(jvm_root, home)) or not os.path.isfile(release):
            continue
        with open(release, encoding="utf-8") as f:
            version = re.search(r'^JAVA_VERSION="(\d+)', f.read(), re.MULTILINE)
        if version and int(version.group(1)) == major:
            return os.path.join(jvm_root, home)
    fail(f"FROM {image}: no JDK {major} under {jvm_root} to rehearse it with")


def with_jdk(env, java_home):
    """`env` with java_home's java first on the PATH, as the image's java would be."""
    return {**env, "JAVA_HOME": java_home, "PATH": os.path.join(java_home, "bin") + os.pathsep + env.get("PATH", "")}


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


def read_rules(path=".dockerignore"):
    rules = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                rules.append((line.startswith("!"), dockerignore_regex(line.lstrip("!"))))
    return rules


def lay_out_context(rehearsal, context):
    """Copies the tracked files .dockerignore lets through, as `docker build` would send them."""
    rules = read_rules()
    with open(os.path.join(rehearsal, "files"), encoding="utf-8") as listing:
        files = [f for f in listing.read().split("\0") if f]
    sent = [f for f in files if not ignored(f, rules)]
    for f in sent:
        copy(f, os.path.join(context, f))
    print(f"dockerfile: build context {len(sent)} of {len(files)} tracked files")


def rehearse_build(build_steps, context, workspace, java_home):
    """The build stage: WORKDIR stands for `workspace`; COPY and RUN as written, on `java_home`'s
    java. Returns WORKDIR."""
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
            subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=workspace,
                           env=with_jdk(dict(os.environ), java_home), check=True, timeout=600)
        elif word not in ("ARG", "ENV", "LABEL"):
            fail(f"build stage instruction {word} is not rehearsed")
    if workdir is None:
        fail("the build stage needs a WORKDIR")
    return workdir


def lay_out_run_stage(run_steps, workspace, workdir, app, java_home):
    """The run stage's layers copied into `app`, its java steps run on `java_home`'s java; returns
    its ENV, ENTRYPOINT and HEALTHCHECK."""
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
        elif word == "RUN" and rest.startswith("java "):
            # A step of the image's own JVM (the cache's training run), with the ENV so far; the
            # listening ports are free ones here, as in the run below. The address stays the image's:
            # a training run that serves on it without a credential is refused, as in a real build.
            print(f"dockerfile: RUN {rest}")
            training_env = with_jdk({**os.environ, **env, "SERVER_PORT": "0", "ASYNCPATTERNS_TCP_PORT": "0"},
                                    java_home)
            subprocess.run(["bash", "-euo", "pipefail", "-c", rest], cwd=app, env=training_env, check=True,
                           timeout=600)
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
    return env, entrypoint, healthcheck


def probe(healthcheck, env, timeout=5):
    """One HEALTHCHECK run; like Docker, a probe that times out counts as failed, not as an error."""
    try:
        return subprocess.run(healthcheck, env=env, timeout=timeout, capture_output=True).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def run_and_probe(env, entrypoint, healthcheck, app, service_log, java_home):
    """Starts the ENTRYPOINT as `docker run` would, on `java_home`'s java; its HEALTHCHECK must
    pass, SIGTERM must stop it."""
    port = free_port()
    env.update(SERVER_PORT=str(port), SERVER_ADDRESS="127.0.0.1", ASYNCPATTERNS_TCP_PORT="0")
    process_env = with_jdk({**os.environ, **env}, java_home)
    with open(service_log, "w") as log:
        service = subprocess.Popen(entrypoint, cwd=app, env=process_env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        healthy = False
        while time.monotonic() < deadline and service.poll() is None:
            if probe(healthcheck, process_env):
                healthy = True
                break
            time.sleep(1)
        if not healthy:
            with open(service_log) as log:
                sys.stderr.write(log.read()[-4000:])
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


def main(rehearsal):
    context, workspace, app = (os.path.join(rehearsal, d) for d in ("context", "workspace", "app"))
    parsed = instructions("Dockerfile")
    steps, bases = stages(parsed), images(parsed)
    if "build" not in steps or len(steps) != 2:
        fail("expected two stages, `build` and the run stage")
    run_stage = list(steps)[-1]
    build_jdk, run_jdk = local_jdk(bases["build"]), local_jdk(bases[run_stage])
    print(f"dockerfile: {bases['build']} rehearsed on {build_jdk}, {bases[run_stage]} on {run_jdk}")
    lay_out_context(rehearsal, context)
    workdir = rehearse_build(steps["build"], context, workspace, build_jdk)
    env, entrypoint, healthcheck = lay_out_run_stage(steps[run_stage], workspace, workdir, app, run_jdk)
    service_log = os.path.join(rehearsal, "service.log")
    run_and_probe(env, entrypoint, healthcheck, app, service_log, run_jdk)
    check_class_data(entrypoint, app, service_log)


# The JVM options that map a class data archive, and what the JVM logs when it cannot: it starts
# anyway, only slower, so the log is the one sign.
ARCHIVE_OPTIONS = {"-XX:SharedArchiveFile=": "Unable to use shared archive", "-XX:AOTCache=": "][aot]"}


def check_class_data(entrypoint, app, service_log):
    """An archive or AOT cache the ENTRYPOINT names must exist and load."""
    for word in entrypoint:
        for option, complaint in ARCHIVE_OPTIONS.items():
            if word.startswith(option):
                archive = word[len(option):]
                if not os.path.isfile(os.path.join(app, archive)):
                    fail(f"the ENTRYPOINT maps {archive}, which no step of the image made")
                with open(service_log) as log:
                    if complaint in log.read():
                        fail(f"the JVM could not use {archive} (see the service log)")
                print(f"dockerfile: the service started on the class data in {archive}")


if __name__ == "__main__":
    main(sys.argv[1])
