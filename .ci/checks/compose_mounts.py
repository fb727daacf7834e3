"""Reads `docker-compose config` on stdin for .ci/checks/compose-config.sh: every file a service
mounts or builds from the repository must exist."""
import os, sys, yaml
config = yaml.safe_load(sys.stdin)
missing = []
for name, service in (config.get("services") or {}).items():
    for volume in service.get("volumes") or []:
        source = volume.get("source") if isinstance(volume, dict) else volume.split(":")[0]
        if source and source.startswith("/") and not os.path.exists(source):
            missing.append(f"{name}: {source}")
    build = service.get("build")
    if isinstance(build, dict):
        dockerfile = os.path.join(build.get("context", "."), build.get("dockerfile", "Dockerfile"))
        if not os.path.isfile(dockerfile):
            missing.append(f"{name}: {dockerfile}")
if missing:
    sys.exit("compose: missing files mounted or built from the repository:\n  " + "\n  ".join(missing))
count = len(config["services"])
print(f"compose: OK ({count} services, every mounted file present)")
