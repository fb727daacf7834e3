#!/usr/bin/env bash
# Load benchmark of the async-patterns jar (issue 7). Read bench/README.md first.
#
#   bench/run.sh [--smoke] [--jar PATH] [--only W1,W3] [--reps N] [--heavy-reps N]
#                [--soak-jobs N] [--soak-rate N] [--jfr] [--baseline-jar PATH]
#
#   --smoke          tiny sizes, 1 repetition, no targets judged: proves the harness runs (CI)
#   --jar PATH       the service jar to measure (default: build it with ./mvnw -DskipTests package)
#   --only LIST      comma-separated workloads to run, e.g. W1,W2 (default: all ten; W7 and W8 need
#                    PostgreSQL's server and pgbench, installed with apt-get when missing and root)
#   --reps N         measured repetitions of W1 and W2 (default 31)
#   --heavy-reps N   measured repetitions of W3, W4, W5 and W10 (default 3)
#   --soak-jobs N    jobs in the W6 soak (default 1000000)
#   --soak-rate N    W6 submission rate in jobs per second (default 5000)
#   --jfr            record a JFR profile of every service JVM into the run folder
#   --baseline-jar PATH  W3 also measures this other build of the service, alternating with the
#                    jar under test in every rep, and reports the service/baseline ratios
#
# This script only prepares: it builds the jar when none is given, unpacks the jar's libraries and
# compiles bench/src/*.java against them (the benchmark needs nothing the service does not ship),
# then hands over to `Bench run` (bench/src/Run.java), which starts the upstream and the services
# on 127.0.0.1, runs the workloads, prints the table and saves it under bench/results/ (smoke runs:
# in the run folder only). Exit status: 0 when every workload ran (a missed target is reported, not
# an error), 1 when a workload errored, 2 for a usage error.
set -Eeuo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STAMP=$(date -u +%Y-%m-%d-%H%M)
RUN_DIR=$ROOT/bench/target/runs/$STAMP-$$
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
JAR_TOOL=${JAVA_HOME:+$JAVA_HOME/bin/}jar

# Only --jar and --help matter here; Bench checks every option (and exits 2 on a bad one).
JAR=""
args=()
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --jar) (($# >= 2)) || { echo "run.sh: --jar needs a path" >&2; usage >&2; exit 2; }; JAR=$2; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$RUN_DIR/run.log" >&2; }
fail() { log "ERROR: $*"; exit 1; }

mkdir -p "$RUN_DIR"
# Per run, so that two runs (say a smoke in CI and a full run) cannot pull each other's classes away.
LIB_DIR=$RUN_DIR/lib
CLASSES_DIR=$RUN_DIR/classes
BENCH_PID=""
cleanup() {
  local rc=$?
  # Bench stops what it started in its own shutdown hook; SIGTERM lets that hook run.
  if [[ -n $BENCH_PID ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
  rm -rf "$LIB_DIR"   # 50 MB of copied jars; the logs stay
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

if [[ -z $JAR ]]; then
  log "building the service jar (./mvnw -q -B -DskipTests package)"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package) >"$RUN_DIR/build.log" 2>&1 \
    || { tail -40 "$RUN_DIR/build.log" >&2; fail "the jar did not build"; }
  JAR=$(ls -t "$ROOT"/target/async-patterns-*.jar | grep -v -- '-plain.jar' | head -1)
fi
[[ -f $JAR ]] || fail "no jar at '$JAR'"
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")

mkdir -p "$LIB_DIR" "$CLASSES_DIR"
(cd "$LIB_DIR" && "$JAR_TOOL" xf "$JAR" BOOT-INF/lib) || fail "could not unpack $JAR"
"$JAVAC" --release 17 -nowarn -cp "$LIB_DIR/BOOT-INF/lib/*" -d "$CLASSES_DIR" "$ROOT"/bench/src/*.java \
  2>"$RUN_DIR/javac.log" || { cat "$RUN_DIR/javac.log" >&2; fail "bench/src did not compile"; }

BENCH_CP="$CLASSES_DIR:$LIB_DIR/BOOT-INF/lib/*"
# In the background and waited for, so that SIGINT/SIGTERM reach the trap at once (bash defers
# traps while a foreground child runs) and the trap can pass them on.
rc=0
"$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -Dlogback.configurationFile="$ROOT/bench/src/logback-bench.xml" \
  -cp "$BENCH_CP" Bench run --root "$ROOT" --run-dir "$RUN_DIR" --stamp "$STAMP" --bench-classpath "$BENCH_CP" \
  --jar "$JAR" "${args[@]}" &
BENCH_PID=$!
wait "$BENCH_PID" || rc=$?
BENCH_PID=""
((rc != 2)) || usage >&2
exit "$rc"
